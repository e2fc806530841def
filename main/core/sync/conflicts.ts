import type { Role } from '../../../shared/domain/common';
import { ROLES } from '../../../shared/domain/common';
import type { EquipmentStatus } from '../../../shared/domain/equipment';
import { roleAllows, roleRefusal } from '../../../shared/contract/access';
import { SETTING_LABELS } from '../../../shared/contract/settings';
import { workOrderRef } from '../../../shared/domain/work-order';
import { appendAudit } from '../audit';
import { isoInstant } from '../clock';
import type { Actor, Core, WriteCore } from '../context';
import { AppError } from '../errors';
import { deactivateLocation, locationPathOfAny } from '../locations/service';
import { deactivatePlan, reactivatePlan } from '../plans/service';
import { openWorkOrderOf } from '../repairs/store';
import { assertRightsChange, userRowById } from '../users/service';
import { changeServiceStatus } from '../status/history';
import { builtCommand, builtQuery, command, query } from '../sql/query';
import type { SyncConflictRow } from '../sql/rows';
import { recomputeDerived, Affected } from './derived';
import { hlcTime } from './hlc';
import { fold } from './keys';
import { syncTable } from './tables';

/**
 * The conflict log, for a supervisor (issue 20's screen builds on this): each field (or group of
 * fields) two PCs changed without knowing of each other, both values, who and when, which won and
 * by which rule. "Keep" marks it looked at; "use the other" writes the losing value back as a new
 * edit like any other (captured, synced, audited). Either way the resolution syncs to every PC.
 */

export interface ConflictView {
  id: string;
  table: string;
  /** The row's key values. */
  key: unknown[];
  /** What the row is, for people: an asset tag and name, a user's name… */
  row: string;
  fields: string[];
  winner: { value: Record<string, unknown>; pc: string; at: string };
  loser: { value: Record<string, unknown>; pc: string; at: string };
  rule: 'latest' | 'restrictive';
  detectedAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: 'kept' | 'used_other' | null;
  /**
   * An open conflict whose row holds other values now than the winner's (changed again since, by a
   * later edit): those values. Null while the winner stands, and once resolved.
   */
  changedSince: Record<string, unknown> | null;
  /**
   * A conflict of two decisions (`table` is sync_conflicts: two PCs decided one conflict apart, and
   * the hub kept the later decision): the conflict they decided, and its fields as the row holds
   * them now. Null for any other conflict.
   */
  about: { conflict: ConflictView; now: Record<string, unknown> | null } | null;
}

type ConflictRow = SyncConflictRow;

