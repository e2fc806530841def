import type { Change } from '../core/sync/protocol';
import type { FieldSpec, SyncTable } from '../core/sync/tables';
import { syncTable } from '../core/sync/tables';
import { isHlc, parseHlc } from '../core/sync/hlc';

/**
 * What the hub accepts from a PC: a known table and field, values of the field's type, required
 * fields present, the field's allowed values, a key that fits, and a clock stamp no further ahead
 * of the hub's time than a PC's clock may be (three days, plus a margin). Anything else is
 * quarantined with this sentence and reported back to the PC, never silently dropped.
 */

export const MAX_CLOCK_AHEAD_MS = 4 * 24 * 3600 * 1000;

function checkValue(field: string, spec: FieldSpec, value: unknown): string | null {
  if (value === null || value === undefined) return spec.required ? `${field} is required` : null;
  switch (spec.type) {
    case 'text':
      if (typeof value !== 'string') return `${field} must be text`;
      if (spec.oneOf && !spec.oneOf.includes(value)) return `${field} must be one of ${spec.oneOf.join(', ')}, not "${value}"`;
      return null;
    case 'int':
      return typeof value === 'number' && Number.isSafeInteger(value) ? null : `${field} must be a whole number`;
    case 'real':
      return typeof value === 'number' && Number.isFinite(value) ? null : `${field} must be a number`;
    case 'bool':
      return value === 0 || value === 1 || typeof value === 'boolean' ? null : `${field} must be 0 or 1`;
  }
}

/** Null when the change may be merged, else why not (a sentence for the PC's report). */
export function changeProblem(change: Change, hubNowMs: number): string | null {
  const t: SyncTable | undefined = syncTable(change.tbl);
  if (!t) return `the hub does not keep a table called ${change.tbl} (is the PC newer than the hub?)`;
  if (!isHlc(change.hlc)) return 'its clock stamp is not valid';
  if (parseHlc(change.hlc).wall > hubNowMs + MAX_CLOCK_AHEAD_MS)
    return `its clock stamp is more than four days ahead of the hub's time (${new Date(parseHlc(change.hlc).wall).toISOString()})`;
  let key: unknown;
  try {
    key = JSON.parse(change.pk);
  } catch {
    return 'its key is not valid';
  }
  if (!Array.isArray(key) || key.length !== t.key.length || key.some((k) => typeof k !== 'string' && typeof k !== 'number'))
    return 'its key does not fit the table';
  if (t.kind === 'append' && change.op !== 'insert') return `${t.name} rows are permanent: they are only ever added`;
  if (change.op === 'delete') return t.deletes === 'tombstone' ? null : `${t.name} rows are never deleted`;
  for (const field of Object.keys(change.data)) {
    if (field === '_exists') continue;
    const spec = t.fields[field];
    if (!spec) return `${t.name} has no field ${field} the hub knows (is the PC newer than the hub?)`;
    const problem = checkValue(field, spec, change.data[field]);
    if (problem) return problem;
  }
  if (change.op === 'insert') {
    for (const [field, spec] of Object.entries(t.fields)) {
      if (spec.required && (change.data[field] === undefined || change.data[field] === null)) return `${field} is required`;
    }
  }
  return null;
}
