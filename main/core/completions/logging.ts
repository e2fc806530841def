import type { LogForm, ResultKind } from '../../../shared/contract/log';
import type {
  AmendFieldsValue,
  CompletionView,
  LogFieldsValue,
  NotCurrentReason,
  ReadingView,
  ReferenceStandard,
  SignatureMeaning,
  StepView,
  WorkResult,
} from '../../../shared/domain/completion';
import type { IsoDate } from '../../../shared/domain/common';
import type { Procedure } from '../../../shared/domain/procedure';
import type { TaskType } from '../../../shared/domain/plan';
import type { Outcome } from '../../../shared/scheduling';
import { advances, localDateOf, nextDue, planStatus } from '../../../shared/scheduling';
import { lowerFirst } from '../../../shared/labels';
import { performedDateQuestion } from '../../../shared/plausible-dates';
import { checkLimits, checklistOutcome, measuredOutcome, pointLimits, readingVerdict, withinLimits } from '../../../shared/tolerance';
import { bindRow } from '../permanent/bind';
import { isoInstant, localDate } from '../clock';
import type { Core, WriteCore } from '../context';
import { actorOfUser } from '../context';
import { AppError } from '../errors';
import { uuidv7 } from '../ids';
import { completionHistory, getCompletion } from './views';
import { checkEntryDate, checkNotRetired } from './late-entry';
import { recordCompletion } from './record';
import { locationPathMap } from '../locations/service';
import { getPlan, taskTypeMap, today } from '../plans/service';
import { getSettings } from '../settings/service';
import { categoryProcedure, getProcedure, planProcedure } from '../procedures/service';
import { applyStockCheck, previewStockCheck, recordSuppliesUsed, stockCheckDetails, stockCheckForm } from '../stock/checks';
import { effectiveCompletions, ruleOf } from '../plans/scheduler';
import { command, query } from '../sql/query';
import type { CompletionReadingRow, CompletionRow, CompletionStepRow, EquipmentRow, PlanRow, SignatureRow, StatusChangeRow, StockLocationRow, UserRow } from '../sql/rows';

export { completionHistory, getCompletion };

/**
 * The technician's record of work (issue 6). A record is saved only when the signed-in user
 * re-enters their PIN or password; outcomes of measured work are computed here from the readings
 * and the procedure version, never taken from the form; the record, its readings, its signature,
 * the plan's next due date and the device's status are written in one transaction.
 */

const NOT_DONE_OUTCOME = { in_use: 'not_done_in_use', not_located: 'not_done_not_located', other: 'not_done_other' } as const;

/**
 * Which form a task's work is entered with: its task type's form (an administrator's own types
 * too), filled by the procedure defined for it; a task whose checklist or points are not defined
 * yet takes a plain pass or fail.
 */
export function resultKindFor(type: Pick<TaskType, 'code' | 'formKind'> | undefined, procedure: Procedure | null): ResultKind {
  const kind = type?.formKind;
  if (kind === 'cleaning' || type?.code === 'cleaning') return 'cleaning';
  if (kind === 'stock_check' || type?.code === 'stock_check') return 'stock_check';
  if (kind === 'plain') return 'outcome';
  switch (procedure?.definition.kind) {
    case 'checklist':
      return 'checklist';
    case 'measurements':
      return 'measurements';
    case 'safety':
      return 'safety';
    default:
      return 'outcome';
  }
}

/** What a record is for: a plan, or unplanned work on a device (`planned` false, `id` ''). */
type PlanHead = Pick<PlanRow, 'id' | 'equipment_id' | 'stock_location_id' | 'task'> & { planned: boolean };
type TargetHead = Pick<EquipmentRow, 'id' | 'asset_tag' | 'name' | 'location_id' | 'status'>;

