import { describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core/context';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { recordCompletion } from '../../../main/core/completions/record';
import { AppError } from '../../../main/core/errors';
import { createPlan } from '../../../main/core/plans/service';
import { applyStockCheck, previewStockCheck } from '../../../main/core/stock/checks';
import { discardStock, levelView, useStock, writeTransaction } from '../../../main/core/stock/ledger';
import type { StockCheckLine } from '../../../shared/domain/stock';
import { PlanFields } from '../../../shared/domain/plan';
import { testActor, testBackend } from '../../helpers/core';
import { testHub, testPc } from '../sync/harness';
import { item, ledgerProblems, level, stockLocation } from './fixtures';

/**
 * Stock counted and used on two PCs of one hub while apart (docs/sync.md, "Stock on hand" and "Known limits"; docs/records.md).
 * The last units used on both PCs take the figure below zero on both after sync, since each PC took
 * them off: the cart can still be restocked, nothing more is taken off what is not on record (refused
 * in words, never an internal error), and the next count sets the item and every lot right.
 */
type Pc = Awaited<ReturnType<typeof testPc>>;
const ago = (min: number) => new Date(Math.floor((Date.now() - min * 60_000) / 60_000) * 60_000).toISOString();
const today = () => ago(0).slice(0, 10);

function count(core: Core, planId: string, cart: string, itemId: string, counted: number, at: string) {
  const lines: StockCheckLine[] = [{ itemId, counted, restock: [], discards: [], note: null }];
  return inTransaction(core, (w) => {
    const preview = previewStockCheck(w, { stockLocationId: cart, lines, at });
    const c = recordCompletion(w, testActor, { planId, performedAt: at, outcome: preview.outcome, source: 'app', details: { stockCheck: { reasons: preview.reasons } } });
    return applyStockCheck(w, testActor, { completionId: c.id, stockLocationId: cart, lines, at });
  });
}
function use(core: Core, cart: string, itemId: string, quantity: number, at: string) {
  inTransaction(core, (w) => useStock(w, testActor, { at, completionId: null }, { stockLocationId: cart, itemId, quantity, lotId: null }));
}
function restock(core: Core, cart: string, itemId: string, quantity: number, lot: string, at: string) {
  inTransaction(core, (w) =>
    writeTransaction(w, testActor, { stockLocationId: cart, at, completionId: null }, { itemId, kind: 'restock', lot: { lot, expiresOn: '2030-05-01' }, delta: quantity, counted: null, reason: null }),
  );
}
const onHand = (pc: Pc, cart: string, itemId: string) =>
  pc.core.db.prepare('SELECT on_hand FROM stock_levels WHERE stock_location_id = ? AND item_id = ?').pluck().get(cart, itemId) as number;
const syncAll = async (...pcs: Pc[]) => {
  for (const pc of [...pcs, ...pcs]) await pc.sync();
};

/** Ward 4B and Emergency, both synced, Crash cart 4B holding `start` pairs of pads (lot P-1). */
async function ward(start: number) {
  const hub = await testHub();
  // Ward 4B's PC with the app's back end, a supervisor signed in (the stock dialog's channels).
  const app = testBackend('supervisor');
  const a = await testPc(hub, 'Ward 4B', { core: app.core });
  const b = await testPc(hub, 'Emergency');
  const cart = stockLocation(a.core, 'Crash cart 4B');
  const pads = item(a.core, 'PADS', 'Defibrillator pads', 'pair');
  level(a.core, cart, pads, 10, 2);
  restock(a.core, cart, pads, start, 'P-1', ago(120));
  const plan = inTransaction(a.core, (w) => createPlan(w, testActor, PlanFields.parse({ stockLocationId: cart, task: 'stock_check', every: '1d', startDate: '2025-01-01' })));
  await syncAll(a, b);
  return { a, b, cart, pads, plan, app };
}

/** The last 2 pairs used on each PC while apart: -2 on both after sync. */
async function usedTwice() {
  const w = await ward(2);
  use(w.a.core, w.cart, w.pads, 2, ago(40));
  use(w.b.core, w.cart, w.pads, 2, ago(35));
  await syncAll(w.a, w.b);
  expect([onHand(w.a, w.cart, w.pads), onHand(w.b, w.cart, w.pads)]).toEqual([-2, -2]);
  // Below zero, and by the rule: stock was taken off on two PCs since the last count.
  expect(ledgerProblems(w.a.core)).toEqual([]);
  expect(ledgerProblems(w.b.core)).toEqual([]);
  return w;
}

describe('stock below zero after the last units were used on two PCs', () => {
  it('a count of the empty shelf sets it to 0 with no lot left below zero, nor another lot left holding what the shelf does not; every PC agrees', async () => {
    const { a, b, cart, pads, plan } = await usedTwice();
    count(a.core, plan.id, cart, pads, 0, ago(10));
    const view = levelView(a.core, cart, pads, today());
    expect(view.onHand).toBe(0);
    expect(view.lots).toEqual([]);
    expect(ledgerProblems(a.core)).toEqual([]);
    await syncAll(a, b);
    expect(onHand(b, cart, pads)).toBe(0);
    expect(levelView(b.core, cart, pads, today()).lots).toEqual([]);
    expect(ledgerProblems(b.core)).toEqual([]);
  });

  it('a count of 3 after a new lot of 3 was restocked: the lot below zero is counted back to 0, the new lot keeps its 3', async () => {
    const { a, cart, pads, plan } = await usedTwice();
    restock(a.core, cart, pads, 3, 'P-2', ago(20));
    count(a.core, plan.id, cart, pads, 3, ago(10));
    const view = levelView(a.core, cart, pads, today());
    expect(view.onHand).toBe(3);
    expect(view.lots.map((l) => [l.lot, l.onHand])).toEqual([['P-2', 3]]);
    expect(ledgerProblems(a.core)).toEqual([]);
  });

  it('"Count" in the stock dialog of the empty shelf does the same: 0, no lot below zero', async () => {
    const { a, app, cart, pads } = await usedTwice();
    expect(await app.backend.invoke(app.session, 'stock.count', { stockLocationId: cart, itemId: pads, counted: 0, note: null })).toMatchObject({
      ok: true,
      value: { onHand: 0, lots: [] },
    });
    expect(ledgerProblems(a.core)).toEqual([]);
  });

  it('the cart can be restocked: the figure goes up from below zero', async () => {
    const { a, cart, pads } = await usedTwice();
    restock(a.core, cart, pads, 1, 'P-2', ago(5));
    expect(onHand(a, cart, pads)).toBe(-1);
    expect(ledgerProblems(a.core)).toEqual([]);
  });

  it('a new lot discarded whole while the figure is below it is refused in words, naming what is on record, never an internal error', async () => {
    const { a, cart, pads } = await usedTwice();
    restock(a.core, cart, pads, 3, 'P-2', ago(5));
    const lot = levelView(a.core, cart, pads, today()).lots.find((l) => l.lot === 'P-2')!;
    let thrown: unknown = null;
    try {
      inTransaction(a.core, (w) => discardStock(w, testActor, { lotId: lot.id, quantity: null, reason: null, expectedOnHand: 3 }));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({
      field: 'quantity',
      message:
        'Defibrillator pads (PADS): only 1 pair is on record at Crash cart 4B in all, less than its lots hold (stock used on two PCs at once took the figure below zero), so 3 cannot be discarded. Count the shelf first: the count sets the record right.',
    });
    expect(onHand(a, cart, pads)).toBe(1);
    expect(ledgerProblems(a.core)).toEqual([]);
  });
});

describe('lots below zero are listed', () => {
  it('with their figure, so the lots shown add up to the figure shown', async () => {
    const { a, b, cart, pads } = await usedTwice();
    for (const pc of [a, b]) {
      const view = levelView(pc.core, cart, pads, today());
      expect(view.lots.map((l) => [l.lot, l.onHand])).toEqual([['P-1', -2]]);
      expect(view.lots.reduce((n, l) => n + l.onHand, 0)).toBe(view.onHand);
    }
    // The lot below zero by the rule, as the item: uses on two PCs since the last count.
    expect(ledgerProblems(a.core)).toEqual([]);
  });

  it('after the lots on hand, so what defaults to the first lot (the stock dialog\'s discard) is one on hand', async () => {
    const { a, cart, pads } = await usedTwice();
    restock(a.core, cart, pads, 3, 'P-2', ago(5));
    const view = levelView(a.core, cart, pads, today());
    expect(view.onHand).toBe(1);
    expect(view.lots.map((l) => [l.lot, l.onHand])).toEqual([
      ['P-2', 3],
      ['P-1', -2],
    ]);
  });
});

/**
 * A count is the figure from then on (docs/sync.md, "Stock on hand"): the same shelf counted on two
 * PCs while apart is not taken off twice once both have synced.
 */
describe('a count that did not know of a movement on another PC', () => {
  it('the same shelf counted on two PCs while apart: both PCs show the count, its lot taken off once; the next count agrees', async () => {
    const { a, b, cart, pads, plan } = await ward(10);
    count(a.core, plan.id, cart, pads, 7, ago(30));
    count(b.core, plan.id, cart, pads, 7, ago(20));
    await syncAll(a, b);
    expect([onHand(a, cart, pads), onHand(b, cart, pads)]).toEqual([7, 7]);
    for (const pc of [a, b]) expect(levelView(pc.core, cart, pads, today()).lots.map((l) => [l.lot, l.onHand])).toEqual([['P-1', 7]]);
    for (const pc of [a, b]) expect(ledgerProblems(pc.core)).toEqual([]);
    count(a.core, plan.id, cart, pads, 7, ago(5));
    await syncAll(a, b);
    expect([onHand(a, cart, pads), onHand(b, cart, pads)]).toEqual([7, 7]);
    for (const pc of [a, b]) expect(levelView(pc.core, cart, pads, today()).lots.map((l) => [l.lot, l.onHand])).toEqual([['P-1', 7]]);
    for (const pc of [a, b]) expect(ledgerProblems(pc.core)).toEqual([]);
  });
});
