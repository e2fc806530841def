import type { IsoDate } from '../domain/common';
import { addDaysTo, instantOf } from './dates';
import { addInterval, firstOccurrenceAfter, type Interval } from './interval';

export const OUTCOMES = ['pass', 'pass_adjusted', 'fail', 'not_done_in_use', 'not_done_not_located', 'not_done_other'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const PLAN_MODES = ['fixed', 'floating'] as const;
export type PlanMode = (typeof PLAN_MODES)[number];
export const DEFAULT_PLAN_MODE: PlanMode = 'floating';

/** Rule 4: only a pass (adjusted or not) advances a plan. */
export function advances(outcome: Outcome): boolean {
  return outcome === 'pass' || outcome === 'pass_adjusted';
}

export interface PlanRule {
  interval: Interval;
  mode: PlanMode;
  startDate: IsoDate;
  windowDays: number;
  graceDays: number;
}

export interface CompletionFact {
  /** ISO-8601 UTC instant. Orders completions (rule 8). */
  performedAt: string;
  /** Local calendar date of `performedAt`, computed by the caller (rule 1). Dates every rule. */
  performedOn: IsoDate;
  outcome: Outcome;
}

/**
 * Rule 8: completions in the order they were performed, whatever order they were entered in.
 * Equal instants fall back to the date, then to the outcome's place in OUTCOMES, so the result
 * depends only on the completions, never on the order given. The input is not changed.
 */
export function inPerformedOrder<C extends CompletionFact>(completions: readonly C[]): C[] {
  return completions
    .map((completion) => ({ completion, at: instantOf(completion.performedAt) }))
    .sort(
      (a, b) =>
        a.at - b.at ||
        (a.completion.performedOn < b.completion.performedOn ? -1 : a.completion.performedOn > b.completion.performedOn ? 1 : 0) ||
        OUTCOMES.indexOf(a.completion.outcome) - OUTCOMES.indexOf(b.completion.outcome),
    )
    .map(({ completion }) => completion);
}

/** The last advancing completion in performed order (rule 8), or null. */
export function latestAdvancing<C extends CompletionFact>(completions: readonly C[]): C | null {
  return inPerformedOrder(completions.filter((c) => advances(c.outcome))).at(-1) ?? null;
}

/** Rule 7: the next due date of a fixed plan last done on `doneOn`. */
export function fixedNextDue(plan: PlanRule, doneOn: IsoDate): IsoDate {
  return firstOccurrenceAfter(plan.startDate, plan.interval, addDaysTo(doneOn, plan.windowDays)).date;
}

/** Rules 5–8. `lastDoneOn` is the date of the latest advancing completion. */
export function nextDue(plan: PlanRule, completions: readonly CompletionFact[]): { nextDue: IsoDate; lastDoneOn: IsoDate | null } {
  const latest = latestAdvancing(completions);
  if (latest === null) return { nextDue: plan.startDate, lastDoneOn: null };
  const doneOn = latest.performedOn;
  const due = plan.mode === 'fixed' ? fixedNextDue(plan, doneOn) : addInterval(doneOn, plan.interval);
  return { nextDue: due, lastDoneOn: doneOn };
}

/** The first day a plan is `due` (rule 10): next due − window. */
export function dueFrom(nextDueOn: IsoDate, windowDays: number): IsoDate {
  return addDaysTo(nextDueOn, -windowDays);
}
