import type { IsoDate } from '../../../shared/domain/common';
import type { DateFormatSetting } from '../../../shared/domain/settings';
import type { LotRef, PlannedTransaction, StockProblem } from '../../../shared/domain/stock-check';
import type { StockCheckLine } from '../../../shared/domain/stock';
import { expiryStatus, fefo, itemText, lotText, lotViews, stockFlags, takeInOrder, useOrder } from '../../../shared/domain/stock-rules';
import type { LotView, StockLevelView, StockTransactionView } from '../../../shared/domain/stock-views';
import { formatDateTime, localDay, localTime } from '../../../shared/date-format';
import { localDateOf } from '../../../shared/scheduling/dates';
import { bindRow } from '../permanent/bind';
import { isoInstant } from '../clock';
import type { Actor, Core, WriteCore } from '../context';
import { AppError } from '../errors';
import { uuidv7 } from '../ids';
import { getSettings } from '../settings/service';
import { builtQuery, command, query } from '../sql/query';
import type { StockLevelRow, StockLotRow, StockTransactionRow, SupplyItemRow } from '../sql/rows';
import { lotId } from '../sync/ids';
import { stockLocationHead } from './catalog';
import { recomputeItemStock } from './on-hand';

/**
 * The stock ledger. Every change to stock is a row in `stock_transactions` (permanent); the
 * on-hand figures in `stock_levels` (per item and stock location) and `stock_lots` (per lot) are
 * derived from them, in the same SQL transaction as the insert, by the rule every PC uses after a
 * sync (on-hand.ts): an item's figure is its last count's `counted` plus the deltas of the
 * movements after it (with no count, the sum of its deltas), and each lot is replayed the same way,
 * the difference a count made on a PC that had not received every movement before it going to
 * the lots by the rule stated there. So at every commit
 *   Σ stock_lots.on_hand of the item at the location = stock_levels.on_hand,
 * and every transaction with a non-zero delta names a lot. No figure is ever written directly;
 * nothing goes below zero here (a lot or item below zero comes only from stock used on two PCs at once).
 */

export const expiringWithinDays = (core: Core): number => getSettings(core).stockExpiringWithinDays;

type LevelRow = Pick<StockLevelRow, 'stock_location_id' | 'item_id' | 'par' | 'minimum' | 'on_hand'> &
  Pick<SupplyItemRow, 'code' | 'name' | 'unit' | 'default_supplier'>;
type LotRow = Pick<StockLotRow, 'id' | 'stock_location_id' | 'item_id' | 'lot' | 'expires_on' | 'on_hand'>;
type TransactionRow = Pick<StockTransactionRow, 'id' | 'at' | 'kind' | 'item_id' | 'delta' | 'counted' | 'reason' | 'completion_id' | 'user_name'> &
  Pick<SupplyItemRow, 'code' | 'name'> & { lot: StockLotRow['lot'] | null; expires_on: StockLotRow['expires_on'] };

