import { formatDate } from '../../../shared/date-format';
import type { IsoDate } from '../../../shared/domain/common';
import type { EquipmentPlans, PlanExpectedValue, PlanFieldsValue, PlanUpdateValue, PlanView, TaskType } from '../../../shared/domain/plan';
import type { Interval, PlanMode, PlanStatus } from '../../../shared/scheduling';
import { startAfterChange } from '../../../shared/scheduling/plan-preview';
import {
  DEFAULT_GRACE_DAYS,
  defaultWindowDays,
  describeInterval,
  dueFrom,
  formatInterval,
  isInService,
  planStatus,
  planTimingProblem,
} from '../../../shared/scheduling';
import { appendAudit, changedColumns } from '../audit';
import { isoInstant, localDate } from '../clock';
import type { Actor, Core, WriteCore } from '../context';
import { AppError } from '../errors';
import { uuidv7 } from '../ids';
import { command, query } from '../sql/query';
import type { EquipmentRow, PlanRow, StockLocationRow, TaskTypeRow } from '../sql/rows';
import { deriveServiceState, refreshServiceStatus } from '../sync/service-status';
import { recomputePlan } from './scheduler';
import { getSettings } from '../settings/service';
import { planStartDateQuestion } from '../../../shared/plausible-dates';

export type { PlanRow };

const taskTypes = query<Omit<TaskTypeRow, 'sort_order'>>(
  'SELECT code, label, target, fail_tags_out, overdue_blocks_use, form_kind, fail_opens_work_order, active, builtin FROM task_types ORDER BY sort_order, code',
);
const planById = query<PlanRow, { id: string }>('SELECT * FROM plans WHERE id = @id');
const equipmentStatus = query<Pick<EquipmentRow, 'status'>, { id: string }>('SELECT status FROM equipment WHERE id = @id');
const stockLocationActive = query<Pick<StockLocationRow, 'active'>, { id: string | null }>('SELECT active FROM stock_locations WHERE id = @id');
type EquipmentHead = Pick<EquipmentRow, 'id' | 'asset_tag' | 'name' | 'status' | 'tagged_out_by_plan_id'>;
const equipmentHeadById = query<EquipmentHead, { id: string }>('SELECT id, asset_tag, name, status, tagged_out_by_plan_id FROM equipment WHERE id = @id');
const plansOfEquipment = query<PlanRow, { id: string }>('SELECT * FROM plans WHERE equipment_id = @id ORDER BY active DESC, next_due, task');
const activeOfTask = query<Pick<PlanRow, 'id'>, { equipmentId: string; task: string }>(
  'SELECT id FROM plans WHERE equipment_id = @equipmentId AND task = @task AND active = 1',
);
const activeOfStockTask = query<Pick<PlanRow, 'id'>, { stockLocationId: string; task: string }>(
  'SELECT id FROM plans WHERE stock_location_id = @stockLocationId AND task = @task AND active = 1',
);
const stockLocationHead = query<Pick<StockLocationRow, 'id' | 'name' | 'active'>, { id: string }>('SELECT id, name, active FROM stock_locations WHERE id = @id');
type NewPlanRow = Pick<
  PlanRow,
  | 'id'
  | 'equipment_id'
  | 'stock_location_id'
  | 'task'
  | 'interval_n'
  | 'interval_unit'
  | 'mode'
  | 'start_date'
  | 'window_days'
  | 'grace_days'
  | 'template_id'
  | 'next_due'
  | 'due_from'
  | 'done_before_on'
>;
const insert = command<NewPlanRow & Pick<PlanRow, 'created_at' | 'updated_at' | 'pc_id'>>(
  `INSERT INTO plans (id, equipment_id, stock_location_id, task, interval_n, interval_unit, mode, start_date, window_days, grace_days, template_id,
     next_due, due_from, done_before_on, created_at, updated_at, pc_id)
   VALUES (@id, @equipment_id, @stock_location_id, @task, @interval_n, @interval_unit, @mode, @start_date, @window_days, @grace_days, @template_id,
     @next_due, @due_from, @done_before_on, @created_at, @updated_at, @pc_id)`,
);
const updateRule = command<
  Pick<PlanRow, 'id' | 'interval_n' | 'interval_unit' | 'mode' | 'start_date' | 'window_days' | 'grace_days' | 'updated_at' | 'pc_id'>
