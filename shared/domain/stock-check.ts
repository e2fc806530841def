import type { IsoDate } from './common';
import type { DateFormatSetting } from './settings';
import type { StockCheckLine } from './stock';
import { expiryStatus, fefo, itemText, lotText, stockFlags, takeInOrder } from './stock-rules';
import type { StockCheckFormData, StockCheckItemResult, StockCheckSummary, StockLevelView, StockTransactionKind } from './stock-views';

/**
 * A stock check, worked out before anything is written: the stock transactions it makes, the
 * problems that refuse it, and the summary with the flags after it. Main writes exactly these
 * transactions; the form runs the same function to show the flags as the technician types.
 *
 * Each line is applied in the order a person works at the shelf:
 * 1. the count: `counted` is what was found before anything was taken off or put on. It sets the
 *    item's on-hand figure to the count. Its transactions' deltas add up to counted − expected.
 *    - A shortfall is taken from the lots soonest to expire first (FEFO: stock is meant to be used
 *      in that order, and expired stock thrown away unrecorded is the other usual cause), after
 *      setting aside what the same line discards from each lot (those units were seen on the shelf).
 *      One `count` transaction per lot touched, each with `counted` recorded.
 *    - A surplus goes to the item's unrecorded lot (no lot number, no expiry date): nobody knows
 *      which lot the extra units belong to.
 *    - A count that agrees is recorded too: one `count` transaction with delta 0 and no lot.
 * 2. the discards, by lot (a whole lot when the quantity is all it holds);
 * 3. the restocks, by lot and expiry date (a lot already on record gets the stock; else a new lot).
 */

export type LotRef = { id: string } | { lot: string; expiresOn: IsoDate | null };

export interface PlannedTransaction {
  itemId: string;
  kind: StockTransactionKind;
  /** null only for a count that agreed (delta 0). */
  lot: LotRef | null;
  delta: number;
  counted: number | null;
  reason: string | null;
}

export interface StockProblem {
  field: string;
  message: string;
}

export interface StockCheckPlan {
  transactions: PlannedTransaction[];
  problems: StockProblem[];
  /** With `completionId: null`; the caller fills it in. */
  summary: StockCheckSummary;
}

const isCount = (n: unknown, min: number): n is number => typeof n === 'number' && Number.isInteger(n) && n >= min && n <= 1_000_000;

const keyOf = (ref: LotRef): string => ('id' in ref ? `id:${ref.id}` : `key:${ref.lot}\u0000${ref.expiresOn ?? ''}`);

