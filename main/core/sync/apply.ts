import type { WriteCore } from '../context';
import { builtCommand, builtQuery, command, query } from '../sql/query';
import type { AuditRow, SyncQuarantineRow, SyncRowClockRow } from '../sql/rows';
import { isoInstant } from '../clock';
import { Affected, recomputeDerived } from './derived';
import { hlcTime, parseHlc, replacesHeld } from './hlc';
import { claimKey } from './keys';
import { LogEntry } from './protocol';
import type { SyncTable } from './tables';
import { sameUserValue, syncTable, userFieldWords, vouchesFor } from './tables';

/**
 * Applies what the hub sends (log entries, snapshot rows) to this PC's database:
 * - an append-only row is inserted once by its key, whatever order or how often it arrives;
 * - a mutable row arrives whole with each field's clock, and each field is taken only when its
 *   clock is newer than the one this PC holds (its own last edit, or the last value it applied),
 *   so entries can come in any order and twice and the row ends the same;
 * - a clash of unique names gets a suffix on the folded key (keys.ts); derived state is then
 *   recomputed for what changed (derived.ts).
 * Applied with capture off, so nothing comes back as a change of this PC's, and with foreign keys
 * unchecked: a row may arrive before the row it points at when they come from different PCs
 * (the engine runs it so: engine.ts).
 */

export interface ApplyStats {
  applied: number;
  unchanged: number;
  /** Entries for tables this version of Wardkeep does not know (a newer hub). */
  unknown: number;
}

type Row = Record<string, unknown>;

const q = (c: string) => `"${c}"`;

/** JSON booleans from elsewhere become SQLite's 0/1. */
function sqlValue(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === undefined) return null;
  return v;
}

/** Each table's statements, built from its entry in the table list (the same text each time, so prepared once per connection). */
function tableStatements(t: SyncTable) {
  const cols = [...t.key, ...Object.keys(t.fields)];
  const where = t.key.map((k, i) => `${q(k)} = @k${i}`).join(' AND ');
  return {
    insertAppend: builtCommand<Row>(`INSERT OR IGNORE INTO ${q(t.name)} (${cols.map(q).join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`),
    select: builtQuery<Row, Row>(`SELECT * FROM ${q(t.name)} WHERE ${where}`),
    remove: builtCommand<Row>(`DELETE FROM ${q(t.name)} WHERE ${where}`),
    insert: (columns: readonly string[]) =>
      builtCommand<Row>(`INSERT INTO ${q(t.name)} (${columns.map(q).join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`),
    update: (columns: readonly string[]) => builtCommand<Row>(`UPDATE ${q(t.name)} SET ${columns.map((c) => `${q(c)} = @${c}`).join(', ')} WHERE ${where}`),
  };
}

const perTable = new Map<string, ReturnType<typeof tableStatements>>();
function statementsFor(t: SyncTable): ReturnType<typeof tableStatements> {
  let s = perTable.get(t.name);
  if (!s) perTable.set(t.name, (s = tableStatements(t)));
  return s;
}

const clocksOf = query<Pick<SyncRowClockRow, 'clocks'>, { tbl: string; pk: string }>('SELECT clocks FROM sync_row_clock WHERE tbl = @tbl AND pk = @pk');
const saveClocks = command<SyncRowClockRow>(
  'INSERT INTO sync_row_clock (tbl, pk, clocks) VALUES (@tbl, @pk, @clocks) ON CONFLICT (tbl, pk) DO UPDATE SET clocks = excluded.clocks',
);
const markApplying = command('INSERT INTO sync_applying (one) VALUES (1)');
const unmarkApplying = command('DELETE FROM sync_applying');

function keyParams(t: SyncTable, pk: string): Row {
  const values = JSON.parse(pk) as unknown[];
  if (!Array.isArray(values) || values.length !== t.key.length) throw new Error(`The key ${pk} does not fit the table ${t.name}.`);
  return Object.fromEntries(values.map((v, i) => [`k${i}`, v]));
}

/** Fields whose change can move a device's status in force or a plan's due date. */
const DERIVING: Record<string, ReadonlySet<string>> = {
  equipment: new Set(['manual_status', 'manual_status_reason', 'manual_overrides']),
  plans: new Set([
    'interval_n',
    'interval_unit',
    'mode',
    'start_date',
    'window_days',
    'grace_days',
    'equipment_id',
    'stock_location_id',
    'active',
    'task',
  ]),
};

