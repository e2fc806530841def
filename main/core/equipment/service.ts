import type { EquipmentExpectedValue, EquipmentListRow, FoundByTag } from '../../../shared/contract/equipment';
import type { IsoDate } from '../../../shared/domain/common';
import type { Equipment, EquipmentFieldsValue, EquipmentStatus, Ownership } from '../../../shared/domain/equipment';
import { assetTagKey, deleteOnHubRefusal, STATUS_LABELS } from '../../../shared/domain/equipment';
import { appendAudit, changedColumns } from '../audit';
import { equipmentDateQuestions } from '../../../shared/plausible-dates';
import { isoInstant, localDate } from '../clock';
import type { Actor, Core, WriteCore } from '../context';
import { AppError } from '../errors';
import { uuidv7 } from '../ids';
import { PrintedTags } from './look-alike-tags';
import { searchEquipment } from './search';
import { openWorkOrderOf } from '../repairs/store';
import { captureInstalled } from '../sync/capture';
import { devicesByTag, sharingInUse } from '../sync/keys';
import { changeServiceStatus, recordStatusChange } from '../status/history';
import { workOrderRef } from '../../../shared/domain/work-order';
import { locationPathMap, locationPathOfAny } from '../locations/service';
import { applyCategoryDefaults, listCategoryPlans } from '../plans/category-plans';
import { formatDay } from '../../../shared/domain/report';
import { getSettings } from '../settings/service';
import { command, positionalCommand, query } from '../sql/query';
import type { CountRow, EquipmentRow } from '../sql/rows';

type EquipmentWithCategory = EquipmentRow & { category_name: string | null };
type TagRow = Pick<EquipmentRow, 'id' | 'asset_tag' | 'name'>;

const withCategory = query<EquipmentWithCategory, { id: string }>(
  'SELECT e.*, c.name AS category_name FROM equipment e LEFT JOIN categories c ON c.id = e.category_id WHERE e.id = @id',
);
/** The device holding a folded tag: a new or edited tag must be free (assertTagFree). */
const byTagKey = query<TagRow, { key: string }>('SELECT id, asset_tag, name FROM equipment WHERE asset_tag_key = @key');
const activeLocation = query<{ id: string }, { id: string }>('SELECT id FROM locations WHERE id = @id AND active = 1');
const category = query<{ id: string; name: string; active: number }, { id: string }>('SELECT id, name, active FROM categories WHERE id = @id');
const byId = query<EquipmentRow, { id: string }>('SELECT * FROM equipment WHERE id = @id');
const uses = query<CountRow, { id: string }>(
  `SELECT (SELECT count(*) FROM plans WHERE equipment_id = @id)
        + (SELECT count(*) FROM completions WHERE equipment_id = @id OR reference_equipment_id = @id)
        + (SELECT count(*) FROM stock_locations WHERE equipment_id = @id)
        -- its status history (a device added out of service or missing starts one) and work orders are permanent
        + (SELECT count(*) FROM status_changes WHERE equipment_id = @id)
        + (SELECT count(*) FROM work_orders WHERE equipment_id = @id) AS n`,
);
type Editable = ReturnType<typeof columnsOf>;
type E = EquipmentRow;
/** Positional (issue 17: an import runs it 50,000 times in one transaction); the status and its reason go in twice, as the manual ones too. */
const insert = positionalCommand<
  [
    id: E['id'],
    asset_tag: E['asset_tag'],
    asset_tag_key: E['asset_tag_key'],
    name: E['name'],
    category_id: E['category_id'],
    manufacturer: E['manufacturer'],
    model: E['model'],
    serial: E['serial'],
    location_id: E['location_id'],
    risk: E['risk'],
    ownership: E['ownership'],
    status: E['status'],
    status_reason: E['status_reason'],
    acquired_on: E['acquired_on'],
    in_service_on: E['in_service_on'],
    warranty_until: E['warranty_until'],
    reference_standard: E['reference_standard'],
    notes: E['notes'],
    manual_status: E['manual_status'],
    manual_status_reason: E['manual_status_reason'],
    created_at: E['created_at'],
    updated_at: E['updated_at'],
    pc_id: E['pc_id'],
  ]
