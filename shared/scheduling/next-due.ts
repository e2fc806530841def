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
  const at = completions.map((c) => instantOf(c.performedAt));
  const order = (i: number, j: number) => {
    const a = completions[i]!;
    const b = completions[j]!;
    return (
      at[i]! - at[j]! ||
      (a.performedOn < b.performedOn ? -1 : a.performedOn > b.performedOn ? 1 : 0) ||
      OUTCOMES.indexOf(a.outcome) - OUTCOMES.indexOf(b.outcome)
    );
  };
  // Records usually come in this order already (a plan's, from its index by time): then a copy is
  // the answer a stable sort would give, without sorting (issue 17: the compliance report orders
  // every plan's records, and its sorts of them were a tenth of what a year's report allocated).
  let ordered = true;
  for (let i = 1; i < completions.length && ordered; i++) ordered = order(i - 1, i) <= 0;
  if (ordered) return completions.slice();
  return completions
    .map((_, i) => i)
    .sort(order)
    .map((i) => completions[i]!);
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
