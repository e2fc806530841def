import type { WriteCore } from '../context';
import { builtCommand, builtQuery, command, query } from '../sql/query';
import type { SyncRowClockRow } from '../sql/rows';
import { Affected, recomputeDerived } from './derived';
import { hlcTime, parseHlc, replacesHeld } from './hlc';
import { claimKey } from './keys';
import type { LogEntry } from './protocol';
import type { SyncTable } from './tables';
import { syncTable } from './tables';

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

function applyMerge(core: WriteCore, t: SyncTable, e: LogEntry, affected: Affected): boolean {
  const s = statementsFor(t);
  const params = keyParams(t, e.pk);
  const local = s.select.get(core, params);
  const localClocksText = clocksOf.get(core, { tbl: t.name, pk: e.pk })?.clocks;
  const localClocks = localClocksText ? (JSON.parse(localClocksText) as Record<string, string>) : {};
  const incoming = e.clocks ?? {};
  const newer = (f: string) => replacesHeld(incoming[f], localClocks[f]);
  const fields = [...Object.keys(t.fields), '_exists'].filter(newer);
  if (fields.length === 0) return false;
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
 * Applies entries and recomputes what they change (unless `derive` is false: a new PC loading the
 * hospital recomputes everything once at the end). Call inside one transaction, with capture off
 * (withoutCapture) and foreign keys off: engine.ts does. Returns what happened.
 */
export function applyEntries(
  core: WriteCore,
  entries: readonly LogEntry[],
  options: { derive?: boolean; affected?: Affected } = {},
): ApplyStats & { affected: Affected } {
  const stats: ApplyStats = { applied: 0, unchanged: 0, unknown: 0 };
  const affected = options.affected ?? new Affected();
  markApplying.run(core);
  for (const e of entries) {
    const t = syncTable(e.tbl);
    if (!t) {
      stats.unknown++;
      continue;
    }
    const changed = t.kind === 'append' ? applyAppend(core, t, e, affected) : applyMerge(core, t, e, affected);
    if (changed) stats.applied++;
    else stats.unchanged++;
  }
  if (options.derive !== false) recomputeDerived(core, affected);
  unmarkApplying.run(core);
  return { ...stats, affected };
}
