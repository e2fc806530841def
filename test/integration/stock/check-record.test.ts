import { describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core/context';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { recordCompletion } from '../../../main/core/completions/record';
import { createPlan } from '../../../main/core/plans/service';
import { applyStockCheck, previewStockCheck } from '../../../main/core/stock/checks';
import type { StockCheckLine } from '../../../shared/domain/stock';
import { PlanFields } from '../../../shared/domain/plan';
import { fixedClock, testActor, testBackend } from '../../helpers/core';
import { call } from '../../helpers/invoke';
import { item, ledgerProblems, level, stock, stockLocation } from './fixtures';

const NOW = '2026-03-10T10:00:00Z';

function logCheck(core: Core, planId: string, cart: string, lines: StockCheckLine[], at = NOW) {
  return inTransaction(core, (core) => {
    const preview = previewStockCheck(core, { stockLocationId: cart, lines, at });
    // As the record form signs it (completions/logging.ts): the reasons it was judged by are kept with it.
    const c = inTransaction(core, (core) =>
      recordCompletion(core, testActor, { planId, performedAt: at, outcome: preview.outcome, source: 'app', details: { stockCheck: { reasons: preview.reasons } } }),
    );
    const summary = applyStockCheck(core, testActor, { completionId: c.id, stockLocationId: cart, lines, at });
    return { completion: c, preview, summary };
  });
}

describe('a recorded stock check is read as it was signed', () => {
  it('keeps its lines after an item it counted is taken off the list', async () => {
    const { core, backend, session } = testBackend('supervisor', { clock: fixedClock(NOW) });
    const cart = stockLocation(core, 'Crash cart 4B');
    const pads = item(core, 'PADS', 'Defibrillator pads', 'pair');
    const gel = item(core, 'GEL', 'ECG gel', 'tube');
    level(core, cart, pads, 4, 2);
    level(core, cart, gel, 4, 1);
    stock(core, cart, pads, 2, 'P-1', '2027-05-01');
    const old = stock(core, cart, gel, 1, 'G-OLD', '2026-03-01');
    const plan = inTransaction(core, (core) =>
      createPlan(core, testActor, PlanFields.parse({ stockLocationId: cart, task: 'stock_check', every: '1d', startDate: '2026-03-10' })),
    );
    const { summary, completion } = logCheck(core, plan.id, cart, [
      { itemId: pads, counted: 2, restock: [], discards: [], note: null },
      { itemId: gel, counted: 1, restock: [], discards: [{ lotId: old, quantity: 1 }], note: null },
    ]);
    expect(summary.items.map((i) => i.name)).toEqual(['Defibrillator pads', 'ECG gel']);
    const before = await call(backend, session, 'stock.checks.get', { completionId: completion.id });
    expect(before.summary.items.map((i) => [i.name, i.counted, i.discarded])).toEqual([
      ['Defibrillator pads', 2, 0],
      ['ECG gel', 1, 1],
    ]);
    // Gel is no longer kept in the cart: nothing of it on hand, so it may be taken off the list.
    await call(backend, session, 'stock.levels.remove', { stockLocationId: cart, itemId: gel });
    const after = await call(backend, session, 'stock.checks.get', { completionId: completion.id });
    expect(after.summary.items.map((i) => [i.name, i.counted, i.discarded])).toEqual([
      ['Defibrillator pads', 2, 0],
      ['ECG gel', 1, 1],
    ]);
    expect(after.summary.totals.discarded).toBe(1);
    expect(ledgerProblems(core)).toEqual([]);
  });

  it('an item not counted in a failed check, taken off the list since: the record still says why it failed', async () => {
    const { core, backend, session } = testBackend('supervisor', { clock: fixedClock(NOW) });
    const cart = stockLocation(core, 'Crash cart 4B');
    const pads = item(core, 'PADS', 'Defibrillator pads', 'pair');
    const gel = item(core, 'GEL', 'ECG gel', 'tube');
    level(core, cart, pads, 4, 2);
    level(core, cart, gel, 4, 0);
    stock(core, cart, pads, 2, 'P-1', '2027-05-01');
    const plan = inTransaction(core, (core) =>
      createPlan(core, testActor, PlanFields.parse({ stockLocationId: cart, task: 'stock_check', every: '1d', startDate: '2026-03-10' })),
    );
    const { summary, completion } = logCheck(core, plan.id, cart, [{ itemId: pads, counted: 2, restock: [], discards: [], note: null }]);
    expect(summary.outcome).toBe('fail');
    await call(backend, session, 'stock.levels.remove', { stockLocationId: cart, itemId: gel });
    const after = await call(backend, session, 'stock.checks.get', { completionId: completion.id });
    expect(after.summary.outcome).toBe('fail');
    expect(after.summary.reasons).toEqual(summary.reasons);
  });
});
