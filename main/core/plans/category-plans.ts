import type { IsoDate } from '../../../shared/domain/common';
import type { CategoryPlan, CategoryPlanFieldsValue } from '../../../shared/domain/plan';
import type { Interval, PlanMode } from '../../../shared/scheduling';
import { defaultWindowDays, describeInterval, formatInterval } from '../../../shared/scheduling';
import type { IntervalUnit } from '../../../shared/scheduling/interval';
import { appendAudit } from '../audit';
import { isoInstant } from '../clock';
import type { Actor, Core } from '../context';
import { AppError } from '../errors';
import { uuidv7 } from '../ids';
import { activePlanOfTask, equipmentTaskType, insertPlan, resolveTiming, taskTypeMap, today } from './service';

/**
 * Category default plans (DOMAIN.md: "every defibrillator: monthly inspection, yearly calibration,
 * yearly electrical safety"), applied to each new device of the category and, on request, to the
 * devices it already has.
 */

interface TemplateRow {
  id: string;
  category_id: string;
  task: string;
  interval_n: number;
  interval_unit: IntervalUnit;
  mode: PlanMode;
  window_days: number | null;
  grace_days: number | null;
}

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
  return core.db
    .prepare(
      `SELECT t.id, t.category_id, t.task, t.interval_n, t.interval_unit, t.mode, t.window_days, t.grace_days
       FROM category_plan_templates t JOIN task_types tt ON tt.code = t.task
       WHERE t.category_id = ? AND t.active = 1 ORDER BY tt.sort_order, t.task`,
    )
    .all(categoryId) as TemplateRow[];
}

function assertCategory(core: Core, categoryId: string): { name: string } {
  const c = core.db.prepare('SELECT name FROM categories WHERE id = ?').get(categoryId) as { name: string } | undefined;
  if (!c) throw new AppError('not_found', 'That category does not exist.', { field: 'categoryId' });
  return c;
}

export function listCategoryPlans(core: Core, categoryId: string): CategoryPlan[] {
  assertCategory(core, categoryId);
  const types = taskTypeMap(core);
  return templates(core, categoryId).map((r) => toCategoryPlan(r, types.get(r.task)?.label));
}

/** Adds a default plan to a category (one per task). Call inside a transaction. */
export function addCategoryPlan(core: Core, actor: Actor, input: CategoryPlanFieldsValue): CategoryPlan {
  const category = assertCategory(core, input.categoryId);
  const task = equipmentTaskType(core, input.task);
  // Checked with the defaults filled in; stored blank so a blank keeps following the interval.
  resolveTiming(input.every, input.windowDays, input.graceDays);
  if (core.db.prepare('SELECT 1 FROM category_plan_templates WHERE category_id = ? AND task = ? AND active = 1').get(input.categoryId, task.code)) {
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
  core.db
    .prepare(
      `INSERT INTO category_plan_templates (id, category_id, task, interval_n, interval_unit, mode, window_days, grace_days,
         created_at, updated_at, pc_id)
       VALUES (@id, @category_id, @task, @interval_n, @interval_unit, @mode, @window_days, @grace_days, @now, @now, @pc_id)`,
    )
    .run({ ...row, now, pc_id: core.pcId });
  appendAudit(core, actor, { action: 'create', entity: 'category_plan_template', entityId: row.id, new: row });
  return toCategoryPlan(row, task.label);
}

/** Removes a default plan from its category; plans already made from it stay. Call inside a transaction. */
export function removeCategoryPlan(core: Core, actor: Actor, id: string): { id: string } {
  const row = core.db.prepare('SELECT id, active FROM category_plan_templates WHERE id = ?').get(id) as { id: string; active: number } | undefined;
  if (!row || row.active !== 1) throw new AppError('not_found', 'That default plan does not exist.', { field: 'id' });
  core.db
    .prepare('UPDATE category_plan_templates SET active = 0, updated_at = ?, pc_id = ? WHERE id = ?')
    .run(isoInstant(core.clock.now()), core.pcId, id);
  appendAudit(core, actor, { action: 'deactivate', entity: 'category_plan_template', entityId: id, old: { active: 1 }, new: { active: 0 } });
  return { id };
}

/**
 * Gives a device the default plans of its category, skipping each task it already has an active
 * plan for. The plans start on `startDate` (default today), so a new device is due for each at
 * once: it is checked before first use. Returns the new plans' ids. Call inside the transaction
 * that added the device (createEquipment, the import) or changed its category.
 */
export function applyCategoryDefaults(core: Core, actor: Actor, equipmentId: string, options: { startDate?: IsoDate } = {}): string[] {
  const e = core.db.prepare('SELECT category_id FROM equipment WHERE id = ?').get(equipmentId) as { category_id: string | null } | undefined;
  if (!e) throw new AppError('not_found', 'That device does not exist.', { field: 'equipmentId' });
  if (!e.category_id) return [];
  const startDate = options.startDate ?? today(core);
  const created: string[] = [];
  for (const t of templates(core, e.category_id)) {
    if (activePlanOfTask(core, equipmentId, t.task)) continue;
    const interval: Interval = { n: t.interval_n, unit: t.interval_unit };
    const timing = resolveTiming(interval, t.window_days, t.grace_days);
    created.push(
      insertPlan(
        core,
        actor,
        { equipmentId, task: t.task, interval, mode: t.mode, startDate, ...timing, templateId: t.id },
        { via: 'category default' },
      ),
    );
  }
  return created;
}

/**
 * The category's defaults for every device of it that is not retired, in the caller's
 * transaction. Call inside a transaction.
 */
export function applyCategoryDefaultsToAll(core: Core, actor: Actor, categoryId: string): { devices: number; created: number } {
  assertCategory(core, categoryId);
  const ids = core.db.prepare("SELECT id FROM equipment WHERE category_id = ? AND status <> 'retired'").pluck().all(categoryId) as string[];
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