>(
  `INSERT INTO equipment (id, asset_tag, asset_tag_key, name, category_id, manufacturer, model, serial, location_id,
     risk, ownership, status, status_reason, acquired_on, in_service_on, warranty_until, reference_standard, notes,
     manual_status, manual_status_reason, created_at, updated_at, pc_id)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);
const update = command<Editable & Pick<EquipmentRow, 'id' | 'updated_at' | 'pc_id'>>(
  `UPDATE equipment SET asset_tag = @asset_tag, asset_tag_key = @asset_tag_key, name = @name, category_id = @category_id,
     manufacturer = @manufacturer, model = @model, serial = @serial, location_id = @location_id, risk = @risk,
     ownership = @ownership, acquired_on = @acquired_on, in_service_on = @in_service_on, warranty_until = @warranty_until,
     reference_standard = @reference_standard, notes = @notes, updated_at = @updated_at, pc_id = @pc_id
   WHERE id = @id`,
);
const remove = command<{ id: string }>('DELETE FROM equipment WHERE id = @id');

/** The one mapper from an equipment row (with its category's name) to an Equipment. */
function toEquipment(row: EquipmentWithCategory, paths: Map<string, string>): Equipment {
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
  const row = withCategory.get(core, { id });
  if (!row) throw new AppError('not_found', 'That device does not exist.');
  return toEquipment(row, locationPathMap(core));
}

/**
 * A scanned tag: the device, or `not_found` with a sentence the scan screen can show. While two PCs'
 * devices share the tag (a clash, sync/keys.ts), the one still in use (the plain tag may be the
 * retired one's); and while two or more are in use, all of them in `sameTag`, to choose from.
 */
export function findEquipmentByTag(core: Core, tag: string): FoundByTag {
  const devices = devicesByTag(core, tag);
  const first = devices[0];
  if (!first) throw new AppError('not_found', `No device has the asset tag "${tag.trim()}".`, { field: 'tag' });
  return {
    id: first.id,
    assetTag: first.asset_tag,
    name: first.name,
    sameTag: sharingInUse(devices).map((d) => ({
      id: d.id,
      assetTag: d.asset_tag,
      name: d.name,
      place: locationPathOfAny(core, byId.get(core, { id: d.id })?.location_id ?? '') ?? 'a location no longer in use',
    })),
  };
}

/** Every device, by tag. */
export function listEquipment(core: Core): EquipmentListRow[] {
  return searchEquipment(core, { sort: 'assetTag' }, { offset: 0, limit: Number.MAX_SAFE_INTEGER }).rows;
}

/** `keptCategoryId`: the device's own category, which it keeps though it was taken out of use since. */
function assertReferences(core: Core, fields: EquipmentFieldsValue, keptCategoryId: string | null = null): void {
  if (!activeLocation.get(core, { id: fields.locationId })) {
    throw new AppError('invalid_input', 'Choose a location from the list.', { field: 'locationId' });
  }
  if (!fields.categoryId) return;
  const c = category.get(core, { id: fields.categoryId });
  if (!c) throw new AppError('invalid_input', 'Choose a category from the list.', { field: 'categoryId' });
  if (c.active !== 1 && c.id !== keptCategoryId) {
    throw new AppError('invalid_input', `"${c.name}" is taken out of use: it is not given to devices. Choose another category, or bring it back on the Categories screen.`, {
      field: 'categoryId',
    });
  }
}

function assertTagFree(core: Core, tag: string, exceptId: string | null): void {
  const clash = byTagKey.get(core, { key: assetTagKey(tag) });
  if (clash && clash.id !== exceptId) {
    throw new AppError('conflict', `Asset tag ${clash.asset_tag} is already used by "${clash.name}".`, { field: 'assetTag' });
  }
}

/** A tag that prints like another device's tag ("ІР-0001" in Cyrillic beside "IP-0001") is that device's on a sticker. */
function assertTagPrintsApart(core: Core, tag: string, exceptId: string | null): void {
  const alike = new PrintedTags(core).clash(tag, exceptId);
  if (alike) {
    throw new AppError(
      'conflict',
      `Asset tag ${tag} prints like ${alike.asset_tag}, already used by "${alike.name}": a sticker or a scan could not tell them apart. Choose a tag that reads differently.`,
      { field: 'assetTag' },
    );
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
    reference_standard: fields.referenceStandard ? (1 as const) : (0 as const),
    notes: fields.notes,
  };
}

type Columns = ReturnType<typeof columnsOf>;
/** Every editable column (a column added to columnsOf and not to the entry is a type error), the id, the status and how it came. */
type CreatedEntry = { [K in keyof Columns]: Columns[K] } & { id: string; status: EquipmentStatus; status_reason: string | null; via: string | undefined };

/**
 * A new device's audit entry: its row, the status and how it came (`via`), with the keys written
 * in sorted order, so canonicalJson writes the object as it is instead of a sorted copy (issue 17:
 * 50,000 of them in an import). The same text as the row spread in any order.
 */
function createdEntry(id: string, c: Columns, status: EquipmentStatus, statusReason: string | null, via: string | undefined): CreatedEntry {
  return {
    acquired_on: c.acquired_on,
    asset_tag: c.asset_tag,
    asset_tag_key: c.asset_tag_key,
    category_id: c.category_id,
    id,
    in_service_on: c.in_service_on,
    location_id: c.location_id,
    manufacturer: c.manufacturer,
    model: c.model,
    name: c.name,
    notes: c.notes,
    ownership: c.ownership,
    reference_standard: c.reference_standard,
    risk: c.risk,
    serial: c.serial,
    status,
    status_reason: statusReason,
    // Left out of the text when undefined (an entry of the device form), as before.
    via,
    warranty_until: c.warranty_until,
  };
}

/**
 * A new device gets its category's default plans (a category's defaults are applied to new equipment of that
 * category), starting today, in the transaction that adds it.
 */
export function applyCategoryDefaultPlans(
  core: WriteCore,
  actor: Actor,
  equipmentId: string,
  categoryId: string | null,
  doneBefore?: Readonly<Record<string, IsoDate>>,
): void {
  if (categoryId) applyCategoryDefaults(core, actor, equipmentId, doneBefore ? { doneBefore } : {});
}

/**
 * Inserts a device whose references were checked by the caller, with its audit entry, and
 * returns its id. For bulk paths (the import) that must not re-read every location per row.
 */
export function insertEquipment(
  core: WriteCore,
  actor: Actor,
  fields: EquipmentFieldsValue,
  options: {
    status?: EquipmentStatus;
    statusReason?: string | null;
    via?: string;
    /** When each default plan's task was last done before the device came (issue 16): its plan starts from there. */
    doneBefore?: Readonly<Record<string, IsoDate>> | undefined;
    /** False when the caller knows the category has no default plans (hasDefaultPlans), so none are looked for. */
    categoryHasDefaults?: boolean;
  } = {},
): string {
  const now = isoInstant(core.clock.now());
  const id = uuidv7();
  const columns = columnsOf(fields);
  const status = options.status ?? ('in_service' as const);
  const statusReason = options.statusReason ?? null;
  // The row bound from the columns in order, and the entry's object written in one go, not copied
  // from another copy (issue 17: copying a spread row again took about 5 µs a device, 0.3 s of a
  // 50,000-row import).
  const c = columns;
  insert.run(
    core,
    id,
    c.asset_tag,
    c.asset_tag_key,
    c.name,
    c.category_id,
    c.manufacturer,
    c.model,
    c.serial,
    c.location_id,
    c.risk,
    c.ownership,
    status,
    statusReason,
    c.acquired_on,
    c.in_service_on,
    c.warranty_until,
    c.reference_standard,
    c.notes,
    status,
    statusReason,
    now,
    now,
    core.pcId,
  );
  appendAudit(core, actor, { action: 'create', entity: 'equipment', entityId: id, new: createdEntry(id, c, status, statusReason, options.via || undefined) });
  // The status history starts with the device: a device added out of service was down from then.
  if (status !== 'in_service') {
    recordStatusChange(core, actor, { equipmentId: id, from: null, to: status, reason: statusReason, cause: options.via === 'import' ? 'import' : 'added' });
  }
  if (options.categoryHasDefaults !== false) applyCategoryDefaultPlans(core, actor, id, fields.categoryId, options.doneBefore);
  return id;
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

/**
 * When each default plan's task was last done (issue 16): a day not after today, for a task the
 * device's category has a default plan for (the add form offers exactly those).
 */
function assertLastDone(core: Core, categoryId: string | null, lastDone: Readonly<Record<string, IsoDate>>): void {
  const todayDate = localDate(core.clock.now());
  const planned = new Map(categoryId ? listCategoryPlans(core, categoryId).map((p) => [p.task, p.taskLabel]) : []);
  const dateFormat = getSettings(core).dateFormat;
  for (const [task, day] of Object.entries(lastDone)) {
    const field = `lastDone.${task}`;
    const label = planned.get(task);
    if (!label) throw new AppError('invalid_input', `The device's category has no default ${task.replace(/_/g, ' ')} plan, so when it was last done is not asked.`, { field });
    if (day > todayDate) throw new AppError('invalid_input', `Last ${label.toLowerCase()} is ${formatDay(day, dateFormat)}, after today: say when it was last done.`, { field });
  }
}

