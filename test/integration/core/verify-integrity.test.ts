import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../main/cli';
import { appendAudit } from '../../../main/core/audit';
import { inspectDatabaseFile } from '../../../main/core/backup/inspect';
import { startIntegrityParts } from '../../../main/core/db/integrity';
import { DB_FILE, openDatabase } from '../../../main/core/db/open';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { fullHealth } from '../../../main/core/health';
import { tempDir } from '../../helpers/core';
import { skewIndex } from '../trust/helpers';

/**
 * Issue 17: `wardkeep verify` runs the integrity check in worker threads, split by table, beside the
 * audit checks. An index that disagrees with its table (which quick_check does not see, only the
 * whole integrity_check's cross-checks) must still be found, and named in SQLite's own words.
 */
function withEntries(): string {
  const dir = tempDir();
  const opened = openDatabase({ dataDir: dir });
  const core = { db: opened.db, pcId: opened.pcId, clock: { now: () => new Date() }, file: opened.file, dataDir: dir };
  for (let i = 0; i < 5; i++) inTransaction(core, (core) => appendAudit(core, { userId: null, name: 'x', role: null, via: 'system' }, { action: 'a', entity: 'e', entityId: String(i) }));
  opened.db.close();
  return dir;
}

/** Makes the schema say the trail's index by entity holds another column than the one its entries were made from. */
function skewTrailIndex(dir: string): void {
  const raw = new BetterSqlite3(path.join(dir, DB_FILE));
  skewIndex(raw, 'audit_log_entity', 'CREATE INDEX audit_log_entity ON audit_log (entity_id, entity)');
  raw.close();
}

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {}, cwd: process.cwd() });
  return { code, stdout, stderr };
}

describe("verify's integrity check in worker threads", () => {
  it('passes a sound database from the workers themselves', async () => {
    const dir = withEntries();
    const db = new BetterSqlite3(path.join(dir, DB_FILE), { readonly: true });
    for (const workers of [1, 2, 3]) expect(await startIntegrityParts(db, { file: path.join(dir, DB_FILE), workers }).done).toEqual({ ok: true });
    db.close();
  });

  it("gives a synchronous caller (a backup's check) the same answer without the event loop, and not ok from a worker that cannot open the file", () => {
    const dir = withEntries();
    const file = path.join(dir, DB_FILE);
    const db = new BetterSqlite3(file, { readonly: true });
    for (const workers of [1, 2, 3]) {
      const run = startIntegrityParts(db, { file, workers });
      expect(run.wait()).toEqual({ ok: true });
      run.stop();
    }
    const missing = startIntegrityParts(db, { file: path.join(dir, 'not-there.db'), workers: 2 });
    expect(missing.wait()).toEqual({ ok: false });
    missing.stop();
    db.close();
    skewTrailIndex(dir);
    const skewed = new BetterSqlite3(file, { readonly: true });
    const run = startIntegrityParts(skewed, { file, workers: 2 });
    expect(run.wait()).toEqual({ ok: false });
    run.stop();
    skewed.close();
  });

  it('says not ok, for the caller to check in turn, on a thread that may not block (as a browser main thread refuses Atomics.wait)', () => {
    const dir = withEntries();
    const file = path.join(dir, DB_FILE);
    const db = new BetterSqlite3(file, { readonly: true });
    const refuse = vi.spyOn(Atomics, 'wait').mockImplementation(() => {
      throw new TypeError('Atomics.wait cannot be called in this context');
    });
    try {
      const run = startIntegrityParts(db, { file, workers: 2 });
      expect(run.wait()).toEqual({ ok: false });
      run.stop();
      // A backup's check then checks in turn, and says what it always said of a sound file.
      expect(inspectDatabaseFile(file, { splitFrom: 0 })).toMatchObject({ ok: true, problems: [] });
    } finally {
      refuse.mockRestore();
      db.close();
    }
  });

  it('finds an index that disagrees with its table, and reports it as the whole check on one connection does', async () => {
    const dir = withEntries();
    skewTrailIndex(dir);
    const db = new BetterSqlite3(path.join(dir, DB_FILE), { readonly: true });
    expect(db.pragma('quick_check')).toEqual([{ quick_check: 'ok' }]);
    expect(await startIntegrityParts(db, { file: path.join(dir, DB_FILE), workers: 2 }).done).toEqual({ ok: false });
    const inTurn = await fullHealth(db);
    const split = await fullHealth(db, undefined, { file: path.join(dir, DB_FILE), workers: 2 });
    db.close();
    expect(inTurn.integrityOk).toBe(false);
    expect(inTurn.problems).toContain('Database integrity: row 1 missing from index audit_log_entity');
    expect(split).toEqual(inTurn);

    const res = await cli(['--data-dir', dir, 'verify']);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('Integrity: FAILED');
    expect(res.stderr).toContain('Database integrity: row 1 missing from index audit_log_entity');
  });
});