const itemName = query<Pick<SupplyItemRow, 'name' | 'code'>, { id: string }>('SELECT name, code FROM supply_items WHERE id = @id');
const lotOwner = query<Pick<StockLotRow, 'stock_location_id' | 'item_id' | 'on_hand'>, { id: string }>(
  'SELECT stock_location_id, item_id, on_hand FROM stock_lots WHERE id = @id',
);
const lotByNumber = query<Pick<StockLotRow, 'id'>, Pick<StockLotRow, 'stock_location_id' | 'item_id' | 'lot' | 'expires_on'>>(
  'SELECT id FROM stock_lots WHERE stock_location_id = @stock_location_id AND item_id = @item_id AND lot = @lot AND expires_on IS @expires_on ORDER BY rowid LIMIT 1',
);
const insertLot = command<Omit<StockLotRow, 'on_hand'>>(
  `INSERT INTO stock_lots (id, stock_location_id, item_id, lot, expires_on, on_hand, created_at, updated_at, pc_id)
   VALUES (@id, @stock_location_id, @item_id, @lot, @expires_on, 0, @created_at, @updated_at, @pc_id)`,
);
const insertTransaction = command<StockTransactionRow>(
  `INSERT INTO stock_transactions (id, stock_location_id, item_id, lot_id, kind, delta, counted, reason, completion_id, at, user_id, user_name, pc_id)
   VALUES (@id, @stock_location_id, @item_id, @lot_id, @kind, @delta, @counted, @reason, @completion_id, @at, @user_id, @user_name, @pc_id)`,
);
const touchLevel = command<Pick<StockLevelRow, 'stock_location_id' | 'item_id' | 'updated_at' | 'pc_id'>>(
  'UPDATE stock_levels SET updated_at = @updated_at, pc_id = @pc_id WHERE stock_location_id = @stock_location_id AND item_id = @item_id',
);
const touchLot = command<Pick<StockLotRow, 'id' | 'updated_at' | 'pc_id'>>('UPDATE stock_lots SET updated_at = @updated_at, pc_id = @pc_id WHERE id = @id');
const levelKept = query<Pick<StockLevelRow, 'on_hand'>, { loc: string; item: string }>(
  'SELECT on_hand FROM stock_levels WHERE stock_location_id = @loc AND item_id = @item',
);
const countAfter = query<Pick<StockTransactionRow, 'at' | 'user_name'>, { place: string; item: string; at: string }>(
  "SELECT at, user_name FROM stock_transactions WHERE stock_location_id = @place AND item_id = @item AND kind = 'count' AND at > @at ORDER BY at LIMIT 1",
);
const lotsBelowZero = query<Pick<StockLotRow, 'id' | 'item_id' | 'on_hand'>, { place: string }>(
  'SELECT id, item_id, on_hand FROM stock_lots WHERE stock_location_id = @place AND on_hand < 0 ORDER BY rowid',
);
const lotById = query<Omit<LotRow, 'id'>, { id: string }>('SELECT stock_location_id, item_id, lot, expires_on, on_hand FROM stock_lots WHERE id = @id');
const transactionsOf = query<TransactionRow, { loc: string; item: string | null; limit: number }>(
  `SELECT t.id, t.at, t.kind, t.item_id, i.code, i.name, l.lot, l.expires_on, t.delta, t.counted, t.reason, t.completion_id, t.user_name
   FROM stock_transactions t JOIN supply_items i ON i.id = t.item_id LEFT JOIN stock_lots l ON l.id = t.lot_id
   WHERE t.stock_location_id = @loc AND (@item IS NULL OR t.item_id = @item)
   ORDER BY t.at DESC, t.rowid DESC LIMIT @limit`,
);

/**
 * The lots shown of an item: those on hand, soonest to expire first, then those below zero (stock
 * used on two PCs at once, docs/sync.md) with their figure, so the lots shown add up to the item's
 * figure. Below zero last: what defaults to the first lot (the stock dialog's discard) picks one on hand.
 */
function shownLots(lots: readonly { id: string; lot: string; expiresOn: IsoDate | null; onHand: number }[], today: IsoDate, withinDays: number): LotView[] {
  const below = fefo(lots.filter((l) => l.onHand < 0)).map((l) => ({
    id: l.id,
    lot: l.lot === '' ? null : l.lot,
    expiresOn: l.expiresOn,
    onHand: l.onHand,
    expiry: expiryStatus(l.expiresOn, today, withinDays),
  }));
  return [...lotViews(lots, today, withinDays), ...below];
}

/**
 * The items kept at each of the stock locations (all of them when `stockLocationIds` is null), with
 * their lots (on hand, then below zero: shownLots) and flags on `today`: two queries, grouped here.
 */
