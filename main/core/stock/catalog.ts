import type { StockLevelExpectedValue, StockLocationExpectedValue, SupplyItemExpectedValue } from '../../../shared/contract/stock';
import type {
  StockLevelFieldsValue,
  StockLocationFieldsValue,
  StockLocationHead,
  StockLocationUpdateValue,
  SupplyItem,
  SupplyItemFieldsValue,
  SupplyItemUpdateValue,
} from '../../../shared/domain/stock-catalog';
import { STOCK_LOCATION_KIND_LABELS, supplyCodeKey } from '../../../shared/domain/stock-catalog';
import { nameKey } from '../../../shared/domain/common';
import { appendAudit, changedColumns } from '../audit';
import { isoInstant } from '../clock';
import type { Actor, Core, WriteCore } from '../context';
import { AppError } from '../errors';
import { uuidv7 } from '../ids';
import { locationPathMap, locationPathOfAny } from '../locations/service';
import { command, query } from '../sql/query';
import type { AuditRow, CountRow, EquipmentRow, StockLevelRow, StockLocationRow, SupplyItemRow } from '../sql/rows';
import { getSettings } from '../settings/service';
import { formatDateTime } from '../../../shared/date-format';
import { recomputeItemStock } from './on-hand';

/**
 * Supply items, stock locations and par levels: what is stocked, where, and to what level.
 * Every write is called inside the caller's transaction and writes its audit entry there.
 */

type ItemRow = Pick<SupplyItemRow, 'id' | 'name' | 'code' | 'unit' | 'default_supplier' | 'active'> & { stock_locations: number };
type HeadRow = Pick<StockLocationRow, 'id' | 'name' | 'kind' | 'location_id' | 'equipment_id' | 'active'> & {
  asset_tag: EquipmentRow['asset_tag'] | null;
  equipment_name: EquipmentRow['name'] | null;
};
type ItemColumns = Pick<SupplyItemRow, 'name' | 'code' | 'code_key' | 'unit' | 'default_supplier' | 'active'>;
type StockLocationColumns = Pick<StockLocationRow, 'name' | 'kind' | 'location_id' | 'equipment_id' | 'active'>;

const ITEM_SELECT = `SELECT i.id, i.name, i.code, i.unit, i.default_supplier, i.active,
    (SELECT count(*) FROM stock_levels l WHERE l.item_id = i.id) AS stock_locations
  FROM supply_items i`;
const HEAD_SELECT = `SELECT s.id, s.name, s.kind, s.location_id, s.equipment_id, s.active, e.asset_tag, e.name AS equipment_name
  FROM stock_locations s LEFT JOIN equipment e ON e.id = s.equipment_id`;

