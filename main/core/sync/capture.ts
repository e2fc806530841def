import type { Database } from 'better-sqlite3';
import { CHAIN_SQL, chainLineage } from '../anchors/chain';
import type { Core, WriteCore } from '../context';
import { builtQuery, command, query } from '../sql/query';
import type { SyncTouchRow } from '../sql/rows';
import { formatHlc, HybridClock, isHlc, maxHlc, newestClock, parseHlc } from './hlc';
import type { SyncTable } from './tables';
import { groupOf, SYNC_TABLES, syncTable } from './tables';

/**
 * Change capture at the database layer, so every writer is covered (the app, the command line,
 * imports). Once a PC joins a hub:
 * - capture triggers on every synced table (TEMP triggers, made on each of Wardkeep's own
 *   connections once capture is on, because they call functions only those connections have:
 *   attachCaptureTriggersIfOn) write each local
 *   insert, update and deletion to `sync_outbox`, stamped with a hybrid logical clock, and move
 *   the row's field clocks in `sync_row_clock` on;
 * - triggers stored in the database count every write to a synced row in `sync_touch`, whoever
 *   makes it, and refuse deletions (rows are retired, not deleted). A write counted there but not
 *   by the capture triggers was made outside Wardkeep (the sqlite3 command line): `foreignWrites`
 *   finds it before every sync; it is reported and never sent. Dropping those stored triggers is
 *   found by `captureProblems`.
 * Rows arriving from the hub are applied with capture off (counted as Wardkeep's, not sent back);
 * migrations run before the capture triggers exist.
 */

const FN = { on: 'wk_sync_on', hlc: 'wk_hlc', change: 'wk_change', stamp: 'wk_stamp' } as const;

export interface SyncConnection {
  /** Whether writes on this connection are captured. */
  capturing: boolean;
  /** The wall clock the stamps are made from (ms since the epoch). */
  now: () => number;
  clock: HybridClock;
}

const connections = new WeakMap<Database, SyncConnection>();

/**
 * Registers the capture functions on a connection, capture off. Call before anything writes (the
 * database layer does it at open, before migrations).
 */
export function attachSync(db: Database, now: () => number = Date.now): SyncConnection {
  const existing = connections.get(db);
  if (existing) return existing;
  const conn: SyncConnection = { capturing: false, now, clock: new HybridClock(() => conn.now()) };
  db.function(FN.on, { deterministic: false }, () => (conn.capturing ? 1 : 0));
  db.function(FN.hlc, { deterministic: false }, (node: unknown, offset: unknown, clocks: unknown) =>
    conn.clock.tick(String(node), Number(offset ?? 0) || 0, newestClock(typeof clocks === 'string' ? clocks : null)),
  );
  db.function(FN.change, { deterministic: true }, (table: unknown, before: unknown, after: unknown) =>
    changedGroups(String(table), String(before), String(after)),
  );
  db.function(FN.stamp, { deterministic: true }, (clocks: unknown, data: unknown, hlc: unknown) =>
    stampClocks(typeof clocks === 'string' ? clocks : null, String(data), String(hlc)),
  );
  connections.set(db, conn);
  return conn;
}

export function syncConnection(db: Database): SyncConnection {
  const conn = connections.get(db);
  if (!conn) throw new Error('This database connection was opened without the sync functions (attachSync).');
  return conn;
}

export function setCapturing(db: Database, on: boolean): void {
  syncConnection(db).capturing = on;
}

/** Runs `fn` with capture off on this connection (applying what came from the hub). */
export function withoutCapture<T>(db: Database, fn: () => T): T {
  const conn = syncConnection(db);
  const was = conn.capturing;
  conn.capturing = false;
  try {
    return fn();
  } finally {
    conn.capturing = was;
  }
}

/** The changed fields of a row, widened to whole merge groups; null when no synced field changed. */
export function changedGroups(table: string, beforeJson: string, afterJson: string): string | null {
  const spec = syncTable(table);
  if (!spec) return null;
  const before = JSON.parse(beforeJson) as Record<string, unknown>;
  const after = JSON.parse(afterJson) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of Object.keys(spec.fields)) {
    if (field in out || before[field] === after[field]) continue;
    for (const f of groupOf(spec, field)) out[f] = after[f] ?? null;
  }
  return Object.keys(out).length > 0 ? JSON.stringify(out) : null;
}