/** Up to five names, then "and N more". */
export function nameList(names: readonly string[]): string {
  if (names.length <= 5) return names.join(', ');
  return `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
}

/**
 * The outcome the check suggests: `pass` when every item kept at the location was counted and no
 * expired stock is left on hand after it; otherwise `fail`, with sentences saying why.
 */
export function suggestedOutcome(items: readonly Pick<StockCheckItemResult, 'name' | 'unit' | 'counted' | 'flags'>[]): {
  outcome: 'pass' | 'fail';
  reasons: string[];
} {
  const reasons: string[] = [];
  const notCounted = items.filter((i) => i.counted === null).map((i) => i.name);
  if (notCounted.length > 0) reasons.push(`Not counted: ${nameList(notCounted)}. A check passes only when every item is counted.`);
  const expired = items.filter((i) => i.flags.expired > 0).map((i) => `${i.name} (${i.flags.expired} ${i.unit})`);
  if (expired.length > 0) reasons.push(`Expired stock is still on hand: ${nameList(expired)}. Discard it for the check to pass.`);
  return { outcome: reasons.length > 0 ? 'fail' : 'pass', reasons };
}

export function summaryTotals(items: readonly StockCheckItemResult[]): StockCheckSummary['totals'] {
  return {
    items: items.length,
    counted: items.filter((i) => i.counted !== null).length,
    belowMinimum: items.filter((i) => i.flags.belowMinimum).length,
    expiringSoon: items.filter((i) => i.flags.expiringSoon > 0).length,
    expired: items.filter((i) => i.flags.expired > 0).length,
    restocked: items.reduce((n, i) => n + i.restocked, 0),
    discarded: items.reduce((n, i) => n + i.discarded, 0),
  };
}

interface WorkingLot {
  ref: LotRef;
  expiresOn: IsoDate | null;
  onHand: number;
}

/** Checks one line against its item; returns the problems (none: it may be planned). */
function lineProblems(
  item: StockLevelView,
  line: StockCheckLine,
  on: IsoDate,
  where: string,
  field: (path: string) => string,
  dateFormat: DateFormatSetting,
): StockProblem[] {
  const problems: StockProblem[] = [];
  const name = itemText(item);
  if (line.counted !== null && !isCount(line.counted, 0)) {
    problems.push({ field: field('counted'), message: `${name}: the count must be a whole number, 0 or more.` });
  }
  const perLot = new Map<string, number>();
  line.discards.forEach((d, j) => {
    const lot = item.lots.find((l) => l.id === d.lotId);
    if (!lot) {
      problems.push({ field: field(`discards.${j}.lotId`), message: `${name}: that lot has nothing on hand at ${where}.` });
      return;
    }
    if (!isCount(d.quantity, 1)) {
      problems.push({ field: field(`discards.${j}.quantity`), message: `${name}: the quantity to discard from ${lotText(lot, dateFormat)} must be a whole number, 1 or more.` });
      return;
    }
    const total = (perLot.get(lot.id) ?? 0) + d.quantity;
    perLot.set(lot.id, total);
    if (total > lot.onHand) {
      problems.push({
        field: field(`discards.${j}.quantity`),
        message: `${name}: ${lotText(lot, dateFormat)} holds ${lot.onHand} ${item.unit} on record, so ${total} cannot be discarded from it.`,
      });
    }
  });
  const discarding = [...perLot.values()].reduce((n, q) => n + q, 0);
  if (line.counted !== null && isCount(line.counted, 0) && line.counted < discarding) {
    problems.push({
      field: field('counted'),
      message: `${name}: counted ${line.counted} but discarding ${discarding}. Count what is on the shelf before taking anything off.`,
    });
  }
  line.restock.forEach((r, j) => {
    if (!isCount(r.quantity, 1)) {
      problems.push({ field: field(`restock.${j}.quantity`), message: `${name}: the quantity restocked must be a whole number, 1 or more.` });
    }
    if (r.expiresOn !== null && r.expiresOn < on) {
      problems.push({
        field: field(`restock.${j}.expiresOn`),
        message: `${name}: ${lotText({ lot: r.lot, expiresOn: r.expiresOn }, dateFormat)} has already expired; expired stock may not be put on the shelf.`,
      });
    }
  });
  return problems;
}

/**
 * A line for an item the stock location no longer keeps (a supervisor took it off the list while
 * the check was open): named, with what the technician can do about it.
 */
export function notKeptMessage(item: { name: string; code: string } | undefined, where: string): string {
  return `${item ? `${itemText(item)} is no longer` : 'That item is not'} kept at ${where}: clear its line or ask a supervisor.`;
}

/** The transactions of one valid line, in shelf order: count, discards, restocks. */
function lineTransactions(item: StockLevelView, line: StockCheckLine, on: IsoDate): PlannedTransaction[] {
  const txs: PlannedTransaction[] = [];
  const reserved = new Map<string, number>();
  for (const d of line.discards) reserved.set(d.lotId, (reserved.get(d.lotId) ?? 0) + d.quantity);
  const note = line.note ?? null;
  if (line.counted !== null) {
    const delta = line.counted - item.onHand;
    if (delta === 0) {
      txs.push({ itemId: item.itemId, kind: 'count', lot: null, delta: 0, counted: line.counted, reason: note });
    } else if (delta < 0) {
      const { takes, short } = takeInOrder(fefo(item.lots), -delta, (l) => l.onHand - (reserved.get(l.id) ?? 0));
      for (const t of takes) txs.push({ itemId: item.itemId, kind: 'count', lot: { id: t.lot.id }, delta: -t.take, counted: line.counted, reason: note });
      // Only when the record's lots do not add up to its on-hand figure (never, if every change is a transaction).
      if (short > 0) txs.push({ itemId: item.itemId, kind: 'count', lot: unrecordedLot(item), delta: -short, counted: line.counted, reason: note });
    } else {
      txs.push({ itemId: item.itemId, kind: 'count', lot: unrecordedLot(item), delta, counted: line.counted, reason: note });
    }
  }
  for (const [lotId, quantity] of reserved) {
    const lot = item.lots.find((l) => l.id === lotId);
    const expired = lot ? expiryStatus(lot.expiresOn, on, 0) === 'expired' : false;
    txs.push({ itemId: item.itemId, kind: 'discard', lot: { id: lotId }, delta: -quantity, counted: null, reason: expired ? 'Expired' : note });
  }
  for (const r of line.restock) {
    const lotName = r.lot ?? '';
    const existing = item.lots.find((l) => (l.lot ?? '') === lotName && l.expiresOn === r.expiresOn);
    txs.push({
      itemId: item.itemId,
      kind: 'restock',
      lot: existing ? { id: existing.id } : { lot: lotName, expiresOn: r.expiresOn },
      delta: r.quantity,
      counted: null,
      reason: null,
    });
  }
  return txs;
}

/** The item's lot of unknown number and expiry: on record already, or to be made. */
function unrecordedLot(item: StockLevelView): LotRef {
  const lot = item.lots.find((l) => l.lot === null && l.expiresOn === null);
  return lot ? { id: lot.id } : { lot: '', expiresOn: null };
}

/** The item's lots after its transactions. */
function lotsAfter(item: StockLevelView, txs: readonly PlannedTransaction[]): WorkingLot[] {
  const lots = new Map<string, WorkingLot>(item.lots.map((l) => [keyOf({ id: l.id }), { ref: { id: l.id }, expiresOn: l.expiresOn, onHand: l.onHand }]));
  for (const tx of txs) {
    if (!tx.lot) continue;
    // A key that names a lot already on hand (the unrecorded lot) is that lot.
    const ref = tx.lot;
    const known = 'id' in ref ? null : item.lots.find((l) => (l.lot ?? '') === ref.lot && l.expiresOn === ref.expiresOn);
    const key = keyOf(known ? { id: known.id } : ref);
    const lot = lots.get(key) ?? { ref, expiresOn: 'id' in ref ? null : ref.expiresOn, onHand: 0 };
    lot.onHand += tx.delta;
    lots.set(key, lot);
  }
  return [...lots.values()];
}

/**
 * Plans a stock check of the location in `form` with the technician's `lines`, on day `on` (the
 * local date of the check). `field` names a line's field in error sentences; by default as the
 * record form sends it (`result.lines.3.counted`). `dateFormat` writes the expiry dates in those
 * sentences (Settings). `itemNamed` names an item a line is for that `form` no longer lists (taken
 * off the stock location's list while the check was open), so its refusal can say which.
 */
export function planStockCheck(input: {
  form: StockCheckFormData;
  lines: readonly StockCheckLine[];
  on: IsoDate;
  dateFormat: DateFormatSetting;
  field?: (lineIndex: number, path: string) => string;
  itemNamed?: (itemId: string) => { name: string; code: string } | undefined;
}): StockCheckPlan {
  const { form, lines, on, dateFormat } = input;
  const field = input.field ?? ((i: number, path: string) => `result.lines.${i}.${path}`);
  const where = form.stockLocation.name;
  const items = new Map(form.items.map((i) => [i.itemId, i]));
  const problems: StockProblem[] = [];
  const byItem = new Map<string, StockCheckLine>();
  const refused = new Set<string>();
  lines.forEach((line, i) => {
    const item = items.get(line.itemId);
    if (!item) {
      problems.push({ field: field(i, 'itemId'), message: notKeptMessage(input.itemNamed?.(line.itemId), where) });
      return;
    }
    if (byItem.has(line.itemId)) {
      problems.push({ field: field(i, 'itemId'), message: `${itemText(item)} is listed twice; enter it once.` });
      return;
    }
    byItem.set(line.itemId, line);
    const found = lineProblems(item, line, on, where, (path) => field(i, path), dateFormat);
    if (found.length > 0) refused.add(line.itemId);
    problems.push(...found);
  });
  const transactions: PlannedTransaction[] = [];
  const results: StockCheckItemResult[] = form.items.map((item) => {
    const line = byItem.get(item.itemId);
    const txs = line && !refused.has(item.itemId) ? lineTransactions(item, line, on) : [];
    transactions.push(...txs);
    const after = lotsAfter(item, txs);
    const counted = line && line.counted !== null && isCount(line.counted, 0) ? line.counted : null;
    const sum = (kind: StockTransactionKind) => txs.filter((t) => t.kind === kind).reduce((n, t) => n + t.delta, 0);
    return {
      itemId: item.itemId,
      code: item.code,
      name: item.name,
      unit: item.unit,
      par: item.par,
      minimum: item.minimum,
      expected: item.onHand,
      counted,
      difference: counted === null ? null : counted - item.onHand,
      restocked: sum('restock'),
      discarded: 0 - sum('discard'),
      onHand: item.onHand + txs.reduce((n, t) => n + t.delta, 0),
      flags: stockFlags(item, after, on, form.expiringWithinDays),
    };
  });
  const { outcome, reasons } = suggestedOutcome(results);
  return {
    transactions,
    problems,
    summary: {
      stockLocationId: form.stockLocation.id,
      stockLocationName: form.stockLocation.name,
      completionId: null,
      on,
      expiringWithinDays: form.expiringWithinDays,
      outcome,
      reasons,
      items: results,
      totals: summaryTotals(results),
    },
  };
}
