import type { EquipmentWorkOrders, WorkOrderRow as WorkOrderListRow, WorkOrderStepView, WorkOrderView } from '../../../shared/domain/work-order';
import { isOpen, workOrderRef } from '../../../shared/domain/work-order';
import { advances } from '../../../shared/scheduling';
import type { Core } from '../context';
import { placesOf } from '../due/service';
import { AppError } from '../errors';
import { listLocations, subtreeIds } from '../locations/service';
import { query } from '../sql/query';
import type { CategoryRow, CompletionRow, EquipmentRow, WorkOrderRow, WorkOrderStepRow } from '../sql/rows';
import { postRepairChecks } from './checks';
import { repairCode } from './codes';

/** The one mapper from work order rows (with their device and steps) to what screens show. */

type WithDevice = WorkOrderRow &
  Pick<EquipmentRow, 'asset_tag' | 'name' | 'status' | 'status_reason' | 'location_id' | 'model' | 'risk'> & { category_name: CategoryRow['name'] | null };

const SELECT = `SELECT w.*, e.asset_tag, e.name, e.status, e.status_reason, e.location_id, e.model, e.risk, c.name AS category_name
  FROM work_orders w JOIN equipment e ON e.id = w.equipment_id LEFT JOIN categories c ON c.id = e.category_id`;
const byId = query<WithDevice, { id: string }>(`${SELECT} WHERE w.id = @id`);
// Two PCs offline may each open one for the same device: the older is the device's open work order, the other is listed with the rest.
const openOfDevice = query<WithDevice, { equipmentId: string }>(
  `${SELECT} WHERE w.equipment_id = @equipmentId AND w.state NOT IN ('returned', 'retired') ORDER BY w.reported_at, w.id`,
);
const closedOfDevice = query<WithDevice, { equipmentId: string }>(
  `${SELECT} WHERE w.equipment_id = @equipmentId AND w.state IN ('returned', 'retired') ORDER BY w.reported_at DESC`,
);
const openAll = query<WithDevice>(`${SELECT} WHERE w.state NOT IN ('returned', 'retired') ORDER BY w.reported_at, w.number`);
const everything = query<WithDevice>(`${SELECT} ORDER BY w.reported_at DESC, w.number DESC`);
// In the order they were made, as repairs/head.ts folds them (steps from other PCs arrive in any order).
const stepsOf = query<WorkOrderStepRow, { id: string }>('SELECT * FROM work_order_steps WHERE work_order_id = @id ORDER BY at, id');
/**
 * The repair record as it stands: the newest version of it with no correction of its own (a
 * correction is a new record amending the one it corrects). Its outcome says whether the repair
 * still stands: one corrected to "not done" (logged on the wrong pump) or to a fail does not; one
 * corrected keeping its pass (a typo in the work done) stands with its notes as corrected.
 */
const repairAsItStands = query<Pick<CompletionRow, 'id' | 'outcome' | 'notes'>, { id: string }>(
  `WITH RECURSIVE versions(id, outcome, notes, created_at) AS (
     SELECT id, outcome, notes, created_at FROM completions WHERE id = @id
     UNION
     SELECT c.id, c.outcome, c.notes, c.created_at FROM completions c JOIN versions v ON c.amends_id = v.id
   )
   SELECT v.id, v.outcome, v.notes FROM versions v WHERE NOT EXISTS (SELECT 1 FROM completions a WHERE a.amends_id = v.id)
   ORDER BY v.created_at DESC, v.id DESC LIMIT 1`,
);
const sharingNumber = query<{ n: number }, { number: number }>('SELECT count(*) AS n FROM work_orders WHERE number = @number');

/**
 * "WO-0007"; or, when two PCs offline each opened a WO-0007 (both stand, issue 19), "WO-0007 (Ward 4B)",
 * by the ward where the fault was reported, so the two are told apart wherever they are shown.
 */
function refOf(core: Core, r: Pick<WorkOrderRow, 'number' | 'reported_location_id'>, wardOf: (locationId: string) => string): string {
  const ref = workOrderRef(r.number);
  if ((sharingNumber.get(core, { number: r.number })?.n ?? 0) < 2) return ref;
  const ward = wardOf(r.reported_location_id).split(' > ').at(-1);
  return `${ref} (${ward || 'another PC'})`;
}

/** Whole minutes from the report to the close, or to now while it is open. */
export function ageMinutes(row: Pick<WorkOrderRow, 'reported_at' | 'closed_at'>, nowMs: number): number {
  const end = row.closed_at ? Date.parse(row.closed_at) : nowMs;
  return Math.max(0, Math.floor((end - Date.parse(row.reported_at)) / 60_000));
}

function toStep(r: WorkOrderStepRow): WorkOrderStepView {
  return {
    id: r.id,
    action: r.action,
    fromState: r.from_state,
    toState: r.to_state,
    at: r.at,
    userName: r.user_name,
    userRole: r.user_role,
    note: r.note,
    details: JSON.parse(r.details) as WorkOrderStepView['details'],
    completionId: r.completion_id,
    bySystem: r.source === 'system',
  };
}

/**
 * What stands of the work order's latest repair. A correction of its repair record to anything but
 * a pass sends the work order back to in progress (or reopens it, repairs/on-record.ts), and the
 * codes and work done of that repair are no longer what was found and done: the view gives only
 * what stands (none until a new repair), and the page says what the repair was corrected to from
 * the step that said so. Its labour and cost stay counted: the time and money were spent. A
 * correction that keeps it a pass (a typo in the work done) gives the work done as corrected: the
 * record's notes, "WO-0001: " and the work done, as the repair wrote them.
 */
