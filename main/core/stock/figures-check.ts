import type { Database } from 'better-sqlite3';
import { DATE_FORMATS, DEFAULT_SETTINGS } from '../../../shared/domain/settings';
import type { DateFormatSetting } from '../../../shared/domain/settings';
import { itemText, lotText } from '../../../shared/domain/stock-rules';
import type { WriteCore } from '../context';
import { command, query, scalar } from '../sql/query';
import type { StockLevelRow, StockLocationRow, StockLotRow, StockReplayPointRow, StockTransactionRow, SupplyItemRow } from '../sql/rows';
import { replayStock } from './on-hand';

/**
 * The deep check of the stock figures (`wardkeep verify`, health.ts): every item at every stock
 * location replayed whole from its movements and lots by the count rule (on-hand.ts, replayStock),
 * never from a saved point (stock_replay_points), and compared with what is stored: the level
 * (`stock_levels.on_hand`, where the item is kept there) and each lot's figure (`stock_lots.on_hand`).
 *
 * Every write, and every sync that brings rows, sets the figures from that replay in the transaction
 * that wrote the rows, so a figure that differs was changed outside Wardkeep: the figure alone (the
 * next write of the item there replays it whole and puts it right), or the saved point with it alike
 * (that write carries the wrong figure on: on-hand.ts cannot tell, its check being that the two agree).
 *
 * One exception: a figure an earlier version kept, the plain sum of the movements (docs/sync.md,
 * "Stock on hand"), stands until the item's next write, which also leaves its first point. So an item
 * with no point whose figures are each the sum of their movements is not reported.
 *
 * The movements are read in one ordered pass over the table (by place and item, then the rule's
 * order), one item's history held at a time; its lots, level and point are read when it is done.
 */

type Tx = Parameters<typeof replayStock>[2][number];
type Lot = Parameters<typeof replayStock>[3][number];
type Key = { loc: string; item: string };

const allTransactions = query<Tx & Pick<StockTransactionRow, 'stock_location_id' | 'item_id'>>(
  `SELECT stock_location_id, item_id, id, kind, lot_id, delta, counted, at, pc_id, completion_id FROM stock_transactions
   ORDER BY stock_location_id, item_id, substr(at, 1, 16), id`,
);
const transactionCount = scalar<number>('SELECT count(*) FROM stock_transactions');
const figureCount = scalar<number>('SELECT (SELECT count(*) FROM stock_levels) + (SELECT count(*) FROM stock_lots)');
const lotsOfItem = query<Lot, Key>('SELECT id, lot, expires_on, on_hand FROM stock_lots WHERE stock_location_id = @loc AND item_id = @item ORDER BY id');
const levelOf = query<Pick<StockLevelRow, 'on_hand'>, Key>('SELECT on_hand FROM stock_levels WHERE stock_location_id = @loc AND item_id = @item');
const pointOf = query<Pick<StockReplayPointRow, 'level' | 'figures'>, Key>(
  'SELECT level, figures FROM stock_replay_points WHERE stock_location_id = @loc AND item_id = @item',
);
/** Figures of items with no movement at their place: a whole replay makes each 0. */
const levelsWithoutMovements = query<Pick<StockLevelRow, 'stock_location_id' | 'item_id' | 'on_hand'>>(
  `SELECT l.stock_location_id, l.item_id, l.on_hand FROM stock_levels l
   WHERE l.on_hand <> 0 AND NOT EXISTS (SELECT 1 FROM stock_transactions t WHERE t.stock_location_id = l.stock_location_id AND t.item_id = l.item_id)
   ORDER BY l.stock_location_id, l.item_id`,
);
const lotsWithoutMovements = query<Pick<StockLotRow, 'stock_location_id' | 'item_id' | 'id' | 'lot' | 'expires_on' | 'on_hand'>>(
  `SELECT s.stock_location_id, s.item_id, s.id, s.lot, s.expires_on, s.on_hand FROM stock_lots s
   WHERE s.on_hand <> 0 AND NOT EXISTS (SELECT 1 FROM stock_transactions t WHERE t.stock_location_id = s.stock_location_id AND t.item_id = s.item_id)
   ORDER BY s.stock_location_id, s.item_id, s.id`,
);
const hasPoints = scalar<number>("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'stock_replay_points'");
const itemOf = query<Pick<SupplyItemRow, 'name' | 'code'>, { id: string }>('SELECT name, code FROM supply_items WHERE id = @id');
const placeOf = query<Pick<StockLocationRow, 'name'>, { id: string }>('SELECT name FROM stock_locations WHERE id = @id');
const storedDateFormat = scalar<string>("SELECT value FROM settings WHERE key = 'dateFormat'");
const dropPoint = command<Key>('DELETE FROM stock_replay_points WHERE stock_location_id = @loc AND item_id = @item');

