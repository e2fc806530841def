import { existsSync, renameSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { describe, expect, it, vi } from 'vitest';
import { complianceCsv, complianceDocument } from '../../../main/core/reports/compliance';
import { runJob, stopWorker, workerRunning } from '../../../main/core/worker/run';
import { actorOfUser } from '../../../main/core/context';
import { complianceShares, SHARE_FROM_PLANS } from '../../../main/core/reports/compliance-shares';
import { manyPlans, Q1, ward } from './worker-ward';

/**
 * The compliance report is worked out in the 'reports' worker thread (issue 17): a year's report at
 * a hospital's size takes seconds, and on the thread that serves the window it held every other
 * answer back meanwhile (and Windows greys out a window held for five seconds). What a supervisor
 * reads must be the same as before, at the main thread's clock.
 */
describe('the compliance report in its own worker thread', () => {
  it("the channel answers what the report says on this thread, judged on the main thread clock's day, headed with who asked", async () => {
    const { core, clock, backend, signedIn, user } = ward();
    // Asked in mid-February: the period is not over, February's occurrence is still open.
    clock.set('2025-02-20T09:00:00Z');
    const session = signedIn();
    const res = await backend.invoke(session, 'reports.compliance', Q1);
    if (!res.ok) throw new Error(res.error.message);
    expect(workerRunning(core, 'reports')).toBe(true);
    // One plan: worked out whole in one worker, no second one started for it.
    expect(workerRunning(core, 'reports-2')).toBe(false);
    expect(res.value).toEqual(complianceDocument(core, actorOfUser(user), Q1));
    expect(res.value.report.judgedOn).toBe('2025-02-20');
    expect(res.value.report.periodOver).toBe(false);
    expect(res.value.header.printedBy).toContain('Sam Supervisor');

    // Later on the same worker: its clock is the main thread's again, not the first job's.
    clock.set('2025-04-15T09:00:00Z');
    const later = await backend.invoke(signedIn(), 'reports.compliance', Q1);
    if (!later.ok) throw new Error(later.error.message);
    expect(later.value.report.judgedOn).toBe('2025-03-31');
    expect(later.value.report.periodOver).toBe(true);

    const csv = await backend.invoke(signedIn(), 'reports.complianceCsv', { params: Q1, part: 'summary' });
    if (!csv.ok) throw new Error(csv.error.message);
    expect(csv.value).toEqual(complianceCsv(core, Q1, 'summary'));
  });

  it("at a hospital's size two workers share the report's plans, and the channel answers what this thread works out whole", async () => {
    const { core, clock, backend, signedIn, user } = ward();
    manyPlans(core, SHARE_FROM_PLANS + 100);
    clock.set('2025-04-20T09:00:00Z');
    const res = await backend.invoke(signedIn(), 'reports.compliance', Q1);
    if (!res.ok) throw new Error(res.error.message);
    // Both workers ran: on a PC of one core, one.
    expect(workerRunning(core, 'reports')).toBe(true);
    expect(workerRunning(core, 'reports-2')).toBe(availableParallelism() >= 2);
    const whole = complianceDocument(core, actorOfUser(user), Q1);
    expect(res.value).toEqual(whole);
    // What a supervisor reads: every plan counted once, the misses and the late ones listed.
    const n = SHARE_FROM_PLANS + 100;
    expect(whole.report.rows).toEqual([expect.objectContaining({ task: 'calibration', risk: 'high', plans: n + 1 })]);
    // Every seventh pump's February and March, and the ward's own defibrillator's.
    expect(whole.report.total.missed).toBe(2 * Math.floor(n / 7) + 2);
    expect(whole.report.highRisk.devices).toBe(n + 1);
    expect(whole.report.highRisk.exceptions.length).toBeGreaterThan(2 * Math.floor(n / 7));
    for (const part of ['summary', 'high_risk'] as const) {
      const csv = await backend.invoke(signedIn(), 'reports.complianceCsv', { params: Q1, part });
      if (!csv.ok) throw new Error(csv.error.message);
      expect(csv.value).toEqual(complianceCsv(core, Q1, part));
    }
  });

  it("the shares pass through this thread (the window's) as bytes, moved on to the worker that adds them up, never rebuilt here", async () => {
    const { core, clock, user } = ward();
    manyPlans(core, SHARE_FROM_PLANS + 100);
    clock.set('2025-04-20T09:00:00Z');
    const shares = await complianceShares(core, Q1);
    if (!shares) throw new Error('The report was not shared.');
    expect(shares).toHaveLength(Math.min(2, availableParallelism()));
    for (const s of shares) {
      expect(Object.keys(s)).toEqual(['packed']);
      expect(s.packed.byteLength).toBeGreaterThan(1000);
    }
    const doc = await runJob(core, 'reports.compliance', { params: Q1, actor: actorOfUser(user), shares }, { lane: 'reports' });
    // Moved, not copied: nothing of them is left on this thread.
    expect(shares.map((s) => s.packed.byteLength)).toEqual(shares.map(() => 0));
    expect(doc).toEqual(complianceDocument(core, actorOfUser(user), Q1));
  });

  it('the window is answered while a report is worked out: the due list comes back before the report does', async () => {
    const { backend, signedIn } = ward();
    const session = signedIn();
    const order: string[] = [];
    const report = backend.invoke(session, 'reports.compliance', Q1).then((r) => {
      order.push(r.ok ? 'report' : `report refused: ${r.error.message}`);
    });
    const due = backend.invoke(session, 'due.today', {}).then((r) => {
      order.push(r.ok ? 'due list' : `due list refused: ${r.error.message}`);
    });
    await Promise.all([report, due]);
    expect(order).toEqual(['due list', 'report']);
  });

  it('closing Wardkeep does not wait for a report: the worker stops it at its next slice of plans, and nothing is answered', async () => {
    const { core, user } = ward();
    const outcome = runJob(core, 'reports.compliance', { params: Q1, actor: actorOfUser(user) }, { lane: 'reports' }).then(
      () => 'answered',
      (err: Error) => err.message,
    );
    // As the app's quit does (lifecycle.ts): the stop is asked for while the report is under way.
    await stopWorker(core);
    expect(await outcome).toBe('The report was not finished: Wardkeep is closing.');
    expect(workerRunning(core, 'reports')).toBe(false);
  });

  it('a report stopped by closing is answered in its sentence through the channel, and is not logged as a fault', async () => {
    const { core, backend, signedIn } = ward();
    // This backend's log throws: a stop logged as an internal error would fail the call.
    const answer = backend.invoke(signedIn(), 'reports.compliance', Q1);
    await vi.waitFor(() => expect(workerRunning(core, 'reports')).toBe(true));
    await stopWorker(core);
    expect(await answer).toEqual({ ok: false, error: { code: 'internal', message: 'The report was not finished: Wardkeep is closing.' } });
  });

  it('the data folder moved away while Wardkeep is open: the report is refused in words, and no empty database is made in its place', async () => {
    const { core, user } = ward();
    const moved = `${core.dataDir}-moved`;
    // The window's connection keeps the file it opened; the path no longer leads to it.
    renameSync(core.dataDir, moved);
    try {
      const outcome = await runJob(core, 'reports.compliance', { params: Q1, actor: actorOfUser(user) }, { lane: 'reports' }).then(
        () => 'answered',
        (err: Error) => err.message,
      );
      expect(outcome).toContain(`The database is no longer in ${core.dataDir}: it was moved or deleted while Wardkeep was open.`);
      expect(existsSync(core.dataDir)).toBe(false);
    } finally {
      renameSync(moved, core.dataDir);
    }
  });
});
