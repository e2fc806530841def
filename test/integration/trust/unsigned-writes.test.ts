import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loggingWorld, threePoints } from '../completions/fixture';
import { cli } from './helpers';

/**
 * Issue 13, item 1: no unsigned write. A technician's window (or anything that can reach ipcMain)
 * calls the old unsigned `completions.record` to store a calibration "pass" with no PIN on a pump
 * a failed calibration tagged out; and `wardkeep import history` (no sign-in at all) brings in a
 * "pass" attributed to a current user. Neither may return the pump to service or move its due date.
 */
async function taggedOutPump() {
  const w = await loggingWorld();
  const fail = await w.as(w.tom)('completions.log', {
    planId: w.pumpPlan.id,
    performedAt: '2026-11-25T09:00:00Z',
    result: threePoints([[10, null], [120, 110], [500, null]], w.analyser.id, w.calibration.id),
    secret: '1357',
  });
  expect(fail.outcome).toBe('fail');
  const state = () => ({
    status: (w.core.db.prepare('SELECT status FROM equipment WHERE id = ?').get(w.pump.id) as { status: string }).status,
    plan: w.core.db.prepare('SELECT next_due, last_done_on FROM plans WHERE id = ?').get(w.pumpPlan.id),
    records: (w.core.db.prepare('SELECT count(*) AS n FROM completions').get() as { n: number }).n,
  });
  return { w, state };
}

describe('no unsigned writes (item 1)', () => {
  it('has no channel that records work without a signature, nor any channel the app does not call', async () => {
    const { w, state } = await taggedOutPump();
    const before = state();
    expect(before.status).toBe('out_of_service');
    const res = await w.backend.invoke(w.tom, 'completions.record', {
      planId: w.pumpPlan.id,
      performedAt: '2026-11-25T09:30:00Z',
      outcome: 'pass',
      performedByName: 'Ada Admin',
    });
    expect(res).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(state()).toEqual(before);
    for (const channel of ['equipment.list', 'referenceStandards.list', 'plans.urgent', 'due.counts', 'due.list', 'procedures.forPlan']) {
      expect(await w.backend.invoke(w.tom, channel, {}), channel).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
  });

  it('imports history marked unsigned: it never returns a tagged-out device to service nor changes what the app recorded since', async () => {
    const { w, state } = await taggedOutPump();
    // A plan the app has no signed record of yet: its paper history still counts (marked).
    await w.call('plans.create', { equipmentId: w.pump.id, task: 'inspection', every: '1m', startDate: '2026-11-01' });
    const before = state();
    const dir = w.core.dataDir;
    writeFileSync(
      path.join(dir, 'history.csv'),
      [
        'asset_tag,task,performed_at,outcome,performed_by',
        'IP-1,calibration,2026-11-25T09:45:00Z,pass,Tom Tech',
        'IP-1,calibration,2026-11-02,pass,Tom Tech',
        'IP-1,inspection,2026-11-01,pass,Tom Tech',
      ].join('\n'),
    );
    const res = await cli(['--data-dir', dir, 'import', 'history', path.join(dir, 'history.csv')]);
    expect(res.code).toBe(0);
    const after = state();
    // Still tagged out, still due: the imported "pass" after the signed fail changes nothing.
    expect(after.status).toBe('out_of_service');
    expect(after.plan).toEqual(before.plan);
    expect(after.records).toBe(before.records + 3);

    // Shown as imported and unsigned wherever records are shown.
    const history = await w.as(w.admin)('completions.history', { equipmentId: w.pump.id });
    const imported = history.filter((r) => r.source === 'import');
    expect(imported).toHaveLength(3);
    for (const r of imported) expect(r.signatures).toEqual([]);
    const doc = await w.as(w.admin)('reports.history', { equipmentId: w.pump.id });
    expect(doc.records.filter((r) => r.source === 'import')).toHaveLength(3);

    // Counted apart in the compliance report: the calibration passes change nothing (the signed fail
    // came first); the inspection, with no signed record yet, is done by imported history, marked so.
    const report = await w.as(w.admin)('reports.compliance', {
      from: '2026-11-01',
      to: '2026-11-30',
    });
    expect(report.report.rows.find((r) => r.task === 'calibration')).toMatchObject({ imported: 0, onTime: 0 });
    expect(report.report.rows.find((r) => r.task === 'inspection')).toMatchObject({ imported: 1, onTime: 1 });
    const csv = await w.as(w.admin)('reports.complianceCsv', { params: { from: '2026-11-01', to: '2026-11-30' }, part: 'summary' });
    expect(csv.content.split('\r\n')[0]).toContain('imported_unsigned');
  });
});
