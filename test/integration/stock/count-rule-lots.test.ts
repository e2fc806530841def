import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replayStock } from '../../../main/core/stock/on-hand';
import { lotId } from '../../../main/core/sync/ids';

/**
 * The on-hand rule of main/core/stock/on-hand.ts on rows given in the order the ledger reads them
 * (minute of `at`, then id): the item's figure is its last count plus the movements after it, and
 * the lots are moved by the rule stated there so they add up to it.
 */
const LOC = 'cart';
const ITEM = 'pads';
const UNRECORDED = lotId(LOC, ITEM, '', null);
type Kind = 'count' | 'restock' | 'use' | 'discard' | 'adjust';
let seq = 0;
function tx(kind: Kind, lot: string | null, delta: number, o: { counted?: number; at?: string; pc?: string; completion?: string } = {}) {
  seq++;
  return {
    id: `t${String(seq).padStart(4, '0')}`,
    kind,
    lot_id: lot,
    delta,
    counted: o.counted ?? null,
    at: o.at ?? '2026-12-04T10:00:00.000Z',
    pc_id: o.pc ?? 'A',
    completion_id: o.completion ?? null,
  };
}
const lot = (id: string, expires: string | null) => ({ id, lot: id === UNRECORDED ? '' : id, expires_on: expires, on_hand: 0 });
const LOTS = [lot('L1', '2030-01-01'), lot('L2', '2031-01-01')];
const figures = (r: ReturnType<typeof replayStock>) => ({ onHand: r.onHand, lots: Object.fromEntries(r.lots) });

describe('stock on hand by the count rule', () => {
  it('with no count, the sum of the deltas', () => {
    const r = replayStock(LOC, ITEM, [tx('restock', 'L1', 10), tx('restock', 'L2', 5), tx('use', 'L2', -2)], LOTS);
    expect(figures(r)).toEqual({ onHand: 13, lots: { L1: 10, L2: 3 } });
  });

  it('a count the counting PC made with everything before it on record: the lots are what its rows wrote', () => {
    const rows = [tx('restock', 'L1', 10), tx('restock', 'L2', 5), tx('count', 'L1', -3, { counted: 12, completion: 'c1' }), tx('discard', 'L2', -1, { completion: 'c1' })];
    expect(figures(replayStock(LOC, ITEM, rows, LOTS))).toEqual({ onHand: 11, lots: { L1: 7, L2: 4 } });
  });

  it('a count that took too much, with nothing of its own to give back: to the lots the movements before it took from, newest first, then the unrecorded lot', () => {
    const rows = [
      tx('restock', 'L1', 10, { at: '2026-12-04T08:00:00.000Z' }),
      tx('restock', 'L2', 5, { at: '2026-12-04T08:00:00.000Z' }),
      tx('use', 'L1', -1, { at: '2026-12-04T09:00:00.000Z', pc: 'B' }),
      tx('use', 'L2', -2, { at: '2026-12-04T09:30:00.000Z', pc: 'B' }),
      // Counted 15 on a PC that had none of B's uses (agreed: one row, no lot); the shelf held 15, so 3 units no one recorded.
      tx('count', null, 0, { counted: 15, completion: 'c1', at: '2026-12-04T09:40:00.000Z' }),
    ];
    expect(figures(replayStock(LOC, ITEM, rows, [...LOTS, lot(UNRECORDED, null)]))).toEqual({ onHand: 15, lots: { L1: 10, L2: 5, [UNRECORDED]: 0 } });
    const more = [...rows.slice(0, 4), tx('count', null, 0, { counted: 16, completion: 'c2', at: '2026-12-04T09:40:00.000Z' })];
    expect(figures(replayStock(LOC, ITEM, more, [...LOTS, lot(UNRECORDED, null)]))).toEqual({ onHand: 16, lots: { L1: 10, L2: 5, [UNRECORDED]: 1 } });
    // No unrecorded lot on record here: the lot with the smallest id takes the rest.
    expect(figures(replayStock(LOC, ITEM, more, LOTS))).toEqual({ onHand: 16, lots: { L1: 11, L2: 5 } });
  });

  it('a count that added too much, with nothing of its own to take back: from the lots soonest to expire, after what the same check discards', () => {
    const rows = [
      tx('restock', 'L1', 3, { at: '2026-12-04T08:00:00.000Z' }),
      tx('restock', 'L2', 5, { at: '2026-12-04T08:00:00.000Z' }),
      tx('restock', 'L2', 4, { at: '2026-12-04T09:00:00.000Z', pc: 'B' }),
      // Counted 8 on a PC without B's restock, 2 of L1 discarded in the same check: the figure is 6.
      tx('count', null, 0, { counted: 8, completion: 'c1', at: '2026-12-04T09:40:00.000Z' }),
      tx('discard', 'L1', -2, { completion: 'c1', at: '2026-12-04T09:40:00.000Z' }),
    ];
    expect(figures(replayStock(LOC, ITEM, rows, LOTS))).toEqual({ onHand: 6, lots: { L1: 0, L2: 6 } });
  });

  it('each count is the figure from then on: what an earlier count got wrong is not carried past a later one', () => {
    const rows = [
      tx('restock', 'L1', 10, { at: '2026-12-04T08:00:00.000Z' }),
      tx('count', 'L1', -3, { counted: 7, pc: 'A', completion: 'c1', at: '2026-12-04T09:00:00.000Z' }),
      tx('count', 'L1', -3, { counted: 7, pc: 'B', completion: 'c2', at: '2026-12-04T09:10:00.000Z' }),
      tx('use', 'L1', -1, { at: '2026-12-04T09:20:00.000Z' }),
      tx('count', null, 0, { counted: 6, pc: 'A', completion: 'c3', at: '2026-12-04T09:30:00.000Z' }),
      tx('restock', 'L2', 2, { at: '2026-12-04T09:40:00.000Z' }),
    ];
    expect(figures(replayStock(LOC, ITEM, rows, LOTS))).toEqual({ onHand: 8, lots: { L1: 6, L2: 2 } });
  });

  it('property: whatever the rows (counts on PCs that lacked movements among them), the lots add up to the figure, and the figure is the last count plus what came after', () => {
    const row = fc.record({
      kind: fc.constantFrom<Kind>('count', 'restock', 'use', 'discard', 'adjust'),
      lot: fc.constantFrom('L1', 'L2', UNRECORDED),
      delta: fc.integer({ min: -6, max: 6 }),
      counted: fc.integer({ min: 0, max: 20 }),
      minute: fc.integer({ min: 0, max: 9 }),
      pc: fc.constantFrom('A', 'B'),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 25 }), (rows) => {
        const txs = rows
          .map((r) => tx(r.kind, r.delta === 0 ? null : r.lot, r.delta, { at: `2026-12-04T10:0${r.minute}:00.000Z`, pc: r.pc, ...(r.kind === 'count' ? { counted: r.counted } : {}) }))
          .sort((x, y) => (x.at === y.at ? (x.id < y.id ? -1 : 1) : x.at < y.at ? -1 : 1));
        const r = replayStock(LOC, ITEM, txs, [...LOTS, lot(UNRECORDED, null)]);
        let figure = 0;
        for (const t of txs) figure = t.kind === 'count' ? t.counted! : figure + t.delta;
        expect(r.onHand).toBe(figure);
        expect([...r.lots.values()].reduce((n, x) => n + x, 0)).toBe(figure);
      }),
    );
  });
});