const allItems = query<ItemRow>(`${ITEM_SELECT} ORDER BY i.active DESC, name_sort(i.name), i.code`);
const itemById = query<ItemRow, { id: string }>(`${ITEM_SELECT} WHERE i.id = @id`);
const itemRowById = query<SupplyItemRow, { id: string }>('SELECT * FROM supply_items WHERE id = @id');
const codeInUse = query<Pick<SupplyItemRow, 'name' | 'code'>, { key: string; exceptId: string | null }>(
  'SELECT name, code FROM supply_items WHERE code_key = @key AND id IS NOT @exceptId',
);
const levelsOfItem = query<CountRow, { itemId: string }>('SELECT count(*) AS n FROM stock_levels WHERE item_id = @itemId');
const insertItem = command<Omit<SupplyItemRow, 'active'>>(
  `INSERT INTO supply_items (id, name, code, code_key, unit, default_supplier, created_at, updated_at, pc_id)
   VALUES (@id, @name, @code, @code_key, @unit, @default_supplier, @created_at, @updated_at, @pc_id)`,
);
const updateItem = command<ItemColumns & Pick<SupplyItemRow, 'id' | 'updated_at' | 'pc_id'>>(
  `UPDATE supply_items SET name = @name, code = @code, code_key = @code_key, unit = @unit, default_supplier = @default_supplier,
     active = @active, updated_at = @updated_at, pc_id = @pc_id WHERE id = @id`,
);
const allHeads = query<HeadRow>(HEAD_SELECT);
const headById = query<HeadRow, { id: string }>(`${HEAD_SELECT} WHERE s.id = @id`);
const stockLocationRowById = query<StockLocationRow, { id: string }>('SELECT * FROM stock_locations WHERE id = @id');
const activeLocation = query<{ id: string }, { id: string }>('SELECT id FROM locations WHERE id = @id AND active = 1');
const equipment = query<{ id: string }, { id: string }>('SELECT id FROM equipment WHERE id = @id');
const othersThere = query<Pick<StockLocationRow, 'id' | 'name'>, { locationId: string; exceptId: string | null }>(
  'SELECT id, name FROM stock_locations WHERE location_id = @locationId AND active = 1 AND id IS NOT @exceptId',
);
const insertStockLocation = command<Omit<StockLocationRow, 'active'>>(
  `INSERT INTO stock_locations (id, name, kind, location_id, equipment_id, created_at, updated_at, pc_id)
   VALUES (@id, @name, @kind, @location_id, @equipment_id, @created_at, @updated_at, @pc_id)`,
);
const updateStockLocationRow = command<StockLocationColumns & Pick<StockLocationRow, 'id' | 'updated_at' | 'pc_id'>>(
  `UPDATE stock_locations SET name = @name, kind = @kind, location_id = @location_id, equipment_id = @equipment_id, active = @active,
     updated_at = @updated_at, pc_id = @pc_id WHERE id = @id`,
);
type LevelKey = Pick<StockLevelRow, 'stock_location_id' | 'item_id'>;
const levelOf = query<Pick<StockLevelRow, 'par' | 'minimum'>, LevelKey>(
  'SELECT par, minimum FROM stock_levels WHERE stock_location_id = @stock_location_id AND item_id = @item_id',
);
const setLevel = command<LevelKey & Pick<StockLevelRow, 'par' | 'minimum' | 'updated_at' | 'pc_id'>>(
  'UPDATE stock_levels SET par = @par, minimum = @minimum, updated_at = @updated_at, pc_id = @pc_id WHERE stock_location_id = @stock_location_id AND item_id = @item_id',
);
const insertLevel = command<StockLevelRow>(
  `INSERT INTO stock_levels (stock_location_id, item_id, par, minimum, on_hand, created_at, updated_at, pc_id)
   VALUES (@stock_location_id, @item_id, @par, @minimum, @on_hand, @created_at, @updated_at, @pc_id)`,
);
const levelWithItem = query<Pick<StockLevelRow, 'par' | 'minimum' | 'on_hand'> & Pick<SupplyItemRow, 'name' | 'unit'>, LevelKey>(
  `SELECT l.par, l.minimum, l.on_hand, i.name, i.unit FROM stock_levels l JOIN supply_items i ON i.id = l.item_id
   WHERE l.stock_location_id = @stock_location_id AND l.item_id = @item_id`,
);
const levelAudit = query<Pick<AuditRow, 'actor_name' | 'at'>, { entityId: string; action: string }>(
  "SELECT actor_name, at FROM audit_log WHERE entity = 'stock_level' AND entity_id = @entityId AND action = @action ORDER BY at DESC, seq DESC LIMIT 1",
);
const stoppedUsing = query<Pick<AuditRow, 'actor_name' | 'at'>, { id: string }>(
  `SELECT actor_name, at FROM audit_log WHERE entity = 'supply_item' AND entity_id = @id AND action = 'update'
     AND json_extract(new_value, '$.active') = 0 ORDER BY at DESC, seq DESC LIMIT 1`,
);
const removeLevel = command<LevelKey>('DELETE FROM stock_levels WHERE stock_location_id = @stock_location_id AND item_id = @item_id');

/** The one mapper from a supply_items row (with the count of stock locations keeping it) to a SupplyItem. */
const toItem = (r: ItemRow): SupplyItem => ({
  id: r.id,
  name: r.name,
  code: r.code,
  unit: r.unit,
  defaultSupplier: r.default_supplier,
  active: r.active === 1,
  stockLocations: r.stock_locations,
});

/** Every supply item by name (the inactive ones last). A catalogue of hundreds: read whole. */
export function listSupplyItems(core: Core): SupplyItem[] {
  return allItems.all(core).map(toItem);
}