export function levelViewsByLocation(
  core: Core,
  stockLocationIds: readonly string[] | null,
  today: IsoDate,
  withinDays: number,
): Map<string, StockLevelView[]> {
  const filter = stockLocationIds === null ? '' : 'WHERE l.stock_location_id IN (SELECT value FROM json_each(@ids))';
  const params = stockLocationIds === null ? {} : { ids: JSON.stringify(stockLocationIds) };
  const levels = builtQuery<LevelRow, { ids?: string }>(
    `SELECT l.stock_location_id, l.item_id, i.code, i.name, i.unit, i.default_supplier, l.par, l.minimum, l.on_hand
     FROM stock_levels l JOIN supply_items i ON i.id = l.item_id ${filter}
     ORDER BY name_sort(i.name), i.code`,
  ).all(core, params);
  const lotFilter = stockLocationIds === null ? '' : 'AND l.stock_location_id IN (SELECT value FROM json_each(@ids))';
  const lots = builtQuery<LotRow, { ids?: string }>(
    `SELECT l.id, l.stock_location_id, l.item_id, l.lot, l.expires_on, l.on_hand FROM stock_lots l WHERE l.on_hand <> 0 ${lotFilter} ORDER BY l.rowid`,
  ).all(core, params);
  const lotsOf = new Map<string, LotRow[]>();
  for (const lot of lots) {
    const key = `${lot.stock_location_id}/${lot.item_id}`;
    const list = lotsOf.get(key);
    if (list) list.push(lot);
    else lotsOf.set(key, [lot]);
  }
  const out = new Map<string, StockLevelView[]>();
  for (const l of levels) {
    const itemLots = (lotsOf.get(`${l.stock_location_id}/${l.item_id}`) ?? []).map((x) => ({ id: x.id, lot: x.lot, expiresOn: x.expires_on, onHand: x.on_hand }));
    const view: StockLevelView = {
      itemId: l.item_id,
      code: l.code,
      name: l.name,
      unit: l.unit,
      defaultSupplier: l.default_supplier,
      par: l.par,
      minimum: l.minimum,
      onHand: l.on_hand,
      lots: shownLots(itemLots, today, withinDays),
      flags: stockFlags(l, itemLots, today, withinDays),
    };
    const list = out.get(l.stock_location_id);
    if (list) list.push(view);
    else out.set(l.stock_location_id, [view]);
  }
  return out;
}

export function levelViews(core: Core, stockLocationId: string, today: IsoDate, withinDays: number): StockLevelView[] {
  return levelViewsByLocation(core, [stockLocationId], today, withinDays).get(stockLocationId) ?? [];
}

/** One item at one stock location, or a sentence saying it is not kept there. */
export function levelView(core: Core, stockLocationId: string, itemId: string, today: IsoDate, field = 'itemId'): StockLevelView {
  const place = stockLocationHead(core, stockLocationId);
  const view = levelViews(core, stockLocationId, today, expiringWithinDays(core)).find((v) => v.itemId === itemId);
  if (!view) {
    const item = itemName.get(core, { id: itemId });
    throw new AppError('not_found', `${item ? itemText(item) : 'That item'} is not kept at ${place.name}; add it to the stock location's list first.`, {
      field,
    });
  }
  return view;
}

/** The lot a planned transaction names: checked to belong to the item here, or found or made by number and expiry. */
function resolveLot(core: WriteCore, stockLocationId: string, itemId: string, ref: LotRef, now: string): string {
  if ('id' in ref) {
    const row = lotOwner.get(core, { id: ref.id });
    if (!row || row.stock_location_id !== stockLocationId || row.item_id !== itemId) {
      throw new AppError('not_found', 'That lot is not held at this stock location for this item.', { field: 'lotId' });
    }
    return ref.id;
  }
  const lot = { stock_location_id: stockLocationId, item_id: itemId, lot: ref.lot, expires_on: ref.expiresOn };
  const found = lotByNumber.get(core, lot);
  if (found) return found.id;
  // Named by what it is, so two PCs that each record the same new lot make the same row.
  const id = lotId(stockLocationId, itemId, ref.lot, ref.expiresOn);
  insertLot.run(core, { ...lot, id, created_at: now, updated_at: now, pc_id: core.pcId });
  return id;
}

export interface LedgerContext {
  stockLocationId: string;
  /** When the change happened (ISO instant). */
  at: string;
  /** The completion the change belongs to (a stock check, supplies used in work), if any. */
  completionId: string | null;
}

/**
 * Writes one stock transaction and brings the item's level and the lot's figure up to date, with
 * its audit entry. Returns the transaction's id.
 */
export function writeTransaction(core: WriteCore, actor: Actor, ctx: LedgerContext, tx: PlannedTransaction): string {
  return writeTransactions(core, actor, ctx, [tx])[0]!;
}

/**
 * Writes stock transactions (a stock check's, in shelf order) with their audit entries, then brings
 * each item's level and lots up to date by the rule every PC uses after a sync (on-hand.ts): the
 * figures are replayed from the transactions, not added to, so this PC and every other reach the
 * same ones whatever order the rows arrive in.
 */
