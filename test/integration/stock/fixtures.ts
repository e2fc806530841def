import type { Core } from '../../../main/core/context';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { createStockLocation, createSupplyItem, setStockLevel } from '../../../main/core/stock/catalog';
import { writeTransaction } from '../../../main/core/stock/ledger';
import { StockLocationFields, SupplyItemFields } from '../../../shared/domain/stock-catalog';
import type { StockLocationKind } from '../../../shared/domain/stock-catalog';
import { testActor } from '../../helpers/core';
import { place } from '../plans/fixtures';

export function stockLocation(core: Core, name = 'Crash cart', options: { kind?: StockLocationKind; location?: string } = {}): string {
  const locationId = place(core, options.location ?? 'General Hospital > Ward 4B');
  const input = StockLocationFields.parse({ name, kind: options.kind ?? 'crash_cart', locationId });
  return inTransaction(core, (core) => createStockLocation(core, testActor, input).id);
}

export function item(core: Core, code: string, name = `Item ${code}`, unit = 'each'): string {
  const input = SupplyItemFields.parse({ name, code, unit });
  return inTransaction(core, (core) => createSupplyItem(core, testActor, input).id);
}

export function level(core: Core, stockLocationId: string, itemId: string, par: number, minimum: number): void {
  inTransaction(core, (core) => setStockLevel(core, testActor, { stockLocationId, itemId, par, minimum }));
}

/** Puts stock of a lot on the shelf, as a restock transaction. Returns the lot's id. */
export function stock(core: Core, stockLocationId: string, itemId: string, quantity: number, lot: string, expiresOn: string | null): string {
  return inTransaction(core, (core) => {
    writeTransaction(
      core,
      testActor,
      { stockLocationId, at: core.clock.now().toISOString(), completionId: null },
      { itemId, kind: 'restock', lot: { lot, expiresOn }, delta: quantity, counted: null, reason: null },
    );
    return (
      core.db
        .prepare('SELECT id FROM stock_lots WHERE stock_location_id = ? AND item_id = ? AND lot = ? AND expires_on IS ?')
        .get(stockLocationId, itemId, lot, expiresOn) as { id: string }
    ).id;
  });
}

type Row = { loc: string; item: string };

/**
 * The ledger's invariant, checked from the raw tables by the test's own SQL, apart from
 * main/core/stock/on-hand.ts (docs/sync.md, "Stock on hand"; docs/records.md). For each item kept
 * at each stock location, its transactions taken by the minute of `at`, then id:
 * - its level is its last count's `counted` plus the deltas of the transactions after it (with no
 *   count, the sum of its deltas);
 * - its lots add up to its level;
 * - a lot is the sum of its own transactions, unless a count of the item differed from the figure
 *   before it plus the count's own rows (D: only when its PC lacked a movement made before it); the
 *   lots then differ from their sums only by what such counts put back (D > 0, in all at most their
 *   sum) or took back (D < 0, in all at most theirs);
 * - nothing is below zero, save where stock was used on two PCs at once: since the item's last
 *   count, stock was taken off it (a negative delta that is no count) on two PCs or more. The lot
 *   that takes a count's rest (the unrecorded lot, else the item's lot with the smallest id) may also
 *   be below zero when a count took back more than the lots held (D < 0);
 * - every transaction that changes a figure names a lot.
 * Each problem is a sentence naming the item, its place and the figures.
 */
