import { describe, expect, it } from 'vitest';
import type { Pc } from '../sync/cart-across-pcs';
import { ago, count, use, ward } from '../sync/cart-across-pcs';
import { ledgerProblems } from './fixtures';

/**
 * The test's oracle (fixtures.ts, ledgerProblems) states the count rule apart from
 * main/core/stock/on-hand.ts. It finds nothing in what the app writes, a count across PCs included,
 * and names a figure changed behind the app's back: a raw UPDATE, as anyone with sqlite3 could make.
 */
const PADS = 'Defibrillator pads (PADS) at Crash cart 4B';

const lotIdOf = (pc: Pc, lot: string) => pc.core.db.prepare('SELECT id FROM stock_lots WHERE lot = ?').pluck().get(lot) as string;
/** sqlite3's way: a figure changed with no transaction behind it. */
const raw = (pc: Pc, sql: string, ...params: string[]) => pc.core.db.prepare(sql).run(...params);

describe('the ledger oracle', () => {
  it('after a count that lacked a use made on another PC, finds nothing; a level raised by a raw UPDATE is named, and the lot raised with it too', async () => {
    const { a, b, cart, pads, plan } = await ward();
    // 3 of P-2 used on Emergency; Ward 4B, not synced since, counts 12 (taking 3 off P-1): after sync the
    // figure is 12, and the count's 3 too many is given back to P-1, which no longer is the sum of its rows.
    use(b.core, cart, pads, 3, ago(30), lotIdOf(b, 'P-2'));
    count(a.core, plan.id, cart, pads, 12, ago(20));
    for (const pc of [b, a, b]) await pc.sync();
    expect(ledgerProblems(a.core)).toEqual([]);
    expect(ledgerProblems(b.core)).toEqual([]);

    raw(a, 'UPDATE stock_levels SET on_hand = on_hand + 1');
    expect(ledgerProblems(a.core)).toEqual([
      `${PADS}: on hand 13, but its last count and the movements after it make 12`,
      `${PADS}: on hand 13, but its lots add up to 12`,
    ]);
    // The lot raised as well, so the lots add up to the level: the rule still names the level, and the
    // lots now hold more than the count that lacked the use put back.
    raw(a, 'UPDATE stock_lots SET on_hand = on_hand + 1 WHERE id = ?', lotIdOf(a, 'P-1'));
    expect(ledgerProblems(a.core)).toEqual([
      `${PADS}: on hand 13, but its last count and the movements after it make 12`,
      `${PADS}: its lots hold 4 more than their transactions, but its counts that lacked a movement put back 3`,
    ]);
    expect(ledgerProblems(b.core)).toEqual([]);
  });

  it('names a lot moved below zero where nothing was used on two PCs, and a lot that is not the sum of its rows when no count lacked a movement', async () => {
    const { a } = await ward();
    // 11 moved from P-1 to P-2: the level and the lots' sum stay 15.
    raw(a, 'UPDATE stock_lots SET on_hand = on_hand - 11 WHERE id = ?', lotIdOf(a, 'P-1'));
    raw(a, 'UPDATE stock_lots SET on_hand = on_hand + 11 WHERE id = ?', lotIdOf(a, 'P-2'));
    expect(ledgerProblems(a.core)).toEqual([
      `${PADS}, lot P-1 (expires 2030-05-01): on hand -1, but its transactions add up to 10 and no count of the item lacked a movement`,
      `${PADS}, lot P-1 (expires 2030-05-01): on hand -1, below zero, but stock was not taken off the item on two PCs since its last count`,
      `${PADS}, lot P-2 (expires 2031-01-01): on hand 16, but its transactions add up to 5 and no count of the item lacked a movement`,
    ]);
  });

  it('names a level set below zero, with its lot, where stock was taken off on one PC only', async () => {
    const { a } = await ward();
    raw(a, 'UPDATE stock_levels SET on_hand = -2');
    raw(a, 'UPDATE stock_lots SET on_hand = on_hand - 17 WHERE id = ?', lotIdOf(a, 'P-2'));
    expect(ledgerProblems(a.core)).toEqual([
      `${PADS}: on hand -2, but its last count and the movements after it make 15`,
      `${PADS}: on hand -2, below zero, but stock was not taken off it on two PCs since its last count`,
      `${PADS}, lot P-2 (expires 2031-01-01): on hand -12, but its transactions add up to 5 and no count of the item lacked a movement`,
      `${PADS}, lot P-2 (expires 2031-01-01): on hand -12, below zero, but stock was not taken off the item on two PCs since its last count`,
    ]);
  });
});
