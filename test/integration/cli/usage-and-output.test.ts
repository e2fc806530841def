import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exited, spawnTs } from '../safety/child';
import { cliFolders } from './run';

/** The published command line's usage errors, --help and outputs (docs/cli.md). */

const CLI = 'test/integration/safety/children/cli.ts';

async function seeded() {
  const s = cliFolders();
  writeFileSync(path.join(s.work, 'inv.csv'), 'asset_tag,name,location\nA1,Pump,Ward\n');
  writeFileSync(path.join(s.work, 'plans.csv'), 'asset_tag,task,every,start\nA1,cleaning,1w,2026-01-05\n');
  expect((await s.run('import', 'equipment', 'inv.csv')).code).toBe(0);
  expect((await s.run('import', 'plans', 'plans.csv')).code).toBe(0);
  return s;
}

describe('verify --head', () => {
  for (const bad of ['xyz', '12:zz', '12:abc', 'abc:12:9f3a61c2d07e5b18', '1:2:3:4']) {
    it(`"${bad}" is a usage error (exit 2) said before anything is opened, not a failed verification (exit 1)`, async () => {
      const s = cliFolders();
      const typo = path.join(s.dataDir, 'nothing-here');
      const res = await cliFolders().run('--data-dir', typo, 'verify', '--head', bad);
      expect(res.stderr).toMatch(new RegExp(`^--head "${bad}" is not a head: write it as printed, SEQ:HASH or CHAIN:SEQ:HASH \\(e\\.g\\. 4521:9f3a61c2d07e5b18\\)\\.\\n\\nUsage: wardkeep`));
      expect(res.code).toBe(2);
      expect(existsSync(typo)).toBe(false);
    });
  }

  it('takes every form docs/cli.md gives a head: SEQ:HASH and CHAIN:SEQ:HASH, 8 or more hex digits, as printed', async () => {
    const s = await seeded();
    const first = await s.run('verify');
    expect(first.code).toBe(0);
    const [, seq, hash, chain] = /Head: (\d+):([0-9a-f]{16}) \(chain ([0-9a-f]{8})\)/.exec(first.stdout)!;
    for (const head of [`${seq}:${hash}`, `${seq}:${hash!.slice(0, 8)}`, `${chain}:${seq}:${hash}`, ` ${chain!.toUpperCase()}:${seq}:${hash!.toUpperCase()} `]) {
      const res = await s.run('verify', '--head', head);
      expect([res.code, res.stderr]).toEqual([0, '']);
      expect(res.stdout).toContain(`matches audit entry ${seq}.`);
    }
    // A well-formed head that does not match is a failed check (exit 1), not a usage error.
    const wrong = await s.run('verify', '--head', `${seq}:00000000`);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`Audit entry ${seq} does not match the head ${seq}:00000000`);
  });
});

