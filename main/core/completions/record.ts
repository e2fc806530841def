import type { CompletionRecorded } from '../../../shared/domain/plan';
import type { Outcome } from '../../../shared/scheduling';
import { advances, inPerformedOrder, localDateOf } from '../../../shared/scheduling';
import { appendAudit } from '../audit';
import { bindRow } from '../permanent/bind';
import { isoInstant } from '../clock';
import type { Actor, Core, WriteCore } from '../context';
import { AppError } from '../errors';
import { uuidv7 } from '../ids';
import { getPlan, taskTypeMap } from '../plans/service';
import { effectiveCompletions, recomputePlan } from '../plans/scheduler';
import { command, query } from '../sql/query';
import type { CompletionRow, EquipmentRow, PlanRow } from '../sql/rows';

export interface CompletionInput {
  planId: string;
  /** ISO-8601 instant (any offset); stored in UTC. Never in the future. */
  performedAt: string;
  outcome: Outcome;
  notes?: string | null;
  /** As written (imported history, past staff); defaults to the actor's name. */
  performedByName?: string | null;
  source: 'app' | 'cli' | 'import';
  /** The full record's parts (the record form): all optional for the minimal write. */
  id?: string;
  details?: Record<string, unknown>;
  minutesSpent?: number | null;
  procedureId?: string | null;
  referenceEquipmentId?: string | null;
  referenceNotCurrent?: boolean;
  outcomeOverrideReason?: string | null;
  /** Why work is entered this long after it was done (asked past the setting's number of days). */
  lateReason?: string | null;
  /** A correction: the record it corrects, and why. */
  amendsId?: string | null;
  amendReason?: string | null;
  /** Who did the work, when it was not the actor (an amendment keeps the original performer). */
  performedByUserId?: string | null;
}

type PlanHead = Pick<PlanRow, 'id' | 'equipment_id' | 'stock_location_id' | 'task' | 'active'>;
type ServiceState = Pick<EquipmentRow, 'status' | 'status_reason' | 'tagged_out_by_plan_id'>;

const activePlansOf = query<Pick<PlanRow, 'id' | 'task'>, { equipmentId: string }>(
  'SELECT id, task FROM plans WHERE equipment_id = @equipmentId AND active = 1',
);
const serviceState = query<Pick<EquipmentRow, 'id'> & ServiceState, { id: string }>(
  'SELECT id, status, status_reason, tagged_out_by_plan_id FROM equipment WHERE id = @id',
);
const setServiceState = command<Pick<EquipmentRow, 'id' | 'updated_at' | 'pc_id'> & ServiceState>(
  'UPDATE equipment SET status = @status, status_reason = @status_reason, tagged_out_by_plan_id = @tagged_out_by_plan_id, updated_at = @updated_at, pc_id = @pc_id WHERE id = @id',
);
const planHead = query<PlanHead, { id: string }>('SELECT id, equipment_id, stock_location_id, task, active FROM plans WHERE id = @id');
const insert = command<CompletionRow>(
  `INSERT INTO completions (id, plan_id, equipment_id, stock_location_id, task, performed_at, performed_on, outcome, notes,
     performed_by_user_id, performed_by_name, source, details, minutes_spent, procedure_id, reference_equipment_id,
     reference_not_current, outcome_override_reason, amends_id, amend_reason, late_reason, created_at, entered_at, pc_id)
   VALUES (@id, @plan_id, @equipment_id, @stock_location_id, @task, @performed_at, @performed_on, @outcome, @notes,
     @performed_by_user_id, @performed_by_name, @source, @details, @minutes_spent, @procedure_id, @reference_equipment_id,
     @reference_not_current, @outcome_override_reason, @amends_id, @amend_reason, @late_reason, @created_at, @entered_at, @pc_id)`,
);

/**
 * Rule 12 as the data stands: the device's plans whose task tags out on a fail and whose latest
 * deciding record (a fail or an advancing completion, in performed order, rule 8) is a fail.
 * While any plan holds the device, a pass of another does not release it. Imported history is
 * unsigned and never decides a device's status (issue 13, item 1).
 */
function holdingPlans(core: Core, equipmentId: string, tagOutTasks: ReadonlySet<string>): string[] {
  return activePlansOf
    .all(core, { equipmentId })
    .filter((p) => tagOutTasks.has(p.task))
    .filter((p) => {
      const deciding = effectiveCompletions(core, p.id).filter((c) => c.source !== 'import' && (c.outcome === 'fail' || advances(c.outcome)));
      return inPerformedOrder(deciding).at(-1)?.outcome === 'fail';
    })
    .map((p) => p.id);
}

/**
 * Rule 12: a fail of a task that tags out (task_types.fail_tags_out) takes an in-service device out
 * of service and records which plan did it; a later advancing completion of that plan returns it
 * to service, but only a device tagged out this way, and only when no other failed test holds it.
 */
