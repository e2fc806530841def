import type { IsoDate } from './common';
import type { DateFormatSetting } from './settings';
import type { ExpiryStatus, LotView, StockFlags } from './stock-views';
import { formatDate } from '../date-format';
import { addDaysTo } from '../scheduling/dates';

/**
 * The stock rules, pure so main and the stock-check form compute the same flags:
 *
 * - A lot is `expired` on day T when its expiry date is before T (a lot is usable on its expiry
 *   date itself), `expiring` when its date is within T … T + N days (N: Settings, default 30).
 * - Usable stock is on hand minus expired. An item is below minimum when its usable stock is
 *   below the minimum; its reorder quantity is then par − usable (what fills it back to par).
 * - Soonest expiry first ("FEFO"): lots in order of expiry date, undated lots last, ties by the
 *   order the lots were first stocked.
 */

export const DEFAULT_EXPIRING_WITHIN_DAYS = 30;

export function expiryStatus(expiresOn: IsoDate | null, today: IsoDate, withinDays: number): ExpiryStatus {
  if (expiresOn === null) return 'none';
  if (expiresOn < today) return 'expired';
  if (expiresOn <= addDaysTo(today, withinDays)) return 'expiring';
  return 'ok';
}

export interface LotQuantity {
  id: string;
  expiresOn: IsoDate | null;
  onHand: number;
}

/** The flags of an item from its levels and its lots on day `today`. */
export function stockFlags(level: { par: number; minimum: number }, lots: readonly Pick<LotQuantity, 'expiresOn' | 'onHand'>[], today: IsoDate, withinDays: number): StockFlags {
  let onHand = 0;
  let expired = 0;
  let expiringSoon = 0;
  let nearestExpiry: IsoDate | null = null;
  for (const lot of lots) {
    // A lot below zero (stock used on two PCs at once, docs/sync.md) counts against the figure, as
    // the item's figure shown does: what is usable is never more than that figure says.
    onHand += lot.onHand;
    if (lot.onHand <= 0) continue;
    const status = expiryStatus(lot.expiresOn, today, withinDays);
    if (status === 'expired') expired += lot.onHand;
    if (status === 'expiring') expiringSoon += lot.onHand;
    if (lot.expiresOn !== null && (nearestExpiry === null || lot.expiresOn < nearestExpiry)) nearestExpiry = lot.expiresOn;
  }
  const usable = Math.max(0, onHand - expired);
  const belowMinimum = usable < level.minimum;
  return {
    usable,
    expired,
    expiringSoon,
    nearestExpiry,
    belowMinimum,
    abovePar: onHand > level.par,
    reorderQuantity: belowMinimum ? level.par - usable : 0,
  };
}

/** Soonest expiry first, undated last; ties keep the given order (the order lots were stocked). */
export function fefo<L extends Pick<LotQuantity, 'expiresOn'>>(lots: readonly L[]): L[] {
  return lots
    .map((lot, index) => ({ lot, index }))
    .sort((a, b) => {
      const x = a.lot.expiresOn;
      const y = b.lot.expiresOn;
      if (x !== y) {
        if (x === null) return 1;
        if (y === null) return -1;
        return x < y ? -1 : 1;
      }
      return a.index - b.index;
    })
    .map((e) => e.lot);
}

/**
 * The order stock used in work is taken in when no lot is named: lots not expired on the day,
 * soonest expiry first; then undated lots; expired lots last. A use is never put down to expired
 * stock while other stock is on record.
 */
export function useOrder<L extends Pick<LotQuantity, 'expiresOn'>>(lots: readonly L[], today: IsoDate): L[] {
  const ordered = fefo(lots);
  const rank = (l: L) => (l.expiresOn === null ? 1 : l.expiresOn < today ? 2 : 0);
  return ordered.map((lot, index) => ({ lot, index })).sort((a, b) => rank(a.lot) - rank(b.lot) || a.index - b.index).map((e) => e.lot);
}

/**
 * Takes `quantity` from `lots` in the order given, at most `available(lot)` from each. Returns the
 * takes (lots with none taken left out) and what could not be taken.
 */
export function takeInOrder<L extends { id: string }>(
  lots: readonly L[],
  quantity: number,
  available: (lot: L) => number,
): { takes: { lot: L; take: number }[]; short: number } {
  const takes: { lot: L; take: number }[] = [];
  let left = quantity;
  for (const lot of lots) {
    if (left <= 0) break;
    const take = Math.min(left, Math.max(0, available(lot)));
    if (take > 0) {
      takes.push({ lot, take });
      left -= take;
    }
  }
  return { takes, short: left };
}

/** Lots as the screens show them: on hand only, soonest expiry first, with their expiry status. */
export function lotViews(
  lots: readonly { id: string; lot: string; expiresOn: IsoDate | null; onHand: number }[],
  today: IsoDate,
  withinDays: number,
): LotView[] {
  return fefo(lots.filter((l) => l.onHand > 0)).map((l) => ({
    id: l.id,
    lot: l.lot === '' ? null : l.lot,
    expiresOn: l.expiresOn,
    onHand: l.onHand,
    expiry: expiryStatus(l.expiresOn, today, withinDays),
  }));
}

/** "3 pairs", "1 each": a quantity with its unit, for sentences. */
export function quantityText(n: number, unit: string): string {
  return `${n} ${unit}`;
}

/** How an item is named in sentences: `Defibrillator pads (DEF-PAD)`. */
export function itemText(item: { name: string; code: string }): string {
  return `${item.name} (${item.code})`;
}

/**
 * "lot A123 (expires 01/03/2026)" or "stock of unrecorded lot", the date in the Settings date
 * format. For messages only (refusals, sentences beside a field): nothing stored or signed holds it.
 */
export function lotText(lot: { lot: string | null; expiresOn: IsoDate | null }, dateFormat: DateFormatSetting): string {
  const name = lot.lot ? `lot ${lot.lot}` : 'stock of unrecorded lot';
  return lot.expiresOn ? `${name} (expires ${formatDate(lot.expiresOn, dateFormat)})` : name;
}
