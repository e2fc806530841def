import { SettingsPatch } from '../../shared/domain/settings';
import type { Change } from '../core/sync/protocol';
import type { FieldSpec, FieldType, SyncTable } from '../core/sync/tables';
import { syncTable } from '../core/sync/tables';
import { isHlc, parseHlc } from '../core/sync/hlc';

/**
 * What the hub accepts from a PC: a known table and field, values of the field's type, required
 * fields present, the field's allowed values and form (the PCs' CHECK constraints: dates, instants,
 * JSON, smallest numbers, rules over several fields), a key whose parts fit their columns, no text
 * holding a NUL character (PostgreSQL cannot store one), and a clock stamp no further ahead of the
 * hub's time than a PC's clock may be (three days, plus a margin), a key written as the PCs write
 * it, and a hospital-wide setting the Settings screen would take. Anything else is quarantined
 * with this sentence and reported back to the PC, never silently dropped: a row the hub took that
 * a PC's schema refuses would stop every PC's pull, or be dropped there silently.
 */

export const MAX_CLOCK_AHEAD_MS = 4 * 24 * 3600 * 1000;

/** As the PCs' CHECK constraints test them with GLOB: `[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]` and `…T*Z`. */
const DATE = /^[0-9]{4}-[0-1][0-9]-[0-3][0-9]$/;
const INSTANT = /^[0-9]{4}-[0-1][0-9]-[0-3][0-9]T[\s\S]*Z$/;

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A JSON list of text values (the fails a person's decision overrode): every PC reads it as one. */
function isTextList(text: string): boolean {
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) && value.every((v) => typeof v === 'string');
  } catch {
    return false;
  }
}

/** A value for people to read in a sentence, cut short. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function textProblem(field: string, value: string): string | null {
  return value.includes('\u0000') ? `${field} holds a NUL character (\\u0000), which cannot be stored: remove it on the PC` : null;
}

function checkType(field: string, type: FieldType, value: unknown): string | null {
  switch (type) {
    case 'text':
      return typeof value !== 'string' ? `${field} must be text` : textProblem(field, value);
    case 'int':
      return typeof value === 'number' && Number.isSafeInteger(value) ? null : `${field} must be a whole number`;
    case 'real':
      return typeof value === 'number' && Number.isFinite(value) ? null : `${field} must be a number`;
    case 'bool':
      return value === 0 || value === 1 || typeof value === 'boolean' ? null : `${field} must be 0 or 1`;
  }
}

function checkValue(field: string, spec: FieldSpec, value: unknown): string | null {
  if (value === null || value === undefined) return spec.required ? `${field} is required` : null;
  const problem = checkType(field, spec.type, value);
  if (problem) return problem;
  if (typeof value === 'string') {
    if (spec.oneOf && !spec.oneOf.includes(value)) return `${field} must be one of ${spec.oneOf.join(', ')}, not "${value}"`;
    if (spec.format === 'date' && !DATE.test(value)) return `${field} must be a date written YYYY-MM-DD, not "${value}"`;
    if (spec.format === 'instant' && !INSTANT.test(value)) return `${field} must be a time written YYYY-MM-DDTHH:MM:SSZ, not "${value}"`;
    if (spec.format === 'json' && !isJson(value)) return `${field} must be JSON text`;
    if (spec.format === 'textList' && !isTextList(value)) return `${field} must be a JSON list of text values, such as ["…"], not ${shown(value)}`;
  }
  if (typeof value === 'number' && spec.min !== undefined && value < spec.min) return `${field} must be ${spec.min} or more, not ${value}`;
  return null;
}

/**
 * A hospital-wide setting every PC takes as it is (settings/service.ts): a value the Settings
 * screen refuses (a PIN lockout after a billion attempts, a date format that is not one) is
 * refused here in the screen's own words. A setting this hub does not know (a newer PC's) passes.
 */
function settingProblem(key: string, change: Change): string | null {
  if (change.op === 'delete' || !Object.hasOwn(SettingsPatch.shape, key) || typeof change.data.value !== 'string') return null;
  const value = JSON.parse(change.data.value) as unknown;
  const parsed = SettingsPatch.safeParse({ [key]: value });
  if (parsed.success) return null;
  const why = parsed.error.issues[0]?.message.replace(/\.$/, '') ?? 'is not a value the Settings screen takes';
  return `the setting ${key} ${why}, not ${shown(value)}`;
}

/** The PCs' CHECK constraints over several fields: an insert is the whole row; an update sets a check's fields together. */
function rowProblem(t: SyncTable, change: Change): string | null {
  for (const check of t.checks ?? []) {
    const present = check.fields.filter((f) => Object.hasOwn(change.data, f));
    if (change.op !== 'insert') {
      if (present.length === 0) continue;
      if (present.length < check.fields.length) return `${check.fields.join(' and ')} are set together`;
    }
    if (!check.ok(change.data)) return `${t.name} row: ${check.says}`;
  }
  return null;
}

/** Null when the change may be merged, else why not (a sentence for the PC's report). */
export function changeProblem(change: Change, hubNowMs: number): string | null {
  const t: SyncTable | undefined = syncTable(change.tbl);
  if (!t) return `the hub does not keep a table called ${change.tbl.replace(/\u0000/g, '\\u0000')} (is the PC newer than the hub?)`;
  if (!isHlc(change.hlc) || change.hlc.includes('\u0000')) return 'its clock stamp is not valid';
  if (parseHlc(change.hlc).wall > hubNowMs + MAX_CLOCK_AHEAD_MS)
    return `its clock stamp is more than four days ahead of the hub's time (${new Date(parseHlc(change.hlc).wall).toISOString()})`;
  let key: unknown;
  try {
    key = JSON.parse(change.pk);
  } catch {
    return 'its key is not valid';
  }
  if (!Array.isArray(key) || key.length !== t.key.length) return 'its key does not fit the table';
  for (const [i, column] of t.key.entries()) {
    const problem = key[i] === null ? `${column} is required` : checkType(column, t.keyTypes?.[column] ?? 'text', key[i]);
    if (problem) return `its key does not fit the table: ${problem}`;
  }
  // The hub keys a row by this text: another spelling of the same key would be a second row of one
  // key (refused by the table's unique index, so the whole push failed), never the same row.
  if (JSON.stringify(key) !== change.pk)
    return `its key ${change.pk} is not written as Wardkeep writes keys (${JSON.stringify(key)}), so the hub cannot tell which row it is`;
  if (t.kind === 'append' && change.op !== 'insert') return `${t.name} rows are permanent: they are only ever added`;
  if (change.op === 'delete') return t.deletes === 'tombstone' ? null : `${t.name} rows are never deleted`;
  for (const field of Object.keys(change.data)) {
    if (field === '_exists') continue;
    const spec = Object.hasOwn(t.fields, field) ? t.fields[field] : undefined;
    if (!spec) return `${t.name} has no field ${field.replace(/\u0000/g, '\\u0000')} the hub knows (is the PC newer than the hub?)`;
    const problem = checkValue(field, spec, change.data[field]);
    if (problem) return problem;
  }
  if (change.op === 'insert') {
    for (const [field, spec] of Object.entries(t.fields)) {
      if (spec.required && (change.data[field] === undefined || change.data[field] === null)) return `${field} is required`;
    }
  }
  return (t.name === 'settings' ? settingProblem(String((key as unknown[])[0]), change) : null) ?? rowProblem(t, change);
}
