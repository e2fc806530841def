import type { CompletionRecorded } from '../../../shared/domain/plan';
import type { Outcome } from '../../../shared/scheduling';
import { advances, localDateOf } from '../../../shared/scheduling';
import { bindRow } from '../permanent/bind';
import { isoInstant } from '../clock';
import { afterSignedRecord, ruleMayReturn } from '../repairs/on-record';
import { openWorkOrderOf } from '../repairs/store';
import { changeServiceStatus, holdForWorkOrder } from '../status/history';
import type { Actor, Core, WriteCore } from '../context';
import { AppError } from '../errors';
import { uuidv7 } from '../ids';
import { getPlan, taskTypeMap } from '../plans/service';
import { recomputePlan } from '../plans/scheduler';
import { command, query } from '../sql/query';
import type { CompletionRow, EquipmentRow, PlanRow } from '../sql/rows';
import { deriveServiceState, holdingPlanIds, tagOutReason } from '../sync/service-status';

export interface CompletionInput {
  /** The plan the work counts for; null for unplanned work, which names its device and task (`unplanned`). */
  planId: string | null;
  unplanned?: { equipmentId: string; task: string };
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

const serviceState = query<Pick<EquipmentRow, 'id'> & ServiceState, { id: string }>(
  'SELECT id, status, status_reason, tagged_out_by_plan_id FROM equipment WHERE id = @id',
);
const deviceOnly = query<Pick<EquipmentRow, 'id' | 'status' | 'asset_tag'>, { id: string }>('SELECT id, status, asset_tag FROM equipment WHERE id = @id');
const planHead = query<PlanHead, { id: string }>('SELECT id, equipment_id, stock_location_id, task, active FROM plans WHERE id = @id');
const firstEntered = query<{ entered: string; source: CompletionRow['source'] }, { id: string }>(
  'SELECT coalesce(entered_at, created_at) AS entered, source FROM completions WHERE id = @id',
);
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
 * deciding record (a fail or an advancing completion, in performed order, rule 8) is a fail not
 * already overridden by a person putting the device in service. While any plan holds the device,
 * a pass of another does not release it. Imported history is unsigned and never decides a
 * device's status (issue 13, item 1). PCs of a hub derive the status from the same function
 * (sync/service-status.ts), whatever order records arrive in.
 */
function holdingPlans(core: Core, equipmentId: string): string[] {
  return holdingPlanIds(core, equipmentId);
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
  completion: { id: string; outcome: Outcome; performedOn: string; amends: boolean },
): CompletionRecorded['service'] {
  if (!plan.equipment_id) return null;
  const types = taskTypeMap(core);
  const task = types.get(plan.task);
  if (!task?.failTagsOut) return null;
  const e = serviceState.get(core, { id: plan.equipment_id });
  if (!e) return null;
  const setStatus = (next: ServiceState) =>
    changeServiceStatus(
      core,
      actor,
      e.id,
      { status: next.status, reason: next.status_reason, taggedOutByPlanId: next.tagged_out_by_plan_id },
      { cause: 'rule_12', completionId: completion.id },
    );
  if (completion.amends) return followCorrection(core, actor, e, setStatus);
  if (completion.outcome === 'fail') {
    if (e.status === 'out_of_service' && e.tagged_out_by_plan_id !== null) {
      // Already tagged out: the reason names the holding fail entered first, as every PC of a hub
      // derives it (sync/service-status.ts). This fail can be that one when the PC's clock was put
      // back since the fail that tagged the device out.
      const derived = deriveServiceState(core, e.id);
      if (derived?.status === 'out_of_service' && (derived.statusReason !== e.status_reason || derived.taggedOutByPlanId !== e.tagged_out_by_plan_id))
        setStatus({ status: 'out_of_service', status_reason: derived.statusReason, tagged_out_by_plan_id: derived.taggedOutByPlanId });
      return null;
    }
    // Only when this fail is the plan's latest deciding record: a fail typed in late, before a pass already logged, changes nothing now.
    if (e.status !== 'in_service' || !holdingPlans(core, e.id).includes(plan.id)) return null;
    setStatus({
      status: 'out_of_service',
      // The words every PC of a hub derives for it (sync/service-status.ts), so a recompute changes nothing.
      status_reason: tagOutReason({ taskLabel: task.label, performedOn: completion.performedOn }),
      tagged_out_by_plan_id: plan.id,
    });
    return 'tagged_out';
  }
  if (!advances(completion.outcome) || e.status !== 'out_of_service' || e.tagged_out_by_plan_id === null) return null;
  // A work order someone has taken decides the return: through its post-repair checks (issue 16).
  const wo = openWorkOrderOf(core, e.id);
  if (!ruleMayReturn(wo)) {
    if (wo && holdingPlans(core, e.id).length === 0) holdForWorkOrder(core, actor, e.id, wo.id);
    return null;
  }
  const holders = holdingPlans(core, e.id);
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
 * A correction replaces the record it corrects as a deciding record (rule 8), whatever either
 * outcome: the device's status follows what the records now say, as every PC derives it. A fail
 * corrected to "not done" (the wrong device was tested) no longer holds the device; a pass
 * corrected away lets the fail before it hold the device again. A person's decision stands, and a
 * work order someone has taken still decides the return (as for a pass).
 */
function followCorrection(core: WriteCore, actor: Actor, e: Pick<EquipmentRow, 'id'> & ServiceState, setStatus: (next: ServiceState) => unknown): CompletionRecorded['service'] {
  const derived = deriveServiceState(core, e.id);
  if (!derived) return null;
  if (derived.status === e.status && derived.statusReason === e.status_reason && derived.taggedOutByPlanId === e.tagged_out_by_plan_id) return null;
  if (derived.status === 'in_service') {
    // Only a device the rule tagged out returns by itself.
    if (e.status !== 'out_of_service' || e.tagged_out_by_plan_id === null) return null;
    const wo = openWorkOrderOf(core, e.id);
    if (!ruleMayReturn(wo)) {
      if (wo) holdForWorkOrder(core, actor, e.id, wo.id);
      return null;
    }
    setStatus({ status: 'in_service', status_reason: null, tagged_out_by_plan_id: null });
    return 'returned_to_service';
  }
  // A person's decision is theirs to change, not the rule's.
  if (derived.taggedOutByPlanId === null) return null;
  setStatus({ status: 'out_of_service', status_reason: derived.statusReason, tagged_out_by_plan_id: derived.taggedOutByPlanId });
  return e.status === 'in_service' ? 'tagged_out' : null;
}

/**
 * A fail of a task that takes a device out of service, done without a plan (an acceptance check
 * of a new device): out of service at once, as a failed record; it returns through its work order.
 */
function applyUnplannedRule(core: WriteCore, actor: Actor, equipmentId: string, completion: { id: string; task: string; outcome: Outcome; performedOn: string }): CompletionRecorded['service'] {
  const task = taskTypeMap(core).get(completion.task);
  if (completion.outcome !== 'fail' || !task?.failTagsOut) return null;
  const e = deviceOnly.get(core, { id: equipmentId });
  if (!e || e.status !== 'in_service') return null;
  changeServiceStatus(
    core,
    actor,
    e.id,
    { status: 'out_of_service', reason: `Failed ${task.label.toLowerCase()} on ${completion.performedOn}. Do not use.`, taggedOutByPlanId: null },
    { cause: 'record', completionId: completion.id },
  );
  return 'tagged_out';
}

/**
 * The device and task of unplanned work, checked: an active equipment task, on a device that
 * exists. A correction of a record of a task type since taken out of use stays possible (`amending`),
 * as for a record of a plan since switched off.
 */
function unplannedTarget(core: Core, target: { equipmentId: string; task: string }, amending: boolean): PlanHead {
  const e = deviceOnly.get(core, { id: target.equipmentId });
  if (!e) throw new AppError('not_found', 'That device does not exist.', { field: 'equipmentId' });
  const type = taskTypeMap(core).get(target.task);
  if (!type || type.target !== 'equipment') throw new AppError('invalid_input', `"${target.task}" is not a task done on a device.`, { field: 'task' });
  if (!type.active && !amending) throw new AppError('invalid_input', `${type.label} is no longer in use; choose another task.`, { field: 'task' });
  return { id: '', equipment_id: e.id, stock_location_id: null, task: type.code, active: 1 };
}

/**
 * When the work of a record was entered. A correction keeps when the work was first entered (the
 * original's, walked back through its corrections, which kept it in turn): correcting a note a week
 * later does not make on-time work "entered late", and a correction moving the day back shows how late
 * the work really was entered. `created_at` still says when the correction was made. A correction of
 * imported history is the work's first signed entry, so it is entered when it is made: imported rows
 * count only when imported before a plan's first signed record (scheduler, compliance, sync), and a
 * correction dated to the import would push the rest of that import out. The value is a column of
 * the synced, bound row: every PC reads the same one, none recomputes it.
 */
function enteredAt(core: Core, amendsId: string | null, now: Date): string {
  const original = amendsId ? firstEntered.get(core, { id: amendsId }) : undefined;
  return original && original.source !== 'import' ? original.entered : isoInstant(now);
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
  let plan: PlanHead;
  if (input.planId !== null) {
    const found = planHead.get(core, { id: input.planId });
    if (!found) throw new AppError('not_found', 'That plan does not exist.', { field: 'planId' });
    // A correction of a record the plan already has stays possible: the plan keeps its history, and a mistake in it is corrected.
    if (found.active !== 1 && !input.amendsId) throw new AppError('conflict', 'This plan is no longer active; work cannot be logged against it.', { field: 'planId' });
    plan = found;
  } else if (input.unplanned) {
    plan = unplannedTarget(core, input.unplanned, Boolean(input.amendsId));
  } else {
    throw new AppError('invalid_input', 'Say which plan the work was for, or which device and task.', { field: 'planId' });
  }
  const planned = input.planId !== null;
  const row: Omit<CompletionRow, 'created_at' | 'pc_id' | 'entered_at'> = {
    id: input.id ?? uuidv7(),
    plan_id: planned ? plan.id : null,
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
  insert.run(core, { ...row, created_at: isoInstant(now), entered_at: enteredAt(core, input.amendsId ?? null, now), pc_id: core.pcId });
  bindRow(core, actor, 'completions', { id: row.id });
  if (planned) recomputePlan(core, plan.id);
  // Imported history is unsigned: it never takes a device out of service or returns one (item 1),
  // nor opens a work order.
  let service: CompletionRecorded['service'] = null;
  if (input.source !== 'import') {
    const facts = { id: row.id, task: row.task, outcome: row.outcome, performedOn: row.performed_on, amends: row.amends_id !== null };
    service = planned ? applyServiceRule(core, actor, plan, facts) : applyUnplannedRule(core, actor, plan.equipment_id!, facts);
    afterSignedRecord(core, actor, {
      id: row.id,
      equipmentId: row.equipment_id,
      task: row.task,
      outcome: row.outcome,
      performedAt: row.performed_at,
      performedOn: row.performed_on,
      notes: row.notes,
      service,
    });
  }
  return {
    id: row.id,
    planId: planned ? plan.id : null,
    performedAt: row.performed_at,
    performedOn: row.performed_on,
    outcome: row.outcome,
    plan: planned ? getPlan(core, plan.id) : null,
    service,
  };
}
