import { describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core/context';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { recordCompletion } from '../../../main/core/completions/record';
import { createPlan } from '../../../main/core/plans/service';
import { applyStockCheck, previewStockCheck, stockCheckRecord } from '../../../main/core/stock/checks';
import { levelView, useStock, writeTransaction } from '../../../main/core/stock/ledger';
import type { StockCheckLine } from '../../../shared/domain/stock';
import { PlanFields } from '../../../shared/domain/plan';
import { testActor } from '../../helpers/core';
import { item, ledgerProblems, level, stockLocation } from '../stock/fixtures';
import { testHub, testPc } from './harness';

/**
 * A count made on a PC that had not yet received a movement made before it on another PC
 * (docs/sync.md, "Stock on hand"): the item's figure is the last count plus the movements after
 * it, so the movement is not taken off (or put on) a second time; the lots still add up to the
 * figure, by the rule in main/core/stock/on-hand.ts; every PC agrees, whatever order rows arrive in.
 * Each PC's tables are checked against the rule stated apart from on-hand.ts (ledgerProblems).
 */
type Pc = Awaited<ReturnType<typeof testPc>>;
const ago = (min: number) => new Date(Math.floor((Date.now() - min * 60_000) / 60_000) * 60_000).toISOString();
const today = () => new Date().toISOString().slice(0, 10);

function count(core: Core, planId: string, cart: string, itemId: string, counted: number, at: string, discards: StockCheckLine['discards'] = []) {
  const lines: StockCheckLine[] = [{ itemId, counted, restock: [], discards, note: null }];
  return inTransaction(core, (w) => {
    const preview = previewStockCheck(w, { stockLocationId: cart, lines, at });
    const c = recordCompletion(w, testActor, { planId, performedAt: at, outcome: preview.outcome, source: 'app', details: { stockCheck: { reasons: preview.reasons } } });
    return applyStockCheck(w, testActor, { completionId: c.id, stockLocationId: cart, lines, at });
  });
}
function use(core: Core, cart: string, itemId: string, quantity: number, at: string, lotId: string | null = null) {
  inTransaction(core, (w) => useStock(w, testActor, { at, completionId: null }, { stockLocationId: cart, itemId, quantity, lotId }));
}
function restock(core: Core, cart: string, itemId: string, quantity: number, lot: string, expiresOn: string, at: string) {
  inTransaction(core, (w) =>
    writeTransaction(w, testActor, { stockLocationId: cart, at, completionId: null }, { itemId, kind: 'restock', lot: { lot, expiresOn }, delta: quantity, counted: null, reason: null }),
  );
}
const syncAll = async (...pcs: Pc[]) => {
  for (const pc of [...pcs, ...pcs]) await pc.sync();
};

/** What a PC shows of the item: its figure and its lots (number and figure), as the stock screen lists them. */
function shown(pc: Pc, cart: string, itemId: string) {
  const view = levelView(pc.core, cart, itemId, today());
  return { onHand: view.onHand, lots: view.lots.map((l) => [l.lot, l.onHand]) };
}

/** Ward 4B and Emergency, both synced; Crash cart 4B holds 10 pairs of lot P-1 (expires first) and 5 of P-2. */
async function ward() {
  const hub = await testHub();
  const a = await testPc(hub, 'Ward 4B');
  const b = await testPc(hub, 'Emergency');
  const cart = stockLocation(a.core, 'Crash cart 4B');
  const pads = item(a.core, 'PADS', 'Defibrillator pads', 'pair');
  level(a.core, cart, pads, 20, 2);
  restock(a.core, cart, pads, 10, 'P-1', '2030-05-01', ago(120));
  restock(a.core, cart, pads, 5, 'P-2', '2031-01-01', ago(120));
  const plan = inTransaction(a.core, (w) => createPlan(w, testActor, PlanFields.parse({ stockLocationId: cart, task: 'stock_check', every: '1d', startDate: '2025-01-01' })));
  await syncAll(a, b);
  const p2 = levelView(b.core, cart, pads, today()).lots.find((l) => l.lot === 'P-2')!.id;
  return { hub, a, b, cart, pads, plan, p2 };
}

describe('a count on a PC that had not received a use made before it on another PC', () => {
  it('takes the use off once: every PC shows the count and reads its check back alike, the count\'s own shortfall given back to the lot it took from', async () => {
    const { hub, a, b, cart, pads, plan, p2 } = await ward();
    // 3 pairs of P-2 used from Emergency at 09:30; Ward 4B, not synced since, counts 12 on the shelf at 09:40.
    use(b.core, cart, pads, 3, ago(30), p2);
    const check = count(a.core, plan.id, cart, pads, 12, ago(20));
    await syncAll(b, a);
    const expected = { onHand: 12, lots: [['P-1', 10], ['P-2', 2]] };
    expect([shown(a, cart, pads), shown(b, cart, pads)]).toEqual([expected, expected]);
    // A PC joining later gets the rows in another order and reaches the same.
    const c = await testPc(hub, 'Theatres');
    await c.sync();
    expect(shown(c, cart, pads)).toEqual(expected);
    for (const pc of [a, b, c]) expect(ledgerProblems(pc.core)).toEqual([]);
    // Its check reads back alike on every PC: 15 expected, 12 counted, 12 after it.
    for (const pc of [a, b, c]) {
      expect(stockCheckRecord(pc.core, check.completionId!).summary.items.map((i) => [i.expected, i.counted, i.onHand])).toEqual([[15, 12, 12]]);
    }
    // The ledger's own next write on one PC reaches what the other PC computes after the sync.
    use(a.core, cart, pads, 1, ago(5));
    await syncAll(a, b);
    const after = { onHand: 11, lots: [['P-1', 9], ['P-2', 2]] };
    expect([shown(a, cart, pads), shown(b, cart, pads)]).toEqual([after, after]);
    expect(ledgerProblems(a.core)).toEqual([]);
    expect(ledgerProblems(b.core)).toEqual([]);
  });

  it('a count that agreed with the stale record: the figure is the count, the use given back to the lot it took from', async () => {
    const { a, b, cart, pads, plan, p2 } = await ward();
    use(b.core, cart, pads, 3, ago(30), p2);
    count(a.core, plan.id, cart, pads, 15, ago(20));
    await syncAll(a, b);
    const expected = { onHand: 15, lots: [['P-1', 10], ['P-2', 5]] };
    expect([shown(a, cart, pads), shown(b, cart, pads)]).toEqual([expected, expected]);
    expect(ledgerProblems(a.core)).toEqual([]);
    expect(ledgerProblems(b.core)).toEqual([]);
  });

  it('a restock the counting PC had not received is not put on twice: the count\'s surplus on the unrecorded lot is taken back', async () => {
    const { a, b, cart, pads, plan } = await ward();
    restock(b.core, cart, pads, 4, 'P-3', '2031-06-01', ago(30));
    count(a.core, plan.id, cart, pads, 19, ago(20));
    await syncAll(b, a);
    const expected = { onHand: 19, lots: [['P-1', 10], ['P-2', 5], ['P-3', 4]] };
    expect([shown(a, cart, pads), shown(b, cart, pads)]).toEqual([expected, expected]);
    expect(ledgerProblems(a.core)).toEqual([]);
    expect(ledgerProblems(b.core)).toEqual([]);
  });

  it('a check\'s own discards come after its count, and a use logged after the count on the other PC still comes off', async () => {
    const { a, b, cart, pads, plan, p2 } = await ward();
    // Counted 15, 2 of P-2 discarded in the same check: 13; then 1 used on Emergency at 09:50.
    count(a.core, plan.id, cart, pads, 15, ago(20), [{ lotId: p2, quantity: 2 }]);
    use(b.core, cart, pads, 1, ago(10), p2);
    await syncAll(b, a);
    const expected = { onHand: 12, lots: [['P-1', 10], ['P-2', 2]] };
    expect([shown(a, cart, pads), shown(b, cart, pads)]).toEqual([expected, expected]);
    expect(ledgerProblems(a.core)).toEqual([]);
    expect(ledgerProblems(b.core)).toEqual([]);
  });
});
