import type { WorkOrderAction, WorkOrderState } from '../../../shared/domain/work-order';
import { appendAudit, changedColumns } from '../audit';
import { isoInstant } from '../clock';
import type { Actor, Core, WriteCore } from '../context';
import { uuidv7 } from '../ids';
import { bindRow } from '../permanent/bind';
import { command, query, scalar } from '../sql/query';
import type { WorkOrderRow, WorkOrderStepRow } from '../sql/rows';

/**
 * Work orders as stored: a head (state, who works on it, codes, the repair's figures) kept current
 * in the same transaction as each step, and the steps themselves, permanent and bound to the audit
 * trail like any record. The head is what lists read; the steps are what happened.
 */

const OPEN = "state NOT IN ('returned', 'retired')";
/**
 * An open work order, with whether only Wardkeep has acted on it so far (every step the system's:
 * the failed record that opened it, and any further failed record joined to it) or a person has too
 * (a fault report joined to it, a take, a repair). Read from the steps, so every PC of a hub agrees
 * once the steps have arrived (repairs/on-record.ts, ruleMayReturn).
 */
export type OpenWorkOrderRow = WorkOrderRow & { by_system_only: 0 | 1 };
const openOf = query<OpenWorkOrderRow, { equipmentId: string }>(
  `SELECT w.*, NOT EXISTS (SELECT 1 FROM work_order_steps s WHERE s.work_order_id = w.id AND s.source <> 'system') AS by_system_only
   FROM work_orders w WHERE w.equipment_id = @equipmentId AND w.${OPEN} ORDER BY w.reported_at, w.id`,
);
const byId = query<WorkOrderRow, { id: string }>('SELECT * FROM work_orders WHERE id = @id');
const lastNumber = scalar<number | null>('SELECT max(number) FROM work_orders');
const lastStepAt = scalar<string | null, { id: string }>('SELECT max(at) FROM work_order_steps WHERE work_order_id = @id');
const insertHead = command<WorkOrderRow>(
  `INSERT INTO work_orders (id, number, equipment_id, state, problem, reported_at, reported_by_user_id, reported_by_name, reported_location_id,
     took_out_of_service, opened_by_completion_id, assigned_user_id, assigned_name, waiting_for, waiting_note, failure_code_id, cause_code_id,
     work_done, labour_minutes, vendor, vendor_ticket, cost_cents, repair_completion_id, closed_at, created_at, updated_at, pc_id)
   VALUES (@id, @number, @equipment_id, @state, @problem, @reported_at, @reported_by_user_id, @reported_by_name, @reported_location_id,
     @took_out_of_service, @opened_by_completion_id, @assigned_user_id, @assigned_name, @waiting_for, @waiting_note, @failure_code_id, @cause_code_id,
     @work_done, @labour_minutes, @vendor, @vendor_ticket, @cost_cents, @repair_completion_id, @closed_at, @created_at, @updated_at, @pc_id)`,
);
const updateHead = command<Omit<WorkOrderRow, 'number' | 'equipment_id' | 'reported_at' | 'reported_by_user_id' | 'reported_by_name' | 'reported_location_id' | 'opened_by_completion_id' | 'created_at'>>(
  `UPDATE work_orders SET state = @state, problem = @problem, took_out_of_service = @took_out_of_service, assigned_user_id = @assigned_user_id,
     assigned_name = @assigned_name, waiting_for = @waiting_for, waiting_note = @waiting_note, failure_code_id = @failure_code_id,
     cause_code_id = @cause_code_id, work_done = @work_done, labour_minutes = @labour_minutes, vendor = @vendor, vendor_ticket = @vendor_ticket,
     cost_cents = @cost_cents, repair_completion_id = @repair_completion_id, closed_at = @closed_at, updated_at = @updated_at, pc_id = @pc_id
   WHERE id = @id`,
);
const insertStep = command<WorkOrderStepRow>(
  `INSERT INTO work_order_steps (id, work_order_id, action, from_state, to_state, at, user_id, user_name, user_role, note, details, completion_id, source, pc_id)
   VALUES (@id, @work_order_id, @action, @from_state, @to_state, @at, @user_id, @user_name, @user_role, @note, @details, @completion_id, @source, @pc_id)`,
);

/** The device's open work order, if it has one (the oldest, when two PCs offline each opened one). */
export function openWorkOrderOf(core: Core, equipmentId: string): OpenWorkOrderRow | undefined {
  return openOf.get(core, { equipmentId });
}

export function workOrderRow(core: Core, id: string): WorkOrderRow | undefined {
  return byId.get(core, { id });
}