const planById = query<PlanRow, { id: string }>('SELECT * FROM plans WHERE id = @id');
const equipmentStatus = query<Pick<EquipmentRow, 'status'>, { id: string }>('SELECT status FROM equipment WHERE id = @id');
const calibrationPlans = query<PlanRow, { equipmentId: string }>(
  "SELECT * FROM plans WHERE equipment_id = @equipmentId AND task = 'calibration' AND active = 1",
);
const statusChangesOf = query<Pick<StatusChangeRow, 'at' | 'from_status' | 'to_status'>, { id: string }>(
  'SELECT at, from_status, to_status FROM status_changes WHERE equipment_id = @id ORDER BY at, id',
);
const referenceStandards = query<Pick<EquipmentRow, 'id' | 'asset_tag' | 'name' | 'location_id'>>(
  `SELECT e.id, e.asset_tag, e.name, e.location_id FROM equipment e
   WHERE e.reference_standard = 1 AND e.status <> 'retired' ORDER BY e.asset_tag_key`,
);
const equipmentHead = query<TargetHead, { id: string | null }>('SELECT id, asset_tag, name, location_id, status FROM equipment WHERE id = @id');
const stockLocationHead = query<Pick<StockLocationRow, 'id' | 'name' | 'location_id'>, { id: string | null }>(
  'SELECT id, name, location_id FROM stock_locations WHERE id = @id',
);
const lastCleaning = query<Pick<CompletionRow, 'details'>, { equipmentId: string }>(
  `SELECT details FROM completions WHERE equipment_id = @equipmentId AND task = 'cleaning' AND json_extract(details, '$.method') IS NOT NULL
   ORDER BY performed_at DESC LIMIT 1`,
);
const equipmentCategory = query<Pick<EquipmentRow, 'category_id'>, { id: string }>('SELECT category_id FROM equipment WHERE id = @id');
const referenceFlag = query<Pick<EquipmentRow, 'id' | 'reference_standard'>, { id: string }>('SELECT id, reference_standard FROM equipment WHERE id = @id');
type OriginalHead = Pick<
  CompletionRow,
  | 'id'
  | 'plan_id'
  | 'equipment_id'
  | 'task'
  | 'performed_at'
  | 'performed_by_user_id'
  | 'performed_by_name'
  | 'source'
  | 'outcome'
  | 'procedure_id'
  | 'reference_equipment_id'
>;
const originalRecord = query<OriginalHead, { id: string }>(
  `SELECT id, plan_id, equipment_id, task, performed_at, performed_by_user_id, performed_by_name, source, outcome, procedure_id, reference_equipment_id
   FROM completions WHERE id = @id`,
);
const amendment = query<Pick<CompletionRow, 'id'>, { id: string }>('SELECT id FROM completions WHERE amends_id = @id LIMIT 1');
const insertSignatureRow = command<SignatureRow>(
  `INSERT INTO signatures (id, completion_id, user_id, signer_name, signer_role, meaning, signed_at, pc_id)
   VALUES (@id, @completion_id, @user_id, @signer_name, @signer_role, @meaning, @signed_at, @pc_id)`,
);
const insertStep = command<CompletionStepRow>(
  'INSERT INTO completion_steps (completion_id, position, text, result, note) VALUES (@completion_id, @position, @text, @result, @note)',
);
const insertReading = command<CompletionReadingRow>(
  `INSERT INTO completion_readings (completion_id, position, label, unit, nominal, tolerance_kind, tolerance, low_limit, high_limit,
     as_found, as_left, found_in_tolerance, left_in_tolerance)
   VALUES (@completion_id, @position, @label, @unit, @nominal, @tolerance_kind, @tolerance, @low_limit, @high_limit,
     @as_found, @as_left, @found_in_tolerance, @left_in_tolerance)`,
);

function planHead(core: Core, planId: string): PlanHead {
  const row = planById.get(core, { id: planId });
  if (!row) throw new AppError('not_found', 'That plan does not exist.', { field: 'planId' });
  return { ...row, planned: true };
}

/**
 * Unplanned work: any active equipment task on any device (issue 16). A record of a task type
 * since taken out of use can still be corrected (`correcting`), as a record of a plan since switched off.
 */
function unplannedHead(core: Core, equipmentId: string, taskText: string, correcting = false): PlanHead {
  if (!equipmentHead.get(core, { id: equipmentId })) throw new AppError('not_found', 'That device does not exist.', { field: 'equipmentId' });
  const type = taskTypeMap(core).get(taskText);
  if (!type || type.target !== 'equipment') throw new AppError('invalid_input', `"${taskText}" is not a task done on a device.`, { field: 'task' });
  if (!type.active && !correcting) throw new AppError('invalid_input', `${type.label} is no longer in use; choose another task.`, { field: 'task' });
  return { id: '', equipment_id: equipmentId, stock_location_id: null, task: type.code, planned: false };
}

/** A plan, or a device and a task: exactly one of them. */
function targetOf(
  core: Core,
  ref: { planId?: string | undefined; equipmentId?: string | undefined; task?: string | undefined },
  correcting = false,
): PlanHead {
  if (ref.planId !== undefined) {
    if (ref.equipmentId !== undefined || ref.task !== undefined) {
      throw new AppError('invalid_input', 'Work is logged for a plan, or for a device and a task without a plan: not both.', { field: 'planId' });
    }
    return planHead(core, ref.planId);
  }
  if (ref.equipmentId === undefined || ref.task === undefined) {
    throw new AppError('invalid_input', 'Say which plan the work was for, or which device and task.', { field: ref.equipmentId === undefined ? 'equipmentId' : 'task' });
  }
  return unplannedHead(core, ref.equipmentId, ref.task, correcting);
}

/** The checklist, points or checks a record is done against: its plan's (or the plan's category's), or, without a plan, the device's category's. */
function procedureOf(core: Core, target: PlanHead): Procedure | null {
  if (target.planned) return planProcedure(core, target.id);
  const categoryId = target.equipment_id ? (equipmentCategory.get(core, { id: target.equipment_id })?.category_id ?? null) : null;
  return categoryId ? categoryProcedure(core, categoryId, target.task) : null;
}