>(
  `UPDATE plans SET interval_n = @interval_n, interval_unit = @interval_unit, mode = @mode, start_date = @start_date,
     window_days = @window_days, grace_days = @grace_days, updated_at = @updated_at, pc_id = @pc_id
   WHERE id = @id`,
);
/** The device's plan of this task taken out of use that holds records, the latest taken out first. */
const outOfUseWithRecords = query<Pick<PlanRow, 'id' | 'last_done_on'>, { equipmentId: string; task: string }>(
  `SELECT p.id, p.last_done_on FROM plans p
   WHERE p.equipment_id = @equipmentId AND p.task = @task AND p.active = 0 AND EXISTS (SELECT 1 FROM completions c WHERE c.plan_id = p.id)
   ORDER BY p.updated_at DESC LIMIT 1`,
);
const reactivate = command<Pick<PlanRow, 'id' | 'updated_at' | 'pc_id'>>('UPDATE plans SET active = 1, updated_at = @updated_at, pc_id = @pc_id WHERE id = @id');
const equipmentTag = query<Pick<EquipmentRow, 'asset_tag'>, { id: string }>('SELECT asset_tag FROM equipment WHERE id = @id');
const deactivate = command<Pick<PlanRow, 'id' | 'updated_at' | 'pc_id'>>('UPDATE plans SET active = 0, updated_at = @updated_at, pc_id = @pc_id WHERE id = @id');

/** The task types, in their display order. A handful of rows: read whole. */
export function listTaskTypes(core: Core): TaskType[] {
  return taskTypes.all(core).map((r) => ({
    code: r.code,
    label: r.label,
    target: r.target,
    failTagsOut: r.fail_tags_out === 1,
    overdueBlocksUse: r.overdue_blocks_use === 1,
    formKind: r.form_kind,
    failOpensWorkOrder: r.fail_opens_work_order === 1,
    active: r.active === 1,
    builtin: r.builtin === 1,
  }));
}

export function taskTypeMap(core: Core): Map<string, TaskType> {
  return new Map(listTaskTypes(core).map((t) => [t.code, t]));
}

/**
 * A task as a person or a file writes it: the code (`electrical_safety`) or the label
 * (`Electrical safety test`), any case, spaces, `_` and `-` ignored. Null when it is no task.
 */
export function findTaskType(types: readonly TaskType[], text: string): TaskType | null {
  const fold = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');
  const key = fold(text);
  if (key === '') return null;
  return types.find((t) => fold(t.code) === key) ?? types.find((t) => fold(t.label) === key) ?? null;
}

export function taskList(types: readonly TaskType[], target: TaskType['target'] = 'equipment'): string {
  return types
    .filter((t) => t.target === target)
    .map((t) => t.code)
    .join(', ');
}

/** The equipment task named by `text`, or an error naming the choices. */
export function equipmentTaskType(core: Core, text: string, field = 'task'): TaskType {
  const types = listTaskTypes(core);
  const found = findTaskType(types, text);
  if (!found) {
    throw new AppError('invalid_input', `"${text}" is not a task; choose one of ${taskList(types)}.`, { field });
  }
  if (found.target !== 'equipment') {
    throw new AppError('invalid_input', `${found.label} is a task for stock locations, not for a device; choose one of ${taskList(types)}.`, {
      field,
    });
  }
  // Kept for history, offered for no new work (TaskType.active): no new plan, nor a category's default.
  if (!found.active) throw new AppError('invalid_input', `${found.label} is no longer in use; choose another task.`, { field });
  return found;
}

export interface PlanTiming {
  windowDays: number;
  graceDays: number;
}

/**
 * Rule 9: blank window or grace takes its default; either must be shorter than the interval.
 * Throws with planTimingProblem's sentence, naming the field.
 */
export function resolveTiming(interval: Interval, windowDays: number | null, graceDays: number | null): PlanTiming {
  const timing = {
    interval,
    windowDays: windowDays ?? defaultWindowDays(interval),
    graceDays: graceDays ?? DEFAULT_GRACE_DAYS,
  };
  const problem = planTimingProblem(timing);
  if (problem) throw new AppError('invalid_input', problem.message, { field: problem.field });
  return { windowDays: timing.windowDays, graceDays: timing.graceDays };
}

