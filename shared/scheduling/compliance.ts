/**
 * Rule 13: verdicts on the occurrences of one plan that fall in a period [from, to].
 *
 * Which occurrences:
 * - Fixed plans: the grid `start + k·interval` (rule 3). An advancing completion counts for the
 *   latest occurrence on or before (its date + window), i.e. the one whose window it falls in; the
 *   plan then moves on exactly as rule 7 says, and the occurrences it jumped over are missed. A
 *   completion that reaches no occurrence still open (done again early) satisfies nothing new.
 * - Floating plans have no grid. Their occurrences are the due dates the plan actually had: the
 *   start date, then (each advancing completion's date + interval), each satisfied by the next
 *   advancing completion. Done before its window opened still counts as on time (floating plans
 *   restart from the completion, so nothing was late); only a date after due + grace is late.
 *
 * Which verdict, judged at the end of the period (or at `asOf`, "today", if that is earlier;
 * completions after it are ignored, so a past period's report does not change as time passes):
 * - exempt: a `not_done_in_use` or `not_done_not_located` entry belongs to it. Exempt wins over the
 *   other verdicts ("counted neither for nor against"), but the satisfying completion is still given.
 * - on_time / late: satisfied at or before due + grace / after it.
 * - missed: passed over, or still open and overdue (end > due + grace).
 * - open: not yet decided.
 * A non-advancing entry (fail, not done) belongs to the occurrence an advancing completion at the
 * same moment would have counted for, or to the open occurrence the plan was due for then, if that
 * is later: for floating plans, always the open one.
 */
import type { IsoDate } from '../domain/common';
import { addDaysTo } from './dates';
import { addInterval, firstOccurrenceAfter, firstOccurrenceOnOrAfter, occurrence } from './interval';
import { advances, inPerformedOrder, type CompletionFact, type Outcome, type PlanRule } from './next-due';

