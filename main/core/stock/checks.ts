import type { IsoDate } from '../../../shared/domain/common';
import { formatDateTime } from '../../../shared/date-format';
import type { StockCheckLine, SupplyUse } from '../../../shared/domain/stock';
import type { StockProblem } from '../../../shared/domain/stock-check';
import { planStockCheck, suggestedOutcome, summaryTotals } from '../../../shared/domain/stock-check';
import { stockFlags } from '../../../shared/domain/stock-rules';
import type { StockCheckFormData, StockCheckItemResult, StockCheckRecord, StockCheckSummary, StockTransactionKind } from '../../../shared/domain/stock-views';
import type { Actor, Core, WriteCore } from '../context';
import { AppError } from '../errors';
import { isoInstant } from '../clock';
import { getSettings } from '../settings/service';
import { query } from '../sql/query';
import type { CompletionRow, StockLevelRow, StockTransactionRow, SupplyItemRow } from '../sql/rows';
import { stockLocationHead } from './catalog';
import { placeHistory, replayStock } from './on-hand';
import { countAfterMinute, expiringWithinDays, instantAndDay, levelViews, movementTime, refuse, settleLotsBelowZero, useStock, writeTransactions } from './ledger';

/**
 * What logging calls, inside the completion's own transaction (issue 8):
 * - `stockCheckForm`: what the stock-check form lists;
 * - `previewStockCheck`: the summary and suggested outcome of a check before anything is written
 *   (the completion row carries its outcome and is permanent, so it is needed before the insert);
 * - `applyStockCheck`: the check's counts, discards and restocks as stock transactions linked to
 *   the completion (insert the completion first: the transactions reference it);
 * - `recordSuppliesUsed`: the supplies a piece of work used, taken from chosen stock locations.
 * None of them opens a transaction: call them inside the caller's. Problems are thrown as
 * AppError('invalid_input' | 'not_found', sentence, { field, details }) with fields as the record
 * form sends them (`result.lines.3.counted`, `suppliesUsed.0.quantity`), so the whole record is
 * refused and nothing is written.
 */

const completionPlace = query<Pick<CompletionRow, 'stock_location_id'>, { id: string }>('SELECT stock_location_id FROM completions WHERE id = @id');
const completionHead = query<
  Pick<CompletionRow, 'id' | 'plan_id' | 'stock_location_id' | 'performed_at' | 'performed_on' | 'outcome' | 'performed_by_name' | 'created_at' | 'details'>,
  { id: string }
>('SELECT id, plan_id, stock_location_id, performed_at, performed_on, outcome, performed_by_name, created_at, details FROM completions WHERE id = @id');
const transactionsOfCompletion = query<{ seq: number } & Pick<StockTransactionRow, 'item_id' | 'kind' | 'delta' | 'counted'>, { id: string }>(
  'SELECT rowid AS seq, item_id, kind, delta, counted FROM stock_transactions WHERE completion_id = @id ORDER BY rowid',
);
// The items kept there when the check was made, and every item the check moved: one taken off the
// list since (its level row is deleted once none is left) keeps its line, with no par or minimum now.
const levelsAtCheck = query<
  Pick<StockLevelRow, 'item_id' | 'par' | 'minimum'> & Pick<SupplyItemRow, 'code' | 'name' | 'unit'>,
  { place: string; createdAt: string; completionId: string }
>(
  `SELECT i.id AS item_id, i.code, i.name, i.unit, coalesce(l.par, 0) AS par, coalesce(l.minimum, 0) AS minimum
   FROM supply_items i LEFT JOIN stock_levels l ON l.item_id = i.id AND l.stock_location_id = @place
   WHERE (l.item_id IS NOT NULL AND l.created_at <= @createdAt)
      OR i.id IN (SELECT item_id FROM stock_transactions WHERE completion_id = @completionId)
   ORDER BY name_sort(i.name), i.code`,
);
/**
 * The lots of each item at a place right after a recorded check: the transactions up to the check's
 * own last one of the item (by the on-hand rule's order), or, for an item the check wrote nothing
 * for, up to the check's last one at all; for a check that wrote none, those made before its
 * completion row (ids are UUIDv7, ids.ts, which sort by the moment they were made).
 */
