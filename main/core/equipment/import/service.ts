import type {
  ColumnMapping,
  EquipmentImportInputValue,
  ImportMessage,
  ImportPreview,
  ImportPreviewRow,
  ImportResult,
  StatusWordUse,
} from '../../../../shared/contract/equipment-import';
import type { IsoDate } from '../../../../shared/domain/common';
import { nameKey } from '../../../../shared/domain/common';
import { localDate } from '../../clock';
import type { EquipmentFieldsInput, EquipmentFieldsValue, EquipmentFileField, EquipmentStatus, Ownership, Risk } from '../../../../shared/domain/equipment';
import { assetTagKey, assetTagProblem, EquipmentFields } from '../../../../shared/domain/equipment';
import type { Location } from '../../../../shared/domain/location';
import { LOCATION_KINDS, PATH_SEPARATOR, splitLocationPath } from '../../../../shared/domain/location';
import { appendAudit, withBulkAudit } from '../../audit';
import type { Actor, Core, WriteCore } from '../../context';
import type { CsvEncoding } from '../../csv/decode';
import { decodeCsvBytes } from '../../csv/decode';
import type { CsvDelimiter } from '../../csv/parse';
import { parseCsv } from '../../csv/parse';
import { AppError } from '../../errors';
import { createCategory, findCategoryByName, newCategoryProblem } from '../../categories/service';
import { insertEquipment } from '../service';
import { PrintedTags } from '../look-alike-tags';
import { withSearchFilledInBulk } from '../search';
import { hasDefaultPlans } from '../../plans/category-plans';
import { listLocations, locationPathResolver, lookupLocationPath } from '../../locations/service';
import { hiddenInName, printsAsNothing, printsLike } from '../../locations/reference-names';
import type { Cell } from './cells';
import { generatedNumber, generatedTag, quoted, readDate, readOwnership, readRisk, readStatus, readYesNo } from './cells';
import { columnLabel } from './mapping';
import { dueOnArrival, guessWithLastDone, readLastDone, unusedLastDone } from './last-done';
import { query, tuples } from '../../sql/query';
import type { EquipmentRow, LocationRow } from '../../sql/rows';
import { codePointName, firstHiddenCharacter } from '../../../../shared/hidden-characters';

/**
 * The devices already holding any of the keys (`@keys`, a JSON array): one statement for the whole
 * file. One lookup per row cost about 10 µs each outside a transaction (the preview runs on the
 * thread that answers the window, and each statement took and let go of its read lock): checking a
 * 50,000-row file took 2.3 s with them and 1.4 s with this (`wardkeep import equipment --dry-run`).
 */
const tagsInUse = tuples<[key: string, assetTag: EquipmentRow['asset_tag'], name: EquipmentRow['name']], { keys: string }>(
  'SELECT e.asset_tag_key, e.asset_tag, e.name FROM json_each(@keys) j JOIN equipment e ON e.asset_tag_key = j.value',
);
/**
 * The devices whose serial is one of `@serials` (a JSON array, ASCII letters in lower case, as
 * SQLite's lower() writes them): one statement for the whole file, as for the tags. Without an
 * index on serials it reads the inventory once, which at 200,000 devices is a few tens of ms.
 */
const serialsInUse = query<Pick<EquipmentRow, 'serial' | 'manufacturer' | 'model' | 'asset_tag'>, { serials: string }>(
  `SELECT e.serial, e.manufacturer, e.model, e.asset_tag FROM equipment e
   WHERE e.serial IS NOT NULL AND lower(e.serial) IN (SELECT value FROM json_each(@serials))`,
);
/** Locations taken out of use: a new location must not print like one of them either (createLocation). */
const deactivatedPlaces = query<Pick<LocationRow, 'id' | 'parent_id' | 'name'>>('SELECT id, parent_id, name FROM locations WHERE active = 0');
const tagsLike = query<Pick<EquipmentRow, 'asset_tag_key'>, { pattern: string }>(
  "SELECT asset_tag_key FROM equipment WHERE asset_tag_key LIKE @pattern ESCAPE '\\'",
);

