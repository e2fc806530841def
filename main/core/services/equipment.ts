import type { EquipmentListRow } from '../../../shared/contract/equipment';
import type { Equipment, EquipmentFieldsValue } from '../../../shared/domain/equipment';
import { assetTagKey } from '../../../shared/domain/equipment';
import { appendAudit } from '../audit';
import { isoInstant } from '../clock';
import type { Actor, Core } from '../context';
import { AppError } from '../errors';
import { uuidv7 } from '../ids';
import { locationPathMap } from './locations';

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
export function findEquipmentIdByTag(core: Core, tag: string): string | null {
  const row = core.db.prepare('SELECT id FROM equipment WHERE asset_tag_key = ?').get(assetTagKey(tag)) as { id: string } | undefined;
  return row?.id ?? null;
}

export function listEquipment(core: Core): EquipmentListRow[] {
  const paths = locationPathMap(core);
  const rows = core.db.prepare('SELECT id, asset_tag, name, location_id, status FROM equipment ORDER BY asset_tag_key').all() as {
    id: string;
    asset_tag: string;
    name: string;
    location_id: string;
    status: Equipment['status'];
  }[];
  return rows.map((r) => ({ id: r.id, assetTag: r.asset_tag, name: r.name, locationPath: paths.get(r.location_id) ?? '', status: r.status }));
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
    | { id: string; asset_tag: string; name: string }
    | undefined;
  if (clash && clash.id !== exceptId) {
    throw new AppError('conflict', `Asset tag ${clash.asset_tag} is already used by "${clash.name}".`, { field: 'assetTag' });
  }
}

/** Adds a device. Call inside a transaction. */
export function createEquipment(core: Core, actor: Actor, fields: EquipmentFieldsValue): Equipment {
  assertTagFree(core, fields.assetTag, null);
  assertReferences(core, fields);
  const now = isoInstant(core.clock.now());
  const row = {
    id: uuidv7(),
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
  core.db
    .prepare(
      `INSERT INTO equipment (id, asset_tag, asset_tag_key, name, category_id, manufacturer, model, serial, location_id,
         risk, ownership, acquired_on, in_service_on, warranty_until, reference_standard, notes, created_at, updated_at, pc_id)
       VALUES (@id, @asset_tag, @asset_tag_key, @name, @category_id, @manufacturer, @model, @serial, @location_id,
         @risk, @ownership, @acquired_on, @in_service_on, @warranty_until, @reference_standard, @notes, @now, @now, @pc_id)`,
    )
    .run({ ...row, now, pc_id: core.pcId });
  appendAudit(core, actor, { action: 'create', entity: 'equipment', entityId: row.id, new: row });
  return getEquipment(core, row.id);
}
