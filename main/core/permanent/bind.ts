import { appendAudit, canonicalJson } from '../audit';
import type { Actor, WriteCore } from '../context';
import type { PermanentTable, PermanentTableName } from './tables';
import { permanentTable } from './tables';
import type { Query } from '../sql/query';
import { builtQuery } from '../sql/query';

type Row = Record<string, unknown>;

/** A row as its covering entry holds it: every bound column, JSON columns as their value. */
export function serialiseRow(spec: PermanentTable, row: Row): Row {
  const out: Row = {};
  for (const col of spec.columns) out[col] = decodeJson(spec, col, row[col]);
  return out;
}

/** A JSON column's value (text in the row, a value in the entry; either may come in either form). */
export function decodeJson(spec: PermanentTable, col: string, value: unknown): unknown {
  if (!spec.json?.includes(col) || typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** Two values of a bound column are the same when their canonical JSON is. */
export function sameValue(spec: PermanentTable, col: string, a: unknown, b: unknown): boolean {
  return canonicalJson(decodeJson(spec, col, a) ?? null) === canonicalJson(decodeJson(spec, col, b) ?? null);
}

export function entityIdOf(spec: PermanentTable, row: Row): string {
  return spec.audit.entityId.map((c) => String(row[c])).join('/');
}

/**
 * Each table's spec and the statement that reads a row back, made once per table (issue 17: an
 * import binds thousands of status history rows; the SQL was built and looked up for each).
 */
const bindings = new Map<PermanentTableName, { spec: PermanentTable; readBack: Query<Row, Row> }>();

function bindingOf(table: PermanentTableName): { spec: PermanentTable; readBack: Query<Row, Row> } {
  let binding = bindings.get(table);
  if (!binding) {
    const spec = permanentTable(table);
    const where = spec.key.map((c) => `${c} = @${c}`).join(' AND ');
    binding = { spec, readBack: builtQuery<Row, Row>(`SELECT ${spec.columns.join(', ')} FROM ${spec.table} WHERE ${where}`) };
    bindings.set(table, binding);
  }
  return binding;
}

/**
 * Appends the audit entry that covers a permanent row just written: the row is read back, so the
 * entry holds exactly what the database holds. Call inside the transaction, after the INSERT.
 */
export function bindRow(core: WriteCore, actor: Actor, table: PermanentTableName, key: Row, action?: string): void {
  const { spec, readBack } = bindingOf(table);
  const row = readBack.get(core, key);
  if (!row) throw new Error(`bindRow: no ${spec.noun} ${JSON.stringify(key)} to bind.`);
  appendAudit(core, actor, { action: action ?? spec.audit.actions[0]!, entity: spec.audit.entity, entityId: entityIdOf(spec, row), new: serialiseRow(spec, row) });
}
