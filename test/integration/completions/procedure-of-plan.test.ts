import { describe, expect, it } from 'vitest';
import { loggingWorld, threePoints } from './fixture';

/**
 * The procedure a record is judged by is the plan's (docs/records.md): the plan's own points when it
 * has them, else its category's. A record sent with another owner's procedure id is refused, as
 * the form that sent it is out of date; an older version of the same owner's stays accepted.
 */

const tight = (tolerance: number) => ({
  kind: 'measurements' as const,
  points: [
    { label: 'Flow 10 ml/h', unit: 'ml/h', nominal: 10, toleranceKind: 'percent' as const, tolerance },
    { label: 'Flow 100 ml/h', unit: 'ml/h', nominal: 100, toleranceKind: 'percent' as const, tolerance },
    { label: 'Occlusion pressure', unit: 'mmHg', nominal: 500, toleranceKind: 'absolute' as const, tolerance: 10 },
  ],
});

describe('a calibration of a plan with its own points', () => {
  it("cannot be judged against the category's looser points: refused, and the plan stays due", async () => {
    const w = await loggingWorld();
    // This pump's plan has its own points, ±1 % (the category's are ±5 %).
    const own = await w.call('procedures.save', { owner: { kind: 'plan', planId: w.pumpPlan.id }, task: 'calibration', definition: tight(1) });
    expect((await w.as(w.tom)('log.form', { planId: w.pumpPlan.id })).procedure?.id).toBe(own.id);
    // 10.4 ml/h is out of this plan's ±1 % but inside the category's ±5 %: sent against the category's points.
    const res = await w.backend.invoke(w.tom, 'completions.log', {
      planId: w.pumpPlan.id,
      result: threePoints([[10.4, null], [104, null], [540, null]], w.analyser.id, w.calibration.id),
      secret: '1357',
    });
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'result.procedureId' } });
    if (!res.ok) expect(res.error.message).toMatch(/not the one for this plan/);
    expect((await w.call('plans.list', { equipmentId: w.pump.id })).plans[0]).toMatchObject({ nextDue: '2026-11-01' });
    expect(w.count('completions')).toBe(1);
  });

  it('is judged against its own points, and an older version of them is still accepted (a form opened before they changed)', async () => {
    const w = await loggingWorld();
    const v1 = await w.call('procedures.save', { owner: { kind: 'plan', planId: w.pumpPlan.id }, task: 'calibration', definition: tight(1) });
    await w.call('procedures.save', { owner: { kind: 'plan', planId: w.pumpPlan.id }, task: 'calibration', definition: tight(2) });
    const fail = await w.as(w.tom)('completions.log', {
      planId: w.pumpPlan.id,
      result: threePoints([[10.4, null], [100, null], [500, null]], w.analyser.id, v1.id),
      secret: '1357',
    });
    expect(fail).toMatchObject({ outcome: 'fail', procedure: { id: v1.id, version: 1 } });
  });
});

describe("a calibration of a plan without its own points is judged against its category's", () => {
  it('current or older version', async () => {
    const w = await loggingWorld();
    const v2 = await w.call('procedures.save', { owner: { kind: 'category', categoryId: w.pumps.id }, task: 'calibration', definition: tight(3) });
    const byOlder = await w.as(w.tom)('completions.log', {
      planId: w.pumpPlan.id,
      result: threePoints([[10.4, null], [104, null], [540, null]], w.analyser.id, w.calibration.id),
      secret: '1357',
    });
    expect(byOlder).toMatchObject({ outcome: 'pass', procedure: { id: w.calibration.id } });
    const byCurrent = await w.as(w.tom)('completions.log', {
      planId: w.pumpPlan.id,
      result: threePoints([[10.4, null], [104, null], [500, null]], w.analyser.id, v2.id),
      secret: '1357',
    });
    expect(byCurrent).toMatchObject({ outcome: 'fail', procedure: { id: v2.id } });
  });

  it("but not against another plan's own points", async () => {
    const w = await loggingWorld();
    const other = await w.call('equipment.create', { assetTag: 'IP-2', name: 'Infusion pump', locationId: w.site.id, categoryId: w.pumps.id, risk: 'high' });
    const otherPlan = (await w.call('plans.list', { equipmentId: other.id })).plans.find((p) => p.task === 'calibration')
      ?? (await w.call('plans.create', { equipmentId: other.id, task: 'calibration', every: '1y', startDate: '2026-11-01' }));
    const theirs = await w.call('procedures.save', { owner: { kind: 'plan', planId: otherPlan.id }, task: 'calibration', definition: tight(10) });
    const res = await w.backend.invoke(w.tom, 'completions.log', {
      planId: w.pumpPlan.id,
      result: threePoints([[10.4, null], [104, null], [540, null]], w.analyser.id, theirs.id),
      secret: '1357',
    });
    expect(res).toMatchObject({ ok: false, error: { field: 'result.procedureId' } });
  });
});