/** Adds a device, its category's default plans starting from when each task was last done (if given). */
export function createEquipment(
  core: WriteCore,
  actor: Actor,
  fields: EquipmentFieldsValue & { confirmDates?: boolean | undefined; lastDone?: Record<string, IsoDate> | undefined },
): Equipment {
  assertPlausibleDates(core, fields);
  assertTagFree(core, fields.assetTag, null);
  assertTagPrintsApart(core, fields.assetTag, null);
  assertReferences(core, fields);
  const doneBefore = fields.lastDone && Object.keys(fields.lastDone).length > 0 ? fields.lastDone : undefined;
  if (doneBefore) assertLastDone(core, fields.categoryId, doneBefore);
  return getEquipment(core, insertEquipment(core, actor, fields, { doneBefore }));
}

function currentRow(core: Core, id: string): EquipmentRow {
  const row = byId.get(core, { id });
  if (!row) throw new AppError('not_found', 'That device does not exist.', { field: 'id' });
  return row;
}

/**
 * What someone else changed since the edit dialog opened (`expected`, the device as it opened), in
 * words ("now at General Hospital > Workshop, serial SN-998877"), with the first field changed; null
 * when nothing was.
 */
function changedMeanwhile(core: Core, before: EquipmentRow, expected: EquipmentExpectedValue): { field: keyof EquipmentExpectedValue; words: string } | null {
  const words: string[] = [];
  let field: keyof EquipmentExpectedValue | null = null;
  const changed = (name: keyof EquipmentExpectedValue, text: string) => {
    field ??= name;
    words.push(text);
  };
  const day = (d: string) => formatDay(d, getSettings(core).dateFormat);
  if (before.asset_tag !== expected.assetTag) changed('assetTag', `tagged ${before.asset_tag}`);
  if (before.name !== expected.name) changed('name', `called "${before.name}"`);
  if (before.location_id !== expected.locationId) changed('locationId', `at ${locationPathMap(core).get(before.location_id) ?? 'another location'}`);
  if (before.category_id !== expected.categoryId) {
    const c = before.category_id ? category.get(core, { id: before.category_id }) : undefined;
    changed('categoryId', c ? `in category ${c.name}` : 'in no category');
  }
  if (before.manufacturer !== expected.manufacturer) changed('manufacturer', before.manufacturer ? `made by ${before.manufacturer}` : 'with no manufacturer');
  if (before.model !== expected.model) changed('model', before.model ? `model ${before.model}` : 'with no model');
  if (before.serial !== expected.serial) changed('serial', before.serial ? `serial ${before.serial}` : 'with no serial number');
  if (before.risk !== expected.risk) changed('risk', before.risk ? `${before.risk} risk` : 'with no risk set');
  if (before.ownership !== expected.ownership) changed('ownership', before.ownership ? `ownership ${OWNERSHIP_WORDS[before.ownership]}` : 'with no ownership set');
  if (before.acquired_on !== expected.acquiredOn) changed('acquiredOn', before.acquired_on ? `acquired on ${day(before.acquired_on)}` : 'with no date acquired');
  if (before.in_service_on !== expected.inServiceOn) {
    changed('inServiceOn', before.in_service_on ? `in service since ${day(before.in_service_on)}` : 'with no date in service');
  }
  if (before.warranty_until !== expected.warrantyUntil) {
    changed('warrantyUntil', before.warranty_until ? `under warranty until ${day(before.warranty_until)}` : 'with no warranty date');
  }
  if ((before.reference_standard === 1) !== expected.referenceStandard) {
    changed('referenceStandard', before.reference_standard === 1 ? 'a reference standard' : 'not a reference standard');
  }
  if (before.notes !== expected.notes) changed('notes', before.notes ? 'with other notes' : 'with no notes');
  return field ? { field, words: `now ${words.join(', ')}` } : null;
}