export function ledgerProblems(core: Core): string[] {
  const problems: string[] = [];
  const levels = core.db
    .prepare(
      `WITH ordered AS (
         SELECT stock_location_id AS loc, item_id AS item, kind, delta, counted,
           row_number() OVER (PARTITION BY stock_location_id, item_id ORDER BY substr(at, 1, 16), id) AS n
         FROM stock_transactions),
       last_count AS (SELECT loc, item, max(n) AS n FROM ordered WHERE kind = 'count' AND counted IS NOT NULL GROUP BY loc, item)
       SELECT l.stock_location_id AS loc, l.item_id AS item, i.code, i.name, p.name AS place, l.on_hand,
         coalesce((SELECT o.counted FROM ordered o JOIN last_count c ON c.loc = o.loc AND c.item = o.item AND c.n = o.n
                   WHERE o.loc = l.stock_location_id AND o.item = l.item_id), 0)
         + coalesce((SELECT sum(o.delta) FROM ordered o LEFT JOIN last_count c ON c.loc = o.loc AND c.item = o.item
                     WHERE o.loc = l.stock_location_id AND o.item = l.item_id AND o.n > coalesce(c.n, 0)), 0) AS by_rule,
         (SELECT coalesce(sum(on_hand), 0) FROM stock_lots s WHERE s.stock_location_id = l.stock_location_id AND s.item_id = l.item_id) AS lots
       FROM stock_levels l JOIN supply_items i ON i.id = l.item_id JOIN stock_locations p ON p.id = l.stock_location_id
       ORDER BY p.name, i.code`,
    )
    .all() as (Row & { code: string; name: string; place: string; on_hand: number; by_rule: number; lots: number })[];
  const history = core.db.prepare(
    `SELECT kind, lot_id, delta, counted, at, pc_id, completion_id FROM stock_transactions
     WHERE stock_location_id = @loc AND item_id = @item ORDER BY substr(at, 1, 16), id`,
  );
  const lotsOf = core.db.prepare(
    `SELECT s.id, s.lot, s.expires_on, s.on_hand, (SELECT coalesce(sum(delta), 0) FROM stock_transactions t WHERE t.lot_id = s.id) AS tx
     FROM stock_lots s WHERE s.stock_location_id = @loc AND s.item_id = @item ORDER BY s.lot, s.expires_on, s.id`,
  );
  type Tx = { kind: string; lot_id: string | null; delta: number; counted: number | null; at: string; pc_id: string; completion_id: string | null };
  type LotFigures = { id: string; lot: string; expires_on: string | null; on_hand: number; tx: number };
  for (const l of levels) {
    const what = `${l.name} (${l.code}) at ${l.place}`;
    if (l.on_hand !== l.by_rule) problems.push(`${what}: on hand ${l.on_hand}, but its last count and the movements after it make ${l.by_rule}`);
    if (l.on_hand !== l.lots) problems.push(`${what}: on hand ${l.on_hand}, but its lots add up to ${l.lots}`);
    // Each count's D: `counted` less the figure before it and its own rows (a count is its run of count rows
    // with the same time, PC, completion and `counted`); and the PCs that took stock off since the last count.
    const txs = history.all(l) as Tx[];
    let figure = 0;
    let putBack = 0;
    let tookBack = 0;
    let takersSince = new Set<string>();
    for (let i = 0; i < txs.length; ) {
      const t = txs[i]!;
      if (t.kind !== 'count' || t.counted === null) {
        figure += t.delta;
        if (t.delta < 0) takersSince.add(t.pc_id);
        i++;
        continue;
      }
      let rows = 0;
      let end = i;
      for (; end < txs.length; end++) {
        const r = txs[end]!;
        if (r.kind !== 'count' || r.at !== t.at || r.pc_id !== t.pc_id || r.completion_id !== t.completion_id || r.counted !== t.counted) break;
        rows += r.delta;
      }
      const d = t.counted - (figure + rows);
      if (d > 0) putBack += d;
      if (d < 0) tookBack -= d;
      figure = t.counted;
      takersSince = new Set();
      i = end;
    }
    const acrossPcs = takersSince.size >= 2;
    if (l.on_hand < 0 && !acrossPcs) problems.push(`${what}: on hand ${l.on_hand}, below zero, but stock was not taken off it on two PCs since its last count`);
    const lots = lotsOf.all(l) as LotFigures[];
    const restLot = lots.find((s) => s.lot === '' && s.expires_on === null) ?? [...lots].sort((a, b) => (a.id < b.id ? -1 : 1))[0];
    let over = 0;
    let under = 0;
    for (const s of lots) {
      const lotWhat = `${what}, lot ${s.lot === '' ? 'with no number' : s.lot}${s.expires_on ? ` (expires ${s.expires_on})` : ''}`;
      if (putBack === 0 && tookBack === 0 && s.on_hand !== s.tx)
        problems.push(`${lotWhat}: on hand ${s.on_hand}, but its transactions add up to ${s.tx} and no count of the item lacked a movement`);
      if (s.on_hand > s.tx) over += s.on_hand - s.tx;
      else under += s.tx - s.on_hand;
      if (s.on_hand < 0 && !acrossPcs && !(tookBack > 0 && s.id === restLot?.id))
        problems.push(`${lotWhat}: on hand ${s.on_hand}, below zero, but stock was not taken off the item on two PCs since its last count`);
    }
    if (putBack + tookBack > 0 && over > putBack)
      problems.push(`${what}: its lots hold ${over} more than their transactions, but its counts that lacked a movement put back ${putBack}`);
    if (putBack + tookBack > 0 && under > tookBack)
      problems.push(`${what}: its lots hold ${under} less than their transactions, but its counts that lacked a movement took back ${tookBack}`);
  }
  // A lot of an item no longer kept at its place: nothing may have moved it but its own transactions.
  const unkept = core.db
    .prepare(
      `SELECT s.id, s.on_hand, (SELECT coalesce(sum(delta), 0) FROM stock_transactions t WHERE t.lot_id = s.id) AS tx FROM stock_lots s
       WHERE NOT EXISTS (SELECT 1 FROM stock_levels l WHERE l.stock_location_id = s.stock_location_id AND l.item_id = s.item_id)`,
    )
    .all() as { id: string; on_hand: number; tx: number }[];
  for (const s of unkept) if (s.on_hand !== s.tx || s.on_hand < 0) problems.push(`lot ${s.id} of an item not kept at its place: on hand ${s.on_hand}, its transactions ${s.tx}`);
  const unlotted = core.db.prepare('SELECT count(*) AS n FROM stock_transactions WHERE lot_id IS NULL AND delta <> 0').get() as { n: number };
  if (unlotted.n > 0) problems.push(`${unlotted.n} transactions change a figure without a lot`);
  return problems;
}

export const onHand = (core: Core, stockLocationId: string, itemId: string): number =>
  (core.db.prepare('SELECT on_hand FROM stock_levels WHERE stock_location_id = ? AND item_id = ?').get(stockLocationId, itemId) as { on_hand: number }).on_hand;

export const lotOnHand = (core: Core, lotId: string): number =>
  (core.db.prepare('SELECT on_hand FROM stock_lots WHERE id = ?').get(lotId) as { on_hand: number }).on_hand;