/** The one mapper from a plans row to a PlanView: the row with its status on `today`; `targetInService` is rule 11. */
export function toPlanView(row: PlanRow, task: TaskType | undefined, today: IsoDate, targetInService: boolean): PlanView {
  const interval: Interval = { n: row.interval_n, unit: row.interval_unit };
  const { status, daysOverdue }: { status: PlanStatus; daysOverdue: number } =
    row.active === 1
      ? planStatus({ nextDue: row.next_due, windowDays: row.window_days, graceDays: row.grace_days }, today, targetInService)
      : { status: 'suspended', daysOverdue: 0 };
  return {
    id: row.id,
    equipmentId: row.equipment_id,
    stockLocationId: row.stock_location_id,
    task: row.task,
    taskLabel: task?.label ?? row.task,
    every: formatInterval(interval),
    everyText: describeInterval(interval),
    mode: row.mode,
    startDate: row.start_date,
    windowDays: row.window_days,
    graceDays: row.grace_days,
    defaultWindowDays: defaultWindowDays(interval),
    templateId: row.template_id,
    lastDoneOn: row.last_done_on,
    doneBeforeOn: row.done_before_on,
    nextDue: row.next_due,
    dueFrom: row.due_from,
    active: row.active === 1,
    status,
    daysOverdue,
    doNotUse: status === 'overdue' && (task?.overdueBlocksUse ?? false),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function planRow(core: Core, id: string): PlanRow {
  const row = planById.get(core, { id });
  if (!row) throw new AppError('not_found', 'That plan does not exist.', { field: 'id' });
  return row;
}

/** Rule 11 for a plan's target: a device must be in service; a stock location must be active. */
function targetInService(core: Core, row: Pick<PlanRow, 'equipment_id' | 'stock_location_id'>): boolean {
  if (row.equipment_id) {
    const e = equipmentStatus.get(core, { id: row.equipment_id });
    return e !== undefined && isInService(e.status);
  }
  const s = stockLocationActive.get(core, { id: row.stock_location_id });
  return s?.active === 1;
}

export function today(core: Core): IsoDate {
  return localDate(core.clock.now());
}

export function getPlan(core: Core, id: string, on: IsoDate = today(core)): PlanView {
  const row = planRow(core, id);
  return toPlanView(row, taskTypeMap(core).get(row.task), on, targetInService(core, row));
}

function equipmentHead(core: Core, equipmentId: string, field = 'equipmentId'): EquipmentHead {
  const e = equipmentHeadById.get(core, { id: equipmentId });
  if (!e) throw new AppError('not_found', 'That device does not exist.', { field });
  return e;
}

/** A device's plans, active first (by next due), then the deactivated ones. */
export function listPlansForEquipment(core: Core, equipmentId: string, on: IsoDate = today(core)): EquipmentPlans {
  const e = equipmentHead(core, equipmentId);
  const types = taskTypeMap(core);
  const inService = isInService(e.status);
  const rows = plansOfEquipment.all(core, { id: equipmentId });
  const plans = rows.map((r) => toPlanView(r, types.get(r.task), on, inService));
  const reasons: string[] = [];
  const dateFormat = getSettings(core).dateFormat;
  for (const p of plans.filter((x) => x.doNotUse)) {
    reasons.push(`${p.taskLabel} is ${p.daysOverdue === 1 ? '1 day' : `${p.daysOverdue} days`} overdue (due ${formatDate(p.nextDue, dateFormat)}).`);
  }
  if (e.tagged_out_by_plan_id) {
    const by = plans.find((p) => p.id === e.tagged_out_by_plan_id);
    reasons.push(`Tagged out of service by a failed ${by ? by.taskLabel.toLowerCase() : 'test'}: it returns to service when that test passes.`);
  }
  return {
    equipmentId,
    today: on,
    equipmentStatus: e.status,
    taggedOutByPlanId: e.tagged_out_by_plan_id,
    doNotUse: reasons.length > 0,
    doNotUseReasons: reasons,
    plans,
  };
}

export interface NewPlan {
  /** The target: a device, or (with `equipmentId: null`) a stock location. */
  equipmentId: string | null;
  stockLocationId?: string | null;
  task: string;
  interval: Interval;
  mode: PlanMode;
  startDate: IsoDate;
  windowDays: number;
  graceDays: number;
  templateId?: string | null;
  /** When the task was last done before the device came to Wardkeep (issue 16). */
  doneBeforeOn?: IsoDate | null;
}

/** The device's active plan of this task, if it has one. */
export function activePlanOfTask(core: Core, equipmentId: string, task: string): { id: string } | undefined {
  return activeOfTask.get(core, { equipmentId, task });
}

/**
 * Inserts a plan whose fields were checked by the caller, with its audit entry; a new plan has no
 * history, so it is due on its start date (rule 5).
 */
export function insertPlan(core: WriteCore, actor: Actor, plan: NewPlan, audit: { via?: string } = {}): string {
  const now = isoInstant(core.clock.now());
  const row: NewPlanRow = {
    id: uuidv7(),
    equipment_id: plan.equipmentId,
    stock_location_id: plan.stockLocationId ?? null,
    task: plan.task,
    interval_n: plan.interval.n,
    interval_unit: plan.interval.unit,
    mode: plan.mode,
    start_date: plan.startDate,
    window_days: plan.windowDays,
    grace_days: plan.graceDays,
    template_id: plan.templateId ?? null,
    next_due: plan.startDate,
    due_from: dueFrom(plan.startDate, plan.windowDays),
    done_before_on: plan.doneBeforeOn ?? null,
  };
  insert.run(core, { ...row, created_at: now, updated_at: now, pc_id: core.pcId });
  appendAudit(core, actor, { action: 'create', entity: 'plan', entityId: row.id, new: audit.via ? { ...row, via: audit.via } : row });
  return row.id;
}

/** The person confirmed a start date shared/plausible-dates.ts asks about (a year typed 2062 for 2026). */
type ConfirmDates = { confirmDates?: boolean | undefined };

/**
 * A start date that is most likely mistyped (years ahead, or before 1970) is refused until the
 * person confirms it; the plan dialog asks the same question beside the field. On a change only a
 * start date being changed is asked about.
 */
function assertPlausibleStart(core: Core, input: { startDate: IsoDate; every: Interval } & ConfirmDates, before?: Pick<PlanRow, 'start_date'>): void {
  if (input.confirmDates || (before && before.start_date === input.startDate)) return;
  const question = planStartDateQuestion(input.startDate, input.every, today(core), getSettings(core).dateFormat);
  if (question) throw new AppError('invalid_input', question.message, { field: question.field });
}

/** Adds a plan to a stock location (a stock check). */
function createStockLocationPlan(core: WriteCore, actor: Actor, input: PlanFieldsValue & ConfirmDates & { stockLocationId: string }): PlanView {
  const s = stockLocationHead.get(core, { id: input.stockLocationId });
  if (!s || s.active !== 1) throw new AppError('not_found', 'That stock location does not exist.', { field: 'stockLocationId' });
  const types = listTaskTypes(core);
  const task = findTaskType(types, input.task);
  if (!task || task.target !== 'stock_location') {
    throw new AppError('invalid_input', `"${input.task}" is not a task for a stock location; choose one of ${taskList(types, 'stock_location')}.`, {
      field: 'task',
    });
  }
  // As for a device's task (equipmentTaskType): kept for history, offered for no new work.
  if (!task.active) throw new AppError('invalid_input', `${task.label} is no longer in use; choose another task.`, { field: 'task' });
  if (activeOfStockTask.get(core, { stockLocationId: s.id, task: task.code })) {
    throw new AppError('conflict', `${s.name} already has an active ${task.label.toLowerCase()} plan; change that one instead.`, { field: 'task' });
  }
  const timing = resolveTiming(input.every, input.windowDays, input.graceDays);
  assertPlausibleStart(core, input);
  const id = insertPlan(core, actor, {
    equipmentId: null,
    stockLocationId: s.id,
    task: task.code,
    interval: input.every,
    mode: input.mode,
    startDate: input.startDate,
    ...timing,
  });
  return getPlan(core, id);
}

/** Adds a plan to a device or to a stock location (exactly one of them). */
export function createPlan(core: WriteCore, actor: Actor, input: PlanFieldsValue & ConfirmDates): PlanView {
  if ((input.equipmentId === undefined) === (input.stockLocationId === undefined)) {
    throw new AppError('invalid_input', 'A plan is for a device or for a stock location: choose one of them.', { field: 'equipmentId' });
  }
  if (input.stockLocationId !== undefined) return createStockLocationPlan(core, actor, { ...input, stockLocationId: input.stockLocationId });
  const e = equipmentHead(core, input.equipmentId!);
  const task = equipmentTaskType(core, input.task);
  if (activePlanOfTask(core, e.id, task.code)) {
    throw new AppError('conflict', `${e.asset_tag} already has an active ${task.label.toLowerCase()} plan; change that one instead.`, {
      field: 'task',
    });
  }
  // A new plan starts with no history (due on its start date, last done "never"): beside a plan of
  // the task taken out of use that holds the device's records, that would forget them. The old plan
  // is brought back instead (reactivatePlan), its next due from its own records.
  const kept = outOfUseWithRecords.get(core, { equipmentId: e.id, task: task.code });
  if (kept) {
    const last = kept.last_done_on ? ` (last done ${formatDate(kept.last_done_on, getSettings(core).dateFormat)})` : '';
    throw new AppError(
      'conflict',
      `${e.asset_tag}'s ${task.label.toLowerCase()} plan taken out of use holds its records${last}: bring it back ("Bring back…" under "Inactive plans") rather than start a new one without them.`,
      { field: 'task' },
    );
  }
  const timing = resolveTiming(input.every, input.windowDays, input.graceDays);
  assertPlausibleStart(core, input);
  const id = insertPlan(core, actor, {
    equipmentId: e.id,
    task: task.code,
    interval: input.every,
    mode: input.mode,
    startDate: input.startDate,
    ...timing,
  });
  return getPlan(core, id);
}

/**
 * Changes a plan's rule and recomputes its next due date from its history, in the caller's
 * transaction.
 */
/** What someone else changed in a plan's rule since the dialog opened with `expected`, in words, and the first field changed; null when nothing. */
function planChangedMeanwhile(core: Core, before: PlanRow, expected: PlanExpectedValue): { field: keyof PlanExpectedValue; words: string } | null {
  const interval: Interval = { n: before.interval_n, unit: before.interval_unit };
  const words: string[] = [];
  let field: keyof PlanExpectedValue | null = null;
  const changed = (name: keyof PlanExpectedValue, text: string) => {
    field ??= name;
    words.push(text);
  };
  const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
  if (formatInterval(interval) !== expected.every) changed('every', `now ${describeInterval(interval)}`);
  if (before.mode !== expected.mode) changed('mode', before.mode === 'fixed' ? 'now on fixed dates' : 'now counted from the last time it was done');
  if (before.start_date !== expected.startDate) changed('startDate', `starting ${formatDate(before.start_date, getSettings(core).dateFormat)}`);
  if (before.window_days !== expected.windowDays) changed('windowDays', `window now ${days(before.window_days)}`);
  if (before.grace_days !== expected.graceDays) changed('graceDays', `grace now ${days(before.grace_days)}`);
  return field ? { field, words: words.join(', ') } : null;
}

export function updatePlan(core: WriteCore, actor: Actor, input: PlanUpdateValue & ConfirmDates): PlanView {
  const before = planRow(core, input.id);
  if (before.active !== 1) throw new AppError('conflict', 'This plan is no longer active, so it cannot be changed.', { field: 'id' });
  // Changed by someone else since the dialog opened (another window, another PC through the hub): refused, never put back unseen.
  const meanwhile = input.expected ? planChangedMeanwhile(core, before, input.expected) : null;
  if (meanwhile) {
    const label = listTaskTypes(core).find((t) => t.code === before.task)?.label ?? before.task;
    throw new AppError('conflict', `The ${label.toLowerCase()} plan was changed by someone else since you opened this (${meanwhile.words}): check and save again.`, {
      field: meanwhile.field,
    });
  }
  const timing = resolveTiming(input.every, input.windowDays, input.graceDays);
  assertPlausibleStart(core, input, before);
  const next = {
    interval_n: input.every.n,
    interval_unit: input.every.unit,
    mode: input.mode,
    // The dialog sends back the start date it showed: a start derived from the work done before
    // Wardkeep is derived again from the new interval (shared with the dialog's preview).
    start_date: startAfterChange(
      { every: { n: before.interval_n, unit: before.interval_unit }, startDate: before.start_date, lastDoneOn: before.last_done_on, doneBeforeOn: before.done_before_on },
      input,
    ),
    window_days: timing.windowDays,
    grace_days: timing.graceDays,
  };
  const changes = changedColumns(before, next);
  if (!changes) return getPlan(core, input.id);
  updateRule.run(core, { ...next, id: input.id, updated_at: isoInstant(core.clock.now()), pc_id: core.pcId });
  const dates = recomputePlan(core, input.id);
  appendAudit(core, actor, {
    action: 'update',
    entity: 'plan',
    entityId: input.id,
    old: { ...changes.old, next_due: before.next_due },
    new: { ...changes.new, next_due: dates.nextDue },
  });
  return getPlan(core, input.id);
}

/** Takes a plan off every list; it and its history stay. */
/**
 * Rule 12 counts the fails of active plans only, so taking a plan out of use could release a device
 * its failed test holds out of service, with no one deciding it: refused, naming the device and
 * the fail; a person puts the device back in service (with the reason) or a pass is logged first.
 * Otherwise the device's status is derived again at once, as every other PC of a hub derives it when
 * the change arrives (sync/apply.ts).
 */
export function deactivatePlan(core: WriteCore, actor: Actor, id: string): PlanView {
  const before = planRow(core, id);
  if (before.active !== 1) throw new AppError('conflict', 'This plan is already inactive.', { field: 'id' });
  const equipmentId = before.equipment_id;
  const held = equipmentId ? deriveServiceState(core, equipmentId) : null;
  deactivate.run(core, { id, updated_at: isoInstant(core.clock.now()), pc_id: core.pcId });
  if (equipmentId && held?.status === 'out_of_service' && held.taggedOutByPlanId !== null && deriveServiceState(core, equipmentId)?.status === 'in_service') {
    const tag = equipmentTag.get(core, { id: equipmentId })?.asset_tag ?? 'The device';
    throw new AppError(
      'conflict',
      `${tag} is held out of service by this plan's failed test ("${held.statusReason ?? ''}"). Put it back in service first (on its page with the reason, or through its work order), or log a pass.`,
      { field: 'id' },
    );
  }
  appendAudit(core, actor, { action: 'deactivate', entity: 'plan', entityId: id, old: { active: 1 }, new: { active: 0 } });
  if (equipmentId) refreshServiceStatus(core, equipmentId);
  return getPlan(core, id);
}

/**
 * Brings a plan taken out of use back into use, with its history: its next due date comes from its
 * own records (rules 5–8), so a device calibrated on the old plan is not due again at once. The row
 * is the same plan (an update of `active`, which syncs like any other change of a plan). Refused
 * while another plan of the task is in use on the device (one plan per task), for a task type the
 * administrator took out of use, and for a stock location no longer in use. Rule 12 counts the fails
 * of active plans, so the device's status is derived again at once (a plan whose last test failed
 * takes the device out of service again), as deactivatePlan does.
 */
export function reactivatePlan(core: WriteCore, actor: Actor, id: string): PlanView {
  const before = planRow(core, id);
  if (before.active === 1) throw new AppError('conflict', 'This plan is already in use.', { field: 'id' });
  const task = taskTypeMap(core).get(before.task);
  const label = (task?.label ?? before.task).toLowerCase();
  if (task && !task.active) {
    throw new AppError('invalid_input', `${task.label} is no longer in use, so its plan cannot be brought back.`, { field: 'id' });
  }
  if (before.equipment_id) {
    const e = equipmentHead(core, before.equipment_id, 'id');
    if (activePlanOfTask(core, e.id, before.task)) {
      throw new AppError('conflict', `${e.asset_tag} already has an active ${label} plan: take that one out of use first to bring this one back.`, {
        field: 'id',
      });
    }
  } else {
    const s = stockLocationHead.get(core, { id: before.stock_location_id ?? '' });
    if (!s || s.active !== 1) throw new AppError('conflict', 'That stock location is no longer in use, so its plans cannot be brought back.', { field: 'id' });
    if (activeOfStockTask.get(core, { stockLocationId: s.id, task: before.task })) {
      throw new AppError('conflict', `${s.name} already has an active ${label} plan: take that one out of use first to bring this one back.`, { field: 'id' });
    }
  }
  reactivate.run(core, { id, updated_at: isoInstant(core.clock.now()), pc_id: core.pcId });
  const dates = recomputePlan(core, id);
  appendAudit(core, actor, {
    action: 'reactivate',
    entity: 'plan',
    entityId: id,
    old: { active: 0, next_due: before.next_due },
    new: { active: 1, next_due: dates.nextDue },
  });
  if (before.equipment_id) refreshServiceStatus(core, before.equipment_id);
  return getPlan(core, id);
}
