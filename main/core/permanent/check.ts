import type { Database } from 'better-sqlite3';
import { canonicalJson } from '../audit';
import type { EntryTuple } from '../audit';
import { decodeJson, entityIdOf, sameValue, serialiseRow } from './bind';
import type { PermanentTable } from './tables';
import { PERMANENT_TABLES } from './tables';
import { checkHeads } from './heads';
import { builtQuery, builtTuples, query } from '../sql/query';

type Row = Record<string, unknown>;

const tableNames = query<{ name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table'");
// Only when a record's part has no entry of its record's PC: whether another PC's holds it.
const anyEntry = query<{ one: number }, { entity: string; entity_id: string }>('SELECT 1 AS one FROM audit_log WHERE entity = @entity AND entity_id = @entity_id LIMIT 1');
const columnNames = query<{ name: string }, { table: string }>('SELECT name FROM pragma_table_info(@table)');
const uniqueIndexes = query<{ name: string }, { table: string }>('SELECT name FROM pragma_index_list(@table) WHERE "unique" = 1 AND partial = 0');
const indexColumns = query<{ name: string | null }, { index: string }>('SELECT name FROM pragma_index_info(@index)');

export interface RowFinding {
  table: string;
  /** changed: the row differs from its entry; unrecorded: no entry holds it; missing: an entry's row is gone. */
  kind: 'changed' | 'unrecorded' | 'missing';
  message: string;
}

export interface RowCheck {
  ok: boolean;
  /** Rows compared, all tables together. */
  rows: number;
  findings: RowFinding[];
  /** Findings past `limit` are counted, not kept. */
  more: number;
}

/** `onProgress` is told every this many rows. */
const PROGRESS_EVERY = 50_000;

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "Completion 0198…", "Reading 2 of completion 0198…". */
function describe(spec: PermanentTable, key: Row): string {
  if (spec.key.length === 2 && spec.key[0] === 'completion_id') return `${capitalise(spec.noun)} ${String(key.position)} of completion ${String(key.completion_id)}`;
  return `${capitalise(spec.noun)} ${spec.key.map((k) => String(key[k])).join(' ')}`;
}

function shown(value: unknown): string {
  const text = value === null || value === undefined ? 'empty' : typeof value === 'string' ? `"${value}"` : canonicalJson(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function parse(text: unknown): Row | null {
  if (typeof text !== 'string') return null;
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Row) : null;
  } catch {
    return null;
  }
}

const has = (o: Row, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** A permanent table as this database holds it, and a row's whole text written from a tuple. */
interface TableShape {
  /** Its columns this database has (an older one, a backup being checked, may not have every column yet). */
  cols: string[];
  /** The row as its entry holds it: the very text appendAudit wrote for it. */
  wholeText(row: Row): string;
  /** The row of a tuple whose columns (`cols`) start at index 1. */
  rowOf(r: readonly unknown[]): Row;
  /**
   * wholeText from such a tuple without an object per row: the columns in canonicalJson's
   * (sorted) order, each value as canonicalJson writes it. Null for a value that is not a string,
   * a number or null (a blob): wholeText then.
   */
  tupleText(r: readonly unknown[]): string | null;
}

function shapeOf(db: Database, spec: PermanentTable): TableShape {
  const present = new Set(columnNames.all({ db }, { table: spec.table }).map((c) => c.name));
  const cols = spec.columns.filter((c) => present.has(c));
  const sorted = cols.map((c, i) => ({ c, i: i + 1, json: spec.json?.includes(c) ?? false })).sort((a, b) => (a.c < b.c ? -1 : a.c > b.c ? 1 : 0));
  const heads = sorted.map((s, n) => `${n === 0 ? '' : ','}${JSON.stringify(s.c)}:`);
  return {
    cols,
    wholeText: (row) => canonicalJson(serialiseRow(spec, row)),
    rowOf: (r) => {
      const row: Row = {};
      for (let i = 0; i < cols.length; i++) row[cols[i]!] = r[i + 1];
      return row;
    },
    tupleText: (r) => {
      let out = '{';
      for (let n = 0; n < sorted.length; n++) {
        const s = sorted[n]!;
        const v = r[s.i];
        let text: string;
        if (s.json) text = canonicalJson(decodeJson(spec, s.c, v));
        else if (v === null || typeof v === 'string' || typeof v === 'number') text = JSON.stringify(v);
        else return null;
        out += heads[n]! + text;
      }
      return `${out}}`;
    },
  };
}

/** Each row's entity_id is its own key (every table but signatures, whose entries are their completion's). */
const ownIds = (spec: PermanentTable) => spec.audit.entityId.length === spec.key.length && spec.audit.entityId.every((c, i) => c === spec.key[i]);

/** How many permanent rows there are, all tables together (but those in `except`): what `onProgress` counts towards. */
export function permanentRowCount(db: Database, except?: ReadonlyMap<string, number>): number {
  const existing = new Set(tableNames.all({ db }).map((t) => t.name));
  let n = 0;
  for (const spec of PERMANENT_TABLES) {
    if (existing.has(spec.table) && !except?.has(spec.table)) n += builtQuery<{ n: number }>(`SELECT count(*) AS n FROM ${spec.table}`).get({ db })?.n ?? 0;
  }
  return n;
}

/** How many rows the pass holds read ahead of their entries before it leaves a table to checkPermanentRows: memory stays bounded. */
const PASS_AHEAD = 20_000;

/** The records check's part done in the chain's walk over the trail (recordsPass). */
export interface RecordsPass {
  /** Each entry of the trail as verifyAuditChain reads it, every chain, once each. */
  entry: (e: Readonly<EntryTuple>) => void;
  /**
   * After the whole trail was handed over (its chains intact): the tables each of whose rows was
   * held whole by its one entry, and each of whose entries of their kind held its row, with how
   * many rows. For these checkPermanentRows could find nothing; the rest it walks as ever.
   */
  finish: () => Map<string, number>;
  /** Closes what is still open (always call it, after finish or instead). */
  stop: () => void;
}

/**
 * One pass for the chain and the records (issue 17): each table is read in its own order beside
 * the trail, a row taken as the entry of its kind that names it comes, and the row's whole text
 * compared with the entry's. Rows are written with their entry, in the entry's order, so on one
 * PC's trail the next row read is the one the entry names; a row read before its entry waits
 * (up to PASS_AHEAD of them). Anything else (a row that differs, an entry with no row or a second
 * one, a row with no entry, another PC's entry for a part, too many waiting, a read that fails)
 * and the table is left to checkPermanentRows, whose walk finds and names it as it always did.
 *
 * Only tables whose key is a unique index are taken (every row's entity_id is then its own): the
 * join checkPermanentRows makes then gives each row exactly the entry paired with it here. Its
 * uniqueness is the integrity check's to vouch for: fullHealth walks the records again, as before,
 * when that check fails.
 */
export function recordsPass(db: Database): RecordsPass {
  interface PassTable {
    spec: PermanentTable;
    shape: TableShape;
    rows: IterableIterator<unknown[]>;
    /** Rows read before their entry came, by entity_id. */
    ahead: Map<string, unknown[]>;
    paired: number;
    left: boolean;
    idAt: number;
    pcAt: number;
    keyAt: number[];
  }
  const existing = new Set(tableNames.all({ db }).map((t) => t.name));
  const tables: PassTable[] = [];
  const byEntity = new Map<string, Map<string, PassTable>>();
  for (const spec of PERMANENT_TABLES as readonly PermanentTable[]) {
    if (!existing.has(spec.table) || !ownIds(spec) || !keyIsUnique(db, spec)) continue;
    const shape = shapeOf(db, spec);
    const entityId = spec.audit.entityId.map((c) => `t.${c}`).join(" || '/' || ");
    const partOf = spec.partOf;
    // The row's entity_id as the join writes it, and (a record's part) its record's PC.
    const rows = builtTuples<unknown[]>(
      `SELECT t.rowid, ${shape.cols.map((c) => `t.${c}`).join(', ')}, ${entityId}, ${partOf ? 'p.pc_id' : 'NULL'} FROM ${spec.table} t${
        partOf ? ` LEFT JOIN ${partOf.table} p ON p.id = t.${partOf.column}` : ''
      } ORDER BY t.rowid`,
    ).iterate({ db });
    const t: PassTable = {
      spec,
      shape,
      rows,
      ahead: new Map(),
      paired: 0,
      left: false,
      idAt: shape.cols.length + 1,
      pcAt: shape.cols.length + 2,
      keyAt: spec.key.map((k) => shape.cols.indexOf(k) + 1),
    };
    tables.push(t);
    const kinds = byEntity.get(spec.audit.entity) ?? new Map<string, PassTable>();
    byEntity.set(spec.audit.entity, kinds);
    for (const a of spec.audit.actions) kinds.set(a, t);
  }
  const leave = (t: PassTable) => {
    if (t.left) return;
    t.left = true;
    t.ahead.clear();
    t.rows.return?.();
  };
  const stop = () => {
    for (const t of tables) leave(t);
  };
  const next = (t: PassTable): unknown[] | undefined => {
    const r = t.rows.next();
    return r.done ? undefined : r.value;
  };
  const pair = (t: PassTable, e: Readonly<EntryTuple>): boolean => {
    const id = e[9];
    if (typeof id !== 'string') return false;
    let r = t.ahead.get(id);
    if (r) t.ahead.delete(id);
    else {
      for (;;) {
        r = next(t);
        if (!r) return false; // no row holds it, or a second entry for one
        const rid = r[t.idAt];
        if (typeof rid !== 'string') return false;
        if (rid === id) break;
        if (t.ahead.has(rid) || t.ahead.size >= PASS_AHEAD) return false;
        t.ahead.set(rid, r);
      }
    }
    // A record's part: only an entry of the PC that made the record holds it (checkPermanentRows' join).
    const pc = r[t.pcAt];
    if (pc !== null && e[6] !== pc) return false;
    for (const k of t.keyAt) if (typeof r[k] === 'number' && !Number.isSafeInteger(r[k])) return false;
    const whole = t.shape.tupleText(r) ?? t.shape.wholeText(t.shape.rowOf(r));
    return whole === e[11];
  };
  return {
    entry: (e) => {
      const t = byEntity.get(e[8])?.get(e[7]);
      if (!t || t.left) return;
      try {
        if (pair(t, e)) t.paired++;
        else leave(t);
      } catch {
        // A read that fails (a damaged page): checkPermanentRows meets it again, and says so as it always did.
        stop();
      }
    },
    finish: () => {
      const whole = new Map<string, number>();
      try {
        for (const t of tables) {
          // Every row was taken by its entry: none waits, none is left unread.
          if (!t.left && t.ahead.size === 0 && next(t) === undefined) whole.set(t.spec.table, t.paired);
          leave(t);
        }
      } catch {
        stop();
        return new Map();
      }
      return whole;
    },
    stop,
  };
}

/** Whether a unique index (not partial) is on exactly the table's key, so no two rows share one. */
function keyIsUnique(db: Database, spec: PermanentTable): boolean {
  const key = [...spec.key].sort().join(',');
  return uniqueIndexes.all({ db }, { table: spec.table }).some((i) => {
    const names = indexColumns.all({ db }, { index: i.name }).map((c) => c.name);
    return names.every((n) => n !== null) && [...names].sort().join(',') === key;
  });
}

/**
 * Compares every permanent row with the audit entries that cover it, in both directions: each
 * row must be held whole by an entry and agree with every entry that holds it; each entry's row
 * must exist. Streams each table once, ordered by its key, so memory stays flat at any size.
 */

export function checkPermanentRows(
  db: Database,
  options: {
    limit?: number;
    tables?: readonly PermanentTable[];
    onProgress?: (rows: number) => void;
    /**
     * The trail's entries counted by entity and action (key `entity action`), all chains, as
     * verifyAuditChain counts them: when every entry of a table's kind was matched whole to its
     * row here, no entry can have lost its row, and the search for such entries is skipped.
     */
    entryCounts?: ReadonlyMap<string, number>;
    /** Tables recordsPass found whole, with their rows: counted, not walked (nothing could be found there). */
    whole?: ReadonlyMap<string, number>;
  } = {},
): RowCheck {
  const limit = options.limit ?? 50;
  const findings: RowFinding[] = [];
  let more = 0;
  let rows = 0;
  const add = (f: RowFinding) => (findings.length < limit ? findings.push(f) : more++);
  let progressed = 0;
  const existing = new Set(tableNames.all({ db }).map((t) => t.name));
  for (const spec of (options.tables ?? PERMANENT_TABLES) as readonly PermanentTable[]) {
    if (!existing.has(spec.table)) continue;
    const passed = options.whole?.get(spec.table);
    if (passed !== undefined) {
      rows += passed;
      continue;
    }
    const actions = spec.audit.actions.map((a) => `'${a}'`).join(', ');
    const entityId = spec.audit.entityId.map((c) => `t.${c}`).join(" || '/' || ");
    // An older database (a backup being checked) may not have every column yet.
    const shape = shapeOf(db, spec);
    const { cols, tupleText, rowOf, wholeText } = shape;
    const order = spec.key.map((c) => `t.${c}`).join(', ');
    // Each row with the entries that hold it; a record's part, only with its record's PC's. A `bind`
    // entry is no exception: migration 0006, the one that binds records' parts, ran before any PC
    // could hold another's records (0007 brought the hub) and wrote them under the PC's own id, that
    // of every record it held. Another PC's `bind` for a part vouches for nothing, as its `create` does.
    const partOf = spec.partOf;
    const rowsAndEntries = partOf
      ? `${spec.table} t
         LEFT JOIN ${partOf.table} p ON p.id = t.${partOf.column}
         LEFT JOIN audit_log a ON a.entity = '${spec.audit.entity}' AND a.entity_id = ${entityId} AND a.action IN (${actions})
           AND (p.pc_id IS NULL OR a.pc_id = p.pc_id)`
      : `${spec.table} t
         LEFT JOIN audit_log a ON a.entity = '${spec.audit.entity}' AND a.entity_id = ${entityId} AND a.action IN (${actions})`;
    const joined = (orderBy: string) =>
      builtQuery<Row>(`SELECT ${cols.map((c) => `t.${c}`).join(', ')}, a.seq AS "__seq", a.new_value AS "__new" FROM ${rowsAndEntries} ORDER BY ${orderBy}`);
    // The same rows as tuples, each with its rowid first: the walk in the table's own order.
    const joinedTuples = builtTuples<unknown[]>(`SELECT t.rowid, ${cols.map((c) => `t.${c}`).join(', ')}, a.seq, a.new_value FROM ${rowsAndEntries} ORDER BY t.rowid`);
    const judge = (group: { row: Row; texts: { seq: number; text: unknown }[] }, add: (f: RowFinding) => void) => {
      // The common case: every entry holds exactly the row (the same canonical text), so each entry
      // is the row's own, agrees on every column and holds all of them: nothing below could be found.
      if (group.texts.length > 0) {
        const whole = wholeText(group.row);
        if (group.texts.every((t) => t.text === whole)) return;
      }
      const entries: { seq: number; value: Row }[] = [];
      for (const t of group.texts) {
        const value = parse(t.text);
        if (value) entries.push({ seq: t.seq, value });
      }
      const g = { row: group.row, entries };
      const mine = g.entries.filter((e) => spec.key.every((k) => sameValue(spec, k, e.value[k], g.row[k])));
      const name = describe(spec, g.row);
      if (mine.length === 0) {
        const message =
          partOf && anyEntry.get({ db }, { entity: spec.audit.entity, entity_id: entityIdOf(spec, g.row) })
            ? `${name}: no audit entry of the PC that made the record records it, so another PC added it to a record it did not make.`
            : `${name}: no audit entry records it, so it was added outside Wardkeep, or its audit entry was deleted.`;
        add({ table: spec.table, kind: 'unrecorded', message });
        return;
      }
      for (const e of mine) {
        const differs = cols.filter((c) => has(e.value, c) && !sameValue(spec, c, g.row[c], e.value[c]));
        if (differs.length > 0) {
          const what = differs
            .slice(0, 3)
            .map((c) => `${c} is ${shown(decodeJson(spec, c, g.row[c]))} in the database, but audit entry ${e.seq} recorded ${shown(decodeJson(spec, c, e.value[c]))}`)
            .join('; ');
          add({ table: spec.table, kind: 'changed', message: `${name} was changed outside Wardkeep: ${what}.` });
          return;
        }
      }
      if (!mine.some((e) => cols.every((c) => has(e.value, c)))) {
        const missing = cols.filter((c) => !mine.some((e) => has(e.value, c)));
        if (missing.length > 0) {
          add({ table: spec.table, kind: 'unrecorded', message: `${name}: no audit entry records its ${missing.join(', ')}, so they cannot be checked.` });
        }
      }
    };
    /** Judges every row with the entries that hold it, in `orderBy`'s order; returns how many rows. */
    const walk = (orderBy: string, add: (f: RowFinding) => void): number => {
      let judged = 0;
      let current: { key: string; row: Row; texts: { seq: number; text: unknown }[] } | null = null;
      for (const r of joined(orderBy).iterate({ db })) {
        // Key values are strings and numbers: JSON.stringify writes them as canonicalJson does.
        const key = JSON.stringify(spec.key.map((k) => r[k]));
        if (!current || current.key !== key) {
          if (current) judge(current, add);
          judged++;
          if (options.onProgress && ++progressed % PROGRESS_EVERY === 0) options.onProgress(progressed);
          const row: Row = {};
          for (const c of cols) row[c] = r[c];
          current = { key, row, texts: [] };
        }
        if (typeof r.__seq === 'number') current.texts.push({ seq: r.__seq, text: r.__new });
      }
      if (current) judge(current, add);
      return judged;
    };

    const keyAt = spec.key.map((k) => cols.indexOf(k) + 1);
    const seqAt = cols.length + 1;
    const textAt = cols.length + 2;
    // Whether every row was held whole by each of its entries (the quick path), with a key JSON
    // writes exactly; and how many entries those were.
    let allWhole = true;
    let matched = 0;
    /** The first walk: in the table's own order, rows as tuples, the quick path without an object per row. */
    const walkFast = (add: (f: RowFinding) => void): number => {
      let judged = 0;
      let rowid: unknown = undefined;
      let first: unknown[] | null = null;
      let texts: { seq: number; text: unknown }[] = [];
      const settle = () => {
        if (!first) return;
        if (texts.length > 0) {
          const whole = tupleText(first) ?? wholeText(rowOf(first));
          if (texts.every((t) => t.text === whole)) {
            matched += texts.length;
            for (const k of keyAt) if (typeof first[k] === 'number' && !Number.isSafeInteger(first[k])) allWhole = false;
            return;
          }
        }
        allWhole = false;
        judge({ row: rowOf(first), texts }, add);
      };
      for (const r of joinedTuples.iterate({ db })) {
        if (first === null || r[0] !== rowid) {
          settle();
          judged++;
          if (options.onProgress && ++progressed % PROGRESS_EVERY === 0) options.onProgress(progressed);
          rowid = r[0];
          first = r;
          texts = [];
        }
        const seq = r[seqAt];
        if (typeof seq === 'number') texts.push({ seq, text: r[textAt] });
      }
      settle();
      return judged;
    };
    // First in the table's own order (no seek back and forth through it: issue 17); only when that
    // finds something, again in key order, so the findings are named in the order a person reads.
    let found = 0;
    const judgedRows = walkFast(() => found++);
    if (found === 0) rows += judgedRows;
    else rows += walk(order, add);

    // Each row's entity_id is its own (the key's columns) and every entry of the table's kind was
    // one its row held whole: none is left whose row is gone.
    const counted = options.entryCounts ? spec.audit.actions.reduce((n, a) => n + (options.entryCounts!.get(`${spec.audit.entity} ${a}`) ?? 0), 0) : -1;
    if (found === 0 && allWhole && ownIds(spec) && counted === matched) continue;
    // No entry of the table's kind at all (signatures' "sign" entries, in a trail without any): none can be lost.
    if (counted === 0) continue;

    const lost = builtQuery<{ seq: number; new_value: string | null }>(
      `SELECT a.seq, a.new_value FROM audit_log a
       WHERE a.entity = '${spec.audit.entity}' AND a.action IN (${actions})
         AND NOT EXISTS (SELECT 1 FROM ${spec.table} t WHERE ${spec.key.map((k) => `t.${k} = json_extract(a.new_value, '$.${k}')`).join(' AND ')})${
           spec.syncedSince10
             ? ` AND (a.pc_id = (SELECT value FROM meta WHERE key = 'pc_id') OR EXISTS (SELECT 1 FROM ${spec.table} o WHERE o.pc_id = a.pc_id))`
             : ''
         }${
           // Another PC's entry for a part of a record made elsewhere (a `bind` too) vouches for nothing (see partOf): the hub refuses such a part, so no row is lost.
           partOf
             ? ` AND NOT EXISTS (SELECT 1 FROM ${partOf.table} p WHERE p.id = json_extract(a.new_value, '$.${partOf.column}') AND p.pc_id <> a.pc_id)`
             : ''
         }
       ORDER BY a.seq`,
    );
    for (const e of lost.iterate({ db })) {
      const value = parse(e.new_value) ?? {};
      add({ table: spec.table, kind: 'missing', message: `${describe(spec, value)}, recorded by audit entry ${e.seq}, is not in the database: it was deleted outside Wardkeep.` });
    }
  }
  // Heads kept current from permanent rows must agree with them (work orders, service status).
  if (!options.tables) for (const f of checkHeads(db)) add(f);
  return { ok: findings.length === 0 && more === 0, rows, findings, more };
}

