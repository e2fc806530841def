import { addDays, differenceInCalendarDays, isValid, parseISO } from 'date-fns';
import type { IsoDate } from '../domain/common';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A calendar date as a Date at local noon, never midnight. In zones whose daylight-saving change
 * happens at midnight (America/Santiago, America/Havana, Asia/Beirut) local midnight is missing or
 * doubled on the day of the change, but noon exists on every day and stays on its calendar day
 * through the whole-day arithmetic date-fns does on local fields (addDays, addMonths, addYears).
 * So every function here gives the same answer whatever the process's zone is. (The only days
 * this cannot represent are whole calendar days a zone skipped, e.g. 2011-12-30 in Pacific/Apia.)
 */
export function toDate(date: IsoDate): Date {
  const match = ISO_DATE.exec(date);
  if (match !== null) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    // Set the fields directly (a constructor would read years 0–99 as 1900–1999). date-fns parse gives the
    // same Date at several times the cost, and compliance reports call this for every occurrence.
    const noon = new Date(2000, 0, 1, 12);
    noon.setFullYear(year, month - 1, day);
    if (noon.getFullYear() === year && noon.getMonth() === month - 1 && noon.getDate() === day) return noon;
  }
  throw new RangeError(`Not a calendar date written YYYY-MM-DD: "${date}"`);
}

/** The local calendar date of a Date (for dates from `toDate`, the date it was made from). */
export function toIsoDate(date: Date): IsoDate {
  if (!isValid(date)) throw new RangeError('Not a valid date');
  // What format(date, 'yyyy-MM-dd') gives, without its cost (reports format every occurrence).
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1, 2)}-${pad(date.getDate(), 2)}`;
}

/**
 * Date arithmetic answers, remembered: a hospital's plans share their dates, and the compliance
 * report asks the same sums hundreds of thousands of times (issue 17). The answers do not depend
 * on the zone (see toDate), so they can be kept; the memo is emptied when it grows large.
 */
export function memoised<A extends string | number, B extends string | number>(fn: (a: A, b: B) => string): (a: A, b: B) => string {
  const memo = new Map<string, string>();
  return (a, b) => {
    const key = `${a}|${b}`;
    let found = memo.get(key);
    if (found === undefined) {
      if (memo.size >= 200_000) memo.clear();
      found = fn(a, b);
      memo.set(key, found);
    }
    return found;
  };
}

const addDaysMemo = memoised((date: IsoDate, days: number) => toIsoDate(addDays(toDate(date), days)));

export function addDaysTo(date: IsoDate, days: number): IsoDate {
  return addDaysMemo(date, days);
}

/** Whole calendar days from `from` to `to`: positive when `to` is later. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return differenceInCalendarDays(toDate(to), toDate(from));
}

/** -1, 0 or 1. `YYYY-MM-DD` strings sort as the dates do. */
export function compareDates(a: IsoDate, b: IsoDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Rule 1: the local calendar date of an instant, in the zone this process runs in (the PC's).
 * This is how a caller computes a completion's `performedOn` and "today"; everything else in
 * this folder takes those dates as given and never looks at the zone again.
 */
export function localDateOf(instant: string | Date): IsoDate {
  const date = typeof instant === 'string' ? parseISO(instant) : instant;
  if (!isValid(date)) throw new RangeError(`Not an ISO-8601 instant: "${String(instant)}"`);
  return toIsoDate(date);
}

const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

/** Instant (ms since the epoch) of an ISO-8601 timestamp, for ordering completions. */
export function instantOf(performedAt: string): number {
  // The form the app stores (toISOString's, or without the milliseconds) is read by Date.parse, which
  // gives parseISO's answer at a fraction of its cost (the compliance report orders every record it
  // reads); not for days past the 28th, where Date.parse lets 30 February run into March.
  const fast = UTC_INSTANT.test(performedAt) && performedAt.slice(8, 10) <= '28';
  const ms = fast ? Date.parse(performedAt) : parseISO(performedAt).getTime();
  if (Number.isNaN(ms)) throw new RangeError(`Not an ISO-8601 instant: "${performedAt}"`);
  return ms;
}
