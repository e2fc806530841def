import { z } from 'zod';
import type { IsoDate } from '../domain/common';
import { addDaysTo, calendarFields, daysBetween, daysInMonth, isoOfFields } from './dates';

export const INTERVAL_UNITS = ['day', 'week', 'month', 'year'] as const;
export type IntervalUnit = (typeof INTERVAL_UNITS)[number];

/** Rule 2: a whole number `n` ≥ 1 of a unit. */
export interface Interval {
  n: number;
  unit: IntervalUnit;
}

/**
 * Largest N accepted. The spec sets no bound; this one keeps every date the plan can reach a
 * four-digit year (999 years from now) and every count a safe integer.
 */
export const MAX_INTERVAL_N = 999;

const UNIT_BY_LETTER: Readonly<Record<string, IntervalUnit>> = { d: 'day', w: 'week', m: 'month', y: 'year' };
const LETTER: Readonly<Record<IntervalUnit, string>> = { day: 'd', week: 'w', month: 'm', year: 'y' };
/** Rule 9. */
const NOMINAL_DAYS: Readonly<Record<IntervalUnit, number>> = { day: 1, week: 7, month: 30, year: 365 };

export const INTERVAL_MESSAGE = 'must be written like 7d, 2w, 6m or 1y';
export const DEFAULT_GRACE_DAYS = 0;

export function isInterval(value: Interval): boolean {
  return (
    Number.isInteger(value.n) && value.n >= 1 && value.n <= MAX_INTERVAL_N && (INTERVAL_UNITS as readonly string[]).includes(value.unit)
  );
}

function checked(interval: Interval): Interval {
  if (!isInterval(interval)) throw new RangeError(`Not an interval: ${JSON.stringify(interval)}`);
  return interval;
}

/** `7d`, `2w`, `6m`, `1y` (any case, spaces around allowed) → Interval; anything else → null. */
export function parseInterval(text: string): Interval | null {
  const match = /^(\d+)([a-z])$/i.exec(text.trim());
  const digits = match?.[1];
  const unit = UNIT_BY_LETTER[match?.[2]?.toLowerCase() ?? ''];
  if (digits === undefined || unit === undefined) return null;
  const interval = { n: Number(digits), unit };
  return isInterval(interval) ? interval : null;
}

export function formatInterval(interval: Interval): string {
  return `${interval.n}${LETTER[interval.unit]}`;
}

/** "every week", "every 6 months". */
export function describeInterval(interval: Interval): string {
  return interval.n === 1 ? `every ${interval.unit}` : `every ${interval.n} ${interval.unit}s`;
}

/**
 * What is wrong with interval text that parseInterval refuses, to follow the field's name: "0m" and
 * "1000y" are written like 6m, so saying how to write them would not help; the number is named.
 */
export function intervalProblem(text: string): string {
  const match = /^(\d+)([a-z])$/i.exec(text.trim());
  const unit = UNIT_BY_LETTER[match?.[2]?.toLowerCase() ?? ''];
  if (match && unit) {
    const n = Number(match[1]);
    if (n < 1) return `must be at least 1 ${unit}`;
    if (n > MAX_INTERVAL_N) return `must be at most ${MAX_INTERVAL_N} ${unit}s`;
  }
  return INTERVAL_MESSAGE;
}

/** Zod schema for interval text as a person types it; parses to an Interval. */
export const intervalText = z.string({ message: INTERVAL_MESSAGE }).transform((text, ctx): Interval => {
  const interval = parseInterval(text);
  if (interval === null) {
    ctx.addIssue({ code: 'custom', message: intervalProblem(text), input: text });
    return z.NEVER;
  }
  return interval;
});

export function nominalDays(interval: Interval): number {
  return NOMINAL_DAYS[checked(interval).unit] * interval.n;
}

/** Rule 9: min(30, floor(nominal days / 10)). */
export function defaultWindowDays(interval: Interval): number {
  return Math.min(30, Math.floor(nominalDays(interval) / 10));
}

export interface PlanTiming {
  interval: Interval;
  windowDays: number;
  graceDays: number;
}

export interface PlanTimingProblem {
  field: 'windowDays' | 'graceDays';
  message: string;
}

