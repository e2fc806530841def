import type { ColumnMapping, LastDoneField } from '../../../../shared/contract/equipment-import';
import type { EquipmentFileField } from '../../../../shared/domain/equipment';
import { REQUIRED_FILE_FIELDS } from '../../../../shared/domain/equipment';
import { FILE_FIELD_LABELS } from '../../lib/labels';

/** What a column can be: a field of the device, or when one of its tasks was last done (`last_calibration`). */
export type ColumnTarget = EquipmentFileField | LastDoneField;

/** The user's choice per column (by position): a field, or null to ignore the column. */
export type ColumnChoices = Readonly<Record<number, ColumnTarget | null>>;

/** The `mapping` the import channels take: `header → field`, for the columns the user chose. */
export function overridesFor(headers: readonly string[], choices: ColumnChoices): Record<string, ColumnTarget | null> {
  const out: Record<string, ColumnTarget | null> = {};
  for (const [index, field] of Object.entries(choices)) {
    const header = headers[Number(index)];
    if (header !== undefined) out[header] = field;
  }
  return out;
}

/** The field a column maps to on screen: the user's choice, else the guess. */
export function fieldOf(column: ColumnMapping, choices: ColumnChoices): ColumnTarget | null {
  if (column.index in choices) return choices[column.index] ?? null;
  return column.lastDoneTask ? `last_${column.lastDoneTask}` : column.field;
}

export interface RequiredField {
  field: EquipmentFileField;
  /** The headers of the columns mapped to it (more than one is a problem too). */
  headers: string[];
  /** True when no column is needed (asset tags generated). */
  generated: boolean;
}

/** Each required field and the columns that feed it, for the checklist above the mapping table. */
export function requiredFields(columns: readonly ColumnMapping[], choices: ColumnChoices, generateTags: boolean): RequiredField[] {
  return REQUIRED_FILE_FIELDS.map((field) => ({
    field,
    headers: columns.filter((c) => fieldOf(c, choices) === field).map((c) => c.header || `column ${c.index + 1}`),
    generated: field === 'asset_tag' && generateTags,
  }));
}

/** What `PREFIX-00001` becomes with the prefix typed; the pattern main uses (five digits, counting on). */
export function exampleTags(prefix: string): string {
  const p = prefix.trim() || 'PREFIX';
  return `${p}-00001, ${p}-00002, …`;
}

/**
 * A mapping problem in the screen's words: main names the field by its code ("mapped to asset_tag"),
 * as the command line's `--map` and docs/cli.md do; the screen names it as its choices do ("Asset tag").
 */
export function screenMessage(problem: { message: string; field?: EquipmentFileField | undefined }): string {
  const { field, message } = problem;
  if (!field) return message;
  return message.replace(new RegExp(`\\bmapped to ${field}(?=[;,.])`), `mapped to ${FILE_FIELD_LABELS[field]}`);
}