/** A row's field clocks with each field of `data` moved on to `hlc` (never back). */
export function stampClocks(clocksJson: string | null, dataJson: string, hlc: string): string {
  const clocks = clocksJson ? (JSON.parse(clocksJson) as Record<string, string>) : {};
  for (const field of Object.keys(JSON.parse(dataJson) as Record<string, unknown>)) clocks[field] = maxHlc(clocks[field], hlc)!;
  return JSON.stringify(clocks);
}

// ---------------------------------------------------------------------------------------------
// Trigger SQL, generated from the table list.

const q = (name: string) => `"${name}"`;
const lit = (text: string) => `'${text.replace(/'/g, "''")}'`;
const pkOf = (t: SyncTable, row: 'NEW' | 'OLD') => `json_array(${t.key.map((k) => `${row}.${q(k)}`).join(', ')})`;
const objectOf = (t: SyncTable, row: 'NEW' | 'OLD') =>
  `json_object(${Object.keys(t.fields)
    .map((f) => `${lit(f)}, ${row}.${q(f)}`)
    .join(', ')})`;
/** This database's chain, which names its history at the hub (anchors/chain.ts). */
const REPLICA = `(${CHAIN_SQL})`;
const OFFSET = `(SELECT value FROM sync_state WHERE key = 'clock_offset_ms')`;
const CAPTURE_ON = `EXISTS (SELECT 1 FROM sync_state WHERE key = 'capture')`;
/** Not while rows from the hub are being applied (applyEntries marks its transaction). */
const NOT_APPLYING = 'NOT EXISTS (SELECT 1 FROM sync_applying)';
const clocksOf = (t: SyncTable, row: 'NEW' | 'OLD') =>
  `(SELECT clocks FROM sync_row_clock WHERE tbl = ${lit(t.name)} AND pk = ${pkOf(t, row)})`;
const filtered = (t: SyncTable, row: 'NEW' | 'OLD') => (t.rowFilter ? ` AND ${t.rowFilter(row)}` : '');
const dataOf = (t: SyncTable) => (t.kind === 'merge' ? `json_patch(${objectOf(t, 'NEW')}, '{"_exists":1}')` : objectOf(t, 'NEW'));

type Op = 'insert' | 'update' | 'delete';
const EVENT: Record<Op, (t: SyncTable) => string> = {
  insert: () => 'AFTER INSERT',
  update: (t) => `AFTER UPDATE OF ${Object.keys(t.fields).map(q).join(', ')}`,
  delete: () => 'AFTER DELETE',
};
const ROW: Record<Op, 'NEW' | 'OLD'> = { insert: 'NEW', update: 'NEW', delete: 'OLD' };

/** Which writes of a table are changes to send: inserts always; updates and deletions by kind. */
function ops(t: SyncTable): Op[] {
  if (t.kind === 'append') return ['insert'];
  return t.deletes === 'tombstone' ? ['insert', 'update', 'delete'] : ['insert', 'update'];
}

/** Moves the row's field clocks on to the stamp of the outbox entry just written for it. */
const stampRow = (t: SyncTable, row: 'NEW' | 'OLD') => `
  INSERT INTO sync_row_clock (tbl, pk, clocks)
  SELECT o.tbl, o.pk, ${FN.stamp}(c.clocks, o.data, o.hlc) FROM sync_outbox o
  LEFT JOIN sync_row_clock c ON c.tbl = o.tbl AND c.pk = o.pk
  WHERE o.seq = last_insert_rowid() AND o.tbl = ${lit(t.name)} AND o.pk = ${pkOf(t, row)}
  ON CONFLICT (tbl, pk) DO UPDATE SET clocks = excluded.clocks;`;

function outboxInsert(t: SyncTable, op: Op): string {
  const row = ROW[op];
  const head = `INSERT INTO sync_outbox (replica, hlc, tbl, pk, op, data, base)`;
  const stamp = `${FN.hlc}(${REPLICA}, ${OFFSET}, ${clocksOf(t, row)})`;
  if (op === 'update') {
    return `${head}
  SELECT ${REPLICA}, ${stamp}, ${lit(t.name)}, ${pkOf(t, row)}, 'update', d.data, ${clocksOf(t, row)}
  FROM (SELECT ${FN.change}(${lit(t.name)}, ${objectOf(t, 'OLD')}, ${objectOf(t, 'NEW')}) AS data) d
  WHERE d.data IS NOT NULL AND ${FN.on}();`;
  }
  const data = op === 'insert' ? dataOf(t) : `'{"_exists":0}'`;
  const base = op === 'insert' ? 'NULL' : clocksOf(t, row);
  return `${head}
  SELECT ${REPLICA}, ${stamp}, ${lit(t.name)}, ${pkOf(t, row)}, ${lit(op)}, ${data}, ${base} WHERE ${FN.on}();`;
}

