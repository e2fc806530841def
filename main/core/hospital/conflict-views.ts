import type { ClashItem, ConflictItem, ConflictSide } from '../../../shared/contract/sync';
import type { EquipmentStatus } from '../../../shared/domain/equipment';
import { STATUS_LABELS } from '../../../shared/domain/equipment';
import { PLAN_MODE_LABELS } from '../../../shared/domain/plan';
import type { IntervalUnit } from '../../../shared/scheduling/interval';
import { describeInterval } from '../../../shared/scheduling/interval';
import { ROLE_LABELS } from '../../../shared/domain/user';
import type { Role } from '../../../shared/domain/common';
import { plural } from '../../../shared/labels';
import { chainLineage } from '../anchors/chain';
import type { Core } from '../context';
import { locationPathMap, locationPathOfAny } from '../locations/service';
import { query, scalar } from '../sql/query';
import type { ConflictView } from '../sync/conflicts';
import { conflictRoleOf, describeRow } from '../sync/conflicts';
import { parseHlc } from '../sync/hlc';
import type { Clash } from '../sync/keys';
import { listClashes } from '../sync/keys';
import { getState, isEnrolled } from '../sync/state';

/**
 * A conflict as a supervisor reads it: fields by their names, values in words (a location's path,
 * not its id; never a PIN's or password's hash), only the fields the two sides hold apart, who made
 * each change (from the audit trail of the PC that made it), and why the value in force stands.
 */

const categoryName = scalar<string, { id: string }>('SELECT name FROM categories WHERE id = @id');
const userName = scalar<string, { id: string }>('SELECT name FROM users WHERE id = @id');
const deviceName = scalar<string, { id: string }>("SELECT asset_tag || ' ' || name FROM equipment WHERE id = @id");
const stockPlaceName = scalar<string, { id: string }>('SELECT name FROM stock_locations WHERE id = @id');
const itemName = scalar<string, { id: string }>('SELECT name FROM supply_items WHERE id = @id');
const codeLabel = scalar<string, { id: string }>('SELECT label FROM repair_codes WHERE id = @id');
const recordDay = scalar<string, { id: string }>('SELECT performed_on FROM completions WHERE id = @id');
// Each side's clock names the history (the audit chain) that wrote it.
const stamps = query<{ winner_hlc: string; loser_hlc: string }, { id: string }>(
  'SELECT winner_hlc, loser_hlc FROM sync_conflicts WHERE id = @id',
);
// The entry the change left in that chain: one that wrote those fields of the same row, the nearest
// in time. The stamp is the hub-corrected time and an entry's time is its PC's clock: the offset
// (known for this PC's own chains) is added before comparing, and a later entry that changed other
// fields of the row (a note written after) is never taken for the author.
const author = query<{ actor_name: string }, { chain: string; entity: string; id: string; at: string; fields: string; offset_days: number }>(
  `SELECT actor_name FROM audit_log WHERE chain_id = @chain AND entity = @entity AND entity_id = @id
     AND EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(new_value) THEN new_value ELSE '{}' END) j WHERE j.key IN (SELECT value FROM json_each(@fields)))
   ORDER BY abs(julianday(at) + @offset_days - julianday(@at)) LIMIT 1`,
);
// When no entry names those fields (a PIN reset records no hash): the nearest entry of the row.
const anyAuthor = query<{ actor_name: string }, { chain: string; entity: string; id: string; at: string; offset_days: number }>(
  `SELECT actor_name FROM audit_log WHERE chain_id = @chain AND entity = @entity AND entity_id = @id
   ORDER BY abs(julianday(at) + @offset_days - julianday(@at)) LIMIT 1`,
);
const userRow = query<{ name: string; role: Role; active: number; home_location_id: string | null }, { id: string }>(
  'SELECT name, role, active, home_location_id FROM users WHERE id = @id',
);
const deviceRow = query<{ asset_tag: string; name: string; location_id: string; status: EquipmentStatus }, { id: string }>(
  'SELECT asset_tag, name, location_id, status FROM equipment WHERE id = @id',
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
  manual_overrides: 'failed tests set aside',
  asset_tag: 'asset tag',
  serial: 'serial number',
  pin_hash: 'PIN',
  password_hash: 'password',
  must_set_pin: 'must choose a new PIN',
  equipment_id: 'device',
  stock_location_id: 'stock location',
  item_id: 'supply item',
  template_id: 'default plan',
  failure_code_id: 'failure code',
  cause_code_id: 'cause code',
  repair_completion_id: 'repair record',
  opened_by_completion_id: 'record that opened it',
  reported_location_id: 'ward reported from',
  cost_cents: 'cost',
  labour_minutes: 'labour',
  default_risk: 'default risk',
  reference_standard: 'reference standard',
  fail_tags_out: 'a fail tags the device out',
  overdue_blocks_use: 'overdue blocks use',
  fail_opens_work_order: 'a fail opens a work order',
  took_out_of_service: 'took it out of service',
  value: 'value',
  schedule: 'schedule',
};