export function writeTransactions(core: WriteCore, actor: Actor, ctx: LedgerContext, txs: readonly PlannedTransaction[]): string[] {
  const now = isoInstant(core.clock.now());
  const ids: string[] = [];
  const items = new Map<string, { takesOff: boolean; lotsTakenFrom: Set<string> }>();
  for (const tx of txs) {
    if (tx.delta !== 0 && tx.lot === null) throw new Error('A stock transaction that changes the figure must name a lot.');
    const lotId = tx.lot === null ? null : resolveLot(core, ctx.stockLocationId, tx.itemId, tx.lot, now);
    const row: Omit<StockTransactionRow, 'pc_id'> = {
      id: uuidv7(),
      stock_location_id: ctx.stockLocationId,
      item_id: tx.itemId,
      lot_id: lotId,
      kind: tx.kind,
      delta: tx.delta,
      counted: tx.counted,
      reason: tx.reason,
      completion_id: ctx.completionId,
      at: isoInstant(new Date(ctx.at)),
      user_id: actor.userId,
      user_name: actor.name,
    };
    if (!levelKept.get(core, { loc: ctx.stockLocationId, item: tx.itemId })) {
      throw new AppError('not_found', "That item is not kept at this stock location; add it to the stock location's list first.", { field: 'itemId' });
    }
    insertTransaction.run(core, { ...row, pc_id: core.pcId });
    touchLevel.run(core, { stock_location_id: ctx.stockLocationId, item_id: tx.itemId, updated_at: now, pc_id: core.pcId });
    if (lotId !== null && tx.delta !== 0) touchLot.run(core, { id: lotId, updated_at: now, pc_id: core.pcId });
    const seen = items.get(tx.itemId) ?? { takesOff: false, lotsTakenFrom: new Set<string>() };
    if (tx.delta < 0) {
      seen.takesOff = true;
      if (lotId !== null) seen.lotsTakenFrom.add(lotId);
    }
    items.set(tx.itemId, seen);
    bindRow(core, actor, 'stock_transactions', { id: row.id }, tx.kind);
    ids.push(row.id);
  }
  for (const [itemId, seen] of items) {
    const { stock } = recomputeItemStock(core, ctx.stockLocationId, itemId);
    // Only what takes stock off may not leave a figure below zero: one already below it (stock used on
    // two PCs at once, docs/sync.md) may be restocked and counted back up. Callers refuse in words first.
    if (seen.takesOff && stock.onHand < 0) throw new Error('A stock transaction would take an on-hand figure below zero.');
    for (const id of seen.lotsTakenFrom) {
      if ((stock.lots.get(id) ?? 0) < 0) throw new Error("A stock transaction would take a lot's figure below zero.");
    }
  }
  return ids;
}

/**
 * A count of an item with lots below zero (its last units used on two PCs at once: each PC took them
 * off, so after sync the lot holds less than nothing; docs/sync.md). The count sets the item's figure,
 * and with it every lot: each lot below zero is counted back to 0, and what is left of the count's
 * difference goes to the lots on hand by the count rule (a shortfall from the lots soonest to expire,
 * after what the line discards; a surplus to the unrecorded lot). The item's figure ends at the count
 * as planned; without this the lot stayed below zero and another lot above what the shelf holds.
 */