const TIMING_LABELS = { windowDays: 'Window', graceDays: 'Grace' } as const;

function days(count: number): string {
  return count === 1 ? '1 day' : `${count} days`;
}

/** Rule 9: window and grace are each a whole number of days, ≥ 0 and smaller than the interval's nominal days. */
export function planTimingProblem(timing: PlanTiming): PlanTimingProblem | null {
  const nominal = nominalDays(timing.interval);
  for (const field of ['windowDays', 'graceDays'] as const) {
    const value = timing[field];
    const label = TIMING_LABELS[field];
    if (!Number.isInteger(value) || value < 0) {
      return { field, message: `${label} must be a whole number of days, 0 or more (not ${value}).` };
    }
    if (value >= nominal) {
      return { field, message: `${label} (${days(value)}) must be shorter than the interval (${days(nominal)}).` };
    }
  }
  return null;
}

/**
 * Rule 3: occurrence k of a plan, `start + k·interval`, added at once from the start (never
 * chained), so month ends clamp only in the month that needs it: 31 Jan monthly gives
 * 28 Feb, then 31 Mar.
 */
export function occurrence(start: IsoDate, interval: Interval, k: number): IsoDate {
  if (!Number.isSafeInteger(k) || k < 0) throw new RangeError(`Occurrence index must be a whole number ≥ 0, not ${k}`);
  const { n, unit } = checked(interval);
  return plusUnits(start, k * n, unit);
}

/**
 * `start` plus `count` units, in whole calendar fields as date-fns' addDays, addWeeks, addMonths and
 * addYears do (a month or year that lacks the day gives its last day: 31 Jan + 1 month is 28 or
 * 29 Feb), by integer arithmetic: no Date, no zone (issue 17: reports do this per occurrence).
 */
function plusUnits(start: IsoDate, count: number, unit: IntervalUnit): IsoDate {
  if (unit === 'day' || unit === 'week') return addDaysTo(start, unit === 'week' ? count * 7 : count);
  const [year, month, day] = calendarFields(start);
  const months = year * 12 + (month - 1) + (unit === 'year' ? count * 12 : count);
  const toYear = Math.floor(months / 12);
  const toMonth = months - toYear * 12 + 1;
  return isoOfFields(toYear, toMonth, Math.min(day, daysInMonth(toYear, toMonth)));
}

/** `date + interval` (rule 2), as floating plans advance (rule 6). */
export function addInterval(date: IsoDate, interval: Interval): IsoDate {
  return occurrence(date, interval, 1);
}

/** An index k ≥ 0 whose occurrence is on or before `date` (or 0): a starting point for searches. */
function indexLowerBound(start: IsoDate, interval: Interval, date: IsoDate): number {
  const { n, unit } = interval;
  if (unit === 'day' || unit === 'week') {
    const span = n * (unit === 'week' ? 7 : 1);
    return Math.max(0, Math.floor(daysBetween(start, date) / span));
  }
  // Occurrence k lies in the calendar month start + k·n·(1 or 12); one in an earlier month than `date` is before it.
  const span = n * (unit === 'year' ? 12 : 1);
  const [fromYear, fromMonth] = calendarFields(start);
  const [toYear, toMonth] = calendarFields(date);
  return Math.max(0, Math.floor(((toYear - fromYear) * 12 + (toMonth - fromMonth) - 1) / span));
}

export interface Occurrence {
  k: number;
  date: IsoDate;
}

/** The earliest occurrence (k ≥ 0) strictly later than `date`. Occurrences strictly increase with k. */
export function firstOccurrenceAfter(start: IsoDate, interval: Interval, date: IsoDate): Occurrence {
  checked(interval);
  let k = indexLowerBound(start, interval, date);
  while (k > 0 && occurrence(start, interval, k) > date) k -= 1;
  let next = occurrence(start, interval, k);
  while (next <= date) {
    k += 1;
    next = occurrence(start, interval, k);
  }
  return { k, date: next };
}

/** The earliest occurrence on or after `date`. */
export function firstOccurrenceOnOrAfter(start: IsoDate, interval: Interval, date: IsoDate): Occurrence {
  return firstOccurrenceAfter(start, interval, addDaysTo(date, -1));
}
