import type { IsoDate } from '../../../shared/domain/common';
import type { CategoryPlan, CategoryPlanFieldsValue } from '../../../shared/domain/plan';
import type { Interval } from '../../../shared/scheduling';
import { addInterval, defaultWindowDays, describeInterval, formatInterval } from '../../../shared/scheduling';
import { appendAudit } from '../audit';
import { isoInstant } from '../clock';
import type { Actor, Core, WriteCore } from '../context';
import { AppError } from '../errors';
import { uuidv7 } from '../ids';
import { command, query } from '../sql/query';
import type { CategoryPlanTemplateRow, CategoryRow, EquipmentRow } from '../sql/rows';
import { activePlanOfTask, equipmentTaskType, insertPlan, resolveTiming, taskTypeMap, today } from './service';

/**
 * Category default plans (every defibrillator: monthly inspection, yearly calibration,
 * yearly electrical safety), applied to each new device of the category and, on request, to the
 * devices it already has.
 */

type TemplateRow = Pick<
  CategoryPlanTemplateRow,
  'id' | 'category_id' | 'task' | 'interval_n' | 'interval_unit' | 'mode' | 'window_days' | 'grace_days'
>;

const activeTemplates = query<TemplateRow, { categoryId: string }>(
  `SELECT t.id, t.category_id, t.task, t.interval_n, t.interval_unit, t.mode, t.window_days, t.grace_days
   FROM category_plan_templates t JOIN task_types tt ON tt.code = t.task
   WHERE t.category_id = @categoryId AND t.active = 1 AND tt.active = 1 ORDER BY tt.sort_order, t.task`,
);
const categoryName = query<Pick<CategoryRow, 'name'>, { id: string }>('SELECT name FROM categories WHERE id = @id');
const activeTemplateOfTask = query<Pick<CategoryPlanTemplateRow, 'id'>, { categoryId: string; task: string }>(
  'SELECT id FROM category_plan_templates WHERE category_id = @categoryId AND task = @task AND active = 1',
);
const templateById = query<Pick<CategoryPlanTemplateRow, 'id' | 'active'>, { id: string }>('SELECT id, active FROM category_plan_templates WHERE id = @id');
const equipmentCategory = query<Pick<EquipmentRow, 'category_id'>, { id: string }>('SELECT category_id FROM equipment WHERE id = @id');
const devicesOfCategory = query<Pick<EquipmentRow, 'id'>, { categoryId: string }>(
  "SELECT id FROM equipment WHERE category_id = @categoryId AND status <> 'retired'",
);
const insertTemplate = command<TemplateRow & Pick<CategoryPlanTemplateRow, 'created_at' | 'updated_at' | 'pc_id'>>(
  `INSERT INTO category_plan_templates (id, category_id, task, interval_n, interval_unit, mode, window_days, grace_days,
     created_at, updated_at, pc_id)
   VALUES (@id, @category_id, @task, @interval_n, @interval_unit, @mode, @window_days, @grace_days, @created_at, @updated_at, @pc_id)`,
);
const deactivateTemplate = command<Pick<CategoryPlanTemplateRow, 'id' | 'updated_at' | 'pc_id'>>(
  'UPDATE category_plan_templates SET active = 0, updated_at = @updated_at, pc_id = @pc_id WHERE id = @id',
);

/** The one mapper from a category_plan_templates row to a CategoryPlan. */
function toCategoryPlan(row: TemplateRow, label: string | undefined): CategoryPlan {
  const interval: Interval = { n: row.interval_n, unit: row.interval_unit };
  return {
    id: row.id,
    categoryId: row.category_id,
    task: row.task,
    taskLabel: label ?? row.task,
    every: formatInterval(interval),
    everyText: describeInterval(interval),
    mode: row.mode,
    windowDays: row.window_days,
    graceDays: row.grace_days,
    defaultWindowDays: defaultWindowDays(interval),
  };
}

function templates(core: Core, categoryId: string): TemplateRow[] {
  return activeTemplates.all(core, { categoryId });
}

/** Whether a category has default plans to give its new devices (an import asks once per category, not per device). */
export function hasDefaultPlans(core: Core, categoryId: string): boolean {
  return templates(core, categoryId).length > 0;
}

function assertCategory(core: Core, categoryId: string): { name: string } {
  const c = categoryName.get(core, { id: categoryId });
  if (!c) throw new AppError('not_found', 'That category does not exist.', { field: 'categoryId' });
  return c;
}

