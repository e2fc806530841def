import type { IsoDate } from '../../../shared/domain/common';
import type { CompletionFact, PlanRule } from '../../../shared/scheduling';
import { dueFrom, nextDue } from '../../../shared/scheduling';
import type { Core, WriteCore } from '../context';
import { AppError } from '../errors';
import { command, query } from '../sql/query';
import type { PlanRow } from '../sql/rows';

/**
 * Keeps each plan's stored `next_due`, `due_from` and `last_done_on` equal to what the rules of
 * docs/scheduling.md give from its history, so due lists and counts are index lookups. Every write that
 * changes a plan's rule or history calls `recomputePlan` inside its own transaction.
 */

/** The columns of a plan that its next due date is computed from, and those it is stored in. */
export type PlanRuleRow = Pick<
  PlanRow,
  'id' | 'interval_n' | 'interval_unit' | 'mode' | 'start_date' | 'window_days' | 'grace_days' | 'next_due' | 'due_from' | 'last_done_on'
>;

export function ruleOf(row: Pick<PlanRuleRow, 'interval_n' | 'interval_unit' | 'mode' | 'start_date' | 'window_days' | 'grace_days'>): PlanRule {
  return {
    interval: { n: row.interval_n, unit: row.interval_unit },
    mode: row.mode,
    startDate: row.start_date,
    windowDays: row.window_days,
    graceDays: row.grace_days,
  };
}

export interface EffectiveCompletion extends CompletionFact {
  id: string;
  /** 'import': past history from `wardkeep import history`, unsigned. */
  source: 'app' | 'cli' | 'import';
}

const effective = query<EffectiveCompletion, { planId: string }>(
  `SELECT c.id, c.performed_at AS performedAt, c.performed_on AS performedOn, c.outcome, c.source
   FROM completions c
   WHERE c.plan_id = @planId
     AND NOT (c.source = 'import' AND coalesce(c.entered_at, c.created_at) >= coalesce(
       (SELECT min(coalesce(f.entered_at, f.created_at)) FROM completions f WHERE f.plan_id = @planId AND f.source <> 'import'), '9999'))
     AND NOT EXISTS (SELECT 1 FROM completions a WHERE a.amends_id = c.id)
     AND (c.amends_id IS NULL OR NOT EXISTS (
       SELECT 1 FROM completions s
       WHERE s.amends_id = c.amends_id AND (s.created_at > c.created_at OR (s.created_at = c.created_at AND s.id > c.id))))`,
);
const ruleRow = query<PlanRuleRow, { id: string }>(
  'SELECT id, interval_n, interval_unit, mode, start_date, window_days, grace_days, next_due, due_from, last_done_on FROM plans WHERE id = @id',
);
const setDates = command<Pick<PlanRow, 'id' | 'next_due' | 'due_from' | 'last_done_on'>>(
  'UPDATE plans SET next_due = @next_due, due_from = @due_from, last_done_on = @last_done_on WHERE id = @id',
);

/**
 * The completions that count for a plan. A record is never changed: a correction is a new record
 * pointing at the one it corrects (`amends_id`). So a record that some later record amends is
 * replaced by it; of several amendments of one record the newest wins (a chain A ← B ← C leaves
 * only C). An amendment that moved the work to another plan counts there, not here.
 *
 * Imported history (unsigned, from `wardkeep import history`) counts only when it was imported
 * before the plan's first record signed in the app: paper records are brought in when a hospital
 * starts, and an import made once the app keeps the plan's records changes nothing (issue 13, item 1).
 */
export function effectiveCompletions(core: Core, planId: string): EffectiveCompletion[] {
  return effective.all(core, { planId });
}

export interface Recomputed {
  nextDue: IsoDate;
  dueFrom: IsoDate;
  lastDoneOn: IsoDate | null;
  changed: boolean;
}

/**
 * Rules 5–8 applied to the plan's effective history; writes the result if it differs.
 * Call inside the transaction of the write that changed the plan or its history.
 */
export function recomputePlan(core: WriteCore, planId: string): Recomputed {
  const row = ruleRow.get(core, { id: planId });
  if (!row) throw new AppError('not_found', 'That plan does not exist.', { field: 'planId' });
  const result = nextDue(ruleOf(row), effectiveCompletions(core, planId));
  const from = dueFrom(result.nextDue, row.window_days);
  const changed = row.next_due !== result.nextDue || row.due_from !== from || row.last_done_on !== result.lastDoneOn;
  if (changed) {
    setDates.run(core, { id: planId, next_due: result.nextDue, due_from: from, last_done_on: result.lastDoneOn });
  }
  return { nextDue: result.nextDue, dueFrom: from, lastDoneOn: result.lastDoneOn, changed };
}