/** A plan's (or default plan's) timing: one rule, said as one ("every 6 months (floating), from …"). */
const SCHEDULE = ['interval_n', 'interval_unit', 'mode', 'start_date', 'window_days', 'grace_days'];
const SCHEDULED = new Set(['plans', 'category_plan_templates']);
/** Yes-or-no fields (0 or 1 in the row). */
const YES_NO = new Set(['reference_standard', 'fail_tags_out', 'overdue_blocks_use', 'fail_opens_work_order', 'builtin', 'took_out_of_service']);
/** A setting kept in seconds that the Settings screen shows in minutes. */
const IN_MINUTES = new Set(['idleTimeoutSeconds']);

/** The audit entries' names for what a conflict's fields hold (a status decision is audited as the status it sets). */
const AUDITED_AS: Record<string, string[]> = { manual_status: ['status'], manual_status_reason: ['status_reason'] };

/** Secrets: their values are never shown, only that one was set. */
const SECRET = new Set(['pin_hash', 'password_hash']);

export function fieldName(field: string): string {
  return FIELD_NAMES[field] ?? field.replace(/_id$/, '').replace(/_/g, ' ');
}

function valueText(core: Core, paths: Map<string, string>, field: string, value: unknown): string {
  if (field === 'manual_overrides') {
    const list = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
    const n = Array.isArray(list) ? list.length : 0;
    return n === 0 ? 'none' : plural(n, 'failed test');
  }
  if (field === 'must_set_pin' || YES_NO.has(field)) return value === 1 || value === true ? 'yes' : 'no';
  if (value === null || value === undefined || value === '') return '(none)';
  const text = String(value);
  if (field === 'location_id' || field === 'home_location_id' || field === 'parent_id' || field === 'reported_location_id') {
    const gone = locationPathOfAny(core, text);
    return paths.get(text) ?? (gone ? `${gone} (no longer in use)` : 'a location no longer here');
  }
  if (field === 'category_id') return categoryName.get(core, { id: text }) ?? 'a category';
  if (field.endsWith('user_id')) return userName.get(core, { id: text }) ?? 'a user';
  if (field === 'equipment_id') return deviceName.get(core, { id: text }) ?? 'a device';
  if (field === 'stock_location_id') return stockPlaceName.get(core, { id: text }) ?? 'a stock location';
  if (field === 'item_id') return itemName.get(core, { id: text }) ?? 'a supply item';
  if (field === 'failure_code_id' || field === 'cause_code_id') return codeLabel.get(core, { id: text }) ?? 'a code';
  if (field.endsWith('completion_id')) {
    const day = recordDay.get(core, { id: text });
    return day ? `the record of ${day}` : 'a record';
  }
  if (field === 'template_id') return 'a default plan of its category';
  if (field === 'cost_cents') return (Number(value) / 100).toFixed(2);
  if (field === 'labour_minutes') return plural(Number(value), 'minute');
  if (field === 'risk' || field === 'default_risk' || field === 'ownership' || field === 'kind' || field === 'mode')
    return (text.charAt(0).toUpperCase() + text.slice(1)).replace(/_/g, ' ');
  if (field === 'status' || field === 'manual_status') return STATUS_LABELS[text as EquipmentStatus] ?? text;
  if (field === 'active') return value === 1 || value === true ? 'active' : 'inactive';
  if (field === 'role') return ROLE_LABELS[text as Role] ?? text;
  return text;
}

