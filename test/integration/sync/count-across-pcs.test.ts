import { describe, expect, it } from 'vitest';
import { stockCheckRecord } from '../../../main/core/stock/checks';
import { levelView } from '../../../main/core/stock/ledger';
import { ledgerProblems } from '../stock/fixtures';
import type { Pc } from './cart-across-pcs';
import { ago, count, restock, syncAll, use, ward } from './cart-across-pcs';
import { testPc } from './harness';

/**
 * A count made on a PC that had not yet received a movement made before it on another PC
 * (docs/sync.md, "Stock on hand"): the item's figure is the last count plus the movements after
 * it, so the movement is not taken off (or put on) a second time; the lots still add up to the
 * figure, by the rule in main/core/stock/on-hand.ts; every PC agrees, whatever order rows arrive in.
 * Each PC's tables are checked against the rule stated apart from on-hand.ts (ledgerProblems).
 */
const today = () => new Date().toISOString().slice(0, 10);

/** What a PC shows of the item: its figure and its lots (number and figure), as the stock screen lists them. */
function shown(pc: Pc, cart: string, itemId: string) {
  const view = levelView(pc.core, cart, itemId, today());
  return { onHand: view.onHand, lots: view.lots.map((l) => [l.lot, l.onHand]) };
}

/** The ward (cart-across-pcs.ts), with the id of lot P-2 as Emergency holds it. */
async function wardWithP2() {
  const w = await ward();
  const p2 = levelView(w.b.core, w.cart, w.pads, today()).lots.find((l) => l.lot === 'P-2')!.id;
  return { ...w, p2 };
}

describe('a count on a PC that had not received a use made before it on another PC', () => {
  it('takes the use off once: every PC shows the count and reads its check back alike, the count\'s own shortfall given back to the lot it took from', async () => {
    const { hub, a, b, cart, pads, plan, p2 } = await wardWithP2();
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
    const { a, b, cart, pads, plan, p2 } = await wardWithP2();
    use(b.core, cart, pads, 3, ago(30), p2);
    count(a.core, plan.id, cart, pads, 15, ago(20));
    await syncAll(a, b);
    const expected = { onHand: 15, lots: [['P-1', 10], ['P-2', 5]] };
    expect([shown(a, cart, pads), shown(b, cart, pads)]).toEqual([expected, expected]);
    expect(ledgerProblems(a.core)).toEqual([]);
    expect(ledgerProblems(b.core)).toEqual([]);
  });

  it('a restock the counting PC had not received is not put on twice: the count\'s surplus on the unrecorded lot is taken back', async () => {
    const { a, b, cart, pads, plan } = await wardWithP2();
    restock(b.core, cart, pads, 4, 'P-3', '2031-06-01', ago(30));
    count(a.core, plan.id, cart, pads, 19, ago(20));
    await syncAll(b, a);
    const expected = { onHand: 19, lots: [['P-1', 10], ['P-2', 5], ['P-3', 4]] };
    expect([shown(a, cart, pads), shown(b, cart, pads)]).toEqual([expected, expected]);
    expect(ledgerProblems(a.core)).toEqual([]);
    expect(ledgerProblems(b.core)).toEqual([]);
  });

  it('a check\'s own discards come after its count, and a use logged after the count on the other PC still comes off', async () => {
    const { a, b, cart, pads, plan, p2 } = await wardWithP2();
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