export function getSupplyItem(core: Core, id: string, field = 'id'): SupplyItem {
  const row = itemById.get(core, { id });
  if (!row) throw new AppError('not_found', 'That supply item does not exist.', { field });
  return toItem(row);
}

function codeClash(core: Core, code: string, exceptId: string | null): void {
  const clash = codeInUse.get(core, { key: supplyCodeKey(code), exceptId });
  if (clash) throw new AppError('conflict', `The code ${clash.code} is already used by ${clash.name}; choose another.`, { field: 'code' });
}

export function createSupplyItem(core: WriteCore, actor: Actor, input: SupplyItemFieldsValue): SupplyItem {
  codeClash(core, input.code, null);
  const now = isoInstant(core.clock.now());
  const row = {
    id: uuidv7(),
    name: input.name,
    code: input.code,
    code_key: supplyCodeKey(input.code),
    unit: input.unit,
    default_supplier: input.defaultSupplier,
  };
  insertItem.run(core, { ...row, created_at: now, updated_at: now, pc_id: core.pcId });
  appendAudit(core, actor, { action: 'create', entity: 'supply_item', entityId: row.id, new: row });
  return getSupplyItem(core, row.id);
}

/** What someone else changed meanwhile, in words, and the first field changed: null when nothing. */
type Meanwhile<F> = { field: F; words: string } | null;

function meanwhileOf<F extends string>(): { changed: (field: F, words: string) => void; result: () => Meanwhile<F> } {
  const words: string[] = [];
  let first: F | null = null;
  return {
    changed: (field, text) => {
      first ??= field;
      words.push(text);
    },
    result: () => (first === null ? null : { field: first, words: words.join(', ') }),
  };
}

/** The refusal of a save made over someone else's change: beside the field they changed (`expected.<field>`), saying what it is now. */
function changedBySomeoneElse(what: string, meanwhile: { field: string; words: string }): AppError {
  return new AppError(
    'conflict',
    `${what} was changed by someone else since you opened this (${meanwhile.words}): check it, and try again if you still mean to.`,
    { field: `expected.${meanwhile.field}` },
  );
}

function itemChangedMeanwhile(before: SupplyItemRow, expected: SupplyItemExpectedValue): Meanwhile<keyof SupplyItemExpectedValue> {
  const m = meanwhileOf<keyof SupplyItemExpectedValue>();
  if (before.name !== expected.name) m.changed('name', `now called "${before.name}"`);
  if (before.code !== expected.code) m.changed('code', `its code now ${before.code}`);
  if (before.unit !== expected.unit) m.changed('unit', `counted in ${before.unit} now`);
  if (before.default_supplier !== expected.defaultSupplier) {
    m.changed('defaultSupplier', before.default_supplier ? `supplied by ${before.default_supplier} now` : 'with no default supplier now');
  }
  if ((before.active === 1) !== expected.active) m.changed('active', before.active === 1 ? 'in use again now' : 'no longer used now');
  return m.result();
}

/**
 * Changes a supply item. With `expected` (the item as the dialog opened), a change someone else made
 * since is refused in words, never saved over unseen.
 */
export function updateSupplyItem(
  core: WriteCore,
  actor: Actor,
  input: SupplyItemUpdateValue & { expected?: SupplyItemExpectedValue | undefined },
): SupplyItem {
  const before = itemRowById.get(core, { id: input.id });
  if (!before) throw new AppError('not_found', 'That supply item does not exist.', { field: 'id' });
  const meanwhile = input.expected ? itemChangedMeanwhile(before, input.expected) : null;
  if (meanwhile) throw changedBySomeoneElse(input.expected!.name, meanwhile);
  codeClash(core, input.code, input.id);
  const active = input.active === undefined ? before.active : input.active ? 1 : 0;
  if (active === 0 && before.active === 1) {
    const kept = levelsOfItem.get(core, { itemId: input.id })!.n;
    if (kept > 0) {
      throw new AppError('conflict', `${before.name} is still kept at ${kept} stock location${kept === 1 ? '' : 's'}; take it off their lists first.`, {
        field: 'active',
      });
    }
  }
  const next: ItemColumns = {
    name: input.name,
    code: input.code,
    code_key: supplyCodeKey(input.code),
    unit: input.unit,
    default_supplier: input.defaultSupplier,
    active,
  };
  const changes = changedColumns(before, next);
  if (changes) {
    updateItem.run(core, { ...next, id: input.id, updated_at: isoInstant(core.clock.now()), pc_id: core.pcId });
    appendAudit(core, actor, { action: 'update', entity: 'supply_item', entityId: input.id, ...changes });
  }
  return getSupplyItem(core, input.id);
}