/** The stored triggers: every writer fires them. */
export function storedTriggers(t: SyncTable): { name: string; sql: string }[] {
  const out = ops(t).map((op) => ({
    name: `sync_${t.name}_count_${op}`,
    sql: `CREATE TRIGGER sync_${t.name}_count_${op} ${EVENT[op](t)} ON ${q(t.name)} WHEN ${NOT_APPLYING}${filtered(t, ROW[op])} BEGIN
  INSERT INTO sync_touch (tbl, pk, writes, ours) VALUES (${lit(t.name)}, ${pkOf(t, ROW[op])}, 1, 0)
  ON CONFLICT (tbl, pk) DO UPDATE SET writes = writes + 1;
END`,
  }));
  if (t.kind === 'merge' && t.deletes !== 'tombstone') {
    out.push({
      name: `sync_${t.name}_no_delete`,
      sql: `CREATE TRIGGER sync_${t.name}_no_delete BEFORE DELETE ON ${q(t.name)}${t.rowFilter ? ` WHEN ${t.rowFilter('OLD').trim()}` : ''} BEGIN
  SELECT RAISE(ABORT, ${lit(t.retireInstead ?? 'Rows of a hospital in a hub are never deleted.')});
END`,
    });
  }
  return out;
}

/** The capture triggers of one connection (TEMP: they call this connection's functions). */
export function captureTriggers(t: SyncTable): { name: string; sql: string }[] {
  return ops(t).flatMap((op) => {
    const row = ROW[op];
    return [
      {
        // Wardkeep's own write, to tell it from a foreign one.
        name: `sync_${t.name}_ours_${op}`,
        sql: `CREATE TEMP TRIGGER IF NOT EXISTS sync_${t.name}_ours_${op} ${EVENT[op](t)} ON main.${q(t.name)} WHEN ${CAPTURE_ON} AND ${NOT_APPLYING}${filtered(t, row)} BEGIN
  INSERT INTO sync_touch (tbl, pk, writes, ours) VALUES (${lit(t.name)}, ${pkOf(t, row)}, 0, 1)
  ON CONFLICT (tbl, pk) DO UPDATE SET ours = ours + 1;
END`,
      },
      {
        // A change to send (not while rows from the hub are being applied).
        name: `sync_${t.name}_capture_${op}`,
        sql: `CREATE TEMP TRIGGER IF NOT EXISTS sync_${t.name}_capture_${op} ${EVENT[op](t)} ON main.${q(t.name)} WHEN ${FN.on}() AND ${CAPTURE_ON}${filtered(t, row)} BEGIN
  ${outboxInsert(t, op)}${t.kind === 'merge' ? stampRow(t, row) : ''}
END`,
      },
    ];
  });
}

const tableNames = query<{ name: string }>("SELECT name FROM main.sqlite_schema WHERE type = 'table'");

/** Each synced table's capture triggers, written once (every connection of Wardkeep's makes them). */
const CAPTURE_TRIGGERS: readonly (readonly [string, readonly { name: string; sql: string }[]])[] = SYNC_TABLES.map((t) => [t.name, captureTriggers(t)]);

export const STORED_TRIGGERS: readonly { name: string; sql: string }[] = SYNC_TABLES.flatMap(storedTriggers);

/**
 * Makes this connection's capture triggers (they do nothing until the PC joins a hub). Call once
 * the schema is current; a connection opened by openCore makes them itself once capture is on
 * (attachCaptureTriggersIfOn).
 */
export function attachCaptureTriggers(db: Database): void {
  // A database of an older version (a migration's test) lacks some synced tables: their triggers wait for the migration that makes them.
  const tables = new Set(tableNames.all({ db }).map((r) => r.name));
  for (const [table, triggers] of CAPTURE_TRIGGERS) if (tables.has(table)) for (const trigger of triggers) db.exec(trigger.sql);
}

/**
 * Whether this connection must make its capture triggers now: capture is on and one of them is not
 * there (not made yet, or gone: a temporary trigger goes with its transaction's rollback, and with
 * a change of `temp_store`).
 */
const triggersWanted = query<{ wanted: number }>(
  `SELECT ${CAPTURE_ON} AND NOT EXISTS (SELECT 1 FROM temp.sqlite_schema WHERE type = 'trigger' AND name = 'sync_audit_log_capture_insert') AS wanted`,
);