/** What a newly arrived or changed row means for derived state (`changed`: the fields set, or null for a new or removed row). */
function noteAffected(t: SyncTable, row: Row, affected: Affected, changed: readonly string[] | null = null): void {
  const deriving = DERIVING[t.name];
  if (changed && deriving && !changed.some((f) => deriving.has(f))) return;
  switch (t.name) {
    case 'completions':
      if (typeof row.plan_id === 'string') affected.plans.add(row.plan_id);
      if (typeof row.equipment_id === 'string') affected.equipment.add(row.equipment_id);
      break;
    case 'plans':
      affected.plans.add(String(row.id));
      if (typeof row.equipment_id === 'string') affected.equipment.add(row.equipment_id);
      break;
    case 'equipment':
      affected.equipment.add(String(row.id));
      break;
    case 'stock_locations':
      affected.stockLocations.add(String(row.id));
      break;
    case 'task_types':
      affected.allEquipment = true;
      break;
    case 'stock_transactions':
      affected.levels.add(JSON.stringify([row.stock_location_id, row.item_id]));
      if (typeof row.lot_id === 'string') affected.lots.add(row.lot_id);
      break;
    case 'stock_levels':
      affected.levels.add(JSON.stringify([row.stock_location_id, row.item_id]));
      break;
    case 'stock_lots':
      affected.lots.add(String(row.id));
      break;
    case 'work_orders':
      affected.workOrders.add(String(row.id));
      break;
    case 'work_order_steps':
      affected.workOrders.add(String(row.work_order_id));
      break;
  }
}

function applyAppend(core: WriteCore, t: SyncTable, e: LogEntry, affected: Affected): boolean {
  const keys = JSON.parse(e.pk) as unknown[];
  const row: Row = {};
  t.key.forEach((k, i) => (row[k] = keys[i]));
  for (const f of Object.keys(t.fields)) row[f] = sqlValue(e.data[f]);
  if (statementsFor(t).insertAppend.run(core, row).changes === 0) return false;
  noteAffected(t, row, affected);
  return true;
}

const userEntriesOf = query<Pick<AuditRow, 'action' | 'new_value'>, { pc: string; id: string }>(
  "SELECT action, new_value FROM audit_log WHERE pc_id = @pc AND entity IN ('user', 'users') AND entity_id = @id",
);
const pcOfChain = query<Pick<AuditRow, 'pc_id'>, { chain: string }>('SELECT pc_id FROM audit_log WHERE chain_id = @chain LIMIT 1');
/** The name a PC joined its hub under (its `join` entry), to name it in a sentence. */
const joinedAs = query<{ name: string | null }, { pc: string }>(
  "SELECT json_extract(new_value, '$.pc_name') AS name FROM audit_log WHERE pc_id = @pc AND action = 'join' AND entity = 'hub' ORDER BY at DESC LIMIT 1",
);
const insertRefusal = command<{ replica: string; pk: string; data: string; reason: string; at: string }>(
  "INSERT INTO sync_quarantine (replica, seq, tbl, pk, op, data, reason, reported_at) VALUES (@replica, 0, 'users', @pk, 'arrived', @data, @reason, @at)",
);
const refusalsOf = query<Pick<SyncQuarantineRow, 'id' | 'data' | 'reason'>, { pk: string }>(
  "SELECT id, data, reason FROM sync_quarantine WHERE tbl = 'users' AND pk = @pk AND op = 'arrived' ORDER BY id",
);
const everyRefusal = query<Pick<SyncQuarantineRow, 'id' | 'pk' | 'data' | 'reason'>>(
  "SELECT id, pk, data, reason FROM sync_quarantine WHERE tbl = 'users' AND op = 'arrived' ORDER BY id",
);
const keepRefused = command<Pick<SyncQuarantineRow, 'id' | 'data'>>('UPDATE sync_quarantine SET data = @data WHERE id = @id');
const dropRefused = command<Pick<SyncQuarantineRow, 'id'>>('DELETE FROM sync_quarantine WHERE id = @id');

