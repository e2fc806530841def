import { formatDateTime } from '../../../shared/date-format';
import type { Procedure, ProcedureDefinition } from '../../../shared/domain/procedure';
import { bindRow } from '../permanent/bind';
import { isoInstant } from '../clock';
import type { Actor, Core, WriteCore } from '../context';
import { AppError } from '../errors';
import { uuidv7 } from '../ids';
import { getSettings } from '../settings/service';
import { command, query } from '../sql/query';
import type { EquipmentRow, PlanRow, ProcedureRow, TaskTypeRow } from '../sql/rows';

/** "a calibration", "an inspection", "an electrical safety". */
function aTask(task: string): string {
  const words = task.replace(/_/g, ' ');
  return `${/^[aeiou]/.test(words) ? 'an' : 'a'} ${words}`;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const byId = query<ProcedureRow, { id: string }>('SELECT * FROM procedures WHERE id = @id');
// Two PCs saving at once through the hub can both make version N: the later saved (then the larger
// id) is the latest, the same one on every PC.
const latestOfCategory = query<ProcedureRow, { ownerId: string; task: string }>(
  'SELECT * FROM procedures WHERE category_id = @ownerId AND task = @task ORDER BY version DESC, created_at DESC, id DESC LIMIT 1',
);
const latestOfPlan = query<ProcedureRow, { ownerId: string; task: string }>(
  'SELECT * FROM procedures WHERE plan_id = @ownerId AND task = @task ORDER BY version DESC, created_at DESC, id DESC LIMIT 1',
);
const latestOf = { category: latestOfCategory, plan: latestOfPlan };
const planTaskAndCategory = query<Pick<PlanRow, 'task'> & Pick<EquipmentRow, 'category_id'>, { id: string }>(
  'SELECT p.task, e.category_id FROM plans p LEFT JOIN equipment e ON e.id = p.equipment_id WHERE p.id = @id',
);
const taskType = query<Pick<TaskTypeRow, 'code' | 'form_kind'>, { code: string }>('SELECT code, form_kind FROM task_types WHERE code = @code');
const planTask = query<Pick<PlanRow, 'task'>, { id: string }>('SELECT task FROM plans WHERE id = @id');
const category = query<{ id: string }, { id: string }>('SELECT id FROM categories WHERE id = @id');
const lastVersion = {
  category: query<{ v: number | null }, { ownerId: string; task: string }>('SELECT max(version) AS v FROM procedures WHERE category_id = @ownerId AND task = @task'),
  plan: query<{ v: number | null }, { ownerId: string; task: string }>('SELECT max(version) AS v FROM procedures WHERE plan_id = @ownerId AND task = @task'),
};
const insert = command<ProcedureRow>(
  `INSERT INTO procedures (id, category_id, plan_id, task, version, definition, created_at, created_by, pc_id)
   VALUES (@id, @category_id, @plan_id, @task, @version, @definition, @created_at, @created_by, @pc_id)`,
);

/** The one mapper from a procedures row to a Procedure. */
function toProcedure(r: ProcedureRow): Procedure {
  return {
    id: r.id,
    owner: r.plan_id ? { kind: 'plan', planId: r.plan_id } : { kind: 'category', categoryId: r.category_id! },
    task: r.task,
    version: r.version,
    definition: JSON.parse(r.definition) as ProcedureDefinition,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

export function getProcedure(core: Core, id: string): Procedure {
  const row = byId.get(core, { id });
  if (!row) throw new AppError('not_found', 'That procedure does not exist.');
  return toProcedure(row);
}

export function categoryProcedure(core: Core, categoryId: string, task: string): Procedure | null {
  const row = latestOfCategory.get(core, { ownerId: categoryId, task });
  return row ? toProcedure(row) : null;
}

/** The plan's own latest procedure, else the latest of its device's category for the plan's task. */
export function planProcedure(core: Core, planId: string): Procedure | null {
  const plan = planTaskAndCategory.get(core, { id: planId });
  if (!plan) throw new AppError('not_found', 'That plan does not exist.');
  const own = latestOfPlan.get(core, { ownerId: planId, task: plan.task });
  if (own) return toProcedure(own);
  return plan.category_id ? categoryProcedure(core, plan.category_id, plan.task) : null;
}

/**
 * Refuses a save made on top of `baseVersion` (null: none yet) when another version has been saved
 * since: saving would silently undo it. The sentence names who saved which version, and when.
 */
function assertStillLatest(core: Core, owner: Procedure['owner']['kind'], ownerId: string, task: string, baseVersion: number | null): void {
  const latest = latestOf[owner].get(core, { ownerId, task });
  if (!latest || latest.version === baseVersion) return;
  const when = formatDateTime(latest.created_at, getSettings(core).dateFormat);
  throw new AppError(
    'conflict',
    `Version ${latest.version} was saved by ${latest.created_by} at ${when} since you opened this: reload to see it, then make your change again.`,
    { field: 'baseVersion' },
  );
}

/** Adds the next version of a procedure; with `baseVersion` (what the editor opened), only if it is still the latest. */
export function saveProcedure(
  core: WriteCore,
  actor: Actor,
  input: { owner: Procedure['owner']; task: string; definition: ProcedureDefinition; baseVersion?: number | null | undefined },
): Procedure {
  const type = taskType.get(core, { code: input.task });
  if (!type) {
    throw new AppError('invalid_input', `"${input.task}" is not a task type.`, { field: 'task' });
  }
  // The task type says which kind of procedure it is worked against (an administrator's types too).
  const expected = type.form_kind === 'checklist' || type.form_kind === 'measurements' || type.form_kind === 'safety' ? type.form_kind : null;
  if (!expected)
    throw new AppError('invalid_input', `${capitalise(aTask(input.task))} has no checklist or measurements to define.`, { field: 'task' });
  if (input.definition.kind !== expected) {
    const what = { checklist: 'a checklist', measurements: 'measurement points', safety: 'safety checks' }[expected];
    throw new AppError('invalid_input', `${capitalise(aTask(input.task))} is defined by ${what}.`, { field: 'definition' });
  }
  const ownerId = input.owner.kind === 'plan' ? input.owner.planId : input.owner.categoryId;
  if (input.owner.kind === 'plan') {
    const plan = planTask.get(core, { id: ownerId });
    if (!plan) throw new AppError('not_found', 'That plan does not exist.');
    if (plan.task !== input.task)
      throw new AppError('invalid_input', `That plan is ${aTask(plan.task)}, not ${aTask(input.task)}.`, { field: 'task' });
  } else if (!category.get(core, { id: ownerId })) {
    throw new AppError('not_found', 'That category does not exist.');
  }
  if (input.baseVersion !== undefined) assertStillLatest(core, input.owner.kind, ownerId, input.task, input.baseVersion);
  const last = lastVersion[input.owner.kind].get(core, { ownerId, task: input.task })!;
  const row: ProcedureRow = {
    id: uuidv7(),
    category_id: input.owner.kind === 'category' ? ownerId : null,
    plan_id: input.owner.kind === 'plan' ? ownerId : null,
    task: input.task,
    version: (last.v ?? 0) + 1,
    definition: JSON.stringify(input.definition),
    created_at: isoInstant(core.clock.now()),
    created_by: actor.name,
    pc_id: core.pcId,
  };
  insert.run(core, row);
  bindRow(core, actor, 'procedures', { id: row.id });
  return getProcedure(core, row.id);
}