/**
 * The form a correction is made on: `procedure` is the one version its work is judged against
 * (null: none, a plain pass or fail); `referenceId` the reference standard its original was signed
 * with, which the correction may keep though it has since been retired or is no longer marked as one.
 */
interface CorrectionForm {
  procedure: Procedure | null;
  referenceId: string | null;
}

/**
 * A correction is made on the form its original was made with. Readings and steps are judged
 * again by the version they were signed against, never by one saved since, so correcting a note
 * does not turn a pass into a fail (docs/records.md); work recorded as a plain pass or fail (before
 * its checklist or points existed, or paper history) is corrected as one, without inventing step
 * results. Work not done was judged by no version: it is corrected on the plan's form of today
 * (null), so a pass is never typed where the plan has points.
 */
function correctionForm(core: Core, original: OriginalHead): CorrectionForm | null {
  if (original.outcome.startsWith('not_done')) return null;
  return { procedure: original.procedure_id ? getProcedure(core, original.procedure_id) : null, referenceId: original.reference_equipment_id };
}

/** A task type as the form needs it, even for a code no longer in the table. */
function taskTypeOf(core: Core, code: string): TaskType {
  return (
    taskTypeMap(core).get(code) ?? {
      code,
      label: code,
      target: 'equipment',
      failTagsOut: false,
      overdueBlocksUse: false,
      formKind: 'plain',
      failOpensWorkOrder: false,
      active: false,
      builtin: false,
    }
  );
}

/**
 * A device's service status at the end of `date` (a local day), from its status history: today's
 * is its status now; a standard taken out of service or retired after the work was done was in
 * service that day. With no change on record after that day, its status now.
 */
function statusOnDay(core: Core, equipmentId: string, now: EquipmentRow['status'], date: IsoDate): EquipmentRow['status'] {
  let status: EquipmentRow['status'] | null = null;
  for (const change of statusChangesOf.all(core, { id: equipmentId })) {
    if (localDate(new Date(change.at)) <= date) status = change.to_status;
    else return status ?? change.from_status ?? now;
  }
  return status ?? now;
}

/**
 * Whether a reference standard's own calibration is current on `date`: it has a calibration plan,
 * it was calibrated on or before that day (a passing calibration on record, or the "last done"
 * given for a plan of it: a plan alone is no calibration), none of its calibration plans is overdue
 * on that day (from the records up to that day), and it was in service at the end of that day
 * (statusOnDay). The record form's picker asks this for the day typed, and the record is flagged by
 * the same answer.
 */
export function referenceCurrentOn(core: Core, equipmentId: string, date: IsoDate): { current: boolean; nextDue: IsoDate | null; why: NotCurrentReason | null } {
  const e = equipmentStatus.get(core, { id: equipmentId });
  if (!e) return { current: false, nextDue: null, why: 'no_plan' };
  const plans = calibrationPlans.all(core, { equipmentId });
  if (plans.length === 0) return { current: false, nextDue: null, why: 'no_plan' };
  let calibrated = false;
  let overdue = false;
  let soonest: IsoDate | null = null;
  for (const p of plans) {
    const upToDate = effectiveCompletions(core, p.id).filter((c) => c.performedOn <= date);
    if (upToDate.some((c) => advances(c.outcome)) || (p.done_before_on !== null && p.done_before_on <= date)) calibrated = true;
    const due = nextDue(ruleOf(p), upToDate).nextDue;
    if (soonest === null || due < soonest) soonest = due;
    if (planStatus({ nextDue: due, windowDays: p.window_days, graceDays: p.grace_days }, date, true).status === 'overdue') overdue = true;
  }
  const why: NotCurrentReason | null = !calibrated
    ? 'never_calibrated'
    : overdue
      ? 'overdue'
      : statusOnDay(core, equipmentId, e.status, date) !== 'in_service'
        ? 'not_in_service'
        : null;
  return { current: why === null, nextDue: soonest, why };
}

/** Every reference standard in the inventory, each judged on `asOf` (the day the work was done). */
export function listReferenceStandards(core: Core, asOf: IsoDate): ReferenceStandard[] {
  const rows = referenceStandards.all(core);
  const paths = locationPathMap(core);
  return rows.map((r) => standardOn(core, r, paths, asOf));
}

function standardOn(core: Core, r: Pick<EquipmentRow, 'id' | 'asset_tag' | 'name' | 'location_id'>, paths: Map<string, string>, asOf: IsoDate): ReferenceStandard {
  const c = referenceCurrentOn(core, r.id, asOf);
  return {
    id: r.id,
    assetTag: r.asset_tag,
    name: r.name,
    locationPath: paths.get(r.location_id) ?? '',
    calibrationNextDue: c.nextDue,
    current: c.current,
    notCurrentBecause: c.why,
  };
}