export type NewWorkOrder = Pick<WorkOrderRow, 'equipment_id' | 'problem' | 'reported_location_id' | 'took_out_of_service' | 'opened_by_completion_id'>;

/** Opens a work order: its head (state reported) and its audit entry. The caller appends the 'report' step. */
export function insertWorkOrder(core: WriteCore, actor: Actor, fields: NewWorkOrder): WorkOrderRow {
  const now = isoInstant(core.clock.now());
  const row: WorkOrderRow = {
    id: uuidv7(core.clock.now().getTime()),
    number: (lastNumber.get(core) ?? 0) + 1,
    state: 'reported',
    reported_at: now,
    reported_by_user_id: actor.userId,
    reported_by_name: actor.name,
    assigned_user_id: null,
    assigned_name: null,
    waiting_for: null,
    waiting_note: null,
    failure_code_id: null,
    cause_code_id: null,
    work_done: null,
    labour_minutes: null,
    vendor: null,
    vendor_ticket: null,
    cost_cents: null,
    repair_completion_id: null,
    closed_at: null,
    created_at: now,
    updated_at: now,
    pc_id: core.pcId,
    ...fields,
  };
  insertHead.run(core, row);
  appendAudit(core, actor, { action: 'create', entity: 'work_order', entityId: row.id, new: row });
  return row;
}

/** Changes the head (audited with the columns that changed). */
export function updateWorkOrder(core: WriteCore, actor: Actor, before: WorkOrderRow, next: Partial<WorkOrderRow>): WorkOrderRow {
  // An open work order read with openWorkOrderOf carries a column computed from its steps: not the head's.
  const { by_system_only: _b, ...head } = before as OpenWorkOrderRow;
  const merged: WorkOrderRow = { ...head, ...next };
  const { updated_at: _u, pc_id: _p, ...compare } = merged;
  const changes = changedColumns(before, compare);
  if (!changes) return before;
  const row = { ...merged, updated_at: isoInstant(core.clock.now()), pc_id: core.pcId };
  const { number: _n, equipment_id: _e, reported_at: _r, reported_by_user_id: _ru, reported_by_name: _rn, reported_location_id: _rl, opened_by_completion_id: _o, created_at: _c, ...set } = row;
  updateHead.run(core, set);
  appendAudit(core, actor, { action: 'update', entity: 'work_order', entityId: before.id, ...changes });
  return row;
}

/**
 * When a new step of the work order is made: now, or just after its latest step when this PC's
 * clock reads earlier (put back, or a ward PC running slow that has received the steps made
 * elsewhere). Every PC folds a work order's steps in the order of their times (repairs/head.ts),
 * so a step stamped before one it follows would be folded before it: a fault reported after the
 * repair would read as reported before it, the work order "repaired" by its steps while this PC
 * sent it back to in progress, and `wardkeep verify` would call the head tampered with. A step's
 * time therefore never goes before the work order's last step, and the steps a PC makes fold in
 * the order it made them.
 */
export function nextStepAt(core: Core, workOrderId: string): string {
  const now = core.clock.now().getTime();
  const last = lastStepAt.get(core, { id: workOrderId });
  const after = last ? Date.parse(last) + 1 : Number.NEGATIVE_INFINITY;
  return isoInstant(new Date(Math.max(now, after)));
}

/**
 * Appends a signed step: who (the signer, whose PIN was checked, or the signer of the record that
 * caused it), when, from which state to which, and what it recorded. Permanent and bound.
 */
export function appendStep(
  core: WriteCore,
  actor: Actor,
  step: {
    workOrderId: string;
    action: WorkOrderAction;
    from: WorkOrderState | null;
    to: WorkOrderState;
    note?: string | null;
    details?: Record<string, unknown>;
    completionId?: string | null;
    bySystem?: boolean;
    /** When it was done, from nextStepAt (a closing step passes the instant it also writes as the head's `closed_at`). */
    at?: string;
  },
): string {
  const row: WorkOrderStepRow = {
    id: uuidv7(core.clock.now().getTime()),
    work_order_id: step.workOrderId,
    action: step.action,
    from_state: step.from,
    to_state: step.to,
    at: step.at ?? nextStepAt(core, step.workOrderId),
    user_id: actor.userId,
    user_name: actor.name,
    user_role: actor.role,
    note: step.note ?? null,
    details: JSON.stringify(step.details ?? {}),
    completion_id: step.completionId ?? null,
    source: step.bySystem ? 'system' : actor.via,
    pc_id: core.pcId,
  };
  insertStep.run(core, row);
  bindRow(core, actor, 'work_order_steps', { id: row.id });
  return row.id;
}
