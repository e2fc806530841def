import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../main/core/backend';
import { openCore } from '../../../main/core/open-core';
import { runStartupChecks } from '../../../main/core/system/startup-checks';
import { stopWorker } from '../../../main/core/worker/run';
import { loggingWorld, threePoints } from '../completions/fixture';
import { cli, dropPermanentTriggers } from './helpers';

/**
 * The triggers that make a signed record permanent ("the database refuses it", records.md) are
 * part of what an auditor relies on: dropped, changed or joined by one of an attacker's own with
 * the sqlite3 command line, `wardkeep verify` and the app's deep check name it, though no row was
 * touched (yet).
 */
async function closedWorld() {
  const w = await loggingWorld();
  await w.as(w.tom)('completions.log', {
    planId: w.pumpPlan.id,
    performedAt: '2026-11-25T09:30:00Z',
    result: threePoints([[12, null], [100, null], [500, null]], w.analyser.id, w.calibration.id),
    secret: '1357',
  });
  const dir = w.core.dataDir;
  await stopWorker(w.core);
  w.core.close();
  return dir;
}
const sql = (dir: string, run: (db: BetterSqlite3.Database) => void) => {
  const db = new BetterSqlite3(path.join(dir, 'wardkeep.sqlite3'));
  run(db);
  db.close();
};

describe('the triggers that make records permanent, removed or changed outside Wardkeep', () => {
  it('verify and the start-up deep check name each trigger dropped, one changed and one added', async () => {
    const dir = await closedWorld();
    sql(dir, (db) => {
      dropPermanentTriggers(db);
      // One of the attacker's own: every new record reads as a pass.
      db.exec("CREATE TRIGGER completions_pass AFTER INSERT ON completions BEGIN UPDATE completions SET outcome = 'pass' WHERE id = NEW.id; END");
    });
    // Before, verify said the database was healthy.
    const res = await cli(['--data-dir', dir, 'verify']);
    expect(res.code).toBe(1);
    expect(res.stdout + res.stderr).toContain('Database: The trigger completions_no_update on completions is missing: it was removed outside Wardkeep, so the database no longer refuses what it guarded.');
    expect(res.stdout + res.stderr).toContain('Database: The trigger audit_log_no_delete on audit_log is missing');
    expect(res.stdout + res.stderr).toContain('Database: The trigger completions_pass on completions was added outside Wardkeep.');

    const core = openCore({ dataDir: dir });
    const health = await runStartupChecks(createBackend(core));
    await stopWorker(core);
    core.close();
    expect(health.integrity).toMatchObject({ state: 'damaged', report: { ok: false, problems: expect.arrayContaining([expect.stringContaining('completions_no_update on completions is missing')]) } });
  });

  it('a dropped trigger that keeps something in step is named for what it no longer does, not as a guard', async () => {
    const dir = await closedWorld();
    sql(dir, (db) => {
      db.exec('DROP TRIGGER equipment_search_update');
      db.exec('DROP TRIGGER plans_target_on_insert');
    });
    const res = await cli(['--data-dir', dir, 'verify']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(
      'Database: The trigger equipment_search_update on equipment is missing: it was removed outside Wardkeep, so the equipment search no longer follows the devices it finds (a device added, changed or removed since is found wrongly).',
    );
    expect(res.stderr).toContain(
      "Database: The trigger plans_target_on_insert on plans is missing: it was removed outside Wardkeep, so the plans no longer follow their device's or stock location's changes (the due list may show them wrongly).",
    );
    expect(res.stderr).not.toContain('equipment_search_update on equipment is missing: it was removed outside Wardkeep, so the database no longer refuses');
  });

  it('a trigger rewritten to let updates through is named as changed', async () => {
    const dir = await closedWorld();
    sql(dir, (db) => {
      const text = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'completions_no_update'").pluck().get() as string;
      db.exec('DROP TRIGGER completions_no_update');
      db.exec(text.replace(/BEGIN[\s\S]*END/i, 'BEGIN SELECT 1; END'));
    });
    const res = await cli(['--data-dir', dir, 'verify']);
    expect(res.code).toBe(1);
    expect(res.stdout + res.stderr).toContain('Database: The trigger completions_no_update on completions is not the one Wardkeep made: it was changed outside Wardkeep.');
  });
});
