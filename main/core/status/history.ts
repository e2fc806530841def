import type { EquipmentStatus } from '../../../shared/domain/equipment';
import type { StatusCause, StatusChangeView } from '../../../shared/domain/work-order';
import { workOrderRef } from '../../../shared/domain/work-order';
import { appendAudit } from '../audit';
import { isoInstant } from '../clock';
import type { Actor, Core, WriteCore } from '../context';
import { uuidv7 } from '../ids';
import { bindRow } from '../permanent/bind';
import { command, query } from '../sql/query';
import type { EquipmentRow, StatusChangeRow } from '../sql/rows';
import { manualStatusColumns } from '../sync/service-status';

/**
 * The one way a device's service status changes (issue 16): the equipment row, its audit entry and
 * a row of the status history, in the caller's transaction. Every path goes through here: a person
 * (equipment.setStatus), rule 12 (a failed test and its later pass), a fault reported, a work
 * order returned or retired, a failed record without a plan. A device added with a status other
 * than in service gets its first row when it is added (`recordStatusChange` with from null).
 *
 * The history is append-only rows with UUIDv7 ids, bound to the audit trail, never updated or
 * deleted: it syncs as records do, and downtime is computed from it (shared/repairs/downtime.ts).
 */

type ServiceState = Pick<EquipmentRow, 'status' | 'status_reason' | 'tagged_out_by_plan_id'>;

const current = query<Pick<EquipmentRow, 'id'> & ServiceState, { id: string }>(
  'SELECT id, status, status_reason, tagged_out_by_plan_id FROM equipment WHERE id = @id',
);
const write = command<Pick<EquipmentRow, 'id' | 'updated_at' | 'pc_id'> & ServiceState>(
  'UPDATE equipment SET status = @status, status_reason = @status_reason, tagged_out_by_plan_id = @tagged_out_by_plan_id, updated_at = @updated_at, pc_id = @pc_id WHERE id = @id',
);
/**
 * A decision (a person, a fault report, a work order, a failed record without a plan) is kept apart
 * from the status in force, so PCs in a hub derive the same status from it and the merged records
 * (sync/service-status.ts): putting a device in service overrides the fails holding it. Rule 12's
 * own changes are derived from the records, and leave the decision as it is.
 */
const writeDecision = command<Pick<EquipmentRow, 'id' | 'manual_status' | 'manual_status_reason' | 'manual_overrides'>>(
  'UPDATE equipment SET manual_status = @manual_status, manual_status_reason = @manual_status_reason, manual_overrides = @manual_overrides WHERE id = @id',
);
// The device is now held by the decision, not by a plan's fail: as every PC derives it
// (sync/service-status.ts, a decision other than "in service" names no plan).
const holdDecision = command<{ id: string }>(
  `UPDATE equipment SET manual_status = status, manual_status_reason = status_reason, manual_overrides = '[]', tagged_out_by_plan_id = NULL
   WHERE id = @id AND status <> 'in_service' AND manual_status = 'in_service'`,
);
const insert = command<StatusChangeRow>(
  `INSERT INTO status_changes (id, equipment_id, at, from_status, to_status, reason, cause, work_order_id, completion_id, user_id, user_name, pc_id)
   VALUES (@id, @equipment_id, @at, @from_status, @to_status, @reason, @cause, @work_order_id, @completion_id, @user_id, @user_name, @pc_id)`,
);
const ofDevice = query<StatusChangeRow & { work_order_number: number | null }, { id: string }>(
  `SELECT s.*, w.number AS work_order_number FROM status_changes s LEFT JOIN work_orders w ON w.id = s.work_order_id
   WHERE s.equipment_id = @id ORDER BY s.at, s.id`,
);

/**
 * The change of the history that made a decision (not rule 12's own change) to this status with
 * these words: the latest, when several did.
 */
const decisionRow = query<Pick<StatusChangeRow, 'cause' | 'user_name' | 'work_order_id' | 'at'>, { id: string; status: EquipmentStatus; reason: string | null }>(
  `SELECT s.cause, s.user_name, s.work_order_id, s.at FROM status_changes s INDEXED BY status_changes_equipment
   WHERE s.equipment_id = @id AND s.cause <> 'rule_12' AND s.to_status = @status AND s.reason IS @reason
   ORDER BY s.at DESC, s.id DESC LIMIT 1`,
);
const decisionNow = query<Pick<EquipmentRow, 'manual_status' | 'manual_status_reason'>, { id: string }>(
  'SELECT manual_status, manual_status_reason FROM equipment WHERE id = @id',
);
/** Causes of a decision a person made apart from any work order: by hand, or when the device was added, imported or upgraded. */
const APART: ReadonlySet<StatusCause> = new Set<StatusCause>(['person', 'added', 'import', 'upgrade']);

/**
 * The decision holding a device out of service (or missing) that no work order made: a supervisor's
 * recall, a device added out of service. Null when the device is held by no decision (only by
 * rule 12's failed tests) or by one its fault reports or work orders made. Read from the decision
 * in force (merged alike on every PC of a hub) and the status history row that made it; a decision
 * made without a change of status (a fault report on a device rule 12 had already tagged out, a
 * work order holding a device its pass would have returned) has no row, and is the work order's.
 */
