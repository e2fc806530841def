import { formatDate } from './date-format';
import type { DateFormatSetting } from './domain/settings';
import { fieldLabel } from './labels';
import { daysBetween } from './scheduling/dates';
import type { Interval } from './scheduling/interval';
import { occurrence } from './scheduling/interval';

/**
 * Dates that are possible but probably a slip of the keyboard (a year typed 1998 for 2026, or
 * 2099): saved only when the person confirms them. The same rule runs in the form, which asks
 * beside the field as soon as such a date is typed, and in main, which refuses the save until
 * the input says the dates were confirmed (`confirmDates: true`), so no caller skips the question.
 */
export interface DateQuestion {
  field: string;
  message: string;
}

/** Work logged more than this many days back is asked about. */
export const PERFORMED_DAYS_BACK = 30;
/** Acquired and in-service dates before this year are asked about (and any in the future). */
const EARLIEST_YEAR = 1970;
/** A warranty ending more than this many years ahead is asked about. */
const WARRANTY_YEARS_AHEAD = 25;

export const CONFIRM_DATES_LABEL = 'The dates are right: save them as they are';

const confirmTail = `Check it; if it is right, tick “${CONFIRM_DATES_LABEL}” and save again.`;

const days = (n: number) => `${n.toLocaleString('en-GB')} day${n === 1 ? '' : 's'}`;

/** The question about the day a piece of work was done (`YYYY-MM-DD`), or null. Future dates are refused elsewhere. */
export function performedDateQuestion(day: string, today: string, setting: DateFormatSetting, field = 'performedAt'): DateQuestion | null {
  const back = daysBetween(day, today);
  if (back <= PERFORMED_DAYS_BACK) return null;
  return { field, message: `${fieldLabel(field)} is ${days(back)} ago (${formatDate(day, setting)}). ${confirmTail}` };
}

/** Questions about a device's acquired, in-service and warranty dates (`YYYY-MM-DD` or null). */
export function equipmentDateQuestions(
  dates: { acquiredOn?: string | null; inServiceOn?: string | null; warrantyUntil?: string | null },
  today: string,
  setting: DateFormatSetting,
): DateQuestion[] {
  const out: DateQuestion[] = [];
  const ask = (field: string, day: string, why: string) =>
    out.push({ field, message: `${fieldLabel(field)} ${why} (${formatDate(day, setting)}). ${confirmTail}` });
  for (const field of ['acquiredOn', 'inServiceOn'] as const) {
    const day = dates[field];
    if (!day) continue;
    if (day > today) ask(field, day, `is in the future, ${days(daysBetween(today, day))} from today`);
    else if (Number(day.slice(0, 4)) < EARLIEST_YEAR) ask(field, day, `is before ${EARLIEST_YEAR}`);
  }
  const w = dates.warrantyUntil;
  if (w) {
    if (Number(w.slice(0, 4)) > Number(today.slice(0, 4)) + WARRANTY_YEARS_AHEAD) ask('warrantyUntil', w, `is more than ${WARRANTY_YEARS_AHEAD} years ahead`);
    else if (Number(w.slice(0, 4)) < EARLIEST_YEAR) ask('warrantyUntil', w, `is before ${EARLIEST_YEAR}`);
  }
  return out;
}

/**
 * The question about a plan's start date (`YYYY-MM-DD`), or null. The start date is when the work is
 * first due, so a year typed 2062 for 2026 would hide it from every due list for decades: a start
 * more than one interval and a year after today is asked about, and so is one before 1970. A start
 * in the recent past is usual (a plan of work already under way) and is not asked about.
 */
export function planStartDateQuestion(
  startDate: string,
  interval: Interval,
  today: string,
  setting: DateFormatSetting,
  field = 'startDate',
): DateQuestion | null {
  const ask = (why: string) => ({ field, message: `${fieldLabel(field)} ${why} (${formatDate(startDate, setting)}). ${confirmTail}` });
  if (Number(startDate.slice(0, 4)) < EARLIEST_YEAR) return ask(`is before ${EARLIEST_YEAR}`);
  const latest = occurrence(occurrence(today, interval, 1), { n: 1, unit: 'year' }, 1);
  if (startDate > latest) return ask(`is ${days(daysBetween(today, startDate))} from today, more than one interval and a year ahead: nothing would be due until then`);
  return null;
}