/**
 * The standards a form offers: every one in the inventory, and for a correction the one its
 * original was signed with, though it has since been retired or is no longer marked as one (the
 * correction keeps what the work was done with, as it keeps its version of the points).
 */
function standardsForForm(core: Core, asOf: IsoDate, pinned: CorrectionForm | null): ReferenceStandard[] {
  const list = listReferenceStandards(core, asOf);
  const keptId = pinned?.referenceId ?? null;
  if (keptId === null || list.some((s) => s.id === keptId)) return list;
  const kept = equipmentHead.get(core, { id: keptId });
  return kept ? [...list, standardOn(core, kept, locationPathMap(core), asOf)] : list;
}

/**
 * The standards the record form offers for another day typed in "Performed on": for a correction
 * (`amendsId`), the one its original was signed with too, as the form itself offered it.
 */
export function referenceStandardsFor(core: Core, asOf: IsoDate, amendsId: string | undefined): ReferenceStandard[] {
  const original = amendsId !== undefined ? originalRecord.get(core, { id: amendsId }) : undefined;
  return standardsForForm(core, asOf, original ? correctionForm(core, original) : null);
}

/** Everything the record form needs for one plan, or for unplanned work on a device. */
export function logForm(
  core: Core,
  signer: { id: string; name: string; role: string },
  ref: { planId: string; amendsId?: string | undefined } | { equipmentId: string; task: string; amendsId?: string | undefined },
): LogForm {
  // A record of a plan since switched off (or of unplanned work of a task type since taken out of
  // use) is still corrected on this form: the history is kept, and a mistake in it is corrected. No new work is logged on it.
  const original = ref.amendsId !== undefined ? originalRecord.get(core, { id: ref.amendsId }) : undefined;
  const correcting =
    original !== undefined &&
    ('planId' in ref ? original.plan_id === ref.planId : original.plan_id === null && original.equipment_id === ref.equipmentId && original.task === ref.task);
  const head = targetOf(core, ref, correcting);
  const plan = head.planned ? getPlan(core, head.id) : null;
  if (plan && !plan.active && !correcting) throw new AppError('conflict', 'This plan is no longer active; work cannot be logged against it.', { field: 'planId' });
  const pinned = correcting ? correctionForm(core, original) : null;
  const procedure = pinned ? pinned.procedure : procedureOf(core, head);
  const task = taskTypeOf(core, head.task);
  const resultKind = resultKindFor(task, procedure);
  let target: LogForm['target'];
  if (head.equipment_id) {
    const e = equipmentHead.get(core, { id: head.equipment_id })!;
    target = { kind: 'equipment', id: e.id, assetTag: e.asset_tag, name: e.name, locationPath: locationPathMap(core).get(e.location_id) ?? '', status: e.status };
  } else {
    const s = stockLocationHead.get(core, { id: head.stock_location_id })!;
    target = { kind: 'stock_location', id: s.id, name: s.name, locationPath: locationPathMap(core).get(s.location_id) ?? '' };
  }
  const needsReference = resultKind === 'measurements' || resultKind === 'safety';
  // Judged on the day the form opens on: a correction's original day, else today.
  const referenceStandardsOn = correcting ? localDateOf(new Date(original.performed_at)) : today(core);
  const last = head.equipment_id ? lastCleaning.get(core, { equipmentId: head.equipment_id }) : undefined;
  const lastDetails = last ? (JSON.parse(last.details) as { method?: string; agent?: string }) : null;
  return {
    plan,
    task,
    target,
    resultKind,
    procedure,
    referenceStandards: needsReference ? standardsForForm(core, referenceStandardsOn, pinned).filter((r) => r.id !== head.equipment_id) : [],
    referenceStandardsOn,
    amendsId: correcting ? original.id : null,
    lastCleaning: lastDetails?.method && lastDetails.agent ? { method: lastDetails.method, agent: lastDetails.agent } : null,
    stockCheck: head.stock_location_id ? stockCheckForm(core, head.stock_location_id, today(core)) : null,
    signer,
    now: isoInstant(core.clock.now()),
    lateEntryReasonAfterDays: getSettings(core).lateEntryReasonAfterDays,
  };
}

interface Derived {
  outcome: Outcome;
  details: Record<string, unknown>;
  procedureId: string | null;
  referenceEquipmentId: string | null;
  referenceNotCurrent: boolean;
  overrideReason: string | null;
  steps: Omit<StepView, 'position'>[];
  readings: Omit<ReadingView, 'position'>[];
}

const PROCEDURE_NOUN = { checklist: 'checklist', measurements: 'points', safety: 'checks' } as const;

/** How work of each form is recorded, in a sentence ("… is now recorded with its checklist, step by step"). */
const RECORDED_AS: Record<ResultKind | 'not_done', string> = {
  cleaning: 'with its cleaning method and agent',
  checklist: 'with its checklist, step by step',
  measurements: 'with its measurement points',
  safety: 'with its safety checks',
  stock_check: 'as a stock check',
  outcome: 'as a plain pass or fail',
  not_done: 'as not done',
};