export interface FigureFinding {
  loc: string;
  item: string;
  /** The lot whose figure differs; null for the item's level. */
  lot: string | null;
  onRecord: number;
  fromMovements: number;
  message: string;
}

export interface FiguresCheck {
  ok: boolean;
  /** Figures compared: levels and lots. */
  figures: number;
  findings: FigureFinding[];
  /** Findings past `limit` are counted, not kept. */
  more: number;
  /** Every item, at its place, with a figure that differs (all of them, past `limit` too): `dropSavedReplays` takes them. */
  items: Key[];
}

/** `onProgress` is told every this many movements. */
const PROGRESS_EVERY = 50_000;

function dateFormatOf(db: Database): DateFormatSetting {
  const text = storedDateFormat.get({ db });
  if (text === undefined) return DEFAULT_SETTINGS.dateFormat;
  try {
    const value: unknown = JSON.parse(text);
    return DATE_FORMATS.find((f) => f === value) ?? DEFAULT_SETTINGS.dateFormat;
  } catch {
    return DEFAULT_SETTINGS.dateFormat;
  }
}

/** The point's figures, or null when they do not read as Wardkeep writes them. */
function pointFigures(text: string): Map<string, number> | null {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
    const out = new Map<string, number>();
    for (const [id, n] of Object.entries(parsed)) {
      if (typeof n !== 'number') return null;
      out.set(id, n);
    }
    return out;
  } catch {
    return null;
  }
}

/** How many movements there are: what `onProgress` counts towards. */
export function stockMovementCount(db: Database): number {
  return transactionCount.get({ db }) ?? 0;
}