const describe = {
  equipment: query<{ d: string }, { id: unknown }>("SELECT asset_tag || ' ' || name AS d FROM equipment WHERE id = @id"),
  users: query<{ d: string }, { id: unknown }>('SELECT name AS d FROM users WHERE id = @id'),
  // A place by its path, in use or not ("General Hospital > Ward 4B > Bay 2": "Bay 2" alone does not say
  // which ward's); bounded, as a tree written outside Wardkeep may loop.
  locations: query<{ d: string }, { id: unknown }>(
    `WITH RECURSIVE up(id, parent_id, name, depth) AS (
       SELECT id, parent_id, name, 0 FROM locations WHERE id = @id
       UNION ALL SELECT l.id, l.parent_id, l.name, up.depth + 1 FROM locations l JOIN up ON l.id = up.parent_id WHERE up.depth < 64)
     SELECT group_concat(name, ' > ') AS d FROM (SELECT name FROM up ORDER BY depth DESC) HAVING count(*) > 0`,
  ),
  categories: query<{ d: string }, { id: unknown }>('SELECT name AS d FROM categories WHERE id = @id'),
  // A plan by its task's label, as the plans screens name it ("Electrical safety test of IP-0042"), not its code.
  plans: query<{ d: string }, { id: unknown }>(
    "SELECT coalesce(t.label, p.task) || ' of ' || coalesce(e.asset_tag, s.name) AS d FROM plans p LEFT JOIN task_types t ON t.code = p.task LEFT JOIN equipment e ON e.id = p.equipment_id LEFT JOIN stock_locations s ON s.id = p.stock_location_id WHERE p.id = @id",
  ),
  category_plan_templates: query<{ d: string }, { id: unknown }>(
    "SELECT 'The default ' || coalesce(t.label, p.task) || ' plan of ' || c.name AS d FROM category_plan_templates p LEFT JOIN task_types t ON t.code = p.task JOIN categories c ON c.id = p.category_id WHERE p.id = @id",
  ),
  task_types: query<{ d: string }, { id: unknown }>("SELECT 'The task ' || label AS d FROM task_types WHERE code = @id"),
  supply_items: query<{ d: string }, { id: unknown }>("SELECT name || ' (' || code || ')' AS d FROM supply_items WHERE id = @id"),
  stock_locations: query<{ d: string }, { id: unknown }>('SELECT name AS d FROM stock_locations WHERE id = @id'),
  stock_lots: query<{ d: string }, { id: unknown }>(
    "SELECT 'Lot ' || l.lot || ' of ' || i.name || ' in ' || s.name AS d FROM stock_lots l JOIN supply_items i ON i.id = l.item_id JOIN stock_locations s ON s.id = l.stock_location_id WHERE l.id = @id",
  ),
  work_orders: query<{ d: string }, { id: unknown }>(
    "SELECT 'Work order WO-' || printf('%04d', w.number) || ' of ' || e.asset_tag AS d FROM work_orders w JOIN equipment e ON e.id = w.equipment_id WHERE w.id = @id",
  ),
  repair_codes: query<{ d: string }, { id: unknown }>("SELECT 'The ' || kind || ' code ' || label AS d FROM repair_codes WHERE id = @id"),
};
const NOUN: Record<keyof typeof describe, string> = {
  equipment: 'a device',
  users: 'a user',
  locations: 'a location',
  categories: 'a category',
  plans: 'a plan',
  work_orders: 'a work order',
  repair_codes: 'a repair code',
  category_plan_templates: 'a default plan of a category',
  task_types: 'a task',
  supply_items: 'a supply item',
  stock_locations: 'a stock location',
  stock_lots: 'a stock lot',
};
const placeName = query<{ d: string }, { id: unknown }>('SELECT name AS d FROM locations WHERE id = @id');
// A stock level's key is its stock location and its item.
const levelDescribed = query<{ d: string }, { place: unknown; item: unknown }>(
  "SELECT i.name || ' at ' || s.name AS d FROM supply_items i, stock_locations s WHERE i.id = @item AND s.id = @place",
);

/**
 * Who may decide a conflict of each table: whoever may change such a row elsewhere in the app
 * (users, settings and task types are the administrator's), so "Use the other" is never a way
 * round a role.
 */
const RESOLVED_BY: Readonly<Record<string, Role>> = { users: 'admin', settings: 'admin', task_types: 'admin' };

export function conflictRole(table: string): Role {
  return RESOLVED_BY[table] ?? 'supervisor';
}

/** Who may decide `c`: for two decisions of one conflict, whoever may decide that conflict. */
export function conflictRoleOf(c: Pick<ConflictView, 'table' | 'about'>): Role {
  return c.about ? conflictRoleOf(c.about.conflict) : conflictRole(c.table);
}

/**
 * What a row is, for people: a device's tag and name, a user's name, a place's path, a plan by its
 * task and device, a supply item by its name and code, a setting by its label on the Settings
 * screen; never a table's name or an id.
 */