/** A data row read, checked and normalised, ready to insert once every row is valid. */
interface ImportRow {
  row: number;
  tag: string;
  tagGenerated: boolean;
  name: string;
  /** The location as written; `locationPath` is the path it resolves or will be created at. */
  location: string;
  locationPath: string;
  category: string | null;
  manufacturer: string | null;
  model: string | null;
  serial: string | null;
  risk: Risk | null;
  ownership: Ownership | null;
  status: EquipmentStatus;
  statusWord: string;
  acquiredOn: string | null;
  inServiceOn: string | null;
  warrantyUntil: string | null;
  referenceStandard: boolean;
  notes: string | null;
  problemCount: number;
  /** The row as the add form's schema reads it (its location and category still placeholders), once it passed. */
  fields: EquipmentFieldsValue | null;
}

interface Analysis {
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
  headers: string[];
  columns: ColumnMapping[];
  problems: ImportMessage[];
  warnings: ImportMessage[];
  rows: ImportRow[];
  newLocations: string[];
  newCategories: string[];
  statusWords: StatusWordUse[];
  generatedTags: string[];
  /** Row → task → when it was last done (the last-done columns, issue 16). */
  lastDone: Map<number, Record<string, IsoDate>>;
}

const PREVIEW_ROWS = 20;
/** Stands in for the ids of locations and categories that exist only once the import runs. */
const PLACEHOLDER_ID = '00000000-0000-7000-8000-000000000000';

/** Schema field of EquipmentFields → file field, to name the column of a schema problem. */
const SCHEMA_TO_FILE: Record<string, EquipmentFileField> = {
  assetTag: 'asset_tag',
  name: 'name',
  manufacturer: 'manufacturer',
  model: 'model',
  serial: 'serial',
  notes: 'notes',
  categoryId: 'category',
  risk: 'risk',
  ownership: 'ownership',
  acquiredOn: 'acquired_on',
  inServiceOn: 'in_service_on',
  warrantyUntil: 'warranty_until',
  referenceStandard: 'reference_standard',
};

function textOf(input: EquipmentImportInputValue['source']): { text: string; encoding: CsvEncoding } {
  if ('bytes' in input) return decodeCsvBytes(input.bytes);
  return { text: input.text.replace(/^\uFEFF/, ''), encoding: 'utf-8' };
}

const blankToNull = (s: string): string | null => (s.trim() === '' ? null : s.trim());

/** ASCII letters in lower case, as SQLite's lower() writes them. */
const asciiLower = (s: string): string => s.replace(/[A-Z]+/g, (c) => c.toLowerCase());

/** One device by serial, manufacturer and model: the serial's case ignored, the names' as for any name. */
const deviceKey = (serial: string, manufacturer: string | null, model: string | null): string =>
  `${asciiLower(serial)}\u0000${nameKey(manufacturer ?? '')}\u0000${nameKey(model ?? '')}`;

/**
 * Reads, maps and checks an inventory file against the database without writing anything.
 * Every problem is collected, each a sentence naming row, column and value.
 */
