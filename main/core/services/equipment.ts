import type { EquipmentListRow } from '../../../shared/contract/equipment';
import type { Equipment, EquipmentFieldsValue, EquipmentStatus } from '../../../shared/domain/equipment';
import { assetTagKey, STATUS_LABELS } from '../../../shared/domain/equipment';
import { appendAudit, changedColumns } from '../audit';
import { equipmentDateQuestions } from '../../../shared/plausible-dates';
import { isoInstant, localDate } from '../clock';
import type { Actor, Core } from '../context';
import { AppError } from '../errors';
import { uuidv7 } from '../ids';
import { searchEquipment } from './inventory-search';
import { locationPathMap } from './locations';
import { applyCategoryDefaults } from './category-plans';
import { getSettings } from './settings';
import type { Statement } from 'better-sqlite3';

interface EquipmentRow {
  id: string;
  asset_tag: string;
  name: string;
  category_id: string | null;
  category_name: string | null;
  manufacturer: string | null;
  model: string | null;
  serial: string | null;
  location_id: string;
  risk: Equipment['risk'];
  ownership: Equipment['ownership'];
  status: Equipment['status'];
  status_reason: string | null;
  acquired_on: string | null;
  in_service_on: string | null;
  warranty_until: string | null;
  reference_standard: number;
  notes: string | null;
  created_at: string;
  updated_at: string;
}

const SELECT_EQUIPMENT = `
  SELECT e.*, c.name AS category_name
  FROM equipment e LEFT JOIN categories c ON c.id = e.category_id`;