/**
 * Whether the work order's repair record still stands as a repair: none logged yet, or its newest
 * correction still a pass. The failures report counts a work order whose repair no longer stands as
 * not yet diagnosed, as its page gives no codes (standingRepair).
 */
export function repairStands(core: Core, repairCompletionId: string | null): boolean {
  if (repairCompletionId === null) return true;
  const now = repairAsItStands.get(core, { id: repairCompletionId });
  return !now || advances(now.outcome);
}

function standingRepair(core: Core, r: Pick<WorkOrderRow, 'number' | 'repair_completion_id' | 'work_done'>): { stands: boolean; workDone: string | null } {
  if (r.repair_completion_id === null) return { stands: true, workDone: r.work_done };
  const now = repairAsItStands.get(core, { id: r.repair_completion_id });
  if (!now) return { stands: true, workDone: r.work_done };
  if (!advances(now.outcome)) return { stands: false, workDone: null };
  if (now.id === r.repair_completion_id || !now.notes?.trim()) return { stands: true, workDone: r.work_done };
  const prefix = `${workOrderRef(r.number)}: `;
  return { stands: true, workDone: (now.notes.startsWith(prefix) ? now.notes.slice(prefix.length) : now.notes).trim() || r.work_done };
}

function toView(core: Core, r: WithDevice, paths: Map<string, string>, places: ReturnType<typeof placesOf> = placesOf(listLocations(core))): WorkOrderView {
  const repair = standingRepair(core, r);
  return {
    id: r.id,
    number: r.number,
    ref: refOf(core, r, (id) => places.get(id)?.wardPath ?? ''),
    equipment: {
      id: r.equipment_id,
      assetTag: r.asset_tag,
      name: r.name,
      status: r.status,
      statusReason: r.status_reason,
      locationPath: paths.get(r.location_id) ?? '',
      categoryName: r.category_name,
      model: r.model,
      risk: r.risk,
    },
    state: r.state,
    problem: r.problem,
    reportedAt: r.reported_at,
    reportedByName: r.reported_by_name,
    reportedLocationPath: paths.get(r.reported_location_id) ?? '',
    tookOutOfService: r.took_out_of_service === 1,
    openedByCompletionId: r.opened_by_completion_id,
    assignedUserId: r.assigned_user_id,
    assignedName: r.assigned_name,
    waitingFor: r.waiting_for,
    waitingNote: r.waiting_note,
    failureCode: repair.stands ? repairCode(core, r.failure_code_id) : null,
    causeCode: repair.stands ? repairCode(core, r.cause_code_id) : null,
    workDone: repair.workDone,
    labourMinutes: r.labour_minutes,
    vendor: r.vendor,
    vendorTicket: r.vendor_ticket,
    costCents: r.cost_cents,
    repairCompletionId: r.repair_completion_id,
    closedAt: r.closed_at,
    ageMinutes: ageMinutes(r, core.clock.now().getTime()),
    steps: stepsOf.all(core, { id: r.id }).map(toStep),
    postRepairChecks: isOpen(r.state) ? postRepairChecks(core, r) : [],
  };
}

function pathMap(core: Core): Map<string, string> {
  return new Map(listLocations(core).map((l) => [l.id, l.path]));
}

export function getWorkOrder(core: Core, id: string): WorkOrderView {
  const row = byId.get(core, { id });
  if (!row) throw new AppError('not_found', 'That work order does not exist.', { field: 'id' });
  return toView(core, row, pathMap(core));
}

export function equipmentWorkOrders(core: Core, equipmentId: string): EquipmentWorkOrders {
  const paths = pathMap(core);
  const places = placesOf(listLocations(core));
  const open = openOfDevice.get(core, { equipmentId });
  return {
    open: open ? toView(core, open, paths, places) : null,
    closed: closedOfDevice.all(core, { equipmentId }).map((r) => toRow(core, r, places, core.clock.now().getTime())),
  };
}

function toRow(core: Core, r: WithDevice, places: ReturnType<typeof placesOf>, nowMs: number): WorkOrderListRow {
  const place = places.get(r.location_id);
  return {
    id: r.id,
    number: r.number,
    ref: refOf(core, r, (id) => places.get(id)?.wardPath ?? ''),
    equipmentId: r.equipment_id,
    assetTag: r.asset_tag,
    name: r.name,
    locationPath: place?.path ?? '',
    wardId: place?.wardId ?? '',
    wardPath: place?.wardPath ?? '',
    reportedLocationPath: places.get(r.reported_location_id)?.path ?? '',
    equipmentStatus: r.status,
    state: r.state,
    waitingFor: r.waiting_for,
    problem: r.problem,
    reportedAt: r.reported_at,
    reportedByName: r.reported_by_name,
    assignedName: r.assigned_name,
    closedAt: r.closed_at,
    ageMinutes: ageMinutes(r, nowMs),
  };
}

/**
 * Work orders, open ones (oldest first) or all (newest first), optionally of the devices in a
 * location and everything inside it (where the device is now, or where the fault was reported).
 */
export function listWorkOrders(core: Core, input: { status?: 'open' | 'all' | undefined; locationId?: string | undefined }): WorkOrderListRow[] {
  const all = listLocations(core);
  const places = placesOf(all);
  const inside = input.locationId ? new Set(subtreeIds(all, input.locationId)) : null;
  const rows = (input.status === 'all' ? everything : openAll).all(core);
  const nowMs = core.clock.now().getTime();
  return rows.filter((r) => !inside || inside.has(r.location_id) || inside.has(r.reported_location_id)).map((r) => toRow(core, r, places, nowMs));
}
