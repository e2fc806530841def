import { isValid, parseISO } from 'date-fns';
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
  if (typeof date?.getTime !== 'function' || Number.isNaN(date.getTime())) throw new RangeError('Not a valid date');
  // What format(date, 'yyyy-MM-dd') gives, without its cost (reports format every occurrence).
  return isoOfFields(date.getFullYear(), date.getMonth() + 1, date.getDate());
}

/**
 * A calendar date as its day number (days since 1970-01-01 in the proleptic Gregorian calendar),
 * by integer arithmetic (H. Hinnant's days_from_civil): whole-day sums need no Date, no zone and
 * no memo (issue 17: the due lists and the compliance report do them for every row).
 */
export function dayNumberOf(date: IsoDate): number {
  const [year, month, day] = calendarFields(date);
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

/** A calendar date's year, month (1–12) and day, checked to exist (as toDate checks). */
export function calendarFields(date: IsoDate): [year: number, month: number, day: number] {
  // Read digit by digit (a regular expression per call showed in the compliance report's profile).
  if (typeof date === 'string' && date.length === 10 && date.charCodeAt(4) === 45 && date.charCodeAt(7) === 45) {
    const year = digits(date, 0, 4);
    const month = digits(date, 5, 7);
    const day = digits(date, 8, 10);
    if (year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)) return [year, month, day];
  }
  throw new RangeError(`Not a calendar date written YYYY-MM-DD: "${date}"`);
}

/** The number written in text[from, to) in ASCII digits, or -1 if any is not one. */
function digits(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * The dates made so far, by their fields: a compliance report over a year at 50,000 devices makes
 * millions of dates, nearly all of them the same few hundred days, and making each string anew was
 * a fifth of what it allocated (issue 17). Bounded: emptied when full.
 */
const madeDates = new Map<number, IsoDate>();
const MADE_DATES_MAX = 50_000;

/** `YYYY-MM-DD` of a year, month (1–12) and day. */
export function isoOfFields(year: number, month: number, day: number): IsoDate {
  // Unique for any whole year: month < 16 and day < 32.
  const key = (year * 16 + month) * 32 + day;
  let date = madeDates.get(key);
  if (date === undefined) {
    date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    if (madeDates.size >= MADE_DATES_MAX) madeDates.clear();
    madeDates.set(key, date);
  }
  return date;
}

export function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** The calendar date of a day number (days_from_civil's inverse). */
export function dateOfDayNumber(days: number): IsoDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return isoOfFields(year, month, day);
}

/** `date` plus `days` whole calendar days (negative: back). */
export function addDaysTo(date: IsoDate, days: number): IsoDate {
  return dateOfDayNumber(dayNumberOf(date) + days);
}

/** Whole calendar days from `from` to `to`: positive when `to` is later. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumberOf(to) - dayNumberOf(from);
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

/** Whether an instant's text (UTC_INSTANT's form) names a day its month has: up to the 28th, any month. */
function dayInMonth(instant: string): boolean {
  const day = digits(instant, 8, 10);
  if (day <= 28) return true;
  const month = digits(instant, 5, 7);
  return month >= 1 && month <= 12 && day <= daysInMonth(digits(instant, 0, 4), month);
}

/** Instant (ms since the epoch) of an ISO-8601 timestamp, for ordering completions. */
export function instantOf(performedAt: string): number {
  // The form the app stores (toISOString's, or without the milliseconds) is read by Date.parse, which
  // gives parseISO's answer at a fraction of its cost (the compliance report orders every record it
  // reads); only for a day its month has, as Date.parse lets 30 February run into March (parseISO
  // refuses it). Days past the 28th are a tenth of all, and parseISO on them showed in a year's profile.
  const fast = UTC_INSTANT.test(performedAt) && dayInMonth(performedAt);
  const ms = fast ? Date.parse(performedAt) : parseISO(performedAt).getTime();
  if (Number.isNaN(ms)) throw new RangeError(`Not an ISO-8601 instant: "${performedAt}"`);
  return ms;
}