function toEquipment(row: EquipmentRow, paths: Map<string, string>): Equipment {
  return {
    id: row.id,
    assetTag: row.asset_tag,
    name: row.name,
    locationId: row.location_id,
    locationPath: paths.get(row.location_id) ?? '',
    categoryId: row.category_id,
    categoryName: row.category_name,
    manufacturer: row.manufacturer,
    model: row.model,
    serial: row.serial,
    risk: row.risk,
    ownership: row.ownership,
    status: row.status,
    statusReason: row.status_reason,
    acquiredOn: row.acquired_on,
    inServiceOn: row.in_service_on,
    warrantyUntil: row.warranty_until,
    referenceStandard: row.reference_standard === 1,
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function getEquipment(core: Core, id: string): Equipment {
  const row = core.db.prepare(`${SELECT_EQUIPMENT} WHERE e.id = ?`).get(id) as EquipmentRow | undefined;
  if (!row) throw new AppError('not_found', 'That device does not exist.');
  return toEquipment(row, locationPathMap(core));
}

/** The barcode lookup: one probe of the unique index on the folded tag. */
const byTag = new WeakMap<Core['db'], Statement>();
export function findEquipmentIdByTag(core: Core, tag: string): string | null {
  let stmt = byTag.get(core.db);
  if (!stmt) {
    stmt = core.db.prepare('SELECT id FROM equipment WHERE asset_tag_key = ?').pluck();
    byTag.set(core.db, stmt);
  }
  return (stmt.get(assetTagKey(tag)) as string | undefined) ?? null;
}

/** A scanned tag: the device, or `not_found` with a sentence the scan screen can show. */
export function findEquipmentByTag(core: Core, tag: string): { id: string; assetTag: string; name: string } {
  const row = core.db.prepare('SELECT id, asset_tag, name FROM equipment WHERE asset_tag_key = ?').get(assetTagKey(tag)) as
    { id: string; asset_tag: string; name: string } | undefined;
  if (!row) throw new AppError('not_found', `No device has the asset tag "${tag.trim()}".`, { field: 'tag' });
  return { id: row.id, assetTag: row.asset_tag, name: row.name };
}

/** Every device, by tag. */
export function listEquipment(core: Core): EquipmentListRow[] {
  return searchEquipment(core, { sort: 'assetTag' }, { offset: 0, limit: Number.MAX_SAFE_INTEGER }).rows;
}

function assertReferences(core: Core, fields: EquipmentFieldsValue): void {
  if (!core.db.prepare('SELECT 1 FROM locations WHERE id = ? AND active = 1').get(fields.locationId)) {
    throw new AppError('invalid_input', 'Choose a location from the list.', { field: 'locationId' });
  }
  if (fields.categoryId && !core.db.prepare('SELECT 1 FROM categories WHERE id = ?').get(fields.categoryId)) {
    throw new AppError('invalid_input', 'Choose a category from the list.', { field: 'categoryId' });
  }
}

function assertTagFree(core: Core, tag: string, exceptId: string | null): void {
  const clash = core.db.prepare('SELECT id, asset_tag, name FROM equipment WHERE asset_tag_key = ?').get(assetTagKey(tag)) as
    { id: string; asset_tag: string; name: string } | undefined;
  if (clash && clash.id !== exceptId) {
    throw new AppError('conflict', `Asset tag ${clash.asset_tag} is already used by "${clash.name}".`, { field: 'assetTag' });
  }
}

/** The editable columns of a device as the database stores them (and the audit trail records them). */
function columnsOf(fields: EquipmentFieldsValue) {
  return {
    asset_tag: fields.assetTag,
    asset_tag_key: assetTagKey(fields.assetTag),
    name: fields.name,
    category_id: fields.categoryId,
    manufacturer: fields.manufacturer,
    model: fields.model,
    serial: fields.serial,
    location_id: fields.locationId,
    risk: fields.risk,
    ownership: fields.ownership,
    acquired_on: fields.acquiredOn,
    in_service_on: fields.inServiceOn,
    warranty_until: fields.warrantyUntil,
    reference_standard: fields.referenceStandard ? 1 : 0,
    notes: fields.notes,
  };
}

/**
 * A new device gets its category's default plans (DOMAIN.md: "applied to new equipment of that
 * category"), starting today, in the transaction that adds it.
 */
export function applyCategoryDefaultPlans(core: Core, actor: Actor, equipmentId: string, categoryId: string | null): void {
  if (categoryId) applyCategoryDefaults(core, actor, equipmentId);
}

/**
 * Inserts a device whose references were checked by the caller, with its audit entry, and
 * returns its id. For bulk paths (the import) that must not re-read every location per row.
 */
export function insertEquipment(
  core: Core,
  actor: Actor,
  fields: EquipmentFieldsValue,
  options: { status?: EquipmentStatus; statusReason?: string | null; via?: string } = {},
): string {
  const now = isoInstant(core.clock.now());
  const row = {
    id: uuidv7(),
    ...columnsOf(fields),
    status: options.status ?? 'in_service',
    status_reason: options.statusReason ?? null,
  };
  core.db
    .prepare(
      `INSERT INTO equipment (id, asset_tag, asset_tag_key, name, category_id, manufacturer, model, serial, location_id,
         risk, ownership, status, status_reason, acquired_on, in_service_on, warranty_until, reference_standard, notes,
         created_at, updated_at, pc_id)
       VALUES (@id, @asset_tag, @asset_tag_key, @name, @category_id, @manufacturer, @model, @serial, @location_id,
         @risk, @ownership, @status, @status_reason, @acquired_on, @in_service_on, @warranty_until, @reference_standard, @notes,
         @now, @now, @pc_id)`,
    )
    .run({ ...row, now, pc_id: core.pcId });
  appendAudit(core, actor, {
    action: 'create',
    entity: 'equipment',
    entityId: row.id,
    new: options.via ? { ...row, via: options.via } : row,
  });
  applyCategoryDefaultPlans(core, actor, row.id, fields.categoryId);
  return row.id;
}

/**
 * Dates that are possible but most likely mistyped (in service in 2099, acquired in 1926) are
 * refused until the person confirms them; the device form asks the same question beside the field.
 * On an edit only the dates being changed are asked about.
 */
function assertPlausibleDates(core: Core, fields: EquipmentFieldsValue & { confirmDates?: boolean | undefined }, before?: Record<string, unknown>): void {
  if (fields.confirmDates) return;
  const changed = (value: string | null, column: string) => (before && before[column] === value ? null : value);
  const questions = equipmentDateQuestions(
    {
      acquiredOn: changed(fields.acquiredOn, 'acquired_on'),
      inServiceOn: changed(fields.inServiceOn, 'in_service_on'),
      warrantyUntil: changed(fields.warrantyUntil, 'warranty_until'),
    },
    localDate(core.clock.now()),
    getSettings(core).dateFormat,
  );
  const first = questions[0];
  if (!first) return;
  throw new AppError('invalid_input', first.message, {
    field: first.field,
    ...(questions.length > 1 ? { details: questions.map((q) => ({ field: q.field, message: q.message })) } : {}),
  });
}

/** Adds a device. Call inside a transaction. */
export function createEquipment(core: Core, actor: Actor, fields: EquipmentFieldsValue & { confirmDates?: boolean | undefined }): Equipment {
  assertPlausibleDates(core, fields);
  assertTagFree(core, fields.assetTag, null);
  assertReferences(core, fields);
  return getEquipment(core, insertEquipment(core, actor, fields));
}

function currentRow(
  core: Core,
  id: string,
): Record<string, unknown> & { id: string; asset_tag: string; name: string; status: EquipmentStatus; status_reason: string | null } {
  const row = core.db.prepare('SELECT * FROM equipment WHERE id = ?').get(id) as
    | (Record<string, unknown> & { id: string; asset_tag: string; name: string; status: EquipmentStatus; status_reason: string | null })
    | undefined;
  if (!row) throw new AppError('not_found', 'That device does not exist.', { field: 'id' });
  return row;
}

/** Edits every field but the status (which has its own action, with a reason). Call inside a transaction. */
export function updateEquipment(core: Core, actor: Actor, input: EquipmentFieldsValue & { id: string; confirmDates?: boolean | undefined }): Equipment {
  const before = currentRow(core, input.id);
  assertPlausibleDates(core, input, before);
  assertTagFree(core, input.assetTag, input.id);
  const next = columnsOf(input);
  if (next.location_id !== before.location_id || next.category_id !== before.category_id) assertReferences(core, input);
  const changes = changedColumns(before, next);
  if (!changes) return getEquipment(core, input.id);
  core.db
    .prepare(
      `UPDATE equipment SET asset_tag = @asset_tag, asset_tag_key = @asset_tag_key, name = @name, category_id = @category_id,
         manufacturer = @manufacturer, model = @model, serial = @serial, location_id = @location_id, risk = @risk,
         ownership = @ownership, acquired_on = @acquired_on, in_service_on = @in_service_on, warranty_until = @warranty_until,
         reference_standard = @reference_standard, notes = @notes, updated_at = @now, pc_id = @pc_id
       WHERE id = @id`,
    )
    .run({ ...next, id: input.id, now: isoInstant(core.clock.now()), pc_id: core.pcId });
  appendAudit(core, actor, { action: 'update', entity: 'equipment', entityId: input.id, ...changes });
  return getEquipment(core, input.id);
}

/**
 * Puts a device in or out of service, retires it or marks it missing, with the reason. A manual
 * change also ends a tag-out by a failed plan (SCHEDULING.md rule 12): a person decided.
 * Call inside a transaction.
 */
export function setEquipmentStatus(core: Core, actor: Actor, input: { id: string; status: EquipmentStatus; reason: string }): Equipment {
  const before = currentRow(core, input.id);
  if (before.status === input.status) {
    throw new AppError('invalid_input', `"${before.name}" is already ${STATUS_LABELS[input.status].toLowerCase()}.`, { field: 'status' });
  }
  core.db
    .prepare('UPDATE equipment SET status = ?, status_reason = ?, tagged_out_by_plan_id = NULL, updated_at = ?, pc_id = ? WHERE id = ?')
    .run(input.status, input.reason, isoInstant(core.clock.now()), core.pcId, input.id);
  appendAudit(core, actor, {
    action: 'status',
    entity: 'equipment',
    entityId: input.id,
    old: { status: before.status, status_reason: before.status_reason },
    new: { status: input.status, status_reason: input.reason },
  });
  return getEquipment(core, input.id);
}

/**
 * Deletes a device entered by mistake. Once it has plans or history it is retired instead
 * (DOMAIN.md); the database refuses too. Call inside a transaction.
 */
export function deleteEquipment(core: Core, actor: Actor, id: string): { id: string } {
  const before = currentRow(core, id);
  const uses = core.db
    .prepare(
      `SELECT (SELECT count(*) FROM plans WHERE equipment_id = @id)
            + (SELECT count(*) FROM completions WHERE equipment_id = @id OR reference_equipment_id = @id)
            + (SELECT count(*) FROM stock_locations WHERE equipment_id = @id) AS n`,
    )
    .get({ id }) as { n: number };
  if (uses.n > 0) {
    throw new AppError(
      'conflict',
      `${before.asset_tag} "${before.name}" has plans or history, so it cannot be deleted; retire it instead (change its status to Retired).`,
      { field: 'id' },
    );
  }
  core.db.prepare('DELETE FROM equipment WHERE id = ?').run(id);
  appendAudit(core, actor, { action: 'delete', entity: 'equipment', entityId: id, old: before });
  return { id };
}
