import type { IsoDate } from './common';
import type { StockLocationHead, StockLocationKind } from './stock-catalog';
import type { PlanView } from './plan';
import type { PlanStatus } from '../scheduling/status';
import type { Outcome } from '../scheduling/next-due';

/** What the screens, the stock-check form and the lists show. Pure types, no behaviour. */

export const STOCK_TRANSACTION_KINDS = ['count', 'restock', 'use', 'discard', 'adjust'] as const;
export type StockTransactionKind = (typeof STOCK_TRANSACTION_KINDS)[number];
export const STOCK_TRANSACTION_LABELS: Record<StockTransactionKind, string> = {
  count: 'Count',
  restock: 'Restock',
  use: 'Used',
  discard: 'Discard',
  adjust: 'Adjustment',
};

/**
 * A lot's expiry on a day: `expired` when its date is before the day, `expiring` when it falls
 * within the threshold (the day itself included), `ok` later, `none` when no date is recorded.
 */
export type ExpiryStatus = 'expired' | 'expiring' | 'ok' | 'none';

export interface LotView {
  id: string;
  /** The lot number as printed; null when none was recorded (stock of unknown lot). */
  lot: string | null;
  expiresOn: IsoDate | null;
  onHand: number;
  expiry: ExpiryStatus;
}

/** The flags of one item at one stock location on a day. */
export interface StockFlags {
  /** On hand minus expired: what can actually be used. */
  usable: number;
  /** Units on hand in lots already expired. */
  expired: number;
  /** Units on hand in lots expiring within the threshold (not yet expired). */
  expiringSoon: number;
  /** The soonest expiry date of anything on hand (expired lots included). */
  nearestExpiry: IsoDate | null;
  /** Usable stock below the minimum. */
  belowMinimum: boolean;
  /** More on hand than the par level (after a generous restock). */
  abovePar: boolean;
  /** When below minimum: what brings the usable stock back to par; else 0. */
  reorderQuantity: number;
}

/** One item kept at a stock location: its levels, what is on hand by lot, and its flags. */
export interface StockLevelView {
  itemId: string;
  code: string;
  name: string;
  unit: string;
  defaultSupplier: string | null;
  par: number;
  minimum: number;
  /** The figure on record (the sum of every transaction): what a count expects to find. */
  onHand: number;
  /** Lots with stock on hand, soonest expiry first (undated last). */
  lots: LotView[];
  flags: StockFlags;
}

/** What the stock-check form lists for a stock location (the lead's log.form includes it). */
export interface StockCheckFormData {
  stockLocation: StockLocationHead;
  /** The day the flags are computed for. */
  asOf: IsoDate;
  /** The "expiring within N days" threshold (Settings). */
  expiringWithinDays: number;
  items: StockLevelView[];
}

/** One item's part in a stock check: what was expected, found, added, removed, and the flags after. */
export interface StockCheckItemResult {
  itemId: string;
  code: string;
  name: string;
  unit: string;
  par: number;
  minimum: number;
  /** On record before the check. */
  expected: number;
  /** Found on the shelf; null when not counted. */
  counted: number | null;
  /** counted − expected; null when not counted. */
  difference: number | null;
  restocked: number;
  discarded: number;
  /** On record after the check. */
  onHand: number;
  /** After the check, on the day of the check. */
  flags: StockFlags;
}

export interface StockCheckSummary {
  stockLocationId: string;
  stockLocationName: string;
  /** The completion the transactions are linked to; null for a preview. */
  completionId: string | null;
  /** The day of the check (the local date of its instant): flags are for this day. */
  on: IsoDate;
  expiringWithinDays: number;
  /**
   * `pass` when every item kept at the location was counted and no expired stock is left on hand
   * after the check; else `fail`, with the reasons. Below-minimum stock does not fail a check (it
   * goes on the reorder list).
   */
  outcome: Extract<Outcome, 'pass' | 'fail'>;
  /** Sentences saying why the outcome is `fail`; empty for `pass`. */
  reasons: string[];
  items: StockCheckItemResult[];
  totals: {
    items: number;
    counted: number;
    belowMinimum: number;
    expiringSoon: number;
    expired: number;
    restocked: number;
    discarded: number;
  };
}

