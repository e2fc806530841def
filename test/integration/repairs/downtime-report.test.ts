import { describe, expect, it } from 'vitest';
import type { Session } from '../../../main/core/session';
import { repairsWorld } from './fixture';

/** The downtime report (issue 16). The integration project runs in America/New_York. */
type World = Awaited<ReturnType<typeof repairsWorld>>;

function later(w: World, iso: string, ...active: Session[]) {
  w.clock.set(iso);
  for (const s of [w.admin, w.tom, w.nia, w.sue, ...active]) s.lastActivityMs = w.clock.now().getTime();
}

const setStatus = (w: World, status: 'in_service' | 'out_of_service', reason: string) => w.as(w.sue)('equipment.setStatus', { id: w.pump.id, status, reason });

describe('the downtime report of a past period', () => {
  it('a spell that ended after the period shows when it ended, its minutes those inside the period; only a spell still open lasts "to now"', async () => {
    const w = await repairsWorld();
    later(w, '2026-11-28T15:00:00Z');
    await setStatus(w, 'out_of_service', 'Cracked case');
    later(w, '2026-12-03T15:00:00Z');
    await setStatus(w, 'in_service', 'Case replaced');
    later(w, '2026-12-10T15:00:00Z');
    await setStatus(w, 'out_of_service', 'Alarm');
    // The November report, asked for on 15 December.
    later(w, '2026-12-15T15:00:00Z');
    const november = await w.call('reports.downtime', { from: '2026-11-01', to: '2026-11-30' });
    const ip7 = november.devices.find((d) => d.assetTag === 'IP-7');
    // 28 Nov 10:00 local to 1 Dec 00:00 local.
    expect(ip7?.minutes).toBe((2 * 24 + 14) * 60);
    expect(ip7?.spells).toEqual([
      { start: '2026-11-28T15:00:00.000Z', end: '2026-12-03T15:00:00.000Z', minutes: (2 * 24 + 14) * 60, reason: 'Cracked case', workOrderRef: null },
    ]);
    // December: the same spell from its start, and the one still open, to now.
    const december = await w.call('reports.downtime', { from: '2026-12-01', to: '2026-12-31' });
    expect(december.devices.find((d) => d.assetTag === 'IP-7')?.spells.map((s) => [s.start, s.end, s.minutes])).toEqual([
      ['2026-11-28T15:00:00.000Z', '2026-12-03T15:00:00.000Z', (2 * 24 + 10) * 60],
      ['2026-12-10T15:00:00.000Z', null, 5 * 24 * 60],
    ]);
  });

  it("a device's total is the sum of its spells as printed", async () => {
    const w = await repairsWorld();
    // Two spells of 1.5 minutes each: each prints as 2 min, so the total is 4 min, not 3.
    for (const [out, back] of [
      ['2026-11-25T15:00:00Z', '2026-11-25T15:01:30Z'],
      ['2026-11-25T16:00:00Z', '2026-11-25T16:01:30Z'],
    ] as const) {
      later(w, out);
      await setStatus(w, 'out_of_service', 'Check');
      later(w, back);
      await setStatus(w, 'in_service', 'Fine');
    }
    later(w, '2026-11-26T15:00:00Z');
    const report = await w.call('reports.downtime', { from: '2026-11-25', to: '2026-11-25' });
    const ip7 = report.devices.find((d) => d.assetTag === 'IP-7')!;
    expect(ip7.spells.map((s) => s.minutes)).toEqual([2, 2]);
    expect(ip7.minutes).toBe(4);
    expect(report.categories.find((c) => c.category === ip7.category)?.minutes).toBe(4);
  });
});

describe('status changes whose clocks disagree (two PCs of a hub, or a clock put back)', () => {
  it('a device back in service is never out "to now" because its tag-out was stamped later than its return', async () => {
    const w = await repairsWorld();
    // The ward PC's clock runs 2 hours fast: the nurse's report (true 10:00 local) is stamped 12:00.
    later(w, '2026-11-25T17:00:00Z');
    const { workOrder } = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Occlusion alarm', takeOutOfUse: true, secret: '3579' });
    // The workshop PC's clock is right: the repair, its check and the return by 11:00 true time.
    const tom = w.as(w.tom);
    later(w, '2026-11-25T15:10:00Z');
    await tom('workOrders.take', { id: workOrder.id, secret: '1357' });
    await tom('workOrders.repair', { id: workOrder.id, workDone: 'Sensor', failureCodeId: w.code('failure', 'Mechanical'), causeCodeId: w.code('cause', 'Wear'), secret: '1357' });
    later(w, '2026-11-25T15:30:00Z');
    await tom('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
    later(w, '2026-11-25T16:00:00Z');
    await tom('workOrders.return', { id: workOrder.id, secret: '1357' });
    expect(await w.status()).toBe('in_service');
    // Five days on, the downtime report of that week.
    later(w, '2026-11-30T15:00:00Z');
    const report = await w.call('reports.downtime', { from: '2026-11-23', to: '2026-11-29' });
    const ip7 = report.devices.find((d) => d.assetTag === 'IP-7');
    // Not a week "to now": the stamps cannot say how long it was out, so no more than they allow.
    expect(ip7?.spells.filter((s) => s.end === null) ?? []).toEqual([]);
    expect(ip7?.minutes ?? 0).toBeLessThanOrEqual(120);
  });
});

describe('downtime across the autumn clock change', () => {
  it('a pump out for the whole of 2026-11-01 (New York, a day of 25 hours) is down 1500 minutes that day', async () => {
    const w = await repairsWorld();
    later(w, '2026-10-31T12:00:00Z');
    await w.as(w.tom)('workOrders.report', { equipmentId: w.pump.id, problem: 'Alarm', takeOutOfUse: true, secret: '1357' });
    later(w, '2026-11-03T12:00:00Z');
    const report = await w.as(w.sue)('reports.downtime', { from: '2026-11-01', to: '2026-11-01' });
    expect(report.devices.map((d) => [d.assetTag, d.minutes])).toEqual([['IP-7', 1500]]);
    const two = await w.as(w.sue)('reports.downtime', { from: '2026-11-01', to: '2026-11-02' });
    expect(two.devices.map((d) => [d.assetTag, d.minutes, d.spells[0]?.end])).toEqual([['IP-7', 1500 + 1440, null]]);
  });
});