export function listCategoryPlans(core: Core, categoryId: string): CategoryPlan[] {
  assertCategory(core, categoryId);
  const types = taskTypeMap(core);
  return templates(core, categoryId).map((r) => toCategoryPlan(r, types.get(r.task)?.label));
}

/** Adds a default plan to a category (one per task). */
export function addCategoryPlan(core: WriteCore, actor: Actor, input: CategoryPlanFieldsValue): CategoryPlan {
  const category = assertCategory(core, input.categoryId);
  const task = equipmentTaskType(core, input.task);
  // Checked with the defaults filled in; stored blank so a blank keeps following the interval.
  resolveTiming(input.every, input.windowDays, input.graceDays);
  if (activeTemplateOfTask.get(core, { categoryId: input.categoryId, task: task.code })) {
    throw new AppError('conflict', `${category.name} already has a default ${task.label.toLowerCase()} plan; remove it first to change it.`, {
      field: 'task',
    });
  }
  const now = isoInstant(core.clock.now());
  const row: TemplateRow = {
    id: uuidv7(),
    category_id: input.categoryId,
    task: task.code,
    interval_n: input.every.n,
    interval_unit: input.every.unit,
    mode: input.mode,
    window_days: input.windowDays,
    grace_days: input.graceDays,
  };
  insertTemplate.run(core, { ...row, created_at: now, updated_at: now, pc_id: core.pcId });
  appendAudit(core, actor, { action: 'create', entity: 'category_plan_template', entityId: row.id, new: row });
  return toCategoryPlan(row, task.label);
}

/** Removes a default plan from its category; plans already made from it stay. */
export function removeCategoryPlan(core: WriteCore, actor: Actor, id: string): { id: string } {
  const row = templateById.get(core, { id });
  if (!row || row.active !== 1) throw new AppError('not_found', 'That default plan does not exist.', { field: 'id' });
  deactivateTemplate.run(core, { id, updated_at: isoInstant(core.clock.now()), pc_id: core.pcId });
  appendAudit(core, actor, { action: 'deactivate', entity: 'category_plan_template', entityId: id, old: { active: 1 }, new: { active: 0 } });
  return { id };
}

/**
 * Gives a device the default plans of its category, skipping each task it already has an active
 * plan for. The plans start on `startDate` (default today), so a new device is due for each at
 * once: it is checked before first use. Returns the new plans' ids. Call inside the transaction
 * that added the device (createEquipment, the import) or changed its category.
 */
export function applyCategoryDefaults(
  core: WriteCore,
  actor: Actor,
  equipmentId: string,
  options: { startDate?: IsoDate; doneBefore?: Readonly<Record<string, IsoDate>> } = {},
): string[] {
  const e = equipmentCategory.get(core, { id: equipmentId });
  if (!e) throw new AppError('not_found', 'That device does not exist.', { field: 'equipmentId' });
  if (!e.category_id) return [];
  const startDate = options.startDate ?? today(core);
  const created: string[] = [];
  for (const t of templates(core, e.category_id)) {
    if (activePlanOfTask(core, equipmentId, t.task)) continue;
    const interval: Interval = { n: t.interval_n, unit: t.interval_unit };
    const timing = resolveTiming(interval, t.window_days, t.grace_days);
    // Done before the device came (issue 16): the plan starts an interval after, not on arrival.
    const done = options.doneBefore?.[t.task] ?? null;
    created.push(
      insertPlan(
        core,
        actor,
        { equipmentId, task: t.task, interval, mode: t.mode, startDate: done ? addInterval(done, interval) : startDate, ...timing, templateId: t.id, doneBeforeOn: done },
        { via: 'category default' },
      ),
    );
  }
  return created;
}

/**
 * The category's defaults for every device of it that is not retired, in the caller's
 * transaction.
 */
export function applyCategoryDefaultsToAll(core: WriteCore, actor: Actor, categoryId: string): { devices: number; created: number } {
  assertCategory(core, categoryId);
  const ids = devicesOfCategory.all(core, { categoryId }).map((d) => d.id);
  let created = 0;
  let devices = 0;
  const startDate = today(core);
  for (const id of ids) {
    const n = applyCategoryDefaults(core, actor, id, { startDate }).length;
    created += n;
    if (n > 0) devices += 1;
  }
  return { devices, created };
}