/** The row a refusal keeps (data of an `arrived` quarantine row), or null for one an earlier version kept (only what it showed). */
function refusedEntry(data: string): LogEntry | null {
  try {
    const parsed = LogEntry.safeParse(JSON.parse(data) as unknown);
    return parsed.success && parsed.data.tbl === 'users' && parsed.data.clocks !== null ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Two versions of a row as the hub sends them (whole, with each field's clock): each field the later. */
function laterOf(held: LogEntry, e: LogEntry): LogEntry {
  const data = { ...held.data };
  const clocks = { ...held.clocks };
  for (const [f, stamp] of Object.entries(e.clocks ?? {})) {
    if (!replacesHeld(stamp, clocks[f])) continue;
    clocks[f] = stamp;
    data[f] = e.data[f];
  }
  return { ...held, data, clocks };
}

/**
 * Keeps another PC's user, or change of one, this PC did not apply: the row whole as it arrived
 * (the hub does not send it again), so it is applied once the entry that vouches for it arrives
 * (reapplyRefused); `sync status` lists the reason. The same refusal again (the row changed
 * meanwhile, still without its entry) keeps one row, holding each field's latest value.
 */
function refuseUser(core: WriteCore, e: LogEntry, node: string, reason: string, refusals: string[] | undefined): void {
  refusals?.push(reason);
  const same = refusalsOf.all(core, { pk: e.pk }).find((r) => r.reason === reason);
  if (!same) {
    insertRefusal.run(core, { replica: node, pk: e.pk, data: JSON.stringify(e), reason, at: isoInstant(core.clock.now()) });
    return;
  }
  const held = refusedEntry(same.data);
  keepRefused.run(core, { id: same.id, data: JSON.stringify(held ? laterOf(held, e) : e) });
}

/**
 * Of another PC's changes of a user this PC holds (`fields`, newer than what it holds), those it
 * applies: a field it would change (a role, a PIN hash, whether they may sign in…) only with an
 * audit entry of the PC that wrote it recording that change (tables.ts, vouchesFor), held here already or
 * arrived in the same answer (applyEntries applies users last). A change without one is not applied
 * and is said in `sync status` with the user's name, what it would change and the PC's history, and
 * kept to be applied once its entry arrives in a later pull (refuseUser, reapplyRefused); the hub
 * refuses such a push too, so this guards against a hub whose database was written by someone
 * else. This PC's own changes are taken as they come; a user new here, once this PC holds the entry
 * of their creation (vouchedNewUser).
 */
function vouchedUserFields(core: WriteCore, e: LogEntry, local: Row, fields: string[], refusals?: string[]): string[] {
  const incoming = e.clocks ?? {};
  const id = String(local.id);
  const refused: string[] = [];
  const pcs = new Map<string, string>();
  const kept = fields.filter((f) => {
    if (f === '_exists' || sameUserValue(f, e.data[f], local[f])) return true;
    const node = parseHlc(incoming[f]!).node;
    let pc = pcs.get(node);
    if (pc === undefined) pcs.set(node, (pc = pcOfChain.get(core, { chain: node })?.pc_id ?? node));
    if (pc === core.pcId || userEntriesOf.all(core, { pc, id }).some((a) => vouchesFor(a, f, e.data[f]))) return true;
    refused.push(f);
    return false;
  });
  if (refused.length > 0) {
    const nodes = [...new Set(refused.map((f) => parseHlc(incoming[f]!).node))];
    const from = fromWords(core, nodes, pcs);
    refuseUser(
      core,
      e,
      nodes[0]!,
      `A change of user "${String(local.name)}" (${userFieldWords(refused)}) arrived from ${from} without the audit entry Wardkeep writes of it: it was not applied on this PC.`,
      refusals,
    );
  }
  return kept;
}

/** "another PC, "Ward 4B" (history …)": the PCs behind `nodes` (histories; `pcs` maps each to its PC) by the names they joined under. */
function fromWords(core: WriteCore, nodes: readonly string[], pcs: ReadonlyMap<string, string>): string {
  const names = [...new Set(nodes.map((n) => joinedAs.get(core, { pc: pcs.get(n) ?? n })?.name).filter((n) => typeof n === 'string'))];
  return names.length > 0 ? `another PC, ${names.map((n) => `"${n}"`).join(', ')} (history ${nodes.join(', ')})` : `another PC (history ${nodes.join(', ')})`;
}

const createdOf = query<{ one: number }, { id: string }>(
  "SELECT 1 AS one FROM audit_log WHERE entity IN ('user', 'users') AND entity_id = @id AND action = 'create' LIMIT 1",
);

/**
 * Whether this PC adds another PC's new user: only once it holds the `create` entry Wardkeep writes
 * when it adds one (arrived before it, or in the same answer: applyEntries applies users last).
 * Without one, the user is not added, and `sync status` says so with their name and the PC's
 * history; they are added once the entry arrives in a later pull (refuseUser, reapplyRefused). The
 * hub refuses such a push too (hub/store.ts), so this guards against a hub whose
 * database was written by someone else.
 */
function vouchedNewUser(core: WriteCore, e: LogEntry, refusals?: string[]): boolean {
  const id = String((JSON.parse(e.pk) as unknown[])[0]);
  if (createdOf.get(core, { id })) return true;
  const stamp = e.clocks?.created_at ?? e.clocks?.name ?? Object.values(e.clocks ?? {})[0];
  const node = stamp ? parseHlc(stamp).node : 'unknown';
  const pc = pcOfChain.get(core, { chain: node })?.pc_id ?? node;
  if (pc === core.pcId) return true;
  const name = typeof e.data.name === 'string' ? e.data.name : '';
  refuseUser(
    core,
    e,
    node,
    `A new user "${name}" arrived from ${fromWords(core, [node], new Map([[node, pc]]))} without the audit entry Wardkeep writes when it adds one: they were not added on this PC.`,
    refusals,
  );
  return false;
}

/** `refusals`: with `vouch`, the reasons of what of a user it did not apply are added to it. */
function applyMerge(core: WriteCore, t: SyncTable, e: LogEntry, affected: Affected, vouch = false, refusals?: string[]): boolean {
  const s = statementsFor(t);
  const params = keyParams(t, e.pk);
  const local = s.select.get(core, params);
  const localClocksText = clocksOf.get(core, { tbl: t.name, pk: e.pk })?.clocks;
  const localClocks = localClocksText ? (JSON.parse(localClocksText) as Record<string, string>) : {};
  const incoming = e.clocks ?? {};
  const newer = (f: string) => replacesHeld(incoming[f], localClocks[f]);
  let fields = [...Object.keys(t.fields), '_exists'].filter(newer);
  if (vouch && t.name === 'users' && local) fields = vouchedUserFields(core, e, local, fields, refusals);
  if (fields.length === 0) return false;
  if (vouch && t.name === 'users' && !local && Number(e.data._exists ?? 1) !== 0 && !vouchedNewUser(core, e, refusals)) return false;
  const merged = { ...localClocks };
  for (const f of fields) merged[f] = incoming[f]!;
  const newest = Object.values(merged).reduce((a, b) => (b > a ? b : a));
  const stamps = t.stamps ? { updated_at: hlcTime(newest).toISOString(), pc_id: parseHlc(newest).node } : {};
  const keys = JSON.parse(e.pk) as unknown[];
  const keyRow: Row = Object.fromEntries(t.key.map((k, i) => [k, keys[i]]));
  const save = () => saveClocks.run(core, { tbl: t.name, pk: e.pk, clocks: JSON.stringify(merged) });

  const exists = fields.includes('_exists') ? Number(e.data._exists ?? 1) !== 0 : local !== undefined || localClocks._exists === undefined;
  if (!exists) {
    if (local) {
      s.remove.run(core, params);
      noteAffected(t, local, affected);
    }
    save();
    return true;
  }
  if (!local) {
    // A new row (or one deleted here and brought back): every field as the hub holds it.
    const row: Row = { ...keyRow };
    for (const f of Object.keys(t.fields)) row[f] = sqlValue(e.data[f]);
    Object.assign(row, t.arrivalDefaults?.(row) ?? {}, stamps);
    for (const dk of t.derivedKeys ?? []) row[dk.column] = claimKey(core, t, dk, row as { id: string });
    s.insert(Object.keys(row)).run(core, row);
    for (const f of Object.keys(t.fields)) merged[f] = incoming[f] ?? merged[f] ?? newest;
    save();
    noteAffected(t, row, affected);
    return true;
  }
  const set: Row = {};
  for (const f of fields) if (f !== '_exists') set[f] = sqlValue(e.data[f]);
  const after = { ...local, ...set };
  for (const dk of t.derivedKeys ?? []) {
    const moved = dk.from in set || (dk.scope ?? []).some((c) => c in set);
    if (moved) set[dk.column] = claimKey(core, t, dk, after as { id: string });
  }
  Object.assign(set, stamps);
  const cols = Object.keys(set);
  if (cols.length > 0) s.update(cols).run(core, { ...set, ...params });
  save();
  noteAffected(t, { ...local, ...set }, affected, fields);
  return true;
}

/**
 * Applies again what this PC refused of the users `ids` (refuseUser), now that an audit entry about
 * them arrived: a new user once the entry of their creation is here, a change once an entry
 * recording it is. The rows it kept of a user are one row (each field's latest, as the hub holds
 * it), applied through the same checks: what is still not vouched for stays refused as it was, and
 * the field clocks decide as for any row (a refused value a later one overtook meanwhile is not
 * brought back). A refusal nothing of which is refused any more is cleared. Returns how many users
 * it changed.
 */
function reapplyRefused(core: WriteCore, ids: ReadonlySet<string>, affected: Affected): number {
  const t = syncTable('users');
  if (!t || ids.size === 0) return 0;
  // Read once for the answer (sign-ins are entries about users too, and refusals are few).
  const byUser = new Map<string, { id: number; reason: string; e: LogEntry }[]>();
  for (const r of everyRefusal.all(core)) {
    const e = refusedEntry(r.data);
    if (!e) continue;
    const list = byUser.get(r.pk) ?? [];
    list.push({ id: r.id, reason: r.reason, e });
    byUser.set(r.pk, list);
  }
  let applied = 0;
  for (const id of ids) {
    const kept = byUser.get(JSON.stringify([id]));
    if (!kept) continue;
    const refusals: string[] = [];
    if (applyMerge(core, t, kept.map((k) => k.e).reduce(laterOf), affected, true, refusals)) applied++;
    for (const k of kept) if (!refusals.includes(k.reason)) dropRefused.run(core, { id: k.id });
  }
  return applied;
}

/**
 * Applies entries and recomputes what they change (unless `derive` is false: a new PC loading the
 * hospital recomputes everything once at the end). Call inside one transaction, with capture off
 * (withoutCapture) and foreign keys off: engine.ts does. Returns what happened.
 */
export function applyEntries(
  core: WriteCore,
  entries: readonly LogEntry[],
  options: { derive?: boolean; affected?: Affected; vouchUsers?: boolean } = {},
): ApplyStats & { affected: Affected } {
  const stats: ApplyStats = { applied: 0, unchanged: 0, unknown: 0 };
  const affected = options.affected ?? new Affected();
  const vouch = options.vouchUsers === true;
  markApplying.run(core);
  // With `vouchUsers`, users last: the audit entries that record their changes are then held here.
  const ordered = vouch ? [...entries.filter((e) => e.tbl !== 'users'), ...entries.filter((e) => e.tbl === 'users')] : entries;
  // The users an audit entry newly arrived about: what of them was refused before may now be vouched for.
  const vouchedAbout = new Set<string>();
  for (const e of ordered) {
    const t = syncTable(e.tbl);
    if (!t) {
      stats.unknown++;
      continue;
    }
    const changed = t.kind === 'append' ? applyAppend(core, t, e, affected) : applyMerge(core, t, e, affected, vouch);
    if (changed) stats.applied++;
    else stats.unchanged++;
    if (vouch && changed && t.name === 'audit_log' && (e.data.entity === 'user' || e.data.entity === 'users') && typeof e.data.entity_id === 'string')
      vouchedAbout.add(e.data.entity_id);
  }
  stats.applied += reapplyRefused(core, vouchedAbout, affected);
  if (options.derive !== false) recomputeDerived(core, affected);
  unmarkApplying.run(core);
  return { ...stats, affected };
}
