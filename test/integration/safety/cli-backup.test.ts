import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli';
import { backupToFolder, listBackupFiles } from '../../../main/core/backup/folder';
import { migrate } from '../../../main/core/db/migrate';
import { DB_FILE, openDatabase } from '../../../main/core/db/open';
import { LATEST_VERSION, migrations } from '../../../main/core/migrations';
import { tempDir, testCore } from '../../helpers/core';
import { expectHealthy } from './helpers';

async function cli(args: string[], cwd = process.cwd()) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {}, cwd });
  return { code, stdout, stderr };
}

describe('wardkeep backup FILE', () => {
  it('writes a verified online copy and exits 0; a second run replaces it', async () => {
    const dir = tempDir();
    openDatabase({ dataDir: dir }).db.close();
    const out = tempDir();
    const first = await cli(['--data-dir', dir, 'backup', 'nightly.sqlite3'], out);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/^Backed up .* to .*nightly\.sqlite3 \(\d+ kB, schema version \d+, \d+ audit entries; integrity and audit trail verified\)\.\n$/);
    expect((await cli(['--data-dir', dir, 'backup', path.join(out, 'nightly.sqlite3')])).code).toBe(0);
    const copy = new BetterSqlite3(path.join(out, 'nightly.sqlite3'), { readonly: true });
    expectHealthy(copy);
    copy.close();
  });

  it('exits 2 for a usage error and 1 when the copy cannot be written, naming why', async () => {
    const dir = tempDir();
    openDatabase({ dataDir: dir }).db.close();
    expect((await cli(['--data-dir', dir, 'backup'])).code).toBe(2);
    expect((await cli(['--data-dir', dir, 'backup', 'a', 'b'])).code).toBe(2);
    const missing = await cli(['--data-dir', dir, 'backup', path.join(tempDir(), 'no-such-folder', 'b.sqlite3')]);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringMatching(/does not exist.*No backup was written\.\n$/) });
    const over = await cli(['--data-dir', dir, 'backup', path.join(dir, DB_FILE)]);
    expect(over).toMatchObject({ code: 1, stderr: expect.stringMatching(/is the database: Wardkeep will not write over it/) });
  });

  it('any command that must upgrade the database backs it up first', async () => {
    const dir = tempDir();
    const old = new BetterSqlite3(path.join(dir, DB_FILE));
    migrate(old, { migrations: migrations.slice(0, 1) });
    old.close();
    expect((await cli(['--data-dir', dir, 'verify'])).code).toBe(0);
    const backups = listBackupFiles(path.join(dir, 'backups'));
    expect(backups.map((b) => b.reason)).toEqual(['pre-migration']);
    const copy = new BetterSqlite3(backups[0]!.file, { readonly: true });
    expect(copy.pragma('user_version', { simple: true })).toBe(1);
    copy.close();
    const now = new BetterSqlite3(path.join(dir, DB_FILE), { readonly: true });
    expect(now.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    now.close();
  });
});

describe('wardkeep verify on a damaged file', () => {
  it('reports the damage and exits 1 instead of crashing', async () => {
    const dir = tempDir();
    openDatabase({ dataDir: dir }).db.close();
    const fd = openSync(path.join(dir, DB_FILE), 'r+');
    writeSync(fd, Buffer.alloc(100, 0x5a), 0, 100, 0);
    closeSync(fd);
    const res = await cli(['--data-dir', dir, 'verify']);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('Integrity: FAILED');
    expect(res.stderr).toMatch(/^Database integrity: the database cannot be opened: .+Restore a backup/);
    expect(existsSync(path.join(dir, DB_FILE))).toBe(true);
  });
});

describe('wardkeep backup over an existing backup', () => {
  it('refuses to write over a backup in the backup folder and leaves it as it was', async () => {
    const core = testCore();
    const b = await backupToFolder(core, 'auto');
    const before = readFileSync(b.file);
    core.close();
    const res = await cli(['--data-dir', core.dataDir, 'backup', b.file]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/will not write over it/);
    expect(readFileSync(b.file).equals(before)).toBe(true);
    const relative = await cli(['--data-dir', core.dataDir, 'backup', path.join('backups', '.', path.basename(b.file))], core.dataDir);
    expect(relative.code).toBe(1);
  });
});
