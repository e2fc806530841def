import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { existsSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli';
import { DB_FILE, openDatabase } from '../../../main/core/db/open';
import { LATEST_VERSION } from '../../../main/core/migrations';
import { tempDir } from '../../helpers/core';

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, cwd: process.cwd() });
  return { code, stdout, stderr };
}

describe('wardkeep verify', () => {
  it('never creates a database: a folder without one fails, and stays without one', async () => {
    const dir = path.join(tempDir(), 'new-ward-pc');
    const res = await cli(['--data-dir', dir, 'verify']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('There is no database in');
    expect(existsSync(path.join(dir, DB_FILE))).toBe(false);
  });

  it('reports a database made by the app healthy, and the head it ends on', async () => {
    const dir = tempDir();
    openDatabase({ dataDir: dir }).db.close();
    const res = await cli(['--data-dir', dir, 'verify']);
    expect(res).toMatchObject({ code: 0, stderr: '' });
    expect(res.stdout).toContain(`Schema version: ${LATEST_VERSION}`);
    expect(res.stdout).toContain('Integrity: ok');
    expect(res.stdout).toContain('The database is healthy.');
  });

  it('takes the folder from WARDKEEP_DATA_DIR too', async () => {
    const dir = tempDir();
    openDatabase({ dataDir: dir }).db.close();
    expect((await cli(['verify'], { WARDKEEP_DATA_DIR: dir })).stdout).toContain(path.join(dir, DB_FILE));
  });

  it('exits non-zero on a database from a newer version, naming both versions, and leaves it alone', async () => {
    const dir = tempDir();
    openDatabase({ dataDir: dir }).db.close();
    const raw = new BetterSqlite3(path.join(dir, DB_FILE));
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`);
    raw.close();
    const res = await cli(['--data-dir', dir, 'verify']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(new RegExp(`schema version ${LATEST_VERSION + 1}\\).*schema version ${LATEST_VERSION} at most`));
    const after = new BetterSqlite3(path.join(dir, DB_FILE), { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(LATEST_VERSION + 1);
    after.close();
  });

  it('exits 1 and names the first broken audit entry', async () => {
    const dir = tempDir();
    const opened = openDatabase({ dataDir: dir });
    const { appendAudit } = await import('../../../main/core/audit');
    const core = { db: opened.db, pcId: opened.pcId, clock: { now: () => new Date() }, file: opened.file, dataDir: dir };
    for (let i = 0; i < 3; i++) inTransaction(core, (core) => appendAudit(core, { userId: null, name: 'x', role: null, via: 'system' }, { action: 'a', entity: 'e', entityId: String(i) }));
    opened.db.exec('DROP TRIGGER audit_log_no_update');
    opened.db.prepare("UPDATE audit_log SET actor_name = 'forged' WHERE seq = 2").run();
    opened.db.close();
    const res = await cli(['--data-dir', dir, 'verify']);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('BROKEN at entry 2');
    expect(res.stderr).toContain('Audit trail: audit entry 2 was changed after it was written.');
  });

  it('exits 2 for a usage error', async () => {
    expect((await cli(['--data-dir'])).code).toBe(2);
    expect((await cli(['frobnicate'])).code).toBe(2);
    expect((await cli(['verify', '--bogus'])).code).toBe(2);
    expect((await cli([])).stderr).toMatch(/No command given/);
  });
});