function lotsAfterCheck(core: Core, place: string, completionId: string): Map<string, { expiresOn: IsoDate | null; onHand: number }[]> {
  // Replayed by the on-hand rule, in its order (minute of `at`, then id), so every PC reads a check back alike.
  const { txs, lots: lotRows } = placeHistory(core, place);
  const lastOwn = txs.findLastIndex((t) => t.completion_id === completionId);
  const upTo = lastOwn >= 0 ? txs.slice(0, lastOwn + 1) : txs.filter((t) => t.id < completionId);
  const out = new Map<string, { expiresOn: IsoDate | null; onHand: number }[]>();
  for (const item of new Set(lotRows.map((l) => l.item_id))) {
    const lots = lotRows.filter((l) => l.item_id === item);
    const stock = replayStock(place, item, upTo.filter((t) => t.item_id === item), lots);
    out.set(item, lots.filter((l) => stock.lots.get(l.id) !== 0).map((l) => ({ expiresOn: l.expires_on, onHand: stock.lots.get(l.id) ?? 0 })));
  }
  return out;
}

const itemsNamed = query<Pick<SupplyItemRow, 'id' | 'name' | 'code'>, { ids: string }>(
  'SELECT id, name, code FROM supply_items WHERE id IN (SELECT value FROM json_each(@ids))',
);

/** What the record form signed with a stock check (`details.stockCheck`, logging.ts): each part null when absent. */
function signedCheck(details: string): { reasons: string[] | null; expiringWithinDays: number | null } {
  try {
    const signed = (JSON.parse(details) as { stockCheck?: { reasons?: unknown; expiringWithinDays?: unknown } } | null)?.stockCheck;
    const reasons = signed?.reasons;
    const days = signed?.expiringWithinDays;
    return {
      reasons: Array.isArray(reasons) && reasons.every((r) => typeof r === 'string') ? reasons : null,
      expiringWithinDays: typeof days === 'number' && Number.isInteger(days) && days >= 0 ? days : null,
    };
  } catch {
    return { reasons: null, expiringWithinDays: null };
  }
}

/**
 * The signed details of a stock check's completion: the reasons it failed and the "expiring
 * within" days its flags were judged by, so the record reads back as it was signed whatever the
 * setting becomes.
 */
export function stockCheckDetails(summary: Pick<StockCheckSummary, 'reasons' | 'expiringWithinDays'>): { stockCheck: { reasons: string[]; expiringWithinDays: number } } {
  return { stockCheck: { reasons: summary.reasons, expiringWithinDays: summary.expiringWithinDays } };
}

/** What the stock-check form lists for a stock location, with flags for `today`. */
export function stockCheckForm(core: Core, stockLocationId: string, today: string): StockCheckFormData {
  const withinDays = expiringWithinDays(core);
  return {
    stockLocation: stockLocationHead(core, stockLocationId),
    asOf: today,
    expiringWithinDays: withinDays,
    items: levelViews(core, stockLocationId, today, withinDays),
  };
}

function plan(core: Core, input: { stockLocationId: string; lines: readonly StockCheckLine[]; at: string }) {
  const { at, on } = instantAndDay(input.at, 'performedAt');
  const form = stockCheckForm(core, input.stockLocationId, on);
  // "0 of 0 counted" checks nothing: signed as a pass, it would move the check on a day with no
  // shelf looked at. The cart is checked once a supervisor has said what it keeps.
  if (form.items.length === 0 && input.lines.length === 0) {
    throw new AppError('invalid_input', `${form.stockLocation.name} keeps no items yet: a supervisor adds them before it can be checked.`, { field: 'result' });
  }
  // An item taken off the list while the check was open is not in the form: named from the catalogue.
  const listed = new Set(form.items.map((i) => i.itemId));
  const gone = input.lines.map((l) => l.itemId).filter((id) => !listed.has(id));
  const names = new Map(gone.length > 0 ? itemsNamed.all(core, { ids: JSON.stringify(gone) }).map((r) => [r.id, r]) : []);
  const planned = planStockCheck({ form, lines: input.lines, on, dateFormat: getSettings(core).dateFormat, itemNamed: (id) => names.get(id) });
  if (planned.problems.length > 0) refuse(planned.problems);
  const stale = overtaken(core, form, input.lines, at);
  if (stale.length > 0) refuse(stale);
  return { ...planned, transactions: settleLotsBelowZero(core, form.stockLocation.id, form.items, input.lines, planned.transactions), at };
}

