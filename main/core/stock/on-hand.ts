import { fefo } from '../../../shared/domain/stock-rules';
import type { WriteCore } from '../context';
import { command, query } from '../sql/query';
import type { StockLevelRow, StockLotRow, StockReplayPointRow, StockTransactionRow } from '../sql/rows';
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
/**
 * An item's transactions from a point of the order on, the point's own row first: `at >= @minute`
 * is a range of `stock_transactions_level` (an `at` whose minute is @minute or later sorts at or
 * after @minute), the rest of the key a filter on the few rows of that minute.
 */
export const TRANSACTIONS_FROM_POINT_SQL = `SELECT ${TX_COLUMNS} FROM stock_transactions
   WHERE stock_location_id = @loc AND item_id = @item AND at >= @minute AND (substr(at, 1, 16) > @minute OR id >= @lastId) ${IN_ORDER}`;
const transactionsFrom = query<Tx, Key & { minute: string; lastId: string }>(TRANSACTIONS_FROM_POINT_SQL);
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
const levelHeld = query<Pick<StockLevelRow, 'on_hand'>, Key>('SELECT on_hand FROM stock_levels WHERE stock_location_id = @loc AND item_id = @item');
const pointOf = query<StockReplayPointRow, Key>(
  'SELECT stock_location_id, item_id, last_minute, last_id, level, figures, rest_lot, reserving FROM stock_replay_points WHERE stock_location_id = @loc AND item_id = @item',
);
const keepPoint = command<StockReplayPointRow>(
  `INSERT INTO stock_replay_points (stock_location_id, item_id, last_minute, last_id, level, figures, rest_lot, reserving)
   VALUES (@stock_location_id, @item_id, @last_minute, @last_id, @level, @figures, @rest_lot, @reserving)
   ON CONFLICT (stock_location_id, item_id) DO UPDATE SET last_minute = excluded.last_minute, last_id = excluded.last_id, level = excluded.level,
     figures = excluded.figures, rest_lot = excluded.rest_lot, reserving = excluded.reserving`,
);

export interface ItemStock {
  onHand: number;
  /** Each lot of the item on record here, by id. */
  lots: Map<string, number>;
}

/**
 * What the replay holds after some of the order, all that carrying on from there needs
 * (migration 0015, stock_replay_points), given the same lots on record.
 */
export interface ReplayState {
  level: number;
  /** Each lot the replay moved, on record here or not, by id (a lot not in it is at 0). */
  figures: Map<string, number>;
  /** The lot that takes a count's rest (above), or null when the item has no lot here. */
  restLot: string | null;
  /** The completions of the counts so far that took back more than their rows (D < 0): their later discards change what those counts took. */
  reserving: Set<string>;
}

/** Where a replay carries on from: the state after the transactions up to `last`, in the rule's order. */
export interface ReplayFrom {
  state: ReplayState;
  last: Tx;
}

export type Replayed = ItemStock & { state: ReplayState };

const sameCount = (a: Tx, b: Tx) =>
  b.kind === 'count' && a.at === b.at && a.pc_id === b.pc_id && a.completion_id === b.completion_id && a.counted === b.counted;

const isCount = (tx: Tx): tx is Tx & { counted: number } => tx.kind === 'count' && tx.counted !== null;

function restLotOf(loc: string, item: string, lotRows: readonly Pick<Lot, 'id'>[]): string | null {
  const unrecordedId = lotId(loc, item, '', null);
  return lotRows.some((l) => l.id === unrecordedId) ? unrecordedId : (lotRows[0]?.id ?? null);
}

/**
 * The figures of an item at a place by the rule above, from its transactions and lots (pure).
 *
 * Given `from`, `txs` are only those after `from.last` in the order, and the replay carries on from
 * `from.state` (the lots on record the same, so the same rest lot). Where what follows would change
 * what the rule made of the transactions up to `from.last`, it answers null and the item is to be
 * replayed whole: a count whose difference D is not 0 (D > 0 gives back to what earlier transactions
 * took; D < 0 is rare, and only whole replays keep `reserving` whole); a discard of a check whose count
 * took back more than its rows (`reserving`); a count row that carries on the count `from.last` is in
 * (apart, its D would be minus its own delta, so that one is caught by D unless it moves nothing).
 */
