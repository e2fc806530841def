import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loggingWorld, threePoints } from '../completions/fixture';
import { cli, tamperedCopy } from './helpers';

/**
 * Issue 13, item 2: records are bound to the audit trail. Someone with the database file drops the
 * permanent-row triggers and changes or deletes a record, a reading, a cleaning agent, or adds a
 * record: `wardkeep verify` must say so, and name what it found.
 */
async function signedRecords() {
  const w = await loggingWorld();
  const calibration = await w.as(w.tom)('completions.log', {
    planId: w.pumpPlan.id,
    performedAt: '2026-11-25T09:30:00Z',
    result: threePoints([[10.2, null], [120, 100.4], [480, null]], w.analyser.id, w.calibration.id),
    secret: '1357',
  });
  const cleaningPlan = await w.call('plans.create', { equipmentId: w.pump.id, task: 'cleaning', every: '1w', startDate: '2026-11-20' });
  const cleaning = await w.as(w.tom)('completions.log', {
    planId: cleaningPlan.id,
    result: { kind: 'cleaning', method: 'Wipe', agent: 'Chlorine 1000 ppm', outcome: 'pass' },
    secret: '1357',
  });
  const file = w.core.file;
  expect((await cli(['--data-dir', path.dirname(file), 'verify'])).code).toBe(0);
  w.core.close();
  return { file, calibration, cleaning };
}

async function verifyCopy(file: string, edit: (db: BetterSqlite3.Database) => void) {
  return cli(['--data-dir', tamperedCopy(file, edit), 'verify']);
}

describe('permanent rows bound to the audit trail (item 2)', () => {
  it('finds a changed outcome, reading or cleaning agent, a deleted record and a record added without an entry', async () => {
    const { file, calibration, cleaning } = await signedRecords();
    const id = calibration.id;

    const outcome = await verifyCopy(file, (db) => db.prepare("UPDATE completions SET outcome = 'pass' WHERE id = ?").run(id));
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(`Completion ${id} was changed outside Wardkeep: outcome is "pass" in the database`);
    expect(outcome.stderr).toContain('recorded "pass_adjusted"');

    const reading = await verifyCopy(file, (db) => db.prepare('UPDATE completion_readings SET as_found = 100 WHERE completion_id = ? AND position = 2').run(id));
    expect(reading.code).toBe(1);
    expect(reading.stderr).toContain(`Reading 2 of completion ${id} was changed outside Wardkeep: as_found is 100 in the database`);

    const agent = await verifyCopy(file, (db) => db.prepare("UPDATE completions SET details = json_set(details, '$.agent', 'Water') WHERE id = ?").run(cleaning.id));
    expect(agent.code).toBe(1);
    expect(agent.stderr).toContain(`Completion ${cleaning.id} was changed outside Wardkeep: details`);
    expect(agent.stderr).toContain('Water');

    const deleted = await verifyCopy(file, (db) => {
      for (const table of ['signatures', 'completion_readings']) db.prepare(`DELETE FROM ${table} WHERE completion_id = ?`).run(id);
      db.prepare('DELETE FROM completions WHERE id = ?').run(id);
    });
    expect(deleted.code).toBe(1);
    expect(deleted.stderr).toMatch(new RegExp(`Completion ${id}, recorded by audit entry \\d+, is not in the database: it was deleted outside Wardkeep`));
    expect(deleted.stderr).toMatch(new RegExp(`Reading 3 of completion ${id}, recorded by audit entry \\d+, is not in the database`));
    expect(deleted.stderr).toMatch(/Signature .*, recorded by audit entry \d+, is not in the database/);

    const forged = '01990000-0000-7000-8000-000000000042';
    const added = await verifyCopy(file, (db) => {
      const columns = (db.prepare("SELECT name FROM pragma_table_info('completions')").pluck().all() as string[]).filter((c) => c !== 'id');
      db.prepare(`INSERT INTO completions (id, ${columns.join(', ')}) SELECT ?, ${columns.join(', ')} FROM completions WHERE id = ?`).run(forged, cleaning.id);
    });
    expect(added.code).toBe(1);
    expect(added.stderr).toContain(`Completion ${forged}: no audit entry records it, so it was added outside Wardkeep.`);
  });
});