export function describeRow(core: Pick<Core, 'db'>, tbl: string, key: unknown[]): string {
  if (tbl === 'settings') {
    const label = (SETTING_LABELS as Partial<Record<string, string>>)[String(key[0])];
    return label ? `The setting "${label}"` : 'A hospital-wide setting';
  }
  if (tbl === 'stock_levels') return levelDescribed.get(core, { place: key[0], item: key[1] })?.d ?? 'A stock level';
  if (tbl === 'sync_conflicts') {
    const inner = conflictById.get(core, { id: String(key[0]) });
    // "The conflict about the setting …", "… about IP-0042 Infusion pump".
    const what = inner ? describeRow(core, inner.tbl, JSON.parse(inner.pk) as unknown[]).replace(/^(The|A) /, (m) => m.toLowerCase()) : null;
    return what ? `The conflict about ${what}` : 'A conflict';
  }
  if (tbl in describe) {
    const t = tbl as keyof typeof describe;
    return describe[t].get(core, { id: key[0] })?.d ?? NOUN[t];
  }
  return `A row of ${tbl.replace(/_/g, ' ')}`;
}

const openConflicts = query<ConflictRow>(
  "SELECT * FROM sync_conflicts WHERE resolved_at IS NULL ORDER BY rule = 'restrictive' DESC, detected_at DESC, id",
);
const everyConflict = query<ConflictRow>(
  "SELECT * FROM sync_conflicts ORDER BY resolved_at IS NOT NULL, rule = 'restrictive' DESC, detected_at DESC, id",
);
// Bounded: a tree already wrong (written outside Wardkeep) cannot keep the walk going.
const inBranchOf = query<{ one: number }, { parent: string; id: string }>(
  `WITH RECURSIVE up(id, depth) AS (SELECT @parent, 0 UNION ALL SELECT l.parent_id, up.depth + 1 FROM locations l JOIN up ON l.id = up.id WHERE up.depth < 64)
   SELECT 1 AS one FROM up WHERE id = @id LIMIT 1`,
);
const conflictById = query<ConflictRow, { id: string }>('SELECT * FROM sync_conflicts WHERE id = @id');
const markResolved = command<Pick<ConflictRow, 'id' | 'resolved_at' | 'resolved_by' | 'resolution'>>(
  'UPDATE sync_conflicts SET resolved_at = @resolved_at, resolved_by = @resolved_by, resolution = @resolution WHERE id = @id',
);

/** The row a conflict is about, as it is now; null for a table whose rows are not merged (nothing to compare). */
function rowNow(core: Pick<Core, 'db'>, r: ConflictRow) {
  const t = syncTable(r.tbl);
  if (!t || t.kind !== 'merge') return null;
  const key = JSON.parse(r.pk) as unknown[];
  const keyParams = Object.fromEntries(t.key.map((_k, i) => [`k${i}`, key[i]]));
  const where = t.key.map((k, i) => `"${k}" = @k${i}`).join(' AND ');
  const read = builtQuery<Record<string, unknown>, Record<string, unknown>>(`SELECT * FROM "${t.name}" WHERE ${where}`);
  return { t, key, keyParams, where, read, current: read.get(core, keyParams) };
}

/** The winner's fields as the row holds them now, when any differs (a later edit changed them again); null while the winner stands. */
function changedSince(r: ConflictRow, current: Record<string, unknown>): Record<string, unknown> | null {
  const winner = JSON.parse(r.winner_value) as Record<string, unknown>;
  if (!Object.entries(winner).some(([f, v]) => current[f] !== v)) return null;
  return Object.fromEntries(Object.keys(winner).map((f) => [f, current[f] ?? null]));
}

const CHANGED_AGAIN = 'This has been changed again since the conflict: look at it as it is now and change it there if needed.';

/**
 * Two decisions of one conflict (`r` is about a sync_conflicts row): the conflict decided, and what its
 * row holds now in those fields. Bounded: two decisions of two decisions are rare, and never endless.
 */