describe('usage errors: a sentence naming the option, then the usage of that command', () => {
  it('verify given a head without --head is a usage error (exit 2), never "The database is healthy" with the head unchecked', async () => {
    const s = await seeded();
    const res = await s.run('verify', '4521:9f3a61c2');
    expect(res.stdout).toBe('');
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^Unexpected argument "4521:9f3a61c2": to check a head, give it with --head, as in wardkeep verify --head 4521:9f3a61c2\.\n\nUsage: wardkeep verify /);
    const other = await s.run('verify', 'data');
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/^Unexpected argument "data": verify takes no file or folder \(name the data folder with --data-dir\)\.\n/);
  });

  it('hub revoke and enrol-code given a PC name with a space, unquoted, refuse it (exit 2) rather than act on its first word; sync takes no words either', async () => {
    const s = cliFolders();
    // Refused before the hub's database is reached: nothing listens at this address.
    const revoke = await s.run('hub', 'revoke', '--database', 'postgres://127.0.0.1:1/none', '--pc', 'Ward', '4B');
    expect(revoke.code).toBe(2);
    expect(revoke.stderr).toMatch(/^Unexpected argument "4B": a value with spaces goes in quotes, as in --pc "Ward 4B"\. Nothing was done\.\n\nUsage: wardkeep hub revoke /);
    const code = await s.run('hub', 'enrol-code', '--database', 'postgres://127.0.0.1:1/none', '--name', 'Ward', '4B', 'East');
    expect(code.code).toBe(2);
    expect(code.stderr).toMatch(/^Unexpected argument "4B": a value with spaces goes in quotes, as in --name "Ward 4B East"\. Nothing was done\./);
    for (const words of [['sync', '--once', '5'], ['sync', 'status', 'json'], ['sync', 'enrol', 'https://hub:8443', 'ABCD']]) {
      const res = await s.run(...words);
      expect(res.code, words.join(' ')).toBe(2);
      expect(res.stderr).toMatch(/^Unexpected argument "/);
    }
  });

  it('an option given no value names it and the values it takes', async () => {
    const s = await seeded();
    const res = await s.run('due', '--format');
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      '--format needs a value: --format table|csv|json|ics.\n\n' +
        'Usage: wardkeep due [--as-of DATE] [--within DAYS] [--location TEXT] [--task TYPE] [--format table|csv|json|ics] [--out FILE]\n' +
        '  the due list: plans overdue or due (and, with --within, scheduled soon), overdue first\n\n' +
        'wardkeep --help lists every command.\n',
    );
    expect((await s.run('export', 'equipment', '--out')).stderr).toMatch(/^--out needs a value: --out FILE\.\n\nUsage: wardkeep export equipment /);
  });

  it('an unknown option names the command it is not an option of', async () => {
    const s = await seeded();
    const res = await s.run('import', 'plans', 'plans.csv', '--map', 'a=b');
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^--map is not an option of wardkeep import plans\.\n\nUsage: wardkeep import plans FILE \[--dry-run\]\n/);
    expect(res.stderr).not.toContain('wardkeep due');
  });

  it('a flag given a value says it takes none', async () => {
    const s = await seeded();
    const res = await s.run('import', 'equipment', 'inv.csv', '--dry-run=yes');
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^--dry-run takes no value: write --dry-run alone\.\n\nUsage: wardkeep import equipment /);
  });
});

describe('--help for the first word of several commands', () => {
  const FAMILIES: [string, string[]][] = [
    ['import', ['import equipment FILE', 'import plans FILE', 'import history FILE']],
    ['hub', ['hub serve', 'hub enrol-code', 'hub revoke']],
    ['sync', ['sync enrol', 'sync [--once]', 'sync status']],
    ['report', ['report downtime', 'report failures']],
  ];
  for (const [word, usages] of FAMILIES) {
    it(`wardkeep ${word} --help prints the usage of the ${word} commands (exit 0)`, async () => {
      const res = await cliFolders().run(word, '--help');
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      for (const u of usages) expect(res.stdout).toContain(`wardkeep ${u}`);
      expect(res.stdout).not.toContain('wardkeep due');
    });
  }

  it('an unknown word is still a usage error (exit 2)', async () => {
    const res = await cliFolders().run('impart', '--help');
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^Unknown command "impart"\./);
  });
});

describe('--out FILE that cannot be written: a plain sentence naming it, as backup says it', () => {
  it('due --out into a folder that does not exist', async () => {
    const s = await seeded();
    const res = await s.run('due', '--out', path.join('no-such-folder', 'due.csv'), '--format', 'csv');
    expect(res.stderr).toBe('The folder no-such-folder does not exist: make it first, or name a file in a folder that does. Nothing was written.\n');
    expect(res.code).toBe(1);
  });

  it('export equipment --out naming a folder: "… is a folder: give a file name", and nothing is left in it', async () => {
    const s = await seeded();
    mkdirSync(path.join(s.work, 'exports'));
    const res = await s.run('export', 'equipment', '--out', 'exports');
    expect(res.stderr).toBe(`exports is a folder: give a file name, such as ${path.join('exports', 'equipment.csv')}. Nothing was exported.\n`);
    expect(res.code).toBe(1);
    expect(readdirSync(path.join(s.work, 'exports'))).toEqual([]);
  });

  it('due --out naming a folder suggests a file of its format', async () => {
    const s = await seeded();
    mkdirSync(path.join(s.work, 'lists'));
    const res = await s.run('due', '--out', 'lists', '--format', 'json');
    expect(res.stderr).toBe(`lists is a folder: give a file name, such as ${path.join('lists', 'due.json')}. Nothing was written.\n`);
    expect(res.code).toBe(1);
  });

  it('export equipment --out through a file used as a folder', async () => {
    const s = await seeded();
    writeFileSync(path.join(s.work, 'plain'), 'x');
    const res = await s.run('export', 'equipment', '--out', path.join('plain', 'e.csv'));
    expect(res.stderr).not.toMatch(/\bE[A-Z]{3,}\b/);
    expect(res.stderr).toBe(`${path.join('plain', 'e.csv')} cannot be written: part of its path is a file, not a folder. Nothing was exported.\n`);
    expect(res.code).toBe(1);
  });
});