/** The one mapper from a stock_locations row (with its device's tag and name) to a StockLocationHead. */
function toHead(core: Core, r: HeadRow, paths: Map<string, string>): StockLocationHead {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    locationId: r.location_id,
    // A retired stock location may sit in a ward no longer in use: still named by its path.
    locationPath: paths.get(r.location_id) ?? locationPathOfAny(core, r.location_id) ?? '',
    equipment: r.equipment_id ? { id: r.equipment_id, assetTag: r.asset_tag ?? '', name: r.equipment_name ?? '' } : null,
    active: r.active === 1,
  };
}

/** Every stock location (active first), by place and name. */
export function listStockLocationHeads(core: Core): StockLocationHead[] {
  const paths = locationPathMap(core);
  return allHeads
    .all(core)
    .map((r) => toHead(core, r, paths))
    .sort((a, b) => Number(b.active) - Number(a.active) || a.locationPath.localeCompare(b.locationPath) || a.name.localeCompare(b.name));
}

export function stockLocationHead(core: Core, id: string, options: { field?: string; active?: boolean } = {}): StockLocationHead {
  const row = headById.get(core, { id });
  const field = options.field ?? 'stockLocationId';
  if (!row) throw new AppError('not_found', 'That stock location does not exist.', { field });
  if (options.active && row.active !== 1) {
    throw new AppError('conflict', `${row.name} is no longer in use; reactivate it first.`, { field });
  }
  return toHead(core, row, locationPathMap(core));
}

function checkPlace(core: Core, input: StockLocationFieldsValue, exceptId: string | null, active = true): void {
  if (!activeLocation.get(core, { id: input.locationId })) {
    // A retired stock location whose ward has gone since: say so, not "choose from the list" beside a ward the list no longer has.
    const gone = locationPathOfAny(core, input.locationId);
    if (gone) throw new AppError('conflict', `${gone} is no longer in use: choose where ${input.name} is now.`, { field: 'locationId' });
    throw new AppError('not_found', 'Choose a location from the list.', { field: 'locationId' });
  }
  if (input.equipmentId !== null && !equipment.get(core, { id: input.equipmentId })) {
    throw new AppError('not_found', 'That device does not exist.', { field: 'equipmentId' });
  }
  if (!active) return;
  const key = nameKey(input.name);
  const clash = othersThere.all(core, { locationId: input.locationId, exceptId }).find((r) => nameKey(r.name) === key);
  if (clash) throw new AppError('conflict', `There is already a stock location called "${clash.name}" there.`, { field: 'name' });
}

export function createStockLocation(core: WriteCore, actor: Actor, input: StockLocationFieldsValue): StockLocationHead {
  checkPlace(core, input, null);
  const now = isoInstant(core.clock.now());
  const row = { id: uuidv7(), name: input.name, kind: input.kind, location_id: input.locationId, equipment_id: input.equipmentId };
  insertStockLocation.run(core, { ...row, created_at: now, updated_at: now, pc_id: core.pcId });
  appendAudit(core, actor, { action: 'create', entity: 'stock_location', entityId: row.id, new: row });
  return stockLocationHead(core, row.id, { field: 'id' });
}

function stockLocationChangedMeanwhile(
  core: Core,
  before: StockLocationRow,
  expected: StockLocationExpectedValue,
): Meanwhile<keyof StockLocationExpectedValue> {
  const m = meanwhileOf<keyof StockLocationExpectedValue>();
  if (before.name !== expected.name) m.changed('name', `now called "${before.name}"`);
  if (before.kind !== expected.kind) m.changed('kind', `its kind now "${STOCK_LOCATION_KIND_LABELS[before.kind]}"`);
  if (before.location_id !== expected.locationId)
    m.changed('locationId', `now at ${locationPathOfAny(core, before.location_id) ?? 'another location'}`);
  if (before.equipment_id !== expected.equipmentId) {
    const device = headById.get(core, { id: before.id });
    m.changed(
      'equipmentId',
      before.equipment_id ? `now the consumables of ${device?.asset_tag ?? 'another device'}` : 'now kept for no device',
    );
  }
  if ((before.active === 1) !== expected.active) m.changed('active', before.active === 1 ? 'back in use now' : 'no longer in use now');
  return m.result();
}