/**
 * Makes this connection's capture triggers if capture is on and they are not there yet. openCore
 * runs it when it opens a connection and at the start of every transaction that writes on it
 * (dispatcher/transaction.ts, atEveryWrite), so a PC that joins a hub on one connection (or in
 * another process) captures the next write of every other.
 *
 * Until then a connection has none: the two triggers of a synced table and operation are small
 * programs SQLite runs for every row written even when their WHEN clause is false, about 5 µs of a
 * device inserted (issue 17: 0.25–0.3 s of a 50,000-device import, and as much again for its audit
 * entries).
 */
export function attachCaptureTriggersIfOn(db: Database): void {
  if (triggersWanted.get({ db })?.wanted === 1) attachCaptureTriggers(db);
}

const turnOn = command("INSERT INTO sync_state (key, value) VALUES ('capture', '1') ON CONFLICT (key) DO NOTHING");
const turnOff = command("DELETE FROM sync_state WHERE key = 'capture'");
const forgetTouches = command('DELETE FROM sync_touch');
const isOn = query<{ one: number }>("SELECT 1 AS one FROM sync_state WHERE key = 'capture'");
/** A database older than version 7 (a backup being checked) has no sync tables. */
const hasSyncState = query<{ one: number }>("SELECT 1 AS one FROM sqlite_schema WHERE type = 'table' AND name = 'sync_state'");
const storedTriggerRows = query<{ name: string; sql: string }>(
  "SELECT name, sql FROM main.sqlite_schema WHERE type = 'trigger' AND name LIKE 'sync\\_%' ESCAPE '\\'",
);
const foreign = query<Pick<SyncTouchRow, 'tbl' | 'pk'> & { writes: number }>('SELECT tbl, pk, writes - ours AS writes FROM sync_touch WHERE writes > ours');

/** Turns capture on for this database (joining a hub). Call inside a transaction. */
export function installCapture(core: WriteCore): void {
  removeStoredTriggers(core.db);
  // Every synced table exists in a current database; one of an older version (a migration's test)
  // gets the triggers of the tables it has, and a later migration adds the rest (captureAddedTables).
  const tables = new Set(tableNames.all(core).map((r) => r.name));
  for (const t of SYNC_TABLES) if (tables.has(t.name)) for (const trigger of storedTriggers(t)) core.db.exec(trigger.sql);
  turnOn.run(core);
  forgetTouches.run(core);
  attachCaptureTriggers(core.db);
}

/** Turns capture off (leaving a hub). Call inside a transaction. */
export function removeCapture(core: WriteCore): void {
  removeStoredTriggers(core.db);
  turnOff.run(core);
  forgetTouches.run(core);
}

function removeStoredTriggers(db: Database): void {
  for (const { name } of storedTriggerRows.all({ db })) db.exec(`DROP TRIGGER IF EXISTS main.${q(name)}`);
}

export function captureInstalled(core: Pick<Core, 'db'>): boolean {
  return hasSyncState.get(core) !== undefined && isOn.get(core) !== undefined;
}

/** Sentences for stored triggers missing or changed outside Wardkeep (none when all is well). */
export function captureProblems(core: Pick<Core, 'db'>): string[] {
  if (!captureInstalled(core)) return [];
  const have = new Map(storedTriggerRows.all(core).map((r) => [r.name, r.sql]));
  const problems: string[] = [];
  for (const t of STORED_TRIGGERS) {
    const sql = have.get(t.name);
    if (sql === undefined) problems.push(`The change-counting trigger ${t.name} is missing: it was removed outside Wardkeep.`);
    else if (sql !== t.sql) problems.push(`The change-counting trigger ${t.name} was altered outside Wardkeep.`);
  }
  return problems;
}

export interface ForeignWrite {
  tbl: string;
  pk: string;
  writes: number;
}

/** Rows written outside Wardkeep since the last look (then forgotten: call inside the transaction that reports them). */
export function takeForeignWrites(core: WriteCore): ForeignWrite[] {
  const rows = foreign.all(core);
  forgetTouches.run(core);
  return rows;
}

const insertOutbox = command<{ replica: string; hlc: string; tbl: string; pk: string; data: string }>(
  "INSERT INTO sync_outbox (replica, hlc, tbl, pk, op, data, base) VALUES (@replica, @hlc, @tbl, @pk, 'insert', @data, NULL)",
);
const saveClock = command<{ tbl: string; pk: string; clocks: string }>(
  'INSERT INTO sync_row_clock (tbl, pk, clocks) VALUES (@tbl, @pk, @clocks) ON CONFLICT (tbl, pk) DO UPDATE SET clocks = excluded.clocks',
);

