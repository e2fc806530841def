import type { Category, CategoryExpectedValue, CategoryFieldsValue, CategoryListing } from '../../../shared/domain/category';
import type { Risk } from '../../../shared/domain/equipment';
import { nameKey } from '../../../shared/domain/common';
import { appendAudit } from '../audit';
import { isoInstant } from '../clock';
import type { Actor, Core, WriteCore } from '../context';
import { AppError } from '../errors';
import { uuidv7 } from '../ids';
import { hiddenNameProblem, printingAlike, printsLike, printsLikeOthers } from '../locations/reference-names';
import { command, query } from '../sql/query';
import type { CategoryPlanTemplateRow, CategoryRow, CountRow, ProcedureRow, TaskTypeRow } from '../sql/rows';
import { captureInstalled } from '../sync/capture';

type CategoryView = Pick<CategoryRow, 'id' | 'name' | 'default_risk' | 'notes' | 'active'> & { equipment_count: number };

const SELECT = `
  SELECT c.id, c.name, c.default_risk, c.notes, c.active,
    (SELECT count(*) FROM equipment e WHERE e.category_id = c.id) AS equipment_count
  FROM categories c`;
const all = query<CategoryView>(`${SELECT} ORDER BY name_sort(c.name), c.name`);
const byId = query<CategoryView, { id: string }>(`${SELECT} WHERE c.id = @id`);
const byKey = query<CategoryView, { key: string }>(`${SELECT} WHERE c.name_key = @key`);
const clashing = query<Pick<CategoryRow, 'id' | 'name' | 'active'>, { key: string; exceptId: string | null }>(
  'SELECT id, name, active FROM categories WHERE name_key = @key AND id IS NOT @exceptId',
);
const everyName = query<Pick<CategoryRow, 'id' | 'name' | 'active'>>('SELECT id, name, active FROM categories');
type TaskOf = Pick<ProcedureRow, 'task'> & Pick<TaskTypeRow, 'label'>;
/**
 * The default plans the category's screen lists (plans/category-plans.ts): a removed one stays as an
 * inactive row, and one of a task taken out of use is neither listed nor given to devices.
 */
const activeTemplates = query<TaskOf, { id: string }>(
  `SELECT t.task, tt.label FROM category_plan_templates t JOIN task_types tt ON tt.code = t.task
   WHERE t.category_id = @id AND t.active = 1 AND tt.active = 1 ORDER BY tt.sort_order, t.task`,
);
/** The rest of its default plans: removed ones, and those of a task taken out of use. */
const unlistedTemplates = query<Pick<CategoryPlanTemplateRow, 'id' | 'task' | 'active'>, { id: string }>(
  `SELECT t.id, t.task, t.active FROM category_plan_templates t JOIN task_types tt ON tt.code = t.task
   WHERE t.category_id = @id AND (t.active = 0 OR tt.active = 0)`,
);
/** Plans made from the category's default plans, on devices since given another category. */
const plansFromTemplates = query<CountRow, { id: string }>(
  'SELECT count(*) AS n FROM plans p JOIN category_plan_templates t ON t.id = p.template_id WHERE t.category_id = @id',
);
const procedureTasks = query<TaskOf, { id: string }>(
  `SELECT DISTINCT p.task, ifnull(tt.label, p.task) AS label FROM procedures p LEFT JOIN task_types tt ON tt.code = p.task
   WHERE p.category_id = @id ORDER BY p.task`,
);
const insert = command<Omit<CategoryRow, 'active'>>(
  `INSERT INTO categories (id, name, name_key, default_risk, notes, created_at, updated_at, pc_id)
   VALUES (@id, @name, @name_key, @default_risk, @notes, @created_at, @updated_at, @pc_id)`,
);
const update = command<Omit<CategoryRow, 'active' | 'created_at'>>(
  'UPDATE categories SET name = @name, name_key = @name_key, default_risk = @default_risk, notes = @notes, updated_at = @updated_at, pc_id = @pc_id WHERE id = @id',
);
const setActive = command<Pick<CategoryRow, 'id' | 'active' | 'updated_at' | 'pc_id'>>(
  'UPDATE categories SET active = @active, updated_at = @updated_at, pc_id = @pc_id WHERE id = @id',
);
const remove = command<{ id: string }>('DELETE FROM categories WHERE id = @id');
const removeTemplate = command<{ id: string }>('DELETE FROM category_plan_templates WHERE id = @id');

/** The one mapper from a categories row (with its device count) to a Category. */
const toCategory = (r: CategoryView): Category => ({
  id: r.id,
  name: r.name,
  defaultRisk: r.default_risk,
  notes: r.notes,
  active: r.active === 1,
  equipmentCount: r.equipment_count,
});

