import type { PostRepairCheck } from '../../../shared/domain/work-order';
import type { Core } from '../context';
import { taskTypeMap } from '../plans/service';
import { categoryProcedure } from '../procedures/service';
import { query } from '../sql/query';
import type { CompletionRow, EquipmentRow, PlanRow, WorkOrderRow, WorkOrderStepRow } from '../sql/rows';
import { holdingPlanIds } from '../sync/service-status';

/**
 * Which checks return a repaired device to service (issue 16): its own checks for its category,
 * recorded as records of their own and signed. They are
 * - the task of the failed record that opened the work order, and of every failed record added to
 *   it while it was open (rule 12: a failed test is passed again before the device is used; a
 *   calibration that failed while the device was already out for a fault is one of them);
 * - the task of every plan whose failed test holds the device (rule 12: until that plan passes
 *   again), a test whose fail takes the device out of service but opens no work order included,
 *   whether it failed before the fault was reported or while the work order was open; it stays
 *   listed, passed, once a pass since the repair has released it;
 * - its electrical safety test, when it has one (a plan, or safety checks on its category);
 * - its functional check, the inspection, when it has one; and the inspection when it has neither,
 *   so every repaired device is checked by someone who signs for it.
 */

const device = query<Pick<EquipmentRow, 'id' | 'category_id'>, { id: string }>('SELECT id, category_id FROM equipment WHERE id = @id');
const activePlan = query<Pick<PlanRow, 'id'>, { equipmentId: string; task: string }>(
  'SELECT id FROM plans WHERE equipment_id = @equipmentId AND task = @task AND active = 1 ORDER BY created_at LIMIT 1',
);
const planTask = query<Pick<PlanRow, 'task'>, { id: string }>('SELECT task FROM plans WHERE id = @id');
/**
 * Whether a record counts as made after the repair (the SQL of a record `c`, with the repair's
 * `@since`, `@sinceMinute`, `@chain` and `@seq`): entered after it and performed in its minute or
 * later; or, made on the PC that logged the repair (the same chain of the audit trail) after the
 * repair record by that chain's sequence while the PC's clock reads before the repair's time (the
 * clock put back since, or running fast then): the times of the two cannot be compared, the order
 * the PC made them in can, and a clock cannot reorder it. Records of other PCs are ordered by their
 * times. The caller also leaves out a record whose first version was made before the repair
 * (madeBeforeRepair).
 */
const afterRepair = (c: string) => `((${c}.entered_at >= @since AND ${c}.performed_at >= @sinceMinute)
  OR (${c}.entered_at < @since AND EXISTS (
    SELECT 1 FROM audit_log o WHERE o.entity = 'completion' AND o.entity_id = ${c}.id AND o.chain_id = @chain AND o.seq > @seq)))`;
type RepairMark = { since: string; sinceMinute: string; chain: string | null; seq: number | null };

/**
 * The tasks of the device's plans whose fail takes it out of service and that a pass since the repair
 * released: a fail of the plan, as it stands, with no pass of the plan made between it and the
 * repair, then a pass made since the repair (afterRepair). Such a plan held the device until that
 * pass, so its check stays on the list, passed, rather than leaving it.
 */
const releasedSince = query<Pick<PlanRow, 'task'>, { equipmentId: string } & RepairMark>(
  `SELECT DISTINCT p.task FROM plans p
   JOIN task_types t ON t.code = p.task AND t.fail_tags_out = 1
   JOIN completions f ON f.plan_id = p.id
   WHERE p.equipment_id = @equipmentId AND p.active = 1 AND f.outcome = 'fail' AND f.source <> 'import'
     AND NOT EXISTS (SELECT 1 FROM completions a WHERE a.amends_id = f.id)
     AND NOT EXISTS (
       SELECT 1 FROM completions r WHERE r.plan_id = p.id AND r.outcome IN ('pass', 'pass_adjusted') AND r.source <> 'import'
         AND r.performed_at > f.performed_at AND NOT ${afterRepair('r')}
         AND NOT EXISTS (SELECT 1 FROM completions a WHERE a.amends_id = r.id))
     AND EXISTS (
       SELECT 1 FROM completions r WHERE r.plan_id = p.id AND r.outcome IN ('pass', 'pass_adjusted') AND r.source <> 'import'
         AND ${afterRepair('r')} AND (r.performed_at >= f.performed_at OR r.entered_at < @since)
         AND NOT EXISTS (SELECT 1 FROM completions a WHERE a.amends_id = r.id))`,
);
const openerTask = query<Pick<CompletionRow, 'task'>, { id: string }>('SELECT task FROM completions WHERE id = @id');
/**
 * The latest repair: its step's time, or its record's when that is earlier. A step is stamped no
 * earlier than the work order's last step (repairs/store.ts, nextStepAt), so on a PC whose clock is
 * behind that of the PC that reported the fault, the repair step reads later than the PC's clock;
 * its own records are stamped by that clock, and a check done after the repair counts from the
 * time the PC logged the repair. With it, the repair record's place in the audit trail of the PC
 * that made it: its chain and sequence (afterRepair).
 */
