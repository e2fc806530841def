import { createHash } from 'node:crypto';
import { canonicalJson } from '../core/audit';
import type { LogEntry } from '../core/sync/protocol';
import type { SyncTable } from '../core/sync/tables';
import type { StoredRow } from './merge';

/**
 * Rows between the PCs' form (SQLite values: booleans as 0/1) and the hub's PostgreSQL tables
 * (booleans as boolean), and the JSON the hub writes into its log.
 */

const q = (name: string) => `"${name}"`;

function toPg(t: SyncTable, field: string, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (t.fields[field]?.type === 'bool') return value === true || value === 1;
  return value;
}

function fromPg(t: SyncTable, field: string, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (t.fields[field]?.type === 'bool') return value === true || value === 1 ? 1 : 0;
  return value;
}

/** A data-table row for json_populate_recordset. */
export function pgRow(t: SyncTable, pk: string, data: Record<string, unknown>, own: Record<string, unknown>): Record<string, unknown> {
  const keys = JSON.parse(pk) as unknown[];
  const row: Record<string, unknown> = { _pk: pk };
  t.key.forEach((k, i) => (row[k] = keys[i]));
  for (const f of Object.keys(t.fields)) row[f] = toPg(t, f, data[f]);
  return Object.assign(row, own);
}

/** The synced fields of a data-table row as the PCs hold them. */
export function pcData(t: SyncTable, row: Record<string, unknown>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const f of Object.keys(t.fields)) data[f] = fromPg(t, f, row[f]);
  return data;
}

export function storedRow(t: SyncTable, row: Record<string, unknown>): StoredRow | null {
  const clocks = (row._clocks ?? {}) as Record<string, string>;
  // A row made only to be locked (see push) holds nothing yet.
  if (Object.keys(clocks).length === 0) return null;
  return { data: { ...pcData(t, row), _exists: row._exists === false ? 0 : 1 }, clocks };
}

export function entryOfStored(t: SyncTable, pk: string, row: StoredRow): LogEntry {
  return { tbl: t.name, pk, data: row.data, clocks: row.clocks };
}

export function entryOfAppend(t: SyncTable, pk: string, data: Record<string, unknown>): LogEntry {
  const clean: Record<string, unknown> = {};
  for (const f of Object.keys(t.fields)) clean[f] = data[f] ?? null;
  return { tbl: t.name, pk, data: clean, clocks: null };
}

/** A snapshot row, from the data table as it stands. */
export function entryOfPgRow(t: SyncTable, row: Record<string, unknown>): LogEntry {
  const pk = String(row._pk);
  if (t.kind === 'append') return entryOfAppend(t, pk, pcData(t, row));
  return {
    tbl: t.name,
    pk,
    data: { ...pcData(t, row), _exists: row._exists === false ? 0 : 1 },
    clocks: (row._clocks ?? {}) as Record<string, string>,
  };
}

export function appendHash(t: SyncTable, data: Record<string, unknown>): string {
  const clean: Record<string, unknown> = {};
  for (const f of Object.keys(t.fields))
    clean[f] =
      t.fields[f]?.type === 'bool' && data[f] !== null && data[f] !== undefined
        ? data[f] === true || data[f] === 1
          ? 1
          : 0
        : (data[f] ?? null);
  return createHash('sha256').update(canonicalJson(clean)).digest('hex');
}

export function columnList(t: SyncTable, own: readonly string[]): string[] {
  return ['_pk', ...t.key, ...Object.keys(t.fields), ...own];
}

/** INSERT … SELECT FROM json_populate_recordset, for a batch of rows of one table. */
export function bulkInsertSql(t: SyncTable, own: readonly string[], onConflict: 'nothing' | 'update'): string {
  const cols = columnList(t, own);
  const list = cols.map(q).join(', ');
  const conflict =
    onConflict === 'nothing'
      ? 'ON CONFLICT (_pk) DO NOTHING'
      : `ON CONFLICT (_pk) DO UPDATE SET ${cols
          .filter((c) => c !== '_pk')
          .map((c) => `${q(c)} = EXCLUDED.${q(c)}`)
          .join(', ')}`;
  return `INSERT INTO ${q(t.name)} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${q(t.name)}, $1) ${conflict}`;
}

/** A field as the PCs hold it, in SQL: booleans as 0/1. */
function pcValueSql(t: SyncTable, field: string): string {
  return t.fields[field]?.type === 'bool' ? `(${q(field)})::int` : q(field);
}

/**
 * One page of a table as the snapshot sends it, each row's entry written out by PostgreSQL as JSON
 * (the same entry as entryOfPgRow): the hub passes the text on without reading it. `entry` is null
 * for a row made only to be locked (see push), which is not sent; `_pk` is always given, for the
 * page's end.
 */
export function snapshotPageSql(t: SyncTable): string {
  const data = Object.keys(t.fields).map((f) => `'${f}', ${pcValueSql(t, f)}`);
  const entry = (dataSql: string, clocks: string) =>
    `json_build_object('tbl', '${t.name}', 'pk', _pk, 'data', ${dataSql}, 'clocks', ${clocks})::text`;
  const select =
    t.kind === 'append'
      ? `${entry(`json_build_object(${data.join(', ')})`, 'NULL')} AS entry`
      : `CASE WHEN _clocks <> '{}'::jsonb THEN ${entry(`json_build_object(${[...data, `'_exists', _exists::int`].join(', ')})`, '_clocks')} END AS entry`;
  return `SELECT _pk, ${select} FROM ${q(t.name)} WHERE _pk > $1 ORDER BY _pk LIMIT $2`;
}