function aboutOf(core: Pick<Core, 'db'>, r: ConflictRow, depth: number): ConflictView['about'] {
  if (r.tbl !== 'sync_conflicts' || depth > 3) return null;
  const inner = conflictById.get(core, { id: String((JSON.parse(r.pk) as unknown[])[0]) });
  if (!inner) return null;
  const current = rowNow(core, inner)?.current;
  const fields = Object.keys(JSON.parse(inner.winner_value) as Record<string, unknown>);
  return { conflict: toView(core, inner, depth + 1), now: current ? Object.fromEntries(fields.map((f) => [f, current[f] ?? null])) : null };
}

function toView(core: Pick<Core, 'db'>, r: ConflictRow, depth = 0): ConflictView {
  const key = JSON.parse(r.pk) as unknown[];
  const now = r.resolved_at ? null : rowNow(core, r)?.current;
  return {
    id: r.id,
    table: r.tbl,
    key,
    row: describeRow(core, r.tbl, key),
    fields: r.fields.split(','),
    winner: { value: JSON.parse(r.winner_value) as Record<string, unknown>, pc: r.winner_pc, at: hlcTime(r.winner_hlc).toISOString() },
    loser: { value: JSON.parse(r.loser_value) as Record<string, unknown>, pc: r.loser_pc, at: hlcTime(r.loser_hlc).toISOString() },
    rule: r.rule,
    detectedAt: r.detected_at,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
    resolution: r.resolution,
    changedSince: now ? changedSince(r, now) : null,
    about: aboutOf(core, r, depth),
  };
}

/** Open conflicts first (status clashes on top), newest first; resolved ones after, with `all`. */
export function listConflicts(core: Pick<Core, 'db'>, options: { all?: boolean } = {}): ConflictView[] {
  return (options.all ? everyConflict : openConflicts).all(core).map((r) => toView(core, r));
}

export function getConflict(core: Pick<Core, 'db'>, id: string): ConflictView | null {
  const r = conflictById.get(core, { id });
  return r ? toView(core, r) : null;
}

/**
 * A supervisor's decision on a conflict, in the caller's transaction. Either way the row must still
 * have the winning value: if it changed since, the newer edit is left alone and the supervisor is
 * told, rather than a decision recorded about a value no longer in force. `used_other` writes the
 * losing value back. `keepChanged`: whether the person was shown a later edit's value as in force
 * now, and the same one (the caller compared); when true, "kept" closes a conflict a later edit
 * decided, recording the values that stand. Audited; syncs like any edit.
 */
export function resolveConflict(
  core: WriteCore,
  actor: Actor,
  input: { id: string; choice: 'kept' | 'used_other'; keepChanged?: boolean },
): ConflictView {
  const r = conflictById.get(core, { id: input.id });
  if (!r) throw new AppError('not_found', 'That conflict does not exist.', { field: 'id' });
  const about = aboutOf(core, r, 0);
  const role = conflictRoleOf({ table: r.tbl, about });
  // A signed-in user is held to the table's role; the command line and the system have no role to check.
  if (actor.role !== null && !roleAllows(actor.role, role)) throw new AppError('forbidden', roleRefusal(actor.role, role));
  if (r.resolved_at) {
    // Another window, or a second person on this PC, decided first: what they decided, and where to go from here.
    const how = r.resolution === 'used_other' ? 'who used the other value' : 'who kept the value in force';
    throw new AppError(
      'conflict',
      `This conflict was already resolved by ${r.resolved_by ?? 'someone'}, ${how}: look at the row as it is now, and change it there if needed.`,
      { field: 'id' },
    );
  }
  let change: { old: Record<string, unknown>; new: Record<string, unknown> } | null = null;
  let inForce: Record<string, unknown> | null = null;
  if (input.choice === 'used_other' && about) {
    // Writing the other decision back would change no value, only the record of who decided what.
    throw new AppError(
      'conflict',
      `${describeRow(core, r.tbl, JSON.parse(r.pk) as unknown[])} was decided twice, on two PCs apart: there is no other value to use. Keep marks it as looked at; change the row itself if what stands is not right.`,
    );
  }
  if (input.choice === 'used_other') change = useOther(core, actor, r);
  else {
    // A row gone (an item taken off a stock location's list) has nothing in force to contradict.
    const now = rowNow(core, r)?.current;
    inForce = now ? changedSince(r, now) : null;
    // Refused when what stands is not what the person was shown: a later edit, or (shown one) none now.
    if (inForce ? !input.keepChanged : input.keepChanged === true) throw new AppError('conflict', CHANGED_AGAIN);
  }
  markResolved.run(core, { id: input.id, resolved_at: isoInstant(core.clock.now()), resolved_by: actor.name, resolution: input.choice });
  appendAudit(core, actor, {
    action: 'resolve_conflict',
    entity: r.tbl,
    entityId: (JSON.parse(r.pk) as unknown[]).join('/'),
    // What "use the other" changed, as any edit records it: the values in force before, and those written.
    ...(change ? { old: change.old } : {}),
    // "Kept" after a later edit: what stands is that edit's values, not the winner's.
    new: { conflict: r.id, choice: input.choice, fields: r.fields, ...(change?.new ?? {}), ...(inForce ? { in_force: inForce } : {}) },
  });
  return toView(core, conflictById.get(core, { id: input.id })!);
}