/** A PIN or password in words: that one was set, and by whom, never its hash. */
function secretText(field: string, value: unknown, temporary: boolean, who: string | null): string {
  const by = who ? ` (set by ${who})` : '';
  if (value === null || value === undefined || value === '') return field === 'pin_hash' ? 'no PIN' : 'no password';
  if (field === 'password_hash') return `a new password${by}`;
  return temporary ? `a new temporary PIN${by}` : `a PIN the user chose${who ? ` (${who})` : ''}`;
}

/** The fields the two sides hold apart (all of them when none differ), without the lookup keys. */
function differing(c: ConflictView): string[] {
  const all = Object.keys({ ...c.winner.value, ...c.loser.value }).filter((f) => !f.endsWith('_key'));
  const apart = all.filter((f) => JSON.stringify(c.winner.value[f] ?? null) !== JSON.stringify(c.loser.value[f] ?? null));
  return apart.length > 0 ? apart : all;
}

/** The fields to say of what is in force now: those the sides hold apart, and any the later edit changed. */
function changedFields(c: ConflictView, now: Record<string, unknown>, fields: readonly string[]): string[] {
  const changed = Object.keys(now).filter(
    (f) => !f.endsWith('_key') && JSON.stringify(now[f] ?? null) !== JSON.stringify(c.winner.value[f] ?? null),
  );
  const shown = Object.keys(now).filter((f) => fields.includes(f) || changed.includes(f));
  return shown.length > 0 ? shown : [...fields];
}

function ownChains(core: Core): Set<string> {
  return new Set(chainLineage(core.db));
}

/** "Every 6 months (floating), from 2027-01-01; window 7 days, grace 14 days" (the day is shown in the Settings format). */
function scheduleText(value: Record<string, unknown>): string {
  const every = describeInterval({ n: Number(value.interval_n), unit: value.interval_unit as IntervalUnit });
  const mode = (PLAN_MODE_LABELS as Partial<Record<string, string>>)[String(value.mode)]?.toLowerCase() ?? String(value.mode);
  const days = (n: unknown) => (n === null || n === undefined ? 'the default' : plural(Number(n), 'day'));
  const from = typeof value.start_date === 'string' ? `, from ${value.start_date}` : '';
  return `${every.charAt(0).toUpperCase()}${every.slice(1)} (${mode})${from}; window ${days(value.window_days)}, grace ${days(value.grace_days)}`;
}

/** A setting's value as the Settings screen shows it (stored as JSON; the idle lock in seconds, shown in minutes). */
function settingText(key: string, stored: unknown): string {
  let value: unknown = stored;
  try {
    value = typeof stored === 'string' ? (JSON.parse(stored) as unknown) : stored;
  } catch {
    // Not JSON: shown as it is.
  }
  if (value === null || value === undefined || value === '') return '(none)';
  if (IN_MINUTES.has(key) && typeof value === 'number') return plural(Math.round(value / 60), 'minute');
  return typeof value === 'object' ? 'another value' : String(value);
}

/** The fields as said: a plan's timing fields as its one schedule. */
function spoken(table: string, fields: readonly string[]): string[] {
  if (!SCHEDULED.has(table) || !fields.some((f) => SCHEDULE.includes(f))) return [...fields];
  const at = fields.findIndex((f) => SCHEDULE.includes(f));
  const rest = fields.filter((f) => !SCHEDULE.includes(f));
  return [...rest.slice(0, at), 'schedule', ...rest.slice(at)];
}

/** A side's fields in words: one field's value alone, several as "status: Retired; reason for the status: …". */
function valuesText(
  core: Core,
  paths: Map<string, string>,
  c: Pick<ConflictView, 'table' | 'key'>,
  value: Record<string, unknown>,
  fields: readonly string[],
  who: string | null,
): string {
  const temporary = value.must_set_pin === 1 || value.must_set_pin === true;
  const words = (f: string) =>
    SECRET.has(f)
      ? secretText(f, value[f], temporary, who)
      : f === 'schedule'
        ? scheduleText(value)
        : c.table === 'settings' && f === 'value'
          ? settingText(String(c.key[0]), value[f])
          : valueText(core, paths, f, value[f]);
  // "Must choose a new PIN" is said by "a new temporary PIN" when the PIN itself is shown.
  const shown = spoken(c.table, fields.some((f) => SECRET.has(f)) ? fields.filter((f) => f !== 'must_set_pin') : fields);
  return shown.length === 1 ? words(shown[0]!) : shown.map((f) => `${fieldName(f)}: ${words(f)}`).join('; ');
}

