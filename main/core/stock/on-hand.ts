import { fefo } from '../../../shared/domain/stock-rules';
import type { WriteCore } from '../context';
import { command, query } from '../sql/query';
import type { StockLotRow, StockTransactionRow } from '../sql/rows';
import { lotId } from '../sync/ids';

/**
 * Stock on hand of one item at one stock location, from its transactions: the one rule both the
 * ledger's own writes (ledger.ts) and every PC after a sync (sync/derived.ts) use, so they reach
 * the same figures whatever order the rows arrived in (docs/sync.md, "Stock on hand").
 *
 * Order. Transactions are taken by the minute of their `at`, then by id (UUIDv7: the order they
 * were entered, on one PC, and by the moment they were made across PCs). A count's time is given to
 * the minute (the record form's "At"), and what moved within that minute before the count was
 * entered is in it (checks.ts); what was entered after it within the minute came after it. A stock
 * check writes its count rows first, then its discards and restocks (same `at`, later ids): those
 * come after its count, as `counted` is what was on the shelf before anything was taken off or put on.
 *
 * A count is its group of `count` rows (one per lot touched; same `at`, PC, completion and `counted`,
 * one after another in that order). It sets the item's figure to `counted`; the movements after it
 * add their deltas. With no count the figure is the sum of the deltas.
 *
 * Lots. Each lot is replayed the same way: every delta goes to its lot; at a count, the lots are
 * first moved by its rows, then by the difference D = counted − (figure before + the rows' sum), which
 * is not 0 only when the counting PC had not received some movement before the count (it took a
 * use off again, or put a restock on again), so the lots add up to `counted`:
 * - D > 0 (something was taken off twice): given back to the lots the count's own rows took from,
 *   the last taken first, up to what each took; then to the lots the transactions before the count
 *   took from, newest first, up to what each took; the rest to the unrecorded lot;
 * - D < 0 (something was put on twice): taken back from the lots the count's rows added to, the
 *   last first, up to what each added and holds; then from the lots holding stock, soonest to expire
 *   first (ties by lot id), after what the same check discards from each; the rest from the
 *   unrecorded lot (which may go below zero, shown as such).
 * The unrecorded lot is the item's lot with no number and no expiry date; when it is not on record
 * here, the item's lot with the smallest id takes the rest. On the PC that counts, with everything
 * before the count on record, D is 0 and the lots are exactly what the count wrote.
 */

type Tx = Pick<StockTransactionRow, 'id' | 'kind' | 'lot_id' | 'delta' | 'counted' | 'at' | 'pc_id' | 'completion_id'>;
type Lot = Pick<StockLotRow, 'id' | 'lot' | 'expires_on' | 'on_hand'>;
type Key = { loc: string; item: string };

/** The rule's order (above), and the columns it reads, for one item or a whole place. */
const TX_COLUMNS = 'id, item_id, kind, lot_id, delta, counted, at, pc_id, completion_id';
const IN_ORDER = 'ORDER BY substr(at, 1, 16), id';
const LOT_COLUMNS = 'id, item_id, lot, expires_on, on_hand';

const transactionsInOrder = query<Tx, Key>(`SELECT ${TX_COLUMNS} FROM stock_transactions WHERE stock_location_id = @loc AND item_id = @item ${IN_ORDER}`);
const lotsOfItem = query<Lot, Key>(`SELECT ${LOT_COLUMNS} FROM stock_lots WHERE stock_location_id = @loc AND item_id = @item ORDER BY id`);
const placeTransactions = query<Tx & Pick<StockTransactionRow, 'item_id'>, { place: string }>(
  `SELECT ${TX_COLUMNS} FROM stock_transactions WHERE stock_location_id = @place ${IN_ORDER}`,
);
const placeLots = query<Lot & Pick<StockLotRow, 'item_id'>, { place: string }>(`SELECT ${LOT_COLUMNS} FROM stock_lots WHERE stock_location_id = @place ORDER BY id`);

/** Every transaction at a place in the rule's order, and every lot there: for replaying a past moment (a recorded check, checks.ts). */
export function placeHistory(core: Pick<WriteCore, 'db'>, place: string) {
  return { txs: placeTransactions.all(core, { place }), lots: placeLots.all(core, { place }) };
}
const setLevel = command<Key & { onHand: number }>(
  'UPDATE stock_levels SET on_hand = @onHand WHERE stock_location_id = @loc AND item_id = @item AND on_hand <> @onHand',
);
const setLot = command<{ id: string; onHand: number }>('UPDATE stock_lots SET on_hand = @onHand WHERE id = @id AND on_hand <> @onHand');