/**
 * Renames, moves, re-kinds or (de)activates a stock location; its stock and history stay. With
 * `expected` (as the dialog or page showed it), a change someone else made since is refused in
 * words, never undone unseen: "No longer in use" sends the name and place it showed.
 */
export function updateStockLocation(
  core: WriteCore,
  actor: Actor,
  input: StockLocationUpdateValue & { expected?: StockLocationExpectedValue | undefined },
): StockLocationHead {
  const before = stockLocationRowById.get(core, { id: input.id });
  if (!before) throw new AppError('not_found', 'That stock location does not exist.', { field: 'id' });
  const meanwhile = input.expected ? stockLocationChangedMeanwhile(core, before, input.expected) : null;
  if (meanwhile) throw changedBySomeoneElse(input.expected!.name, meanwhile);
  const active = input.active === undefined ? before.active : input.active ? 1 : 0;
  checkPlace(core, input, input.id, active === 1);
  const next: StockLocationColumns = { name: input.name, kind: input.kind, location_id: input.locationId, equipment_id: input.equipmentId, active };
  const changes = changedColumns(before, next);
  if (changes) {
    updateStockLocationRow.run(core, { ...next, id: input.id, updated_at: isoInstant(core.clock.now()), pc_id: core.pcId });
    appendAudit(core, actor, { action: 'update', entity: 'stock_location', entityId: input.id, ...changes });
  }
  return stockLocationHead(core, input.id, { field: 'id' });
}

/** Who made the newest audit entry of a kind about a row, and when, in words ("Ada Admin … at 04/12/2026 13:40"); null when none is held. */
function byWhomAndWhen(core: Core, row: { actor_name: string; at: string } | undefined): { who: string; when: string } | null {
  return row ? { who: row.actor_name, when: formatDateTime(row.at, getSettings(core).dateFormat) } : null;
}

/**
 * An item someone else put on a stock location's list since the "Keep another item here" form read
 * the page (another window; another PC, through the hub): refused beside the item, naming the
 * levels it has now, who added it and when (when this PC holds that audit entry).
 */
function alreadyKept(core: Core, place: StockLocationHead, item: SupplyItem, now: { par: number; minimum: number }): AppError {
  const added = byWhomAndWhen(core, levelAudit.get(core, { entityId: `${place.id}/${item.id}`, action: 'create' }));
  return new AppError(
    'conflict',
    `${item.name} is already kept at ${place.name}: ${added ? `${added.who} added it at ${added.when}` : 'someone else added it since this page was read'}, ` +
      `with par ${now.par}, minimum ${now.minimum}. Change them with its Levels… if they should be otherwise.`,
    { field: 'itemId' },
  );
}

/**
 * Levels saved for an item taken off the stock location's list since the dialog opened (and perhaps
 * no longer used at all): said once, with who did it and when, under `expected` (what the dialog
 * opened with is gone): the dialog then only closes.
 */
function noLongerKept(core: Core, place: StockLocationHead, item: SupplyItem): AppError {
  if (!item.active) {
    const stopped = byWhomAndWhen(core, stoppedUsing.get(core, { id: item.id }));
    return new AppError(
      'not_found',
      `${item.name} is no longer used${stopped ? `: ${stopped.who} stopped using it at ${stopped.when}` : ''}, and no longer kept at ${place.name}, ` +
        'so it has no levels to save here. Close this; it can be put back in use under Supply items if it is needed.',
      { field: 'expected' },
    );
  }
  const removed = byWhomAndWhen(core, levelAudit.get(core, { entityId: `${place.id}/${item.id}`, action: 'delete' }));
  return new AppError(
    'not_found',
    `${item.name} is no longer kept at ${place.name}${removed ? `: ${removed.who} took it off the list at ${removed.when}` : ''}, ` +
      'so it has no levels to save. Close this; keep it here again below the list if it is needed.',
    { field: 'expected' },
  );
}