const movedSince = query<Pick<StockTransactionRow, 'kind' | 'delta' | 'at'>, { place: string; item: string; at: string }>(
  'SELECT kind, delta, at FROM stock_transactions WHERE stock_location_id = @place AND item_id = @item AND at > @at ORDER BY at LIMIT 1',
);
const MOVEMENT: Record<StockTransactionKind, string> = { count: 'a count', restock: 'a restock', use: 'a use', discard: 'a discard', adjust: 'an adjustment' };

/**
 * What a check entered late would undo or repeat, line by line:
 * - a count entered after its item moved at a later time (a part used on a repair at 11:00, the
 *   shelf counted at 10:00 and entered at 14:00): the count sets the on-hand figure, so it would
 *   undo that movement. Refused, naming the item and the movement: the shelf is counted again;
 * - a restock or discard dated before a later count of its item (4 pads put on the cart at 10:00,
 *   the shelf counted at 11:00 from the stock dialog, the check entered at 14:00): the count set the
 *   on-hand figure to what the shelf held, with the restock on it and the discard gone, so adding
 *   or taking them off again would leave the record wrong. Refused beside the quantity, naming the
 *   count, as supplies used before a later count are (ledger.ts): they are removed from the check.
 */
function overtaken(core: Core, form: StockCheckFormData, lines: readonly StockCheckLine[], at: string): StockProblem[] {
  const dateFormat = getSettings(core).dateFormat;
  // A count's time is given to the minute (the record form's "At"): what moved within that minute,
  // before the count was entered (a restock just put on the shelf), is in the count.
  const minuteEnd = isoInstant(new Date(Math.floor(Date.parse(at) / 60_000) * 60_000 + 59_999));
  const problems: StockProblem[] = [];
  lines.forEach((line, i) => {
    const item = form.items.find((x) => x.itemId === line.itemId);
    const name = item ? `${item.name} (${item.code})` : 'This item';
    if (line.counted !== null) {
      const moved = movedSince.get(core, { place: form.stockLocation.id, item: line.itemId, at: minuteEnd });
      if (moved) {
        problems.push({
          field: `result.lines.${i}.counted`,
          message:
            `${name}: ${MOVEMENT[moved.kind]} at ${formatDateTime(moved.at, dateFormat)}, after this count's time ` +
            `(${formatDateTime(at, dateFormat)}), is already recorded, so this count would undo it. Count the shelf again and enter that count.`,
        });
      }
    }
    if (line.restock.length === 0 && line.discards.length === 0) return;
    const count = countAfterMinute(core, form.stockLocation.id, line.itemId, at);
    if (!count) return;
    const counted = `${name}: the shelf was counted at ${formatDateTime(count.at, dateFormat)} by ${count.user_name}`;
    const when = movementTime(at, count.at, dateFormat);
    line.discards.forEach((_, j) => {
      problems.push({
        field: `result.lines.${i}.discards.${j}.quantity`,
        message: `${counted}, after this discard (${when}), so the count already took it off: remove it here.`,
      });
    });
    line.restock.forEach((_, j) => {
      problems.push({
        field: `result.lines.${i}.restock.${j}.quantity`,
        message: `${counted}, after this restock (${when}), so the count already includes it: remove it here.`,
      });
    });
  });
  return problems;
}

/** The check's summary and suggested outcome, without writing anything; refuses what applyStockCheck would refuse. */
export function previewStockCheck(core: Core, input: { stockLocationId: string; lines: StockCheckLine[]; at: string }): StockCheckSummary {
  return plan(core, input).summary;
}

/**
 * Records a stock check: counts, discards and restocks as stock transactions linked to the
 * completion, with the on-hand figures brought up to date. Returns the summary with each item's
 * flags after the check and the suggested outcome.
 */