export function analyseEquipmentImport(core: Core, input: EquipmentImportInputValue): Analysis {
  const { text, encoding } = textOf(input.source);
  const parsed = parseCsv(text);
  const prefix = input.generateTagsPrefix ?? null;
  const problems: ImportMessage[] = parsed.problems.map((p) => ({ row: p.row, message: p.message }));
  const warnings: ImportMessage[] = [];
  const base = { encoding, delimiter: parsed.delimiter, headers: parsed.headers };
  const empty = { rows: [], newLocations: [], newCategories: [], statusWords: [], generatedTags: [], lastDone: new Map<number, Record<string, IsoDate>>() };
  if (parsed.headers.every((h) => h === '')) {
    problems.push({ message: 'The file is empty: its first row must hold the column names.' });
    return { ...base, ...empty, columns: [], problems, warnings };
  }
  const mapping = guessWithLastDone(core, parsed.headers, input.mapping ?? {}, { generateTags: prefix !== null });
  problems.push(...mapping.problems);
  warnings.push(...mapping.warnings);
  if (parsed.records.length === 0) problems.push({ message: 'The file has column names but no rows of equipment.' });

  const columnOf = new Map<EquipmentFileField, ColumnMapping>();
  for (const c of mapping.columns) if (c.field && !columnOf.has(c.field)) columnOf.set(c.field, c);

  const rows: ImportRow[] = [];
  const rowProblems = new Map<number, ImportMessage[]>();
  const say = (row: number, field: EquipmentFileField | null, why: string): ImportMessage => {
    const col = field ? columnOf.get(field) : undefined;
    return col
      ? { row, column: col.header, field: field!, message: `Row ${row}, column ${columnLabel(col)}: ${why}` }
      : { row, message: `Row ${row}: ${why}` };
  };
  const report = (row: number, field: EquipmentFileField | null, why: string) => {
    rowProblems.set(row, [...(rowProblems.get(row) ?? []), say(row, field, why)]);
  };

  for (const record of parsed.records) {
    const { row, cells } = record;
    const raw = (field: EquipmentFileField): string => {
      const col = columnOf.get(field);
      return col ? (cells[col.index] ?? '') : '';
    };
    const read = <T>(field: EquipmentFileField, cell: Cell<T>, fallback: T): T => {
      if (cell.ok) return cell.value;
      report(row, field, cell.why);
      return fallback;
    };
    if (cells.length > parsed.headers.length && cells.slice(parsed.headers.length).some((c) => c.trim() !== '')) {
      report(
        row,
        null,
        `it has ${cells.length} cells but the header row has ${parsed.headers.length} columns (is a cell holding a delimiter missing its quotes?).`,
      );
    }
    const tag = raw('asset_tag').trim();
    if (tag === '' && prefix === null && columnOf.has('asset_tag')) {
      report(row, 'asset_tag', 'the asset tag is blank. Fill it in, or choose to generate tags (PREFIX-00001, PREFIX-00002, …).');
    }
    const model = blankToNull(raw('model'));
    const category = blankToNull(raw('category'));
    let name = raw('name').trim();
    if (name === '' && columnOf.has('name')) {
      const stand = model ?? category;
      if (stand) {
        name = stand;
        warnings.push({
          row,
          column: columnOf.get('name')!.header,
          field: 'name',
          message: `Row ${row}, column ${columnLabel(columnOf.get('name')!)}: the name is blank, so the ${model ? 'model' : 'category'} "${stand}" is used as the name.`,
        });
      } else {
        report(
          row,
          'name',
          'the name is blank (it is required; a blank name is taken from the model or the category, and both are blank too).',
        );
      }
    }
    const location = raw('location').trim();
    if (location === '' && columnOf.has('location')) report(row, 'location', 'the location is blank (it is required).');
    const statusWord = raw('status').trim();
    rows.push({
      row,
      tag,
      tagGenerated: false,
      name,
      location,
      locationPath: '',
      category,
      manufacturer: blankToNull(raw('manufacturer')),
      model,
      serial: blankToNull(raw('serial')),
      risk: read('risk', readRisk(raw('risk')), null),
      ownership: read('ownership', readOwnership(raw('ownership')), null),
      status: read('status', readStatus(statusWord), 'in_service'),
      statusWord,
      acquiredOn: read('acquired_on', readDate(raw('acquired_on')), null),
      inServiceOn: read('in_service_on', readDate(raw('in_service_on')), null),
      warrantyUntil: read('warranty_until', readDate(raw('warranty_until')), null),
      referenceStandard: read('reference_standard', readYesNo(raw('reference_standard')), false),
      notes: blankToNull(raw('notes')),
      problemCount: 0,
      fields: null,
    });
  }

  // When each task was last done (last-done columns): problems per row like any other cell.
  const lastDone = readLastDone(mapping.columns, parsed.records, localDate(core.clock.now()));
  for (const p of lastDone.problems) rowProblems.set(p.row!, [...(rowProblems.get(p.row!) ?? []), p]);

  // Asset tags: unique within the file and against the database, case and spaces ignored.
  const firstRowOfTag = new Map<string, number>();
  const tagRefused = new Set<number>();
  const keys = new Set<string>();
  for (const r of rows) if (r.tag !== '') keys.add(assetTagKey(r.tag));
  const inUse = new Map<string, { assetTag: string; name: string }>();
  for (const [key, assetTag, name] of tagsInUse.all(core, { keys: JSON.stringify([...keys]) })) inUse.set(key, { assetTag, name });
  for (const r of rows) {
    if (r.tag === '') continue;
    const key = assetTagKey(r.tag);
    const first = firstRowOfTag.get(key);
    if (first !== undefined) {
      report(r.row, 'asset_tag', `asset tag ${quoted(r.tag)} is already on row ${first}.`);
      tagRefused.add(r.row);
      continue;
    }
    firstRowOfTag.set(key, r.row);
    const clash = inUse.get(key);
    if (clash) {
      report(r.row, 'asset_tag', `asset tag ${quoted(r.tag)} is already used by ${quoted(clash.name)} (${clash.assetTag}) in the inventory.`);
      tagRefused.add(r.row);
    }
  }
  const generatedTags: string[] = [];
  if (prefix !== null) {
    // The next free numbers: after the highest PREFIX-n in the database or the file.
    const existing = tagsLike.all(core, { pattern: `${prefix.toUpperCase().replace(/[\\%_]/g, (c) => `\\${c}`)}-%` });
    let n = Math.max(0, ...[...existing.map((e) => e.asset_tag_key), ...firstRowOfTag.keys()].map((t) => generatedNumber(prefix, t) ?? 0));
    for (const r of rows) {
      if (r.tag !== '') continue;
      r.tag = generatedTag(prefix, ++n);
      r.tagGenerated = true;
      generatedTags.push(r.tag);
    }
  }
  // The same device twice: a serial with the same manufacturer and model as a device in the
  // inventory or a row above. Its own tag cannot tell a second import of the same file from the
  // first when the tags are generated, so that refuses the file; a row with a tag of its own may be
  // a device relabelled on purpose, so it is said and imported.
  const serialRows = rows.filter((r) => r.serial !== null && !tagRefused.has(r.row));
  const onFile = new Map<string, string>();
  const serials = new Set(serialRows.map((r) => asciiLower(r.serial!)));
  for (const d of serialsInUse.all(core, { serials: JSON.stringify([...serials]) })) {
    // Of two devices already alike, the first tag in order, whatever order the scan found them in.
    const key = deviceKey(d.serial!, d.manufacturer, d.model);
    const held = onFile.get(key);
    if (held === undefined || d.asset_tag < held) onFile.set(key, d.asset_tag);
  }
  const firstRowOfDevice = new Map<string, number>();
  for (const r of serialRows) {
    const key = deviceKey(r.serial!, r.manufacturer, r.model);
    const tag = onFile.get(key);
    const first = firstRowOfDevice.get(key);
    if (first === undefined) firstRowOfDevice.set(key, r.row);
    if (tag === undefined && first === undefined) continue;
    const what = [r.manufacturer, r.model].filter((t) => t !== null).join(' ');
    const why = `serial ${quoted(r.serial!)}${what === '' ? '' : ` (${what})`} is already on ${tag !== undefined ? `${tag} in the inventory` : `row ${first}`}.`;
    if (r.tagGenerated) report(r.row, 'serial', why);
    else warnings.push(say(r.row, 'serial', why));
  }

  // Tags that print like another (look-alike-tags.ts): against the inventory, read once for the
  // file, and the rows above. A tag the schema refuses (an invisible character…) is said below.
  const printed = new PrintedTags(core);
  const fileRowOf = new Map<string, number>();
  for (const r of rows) {
    if (r.tag === '' || tagRefused.has(r.row) || assetTagProblem(r.tag) !== null) continue;
    const alike = printed.clash(r.tag);
    if (alike) {
      const onRow = fileRowOf.get(alike.id);
      report(
        r.row,
        'asset_tag',
        onRow !== undefined
          ? `asset tag ${quoted(r.tag)} prints like ${quoted(alike.asset_tag)} on row ${onRow}: a sticker or a scan could not tell them apart.`
          : `asset tag ${quoted(r.tag)} prints like ${alike.asset_tag}, already used by ${quoted(alike.name)} in the inventory: a sticker or a scan could not tell them apart.`,
      );
      continue;
    }
    const holder = { id: `row ${r.row}`, asset_tag: r.tag, name: r.name };
    fileRowOf.set(holder.id, r.row);
    printed.add(r.tag, holder);
  }

  // Locations: found, or created on import (with any missing levels above them).
  const locations: Location[] = listLocations(core);
  const planned: string[] = [];
  // The row that first makes each planned location, to name it when a later one prints like it.
  const plannedOnRow = new Map<string, number>();
  let deactivated: Pick<LocationRow, 'id' | 'parent_id' | 'name'>[] | null = null;
  // A planned location that brings back one taken out of use (its name): the locations taken out of use inside that one are beside its new levels.
  const comesBack = new Map<string, string>();
  /**
   * Why a level the import would create is refused, in the rules createLocation keeps when the
   * level is written (locations/service.ts, reference-names.ts): a character that does not print
   * as itself, or a name that prints like a location beside it (there now, taken out of use, or
   * made by a row above). Said here, by row and column, so the preview and --dry-run show it.
   */
  const newLevelProblem = (name: string, parentId: string | null, path: string): { why: string } | { returning: string | null } => {
    deactivated ??= deactivatedPlaces.all(core);
    const key = nameKey(name);
    const parentRowId = parentId === null ? null : (comesBack.get(parentId) ?? parentId);
    const inactive = deactivated.filter((l) => l.parent_id === parentRowId);
    // A location taken out of use comes back under the same name; as written before, it is not checked again.
    const returning = inactive.find((l) => nameKey(l.name) === key);
    if (returning && returning.name === name) return { returning: returning.id };
    const beside = [
      ...locations.filter((l) => l.parentId === parentId).map((l) => ({ id: l.id, name: l.name, path: l.path, active: true })),
      ...inactive.filter((l) => l !== returning).map((l) => ({ id: l.id, name: l.name, path: l.name, active: false })),
    ];
    const alike = printsLike(name, beside);
    if (alike) {
      // Where the two differ, as people and Unicode's charts name a character: "Ward 4В" and "Ward 4B" print the same.
      const oddIn = (a: string, b: string) => [...a].find((ch) => ch > '\u007f' && !b.includes(ch));
      const unseen = firstHiddenCharacter(name);
      const odd = oddIn(name, alike.name);
      const theirs = oddIn(alike.name, name);
      const note = unseen
        ? ` (it holds ${unseen.code}, which does not print as itself)`
        : odd !== undefined
          ? ` (its "${odd}" is ${codePointName(odd)})`
          : theirs !== undefined
            ? ` (that one's "${theirs}" is ${codePointName(theirs)})`
            : '';
      const onRow = plannedOnRow.get(alike.id);
      const [which, instead] = !alike.active
        ? [`${quoted(alike.name)}, a deactivated location there`, `Write ${quoted(alike.name)} to bring it back`]
        : onRow !== undefined
          ? [`${quoted(alike.path)}, which row ${onRow} makes`, 'Write the two the same']
          : [`the location ${quoted(alike.path)}`, 'Write the name of the location there'];
      return {
        why: `the new location ${quoted(path)} prints like ${which}${note}: a due list must never show two places that look the same. ${instead}, or a name that reads differently.`,
      };
    }
    const hidden = printsAsNothing(name) ? 'only characters that print as nothing' : hiddenInName(name);
    if (hidden) return { why: `the location name ${quoted(name)} holds ${hidden}: type it with letters, digits, plain spaces and punctuation only.` };
    return { returning: returning?.id ?? null };
  };
  // Resolved once per distinct text, in file order, as the import resolves them when it writes.
  const resolved = new Map<string, { path: string } | { why: string }>();
  const resolve = (text: string, row: number): { path: string } | { why: string } => {
    const parts = splitLocationPath(text);
    const tooLong = parts.find((p) => p.length > 120);
    if (parts.length === 0) return { why: `${quoted(text)} is not a location name.` };
    if (tooLong) return { why: `the location name ${quoted(tooLong)} is longer than 120 characters.` };
    if (parts.length > LOCATION_KINDS.length)
      return { why: `${quoted(text)} has ${parts.length} levels; locations go three deep (Site > Ward > Room).` };
    // A single name matches a location there before the import, or a site an earlier row makes; not
    // a ward or room an earlier row makes ("Ward X" after "Hosp > Ward X" is a site of its own), so
    // the file means the same whatever its order, and an export imports back unchanged.
    const found = lookupLocationPath(parts.length === 1 ? locations.filter((l) => l.parentId === null || !l.id.startsWith('new:')) : locations, text);
    if (found.kind === 'found') return { path: found.location.path };
    if (found.kind === 'ambiguous') return { why: `${found.message}.` };
    // Every level from the first missing one down is new. Planned locations join the list,
    // so later rows resolve exactly as they will once the earlier rows have created them.
    let parent: Location | null = null;
    for (let i = 0; i < parts.length; i++) {
      const parentId: string | null = parent ? parent.id : null;
      const key = nameKey(parts[i]!);
      const existing: Location | undefined = locations.find((l) => l.parentId === parentId && nameKey(l.name) === key);
      if (existing) {
        parent = existing;
        continue;
      }
      const path = parts.slice(0, i + 1).join(PATH_SEPARATOR);
      const checked = newLevelProblem(parts[i]!, parentId, path);
      if ('why' in checked) return checked;
      const node: Location = { id: `new:${locations.length}`, parentId, name: parts[i]!, kind: LOCATION_KINDS[i]!, path };
      if (checked.returning !== null) comesBack.set(node.id, checked.returning);
      locations.push(node);
      planned.push(path);
      plannedOnRow.set(node.id, row);
      parent = node;
    }
    return { path: parent ? parent.path : parts.join(PATH_SEPARATOR) };
  };
  for (const r of rows) {
    if (r.location === '') continue;
    let result = resolved.get(r.location);
    if (!result) {
      result = resolve(r.location, r.row);
      resolved.set(r.location, result);
    }
    if ('why' in result) report(r.row, 'location', result.why);
    else r.locationPath = result.path;
  }

  // Categories: matched by name, case ignored; created on import otherwise. A row without a risk
  // takes its category's default risk, as the add form fills it in (so a high-risk category's
  // devices are in the compliance report's high-risk table).
  const newCategories = new Map<string, string>();
  const categoryNames = new Map<string, string>(); // folded → as it will be stored
  const categoryRisks = new Map<string, Risk | null>();
  // A new category the import could not make (taken out of use, printing like another): said by row in the preview.
  const categoryProblems = new Map<string, string | null>();
  for (const r of rows) {
    if (r.category === null) continue;
    if (r.category.length > 120) {
      report(r.row, 'category', `the category name ${quoted(r.category)} is longer than 120 characters.`);
      continue;
    }
    const key = nameKey(r.category);
    if (!categoryNames.has(key)) {
      const found = findCategoryByName(core, r.category);
      categoryNames.set(key, found ? found.name : r.category);
      categoryRisks.set(key, found?.defaultRisk ?? null);
      categoryProblems.set(key, found ? null : newCategoryProblem(core, r.category));
      if (!found) newCategories.set(key, r.category);
    }
    const problem = categoryProblems.get(key);
    if (problem) {
      report(r.row, 'category', problem);
      continue;
    }
    r.category = categoryNames.get(key)!;
    r.risk ??= categoryRisks.get(key) ?? null;
  }

  // Last, the same schema the add form uses: lengths, characters that do not print as themselves. Read once: the import writes what it gives.
  for (const r of rows) {
    const fields: EquipmentFieldsInput = {
      assetTag: r.tag === '' ? 'x' : r.tag,
      name: r.name === '' ? 'x' : r.name,
      locationId: PLACEHOLDER_ID,
      categoryId: r.category === null ? null : PLACEHOLDER_ID,
      manufacturer: r.manufacturer,
      model: r.model,
      serial: r.serial,
      risk: r.risk,
      ownership: r.ownership,
      acquiredOn: r.acquiredOn,
      inServiceOn: r.inServiceOn,
      warrantyUntil: r.warrantyUntil,
      referenceStandard: r.referenceStandard,
      notes: r.notes,
    };
    const result = EquipmentFields.safeParse(fields);
    if (result.success) {
      r.fields = result.data;
      continue;
    }
    const seen = new Set<string>();
    for (const issue of result.error.issues) {
      const field = SCHEMA_TO_FILE[String(issue.path[0])];
      if (!field || seen.has(field)) continue;
      seen.add(field);
      report(r.row, field, `the value ${issue.message.replace(/\.$/, '')}.`);
    }
  }

  warnings.push(...unusedLastDone(core, rows, lastDone.byRow));
  for (const r of rows) r.problemCount = rowProblems.get(r.row)?.length ?? 0;
  const ordered = [...rowProblems.entries()].sort(([a], [b]) => a - b).flatMap(([, list]) => list);
  const statusWords = new Map<string, StatusWordUse>();
  for (const r of rows) {
    const key = `${r.statusWord}\u0000${r.status}`;
    const use = statusWords.get(key) ?? { word: r.statusWord, status: r.status, count: 0 };
    use.count++;
    statusWords.set(key, use);
  }
  return {
    ...base,
    columns: mapping.columns,
    problems: [...problems, ...ordered],
    warnings,
    rows,
    newLocations: [...planned].sort((a, b) => a.localeCompare(b)),
    newCategories: [...newCategories.values()].sort((a, b) => a.localeCompare(b)),
    statusWords: [...statusWords.values()].sort((a, b) => b.count - a.count || a.word.localeCompare(b.word)),
    generatedTags,
    lastDone: lastDone.byRow,
  };
}

