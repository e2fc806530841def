import type { Category, CategoryFieldsValue } from '../../../shared/domain/category';
import { nameKey } from '../../../shared/domain/common';
import { appendAudit } from '../audit';
import { isoInstant } from '../clock';
import type { Actor, Core, WriteCore } from '../context';
import { AppError } from '../errors';
import { uuidv7 } from '../ids';
import { command, query } from '../sql/query';
import type { CategoryRow, CountRow } from '../sql/rows';

type CategoryView = Pick<CategoryRow, 'id' | 'name' | 'default_risk' | 'notes' | 'active'> & { equipment_count: number };

const SELECT = `
  SELECT c.id, c.name, c.default_risk, c.notes, c.active,
    (SELECT count(*) FROM equipment e WHERE e.category_id = c.id) AS equipment_count
  FROM categories c`;
const all = query<CategoryView>(`${SELECT} ORDER BY c.name_key`);
const byId = query<CategoryView, { id: string }>(`${SELECT} WHERE c.id = @id`);
const byKey = query<CategoryView, { key: string }>(`${SELECT} WHERE c.name_key = @key`);
const clashing = query<Pick<CategoryRow, 'id' | 'name'>, { key: string; exceptId: string | null }>(
  'SELECT id, name FROM categories WHERE name_key = @key AND id IS NOT @exceptId',
);
const templateCount = query<CountRow, { id: string }>('SELECT count(*) AS n FROM category_plan_templates WHERE category_id = @id');
const procedureCount = query<CountRow, { id: string }>('SELECT count(*) AS n FROM procedures WHERE category_id = @id');
const insert = command<Omit<CategoryRow, 'active'>>(
  `INSERT INTO categories (id, name, name_key, default_risk, notes, created_at, updated_at, pc_id)
   VALUES (@id, @name, @name_key, @default_risk, @notes, @created_at, @updated_at, @pc_id)`,
);
const update = command<Omit<CategoryRow, 'active' | 'created_at'>>(
  'UPDATE categories SET name = @name, name_key = @name_key, default_risk = @default_risk, notes = @notes, updated_at = @updated_at, pc_id = @pc_id WHERE id = @id',
);
const remove = command<{ id: string }>('DELETE FROM categories WHERE id = @id');

/** The one mapper from a categories row (with its device count) to a Category. */
const toCategory = (r: CategoryView): Category => ({
  id: r.id,
  name: r.name,
  defaultRisk: r.default_risk,
  notes: r.notes,
  active: r.active === 1,
  equipmentCount: r.equipment_count,
});

export function listCategories(core: Core): Category[] {
  return all.all(core).map(toCategory);
}

export function getCategory(core: Core, id: string): Category {
  const row = byId.get(core, { id });
  if (!row) throw new AppError('not_found', 'That category does not exist.', { field: 'id' });
  return toCategory(row);
}

/** The category of that name, case and spacing ignored. */
export function findCategoryByName(core: Core, name: string): Category | null {
  const row = byKey.get(core, { key: nameKey(name) });
  return row ? toCategory(row) : null;
}

function assertNameFree(core: Core, name: string, exceptId: string | null): void {
  const clash = clashing.get(core, { key: nameKey(name), exceptId });
  if (clash) throw new AppError('conflict', `There is already a category called "${clash.name}".`, { field: 'name' });
}

export function createCategory(core: WriteCore, actor: Actor, fields: CategoryFieldsValue): Category {
  assertNameFree(core, fields.name, null);
  const now = isoInstant(core.clock.now());
  const row = { id: uuidv7(), name: fields.name, name_key: nameKey(fields.name), default_risk: fields.defaultRisk, notes: fields.notes };
  insert.run(core, { ...row, created_at: now, updated_at: now, pc_id: core.pcId });
  appendAudit(core, actor, { action: 'create', entity: 'category', entityId: row.id, new: row });
  return getCategory(core, row.id);
}

export function updateCategory(core: WriteCore, actor: Actor, input: CategoryFieldsValue & { id: string }): Category {
  const before = getCategory(core, input.id);
  assertNameFree(core, input.name, input.id);
  const old = { name: before.name, default_risk: before.defaultRisk, notes: before.notes };
  const next = { name: input.name, default_risk: input.defaultRisk, notes: input.notes };
  if (JSON.stringify(old) === JSON.stringify(next)) return before;
  update.run(core, {
    id: input.id,
    name: input.name,
    name_key: nameKey(input.name),
    default_risk: input.defaultRisk,
    notes: input.notes,
    updated_at: isoInstant(core.clock.now()),
    pc_id: core.pcId,
  });
  appendAudit(core, actor, { action: 'update', entity: 'category', entityId: input.id, old, new: next });
  return getCategory(core, input.id);
}

/** Only a category nothing uses. */
export function deleteCategory(core: WriteCore, actor: Actor, id: string): { id: string } {
  const cat = getCategory(core, id);
  const templates = templateCount.get(core, { id })!.n;
  const procedures = procedureCount.get(core, { id })!.n;
  if (cat.equipmentCount > 0) {
    throw new AppError(
      'conflict',
      `"${cat.name}" is the category of ${cat.equipmentCount} device${cat.equipmentCount === 1 ? '' : 's'}; give them another category first.`,
    );
  }
  if (templates > 0 || procedures > 0) {
    throw new AppError('conflict', `"${cat.name}" has default plans or procedures, so it cannot be deleted.`);
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