function applyServiceRule(
  core: WriteCore,
  actor: Actor,
  plan: PlanHead,
  completion: { id: string; outcome: Outcome; performedOn: string },
): CompletionRecorded['service'] {
  if (!plan.equipment_id) return null;
  const types = taskTypeMap(core);
  const task = types.get(plan.task);
  if (!task?.failTagsOut) return null;
  const tagOutTasks = new Set([...types.values()].filter((t) => t.failTagsOut).map((t) => t.code));
  const e = serviceState.get(core, { id: plan.equipment_id });
  if (!e) return null;
  const now = isoInstant(core.clock.now());
  const setStatus = (next: ServiceState) => {
    setServiceState.run(core, { ...next, id: e.id, updated_at: now, pc_id: core.pcId });
    appendAudit(core, actor, {
      action: 'status',
      entity: 'equipment',
      entityId: e.id,
      old: { status: e.status, status_reason: e.status_reason, tagged_out_by_plan_id: e.tagged_out_by_plan_id },
      new: { ...next, by_completion_id: completion.id },
    });
  };
  if (completion.outcome === 'fail') {
    // Only when this fail is the plan's latest deciding record: a fail typed in late, before a pass already logged, changes nothing now.
    if (e.status !== 'in_service' || !holdingPlans(core, e.id, tagOutTasks).includes(plan.id)) return null;
    setStatus({
      status: 'out_of_service',
      status_reason: `Tagged out: failed ${task.label.toLowerCase()} on ${completion.performedOn}. Do not use.`,
      tagged_out_by_plan_id: plan.id,
    });
    return 'tagged_out';
  }
  if (!advances(completion.outcome) || e.status !== 'out_of_service' || e.tagged_out_by_plan_id === null) return null;
  const holders = holdingPlans(core, e.id, tagOutTasks);
  if (holders.length === 0) {
    setStatus({ status: 'in_service', status_reason: null, tagged_out_by_plan_id: null });
    return 'returned_to_service';
  }
  if (!holders.includes(e.tagged_out_by_plan_id)) {
    setStatus({ status: e.status, status_reason: e.status_reason, tagged_out_by_plan_id: holders[0]! });
  }
  return null;
}

/**
 * Records that a plan's task was done: the completion row, its audit entry, the plan's next due
 * date (recomputed from its whole effective history, rule 8) and rule 12, in the caller's
 * transaction (the dispatcher's, or an import's).
 */
export function recordCompletion(core: WriteCore, actor: Actor, input: CompletionInput): CompletionRecorded {
  const performed = new Date(input.performedAt);
  if (Number.isNaN(performed.getTime())) {
    throw new AppError('invalid_input', 'Performed at must be a date and time such as 2025-11-25T09:30:00Z.', { field: 'performedAt' });
  }
  const now = core.clock.now();
  if (performed.getTime() > now.getTime()) {
    throw new AppError('invalid_input', 'Performed at is in the future: record work once it is done.', { field: 'performedAt' });
  }
  const plan = planHead.get(core, { id: input.planId });
  if (!plan) throw new AppError('not_found', 'That plan does not exist.', { field: 'planId' });
  if (plan.active !== 1) throw new AppError('conflict', 'This plan is no longer active; work cannot be logged against it.', { field: 'planId' });
  const row: Omit<CompletionRow, 'created_at' | 'pc_id' | 'entered_at'> = {
    id: input.id ?? uuidv7(),
    plan_id: plan.id,
    equipment_id: plan.equipment_id,
    stock_location_id: plan.stock_location_id,
    task: plan.task,
    performed_at: isoInstant(performed),
    performed_on: localDateOf(performed),
    outcome: input.outcome,
    notes: input.notes ?? null,
    performed_by_user_id: input.performedByUserId !== undefined ? input.performedByUserId : actor.userId,
    performed_by_name: input.performedByName ?? actor.name,
    source: input.source,
    details: JSON.stringify(input.details ?? {}),
    minutes_spent: input.minutesSpent ?? null,
    procedure_id: input.procedureId ?? null,
    reference_equipment_id: input.referenceEquipmentId ?? null,
    reference_not_current: input.referenceNotCurrent ? 1 : 0,
    outcome_override_reason: input.outcomeOverrideReason ?? null,
    amends_id: input.amendsId ?? null,
    amend_reason: input.amendReason ?? null,
    late_reason: input.lateReason ?? null,
  };
  insert.run(core, { ...row, created_at: isoInstant(now), entered_at: isoInstant(now), pc_id: core.pcId });
  bindRow(core, actor, 'completions', { id: row.id });
  recomputePlan(core, plan.id);
  // Imported history is unsigned: it never takes a device out of service or returns one (item 1).
  const service = input.source === 'import' ? null : applyServiceRule(core, actor, plan, { id: row.id, outcome: row.outcome, performedOn: row.performed_on });
  return {
    id: row.id,
    planId: plan.id,
    performedAt: row.performed_at,
    performedOn: row.performed_on,
    outcome: row.outcome,
    plan: getPlan(core, plan.id),
    service,
  };
}