/** Writes the losing value back; returns the conflict's fields as they were and as they are now. */
function useOther(core: WriteCore, actor: Actor, r: ConflictRow): { old: Record<string, unknown>; new: Record<string, unknown> } {
  const row = rowNow(core, r);
  if (!row) throw new AppError('invalid_input', 'This conflict cannot be undone here.');
  const { t, key, keyParams, where, read, current } = row;
  if (!current) throw new AppError('not_found', 'The row this conflict is about no longer exists.');
  const loser = JSON.parse(r.loser_value) as Record<string, unknown>;
  if (changedSince(r, current)) throw new AppError('conflict', CHANGED_AGAIN);
  const fieldsOf = (row: Record<string, unknown>) => Object.fromEntries(Object.keys(loser).map((f) => [f, row[f] ?? null]));
  const before = fieldsOf(current);
  assertReferencesInUse(core, t.name, key, loser);
  if (t.name === 'plans') assertPlanTarget(core, key, current, loser);
  const off = loser.active === 0 || loser.active === false;
  if (t.name === 'equipment' && 'manual_status' in loser) {
    useOtherStatus(core, actor, String(key[0]), current, loser);
  } else if (t.name === 'locations' && 'active' in loser && off) {
    // Taken out of use as the Locations screen takes it: refused while anything is in it, naming what.
    deactivateLocation(core, actor, String(key[0]));
  } else if (t.name === 'plans' && 'active' in loser) {
    // As the plan's own Take out of use and Bring back…: a failed test it holds, one plan per task.
    if (off) deactivatePlan(core, actor, String(key[0]));
    else reactivatePlan(core, actor, String(key[0]));
  } else {
    if (t.name === 'users') useOtherRights(core, actor, String(key[0]), loser);
    writeBack(core, t, key, current, loser, where, keyParams);
  }
  const affected = new Affected();
  if (t.name === 'equipment') affected.equipment.add(String(key[0]));
  if (t.name === 'plans') affected.plans.add(String(key[0]));
  if (t.name === 'work_orders') affected.workOrders.add(String(key[0]));
  recomputeDerived(core, affected);
  return { old: before, new: fieldsOf(read.get(core, keyParams) ?? {}) };
}

const placeInUse = query<{ active: number }, { id: string }>('SELECT active FROM locations WHERE id = @id');
const categoryInUse = query<{ active: number; name: string }, { id: string }>('SELECT active, name FROM categories WHERE id = @id');
/** The fields naming a location: a device's and a stock location's place, a user's home ward, a location's parent. */
const PLACE_FIELDS = ['location_id', 'home_location_id', 'parent_id'];