/**
 * Keeps an item at a stock location with a par level and a minimum, or changes them. On hand is
 * not set here: it is the sum of the item's stock transactions there. With `expected` (the levels as
 * the dialog opened), levels someone else changed since are refused in words, never put back unseen.
 */
export function setStockLevel(
  core: WriteCore,
  actor: Actor,
  input: StockLevelFieldsValue & { expected?: StockLevelExpectedValue | null | undefined },
): { stockLocationId: string; itemId: string } {
  const place = stockLocationHead(core, input.stockLocationId, { active: true });
  const item = getSupplyItem(core, input.itemId, 'itemId');
  const key: LevelKey = { stock_location_id: place.id, item_id: item.id };
  const before = levelOf.get(core, key);
  // Added here by someone else since the "Keep another item here" form read the page: never set over.
  if (input.expected === null && before) throw alreadyKept(core, place, item, before);
  // Taken off the list (or no longer used) since the dialog opened: nothing is left to save levels on.
  if (input.expected && !before) throw noLongerKept(core, place, item);
  if (!item.active) throw new AppError('conflict', `${item.name} is no longer in use; reactivate it first.`, { field: 'itemId' });
  if (input.expected && before && (before.par !== input.expected.par || before.minimum !== input.expected.minimum)) {
    throw new AppError(
      'conflict',
      `The levels of ${item.name} at ${place.name} were changed by someone else since you opened this (now par ${before.par}, minimum ${before.minimum}): check them, and save again if you still mean to.`,
      { field: before.par !== input.expected.par ? 'expected.par' : 'expected.minimum' },
    );
  }
  if (input.minimum > input.par) {
    throw new AppError('invalid_input', `The minimum (${input.minimum}) must not be more than the par level (${input.par}).`, { field: 'minimum' });
  }
  const now = isoInstant(core.clock.now());
  const entityId = `${place.id}/${item.id}`;
  if (before) {
    if (before.par === input.par && before.minimum === input.minimum) return { stockLocationId: place.id, itemId: item.id };
    setLevel.run(core, { ...key, par: input.par, minimum: input.minimum, updated_at: now, pc_id: core.pcId });
    appendAudit(core, actor, { action: 'update', entity: 'stock_level', entityId, old: before, new: { par: input.par, minimum: input.minimum } });
  } else {
    // An item taken off the list and put back: its on-hand figure is still what its transactions make it (on-hand.ts).
    insertLevel.run(core, { ...key, par: input.par, minimum: input.minimum, on_hand: 0, created_at: now, updated_at: now, pc_id: core.pcId });
    const onHand = recomputeItemStock(core, key.stock_location_id, key.item_id).stock.onHand;
    appendAudit(core, actor, { action: 'create', entity: 'stock_level', entityId, new: { par: input.par, minimum: input.minimum, on_hand: onHand } });
  }
  return { stockLocationId: place.id, itemId: item.id };
}

/** Takes an item off a stock location's list: only when none of it is on record there. */
export function removeStockLevel(core: WriteCore, actor: Actor, input: { stockLocationId: string; itemId: string }): { stockLocationId: string; itemId: string } {
  const place = stockLocationHead(core, input.stockLocationId);
  const key: LevelKey = { stock_location_id: place.id, item_id: input.itemId };
  const row = levelWithItem.get(core, key);
  if (!row) throw new AppError('not_found', `That item is not kept at ${place.name}.`, { field: 'itemId' });
  if (row.on_hand !== 0) {
    throw new AppError(
      'conflict',
      `${row.on_hand} ${row.unit} of ${row.name} are still on record at ${place.name}; use, discard or adjust them to 0 before taking it off the list.`,
      { field: 'itemId' },
    );
  }
  removeLevel.run(core, key);
  appendAudit(core, actor, { action: 'delete', entity: 'stock_level', entityId: `${place.id}/${input.itemId}`, old: { par: row.par, minimum: row.minimum } });
  return { stockLocationId: place.id, itemId: input.itemId };
}