const OWNERSHIP_WORDS: Record<Ownership, string> = { owned: 'owned', leased: 'leased', rental: 'rental', demo: 'demo' };

/**
 * Edits every field but the status (which has its own action, with a reason). With `expected` (what
 * the edit dialog opened with), a device someone else changed meanwhile (another window, or another
 * PC through the hub) is refused in a sentence naming what changed, so that change is never undone
 * without a word nor recorded as this person's; the refusal's field is `expected.<field>`.
 */
export function updateEquipment(
  core: WriteCore,
  actor: Actor,
  input: EquipmentFieldsValue & { id: string; confirmDates?: boolean | undefined; expected?: EquipmentExpectedValue | undefined },
): Equipment {
  const before = currentRow(core, input.id);
  const meanwhile = input.expected ? changedMeanwhile(core, before, input.expected) : null;
  if (meanwhile) {
    throw new AppError('conflict', `${input.expected!.assetTag} was changed by someone else since you opened this (${meanwhile.words}): check and save again.`, {
      field: `expected.${meanwhile.field}`,
    });
  }
  assertPlausibleDates(core, input, before);
  assertTagFree(core, input.assetTag, input.id);
  const next = columnsOf(input);
  // Only a new tag is compared: two that print alike already (kept from before the rule, or merged
  // from two PCs) do not stop an edit of the rest.
  if (next.asset_tag_key !== before.asset_tag_key) assertTagPrintsApart(core, input.assetTag, input.id);
  if (next.location_id !== before.location_id || next.category_id !== before.category_id) assertReferences(core, input, before.category_id);
  const changes = changedColumns(before, next);
  if (!changes) return getEquipment(core, input.id);
  update.run(core, { ...next, id: input.id, updated_at: isoInstant(core.clock.now()), pc_id: core.pcId });
  appendAudit(core, actor, { action: 'update', entity: 'equipment', entityId: input.id, ...changes });
  // Moved into a category: its default plans, as a new device of it gets them (due from today;
  // a task the device already has an active plan for is skipped).
  if (next.category_id !== null && next.category_id !== before.category_id) applyCategoryDefaults(core, actor, input.id);
  return getEquipment(core, input.id);
}