export function settleLotsBelowZero(
  core: Core,
  stockLocationId: string,
  items: readonly StockLevelView[],
  lines: readonly Pick<StockCheckLine, 'itemId' | 'counted' | 'discards'>[],
  txs: readonly PlannedTransaction[],
): PlannedTransaction[] {
  const below = lotsBelowZero.all(core, { place: stockLocationId });
  if (below.length === 0) return [...txs];
  let out = [...txs];
  for (const line of lines) {
    const item = items.find((i) => i.itemId === line.itemId);
    const negative = below.filter((l) => l.item_id === line.itemId);
    const at = out.findIndex((t) => t.itemId === line.itemId && t.kind === 'count');
    if (!item || line.counted === null || negative.length === 0 || at < 0) continue;
    const counts = out.filter((t) => t.itemId === line.itemId && t.kind === 'count');
    const reason = counts[0]!.reason;
    const counted = line.counted;
    const settle: PlannedTransaction[] = negative.map((l) => ({ itemId: item.itemId, kind: 'count', lot: { id: l.id }, delta: -l.on_hand, counted, reason }));
    const rest = counts.reduce((n, t) => n + t.delta, 0) + negative.reduce((n, l) => n + l.on_hand, 0);
    const unrecorded = item.lots.find((l) => l.lot === null && l.expiresOn === null);
    const unrecordedRef: LotRef = unrecorded ? { id: unrecorded.id } : { lot: '', expiresOn: null };
    if (rest > 0) settle.push({ itemId: item.itemId, kind: 'count', lot: unrecordedRef, delta: rest, counted, reason });
    if (rest < 0) {
      const reserved = new Map<string, number>();
      for (const d of line.discards) reserved.set(d.lotId, (reserved.get(d.lotId) ?? 0) + d.quantity);
      const { takes, short } = takeInOrder(fefo(item.lots), -rest, (l) => l.onHand - (reserved.get(l.id) ?? 0));
      for (const t of takes) settle.push({ itemId: item.itemId, kind: 'count', lot: { id: t.lot.id }, delta: -t.take, counted, reason });
      if (short > 0) settle.push({ itemId: item.itemId, kind: 'count', lot: unrecordedRef, delta: -short, counted, reason });
    }
    out = [...out.slice(0, at), ...settle, ...out.slice(at).filter((t) => !(t.itemId === line.itemId && t.kind === 'count'))];
  }
  return out;
}

/**
 * What is on record of an item at a stock location, refused in words when it is less than is to be
 * taken off (a figure below zero after stock was used on two PCs at once, while a lot still holds
 * some): the shelf is counted first, which sets the record right.
 */
function takeOffLevel(view: StockLevelView, place: string, quantity: number, what: string, field: string): void {
  if (quantity <= view.onHand) return;
  throw new AppError(
    'invalid_input',
    `${itemText(view)}: only ${view.onHand} ${view.unit} ${view.onHand === 1 || view.onHand === -1 ? 'is' : 'are'} on record at ${place} in all, ` +
      `less than its lots hold (stock used on two PCs at once took the figure below zero), so ${quantity} cannot be ${what}. ` +
      'Count the shelf first: the count sets the record right.',
    { field },
  );
}

/** Turns planning problems into one error naming the first field, with all of them as details. */
export function refuse(problems: readonly StockProblem[]): never {
  const first = problems[0]!;
  throw new AppError('invalid_input', first.message, {
    field: first.field,
    ...(problems.length > 1 ? { details: problems.map((p) => ({ message: p.message, field: p.field })) } : {}),
  });
}

/** Parses an ISO instant; the day it falls on locally is "today" for its flags. */
export function instantAndDay(at: string, field = 'at'): { at: string; on: IsoDate } {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) throw new AppError('invalid_input', 'The time must be a date and time such as 2025-11-25T09:30:00Z.', { field });
  return { at: isoInstant(d), on: localDateOf(d) };
}

/**
 * The first count of an item at a place after a time given to the minute (the record form's
 * "At"): a count already recorded within that minute is taken to have come first, as a movement
 * already recorded within a count's minute is in it (checks.ts).
 */
export function countAfterMinute(core: Core, place: string, item: string, at: string): Pick<StockTransactionRow, 'at' | 'user_name'> | undefined {
  const minuteEnd = isoInstant(new Date(Math.floor(Date.parse(at) / 60_000) * 60_000 + 59_999));
  return countAfter.get(core, { place, item, at: minuteEnd });
}

/** The time of a movement beside a later count: its time alone on the count's day, else its day and time. */
export function movementTime(at: string, countAt: string, dateFormat: DateFormatSetting): string {
  const moved = new Date(at);
  return localDay(moved) === localDay(new Date(countAt)) ? localTime(moved) : formatDateTime(at, dateFormat);
}

/**
 * A use entered after a later count of its item at that place (2 pads used at 09:00, the shelf
 * counted at 10:00, the work logged at 14:00): the count set the on-hand figure to what the shelf
 * held, without what the use took, so taking it off again would leave the record short. Refused,
 * naming the count: the mirror of a count overtaken by a later movement (checks.ts), as a stock
 * check's restocks and discards dated before a later count are (checks.ts too).
 */