/** Every figure against a whole replay; `onProgress(movements read)`. The first `limit` differences are kept, the rest counted. */
export function checkStockFigures(db: Database, options: { limit?: number; onProgress?: (movements: number) => void } = {}): FiguresCheck {
  const limit = options.limit ?? 50;
  const findings: FigureFinding[] = [];
  const items = new Map<string, Key>();
  let more = 0;
  let read = 0;
  let dateFormat: DateFormatSetting | null = null;
  const core = { db };
  // A database before migration 0015 keeps no points.
  const points = (hasPoints.get(core) ?? 0) > 0;

  const say = (f: Omit<FigureFinding, 'message'> & { lotName: { lot: string; expires_on: StockLotRow['expires_on'] } | null }, pointAlike: boolean) => {
    items.set(JSON.stringify([f.loc, f.item]), { loc: f.loc, item: f.item });
    if (findings.length >= limit) {
      more++;
      return;
    }
    const item = itemOf.get(core, { id: f.item });
    const place = placeOf.get(core, { id: f.loc });
    dateFormat ??= dateFormatOf(db);
    const what = `${item ? itemText(item) : `Item ${f.item}`} at ${place?.name ?? `stock location ${f.loc}`}${
      f.lotName ? `, ${lotText({ lot: f.lotName.lot, expiresOn: f.lotName.expires_on }, dateFormat)},` : ''
    }`;
    // verify drops the item's saved replay (dropSavedReplays), so that next change replays the movements whole.
    const remedy = pointAlike
      ? 'Its saved replay was changed alike, which stock changes would carry on: the check has set it aside, so the next stock change of the item there puts it right; ask IT to run wardkeep verify after it.'
      : 'The next stock change of the item there puts it right; ask IT to run wardkeep verify after it.';
    findings.push({
      loc: f.loc,
      item: f.item,
      lot: f.lot,
      onRecord: f.onRecord,
      fromMovements: f.fromMovements,
      message: `${what} shows ${f.onRecord} on hand, but its movements give ${f.fromMovements}: the figure was changed outside Wardkeep. ${remedy}`,
    });
  };

  const settle = (loc: string, item: string, txs: Tx[]) => {
    const lots = lotsOfItem.all(core, { loc, item });
    const level = levelOf.get(core, { loc, item });
    const replayed = replayStock(loc, item, txs, lots);
    const levelDiffers = level !== undefined && level.on_hand !== replayed.onHand;
    const lotsDiffering = lots.filter((l) => l.on_hand !== (replayed.lots.get(l.id) ?? 0));
    if (!levelDiffers && lotsDiffering.length === 0) return;
    const point = points ? pointOf.get(core, { loc, item }) : undefined;
    if (!point) {
      // A figure an earlier version kept: the sum of the movements, the level's and each lot's.
      const sums = new Map<string, number>();
      let sum = 0;
      for (const tx of txs) {
        sum += tx.delta;
        if (tx.lot_id !== null) sums.set(tx.lot_id, (sums.get(tx.lot_id) ?? 0) + tx.delta);
      }
      if ((level === undefined || level.on_hand === sum) && lots.every((l) => l.on_hand === (sums.get(l.id) ?? 0))) return;
    }
    // Whether the point agrees with the figures on record (on-hand.ts, figuresAgree): then the next write carries it on.
    const saved = point ? pointFigures(point.figures) : null;
    const pointAlike =
      point !== undefined && saved !== null && (level === undefined || level.on_hand === point.level) && lots.every((l) => l.on_hand === (saved.get(l.id) ?? 0));
    if (levelDiffers) say({ loc, item, lot: null, lotName: null, onRecord: level.on_hand, fromMovements: replayed.onHand }, pointAlike);
    for (const l of lotsDiffering) say({ loc, item, lot: l.id, lotName: l, onRecord: l.on_hand, fromMovements: replayed.lots.get(l.id) ?? 0 }, pointAlike);
  };

  let key: Key | null = null;
  let txs: Tx[] = [];
  for (const row of allTransactions.iterate(core)) {
    if (key === null || row.stock_location_id !== key.loc || row.item_id !== key.item) {
      if (key !== null) settle(key.loc, key.item, txs);
      key = { loc: row.stock_location_id, item: row.item_id };
      txs = [];
    }
    txs.push(row);
    if (++read % PROGRESS_EVERY === 0) options.onProgress?.(read);
  }
  if (key !== null) settle(key.loc, key.item, txs);
  options.onProgress?.(read);

  // Items with no movement at their place: every figure of theirs is 0 by the rule (and by an earlier version's sum).
  for (const l of levelsWithoutMovements.iterate(core)) {
    say({ loc: l.stock_location_id, item: l.item_id, lot: null, lotName: null, onRecord: l.on_hand, fromMovements: 0 }, false);
  }
  for (const l of lotsWithoutMovements.iterate(core)) {
    say({ loc: l.stock_location_id, item: l.item_id, lot: l.id, lotName: l, onRecord: l.on_hand, fromMovements: 0 }, false);
  }
  return { ok: findings.length === 0 && more === 0, figures: figureCount.get(core) ?? 0, findings, more, items: [...items.values()] };
}

/**
 * After verify has named them: each item's saved replay dropped (a cache of this PC's, never synced,
 * migration 0015), so the next stock change there replays the movements whole and writes every figure
 * from them. A point changed alike with the figures is the one case a write cannot see (on-hand.ts,
 * figuresAgree); dropping it loses nothing, and the figures on record stay as found until that change.
 */
export function dropSavedReplays(core: Pick<WriteCore, 'db' | 'writable'>, items: readonly Key[]): void {
  if ((hasPoints.get(core) ?? 0) === 0) return;
  for (const k of items) dropPoint.run(core, k);
}