const lastRepairStep = query<Pick<WorkOrderStepRow, 'at' | 'completion_id'> & { chain: string | null; seq: number | null }, { id: string }>(
  `SELECT min(s.at, coalesce(c.created_at, s.at)) AS at, s.completion_id,
     (SELECT a.chain_id FROM audit_log a WHERE a.entity = 'completion' AND a.entity_id = s.completion_id ORDER BY a.seq LIMIT 1) AS chain,
     (SELECT a.seq FROM audit_log a WHERE a.entity = 'completion' AND a.entity_id = s.completion_id ORDER BY a.seq LIMIT 1) AS seq
   FROM work_order_steps s LEFT JOIN completions c ON c.id = s.completion_id
   WHERE s.work_order_id = @id AND s.action = 'repair' ORDER BY s.at DESC, s.id DESC LIMIT 1`,
);
/**
 * Whether a record was first made before the repair record, by the order the PC made them in: the
 * sequence of the audit trail's chain that holds both (the first version of the record, the one a
 * correction replaced, as `entered_at` keeps). A clock put right does not reorder that sequence, so
 * a check signed before the repair while the PC's clock ran ahead (its times after the repair's) is
 * not the check after it. Records made on two PCs of a hub are in two chains: their times decide.
 */
const madeBeforeRepair = query<{ found: 1 }, { id: string; repairId: string }>(
  `WITH RECURSIVE versions(id, amends_id) AS (
     SELECT id, amends_id FROM completions WHERE id = @id
     UNION ALL
     SELECT c.id, c.amends_id FROM completions c JOIN versions v ON c.id = v.amends_id
   )
   SELECT 1 AS found FROM versions v
   JOIN audit_log ca ON ca.entity = 'completion' AND ca.entity_id = v.id
   JOIN audit_log ra ON ra.entity = 'completion' AND ra.entity_id = @repairId AND ra.chain_id = ca.chain_id
   WHERE v.amends_id IS NULL AND ca.seq < ra.seq LIMIT 1`,
);
/**
 * The tasks of the failed records on a work order besides the one that opened it: each record a step
 * links (a failed test joined to it, a failed check), as it stands now (followed through its
 * corrections: a fail corrected to "not done" or to a pass asks for nothing).
 */
const failedTasksOn = query<Pick<CompletionRow, 'task'>, { id: string }>(
  `WITH RECURSIVE versions(id) AS (
     SELECT s.completion_id FROM work_order_steps s WHERE s.work_order_id = @id AND s.action IN ('join', 'check') AND s.completion_id IS NOT NULL
     UNION
     SELECT a.id FROM completions a JOIN versions v ON a.amends_id = v.id
   )
   SELECT DISTINCT c.task FROM completions c JOIN versions v ON v.id = c.id
   WHERE c.outcome = 'fail' AND NOT EXISTS (SELECT 1 FROM completions n WHERE n.amends_id = c.id)`,
);
/** A device's signed records of a task made after the repair (afterRepair), as they stand (a record corrected is replaced by its correction). */
const recordsSince = query<Pick<CompletionRow, 'id' | 'outcome' | 'performed_at'> & { signed_by: string | null }, { equipmentId: string; task: string } & RepairMark>(
  `SELECT c.id, c.outcome, c.performed_at,
     (SELECT s.signer_name FROM signatures s WHERE s.completion_id = c.id ORDER BY s.signed_at LIMIT 1) AS signed_by
   FROM completions c INDEXED BY completions_equipment
   WHERE c.equipment_id = @equipmentId AND c.task = @task AND c.source <> 'import' AND ${afterRepair('c')}
     AND c.outcome IN ('pass', 'pass_adjusted', 'fail')
     AND NOT EXISTS (SELECT 1 FROM completions a WHERE a.amends_id = c.id)
   ORDER BY c.performed_at DESC, c.created_at DESC`,
);
/** Whether one record was made after the repair (afterRepair). */
const recordAfter = query<{ found: 1 }, { id: string } & RepairMark>(`SELECT 1 AS found FROM completions c WHERE c.id = @id AND ${afterRepair('c')}`);