function overtakenByCount(
  core: Core,
  use: { place: string; item: string; name: string; at: string; dateFormat: DateFormatSetting; field: string; inRecord: boolean },
): void {
  const count = countAfterMinute(core, use.place, use.item, use.at);
  if (!count) return;
  throw new AppError(
    'invalid_input',
    `${use.name}: the shelf was counted at ${formatDateTime(count.at, use.dateFormat)}, after this use (${movementTime(use.at, count.at, use.dateFormat)}), ` +
      `so the count already took it off: ${use.inRecord ? 'remove it here.' : 'nothing is to be taken off now.'}`,
    { field: use.field },
  );
}

export interface UseInput {
  stockLocationId: string;
  itemId: string;
  quantity: number;
  lotId: string | null;
}

/**
 * Supplies used: `use` transactions taking `quantity` of an item from a stock location, from the
 * lot named or, with none named, by `useOrder` (unexpired soonest first, expired last). More than
 * is on hand is refused. `field` prefixes the fields named in errors (`suppliesUsed.2.`).
 */
export function useStock(core: WriteCore, actor: Actor, ctx: { at: string; completionId: string | null }, use: UseInput, field = ''): string[] {
  const { at, on } = instantAndDay(ctx.at);
  const place = stockLocationHead(core, use.stockLocationId, { field: `${field}stockLocationId`, active: true });
  const view = levelView(core, place.id, use.itemId, on, `${field}itemId`);
  const name = itemText(view);
  const dateFormat = getSettings(core).dateFormat;
  overtakenByCount(core, { place: place.id, item: view.itemId, name, at, dateFormat, field: `${field}quantity`, inRecord: ctx.completionId !== null });
  let txs: PlannedTransaction[];
  if (use.lotId !== null) {
    const lot = view.lots.find((l) => l.id === use.lotId);
    if (!lot) throw new AppError('not_found', `${name}: that lot has nothing on hand at ${place.name}.`, { field: `${field}lotId` });
    if (use.quantity > lot.onHand) {
      throw new AppError('invalid_input', `Only ${lot.onHand} ${view.unit} of ${name}, ${lotText(lot, dateFormat)}, ${lot.onHand === 1 ? 'is' : 'are'} on hand at ${place.name}, so ${use.quantity} cannot be used.`, {
        field: `${field}quantity`,
      });
    }
    takeOffLevel(view, place.name, use.quantity, 'used', `${field}quantity`);
    txs = [{ itemId: view.itemId, kind: 'use', lot: { id: lot.id }, delta: -use.quantity, counted: null, reason: null }];
  } else {
    const { takes, short } = takeInOrder(useOrder(view.lots, on), use.quantity, (l) => l.onHand);
    if (short > 0 || use.quantity > view.onHand) {
      throw new AppError('invalid_input', `Only ${view.onHand} ${view.unit} of ${name} ${view.onHand === 1 ? 'is' : 'are'} on hand at ${place.name}, so ${use.quantity} cannot be taken from there.`, {
        field: `${field}quantity`,
      });
    }
    txs = takes.map((t) => ({ itemId: view.itemId, kind: 'use' as const, lot: { id: t.lot.id }, delta: -t.take, counted: null, reason: null }));
  }
  return writeTransactions(core, actor, { stockLocationId: place.id, at, completionId: ctx.completionId }, txs);
}

/**
 * Takes stock of one lot off the shelf: `quantity` of it, or the whole lot when null. With
 * `expectedOnHand` (what the screen showed), a lot that holds something else now is refused rather
 * than discarding stock the person never saw.
 */