/**
 * Every category, each with the sentence the Categories screen shows under a name in use that
 * prints like another's in use ("Infusiоn pump" with a Cyrillic о beside "Infusion pump"): a device
 * list and its filter name devices by category, so the two cannot be told apart. Each PC refuses
 * such a name, but two PCs of a hub apart each hold only their own (the Conflicts screen lists them
 * too: sync/keys.ts), and a name kept from before the rule stays as it was.
 */
export function listCategories(core: Core): CategoryListing[] {
  const rows = all.all(core);
  const alike = printsLikeOthers(printingAlike(rows.filter((r) => r.active === 1)));
  return rows.map((r) => {
    const note = alike.get(r.id);
    return {
      ...toCategory(r),
      printsLike: note
        ? `Prints like ${note.others.map((n) => `“${n}”`).join(' and ')}, ${note.others.length === 1 ? "another category's name" : "other categories' names"}${note.differs ? `; this one ${note.differs}` : ''}. Rename one of them, or take one out of use: device lists and filters must tell categories apart.`
        : null,
    };
  });
}

export function getCategory(core: Core, id: string): Category {
  const row = byId.get(core, { id });
  if (!row) throw new AppError('not_found', 'That category does not exist.', { field: 'id' });
  return toCategory(row);
}

/**
 * The category in use of that name, case and spacing ignored (what an import's row names). One
 * taken out of use is not offered: an import creating it again is refused in words (createCategory).
 */
export function findCategoryByName(core: Core, name: string): Category | null {
  const row = byKey.get(core, { key: nameKey(name) });
  return row && row.active === 1 ? toCategory(row) : null;
}

/**
 * A category's name is unique whatever its case, and prints as what it is: a new or changed name
 * holds no character that prints as nothing, and prints like no other category's (look-alike
 * letters, an invisible character: locations/reference-names.ts). A name saved before that rule
 * keeps working while it is not changed.
 */
function nameProblem(core: Core, name: string, exceptId: string | null): AppError | null {
  const clash = clashing.get(core, { key: nameKey(name), exceptId });
  if (clash) {
    return new AppError(
      'conflict',
      clash.active === 1
        ? `There is already a category called "${clash.name}".`
        : `"${clash.name}" is a category taken out of use: bring it back on the Categories screen (Bring back…), or choose another name.`,
      { field: 'name' },
    );
  }
  const hidden = hiddenNameProblem(name);
  const alike = printsLike(
    name,
    everyName.all(core).filter((c) => c.id !== exceptId),
  );
  if (alike) {
    return new AppError(
      'conflict',
      `"${name}" prints like the category "${alike.name}"${alike.active === 1 ? '' : ' (taken out of use)'}${hidden ? ' (it holds a character that does not print as itself)' : ''}: a device list must never show two categories that look the same. Choose a name that reads differently.`,
      { field: 'name' },
    );
  }
  return hidden ? new AppError('invalid_input', hidden, { field: 'name' }) : null;
}

function assertNameFree(core: Core, name: string, exceptId: string | null): void {
  const problem = nameProblem(core, name, exceptId);
  if (problem) throw problem;
}

/**
 * Why a category of that name could not be made now, in the sentence `createCategory` would refuse
 * it with, or null: the equipment import says it by row in its preview, before anything is written.
 */
export function newCategoryProblem(core: Core, name: string): string | null {
  return nameProblem(core, name, null)?.message ?? null;
}

export function createCategory(core: WriteCore, actor: Actor, fields: CategoryFieldsValue): Category {
  assertNameFree(core, fields.name, null);
  const now = isoInstant(core.clock.now());
  const row = { id: uuidv7(), name: fields.name, name_key: nameKey(fields.name), default_risk: fields.defaultRisk, notes: fields.notes };
  insert.run(core, { ...row, created_at: now, updated_at: now, pc_id: core.pcId });
  appendAudit(core, actor, { action: 'create', entity: 'category', entityId: row.id, new: row });
  return getCategory(core, row.id);
}

/**
 * What someone else changed since the edit dialog opened with `expected`, in words ("now called
 * \"Infusion pump (volumetric)\", default risk now high"), with the first such field; null when the
 * category is as the dialog opened.
 */
function changedMeanwhile(before: Category, expected: CategoryExpectedValue): { field: keyof CategoryExpectedValue; words: string } | null {
  const words: string[] = [];
  let field: keyof CategoryExpectedValue | null = null;
  const changed = (name: keyof CategoryExpectedValue, text: string) => {
    field ??= name;
    words.push(text);
  };
  if (before.name !== expected.name) changed('name', `now called "${before.name}"`);
  if (before.defaultRisk !== expected.defaultRisk) changed('defaultRisk', before.defaultRisk ? `default risk now ${before.defaultRisk}` : 'no default risk now');
  if (before.notes !== expected.notes) changed('notes', before.notes ? 'other notes now' : 'no notes now');
  return field ? { field, words: words.join(', ') } : null;
}

