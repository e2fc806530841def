import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { CompletionView } from '../../../shared/domain/completion';
import { loggingWorld } from '../completions/fixture';

/**
 * Issue 13, item 12: backdating is never silent. A technician who missed a calibration logs it 13
 * days later as done on the due day: the record must say when it was entered, the person must say
 * why, the device history and the compliance report (and its CSV) must show it entered late, and
 * no work can be dated before the device was in the inventory.
 */
async function missedSafetyTest() {
  const w = await loggingWorld();
  const plan = await w.call('plans.create', { equipmentId: w.pump.id, task: 'electrical_safety', every: '1y', startDate: '2026-11-25' });
  w.clock.set('2026-12-08T15:00:00Z');
  // Thirteen days on, both sign in again (the idle lock ended their sessions).
  await w.as(w.tom)('auth.signIn', { name: 'Tom Tech', secret: '1357' });
  await w.as(w.admin)('auth.signIn', { name: 'Ada Admin', secret: '2468' });
  const log = (extra: Record<string, unknown>) =>
    w.backend.invoke(w.tom, 'completions.log', { planId: plan.id, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357', ...extra });
  return { w, plan, log };
}

describe('backdated records (item 12)', () => {
  it('asks why work is entered late, keeps when it was entered, and marks it in the history, the compliance report and its CSV', async () => {
    const { w, log } = await missedSafetyTest();
    const silent = await log({ performedAt: '2026-11-25T14:00:00Z' });
    expect(silent).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'lateReason' } });
    expect(silent.ok ? '' : silent.error.message).toContain('done 13 days ago');

    const res = await log({ performedAt: '2026-11-25T14:00:00Z', lateReason: 'Paper form found in the drawer.' });
    expect(res).toMatchObject({ ok: true, value: { performedOn: '2026-11-25', enteredLateOn: '2026-12-08', lateReason: 'Paper form found in the drawer.' } });
    const record = (res as { value: CompletionView }).value;
    expect(record.enteredAt).toBe('2026-12-08T15:00:00.000Z');

    const history = await w.as(w.admin)('reports.history', { equipmentId: w.pump.id });
    expect(history.records.find((r) => r.id === record.id)).toMatchObject({ enteredLateOn: '2026-12-08' });

    const params = { from: '2026-11-01', to: '2026-12-31' };
    const doc = await w.as(w.admin)(
      'reports.compliance',
      params,
    );
    expect(doc.report.total.enteredLate).toBe(1);
    expect(doc.report.highRisk.exceptions).toContainEqual(expect.objectContaining({ task: 'electrical_safety', verdict: 'on_time', enteredOn: '2026-12-08' }));
    const csv = await w.as(w.admin)('reports.complianceCsv', { params, part: 'high_risk' });
    const rows = Papa.parse<Record<string, string>>(csv.content, { header: true, skipEmptyLines: true }).data;
    expect(rows).toContainEqual(expect.objectContaining({ task: 'electrical_safety', verdict: 'on_time', entered_on: '2026-12-08' }));
  });

  it('refuses work dated before the device was in the inventory, and the number of days is a setting', async () => {
    const { w, log } = await missedSafetyTest();
    const before = await log({ performedAt: '2026-11-20T12:00:00Z', lateReason: 'Done at the supplier.' });
    expect(before).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'performedAt' } });
    expect(before.ok ? '' : before.error.message).toContain('before IP-1 was added to the inventory');

    expect(await w.backend.invoke(w.admin, 'settings.update', { lateEntryReasonAfterDays: 20 })).toMatchObject({ ok: true });
    expect(await log({ performedAt: '2026-11-25T14:00:00Z' })).toMatchObject({ ok: true, value: { enteredLateOn: '2026-12-08', lateReason: null } });
  });
});