/**
 * The other value puts the row in a place, or a category, taken out of use since: refused, as the
 * edit forms refuse it ("Choose a location from the list."), naming it. A user's ward and a device's
 * category may be none; the device keeps the category it has (it is not the other value).
 */
function assertReferencesInUse(core: WriteCore, table: string, key: unknown[], loser: Record<string, unknown>): void {
  const row = describeRow(core, table, key);
  for (const f of PLACE_FIELDS) {
    const id = loser[f];
    if (typeof id !== 'string') continue;
    if (placeInUse.get(core, { id })?.active === 1) continue;
    const path = locationPathOfAny(core, id);
    throw new AppError(
      'conflict',
      path
        ? `${path} is no longer in use, so ${row} is not put there. Keep what stands, or bring ${path} back into use on the Locations screen first.`
        : `The other place of ${row} no longer exists: keep what stands.`,
    );
  }
  const categoryId = loser.category_id;
  if ((table === 'equipment' || table === 'category_plan_templates') && typeof categoryId === 'string') {
    const c = categoryInUse.get(core, { id: categoryId });
    if (c?.active !== 1) {
      throw new AppError(
        'conflict',
        c
          ? `The category "${c.name}" is taken out of use, so ${row} is not put in it. Keep what stands, or bring the category back on the Categories screen first.`
          : `The other category of ${row} no longer exists: keep what stands.`,
      );
    }
  }
}

const targetDevice = query<{ asset_tag: string; status: string }, { id: string }>('SELECT asset_tag, status FROM equipment WHERE id = @id');
const targetStock = query<{ name: string; active: number }, { id: string }>('SELECT name, active FROM stock_locations WHERE id = @id');
const otherPlanOfTask = query<{ label: string }, { id: string; task: unknown; equipment: string | null; stock: string | null }>(
  `SELECT coalesce(t.label, p.task) AS label FROM plans p LEFT JOIN task_types t ON t.code = p.task
   WHERE p.task = @task AND p.active = 1 AND p.id <> @id
     AND ((@equipment IS NOT NULL AND p.equipment_id = @equipment) OR (@stock IS NOT NULL AND p.stock_location_id = @stock)) LIMIT 1`,
);

/**
 * The other value puts a plan on another device or stock location: refused, naming it, for a
 * device retired (or gone) and a stock location taken out of use, as no form puts a plan there, and
 * where an active plan of the same task is already (one plan per task), as the plan forms refuse it.
 */
function assertPlanTarget(core: WriteCore, key: unknown[], current: Record<string, unknown>, loser: Record<string, unknown>): void {
  const equipment = typeof loser.equipment_id === 'string' ? loser.equipment_id : null;
  const stock = typeof loser.stock_location_id === 'string' ? loser.stock_location_id : null;
  if (equipment === null && stock === null) return;
  const row = describeRow(core, 'plans', key);
  const keep = 'Keep what stands.';
  let target: string;
  if (equipment !== null) {
    const e = targetDevice.get(core, { id: equipment });
    if (!e) throw new AppError('conflict', `The other device of ${row} no longer exists: keep what stands.`);
    if (e.status === 'retired') throw new AppError('conflict', `${e.asset_tag} is retired, so ${row} is not moved onto it. ${keep}`);
    target = e.asset_tag;
  } else {
    const s = targetStock.get(core, { id: stock! });
    if (!s) throw new AppError('conflict', `The other stock location of ${row} no longer exists: keep what stands.`);
    if (s.active !== 1) throw new AppError('conflict', `The stock location ${s.name} is no longer in use, so ${row} is not moved onto it. ${keep}`);
    target = s.name;
  }
  if (current.active !== 1) return;
  const other = otherPlanOfTask.get(core, { id: String(key[0]), task: current.task, equipment, stock });
  if (other) {
    throw new AppError('conflict', `${target} already has an active ${other.label.toLowerCase()} plan, so ${row} is not moved onto it. ${keep}`);
  }
}