export function requiredCheckTasks(core: Core, wo: Pick<WorkOrderRow, 'id' | 'equipment_id' | 'opened_by_completion_id'>): string[] {
  const e = device.get(core, { id: wo.equipment_id });
  if (!e) return [];
  const types = taskTypeMap(core);
  const has = (task: string) =>
    Boolean(activePlan.get(core, { equipmentId: e.id, task })) || Boolean(e.category_id && categoryProcedure(core, e.category_id, task));
  const tasks: string[] = [];
  const opener = wo.opened_by_completion_id ? openerTask.get(core, { id: wo.opened_by_completion_id })?.task : undefined;
  if (opener && opener !== 'repair' && types.get(opener)?.target === 'equipment') tasks.push(opener);
  // A test that failed while the work order was open (the device already out, so not tagged out
  // again) is passed again after the repair too, as a task whose fail takes devices out of service
  // or opens a work order asks.
  const failed = failedTasksOn
    .all(core, { id: wo.id })
    .map((r) => r.task)
    .filter((t) => {
      const type = types.get(t);
      return t !== 'repair' && type?.target === 'equipment' && (type.failTagsOut || type.failOpensWorkOrder);
    });
  tasks.push(...failed);
  // A failed test holds the device until its plan passes again (rule 12), whether or not its fail
  // opened a work order: the return is the work order's, so it waits for that pass too.
  const mark = repairMark(core, wo.id);
  const held = [
    ...holdingPlanIds(core, e.id).map((id) => planTask.get(core, { id })?.task),
    ...(mark ? releasedSince.all(core, { equipmentId: e.id, ...mark }).map((r) => r.task) : []),
  ].filter((t): t is string => t !== undefined && t !== 'repair' && types.get(t)?.target === 'equipment');
  tasks.push(...held);
  const safety = has('electrical_safety');
  if (safety) tasks.push('electrical_safety');
  if (has('inspection') || !safety) tasks.push('inspection');
  const order = [...types.keys()];
  return [...new Set(tasks)].filter((t) => types.get(t)?.active !== false || t === opener || failed.includes(t) || held.includes(t)).sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

/**
 * A check counts when it was entered after the repair and performed in the repair's minute or
 * later: the record form gives the time of the work to the minute, so a check done straight after
 * the repair reads as a little before it.
 */
export const sinceMinute = (since: string): string => since.slice(0, 16);

/** When the repair was logged: checks count from then on. Null before it. */
export function repairedAt(core: Core, workOrderId: string): string | null {
  return lastRepairStep.get(core, { id: workOrderId })?.at ?? null;
}

/** The latest repair as afterRepair compares records with it; null before it. */
function repairMark(core: Core, workOrderId: string): (RepairMark & { repairId: string | null }) | null {
  const repair = lastRepairStep.get(core, { id: workOrderId });
  if (!repair) return null;
  return { since: repair.at, sinceMinute: sinceMinute(repair.at), chain: repair.chain, seq: repair.seq, repairId: repair.completion_id };
}

/**
 * A device's signed records of a task that count after the work order's latest repair, newest
 * first: made after it (afterRepair: by the times, or on the repair's own PC by the order of its
 * audit trail when its clock reads before the repair's), and not made before the repair record on
 * the same PC (madeBeforeRepair: a clock put right since).
 */
function recordsAfterRepair(core: Core, wo: Pick<WorkOrderRow, 'id' | 'equipment_id'>, task: string) {
  const mark = repairMark(core, wo.id);
  if (!mark) return [];
  const { repairId, ...at } = mark;
  const records = recordsSince.all(core, { equipmentId: wo.equipment_id, task, ...at });
  return repairId === null ? records : records.filter((r) => !madeBeforeRepair.get(core, { id: r.id, repairId }));
}

/**
 * Whether a signed record was made after the work order's latest repair, as the post-repair checks
 * count it (recordsAfterRepair): a check, or a failed test, signed after the repair on the PC that
 * logged it counts even when that PC's clock was put back since. False before any repair.
 */
export function madeAfterRepair(core: Core, wo: Pick<WorkOrderRow, 'id'>, recordId: string): boolean {
  const mark = repairMark(core, wo.id);
  if (!mark) return false;
  const { repairId, ...at } = mark;
  if (!recordAfter.get(core, { id: recordId, ...at })) return false;
  return repairId === null || !madeBeforeRepair.get(core, { id: recordId, repairId });
}

/** Each check the work order needs, with the record that passed it after the repair (or the latest that failed). */
export function postRepairChecks(core: Core, wo: WorkOrderRow): PostRepairCheck[] {
  const types = taskTypeMap(core);
  return requiredCheckTasks(core, wo).map((task) => {
    const latest = recordsAfterRepair(core, wo, task)[0];
    const passed = latest && latest.outcome !== 'fail' ? latest : undefined;
    return {
      task,
      taskLabel: types.get(task)?.label ?? task,
      passedBy: passed ? { completionId: passed.id, performedAt: passed.performed_at, signedBy: passed.signed_by ?? '' } : null,
      failedBy: latest && latest.outcome === 'fail' ? { completionId: latest.id, performedAt: latest.performed_at } : null,
      planId: activePlan.get(core, { equipmentId: wo.equipment_id, task })?.id ?? null,
    };
  });
}
