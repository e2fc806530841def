import type { IsoDate } from '../domain/common';
import { daysBetween } from './dates';
import { addInterval, DEFAULT_GRACE_DAYS, defaultWindowDays, planTimingProblem, type Interval } from './interval';
import { nextDue, type PlanMode } from './next-due';

/** What a plan holds that its next due date counts from besides its rule: as the Change… dialog opened with it. */
export interface PlanHistory {
  every: Interval;
  startDate: IsoDate;
  /** The latest pass signed (rule 8), or null. */
  lastDoneOn: IsoDate | null;
  /** The day it was last done before the device came to Wardkeep, or null. */
  doneBeforeOn: IsoDate | null;
}

/**
 * The start date a change keeps. A plan whose device came with the day the task was last done
 * before Wardkeep started an interval after that day (rule 6 from the work done before). Until a
 * pass is signed here, that start is the next due date, and it is "last done + interval" only for
 * the interval it was worked out with: so while the start is still the one derived (not one a
 * person typed), it is derived again from the new interval.
 */
export function startAfterChange(before: PlanHistory, input: { startDate: IsoDate; every: Interval }): IsoDate {
  const doneBefore = before.doneBeforeOn;
  if (doneBefore === null || before.lastDoneOn !== null || input.startDate !== before.startDate) return input.startDate;
  return before.startDate === addInterval(doneBefore, before.every) ? addInterval(doneBefore, input.every) : input.startDate;
}

/** A plan's rule as typed in a plan dialog: a blank window or grace takes its default (rule 9). */
export interface RuleTyped {
  every: Interval;
  mode: PlanMode;
  startDate: IsoDate;
  windowDays: number | null;
  graceDays: number | null;
}

/**
 * When a plan will next be due once saved with the rule typed: a new plan (`before` null) on its
 * start date, a changed one from its own history by rules 5–8 (nextDue, as main recomputes it).
 * Null when main would refuse the rule (a window or grace not shorter than the interval).
 */
export function nextDueOnSaving(rule: RuleTyped, before: PlanHistory | null): IsoDate | null {
  const windowDays = rule.windowDays ?? defaultWindowDays(rule.every);
  const graceDays = rule.graceDays ?? DEFAULT_GRACE_DAYS;
  if (planTimingProblem({ interval: rule.every, windowDays, graceDays })) return null;
  const startDate = before ? startAfterChange(before, rule) : rule.startDate;
  // Only the latest pass counts (rule 8): the plan's history stands for itself by its day.
  const done = before?.lastDoneOn ?? null;
  const history = done === null ? [] : [{ performedAt: `${done}T12:00:00Z`, performedOn: done, outcome: 'pass' as const }];
  return nextDue({ interval: rule.every, mode: rule.mode, startDate, windowDays, graceDays }, history).nextDue;
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** How far `date` is from `today`, in words: "today", "in 6 weeks", "3 days ago". */
export function fromToday(today: IsoDate, date: IsoDate): string {
  const d = daysBetween(today, date);
  if (d === 0) return 'today';
  if (d === 1) return 'tomorrow';
  if (d === -1) return 'yesterday';
  const n = Math.abs(d);
  const months = Math.round(n / 30.4375);
  const span =
    n < 14
      ? plural(n, 'day')
      : n < 60
        ? plural(Math.round(n / 7), 'week')
        : n < 730 && months % 12 !== 0
          ? plural(months, 'month')
          : plural(Math.max(1, Math.round(n / 365.25)), 'year');
  return d > 0 ? `in ${span}` : `${span} ago`;
}