/**
 * Puts a device in or out of service, retires it or marks it missing, with the reason. A manual
 * change also ends a tag-out by a failed plan (docs/scheduling.md, "Status on a day"): a person decided.
 */
export function setEquipmentStatus(
  core: WriteCore,
  actor: Actor,
  input: { id: string; status: EquipmentStatus; reason: string; expected?: { status: EquipmentStatus } | undefined },
): Equipment {
  const before = currentRow(core, input.id);
  // Someone else (another window, another PC through the hub) changed it since the dialog opened: a retired device is not brought back unseen.
  if (input.expected && input.expected.status !== before.status) {
    const why = before.status_reason ? ` (“${before.status_reason}”)` : '';
    throw new AppError(
      'conflict',
      `${before.asset_tag} is now ${STATUS_LABELS[before.status].toLowerCase()}${why}: someone else changed its status since you opened this. Check it, and change it again if you still mean to.`,
      { field: 'status' },
    );
  }
  if (before.status === input.status) {
    throw new AppError('invalid_input', `"${before.name}" is already ${STATUS_LABELS[input.status].toLowerCase()}.`, { field: 'status' });
  }
  // A device under repair changes status through its work order: back in service only after its
  // signed post-repair check, retired as beyond repair by the work order itself.
  const open = openWorkOrderOf(core, input.id);
  if (open) {
    throw new AppError(
      'conflict',
      `${before.asset_tag} has an open work order, ${workOrderRef(open.number)}: its status changes through the work order (returned to service after its post-repair check, or retired as beyond repair).`,
      { field: 'status' },
    );
  }
  changeServiceStatus(core, actor, input.id, { status: input.status, reason: input.reason, taggedOutByPlanId: null }, { cause: 'person' });
  return getEquipment(core, input.id);
}

/**
 * Deletes a device entered by mistake. Once it has plans or history it is retired instead
 * (its records name it); the database refuses too. On a PC of a hospital's hub no device is
 * deleted (the other PCs have it, and sync's trigger would refuse the row): it is retired.
 */
export function deleteEquipment(core: WriteCore, actor: Actor, id: string): { id: string } {
  const before = currentRow(core, id);
  if (captureInstalled(core)) {
    throw new AppError('conflict', deleteOnHubRefusal({ assetTag: before.asset_tag, name: before.name }), { field: 'id' });
  }
  if (uses.get(core, { id })!.n > 0) {
    throw new AppError(
      'conflict',
      `${before.asset_tag} "${before.name}" has plans or history, so it cannot be deleted; retire it instead (change its status to Retired).`,
      { field: 'id' },
    );
  }
  remove.run(core, { id });
  appendAudit(core, actor, { action: 'delete', entity: 'equipment', entityId: id, old: before });
  return { id };
}
