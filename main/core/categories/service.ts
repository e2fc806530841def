import type { Category, CategoryFieldsValue } from '../../../shared/domain/category';
import type { Risk } from '../../../shared/domain/equipment';
import { nameKey } from '../../../shared/domain/common';
import { appendAudit } from '../audit';
import { isoInstant } from '../clock';
import type { Actor, Core } from '../context';
import { AppError } from '../errors';
import { uuidv7 } from '../ids';

interface CategoryRow {
  id: string;
  name: string;
  default_risk: Risk | null;
  notes: string | null;
  active: number;
  equipment_count: number;
}

const SELECT = `
  SELECT c.id, c.name, c.default_risk, c.notes, c.active,
    (SELECT count(*) FROM equipment e WHERE e.category_id = c.id) AS equipment_count
  FROM categories c`;

const toCategory = (r: CategoryRow): Category => ({
  id: r.id,
  name: r.name,
  defaultRisk: r.default_risk,
  notes: r.notes,
  active: r.active === 1,
  equipmentCount: r.equipment_count,
});

export function listCategories(core: Core): Category[] {
  return (core.db.prepare(`${SELECT} ORDER BY c.name_key`).all() as CategoryRow[]).map(toCategory);
}

export function getCategory(core: Core, id: string): Category {
  const row = core.db.prepare(`${SELECT} WHERE c.id = ?`).get(id) as CategoryRow | undefined;
  if (!row) throw new AppError('not_found', 'That category does not exist.', { field: 'id' });
  return toCategory(row);
}

/** The category of that name, case and spacing ignored. */
export function findCategoryByName(core: Core, name: string): Category | null {
  const row = core.db.prepare(`${SELECT} WHERE c.name_key = ?`).get(nameKey(name)) as CategoryRow | undefined;
  return row ? toCategory(row) : null;
}

function assertNameFree(core: Core, name: string, exceptId: string | null): void {
  const clash = core.db.prepare('SELECT id, name FROM categories WHERE name_key = ? AND id IS NOT ?').get(nameKey(name), exceptId) as
    { id: string; name: string } | undefined;
  if (clash) throw new AppError('conflict', `There is already a category called "${clash.name}".`, { field: 'name' });
}

/** Call inside a transaction. */
export function createCategory(core: Core, actor: Actor, fields: CategoryFieldsValue): Category {
  assertNameFree(core, fields.name, null);
  const now = isoInstant(core.clock.now());
  const row = { id: uuidv7(), name: fields.name, name_key: nameKey(fields.name), default_risk: fields.defaultRisk, notes: fields.notes };
  core.db
    .prepare(
      `INSERT INTO categories (id, name, name_key, default_risk, notes, created_at, updated_at, pc_id)
       VALUES (@id, @name, @name_key, @default_risk, @notes, @now, @now, @pc_id)`,
    )
    .run({ ...row, now, pc_id: core.pcId });
  appendAudit(core, actor, { action: 'create', entity: 'category', entityId: row.id, new: row });
  return getCategory(core, row.id);
}

/** Call inside a transaction. */
export function updateCategory(core: Core, actor: Actor, input: CategoryFieldsValue & { id: string }): Category {
  const before = getCategory(core, input.id);
  assertNameFree(core, input.name, input.id);
  const old = { name: before.name, default_risk: before.defaultRisk, notes: before.notes };
  const next = { name: input.name, default_risk: input.defaultRisk, notes: input.notes };
  if (JSON.stringify(old) === JSON.stringify(next)) return before;
  core.db
    .prepare('UPDATE categories SET name = ?, name_key = ?, default_risk = ?, notes = ?, updated_at = ?, pc_id = ? WHERE id = ?')
    .run(input.name, nameKey(input.name), input.defaultRisk, input.notes, isoInstant(core.clock.now()), core.pcId, input.id);
  appendAudit(core, actor, { action: 'update', entity: 'category', entityId: input.id, old, new: next });
  return getCategory(core, input.id);
}

/** Only a category nothing uses; call inside a transaction. */
export function deleteCategory(core: Core, actor: Actor, id: string): { id: string } {
  const cat = getCategory(core, id);
  const count = (sql: string) => (core.db.prepare(sql).get(id) as { n: number }).n;
  const templates = count('SELECT count(*) AS n FROM category_plan_templates WHERE category_id = ?');
  const procedures = count('SELECT count(*) AS n FROM procedures WHERE category_id = ?');
  if (cat.equipmentCount > 0) {
    throw new AppError(
      'conflict',
      `"${cat.name}" is the category of ${cat.equipmentCount} device${cat.equipmentCount === 1 ? '' : 's'}; give them another category first.`,
    );
  }
  if (templates > 0 || procedures > 0) {
    throw new AppError('conflict', `"${cat.name}" has default plans or procedures, so it cannot be deleted.`);
  }
  core.db.prepare('DELETE FROM categories WHERE id = ?').run(id);
  appendAudit(core, actor, {
    action: 'delete',
    entity: 'category',
    entityId: id,
    old: { name: cat.name, default_risk: cat.defaultRisk, notes: cat.notes },
  });
  return { id };
}
