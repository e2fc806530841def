import type { Procedure, ProcedureDefinition } from '../../../shared/domain/procedure';
import { PROCEDURE_KIND_BY_TASK } from '../../../shared/domain/procedure';
import { bindRow } from '../permanent/bind';
import { isoInstant } from '../clock';
import type { Actor, Core } from '../context';
import { AppError } from '../errors';
import { uuidv7 } from '../ids';

/** "a calibration", "an inspection", "an electrical safety". */
function aTask(task: string): string {
  const words = task.replace(/_/g, ' ');
  return `${/^[aeiou]/.test(words) ? 'an' : 'a'} ${words}`;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

interface ProcedureRow {
  id: string;
  category_id: string | null;
  plan_id: string | null;
  task: string;
  version: number;
  definition: string;
  created_at: string;
  created_by: string;
}

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
  const row = core.db.prepare('SELECT * FROM procedures WHERE id = ?').get(id) as ProcedureRow | undefined;
  if (!row) throw new AppError('not_found', 'That procedure does not exist.');
  return toProcedure(row);
}

export function categoryProcedure(core: Core, categoryId: string, task: string): Procedure | null {
  const row = core.db
    .prepare('SELECT * FROM procedures WHERE category_id = ? AND task = ? ORDER BY version DESC LIMIT 1')
    .get(categoryId, task) as ProcedureRow | undefined;
  return row ? toProcedure(row) : null;
}

/** The plan's own latest procedure, else the latest of its device's category for the plan's task. */
export function planProcedure(core: Core, planId: string): Procedure | null {
  const plan = core.db
    .prepare('SELECT p.task, e.category_id FROM plans p LEFT JOIN equipment e ON e.id = p.equipment_id WHERE p.id = ?')
    .get(planId) as { task: string; category_id: string | null } | undefined;
  if (!plan) throw new AppError('not_found', 'That plan does not exist.');
  const own = core.db
    .prepare('SELECT * FROM procedures WHERE plan_id = ? AND task = ? ORDER BY version DESC LIMIT 1')
    .get(planId, plan.task) as ProcedureRow | undefined;
  if (own) return toProcedure(own);
  return plan.category_id ? categoryProcedure(core, plan.category_id, plan.task) : null;
}

/** Adds the next version of a procedure. Call inside a transaction. */
export function saveProcedure(
  core: Core,
  actor: Actor,
  input: { owner: Procedure['owner']; task: string; definition: ProcedureDefinition },
): Procedure {
  const expected = PROCEDURE_KIND_BY_TASK[input.task];
  if (!core.db.prepare('SELECT 1 FROM task_types WHERE code = ?').get(input.task)) {
    throw new AppError('invalid_input', `"${input.task}" is not a task type.`, { field: 'task' });
  }
  if (!expected)
    throw new AppError('invalid_input', `${capitalise(aTask(input.task))} has no checklist or measurements to define.`, { field: 'task' });
  if (input.definition.kind !== expected) {
    const what = { checklist: 'a checklist', measurements: 'measurement points', safety: 'safety checks' }[expected];
    throw new AppError('invalid_input', `${capitalise(aTask(input.task))} is defined by ${what}.`, { field: 'definition' });
  }
  const ownerCol = input.owner.kind === 'plan' ? 'plan_id' : 'category_id';
  const ownerId = input.owner.kind === 'plan' ? input.owner.planId : input.owner.categoryId;
  if (input.owner.kind === 'plan') {
    const plan = core.db.prepare('SELECT task FROM plans WHERE id = ?').get(ownerId) as { task: string } | undefined;
    if (!plan) throw new AppError('not_found', 'That plan does not exist.');
    if (plan.task !== input.task)
      throw new AppError('invalid_input', `That plan is ${aTask(plan.task)}, not ${aTask(input.task)}.`, { field: 'task' });
  } else if (!core.db.prepare('SELECT 1 FROM categories WHERE id = ?').get(ownerId)) {
    throw new AppError('not_found', 'That category does not exist.');
  }
  const last = core.db.prepare(`SELECT max(version) AS v FROM procedures WHERE ${ownerCol} = ? AND task = ?`).get(ownerId, input.task) as {
    v: number | null;
  };
  const row = {
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
  core.db
    .prepare(
      `INSERT INTO procedures (id, category_id, plan_id, task, version, definition, created_at, created_by, pc_id)
       VALUES (@id, @category_id, @plan_id, @task, @version, @definition, @created_at, @created_by, @pc_id)`,
    )
    .run(row);
  bindRow(core, actor, 'procedures', { id: row.id });
  return getProcedure(core, row.id);
}