/** A stock check as recorded, for the page that shows it afterwards. */
export interface StockCheckRecord {
  completionId: string;
  planId: string | null;
  performedAt: string;
  performedByName: string;
  /** The outcome the record carries. */
  recordedOutcome: Outcome;
  stockLocation: StockLocationHead;
  summary: StockCheckSummary;
}

/** A stock location in the list, with its flag counts and its next check. */
export interface StockLocationRow extends StockLocationHead {
  kindLabel: string;
  items: number;
  /** Items below minimum, with expired stock, with stock expiring soon. */
  belowMinimum: number;
  expired: number;
  expiringSoon: number;
  nextCheck: { planId: string; taskLabel: string; dueDate: IsoDate; status: PlanStatus; daysOverdue: number } | null;
}

export interface StockCheckListEntry {
  completionId: string;
  performedAt: string;
  performedOn: IsoDate;
  outcome: Outcome;
  performedByName: string;
}

export interface StockLocationDetail {
  location: StockLocationRow;
  asOf: IsoDate;
  expiringWithinDays: number;
  items: StockLevelView[];
  /** Its plans (stock checks), active first. */
  plans: PlanView[];
  /** The latest recorded stock checks, newest first. */
  recentChecks: StockCheckListEntry[];
}

export interface StockTransactionView {
  id: string;
  at: string;
  kind: StockTransactionKind;
  itemId: string;
  itemCode: string;
  itemName: string;
  lot: string | null;
  expiresOn: IsoDate | null;
  delta: number;
  counted: number | null;
  reason: string | null;
  completionId: string | null;
  userName: string;
}

/** One line of the reorder list: an item below minimum at a stock location. */
export interface ReorderRow {
  stockLocationId: string;
  stockLocationName: string;
  stockLocationKind: StockLocationKind;
  locationPath: string;
  itemId: string;
  code: string;
  name: string;
  unit: string;
  defaultSupplier: string | null;
  par: number;
  minimum: number;
  onHand: number;
  usable: number;
  expired: number;
  /** par − usable. */
  orderQuantity: number;
}

/** One line of the expiry list: a lot on hand that has expired or expires within the threshold. */
export interface ExpiryRow {
  stockLocationId: string;
  stockLocationName: string;
  locationPath: string;
  itemId: string;
  code: string;
  name: string;
  unit: string;
  lotId: string;
  lot: string | null;
  expiresOn: IsoDate;
  onHand: number;
  status: 'expired' | 'expiring';
  /** Days from the list's day to the expiry date: negative when expired. */
  days: number;
}

/** What an empty reorder or expiry list says, on screen and on paper, where no item is kept at all. */
export const NOTHING_KEPT = 'No stock is kept here yet: a supervisor adds stock locations and the items each keeps (Stock → Stock locations).';

export interface StockList<Row> {
  asOf: IsoDate;
  expiringWithinDays: number;
  /** What the list covers, in words: "all stock locations", "Crash cart (Ward 4B)". */
  scope: string;
  /**
   * How many items the stock locations it covers keep (each item at each place once): with none,
   * an empty list says nothing is kept yet, not "nothing is below its minimum".
   */
  itemsKept: number;
  rows: Row[];
}

/** What the supplies-used picker offers: each active stock location and what it holds. */
export interface SupplyChoice {
  id: string;
  name: string;
  kindLabel: string;
  locationPath: string;
  equipmentId: string | null;
  items: { itemId: string; code: string; name: string; unit: string; onHand: number }[];
}

export interface StockExport {
  fileName: string;
  content: string;
  count: number;
}
