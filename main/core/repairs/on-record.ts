import type { Outcome } from '../../../shared/scheduling';
import { advances } from '../../../shared/scheduling';
import { OUTCOME_LABELS } from '../../../shared/domain/plan';
import type { EquipmentStatus } from '../../../shared/domain/equipment';
import { STATUS_LABELS } from '../../../shared/domain/equipment';
import { workOrderRef } from '../../../shared/domain/work-order';
import type { Actor, WriteCore } from '../context';
import { taskTypeMap } from '../plans/service';
import { query } from '../sql/query';
import type { EquipmentRow, WorkOrderRow } from '../sql/rows';
import { changeServiceStatus, decisionApartFromRepairs } from '../status/history';
import { madeAfterRepair, postRepairChecks, requiredCheckTasks } from './checks';
import type { OpenWorkOrderRow } from './store';
import { appendStep, insertWorkOrder, nextStepAt, openWorkOrderOf, updateWorkOrder } from './store';

/**
 * What a signed record does to repairs, in the record's own transaction (issue 16):
 * - a failed test that rule 12 took out of service and whose later pass (or a correction of the
 *   fail to "not done") returned it closes the work order the fail opened, if no person has acted
 *   on it yet ("passed on retest");
 * - a check a repaired device needs is added to its work order as a step; once every check has
 *   passed, a person returns the device to service (workOrders.return, signed); a failed check
 *   sends the work order back to the technician;
 * - a correction of the repair record of a repaired work order to anything but a pass (it was
 *   logged on the wrong pump) sends the work order back to in progress, as a failed check does:
 *   no repair stands, so a new one is logged before the device returns to service;
 * - a fail of a task whose fail opens a work order (calibration, safety test, inspection,
 *   acceptance) opens one linked to the record, or joins the device's open one.
 */

/** Whether a record is a correction of the given record (directly, or of a correction of it). */
const correctsRecord = query<{ found: 1 }, { id: string; original: string }>(
  `WITH RECURSIVE chain(id, amends_id) AS (
     SELECT id, amends_id FROM completions WHERE id = @id
     UNION ALL
     SELECT c.id, c.amends_id FROM completions c JOIN chain ON c.id = chain.amends_id
   )
   SELECT 1 AS found FROM chain WHERE id = @original AND id <> @id LIMIT 1`,
);
/**
 * The device's returned work order whose return rested on a record this one corrects (directly, or
 * a correction of it): its latest repair record, or a check that passed after the repair (the
 * record of a check step, or of the return step). The latest such work order.
 */
const returnedOn = query<WorkOrderRow, { id: string; equipmentId: string }>(
  `WITH RECURSIVE versions(id, amends_id) AS (
     SELECT id, amends_id FROM completions WHERE id = @id
     UNION ALL
     SELECT c.id, c.amends_id FROM completions c JOIN versions v ON c.id = v.amends_id
   )
   SELECT w.* FROM work_orders w
   WHERE w.equipment_id = @equipmentId AND w.state = 'returned'
     AND (w.repair_completion_id IN (SELECT id FROM versions WHERE id <> @id)
       OR EXISTS (SELECT 1 FROM work_order_steps s WHERE s.work_order_id = w.id AND s.action IN ('check', 'return') AND s.to_state IN ('repaired', 'returned')
         AND s.completion_id IN (SELECT id FROM versions WHERE id <> @id)))
   ORDER BY w.closed_at DESC, w.id DESC LIMIT 1`,
);
const deviceHead = query<Pick<EquipmentRow, 'id' | 'asset_tag' | 'status' | 'location_id'>, { id: string }>('SELECT id, asset_tag, status, location_id FROM equipment WHERE id = @id');

export interface SignedRecord {
  id: string;
  equipmentId: string | null;
  task: string;
  outcome: Outcome;
  performedAt: string;
  performedOn: string;
  notes: string | null;
  /** What rule 12 (or a failed record without a plan) did to the device. */
  service: 'tagged_out' | 'returned_to_service' | null;
}

/**
 * Whether rule 12 may return a device to service by itself while this work order is open: only one
 * a failed test opened and on which no person has acted since. Once someone has taken it, or a
 * person's fault report has joined it (a cracked case found on the ward while the device was tagged
 * out for its safety test), the work order decides the return, through its post-repair checks.
 */
export function ruleMayReturn(wo: Pick<OpenWorkOrderRow, 'state' | 'opened_by_completion_id' | 'by_system_only'> | undefined): boolean {
  return !wo || (wo.state === 'reported' && wo.opened_by_completion_id !== null && wo.by_system_only === 1);
}

