import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_LIMIT_BYTES } from '../../../main/core/db/open';
import { storageError } from '../../../main/core/dispatcher/errors';
import { tempDir } from '../../helpers/core';
import { exited, spawnTs } from '../safety/child';
import { runCli } from '../../../main/cli/index';
import { cli } from './run';

/**
 * The data folder the command line is pointed at (the published command line, "Database location"; docs/cli.md: exit 1
 * when "the database cannot be written now (… a read-only folder: said in the app's words)").
 */

const CLI = 'test/integration/safety/children/cli.ts';
const NOBODY = 65534;

/** The bundled `wardkeep` child (test/integration/safety/child.ts bundles it on first use). */
async function bundledCli(): Promise<string> {
  const child = spawnTs(CLI, ['--help']);
  await exited(child);
  return child.spawnargs[1]!;
}

/**
 * Runs `wardkeep` as an account that cannot write `dataDir` (mode 555): as root (CI), as the
 * unprivileged user nobody, since root writes wherever it likes; else as this user. Fails, saying
 * what is missing, where neither can be done: this test never skips.
 */
async function runAsReader(dataDir: string, cwd: string, args: string[], unreadable: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const asRoot = process.getuid?.() === 0;
  // Not root: this account owns the files, so none can be made unreadable to it; as nobody they can.
  if (!asRoot && unreadable.length > 0) throw new Error('This test makes a file unreadable to the reader, which needs root (to run the reader as nobody).');
  // The test's own temp folders (mode 700) let the reader through; nothing else is touched.
  if (asRoot) for (const dir of [path.dirname(dataDir), cwd]) chmodSync(dir, 0o755);
  for (const f of readdirSync(dataDir)) chmodSync(path.join(dataDir, f), unreadable.includes(f) ? 0o600 : 0o644);
  chmodSync(dataDir, 0o555);
  const script = await bundledCli();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, '--data-dir', dataDir, ...args], {
      cwd,
      env: { ...process.env, NODE_OPTIONS: '', HOME: cwd },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.on('error', (err) => {
      chmodSync(dataDir, 0o755);
      reject(new Error(`This test runs wardkeep as the unprivileged user nobody (uid ${NOBODY}) to make the data folder read-only to it, and that could not be done: ${err.message}`));
    });
    child.on('close', (code) => {
      chmodSync(dataDir, 0o755);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A data folder (`<temp>/data`) with a database made by a real `wardkeep` process, closed cleanly (no -wal or -shm left). */
async function realDataFolder(): Promise<{ dataDir: string; work: string }> {
  const dataDir = path.join(tempDir(), 'data');
  const work = tempDir();
  writeFileSync(path.join(work, 'inv.csv'), 'asset_tag,name,location\nP1,Pump,Ward\n');
  writeFileSync(path.join(work, 'plans.csv'), 'asset_tag,task,every,start\nP1,cleaning,1w,2026-01-05\n');
  for (const args of [['import', 'equipment', path.join(work, 'inv.csv')], ['import', 'plans', path.join(work, 'plans.csv')]]) {
    const child = spawnTs(CLI, ['--data-dir', dataDir, ...args]);
    expect((await exited(child)).code, child.stderrText()).toBe(0);
  }
  expect(readdirSync(dataDir).filter((f) => f.endsWith('-wal') || f.endsWith('-shm'))).toEqual([]);
  return { dataDir, work };
}

describe('a data folder this account cannot write (a share IT made read-only)', () => {
  it('due, export equipment, repairs and report downtime still read it, and nothing is written in it', async () => {
    const { dataDir, work } = await realDataFolder();
    const before = readdirSync(dataDir).sort();
    const due = await runAsReader(dataDir, work, ['due', '--as-of', '2026-03-01', '--format', 'json']);
    expect(due.stderr).toBe('');
    expect(due.code).toBe(0);
    expect(JSON.parse(due.stdout) as unknown).toMatchObject([{ asset_tag: 'P1', task: 'cleaning', status: 'overdue' }]);
    const exported = await runAsReader(dataDir, work, ['export', 'equipment']);
    expect([exported.code, exported.stderr]).toEqual([0, '']);
    expect(exported.stdout).toContain('P1,Pump,Ward,');
    const repairs = await runAsReader(dataDir, work, ['repairs', '--format', 'json']);
    expect([repairs.code, repairs.stderr, repairs.stdout]).toEqual([0, '', '[]\n']);
    const downtime = await runAsReader(dataDir, work, ['report', 'downtime', '--from', '2026-01-01', '--to', '2026-01-31']);
    expect([downtime.code, downtime.stderr]).toEqual([0, '']);
    // verify checks with a worker thread's connection of its own, which a read-only folder does not allow: said, not a crash.
    const verify = await runAsReader(dataDir, work, ['verify']);
    expect(verify.stderr).toMatch(/read-only/);
    expect(verify.stderr).not.toMatch(/failed unexpectedly/);
    expect(verify.code).toBe(1);
    expect(readdirSync(dataDir).sort()).toEqual(before);
  }, 60_000);

  it('a hospital-sized database there is refused in a sentence, not read into memory (nor a crash past 2 GB)', async () => {
    const { dataDir, work } = await realDataFolder();
    // Grown past the limit without writing its bytes (a sparse file): the size is what is judged.
    truncateSync(path.join(dataDir, 'wardkeep.sqlite3'), SNAPSHOT_LIMIT_BYTES + 4096);
    const before = readdirSync(dataDir).sort();
    const due = await runAsReader(dataDir, work, ['due', '--as-of', '2026-03-01']);
    expect(due.stderr).toMatch(/cannot be written, and its database \(\d+ MB\) is too large to read from a copy in memory\. Run this as a user who may write the folder\./);
    expect(due.stderr).not.toMatch(/failed unexpectedly/);
    expect(due.code).toBe(1);
    expect(readdirSync(dataDir).sort()).toEqual(before);
  }, 60_000);

  it('a folder SQLite cannot make the -shm in even for root (chattr +i: SQLITE_CANTOPEN) is said in the app\'s words too', () => {
    // The error a command gets there, mapped as every storage error is (the command line prints it, exit 1).
    expect(storageError(Object.assign(new Error('unable to open database file'), { code: 'SQLITE_CANTOPEN' }))).toEqual({
      code: 'storage',
      message: "The database cannot be opened: the data folder is read-only or this account may not use it, so nothing was saved. Check the data folder's permissions.",
    });
  });

  it('import equipment is refused in the app\'s words (read-only, check the permissions), exit 1, nothing written', async () => {
    const { dataDir, work } = await realDataFolder();
    writeFileSync(path.join(work, 'more.csv'), 'asset_tag,name,location\nP2,Pump,Ward\n');
    const before = readdirSync(dataDir).sort();
    const res = await runAsReader(dataDir, work, ['import', 'equipment', 'more.csv']);
    expect(res.stderr).toMatch(/^The database (is read-only|cannot be opened: the data folder is read-only)[^\n]*, so nothing was saved\. Check the data folder's permissions\.\n$/);
    expect(res.code).toBe(1);
    expect(readdirSync(dataDir).sort()).toEqual(before);
  }, 60_000);

  it('while another program has it open, a read sees its latest change (SQLite reads the write-ahead log through its -shm)', async () => {
    const { dataDir, work } = await realDataFolder();
    // A writer of its own (the app, as an account that may write the folder) holding the database open with a change in the log.
    const writer = new BetterSqlite3(path.join(dataDir, 'wardkeep.sqlite3'));
    try {
      writer.pragma('wal_autocheckpoint = 0');
      writer.prepare("UPDATE equipment SET name = 'Pump (renamed)'").run();
      expect(readdirSync(dataDir)).toContain('wardkeep.sqlite3-wal');
      const res = await runAsReader(dataDir, work, ['due', '--as-of', '2026-03-01', '--format', 'json']);
      expect([res.code, res.stderr]).toEqual([0, '']);
      expect(JSON.parse(res.stdout) as unknown).toMatchObject([{ asset_tag: 'P1', name: 'Pump (renamed)' }]);
    } finally {
      writer.close();
    }
  }, 60_000);

  it('a read is refused with a sentence when changes in the write-ahead log cannot be read (its -shm unreadable): never an older copy', async () => {
    const { dataDir, work } = await realDataFolder();
    const writer = new BetterSqlite3(path.join(dataDir, 'wardkeep.sqlite3'));
    try {
      writer.pragma('wal_autocheckpoint = 0');
      writer.prepare("UPDATE equipment SET name = 'Pump (renamed)'").run();
      const res = await runAsReader(dataDir, work, ['due', '--as-of', '2026-03-01'], ['wardkeep.sqlite3-shm']);
      expect(res.stdout).toBe('');
      expect(res.stderr).toMatch(/^The data folder .* cannot be written, and the database in it has changes not yet folded into it .* so it cannot be read safely from here\. /);
      expect(res.code).toBe(1);
    } finally {
      writer.close();
    }
  }, 60_000);
});

describe('a data folder that holds no database (a mistyped --data-dir)', () => {
  // Each command with its name as said; backup and sync write, but never into a folder with no database.
  const MUST_FIND: [string, string[]][] = [
    ['due', ['due']],
    ['export equipment', ['export', 'equipment']],
    ['repairs', ['repairs']],
    ['report downtime', ['report', 'downtime', '--from', '2026-01-01', '--to', '2026-01-31']],
    ['report failures', ['report', 'failures', '--from', '2026-01-01', '--to', '2026-01-31']],
    ['sync status', ['sync', 'status']],
    ['sync', ['sync', '--once']],
    ['backup', ['backup', 'nightly.sqlite3']],
  ];
  for (const [name, args] of MUST_FIND) {
    it(`${name} says there is no database there, exit 1, and creates nothing (not even the folder)`, async () => {
      const work = tempDir();
      const typo = path.join(tempDir(), 'Wardkeep-typo');
      const res = await cli(typo, work)(...args);
      // A nightly job pointed at the wrong folder must not mail "Nothing is overdue or due", nor
      // back up an empty database made there and call it verified.
      expect(res.stdout).toBe('');
      expect(res.stderr).toBe(
        `There is no Wardkeep database in ${typo} (wardkeep.sqlite3), and ${name} never creates one. Check --data-dir (or WARDKEEP_DATA_DIR) names the folder that holds it. Nothing was created.\n`,
      );
      expect(res.code).toBe(1);
      expect(existsSync(typo)).toBe(false);
      expect(readdirSync(work)).toEqual([]);
    });
  }

  it('an empty folder is the same: nothing is created in it', async () => {
    const empty = tempDir();
    const res = await cli(empty, tempDir())('due');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^There is no Wardkeep database in /);
    expect(readdirSync(empty)).toEqual([]);
  });

  it('import equipment still makes a new database (a hospital starting)', async () => {
    const work = tempDir();
    const fresh = path.join(tempDir(), 'new');
    writeFileSync(path.join(work, 'inv.csv'), 'asset_tag,name,location\nP1,Pump,Ward\n');
    expect((await cli(fresh, work)('import', 'equipment', 'inv.csv')).code).toBe(0);
    expect(existsSync(path.join(fresh, 'wardkeep.sqlite3'))).toBe(true);
  });

  it('import equipment --dry-run says "Nothing was written" and makes nothing: no database, not even the folder', async () => {
    const work = tempDir();
    const fresh = path.join(tempDir(), 'new');
    writeFileSync(path.join(work, 'inv.csv'), 'asset_tag,name,location\nP1,Pump,Ward\n');
    const res = await cli(fresh, work)('import', 'equipment', 'inv.csv', '--dry-run');
    expect(res).toEqual({ code: 0, stdout: 'Dry run: would import 1 device from inv.csv; new locations: Ward.\nStatuses:\n  (blank) → in_service: 1\nNothing was written.\n', stderr: '' });
    expect(existsSync(fresh)).toBe(false);
  });

  it('an import refused for a bad row makes nothing, so due there still says there is no database (not "Nothing is overdue")', async () => {
    const work = tempDir();
    const typo = path.join(tempDir(), 'Wardkeep-typo');
    const run = cli(typo, work);
    writeFileSync(path.join(work, 'inv.csv'), 'asset_tag,name,location\nP1,,Ward\nP2,Monitor,Ward\n');
    writeFileSync(path.join(work, 'plans.csv'), 'asset_tag,task,every,start\nP1,cleaning,1w,2026-01-05\n');
    writeFileSync(path.join(work, 'history.csv'), 'asset_tag,task,performed_at,outcome,performed_by\nP1,cleaning,2026-01-05,pass,Ann\n');
    const equipment = await run('import', 'equipment', 'inv.csv');
    expect(equipment.code).toBe(1);
    expect(equipment.stderr).toContain('inv.csv: Row 2, column "name": the name is blank');
    expect(equipment.stderr).toContain('inv.csv: nothing was imported: 1 problem in 1 row of 2.\n');
    for (const args of [['import', 'plans', 'plans.csv'], ['import', 'history', 'history.csv'], ['import', 'history', 'history.csv', '--dry-run']]) {
      const res = await run(...args);
      expect(res.code, args.join(' ')).toBe(1);
      expect(res.stderr, args.join(' ')).toMatch(/nothing was imported/);
    }
    expect(existsSync(typo)).toBe(false);
    const due = await run('due');
    expect(due.code).toBe(1);
    expect(due.stderr).toMatch(/^There is no Wardkeep database in /);
    // The warning of a file that is imported is said once, as in a folder that has a database.
    writeFileSync(path.join(work, 'inv.csv'), 'asset_tag,name,location,model\nP1,,Ward,Alaris GP\n');
    const good = await run('import', 'equipment', 'inv.csv');
    expect(good.code).toBe(0);
    expect(good.stderr).toBe('Warning: inv.csv: Row 2, column "name": the name is blank, so the model "Alaris GP" is used as the name.\n');
    expect(existsSync(path.join(typo, 'wardkeep.sqlite3'))).toBe(true);
  });
});

describe('--data-dir naming a file', () => {
  for (const args of [['due'], ['import', 'equipment', 'inv.csv'], ['verify']]) {
    it(`${args.slice(0, 2).join(' ')}: "… is a file, not a folder", exit 1, not a crash`, async () => {
      const work = tempDir();
      const file = path.join(work, 'notafolder');
      writeFileSync(file, 'x');
      writeFileSync(path.join(work, 'inv.csv'), 'asset_tag,name,location\nP1,Pump,Ward\n');
      const res = await cli(file, work)(...args);
      expect(res.stderr).toContain(`${file} is a file, not a folder: the data folder must be a folder (it holds the database, wardkeep.sqlite3).`);
      expect(res.code).toBe(1);
    });
  }
});

describe('--data-dir given no folder (a script whose variable was not set)', () => {
  const cases: [string, string[]][] = [
    ['--data-dir ""', ['--data-dir', '', 'due']],
    ['--data-dir "  "', ['--data-dir', '  ', 'due']],
    ['--data-dir=', ['--data-dir=', 'due']],
    ['--data-dir last', ['due', '--data-dir']],
    ['--data-dir followed by another option', ['import', 'equipment', 'inv.csv', '--data-dir', '--dry-run']],
  ];
  for (const [name, argv] of cases) {
    it(`${name}: a usage error, exit 2, never the PC's own live database`, async () => {
      let stdout = '';
      let stderr = '';
      const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { WARDKEEP_DATA_DIR: tempDir() }, cwd: tempDir() });
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^--data-dir needs a folder: it was given none \(an empty value, or nothing after it\)\. Nothing was opened\.\n\nUsage: wardkeep /);
    });
  }
});
