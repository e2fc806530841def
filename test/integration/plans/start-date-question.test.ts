import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { analysePlanImport, commitPlanImport } from '../../../main/core/plans/import';
import { testActor } from '../../helpers/core';
import { loggingWorld } from '../completions/fixture';

/**
 * A plan's start date decides when its work is first due, so a year typed 2062 for 2026 hides a
 * calibration for decades. Like performed dates and a device's dates (shared/plausible-dates.ts),
 * a start date most likely mistyped is refused with a question naming it until the person confirms it.
 */
describe('a plan start date most likely mistyped', () => {
  it('is asked about when a plan is added years ahead, and saved once confirmed', async () => {
    const w = await loggingWorld();
    const input = { equipmentId: w.pump.id, task: 'electrical_safety', every: '1y', startDate: '2062-11-01' };
    const res = await w.backend.invoke(w.admin, 'plans.create', input);
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'startDate' } });
    if (!res.ok) expect(res.error.message).toMatch(/^Start date is .* more than one interval and a year ahead.*11\/01\/2062.*tick “The dates are right: save them as they are”/);
    expect((await w.call('plans.list', { equipmentId: w.pump.id })).plans.map((p) => p.task)).toEqual(['calibration']);
    expect(await w.backend.invoke(w.admin, 'plans.create', { ...input, confirmDates: true })).toMatchObject({ ok: true, value: { nextDue: '2062-11-01' } });
  });

  it('is asked about when an overdue calibration plan is moved years ahead: it stays overdue until confirmed', async () => {
    const w = await loggingWorld();
    const change = { id: w.pumpPlan.id, every: '1y', mode: 'fixed' as const, startDate: '2062-11-01' };
    expect(await w.backend.invoke(w.admin, 'plans.update', change)).toMatchObject({ ok: false, error: { field: 'startDate' } });
    expect((await w.call('plans.list', { equipmentId: w.pump.id })).plans[0]).toMatchObject({ status: 'overdue', startDate: '2026-11-01' });
    expect(await w.backend.invoke(w.admin, 'plans.update', { ...change, confirmDates: true })).toMatchObject({ ok: true, value: { startDate: '2062-11-01' } });
  });

  it('is asked about before 1970, and for a stock location plan too', async () => {
    const w = await loggingWorld();
    const cart = await w.call('stock.locations.create', { name: 'Crash cart 4B', kind: 'crash_cart', locationId: w.site.id });
    expect(await w.backend.invoke(w.admin, 'plans.create', { stockLocationId: cart.id, task: 'stock_check', every: '1d', startDate: '1926-11-25' })).toMatchObject({
      ok: false,
      error: { field: 'startDate' },
    });
    expect(await w.backend.invoke(w.admin, 'plans.create', { stockLocationId: cart.id, task: 'stock_check', every: '1d', startDate: '2027-12-01' })).toMatchObject({
      ok: false,
      error: { field: 'startDate' },
    });
    expect(await w.backend.invoke(w.admin, 'plans.create', { stockLocationId: cart.id, task: 'stock_check', every: '1d', startDate: '2026-11-26' })).toMatchObject({ ok: true });
  });

  it('is not asked about for usual dates, nor again when a confirmed start date is kept on a later change', async () => {
    const w = await loggingWorld();
    // A plan under way since January, and a yearly one starting next year.
    expect(await w.backend.invoke(w.admin, 'plans.create', { equipmentId: w.pump.id, task: 'electrical_safety', every: '1y', startDate: '2026-01-15' })).toMatchObject({ ok: true });
    expect(await w.backend.invoke(w.admin, 'plans.create', { equipmentId: w.pump.id, task: 'inspection', every: '1y', startDate: '2027-06-01' })).toMatchObject({ ok: true });
    const far = await w.call('plans.update', { id: w.pumpPlan.id, every: '1y', startDate: '2040-01-01', confirmDates: true });
    // Its grace changed, its start date kept: nothing to confirm again.
    expect(await w.backend.invoke(w.admin, 'plans.update', { id: far.id, every: '1y', startDate: '2040-01-01', graceDays: 7 })).toMatchObject({ ok: true, value: { graceDays: 7 } });
  });
});

describe('a plans file with a start date most likely mistyped (wardkeep import plans)', () => {
  it('is imported as written, as `import equipment` takes its dates, with a warning naming the row', async () => {
    const w = await loggingWorld();
    const file = new TextEncoder().encode('asset_tag,task,every,start\nIP-1,electrical_safety,1y,2062-11-01\nREF-1,inspection,1y,2026-12-01\n');
    const analysis = analysePlanImport(w.core, file);
    expect(analysis.problems).toEqual([]);
    expect(analysis.warnings).toEqual([
      { row: 2, column: 'start', message: expect.stringMatching(/^Row 2, column "start": Start date is .*more than one interval and a year ahead.*\(11\/01\/2062\)\. Check the year\.$/) },
    ]);
    expect(inTransaction(w.core, (core) => commitPlanImport(core, testActor, file, { fileName: 'plans.csv' }))).toEqual({ created: 2 });
  });
});