function side(
  core: Core,
  paths: Map<string, string>,
  c: ConflictView,
  s: ConflictView['winner'],
  stamp: string | undefined,
  fields: readonly string[],
  own: Set<string>,
): ConflictSide {
  const entity = ENTITY[c.table];
  const chain = stamp ? parseHlc(stamp).node : null;
  const offsetMs = chain && own.has(chain) ? Number(getState(core, 'clock_offset_ms') ?? 0) : 0;
  const audited = fields.flatMap((f) => [f, ...(AUDITED_AS[f] ?? [])]);
  const at = { chain: chain ?? '', entity: entity ?? '', id: String(c.key[0]), at: s.at, offset_days: offsetMs / 86_400_000 };
  const who = entity && chain ? ((author.get(core, { ...at, fields: JSON.stringify(audited) }) ?? anyAuthor.get(core, at))?.actor_name ?? null) : null;
  // The hub names each side by the PC's name.
  return {
    text: valuesText(core, paths, c, s.value, fields, who),
    who,
    pc: s.pc === getState(core, 'pc_name') ? `this PC (${s.pc})` : s.pc,
    at: s.at,
  };
}

/** Why the value in force stands, in words. */
function why(c: ConflictView, winnerHlc: string | undefined, paths: Map<string, string>): string {
  const byHub = c.winner.pc === 'hub' || (winnerHlc !== undefined && parseHlc(winnerHlc).node === 'hub');
  if (c.table === 'locations' && c.fields.includes('parent_id') && byHub) {
    const where = paths.get(String(c.key[0])) ?? c.row;
    return `The hub kept ${where} where it was: this move would have put it inside itself.`;
  }
  return c.rule === 'restrictive' ? 'The more restrictive status stands on every PC.' : 'The later change stands on every PC.';
}

/** A decision of a conflict in words, from the resolution fields a PC wrote: "kept …" or "used the other value, …". */
function decisionText(value: Record<string, unknown>, decided: ConflictItem): string {
  if (value.resolution === 'used_other') return `Used the other value, ${decided.loser.text}`;
  if (value.resolution === 'kept') return `Kept ${decided.changedSince ?? decided.winner.text}`;
  return 'Left open';
}

/**
 * Two decisions of one conflict, made on two PCs apart (Keep on one, Use the other on another, or
 * both at once): the hub records the later, and a person reads both, who made each, and what the
 * row holds now, which is what stands whatever the record says. Only Keep (looked at) is offered.
 */
function twoDecisions(core: Core, c: ConflictView, about: NonNullable<ConflictView['about']>, paths: Map<string, string>): ConflictItem {
  const decided = toConflictItems(core, [{ ...about.conflict, changedSince: null }])[0]!;
  const fields = differing(about.conflict);
  const now = about.now ? valuesText(core, paths, about.conflict, about.now, fields, null) : null;
  const sideOf = (s: ConflictView['winner']) => ({
    text: decisionText(s.value, decided),
    who: typeof s.value.resolved_by === 'string' ? s.value.resolved_by : null,
    pc: s.pc === getState(core, 'pc_name') ? `this PC (${s.pc})` : s.pc,
    at: typeof s.value.resolved_at === 'string' ? s.value.resolved_at : s.at,
  });
  return {
    id: c.id,
    table: c.table,
    row: `${c.row} (${decided.fields.join(', ')})`,
    equipmentId: decided.equipmentId,
    fields: ['decision'],
    winner: sideOf(c.winner),
    loser: sideOf(c.loser),
    changedSince: null,
    rule: 'latest',
    why: `Two people decided it on two PCs while apart; the later decision is the one recorded.${now ? ` What stands now: ${now}.` : ''}`,
    resolveRole: conflictRoleOf(c),
    twoDecisions: true,
    detectedAt: c.detectedAt,
    resolvedAt: c.resolvedAt,
    resolvedBy: c.resolvedBy,
    resolution: c.resolution,
  };
}