/**
 * The procedure a record names must be this plan's (or its device's category's) for this task; a
 * correction's must be the very version its original was done against (`pinned`).
 */
function procedureFor(core: Core, plan: PlanHead, procedureId: string, kind: 'checklist' | 'measurements' | 'safety', pinned: CorrectionForm | null): Procedure {
  if (pinned) {
    if (pinned.procedure && pinned.procedure.id === procedureId) return pinned.procedure;
    const was = pinned.procedure ? `version ${pinned.procedure.version} of its ${PROCEDURE_NOUN[kind]}` : 'no checklist or points';
    throw new AppError('invalid_input', `This record was done against ${was}, and a correction is judged the same way: reload the form.`, {
      field: 'result.procedureId',
    });
  }
  let p: Procedure;
  try {
    p = getProcedure(core, procedureId);
  } catch {
    throw new AppError('invalid_input', 'The checklist or measurement points were not found: reload the form.', { field: 'result.procedureId' });
  }
  // The same owner as the form's (procedureOf): a plan with its own points is judged by them, never
  // by its category's looser ones. An older version of that owner's procedure stays accepted.
  const current = procedureOf(core, plan);
  const sameOwner =
    current !== null &&
    (current.owner.kind === 'plan'
      ? p.owner.kind === 'plan' && p.owner.planId === current.owner.planId
      : p.owner.kind === 'category' && p.owner.categoryId === current.owner.categoryId);
  if (!sameOwner || p.task !== plan.task || p.definition.kind !== kind) {
    throw new AppError('invalid_input', 'That checklist or set of points is not the one for this plan: reload the form.', { field: 'result.procedureId' });
  }
  return p;
}

function assertReference(core: Core, plan: PlanHead, referenceId: string, pinned: CorrectionForm | null): void {
  const ref = referenceFlag.get(core, { id: referenceId });
  // A correction keeps the standard its original was signed with, whatever has become of it since.
  const kept = pinned !== null && pinned.referenceId === referenceId;
  if (!ref || (ref.reference_standard !== 1 && !kept)) {
    throw new AppError('invalid_input', 'Choose the reference standard from the list: it must be equipment marked as a reference standard.', {
      field: 'result.referenceEquipmentId',
    });
  }
  if (ref.id === plan.equipment_id) {
    throw new AppError('invalid_input', 'A device cannot be its own reference standard.', { field: 'result.referenceEquipmentId' });
  }
}

/**
 * The outcome and the stored parts of a record, computed from what was entered: against the plan's
 * form of today, or for a correction against the form its original was made with (`pinned`).
 */