function previewRow(r: ImportRow): ImportPreviewRow {
  const values: Record<EquipmentFileField, string | null> = {
    asset_tag: r.tag || null,
    name: r.name || null,
    location: r.locationPath || r.location || null,
    category: r.category,
    manufacturer: r.manufacturer,
    model: r.model,
    serial: r.serial,
    risk: r.risk,
    ownership: r.ownership,
    status: r.status,
    acquired_on: r.acquiredOn,
    in_service_on: r.inServiceOn,
    warranty_until: r.warrantyUntil,
    reference_standard: r.referenceStandard ? 'yes' : 'no',
    notes: r.notes,
  };
  return { row: r.row, values, tagGenerated: r.tagGenerated, problemCount: r.problemCount };
}

/** What the import would do, for the preview screen and `--dry-run`. Writes nothing. */
export function previewEquipmentImport(core: Core, input: EquipmentImportInputValue): ImportPreview {
  return previewOf(core, analyseEquipmentImport(core, input));
}

function previewOf(core: Core, a: Analysis): ImportPreview {
  const invalid = a.rows.filter((r) => r.problemCount > 0).length;
  return {
    encoding: a.encoding,
    delimiter: a.delimiter,
    headers: a.headers,
    columns: a.columns,
    warnings: a.warnings,
    problems: a.problems,
    rows: a.rows.slice(0, PREVIEW_ROWS).map((r) => {
      const lastDone = a.lastDone.get(r.row);
      return { ...previewRow(r), ...(lastDone ? { lastDone } : {}), nextDue: dueOnArrival(core, r.category, lastDone, localDate(core.clock.now())).due };
    }),
    counts: { rows: a.rows.length, valid: a.rows.length - invalid, invalid, tagsGenerated: a.generatedTags.length },
    newLocations: a.newLocations,
    newCategories: a.newCategories,
    statusWords: a.statusWords,
  };
}