/**
 * A device's status decision goes through the status service, as equipment.setStatus does: refused
 * while a work order is open (the same sentence), and kept in the status history (from, to, who, why).
 */
function useOtherStatus(core: WriteCore, actor: Actor, id: string, current: Record<string, unknown>, loser: Record<string, unknown>): void {
  const open = openWorkOrderOf(core, id);
  if (open) {
    throw new AppError(
      'conflict',
      `${String(current.asset_tag)} has an open work order, ${workOrderRef(open.number)}: its status changes through the work order (returned to service after its post-repair check, or retired as beyond repair).`,
      { field: 'status' },
    );
  }
  const status = loser.manual_status as EquipmentStatus;
  const reason = typeof loser.manual_status_reason === 'string' ? loser.manual_status_reason : null;
  changeServiceStatus(core, actor, id, { status, reason, taggedOutByPlanId: null }, { cause: 'person' });
}

/**
 * A user's role or active flag written back keeps the Users screen's rules, in its words: an active
 * administrator is left, and nobody deactivates themselves.
 */
function useOtherRights(core: WriteCore, actor: Actor, id: string, loser: Record<string, unknown>): void {
  const before = userRowById(core, id);
  if (!before) return;
  const role = ROLES.find((r) => r === loser.role);
  const change = {
    ...(role ? { role } : {}),
    ...('active' in loser ? { active: loser.active === 1 || loser.active === true } : {}),
  };
  assertRightsChange(core, actor, before, change, before.name);
}

function writeBack(
  core: WriteCore,
  t: NonNullable<ReturnType<typeof syncTable>>,
  key: unknown[],
  current: Record<string, unknown>,
  loser: Record<string, unknown>,
  where: string,
  keyParams: Record<string, unknown>,
): void {
  // The hub kept a location where it was because the other place is in its own branch (two moves made apart).
  if (t.name === 'locations' && typeof loser.parent_id === 'string' && inBranchOf.get(core, { parent: loser.parent_id, id: String(key[0]) })) {
    // By their names: the sentence says how the two stand to each other, which their paths would say twice.
    const [moved, under] = [placeName.get(core, { id: key[0] })?.d ?? NOUN.locations, placeName.get(core, { id: loser.parent_id })?.d ?? NOUN.locations];
    throw new AppError('conflict', `${moved} cannot be put under ${under}: ${under} is inside ${moved} now. Move ${under} out of it first.`);
  }
  const set: Record<string, unknown> = { ...loser };
  for (const dk of t.derivedKeys ?? []) {
    if (!(dk.from in set)) continue;
    const folded = fold(dk, String(set[dk.from]));
    const scope = (dk.scope ?? []).map((c) => `AND ifnull("${c}", '') = ifnull(@${c}, '')`).join(' ');
    const taken = builtQuery<{ one: number }, Record<string, unknown>>(`SELECT 1 AS one FROM "${t.name}" WHERE "${dk.column}" = @key AND id <> @id ${scope}`).get(core, {
      key: folded,
      id: key[0],
      ...Object.fromEntries((dk.scope ?? []).map((c) => [c, current[c] ?? null])),
    });
    if (taken) throw new AppError('conflict', `Another ${dk.label.split(' ')[0]} already has the ${dk.label} "${String(set[dk.from])}": rename that one first.`);
    set[dk.column] = folded;
  }
  const cols = Object.keys(set);
  const values = Object.fromEntries(cols.map((c, i) => [`v${i}`, set[c]]));
  builtCommand<Record<string, unknown>>(`UPDATE "${t.name}" SET ${cols.map((c, i) => `"${c}" = @v${i}`).join(', ')} WHERE ${where}`).run(core, { ...values, ...keyParams });
}
