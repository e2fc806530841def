import type { ColumnMapping, ImportMessage, MappingGuess } from '../../../../shared/contract/equipment-import';
import type { EquipmentFileField } from '../../../../shared/domain/equipment';
import { EQUIPMENT_FILE_FIELDS, foldWord, HEADER_ALIASES, REQUIRED_FILE_FIELDS } from '../../../../shared/domain/equipment';

/** Folded header → field, from the field names and the alias table (shared/domain/equipment.ts). */
const KNOWN = new Map<string, { field: EquipmentFileField; how: 'name' | 'alias' }>();
for (const field of EQUIPMENT_FILE_FIELDS) {
  for (const alias of HEADER_ALIASES[field]) KNOWN.set(foldWord(alias), { field, how: 'alias' });
}
for (const field of EQUIPMENT_FILE_FIELDS) KNOWN.set(foldWord(field), { field, how: 'name' });

/** The field a header names by itself, or null. */
export function fieldForHeader(header: string): EquipmentFileField | null {
  return KNOWN.get(foldWord(header))?.field ?? null;
}

/** A field name as a user may type it in `--map` (`asset_tag`, `Asset Tag`, `assetTag`), or null. */
export function parseFieldName(text: string): EquipmentFileField | null {
  return EQUIPMENT_FILE_FIELDS.find((f) => foldWord(f) === foldWord(text)) ?? null;
}

export const columnLabel = (c: { header: string; index: number }) => (c.header ? `"${c.header}"` : `${c.index + 1} (no header)`);

/**
 * Guesses which column holds which field from the headers alone, then applies the user's
 * choices (`overrides`: header → field, or null to ignore). Pure: the mapping screen calls it
 * on every change. With `generateTags`, a file need not have an asset tag column at all.
 */
export function guessMapping(
  headers: readonly string[],
  overrides: Readonly<Record<string, EquipmentFileField | null>> = {},
  options: { generateTags?: boolean } = {},
): MappingGuess {
  const problems: ImportMessage[] = [];
  const warnings: ImportMessage[] = [];
  // An override names a column by its header, exactly or folded.
  const chosen = new Map<number, EquipmentFileField | null>();
  for (const [key, field] of Object.entries(overrides)) {
    let index = headers.findIndex((h) => h === key.trim());
    if (index < 0) index = headers.findIndex((h) => foldWord(h) === foldWord(key) && foldWord(key) !== '');
    if (index < 0) {
      problems.push({ message: `There is no column "${key}" in the file (its columns are ${headers.map((h) => `"${h}"`).join(', ')}).` });
      continue;
    }
    chosen.set(index, field);
  }
  const columns: ColumnMapping[] = headers.map((header, index) => {
    if (chosen.has(index)) {
      const field = chosen.get(index) ?? null;
      return { index, header, field, how: field ? 'chosen' : 'ignored' };
    }
    const known = KNOWN.get(foldWord(header));
    return known ? { index, header, field: known.field, how: known.how } : { index, header, field: null, how: 'unmatched' };
  });
  for (const c of columns) {
    if (c.how === 'unmatched') warnings.push({ column: c.header, message: `Column ${columnLabel(c)} matches no field and is ignored.` });
  }
  for (const field of EQUIPMENT_FILE_FIELDS) {
    const mapped = columns.filter((c) => c.field === field);
    if (mapped.length > 1) {
      problems.push({
        field,
        message: `Columns ${mapped.map(columnLabel).join(' and ')} are ${mapped.length === 2 ? 'both' : 'all'} mapped to ${field}; map ${mapped.length === 2 ? 'one' : 'all but one'} of them to another field or ignore it.`,
      });
    }
    if (mapped.length === 0 && REQUIRED_FILE_FIELDS.includes(field) && !(field === 'asset_tag' && options.generateTags)) {
      const hint = field === 'asset_tag' ? ' (or choose to generate tags)' : '';
      problems.push({ field, message: `No column is mapped to ${field}, which is required: map one of the columns to it${hint}.` });
    }
  }
  return { columns, problems, warnings };
}