/**
 * The command line's import (issue 17: the file is read and checked once, inside the transaction
 * that writes it): every row imported, or, when the file has a problem, nothing written and the
 * preview that lists every problem.
 */
export function importEquipmentOrPreview(
  core: WriteCore,
  actor: Actor,
  input: EquipmentImportInputValue,
  source?: { fileName?: string },
): { imported: ImportResult; refused: null } | { imported: null; refused: ImportPreview } {
  const a = analyseEquipmentImport(core, input);
  if (a.problems.length > 0) return { imported: null, refused: previewOf(core, a) };
  return { imported: writeAnalysed(core, actor, a, source), refused: null };
}

/**
 * Imports every row or none: checked again inside the caller's one transaction, and any problem
 * throws an AppError listing every problem in `details` before a single row is written.
 */
export function commitEquipmentImport(
  core: WriteCore,
  actor: Actor,
  input: EquipmentImportInputValue,
  source?: { fileName?: string },
): ImportResult {
  const a = analyseEquipmentImport(core, input);
  if (a.problems.length > 0) {
    const n = a.problems.length;
    throw new AppError(
      'invalid_input',
      `Nothing was imported: the file has ${n} problem${n === 1 ? '' : 's'}. ${a.problems[0]!.message}`,
      {
        details: a.problems.map((p) => ({
          message: p.message,
          ...(p.row !== undefined ? { row: p.row } : {}),
          ...(p.field ? { field: p.field } : {}),
        })),
      },
    );
  }
  return writeAnalysed(core, actor, a, source);
}