export function toConflictItems(core: Core, views: readonly ConflictView[]): ConflictItem[] {
  const paths = locationPathMap(core);
  const own = ownChains(core);
  return views.map((c) => {
    if (c.about) return twoDecisions(core, c, c.about, paths);
    const hlc = stamps.get(core, { id: c.id });
    const fields = differing(c);
    const shown = spoken(c.table, fields.some((f) => SECRET.has(f)) ? fields.filter((f) => f !== 'must_set_pin') : fields);
    return {
      id: c.id,
      table: c.table,
      row: c.row,
      equipmentId: c.table === 'equipment' ? String(c.key[0]) : null,
      fields: shown.map(fieldName),
      winner: side(core, paths, c, c.winner, hlc?.winner_hlc, fields, own),
      loser: side(core, paths, c, c.loser, hlc?.loser_hlc, fields, own),
      changedSince: c.changedSince ? valuesText(core, paths, c, c.changedSince, changedFields(c, c.changedSince, fields), null) : null,
      rule: c.rule,
      why: why(c, hlc?.winner_hlc, paths),
      resolveRole: conflictRoleOf(c),
      twoDecisions: false,
      detectedAt: c.detectedAt,
      resolvedAt: c.resolvedAt,
      resolvedBy: c.resolvedBy,
      resolution: c.resolution,
    };
  });
}

const AS_LABEL: Record<string, string> = { ward_staff: 'ward staff', technician: 'technician', supervisor: 'supervisor', admin: 'administrator' };

function clashRow(core: Core, paths: Map<string, string>, table: string, id: string, apart: string | null): ClashItem['rows'][number] {
  // Names that print alike look the same in any list: what this one holds that the others do not tells them apart.
  const row = clashRowText(core, paths, table, id);
  return apart ? { ...row, text: `${row.text}: ${apart}` } : row;
}

function clashRowText(core: Core, paths: Map<string, string>, table: string, id: string): ClashItem['rows'][number] {
  if (table === 'equipment') {
    const d = deviceRow.get(core, { id });
    const text = d ? `${d.asset_tag} ${d.name}, ${paths.get(d.location_id) ?? 'a location no longer in use'}` : describeRow(core, table, [id]);
    return { id, text, equipmentId: id, userId: null };
  }
  if (table === 'users') {
    const u = userRow.get(core, { id });
    const home = u?.home_location_id ? `, ${paths.get(u.home_location_id) ?? 'a ward no longer in use'}` : '';
    const text = u ? `${u.name} (${AS_LABEL[u.role] ?? u.role}${home})` : describeRow(core, table, [id]);
    return { id, text, equipmentId: null, userId: id };
  }
  return { id, text: describeRow(core, table, [id]), equipmentId: null, userId: null };
}

/**
 * The clashes over one device's tag: its tag on another device in use, or tags printing like it (the
 * device's page). Only two PCs of a hub apart make them (each PC refuses both on its own), so a PC
 * not in a hub says none, as its sync line does, without the scan of every table listClashes is
 * (59 ms at 50,000 devices after each write); in a hub the sync line keeps it read.
 */
export function tagClashesOf(core: Core, equipmentId: string): ClashItem[] {
  if (!isEnrolled(core)) return [];
  return clashItems(
    core,
    listClashes(core).filter((k) => k.table === 'equipment' && k.ids.includes(equipmentId)),
  );
}

/** Names two PCs gave two rows in use at once, each row in words (a device's tag, name and place; a user's role and ward). */
export function clashItems(core: Core, clashes: readonly Clash[] = listClashes(core)): ClashItem[] {
  const paths = locationPathMap(core);
  return clashes.map((k) => ({
    label: k.label,
    name: k.name,
    rows: k.ids.map((id, i) => clashRow(core, paths, k.table, id, k.apart?.[i] ?? null)),
    ...(k.alike && k.why ? { alike: { names: k.alike, why: k.why } } : {}),
  }));
}