function close(core: WriteCore, actor: Actor, wo: WorkOrderRow, record: SignedRecord, note: string): void {
  const at = nextStepAt(core, wo.id);
  appendStep(core, actor, { workOrderId: wo.id, action: 'return', from: wo.state, to: 'returned', note, completionId: record.id, bySystem: true, at });
  updateWorkOrder(core, actor, wo, { state: 'returned', closed_at: at });
}

/**
 * A correction of a record a returned work order's return rested on, to anything but a pass: its
 * repair record (it was logged on the wrong pump), or the post-repair check that passed (a reading
 * misread), with no pass of that check since. The work order follows the records, as an open one
 * does: it goes back to in progress by a step saying why (head.ts folds this one step onto a closed
 * work order, `reopens`), and the device, in service on its word, goes out of service again until
 * a new repair and its checks return it. True when it did. A device with an open work order meanwhile,
 * or retired since, is left as it is: the open one decides (the correction's fail joins it).
 */
function reopenOnCorrection(core: WriteCore, actor: Actor, record: SignedRecord, label: string): boolean {
  if (!record.equipmentId || advances(record.outcome)) return false;
  const wo = returnedOn.get(core, { id: record.id, equipmentId: record.equipmentId });
  if (!wo) return false;
  const e = deviceHead.get(core, { id: wo.equipment_id });
  if (!e || e.status === 'retired') return false;
  const outcome = OUTCOME_LABELS[record.outcome].toLowerCase();
  const repairCorrected = wo.repair_completion_id !== null && Boolean(correctsRecord.get(core, { id: record.id, original: wo.repair_completion_id }));
  if (!repairCorrected && postRepairChecks(core, wo).find((c) => c.task === record.task)?.passedBy !== null) return false;
  const ref = workOrderRef(wo.number);
  const why = repairCorrected ? `its repair record was corrected to "${outcome}"` : `its post-repair ${label.toLowerCase()} was corrected to "${outcome}"`;
  appendStep(core, actor, {
    workOrderId: wo.id,
    action: 'check',
    from: wo.state,
    to: 'in_progress',
    note: `Reopened: ${why}. A new repair is logged, and its post-repair checks pass, before the device is used.`,
    details: { task: record.task, checkOutcome: OUTCOME_LABELS[record.outcome], reopens: true },
    completionId: record.id,
    bySystem: true,
  });
  updateWorkOrder(core, actor, wo, { state: 'in_progress', closed_at: null });
  if (e.status === 'in_service') {
    changeServiceStatus(
      core,
      actor,
      e.id,
      { status: 'out_of_service', reason: `Reopened (${ref}): ${why}. Do not use.`, taggedOutByPlanId: null },
      { cause: 'work_order', workOrderId: wo.id, completionId: record.id },
    );
  }
  return true;
}