/**
 * Writes the rows of a file that has no problem, each device with its audit entry, then the
 * import's own entry. The entries are the ones each device gets when added alone, written in bulk
 * (issue 17: the chain's head kept in hand, not read back per device), and the search index is
 * filled for all the new devices at once.
 */
function writeAnalysed(core: WriteCore, actor: Actor, a: Analysis, source: { fileName?: string } | undefined): ImportResult {
  return withBulkAudit(core, () => withSearchFilledInBulk(core, () => writeRows(core, actor, a, source)));
}

function writeRows(core: WriteCore, actor: Actor, a: Analysis, source: { fileName?: string } | undefined): ImportResult {
  const locationIds = new Map<string, string>();
  const resolveLocation = locationPathResolver(core, actor);
  const categoryIds = new Map<string, string>();
  const withDefaults = new Map<string, boolean>();
  for (const r of a.rows) {
    let locationId = locationIds.get(r.location);
    if (!locationId) {
      // The full path the analysis resolved (a single name can match a location an earlier row made).
      const loc = resolveLocation(r.locationPath);
      if (!loc) throw new AppError('internal', `The location "${r.location}" could not be created.`);
      locationId = loc.id;
      locationIds.set(r.location, locationId);
    }
    let categoryId: string | null = null;
    if (r.category !== null) {
      const key = nameKey(r.category);
      categoryId = categoryIds.get(key) ?? null;
      if (!categoryId) {
        categoryId = (
          findCategoryByName(core, r.category) ?? createCategory(core, actor, { name: r.category, defaultRisk: null, notes: null })
        ).id;
        categoryIds.set(key, categoryId);
        withDefaults.set(categoryId, hasDefaultPlans(core, categoryId));
      }
    }
    if (!r.fields) throw new AppError('internal', `Row ${r.row} was not checked before it was written.`);
    // The row's own checked fields, written once: their placeholders replaced in place, not copied (issue 17).
    const fields: EquipmentFieldsValue = r.fields;
    fields.locationId = locationId;
    fields.categoryId = categoryId;
    // A foreign status word is kept as the reason, so the device page says where it came from.
    const mapped = r.statusWord !== '' && r.statusWord !== r.status;
    insertEquipment(core, actor, fields, {
      status: r.status,
      statusReason: mapped ? `Imported with status "${r.statusWord}".` : null,
      via: 'import',
      doneBefore: a.lastDone.get(r.row),
      categoryHasDefaults: categoryId !== null && withDefaults.get(categoryId) === true,
    });
  }
  appendAudit(core, actor, {
    action: 'import',
    entity: 'equipment',
    entityId: null,
    new: {
      file: source?.fileName ?? null,
      encoding: a.encoding,
      rows: a.rows.length,
      created: a.rows.length,
      generated_tags: a.generatedTags.length,
      new_locations: a.newLocations,
      new_categories: a.newCategories,
    },
  });
  return {
    created: a.rows.length,
    generatedTags: a.generatedTags,
    newLocations: a.newLocations,
    newCategories: a.newCategories,
    statusWords: a.statusWords,
    warnings: a.warnings,
  };
}