/**
 * Changes a category's name, default risk and notes (when `name` is given), and (`active`) takes it
 * out of use or brings it back: out of use, it is no longer offered for devices, and the devices that
 * have it keep it. `active` alone changes nothing else. With `expected` (what the edit dialog opened
 * with), a category someone else changed meanwhile is refused in a sentence, so their change is never
 * undone without a word nor recorded as this person's; the refusal's field is `expected.<field>`.
 */
export function updateCategory(
  core: WriteCore,
  actor: Actor,
  input: {
    id: string;
    name?: string | undefined;
    defaultRisk?: Risk | null | undefined;
    notes?: string | null | undefined;
    active?: boolean | undefined;
    expected?: CategoryExpectedValue | undefined;
  },
): Category {
  const before = getCategory(core, input.id);
  const meanwhile = input.expected ? changedMeanwhile(before, input.expected) : null;
  if (meanwhile) {
    throw new AppError('conflict', `${input.expected!.name} was changed by someone else since you opened this (${meanwhile.words}): check and save again.`, {
      field: `expected.${meanwhile.field}`,
    });
  }
  const now = isoInstant(core.clock.now());
  if (input.name !== undefined) {
    if (input.name !== before.name) assertNameFree(core, input.name, input.id);
    const old = { name: before.name, default_risk: before.defaultRisk, notes: before.notes };
    const next = { name: input.name, default_risk: input.defaultRisk ?? null, notes: input.notes ?? null };
    if (JSON.stringify(old) !== JSON.stringify(next)) {
      update.run(core, { id: input.id, name_key: nameKey(next.name), ...next, updated_at: now, pc_id: core.pcId });
      appendAudit(core, actor, { action: 'update', entity: 'category', entityId: input.id, old, new: next });
    }
  }
  if (input.active !== undefined && input.active !== before.active) {
    setActive.run(core, { id: input.id, active: input.active ? 1 : 0, updated_at: now, pc_id: core.pcId });
    appendAudit(core, actor, {
      action: input.active ? 'reactivate' : 'deactivate',
      entity: 'category',
      entityId: input.id,
      old: { active: before.active ? 1 : 0, name: input.name ?? before.name },
      new: { active: input.active ? 1 : 0 },
    });
  }
  return getCategory(core, input.id);
}

const listed = (items: readonly string[]): string =>
  items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}` : (items[0] ?? '');

/**
 * Deletes a category nothing uses. On a PC of a hospital hub, rows are never deleted (the other
 * PCs still have it): the category is taken out of use instead, and the answer says so.
 */
export function deleteCategory(core: WriteCore, actor: Actor, id: string): { id: string; outOfUse?: true } {
  const cat = getCategory(core, id);
  if (cat.equipmentCount > 0) {
    throw new AppError(
      'conflict',
      `"${cat.name}" is the category of ${cat.equipmentCount} device${cat.equipmentCount === 1 ? '' : 's'}; give them another category first.`,
      { field: 'id' },
    );
  }
  const templates = activeTemplates.all(core, { id });
  if (templates.length > 0) {
    const plans = listed(templates.map((t) => t.label.toLowerCase()));
    throw new AppError(
      'conflict',
      `"${cat.name}" still has its default ${plans} plan${templates.length === 1 ? '' : 's'}: remove ${templates.length === 1 ? 'it' : 'them'} on its page first, or take the category out of use.`,
      { field: 'id' },
    );
  }
  if (captureInstalled(core)) {
    if (cat.active) updateCategory(core, actor, { id, active: false });
    return { id, outOfUse: true };
  }
  const procedures = procedureTasks.all(core, { id });
  if (procedures.length > 0) {
    throw new AppError(
      'conflict',
      `"${cat.name}" has a procedure for ${listed(procedures.map((p) => p.label.toLowerCase()))} (procedures are kept for the records done against them), so it cannot be deleted: take it out of use instead.`,
      { field: 'id' },
    );
  }
  const fromTemplates = plansFromTemplates.get(core, { id })!.n;
  if (fromTemplates > 0) {
    throw new AppError(
      'conflict',
      `${fromTemplates} plan${fromTemplates === 1 ? ' was' : 's were'} made from "${cat.name}"'s default plans (on devices now in other categories), so it cannot be deleted: take it out of use instead.`,
      { field: 'id' },
    );
  }
  // Default plans removed from it earlier stay as inactive rows, and those of a task taken out of
  // use are not listed on its page (nor given to devices): they go with it.
  for (const t of unlistedTemplates.all(core, { id })) {
    removeTemplate.run(core, { id: t.id });
    appendAudit(core, actor, {
      action: 'delete',
      entity: 'category_plan_template',
      entityId: t.id,
      old: { category_id: id, task: t.task, active: t.active },
    });
  }
  remove.run(core, { id });
  appendAudit(core, actor, {
    action: 'delete',
    entity: 'category',
    entityId: id,
    old: { name: cat.name, default_risk: cat.defaultRisk, notes: cat.notes },
  });
  return { id };
}