function derive(core: Core, plan: PlanHead, result: WorkResult, performedAt: string, pinned: CorrectionForm | null): Derived {
  const performedOn = localDateOf(new Date(performedAt));
  const base: Derived = {
    outcome: 'pass',
    details: {},
    procedureId: null,
    referenceEquipmentId: null,
    referenceNotCurrent: false,
    overrideReason: null,
    steps: [],
    readings: [],
  };
  if (result.kind === 'not_done') {
    if (result.reason === 'other' && !result.explanation) {
      throw new AppError('invalid_input', 'Say why the work was not done.', { field: 'result.explanation' });
    }
    return { ...base, outcome: NOT_DONE_OUTCOME[result.reason], details: { notDoneReason: result.reason, notDoneExplanation: result.explanation } };
  }
  const expected = resultKindFor(taskTypeOf(core, plan.task), pinned ? pinned.procedure : procedureOf(core, plan));
  // A record made against an older procedure version is still accepted (the version is kept). A
  // typed outcome never stands in for one: where the plan has a checklist, points or checks, the
  // outcome is computed from them (docs/records.md), so a pass cannot be typed without readings.
  // A correction keeps its original's form, whatever the plan has now.
  const kindOk =
    result.kind === expected || (!pinned && ['checklist', 'measurements', 'safety'].includes(result.kind) && expected !== 'cleaning' && expected !== 'stock_check');
  if (!kindOk) {
    const what = lowerFirst(taskTypeOf(core, plan.task).label);
    // A form opened before a checklist, points or checks were defined (or before the task's form
    // changed) sends the old kind: say what changed and what to do, in words.
    throw new AppError(
      'invalid_input',
      pinned
        ? `This record was made ${RECORDED_AS[expected]}, and a correction is made the same way: reload the form.`
        : `This ${what} is now recorded ${RECORDED_AS[expected]}, not ${RECORDED_AS[result.kind]}: that changed after the form was opened. Reload the form and enter the work again.`,
      { field: 'result' },
    );
  }
  switch (result.kind) {
    case 'cleaning':
      return { ...base, outcome: result.outcome, details: { method: result.method, agent: result.agent } };
    case 'outcome':
      return { ...base, outcome: result.outcome };
    case 'checklist': {
      const p = procedureFor(core, plan, result.procedureId, 'checklist', pinned);
      if (p.definition.kind !== 'checklist') throw new AppError('invalid_input', 'Not a checklist.', { field: 'result.procedureId' });
      const stepsDef = p.definition.steps;
      if (result.steps.length !== stepsDef.length) {
        throw new AppError('invalid_input', `Give a result (pass, fail or n.a.) for each of the ${stepsDef.length} steps.`, { field: 'result.steps' });
      }
      const derived = checklistOutcome(result.steps.map((s) => s.result))!;
      const override = result.override ?? null;
      return {
        ...base,
        outcome: override ? override.outcome : derived,
        overrideReason: override ? override.reason : null,
        procedureId: p.id,
        details: override ? { derivedOutcome: derived } : {},
        steps: result.steps.map((s, i) => ({ text: stepsDef[i]!.text, result: s.result, note: s.note })),
      };
    }
    case 'measurements': {
      const p = procedureFor(core, plan, result.procedureId, 'measurements', pinned);
      if (p.definition.kind !== 'measurements') throw new AppError('invalid_input', 'Not measurement points.', { field: 'result.procedureId' });
      const points = p.definition.points;
      if (result.readings.length !== points.length) {
        throw new AppError('invalid_input', `Enter an as-found reading for each of the ${points.length} points.`, { field: 'result.readings' });
      }
      assertReference(core, plan, result.referenceEquipmentId, pinned);
      const readings = points.map((pt, i) => {
        const r = result.readings[i]!;
        const limits = pointLimits(pt);
        const v = readingVerdict(limits, { asFound: r.asFound, asLeft: r.asLeft });
        return {
          label: pt.label,
          unit: pt.unit,
          nominal: pt.nominal,
          toleranceKind: pt.toleranceKind,
          tolerance: pt.tolerance,
          low: limits.low,
          high: limits.high,
          asFound: r.asFound,
          asLeft: r.asLeft,
          foundIn: v.foundIn,
          leftIn: v.leftIn,
        };
      });
      const outcome = measuredOutcome(readings.map((r) => ({ foundIn: r.foundIn, leftIn: r.leftIn })))!;
      return {
        ...base,
        outcome,
        procedureId: p.id,
        referenceEquipmentId: result.referenceEquipmentId,
        referenceNotCurrent: !referenceCurrentOn(core, result.referenceEquipmentId, performedOn).current,
        readings,
      };
    }
    case 'safety': {
      const p = procedureFor(core, plan, result.procedureId, 'safety', pinned);
      if (p.definition.kind !== 'safety') throw new AppError('invalid_input', 'Not safety checks.', { field: 'result.procedureId' });
      const checks = p.definition.checks;
      if (result.readings.length !== checks.length) {
        throw new AppError('invalid_input', `Enter the measured value of each of the ${checks.length} checks.`, { field: 'result.readings' });
      }
      if (result.referenceEquipmentId) assertReference(core, plan, result.referenceEquipmentId, pinned);
      const readings = checks.map((c, i) => {
        const value = result.readings[i]!.value;
        const limits = checkLimits(c);
        return {
          label: c.label,
          unit: c.unit,
          nominal: null,
          toleranceKind: null,
          tolerance: null,
          low: limits.low,
          high: limits.high,
          asFound: value,
          asLeft: null,
          foundIn: withinLimits(value, limits),
          leftIn: null,
        };
      });
      return {
        ...base,
        outcome: readings.every((r) => r.foundIn) ? 'pass' : 'fail',
        procedureId: p.id,
        referenceEquipmentId: result.referenceEquipmentId,
        referenceNotCurrent: result.referenceEquipmentId ? !referenceCurrentOn(core, result.referenceEquipmentId, performedOn).current : false,
        readings,
      };
    }
    case 'stock_check': {
      if (!plan.stock_location_id) throw new AppError('invalid_input', 'A stock check is done on a stock location.', { field: 'result' });
      // The record is permanent and carries its outcome: judge the check (writing nothing) first.
      const summary = previewStockCheck(core, { stockLocationId: plan.stock_location_id, lines: result.lines, at: performedAt });
      return { ...base, outcome: summary.outcome, details: stockCheckDetails(summary) };
    }
  }
}

function insertSignature(core: WriteCore, completionId: string, signer: UserRow, meaning: SignatureMeaning): void {
  const row: SignatureRow = {
    id: uuidv7(),
    completion_id: completionId,
    user_id: signer.id,
    signer_name: signer.name,
    signer_role: signer.role,
    meaning,
    signed_at: isoInstant(core.clock.now()),
    pc_id: core.pcId,
  };
  insertSignatureRow.run(core, row);
  bindRow(core, actorOfUser(signer), 'signatures', { id: row.id });
}

