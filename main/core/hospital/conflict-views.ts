import type { ConflictItem, ConflictSide } from '../../../shared/contract/sync';
import type { EquipmentStatus } from '../../../shared/domain/equipment';
import { STATUS_LABELS } from '../../../shared/domain/equipment';
import type { Core } from '../context';
import { locationPathMap } from '../locations/service';
import { query, scalar } from '../sql/query';
import type { ConflictView } from '../sync/conflicts';
import { parseHlc } from '../sync/hlc';
import { getState } from '../sync/state';

/**
 * A conflict as a supervisor reads it: fields by their names, values in words (a location's path,
 * not its id), and who made each change, from the audit trail of the PC that made it.
 */

const categoryName = scalar<string, { id: string }>('SELECT name FROM categories WHERE id = @id');
const userName = scalar<string, { id: string }>('SELECT name FROM users WHERE id = @id');
// Each side's clock names the history (the audit chain) that wrote it.
const stamps = query<{ winner_hlc: string; loser_hlc: string }, { id: string }>(
  'SELECT winner_hlc, loser_hlc FROM sync_conflicts WHERE id = @id',
);
// The entry the change left in that chain: the same row, the nearest time.
const author = query<{ actor_name: string }, { chain: string; entity: string; id: string; at: string }>(
  `SELECT actor_name FROM audit_log WHERE chain_id = @chain AND entity = @entity AND entity_id = @id
   ORDER BY abs(julianday(at) - julianday(@at)) LIMIT 1`,
);

const ENTITY: Record<string, string> = {
  equipment: 'equipment',
  users: 'user',
  locations: 'location',
  categories: 'category',
  plans: 'plan',
};

const FIELD_NAMES: Record<string, string> = {
  location_id: 'location',
  category_id: 'category',
  home_location_id: 'home ward',
  parent_id: 'parent location',
  manual_status: 'status',
  manual_status_reason: 'reason for the status',
  asset_tag: 'asset tag',
  serial: 'serial number',
};

export function fieldName(field: string): string {
  return FIELD_NAMES[field] ?? field.replace(/_id$/, '').replace(/_/g, ' ');
}

function valueText(core: Core, paths: Map<string, string>, field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '(none)';
  const text = String(value);
  if (field === 'location_id' || field === 'home_location_id' || field === 'parent_id')
    return paths.get(text) ?? 'a location no longer in use';
  if (field === 'category_id') return categoryName.get(core, { id: text }) ?? 'a category';
  if (field.endsWith('user_id')) return userName.get(core, { id: text }) ?? 'a user';
  if (field === 'status' || field === 'manual_status') return STATUS_LABELS[text as EquipmentStatus] ?? text;
  if (field === 'active') return value === 1 || value === true ? 'active' : 'inactive';
  return text;
}

function side(core: Core, paths: Map<string, string>, c: ConflictView, s: ConflictView['winner'], stamp: string | undefined): ConflictSide {
  const entries = Object.entries(s.value).filter(([f]) => !f.endsWith('_key'));
  const text =
    entries.length === 1
      ? valueText(core, paths, entries[0]![0], entries[0]![1])
      : entries.map(([f, v]) => `${fieldName(f)}: ${valueText(core, paths, f, v)}`).join('; ');
  const entity = ENTITY[c.table];
  const chain = stamp ? parseHlc(stamp).node : null;
  const who = entity && chain ? (author.get(core, { chain, entity, id: String(c.key[0]), at: s.at })?.actor_name ?? null) : null;
  // The hub names each side by the PC's name.
  return {
    text,
    who,
    pc: s.pc === getState(core, 'pc_name') ? `this PC (${s.pc})` : s.pc,
    at: s.at,
  };
}

export function toConflictItems(core: Core, views: readonly ConflictView[]): ConflictItem[] {
  const paths = locationPathMap(core);
  return views.map((c) => {
    const hlc = stamps.get(core, { id: c.id });
    return {
      id: c.id,
      table: c.table,
      row: c.row,
      equipmentId: c.table === 'equipment' ? String(c.key[0]) : null,
      fields: c.fields.map(fieldName),
      winner: side(core, paths, c, c.winner, hlc?.winner_hlc),
      loser: side(core, paths, c, c.loser, hlc?.loser_hlc),
      rule: c.rule,
      detectedAt: c.detectedAt,
      resolvedAt: c.resolvedAt,
      resolvedBy: c.resolvedBy,
      resolution: c.resolution,
    };
  });
}