export const VERDICTS = ['on_time', 'late', 'missed', 'exempt', 'open'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** Outcomes that exempt the occurrence they belong to. */
export function exempts(outcome: Outcome): boolean {
  return outcome === 'not_done_in_use' || outcome === 'not_done_not_located';
}

export interface CompliancePeriod {
  from: IsoDate;
  to: IsoDate;
}

export interface OccurrenceVerdict<C extends CompletionFact = CompletionFact> {
  dueOn: IsoDate;
  verdict: Verdict;
  /** The advancing completion that satisfied the occurrence, if any. */
  satisfiedBy: C | null;
  /** Other entries that belong to it (fails, not done, repeats), in performed order. */
  entries: C[];
}

interface Slot<C> {
  dueOn: IsoDate;
  satisfiedBy: C | null;
  entries: C[];
  passedOver: boolean;
}

function verdictOf<C extends CompletionFact>(slot: Slot<C>, plan: PlanRule, end: IsoDate): Verdict {
  if (slot.entries.some((entry) => exempts(entry.outcome))) return 'exempt';
  // The last day on time, as a date (dates compare as strings): remembered sums, not a day count per occurrence.
  const lastOnTime = addDaysTo(slot.dueOn, plan.graceDays);
  if (slot.satisfiedBy !== null) return slot.satisfiedBy.performedOn <= lastOnTime ? 'on_time' : 'late';
  if (slot.passedOver || end > lastOnTime) return 'missed';
  return 'open';
}

function fixedSlots<C extends CompletionFact>(plan: PlanRule, facts: readonly C[], period: CompliancePeriod): Slot<C>[] {
  const { startDate, interval, windowDays } = plan;
  const byIndex = new Map<number, Slot<C>>();
  const slot = (k: number): Slot<C> => {
    let found = byIndex.get(k);
    if (found === undefined) {
      found = { dueOn: occurrence(startDate, interval, k), satisfiedBy: null, entries: [], passedOver: false };
      byIndex.set(k, found);
    }
    return found;
  };
  /** Index of the plan's next due occurrence (rule 7); all before it are satisfied or passed over. */
  let current = 0;
  for (const fact of facts) {
    // The occurrence whose window the fact falls in is the one before the next due it would give.
    const countsFor = firstOccurrenceAfter(startDate, interval, addDaysTo(fact.performedOn, windowDays)).k - 1;
    if (!advances(fact.outcome)) {
      slot(Math.max(current, countsFor)).entries.push(fact);
    } else if (countsFor >= current) {
      slot(countsFor).satisfiedBy = fact;
      current = countsFor + 1;
    } else if (countsFor >= 0) {
      slot(countsFor).entries.push(fact);
    }
  }
  const slots: Slot<C>[] = [];
  for (let k = firstOccurrenceOnOrAfter(startDate, interval, period.from).k; ; k += 1) {
    const found = slot(k);
    if (found.dueOn > period.to) break;
    found.passedOver = k < current && found.satisfiedBy === null;
    slots.push(found);
  }
  return slots;
}

function floatingSlots<C extends CompletionFact>(plan: PlanRule, facts: readonly C[], period: CompliancePeriod): Slot<C>[] {
  let open: Slot<C> = { dueOn: plan.startDate, satisfiedBy: null, entries: [], passedOver: false };
  const all = [open];
  for (const fact of facts) {
    if (advances(fact.outcome)) {
      open.satisfiedBy = fact;
      open = { dueOn: addInterval(fact.performedOn, plan.interval), satisfiedBy: null, entries: [], passedOver: false };
      all.push(open);
    } else {
      open.entries.push(fact);
    }
  }
  return all.filter((s) => s.dueOn >= period.from && s.dueOn <= period.to);
}

/**
 * Rule 13 for one plan over [period.from, period.to] (inclusive): each occurrence due in the period
 * with its verdict, in order. Pass every completion of the plan, not only the period's: a
 * completion before the period may satisfy an occurrence in it. Generic so callers get their own
 * completion rows (with ids) back in `satisfiedBy` and `entries`.
 */
export function occurrenceVerdicts<C extends CompletionFact>(
  plan: PlanRule,
  completions: readonly C[],
  period: CompliancePeriod,
  options: { asOf?: IsoDate } = {},
): OccurrenceVerdict<C>[] {
  if (period.from > period.to) return [];
  const end = options.asOf !== undefined && options.asOf < period.to ? options.asOf : period.to;
  const facts = inPerformedOrder(completions).filter((c) => c.performedOn <= end);
  const slots = plan.mode === 'fixed' ? fixedSlots(plan, facts, period) : floatingSlots(plan, facts, period);
  return slots.map((s) => ({ dueOn: s.dueOn, verdict: verdictOf(s, plan, end), satisfiedBy: s.satisfiedBy, entries: s.entries }));
}

export interface ComplianceSummary {
  /** Decided occurrences: onTime + late + missed + exempt. Open ones are not yet due for judgement. */
  due: number;
  onTime: number;
  late: number;
  missed: number;
  exempt: number;
  open: number;
  /** onTime / (due − exempt); null when nothing counts. */
  completionRate: number | null;
}

export function summarise(verdicts: Iterable<Verdict | { verdict: Verdict }>): ComplianceSummary {
  const count = noVerdicts();
  for (const v of verdicts) count[typeof v === 'string' ? v : v.verdict] += 1;
  return summariseCounts(count);
}

/** A count of each verdict, all nought: for summariseCounts. */
export function noVerdicts(): Record<Verdict, number> {
  return { on_time: 0, late: 0, missed: 0, exempt: 0, open: 0 };
}

/** summarise, from the verdicts already counted (a report that counts as it judges keeps no list of them). */
export function summariseCounts(count: Readonly<Record<Verdict, number>>): ComplianceSummary {
  const due = count.on_time + count.late + count.missed + count.exempt;
  const counted = due - count.exempt;
  return {
    due,
    onTime: count.on_time,
    late: count.late,
    missed: count.missed,
    exempt: count.exempt,
    open: count.open,
    completionRate: counted === 0 ? null : count.on_time / counted,
  };
}
