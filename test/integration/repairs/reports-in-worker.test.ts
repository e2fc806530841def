import { describe, expect, it } from 'vitest';
import { actorOfUser } from '../../../main/core/context';
import { downtimeCsv, downtimeDocument, downtimeReport } from '../../../main/core/reports/downtime';
import { failuresCsv, failuresDocument } from '../../../main/core/reports/failures';
import { workerRunning } from '../../../main/core/worker/run';
import { failuresWorld } from './fixture';

/**
 * The repairs' reports are worked out in the 'reports' worker thread, as the compliance report is
 * (issue 17): the failures report reads every device in the inventory over its period, the
 * downtime report every device that ever changed status with its whole status history, and at
 * 200,000 devices the downtime report alone held the thread that serves the window for about
 * 100 ms, more as the history grows. What a supervisor reads is what the report says on this
 * thread, at this thread's clock, headed with who asked.
 */
const PERIOD = { from: '2026-11-25', to: '2026-11-26' };

async function world() {
  const w = await failuresWorld();
  const user = w.core.db.prepare("SELECT id, name, role FROM users WHERE name = 'Ada Admin'").get() as {
    id: string;
    name: string;
    role: 'admin';
  };
  return { ...w, actor: actorOfUser(user) };
}

describe("the repairs' reports in the 'reports' worker", () => {
  it('the downtime and failures reports, their CSV files and printouts are answered from the worker, as this thread works them out', async () => {
    const w = await world();
    // REF-1 taken out of use on 27 November and not back: a spell "to now", by the asking thread's clock.
    const ref = w.core.db.prepare("SELECT id FROM equipment WHERE asset_tag = 'REF-1'").pluck().get() as string;
    w.clock.set('2026-11-27T15:00:00Z');
    w.admin.lastActivityMs = w.clock.now().getTime();
    await w.call('equipment.setStatus', { id: ref, status: 'out_of_service', reason: 'Cracked case' });
    w.clock.set('2026-11-28T09:30:00Z');
    w.admin.lastActivityMs = w.clock.now().getTime();
    const period = { from: '2026-11-25', to: '2026-11-30' };
    expect(workerRunning(w.core, 'reports')).toBe(false);

    const downtime = await w.call('reports.downtime', period);
    expect(workerRunning(w.core, 'reports')).toBe(true);
    expect(downtime).toEqual(downtimeReport(w.core, period));
    // To now, the asking thread's now: 18 h 30 min.
    expect(downtime.devices.find((d) => d.assetTag === 'REF-1')?.spells.at(-1)).toMatchObject({ end: null, minutes: 18 * 60 + 30 });
    expect(await w.call('reports.downtimeCsv', period)).toEqual(downtimeCsv(w.core, period));
    const printed = await w.call('reports.downtimeDocument', period);
    expect(printed).toEqual(downtimeDocument(w.core, w.actor, period));
    expect(printed.header.printedBy).toContain('Ada Admin');

    const failures = await w.call('reports.failures', PERIOD);
    expect(failures).toEqual(failuresDocument(w.core, w.actor, PERIOD));
    expect(failures.report.total.workOrders).toBe(4);
    for (const part of ['summary', 'work_orders'] as const)
      expect(await w.call('reports.failuresCsv', { params: PERIOD, part })).toEqual(failuresCsv(w.core, PERIOD, part));
  });

  it('the window is answered while a report is worked out: the due list comes back before the report does', async () => {
    const w = await world();
    for (const [channel, input] of [
      ['reports.downtime', PERIOD],
      ['reports.failures', PERIOD],
    ] as const) {
      const order: string[] = [];
      const report = w.backend.invoke(w.admin, channel, input).then((r) => order.push(r.ok ? channel : `refused: ${r.error.message}`));
      const due = w.backend.invoke(w.admin, 'due.today', {}).then((r) => order.push(r.ok ? 'due list' : `refused: ${r.error.message}`));
      await Promise.all([report, due]);
      expect(order).toEqual(['due list', channel]);
    }
  });

  it('bad input is refused in a sentence naming the field, before any worker is asked', async () => {
    const w = await world();
    const res = await w.backend.invoke(w.admin, 'reports.downtime', { from: '2026-11-30', to: 'yesterday' });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.field).toBe('to');
    expect(workerRunning(w.core, 'reports')).toBe(false);
  });
});