export function applyStockCheck(
  core: WriteCore,
  actor: Actor,
  input: { completionId: string; stockLocationId: string; lines: StockCheckLine[]; at: string /* ISO instant */ },
): StockCheckSummary {
  const completion = completionPlace.get(core, { id: input.completionId });
  if (!completion) throw new AppError('not_found', 'That completion does not exist: record it before its stock check.', { field: 'completionId' });
  if (completion.stock_location_id !== input.stockLocationId) {
    throw new AppError('invalid_input', 'That completion is not a check of this stock location.', { field: 'completionId' });
  }
  const planned = plan(core, input);
  writeTransactions(core, actor, { stockLocationId: input.stockLocationId, at: planned.at, completionId: input.completionId }, planned.transactions);
  return { ...planned.summary, completionId: input.completionId };
}

/**
 * The supplies a piece of work used: one or more `use` transactions per entry, linked to the
 * completion, taken from the entry's stock location (from its lot when one is named, else
 * unexpired stock soonest to expire first). More than is on hand is refused, naming the item
 * and the stock location.
 */
export function recordSuppliesUsed(core: WriteCore, actor: Actor, input: { completionId: string; uses: SupplyUse[]; at: string }): void {
  if (input.uses.length === 0) return;
  if (!completionPlace.get(core, { id: input.completionId })) {
    throw new AppError('not_found', 'That completion does not exist: record it before the supplies it used.', { field: 'completionId' });
  }
  input.uses.forEach((use, i) => {
    useStock(core, actor, { at: input.at, completionId: input.completionId }, use, `suppliesUsed.${i}.`);
  });
}

/**
 * A recorded stock check as it stood right after it: its figures rebuilt from the stock
 * transactions (those up to its own last one; for a check that wrote none, those made before its
 * completion row, so nothing restocked or used since shows in it), flags for the day of the check
 * by the "expiring within" days it was signed with, par and minimum as they are now.
 */
export function stockCheckRecord(core: Core, completionId: string): StockCheckRecord {
  const c = completionHead.get(core, { id: completionId });
  if (!c || c.stock_location_id === null) throw new AppError('not_found', 'That stock check does not exist.', { field: 'completionId' });
  const place = stockLocationHead(core, c.stock_location_id);
  const signed = signedCheck(c.details);
  // Records signed before the setting was kept with them have only today's setting to go by.
  const withinDays = signed.expiringWithinDays ?? expiringWithinDays(core);
  const on: IsoDate = c.performed_on;
  const own = transactionsOfCompletion.all(core, { id: completionId });
  const levels = levelsAtCheck.all(core, { place: place.id, createdAt: c.created_at, completionId });
  const lots = lotsAfterCheck(core, place.id, completionId);
  const items: StockCheckItemResult[] = levels.map((l) => {
    const itemLots = lots.get(l.item_id) ?? [];
    const mine = own.filter((t) => t.item_id === l.item_id);
    const onHand = itemLots.reduce((n, x) => n + x.onHand, 0);
    const counted = mine.find((t) => t.kind === 'count')?.counted ?? null;
    const sum = (kind: StockTransactionKind) => mine.filter((t) => t.kind === kind).reduce((n, t) => n + t.delta, 0);
    const expected = onHand - mine.reduce((n, t) => n + t.delta, 0);
    return {
      itemId: l.item_id,
      code: l.code,
      name: l.name,
      unit: l.unit,
      par: l.par,
      minimum: l.minimum,
      expected,
      counted,
      difference: counted === null ? null : counted - expected,
      restocked: sum('restock'),
      discarded: 0 - sum('discard'),
      onHand,
      flags: stockFlags(l, itemLots, on, withinDays),
    };
  });
  // Why it passed or failed as judged when it was signed (the record form keeps the reasons): an item
  // not counted then and taken off the list since still says why it failed.
  const { outcome, reasons } = signed.reasons
    ? { outcome: signed.reasons.length > 0 ? ('fail' as const) : ('pass' as const), reasons: signed.reasons }
    : suggestedOutcome(items);
  return {
    completionId: c.id,
    planId: c.plan_id,
    performedAt: c.performed_at,
    performedByName: c.performed_by_name,
    recordedOutcome: c.outcome,
    stockLocation: place,
    summary: {
      stockLocationId: place.id,
      stockLocationName: place.name,
      completionId: c.id,
      on,
      expiringWithinDays: withinDays,
      outcome,
      reasons,
      items,
      totals: summaryTotals(items),
    },
  };
}