describe('--out or backup naming a pipe or a device (a script reading a named pipe, --out /dev/stdout)', () => {
  const readers: ChildProcess[] = [];
  afterEach(() => {
    for (const r of readers.splice(0)) r.kill();
  });

  /** A named pipe with `cat` reading it: what it read once the writer closed it, or null if nothing came. */
  function pipeWithReader(file: string): Promise<string | null> {
    execFileSync('mkfifo', [file]);
    const reader = spawn('cat', [file], { stdio: ['ignore', 'pipe', 'ignore'] });
    readers.push(reader);
    let text = '';
    reader.stdout.setEncoding('utf8').on('data', (t: string) => (text += t));
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), 5000);
      reader.on('close', () => {
        clearTimeout(timer);
        resolve(text);
      });
    });
  }

  it('due --out and export equipment --out write into the pipe, which stays a pipe (not replaced by a file of its name)', async () => {
    const s = await seeded();
    const due = path.join(s.work, 'due.pipe');
    const dueRead = pipeWithReader(due);
    const res = await s.run('due', '--format', 'csv', '--out', due);
    expect([res.code, res.stderr]).toEqual([0, `Wrote 1 plan due on ${/on (\S+) to/.exec(res.stderr)?.[1]} to ${due}.\n`]);
    expect(lstatSync(due).isFIFO()).toBe(true);
    expect(await dueRead).toMatch(/^asset_tag,name,location,task,due_date,status,days_overdue,do_not_use,risk,ward,room,plan_id\r\nA1,Pump,Ward,cleaning,/);
    const inventory = path.join(s.work, 'inventory.pipe');
    const inventoryRead = pipeWithReader(inventory);
    const exported = await s.run('export', 'equipment', '--out', inventory);
    expect([exported.code, exported.stderr]).toEqual([0, `Exported 1 device to ${inventory}.\n`]);
    expect(lstatSync(inventory).isFIFO()).toBe(true);
    expect(await inventoryRead).toMatch(/^asset_tag,name,location,.*\r\nA1,Pump,Ward,/s);
  }, 30_000);

  it('backup to a pipe is refused in a sentence naming it (exit 1), and the pipe is left as it was', async () => {
    const s = await seeded();
    const pipe = path.join(s.work, 'backup.pipe');
    execFileSync('mkfifo', [pipe]);
    const res = await s.run('backup', 'backup.pipe');
    expect(res).toEqual({
      code: 1,
      stdout: '',
      stderr: 'backup.pipe: that is a named pipe, not a file: name a file to write the backup to, such as wardkeep-backup.sqlite3. No backup was written.\n',
    });
    expect(lstatSync(pipe).isFIFO()).toBe(true);
    expect(readdirSync(s.work).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 30_000);
});

describe('stdout closed early (wardkeep export equipment | head -1)', () => {
  it('stops quietly: the first line, no stack trace, exit 0', async () => {
    const s = cliFolders();
    const rows = ['asset_tag,name,location', ...Array.from({ length: 3000 }, (_, i) => `T${i},Infusion pump number ${i},Site > Ward ${i % 20}`)];
    writeFileSync(path.join(s.work, 'inv.csv'), rows.join('\n') + '\n');
    expect((await s.run('import', 'equipment', 'inv.csv')).code).toBe(0);
    // The CLI's own process (bundled from the sources, as main/cli/main.ts is built), run as a shell runs a pipe.
    const probe = spawnTs(CLI, ['--help']);
    await exited(probe);
    const bundled = probe.spawnargs[1]!;
    const q = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
    const res = spawnSync('bash', ['-c', `set -o pipefail; ${q(process.execPath)} ${q(bundled)} --data-dir ${q(s.dataDir)} export equipment | head -1`], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(res.stdout).toBe('asset_tag,name,location,category,manufacturer,model,serial,risk,ownership,status,acquired_on,in_service_on,warranty_until,reference_standard,notes\r\n');
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  }, 60_000);
});