/**
 * Puts every existing row of every synced table in the outbox, as the PC's first changes when it
 * joins a hub with data of its own (a clinic that has worked alone). Each is stamped at the time
 * it was last changed (its updated_at corrected by the clock offset the hub just gave, or the
 * oldest time there is: putExisting), so whatever the hospital changed since wins field by field.
 * The audit entries of the chains this database continues from (it was restored before it
 * joined) go first, each as the history of its own chain, so the hub has every chain's start
 * before the chain that branches from it; its users go last, after its entries (usersLast). Call
 * inside a transaction, with capture installed.
 */
export function captureExistingRows(core: WriteCore): number {
  let n = 0;
  const lineage = chainLineage(core.db);
  const replica = lineage[lineage.length - 1]!;
  const audit = syncTable('audit_log')!;
  for (const chain of lineage.slice(0, -1)) n += putExisting(core, audit, stamping(core, chain), 'WHERE NEW.chain_id = @chain');
  const s = stamping(core, replica);
  for (const t of usersLast()) {
    if (t === audit) n += putExisting(core, t, s, 'WHERE NEW.chain_id = @chain');
    else n += putExisting(core, t, s, t.rowFilter ? `WHERE ${t.rowFilter('NEW')}` : '');
  }
  return n;
}

/**
 * The synced tables, users after the audit entries: the hub takes a user only with the audit entry
 * that records it (hub/store.ts), so a PC sending everything it holds (more than one push) sends
 * the entries first.
 */
function usersLast(): SyncTable[] {
  return [...SYNC_TABLES.filter((t) => t.name !== 'users'), ...SYNC_TABLES.filter((t) => t.name === 'users')];
}

/**
 * Puts again what this PC holds in the outbox under `history`, for a hub that lost changes it had
 * confirmed (its database put back from a backup; sync/replica.ts resendHistory): every row of
 * every synced table (`rows`), each keeping the clocks this PC holds for it (putExisting), then
 * the chain's audit entries not already waiting; its users follow (captureUsersAgain). The hub
 * skips what it holds unchanged. Call inside a transaction, with capture installed.
 */
export function captureAgain(core: WriteCore, history: string, rows: boolean): number {
  let n = 0;
  const audit = syncTable('audit_log')!;
  const s = stamping(core, history);
  if (rows) for (const t of SYNC_TABLES) if (t !== audit && t.name !== 'users') n += putExisting(core, t, s, t.rowFilter ? `WHERE ${t.rowFilter('NEW')}` : '');
  const waiting = "SELECT json_extract(pk, '$[0]') FROM sync_outbox WHERE replica = @chain AND tbl = 'audit_log'";
  return n + putExisting(core, audit, s, `WHERE NEW.chain_id = @chain AND NEW.id NOT IN (${waiting})`);
}

/**
 * The users this PC holds, as changes of `history`, after captureAgain's rows and entries and the
 * changes that waited (the entry of a user added or changed meanwhile waits with them): the hub
 * takes a user only with an entry of it (hub/store.ts).
 */
export function captureUsersAgain(core: WriteCore, history: string): number {
  return putExisting(core, syncTable('users')!, stamping(core, history), '');
}

const offsetOf = query<{ value: string }>("SELECT value FROM sync_state WHERE key = 'clock_offset_ms'");
const savedClocks = query<{ clocks: string }, { tbl: string; pk: string }>(
  'SELECT clocks FROM sync_row_clock WHERE tbl = @tbl AND pk = @pk',
);
/** How the rows one sending of everything puts in the outbox are stamped: under which history, and the clock offset to correct by. */
interface Stamping {
  history: string;
  /** This PC's clock offset from the hub's (sync_state.clock_offset_ms), as the capture triggers correct by. */
  offsetMs: number;
}

function stamping(core: Pick<WriteCore, 'db'>, history: string): Stamping {
  return { history, offsetMs: Number(offsetOf.get(core)?.value ?? 0) || 0 };
}

/**
 * Whether a saved stamp is not one this sending may give as it is: another PC's (the hub refuses a
 * stamp naming another PC's history), the hub's own ('hub'), or this PC's under an earlier history
 * (a fork's, a restore's). Any but `history` is taken as not, so no list of the hospital's histories
 * (which a hub put back from a backup may not hold either) is needed.
 */
const notThisHistory = (stamp: string, history: string) => parseHlc(stamp).node !== history;