export function afterSignedRecord(core: WriteCore, actor: Actor, record: SignedRecord): void {
  if (!record.equipmentId) return;
  const types = taskTypeMap(core);
  const type = types.get(record.task);
  const label = type?.label ?? record.task;
  // The day as YYYY-MM-DD: the note is kept, and synced, as written, and each screen writes the day
  // its own way (formatDaysIn), so a change of the date format, or another PC's, never leaves it stale.
  const day = record.performedOn;
  const wo = openWorkOrderOf(core, record.equipmentId);
  if (!wo && reopenOnCorrection(core, actor, record, label)) return;

  if (wo && record.service === 'returned_to_service') {
    // A pass (or an adjusted pass) of the failed test, or a correction of the failed record to
    // "not done" (the wrong device was tested): each note says which it was.
    const note = advances(record.outcome)
      ? `Passed its ${label.toLowerCase()} on ${day}: back in service by that record.`
      : `Its failed ${label.toLowerCase()} was corrected: back in service by that correction.`;
    close(core, actor, wo, record, note);
    return;
  }

  if (wo && wo.state === 'repaired' && wo.repair_completion_id !== null && !advances(record.outcome) && correctsRecord.get(core, { id: record.id, original: wo.repair_completion_id })) {
    // The records now say the repair was not done (or failed): the work order follows them back to
    // in progress through the step a failed check writes, so every PC folds it alike
    // (repairs/head.ts), and the return waits for a new repair and its checks.
    appendStep(core, actor, {
      workOrderId: wo.id,
      action: 'check',
      from: wo.state,
      to: 'in_progress',
      note: `Its repair record was corrected to "${OUTCOME_LABELS[record.outcome].toLowerCase()}": a new repair is logged, and its post-repair checks pass, before the device is used.`,
      details: { task: record.task, checkOutcome: OUTCOME_LABELS[record.outcome] },
      completionId: record.id,
      bySystem: true,
    });
    updateWorkOrder(core, actor, wo, { state: 'in_progress' });
    return;
  }

  // Made after the repair as the post-repair checks count it (repairs/checks.ts): by the times, or,
  // on the PC that logged the repair, by the order it signed them when its clock was put back since.
  const afterRepair = wo?.state === 'repaired' && madeAfterRepair(core, wo, record.id);
  if (wo && afterRepair && requiredCheckTasks(core, wo).includes(record.task)) {
    // "Not done" is no check.
    if (record.outcome !== 'fail' && !advances(record.outcome)) return;
    const outcome = OUTCOME_LABELS[record.outcome];
    if (record.outcome === 'fail') {
      appendStep(core, actor, {
        workOrderId: wo.id,
        action: 'check',
        from: wo.state,
        to: 'in_progress',
        note: `${label} failed on ${day}: the device needs more work before it is used.`,
        details: { task: record.task, checkOutcome: outcome },
        completionId: record.id,
        bySystem: true,
      });
      updateWorkOrder(core, actor, wo, { state: 'in_progress' });
      return;
    }
    appendStep(core, actor, {
      workOrderId: wo.id,
      action: 'check',
      from: wo.state,
      to: 'repaired',
      note: `${label}: ${outcome.toLowerCase()} on ${day}.`,
      details: { task: record.task, checkOutcome: outcome },
      completionId: record.id,
      bySystem: true,
    });
    return;
  }

  if (record.outcome !== 'fail' || !type?.failOpensWorkOrder) return;
  const problem = `Failed ${label.toLowerCase()} on ${day}.${record.notes ? ` ${record.notes}` : ''}`;
  if (wo) {
    // A test failed after the repair: the device needs more work, as when a post-repair check fails
    // (the fold rule of repairs/head.ts). One performed before the repair says nothing of it.
    const reopens = afterRepair;
    const to = reopens ? 'in_progress' : wo.state;
    appendStep(core, actor, { workOrderId: wo.id, action: 'join', from: wo.state, to, note: problem, details: { problem }, completionId: record.id, bySystem: true });
    if (reopens) updateWorkOrder(core, actor, wo, { state: to });
    return;
  }
  const e = deviceHead.get(core, { id: record.equipmentId });
  if (!e) return;
  const opened = insertWorkOrder(core, actor, {
    equipment_id: e.id,
    problem,
    reported_location_id: e.location_id,
    took_out_of_service: record.service === 'tagged_out' ? 1 : 0,
    opened_by_completion_id: record.id,
  });
  appendStep(core, actor, { workOrderId: opened.id, action: 'report', from: null, to: 'reported', note: problem, details: { problem }, completionId: record.id, bySystem: true });
}

/** "IP-7 stays out of service: <why>, set by Sue Super; a supervisor puts it back in service." */
export function stillOutSentence(assetTag: string, held: { status: EquipmentStatus; reason: string | null; by: string }): string {
  const why = held.reason ? `: ${held.reason.trim().replace(/[.!?]+$/, '')}` : '';
  return `${assetTag} stays ${STATUS_LABELS[held.status].toLowerCase()}${why}, set by ${held.by}; a supervisor puts it back in service.`;
}

/**
 * Closes a work order as returned to service, putting the device back in service if it is out for
 * what the work order held it out for (its fault reports, its failed tests). A decision made apart
 * from it (a supervisor's recall before the fault was reported) is not the repair's to clear: the
 * work order closes, the device stays out, and the return step says so, naming the reason and who
 * set it. A supervisor puts it back in service.
 */
export function returnToService(
  core: WriteCore,
  actor: Actor,
  wo: WorkOrderRow,
  options: { completionId: string | null; note: string | null; bySystem: boolean },
): void {
  const at = nextStepAt(core, wo.id);
  const e = deviceHead.get(core, { id: wo.equipment_id });
  const held = e && e.status === 'out_of_service' ? decisionApartFromRepairs(core, e.id) : null;
  const stillOut = e && held ? stillOutSentence(e.asset_tag, held) : null;
  appendStep(core, actor, {
    workOrderId: wo.id,
    action: 'return',
    from: wo.state,
    to: 'returned',
    note: options.note,
    ...(stillOut ? { details: { stillOut } } : {}),
    completionId: options.completionId,
    bySystem: options.bySystem,
    at,
  });
  updateWorkOrder(core, actor, wo, { state: 'returned', closed_at: at });
  if (e && e.status === 'out_of_service' && !held) {
    changeServiceStatus(core, actor, e.id, { status: 'in_service', reason: null, taggedOutByPlanId: null }, { cause: 'work_order', workOrderId: wo.id, completionId: options.completionId });
  }
}