/** Writes a record and all its parts, after the signer proved who they are. */
function writeRecord(
  core: WriteCore,
  signer: UserRow,
  plan: PlanHead,
  input: Omit<LogFieldsValue, 'planId' | 'equipmentId' | 'task' | 'secret'>,
  extra: {
    meaning: SignatureMeaning;
    amends?: { id: string; reason: string; performedByUserId: string | null; performedByName: string; day: string; imported: boolean };
    /** A correction's form: the one its original was made with. */
    pinned?: CorrectionForm | null;
  },
): CompletionView {
  const performedAt = input.performedAt ? new Date(input.performedAt) : core.clock.now();
  if (Number.isNaN(performedAt.getTime())) throw new AppError('invalid_input', 'Performed at must be a date and time.', { field: 'performedAt' });
  if (performedAt.getTime() <= core.clock.now().getTime()) {
    const day = localDateOf(performedAt);
    const amends = extra.amends;
    // A correction that keeps its original's day backdates nothing, and imported paper history is
    // from before the device came to Wardkeep: the inventory date is checked only for a day moved.
    const inventoryDate = !amends || (!amends.imported && day !== amends.day);
    checkEntryDate(core, plan, day, input.lateReason ?? null, { amendment: amends !== undefined, inventoryDate });
  }
  if (!extra.amends) checkNotRetired(core, plan.equipment_id, performedAt);
  const d = derive(core, plan, input.result, performedAt.toISOString(), extra.pinned ?? null);
  const recorded = recordCompletion(core, actorOfUser(signer), {
    planId: plan.planned ? plan.id : null,
    ...(plan.planned ? {} : { unplanned: { equipmentId: plan.equipment_id!, task: plan.task } }),
    performedAt: performedAt.toISOString(),
    outcome: d.outcome,
    notes: input.notes,
    source: 'app',
    details: d.details,
    minutesSpent: input.minutesSpent,
    procedureId: d.procedureId,
    referenceEquipmentId: d.referenceEquipmentId,
    referenceNotCurrent: d.referenceNotCurrent,
    outcomeOverrideReason: d.overrideReason,
    lateReason: input.lateReason ?? null,
    ...(extra.amends
      ? { amendsId: extra.amends.id, amendReason: extra.amends.reason, performedByUserId: extra.amends.performedByUserId, performedByName: extra.amends.performedByName }
      : {}),
  });
  d.steps.forEach((s, i) => {
    insertStep.run(core, { completion_id: recorded.id, position: i + 1, text: s.text, result: s.result, note: s.note });
    bindRow(core, actorOfUser(signer), 'completion_steps', { completion_id: recorded.id, position: i + 1 });
  });
  const b = (v: boolean | null) => (v === null ? null : v ? (1 as const) : (0 as const));
  d.readings.forEach((r, i) => {
    insertReading.run(core, {
      completion_id: recorded.id,
      position: i + 1,
      label: r.label,
      unit: r.unit,
      nominal: r.nominal,
      tolerance_kind: r.toleranceKind,
      tolerance: r.tolerance,
      low_limit: r.low,
      high_limit: r.high,
      as_found: r.asFound,
      as_left: r.asLeft,
      found_in_tolerance: b(r.foundIn),
      left_in_tolerance: b(r.leftIn),
    });
    bindRow(core, actorOfUser(signer), 'completion_readings', { completion_id: recorded.id, position: i + 1 });
  });
  const at = performedAt.toISOString();
  if (input.result.kind === 'stock_check') {
    applyStockCheck(core, actorOfUser(signer), { completionId: recorded.id, stockLocationId: plan.stock_location_id!, lines: input.result.lines, at });
  }
  if (input.suppliesUsed.length > 0) recordSuppliesUsed(core, actorOfUser(signer), { completionId: recorded.id, uses: input.suppliesUsed, at });
  insertSignature(core, recorded.id, signer, extra.meaning);
  return getCompletion(core, recorded.id);
}

/**
 * Work logged long ago is most likely a mistyped year: refused until the person confirms the date
 * (the record form asks the same question beside the field). `unchangedDay` is the day of the
 * record a correction keeps: an old record's own date is no slip.
 */
/** The local day of the record a correction corrects, or undefined when there is none. */
export function amendedDay(core: Core, amendsId: string): string | undefined {
  const original = originalRecord.get(core, { id: amendsId });
  return original ? localDateOf(new Date(original.performed_at)) : undefined;
}

export function assertPlausiblePerformedAt(core: Core, input: { performedAt?: string | undefined; confirmDates?: boolean | undefined }, unchangedDay?: string): void {
  if (!input.performedAt || input.confirmDates) return;
  const day = localDateOf(new Date(input.performedAt));
  if (day === unchangedDay) return;
  const question = performedDateQuestion(day, today(core), getSettings(core).dateFormat);
  if (question) throw new AppError('invalid_input', question.message, { field: question.field });
}

/**
 * Logs work, signed by the signed-in user (`signer`: their PIN or password re-entered and checked
 * before the transaction). Inside the dispatcher's transaction, with the signature's own record.
 */