export function discardStock(
  core: WriteCore,
  actor: Actor,
  input: { lotId: string; quantity: number | null; reason: string | null; expectedOnHand?: number | undefined },
): { stockLocationId: string; itemId: string } {
  const lot = lotById.get(core, { id: input.lotId });
  if (!lot) throw new AppError('not_found', 'That lot does not exist.', { field: 'lotId' });
  const { at, on } = instantAndDay(isoInstant(core.clock.now()));
  const view = levelView(core, lot.stock_location_id, lot.item_id, on, 'lotId');
  const shown = { lot: lot.lot === '' ? null : lot.lot, expiresOn: lot.expires_on };
  const dateFormat = getSettings(core).dateFormat;
  if (lot.on_hand === 0) throw new AppError('conflict', `${itemText(view)}: ${lotText(shown, dateFormat)} has nothing on hand.`, { field: 'lotId' });
  if (input.expectedOnHand !== undefined && input.expectedOnHand !== lot.on_hand) {
    throw new AppError(
      'conflict',
      `${itemText(view)}: ${lotText(shown, dateFormat)} now holds ${lot.on_hand} ${view.unit} on record, not the ${input.expectedOnHand} shown: ` +
        'it was changed meanwhile. Check the shelf, then save again to discard from what it holds now.',
      { field: 'lotId' },
    );
  }
  const quantity = input.quantity ?? lot.on_hand;
  if (quantity > lot.on_hand) {
    throw new AppError('invalid_input', `${itemText(view)}: ${lotText(shown, dateFormat)} holds ${lot.on_hand} ${view.unit} on record, so ${quantity} cannot be discarded.`, {
      field: 'quantity',
    });
  }
  takeOffLevel(view, stockLocationHead(core, lot.stock_location_id).name, quantity, 'discarded', 'quantity');
  const expired = lot.expires_on !== null && lot.expires_on < on;
  writeTransaction(core, actor, { stockLocationId: lot.stock_location_id, at, completionId: null }, {
    itemId: lot.item_id,
    kind: 'discard',
    lot: { id: input.lotId },
    delta: -quantity,
    counted: null,
    reason: input.reason ?? (expired ? 'Expired' : null),
  });
  return { stockLocationId: lot.stock_location_id, itemId: lot.item_id };
}

/**
 * A correction with a reason (supervisors): adds `delta` (which may be negative) to a lot, or to
 * the item's unrecorded lot when none is named.
 */
export function adjustStock(
  core: WriteCore,
  actor: Actor,
  input: { stockLocationId: string; itemId: string; lotId: string | null; delta: number; reason: string },
): void {
  const { at, on } = instantAndDay(isoInstant(core.clock.now()));
  const view = levelView(core, input.stockLocationId, input.itemId, on);
  let ref: LotRef;
  let held: number;
  if (input.lotId !== null) {
    const lot = lotOwner.get(core, { id: input.lotId });
    if (!lot || lot.stock_location_id !== input.stockLocationId || lot.item_id !== input.itemId) {
      throw new AppError('not_found', `That lot is not held for ${itemText(view)} here.`, { field: 'lotId' });
    }
    ref = { id: input.lotId };
    held = lot.on_hand;
  } else {
    const unrecorded = view.lots.find((l) => l.lot === null && l.expiresOn === null);
    ref = unrecorded ? { id: unrecorded.id } : { lot: '', expiresOn: null };
    held = unrecorded?.onHand ?? 0;
  }
  if (held + input.delta < 0) {
    throw new AppError('invalid_input', `${itemText(view)}: only ${held} ${view.unit} are on record in that lot, so ${-input.delta} cannot be taken off.`, {
      field: 'delta',
    });
  }
  if (input.delta < 0) takeOffLevel(view, stockLocationHead(core, input.stockLocationId).name, -input.delta, 'taken off', 'delta');
  writeTransaction(core, actor, { stockLocationId: input.stockLocationId, at, completionId: null }, {
    itemId: input.itemId,
    kind: 'adjust',
    lot: ref,
    delta: input.delta,
    counted: null,
    reason: input.reason,
  });
}

/** A stock location's transactions, newest first (optionally one item's). */
export function listTransactions(core: Core, input: { stockLocationId: string; itemId?: string | undefined; limit?: number | undefined }): StockTransactionView[] {
  stockLocationHead(core, input.stockLocationId);
  const rows = transactionsOf.all(core, { loc: input.stockLocationId, item: input.itemId ?? null, limit: input.limit ?? 200 });
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    kind: r.kind,
    itemId: r.item_id,
    itemCode: r.code,
    itemName: r.name,
    lot: r.lot === null || r.lot === '' ? null : r.lot,
    expiresOn: r.expires_on,
    delta: r.delta,
    counted: r.counted,
    reason: r.reason,
    completionId: r.completion_id,
    userName: r.user_name,
  }));
}
