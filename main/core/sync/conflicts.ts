import type { Role } from '../../../shared/domain/common';
import { ROLES } from '../../../shared/domain/common';
import type { EquipmentStatus } from '../../../shared/domain/equipment';
import { roleAllows, roleRefusal } from '../../../shared/contract/access';
import { workOrderRef } from '../../../shared/domain/work-order';
import { appendAudit } from '../audit';
import { isoInstant } from '../clock';
import type { Actor, Core, WriteCore } from '../context';
import { AppError } from '../errors';
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
}

type ConflictRow = SyncConflictRow;

const describe = {
  equipment: query<{ d: string }, { id: unknown }>("SELECT asset_tag || ' ' || name AS d FROM equipment WHERE id = @id"),
  users: query<{ d: string }, { id: unknown }>('SELECT name AS d FROM users WHERE id = @id'),
  locations: query<{ d: string }, { id: unknown }>('SELECT name AS d FROM locations WHERE id = @id'),
  categories: query<{ d: string }, { id: unknown }>('SELECT name AS d FROM categories WHERE id = @id'),
  plans: query<{ d: string }, { id: unknown }>(
    "SELECT p.task || ' of ' || coalesce(e.asset_tag, s.name) AS d FROM plans p LEFT JOIN equipment e ON e.id = p.equipment_id LEFT JOIN stock_locations s ON s.id = p.stock_location_id WHERE p.id = @id",
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
};

/**
 * Who may decide a conflict of each table: whoever may change such a row elsewhere in the app
 * (users, settings and task types are the administrator's), so "Use the other" is never a way
 * round a role.
 */
const RESOLVED_BY: Readonly<Record<string, Role>> = { users: 'admin', settings: 'admin', task_types: 'admin' };

export function conflictRole(table: string): Role {
  return RESOLVED_BY[table] ?? 'supervisor';
}

export function describeRow(core: Pick<Core, 'db'>, tbl: string, key: unknown[]): string {
  if (tbl === 'settings') return `the setting ${String(key[0])}`;
  if (tbl in describe) {
    const t = tbl as keyof typeof describe;
    return describe[t].get(core, { id: key[0] })?.d ?? NOUN[t];
  }
  return `${tbl} ${key.join(' / ')}`;
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

function toView(core: Pick<Core, 'db'>, r: ConflictRow): ConflictView {
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
  const role = conflictRole(r.tbl);
  // A signed-in user is held to the table's role; the command line and the system have no role to check.
  if (actor.role !== null && !roleAllows(actor.role, role)) throw new AppError('forbidden', roleRefusal(actor.role, role));
  if (r.resolved_at) throw new AppError('conflict', `This conflict was already resolved by ${r.resolved_by ?? 'someone'}.`, { field: 'id' });
  let change: { old: Record<string, unknown>; new: Record<string, unknown> } | null = null;
  let inForce: Record<string, unknown> | null = null;
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
  if (t.name === 'equipment' && 'manual_status' in loser) {
    useOtherStatus(core, actor, String(key[0]), current, loser);
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
    const [moved, under] = [describeRow(core, t.name, key), describeRow(core, t.name, [loser.parent_id])];
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