export function replayStock(loc: string, item: string, txs: readonly Tx[], lotRows: readonly Lot[], from: ReplayFrom): Replayed | null;
export function replayStock(loc: string, item: string, txs: readonly Tx[], lotRows: readonly Lot[]): Replayed;
export function replayStock(loc: string, item: string, txs: readonly Tx[], lotRows: readonly Lot[], from?: ReplayFrom): Replayed | null {
  const onRecord = new Set(lotRows.map((l) => l.id));
  const fig = new Map<string, number>(from ? from.state.figures : []);
  const add = (id: string, n: number) => fig.set(id, (fig.get(id) ?? 0) + n);
  const restLot = restLotOf(loc, item, lotRows);
  const reserving = new Set(from ? from.state.reserving : []);
  let level = from ? from.state.level : 0;
  let i = 0;
  while (i < txs.length) {
    const tx = txs[i]!;
    if (!isCount(tx)) {
      if (from && tx.kind === 'discard' && tx.completion_id !== null && reserving.has(tx.completion_id)) return null;
      if (tx.lot_id !== null) add(tx.lot_id, tx.delta);
      level += tx.delta;
      i++;
      continue;
    }
    if (from && i === 0 && isCount(from.last) && sameCount(from.last, tx)) return null;
    let end = i + 1;
    while (end < txs.length && sameCount(tx, txs[end]!)) end++;
    const group = txs.slice(i, end);
    let d = tx.counted - level;
    for (const row of group) {
      if (row.lot_id !== null) add(row.lot_id, row.delta);
      d -= row.delta;
    }
    if (d !== 0 && from) return null;
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
        reserving.add(tx.completion_id);
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
  return { onHand: level, lots, state: { level, figures: fig, restLot, reserving } };
}

/** A point as stored, or null when it does not read as one (written outside Wardkeep): the item is then replayed whole. */
function storedState(point: StockReplayPointRow): ReplayState | null {
  const figures: unknown = JSON.parse(point.figures);
  const reserving: unknown = JSON.parse(point.reserving);
  if (typeof figures !== 'object' || figures === null || Array.isArray(figures) || !Array.isArray(reserving)) return null;
  const state: ReplayState = { level: point.level, figures: new Map(), restLot: point.rest_lot, reserving: new Set() };
  for (const [id, n] of Object.entries(figures)) {
    if (typeof n !== 'number' || !Number.isInteger(n)) return null;
    state.figures.set(id, n);
  }
  for (const id of reserving as unknown[]) {
    if (typeof id !== 'string') return null;
    state.reserving.add(id);
  }
  return state;
}

/**
 * Carries the item's replay on from its point (migration 0015) over the transactions after it, or
 * null when it cannot: no point, the rest lot changed, or what follows changes what came before (replayStock).
 */
/**
 * Whether the figures on record are those the point left: every write saves both in one transaction
 * (recomputeItemStock), so they differ only when one was written outside Wardkeep (sqlite3). Then
 * the item is replayed whole, which puts the figures right: a point edited by hand is not carried on.
 */
function figuresAgree(core: WriteCore, loc: string, item: string, state: ReplayState, lotRows: readonly Lot[]): boolean {
  const held = levelHeld.get(core, { loc, item });
  if (held && held.on_hand !== state.level) return false;
  return lotRows.every((l) => l.on_hand === (state.figures.get(l.id) ?? 0));
}

function replayFromPoint(
  core: WriteCore,
  loc: string,
  item: string,
  lotRows: readonly Lot[],
  restLot: string | null,
): { stock: Replayed; after: number; last: Tx } | null {
  const point = pointOf.get(core, { loc, item });
  if (!point || point.rest_lot !== restLot) return null;
  const state = storedState(point);
  const rows = transactionsFrom.all(core, { loc, item, minute: point.last_minute, lastId: point.last_id });
  const from = rows[0];
  if (!state || from?.id !== point.last_id || !figuresAgree(core, loc, item, state, lotRows)) return null;
  const after = rows.slice(1);
  const stock = replayStock(loc, item, after, lotRows, { state, last: from });
  return stock && { stock, after: after.length, last: rows.at(-1)! };
}

/** Keeps the replay's state at the end of the order (`last`, the item's last transaction) as the item's point. */
function keepState(core: WriteCore, loc: string, item: string, state: ReplayState, last: Tx): void {
  const figures: Record<string, number> = {};
  for (const [id, n] of state.figures) if (n !== 0) figures[id] = n;
  keepPoint.run(core, {
    stock_location_id: loc,
    item_id: item,
    last_minute: last.at.slice(0, 16),
    last_id: last.id,
    level: state.level,
    figures: JSON.stringify(figures),
    rest_lot: state.restLot,
    reserving: JSON.stringify([...state.reserving]),
  });
}

/**
 * Brings the figures of an item at a place (its level, when it is kept there, and each of its lots)
 * up to date from its transactions. Call inside the transaction that wrote or applied them.
 * Reads only the transactions after the item's point (its replay's state where the last replay
 * ended, migration 0015) when it can, else the whole history; then keeps the point at the end of the
 * order. Either way every figure is written from the replay, so a figure changed by hand is put right.
 * Returns how many figures changed.
 */
export function recomputeItemStock(core: WriteCore, loc: string, item: string): { changed: number; stock: ItemStock } {
  const lotRows = lotsOfItem.all(core, { loc, item });
  const carried = replayFromPoint(core, loc, item, lotRows, restLotOf(loc, item, lotRows));
  let stock: Replayed;
  if (carried) {
    stock = carried.stock;
    if (carried.after > 0) keepState(core, loc, item, stock.state, carried.last);
  } else {
    const txs = transactionsInOrder.all(core, { loc, item });
    stock = replayStock(loc, item, txs, lotRows);
    const last = txs.at(-1);
    if (last) keepState(core, loc, item, stock.state, last);
  }
  let changed = setLevel.run(core, { loc, item, onHand: stock.onHand }).changes;
  for (const [id, onHand] of stock.lots) changed += setLot.run(core, { id, onHand }).changes;
  return { changed, stock };
}