export interface ItemStock {
  onHand: number;
  /** Each lot of the item on record here, by id. */
  lots: Map<string, number>;
}

const sameCount = (a: Tx, b: Tx) =>
  b.kind === 'count' && a.at === b.at && a.pc_id === b.pc_id && a.completion_id === b.completion_id && a.counted === b.counted;

/** The figures of an item at a place by the rule above, from its transactions and lots (pure). */
export function replayStock(loc: string, item: string, txs: readonly Tx[], lotRows: readonly Lot[]): ItemStock {
  const onRecord = new Set(lotRows.map((l) => l.id));
  const fig = new Map<string, number>(lotRows.map((l) => [l.id, 0]));
  const add = (id: string, n: number) => fig.set(id, (fig.get(id) ?? 0) + n);
  const unrecordedId = lotId(loc, item, '', null);
  const restLot = onRecord.has(unrecordedId) ? unrecordedId : (lotRows[0]?.id ?? null);
  let level = 0;
  let i = 0;
  while (i < txs.length) {
    const tx = txs[i]!;
    if (tx.kind !== 'count' || tx.counted === null) {
      if (tx.lot_id !== null) add(tx.lot_id, tx.delta);
      level += tx.delta;
      i++;
      continue;
    }
    let end = i + 1;
    while (end < txs.length && sameCount(tx, txs[end]!)) end++;
    const group = txs.slice(i, end);
    let d = tx.counted - level;
    for (const row of group) {
      if (row.lot_id !== null) add(row.lot_id, row.delta);
      d -= row.delta;
    }
    if (d > 0) {
      const givers = [...group].reverse().concat([...txs.slice(0, i)].reverse());
      for (const row of givers) {
        if (d === 0) break;
        if (row.lot_id === null || row.delta >= 0) continue;
        const back = Math.min(d, -row.delta);
        add(row.lot_id, back);
        d -= back;
      }
      if (d > 0 && restLot !== null) add(restLot, d);
    } else if (d < 0) {
      let take = -d;
      for (const row of [...group].reverse()) {
        if (take === 0) break;
        if (row.lot_id === null || row.delta <= 0) continue;
        const back = Math.min(take, row.delta, Math.max(0, fig.get(row.lot_id) ?? 0));
        add(row.lot_id, -back);
        take -= back;
      }
      const reserved = new Map<string, number>();
      if (tx.completion_id !== null) {
        for (const later of txs.slice(end)) {
          if (later.completion_id === tx.completion_id && later.kind === 'discard' && later.lot_id !== null)
            reserved.set(later.lot_id, (reserved.get(later.lot_id) ?? 0) - later.delta);
        }
      }
      const ordered = fefo(lotRows.map((l) => ({ id: l.id, expiresOn: l.expires_on })));
      for (const lot of ordered) {
        if (take === 0) break;
        const back = Math.min(take, Math.max(0, (fig.get(lot.id) ?? 0) - (reserved.get(lot.id) ?? 0)));
        add(lot.id, -back);
        take -= back;
      }
      if (take > 0 && restLot !== null) add(restLot, -take);
    }
    level = tx.counted;
    i = end;
  }
  const lots = new Map<string, number>();
  for (const id of onRecord) lots.set(id, fig.get(id) ?? 0);
  return { onHand: level, lots };
}

/**
 * Brings the figures of an item at a place (its level, when it is kept there, and each of its lots)
 * up to date from its transactions. Call inside the transaction that wrote or applied them.
 * Returns how many figures changed.
 */
export function recomputeItemStock(core: WriteCore, loc: string, item: string): { changed: number; stock: ItemStock } {
  const stock = replayStock(loc, item, transactionsInOrder.all(core, { loc, item }), lotsOfItem.all(core, { loc, item }));
  let changed = setLevel.run(core, { loc, item, onHand: stock.onHand }).changes;
  for (const [id, onHand] of stock.lots) changed += setLot.run(core, { id, onHand }).changes;
  return { changed, stock };
}