export function decisionApartFromRepairs(core: Core, equipmentId: string): { status: EquipmentStatus; reason: string | null; by: string } | null {
  const d = decisionNow.get(core, { id: equipmentId });
  if (!d || d.manual_status === 'in_service') return null;
  const row = decisionRow.get(core, { id: equipmentId, status: d.manual_status, reason: d.manual_status_reason });
  if (!row || !APART.has(row.cause)) return null;
  return { status: d.manual_status, reason: d.manual_status_reason, by: row.user_name };
}

export interface StatusCauseRef {
  cause: StatusCause;
  workOrderId?: string | null;
  completionId?: string | null;
}

/** Appends one row of the status history (and its binding entry). */
export function recordStatusChange(
  core: WriteCore,
  actor: Actor,
  change: { equipmentId: string; from: EquipmentStatus | null; to: EquipmentStatus; reason: string | null; at?: string } & StatusCauseRef,
): string {
  const row: StatusChangeRow = {
    id: uuidv7(core.clock.now().getTime()),
    equipment_id: change.equipmentId,
    at: change.at ?? isoInstant(core.clock.now()),
    from_status: change.from,
    to_status: change.to,
    reason: change.reason,
    cause: change.cause,
    work_order_id: change.workOrderId ?? null,
    completion_id: change.completionId ?? null,
    user_id: actor.userId,
    user_name: actor.name,
    pc_id: core.pcId,
  };
  insert.run(core, row);
  bindRow(core, actor, 'status_changes', { id: row.id });
  return row.id;
}

/**
 * Sets a device's service status (and which plan's failed test holds it, rule 12), with the audit
 * entry and, when the status itself changes, a row of the history. A change of reason alone (a
 * second plan now holding the device) is audited but is no change of status.
 */
export function changeServiceStatus(
  core: WriteCore,
  actor: Actor,
  equipmentId: string,
  next: { status: EquipmentStatus; reason: string | null; taggedOutByPlanId?: string | null },
  ref: StatusCauseRef,
): { from: EquipmentStatus; changed: boolean } {
  const before = current.get(core, { id: equipmentId });
  if (!before) throw new Error(`changeServiceStatus: no device ${equipmentId}.`);
  const state: ServiceState = { status: next.status, status_reason: next.reason, tagged_out_by_plan_id: next.taggedOutByPlanId ?? null };
  if (ref.cause !== 'rule_12') writeDecision.run(core, { id: equipmentId, ...manualStatusColumns(core, equipmentId, next.status, next.reason) });
  write.run(core, { ...state, id: equipmentId, updated_at: isoInstant(core.clock.now()), pc_id: core.pcId });
  appendAudit(core, actor, {
    action: 'status',
    entity: 'equipment',
    entityId: equipmentId,
    old: { status: before.status, status_reason: before.status_reason, tagged_out_by_plan_id: before.tagged_out_by_plan_id },
    new: {
      ...state,
      ...(ref.completionId ? { by_completion_id: ref.completionId } : {}),
      ...(ref.workOrderId ? { by_work_order_id: ref.workOrderId } : {}),
    },
  });
  const changed = before.status !== next.status;
  if (changed) recordStatusChange(core, actor, { equipmentId, from: before.status, to: next.status, reason: next.reason, ...ref });
  return { from: before.status, changed };
}

export function toStatusChangeView(r: StatusChangeRow & { work_order_number: number | null }): StatusChangeView {
  return {
    id: r.id,
    at: r.at,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    reason: r.reason,
    cause: r.cause,
    workOrderId: r.work_order_id,
    workOrderRef: r.work_order_number === null ? null : workOrderRef(r.work_order_number),
    completionId: r.completion_id,
    userName: r.user_name,
  };
}

/** A device's status history, oldest first. */
export function statusHistory(core: Core, equipmentId: string): StatusChangeView[] {
  return ofDevice.all(core, { id: equipmentId }).map(toStatusChangeView);
}

/**
 * A pass that rule 12 alone would return the device on, held back by a work order someone has
 * taken (repairs/on-record.ts, ruleMayReturn): the work order decides now, so the status in force
 * becomes a decision, and PCs in a hub that derive the status from the records keep it out too.
 * It is put back by the work order (returned to service after its checks, or retired).
 */
export function holdForWorkOrder(core: WriteCore, actor: Actor, equipmentId: string, workOrderId: string): void {
  const before = current.get(core, { id: equipmentId });
  if (holdDecision.run(core, { id: equipmentId }).changes === 0 || !before) return;
  appendAudit(core, actor, {
    action: 'update',
    entity: 'equipment',
    entityId: equipmentId,
    old: { manual_status: 'in_service', tagged_out_by_plan_id: before.tagged_out_by_plan_id },
    new: { manual_status: before.status, manual_status_reason: before.status_reason, tagged_out_by_plan_id: null, by_work_order_id: workOrderId },
  });
}