/** The highest counter a stamp holds (six digits, hlc.ts). */
const LAST_COUNTER = 999_999;

/** The stamp just before `stamp`, under `node`: it never beats the value `stamp` wrote, and the hub holding that value skips it. */
function justBefore(stamp: string, node: string): string {
  const p = parseHlc(stamp);
  return p.counter > 0
    ? formatHlc({ wall: p.wall, counter: p.counter - 1, node })
    : formatHlc({ wall: Math.max(p.wall - 1, 0), counter: LAST_COUNTER, node });
}

/**
 * One table's existing rows, as changes of `history`, each keeping the stamps this PC holds for it
 * (a hub put back from a backup compares them with what it kept, field by field):
 * - a field with a saved clock (`sync_row_clock`: a stamp this PC gave, or took from the hub) keeps
 *   it; the change is stamped with the newest of the row's, so no field goes out older than the
 *   PC holds it. A stamp under another history (another PC's, the hub's, or this PC's before a fork)
 *   is not this sending's to give (the hub refuses one naming another PC's history), so the row
 *   goes out just before it, under `history` (the hub holding that value skips it; one that lost
 *   it takes it back, and never over a later one);
 * - a field with none (a row older than the sync, a table an upgrade adds) is stamped at when the
 *   row was last changed (its `updated_at`, corrected by this PC's clock offset as every capture
 *   stamp is, or the oldest time there is), and that is saved as its clock.
 * The saved clocks are never moved back: what the PC holds stays as it was.
 */
function putExisting(core: Pick<WriteCore, 'db' | 'writable'>, t: SyncTable, s: Stamping, where: string): number {
  type Existing = { pk: string; data: string; at: string | null };
  const sql = `SELECT ${pkOf(t, 'NEW')} AS pk, ${dataOf(t)} AS data, ${t.stamps ? 'NEW.updated_at' : 'NULL'} AS at FROM ${q(t.name)} AS NEW ${where} ORDER BY rowid`;
  const rows = where.includes('@chain') ? builtQuery<Existing, { chain: string }>(sql).all(core, { chain: s.history }) : builtQuery<Existing>(sql).all(core);
  for (const r of rows) {
    const wall = r.at ? Date.parse(r.at) : Number.NaN;
    const lastChanged = formatHlc({ wall: Number.isFinite(wall) ? Math.max(Math.floor(wall + s.offsetMs), 0) : 0, counter: 0, node: s.history });
    let hlc = lastChanged;
    if (t.kind === 'merge') {
      const saved = savedClocks.get(core, { tbl: t.name, pk: r.pk });
      const clocks = saved ? (JSON.parse(saved.clocks) as Record<string, string>) : {};
      let unsaved = false;
      let newest: string | null = null;
      for (const field of Object.keys(JSON.parse(r.data) as Record<string, unknown>)) {
        const held = clocks[field];
        if (held === undefined || !isHlc(held)) {
          clocks[field] = lastChanged;
          unsaved = true;
        }
        const stamp = clocks[field]!;
        newest = maxHlc(newest, notThisHistory(stamp, s.history) ? justBefore(stamp, s.history) : stamp);
      }
      hlc = newest ?? lastChanged;
      if (unsaved) saveClock.run(core, { tbl: t.name, pk: r.pk, clocks: JSON.stringify(clocks) });
    }
    insertOutbox.run(core, { replica: s.history, hlc, tbl: t.name, pk: r.pk, data: r.data });
  }
  return rows.length;
}

/**
 * An upgrade that adds tables to the sync, on a PC already in a hub: their change-counting
 * triggers, and their rows as this PC's changes (as at joining: stamped at when each was last
 * changed, corrected by the clock offset, so what the hospital changed since wins). Nothing for a
 * PC not in a hub. Call in the migration that makes the tables ready to sync, in its transaction.
 */
export function captureAddedTables(db: Database, names: readonly string[]): number {
  const core = { db, writable: true } as const;
  if (!captureInstalled(core)) return 0;
  const s = stamping(core, chainLineage(db).at(-1)!);
  let n = 0;
  for (const name of names) {
    const t = syncTable(name);
    if (!t) throw new Error(`${name} is not a synced table.`);
    for (const trigger of storedTriggers(t)) {
      db.exec(`DROP TRIGGER IF EXISTS main.${q(trigger.name)}`);
      db.exec(trigger.sql);
    }
    n += putExisting(core, t, s, t.rowFilter ? `WHERE ${t.rowFilter('NEW')}` : '');
  }
  return n;
}