export function logCompletion(core: WriteCore, signer: UserRow, input: LogFieldsValue): CompletionView {
  const { planId, equipmentId, task, secret: _secret, confirmDates: _confirmed, ...rest } = input;
  return writeRecord(core, signer, targetOf(core, { planId, equipmentId, task }), rest, { meaning: 'performed_by' });
}

/**
 * Corrects a record: a new record pointing at the one it corrects, with a reason, signed
 * "amended by". The newest version of a record is the one corrected; the work keeps its performer.
 */
export function amendCompletion(core: WriteCore, signer: UserRow, input: AmendFieldsValue): CompletionView {
  const original = originalRecord.get(core, { id: input.amendsId });
  if (!original) throw new AppError('not_found', 'That record does not exist.', { field: 'amendsId' });
  const newer = amendment.get(core, { id: original.id });
  if (newer) throw new AppError('conflict', 'This record has already been corrected: correct the newest version instead.', { field: 'amendsId' });
  if (!original.plan_id && !original.equipment_id) throw new AppError('invalid_input', 'This record belongs to no plan and cannot be corrected here.', { field: 'amendsId' });
  const mayAmend = original.performed_by_user_id === signer.id || signer.role === 'supervisor' || signer.role === 'admin';
  if (!mayAmend) throw new AppError('forbidden', 'Only the person who did the work or a supervisor may correct this record.');
  // Stock transactions are permanent like the record: a correction cannot count stock again.
  if (input.result.kind === 'stock_check') {
    throw new AppError('invalid_input', 'A stock check is not corrected by amending it: record a count or an adjustment on the stock location.', { field: 'result' });
  }
  if (input.suppliesUsed.length > 0) {
    throw new AppError('invalid_input', 'Supplies used are not changed by a correction: record an adjustment on the stock location.', { field: 'suppliesUsed' });
  }
  const { amendsId: _a, reason, secret: _s, confirmDates: _c, ...rest } = input;
  const target: PlanHead = original.plan_id
    ? planHead(core, original.plan_id)
    : { id: '', equipment_id: original.equipment_id, stock_location_id: null, task: original.task, planned: false };
  return writeRecord(
    core,
    signer,
    target,
    { ...rest, performedAt: rest.performedAt ?? original.performed_at },
    {
      meaning: 'amended_by',
      pinned: correctionForm(core, original),
      amends: {
        id: original.id,
        reason,
        performedByUserId: original.performed_by_user_id,
        performedByName: original.performed_by_name,
        day: localDateOf(new Date(original.performed_at)),
        imported: original.source === 'import',
      },
    },
  );
}

/** Who signed a record or any record it corrects (walking the amendments back to the first), and who performed any of them. */
const handsOnRecord = query<{ user_id: string | null; name: string | null }, { id: string }>(
  `WITH RECURSIVE chain(id) AS (SELECT @id UNION SELECT c.amends_id FROM completions c JOIN chain ON c.id = chain.id WHERE c.amends_id IS NOT NULL)
   SELECT s.user_id AS user_id, NULL AS name FROM signatures s WHERE s.completion_id IN (SELECT id FROM chain)
   UNION ALL SELECT c.performed_by_user_id, c.performed_by_name FROM completions c WHERE c.id IN (SELECT id FROM chain)`,
);

/** Everyone who had a hand in a record: user ids, and the names of performers not signed in (imported history). */
function handsOn(core: Core, completionId: string): { userIds: Set<string>; names: Set<string> } {
  const rows = handsOnRecord.all(core, { id: completionId });
  return {
    userIds: new Set(rows.flatMap((r) => (r.user_id ? [r.user_id] : []))),
    names: new Set(rows.flatMap((r) => (r.name && !r.user_id ? [r.name] : []))),
  };
}

/**
 * A supervisor's second signature, "reviewed by", on the current version of a record: by someone
 * independent of it, who signed neither the record nor any record it corrects, and performed none
 * of them (issue 13, item 8). An unsigned record is matched by the performer's name as written.
 */
export function reviewCompletion(core: WriteCore, signer: UserRow, input: { completionId: string }): CompletionView {
  const c = getCompletion(core, input.completionId);
  if (c.amendedById) throw new AppError('conflict', 'This record was corrected: review the newest version.', { field: 'completionId' });
  const review = c.signatures.find((s) => s.meaning === 'reviewed_by');
  if (review) throw new AppError('conflict', `This record was already reviewed by ${review.name}.`, { field: 'completionId' });
  const hands = handsOn(core, c.id);
  if (hands.userIds.has(signer.id) || hands.names.has(signer.name)) {
    throw new AppError('forbidden', 'A record is reviewed by someone who neither did the work nor signed it or any record it corrects.');
  }
  insertSignature(core, c.id, signer, 'reviewed_by');
  return getCompletion(core, c.id);
}
