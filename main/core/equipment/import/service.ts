import type {
  ColumnMapping,
  EquipmentImportInputValue,
  ImportMessage,
  ImportPreview,
  ImportPreviewRow,
  ImportResult,
  MappingGuess,
  StatusWordUse,
} from '../../../../shared/contract/equipment-import';
import type { IsoDate } from '../../../../shared/domain/common';
import { isPlainAscii, nameKey } from '../../../../shared/domain/common';
import { localDate } from '../../clock';
import type { EquipmentFieldsInput, EquipmentFieldsValue, EquipmentFileField, EquipmentStatus, Ownership, Risk } from '../../../../shared/domain/equipment';
import { assetTagKey, assetTagProblem, EquipmentFields } from '../../../../shared/domain/equipment';
import type { Location } from '../../../../shared/domain/location';
import { LOCATION_KINDS, PATH_SEPARATOR, splitLocationPath } from '../../../../shared/domain/location';
import { appendAudit, withBulkAudit } from '../../audit';
import type { Actor, Core, WriteCore } from '../../context';
import type { CsvEncoding } from '../../csv/decode';
import { decodeCsvBytes } from '../../csv/decode';
import type { CsvDelimiter, CsvHead, CsvRecord } from '../../csv/parse';
import { readCsv } from '../../csv/parse';
import { AppError } from '../../errors';
import { createCategory, findCategoryByName, newCategoryProblem } from '../../categories/service';
import { insertEquipment } from '../service';
import { PrintedTags, type TagHolder } from '../look-alike-tags';
import { withSearchFilledInBulk } from '../search';
import { hasDefaultPlans } from '../../plans/category-plans';
import { listLocations, locationPathResolver, lookupLocationPath } from '../../locations/service';
import { hiddenInName, printsAsNothing, printsLike } from '../../locations/reference-names';
import type { Cell } from './cells';
import { generatedNumber, generatedTag, quoted, readDate, readOwnership, readRisk, readStatus, readYesNo, remembered } from './cells';
import { columnLabel } from './mapping';
import { dueOnArrival, guessWithLastDone, readLastDone, unusedLastDone } from './last-done';
import { query, scalar, tuples } from '../../sql/query';
import type { EquipmentRow, LocationRow } from '../../sql/rows';
import { codePointName, firstHiddenCharacter } from '../../../../shared/hidden-characters';

/**
 * The devices already holding any of the keys (`@keys`, a JSON array): one statement per chunk of
 * rows. A device an earlier chunk wrote is never asked for (every tag above is known by its row
 * first). One lookup per row cost about 10 µs each outside a transaction (the preview runs on the
 * thread that answers the window, and each statement took and let go of its read lock): checking a
 * 50,000-row file took 2.3 s with them and 1.4 s with this (`wardkeep import equipment --dry-run`).
 */
const tagsInUse = tuples<[key: string, assetTag: EquipmentRow['asset_tag'], name: EquipmentRow['name']], { keys: string }>(
  'SELECT e.asset_tag_key, e.asset_tag, e.name FROM json_each(@keys) j JOIN equipment e ON e.asset_tag_key = j.value',
);
/**
 * The devices there before the import (rowid up to `@before`) whose serial is one of `@serials` (a
 * JSON array, ASCII letters in lower case, as SQLite's lower() writes them). Without an index on
 * serials it reads the inventory, which at 200,000 devices is a few tens of ms: asked only for a
 * chunk with a serial the inventory holds (inventorySerials).
 */
const serialsInUse = query<Pick<EquipmentRow, 'serial' | 'manufacturer' | 'model' | 'asset_tag'>, { serials: string; before: number }>(
  `SELECT e.serial, e.manufacturer, e.model, e.asset_tag FROM equipment e
   WHERE e.serial IS NOT NULL AND lower(e.serial) IN (SELECT value FROM json_each(@serials)) AND e.rowid <= @before`,
);
/** Every serial in the inventory, as SQLite's lower() writes it: read once per import, so a chunk reads the devices only for a serial there. */
const inventorySerials = query<{ serial: string }>('SELECT lower(serial) AS serial FROM equipment WHERE serial IS NOT NULL');
/** The newest device's rowid: a serial names a device there before the import, not one its earlier chunks wrote. */
const lastDeviceRowid = scalar<number>('SELECT coalesce(max(rowid), 0) FROM equipment');
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

/**
 * What a run over the file found: everything the preview and the result say, but no row beyond the
 * preview's (issue 17: the rows are checked, and written, a chunk at a time, and let go).
 */
interface Outcome {
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
  headers: string[];
  columns: ColumnMapping[];
  problems: ImportMessage[];
  warnings: ImportMessage[];
  /** How many rows the file has, and how many of them have a problem. */
  rowCount: number;
  invalid: number;
  /** The first rows, for the preview, and when each of their tasks was last done. */
  previewRows: ImportRow[];
  previewLastDone: Map<number, Record<string, IsoDate>>;
  newLocations: string[];
  newCategories: string[];
  statusWords: StatusWordUse[];
  generatedTags: string[];
}

/** Writes a chunk of checked rows (every one without a problem); `lastDone` holds the chunk's last-done dates by row. */
type WriteChunk = (rows: readonly ImportRow[], lastDone: ReadonlyMap<number, Record<string, IsoDate>>) => void;

/**
 * Rows checked (and written) at a time. Every check of a row depends only on the rows above it and
 * the database as it was, so a chunk is checked whole, phase by phase as the file used to be, and
 * then written while no row so far has a problem. Rows that live past a few young-generation
 * collections are promoted, and die in the old generation: the CLI's peak at 50,000 rows was
 * 305-310 MB with 100 or 500 rows a chunk, against 340-350 MB with 2,000 or 20,000, in the same
 * time (docs/performance.md, "the import streams").
 */
const CHUNK_ROWS = 500;

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

/**
 * Where a name differs from one it prints like, as people and Unicode's charts name a character
 * ("Ward 4В" and "Ward 4B" print the same), for the sentence that refuses it; "" when they differ
 * by nothing one can point at.
 */
function whereTheyDiffer(name: string, other: string): string {
  const oddIn = (a: string, b: string) => [...a].find((ch) => ch > '\u007f' && !b.includes(ch));
  const unseen = firstHiddenCharacter(name);
  if (unseen) return ` (it holds ${unseen.code}, which does not print as itself)`;
  const odd = oddIn(name, other);
  if (odd !== undefined) return ` (its "${odd}" is ${codePointName(odd)})`;
  const theirs = oddIn(other, name);
  return theirs !== undefined ? ` (that one's "${theirs}" is ${codePointName(theirs)})` : '';
}

/** A row of the file as PrintedTags holds it: the row it is on, said when a later row prints like it (no map of rows beside it; issue 17). */
type FileTagHolder = TagHolder & { fileRow: number };

const blankToNull = (s: string): string | null => (s.trim() === '' ? null : s.trim());

/** ASCII letters in lower case, as SQLite's lower() writes them (all of a serial that is plain ASCII, as nearly every one is, in one call). */
const asciiLower = (s: string): string => (isPlainAscii(s) ? s.toLowerCase() : s.replace(/[A-Z]+/g, (c) => c.toLowerCase()));

/** One device by serial, manufacturer and model: the serial's case ignored, the names' as for any name (`keyOf`: nameKey, kept per import). */
function deviceKey(keyOf: (name: string) => string, serial: string, manufacturer: string | null, model: string | null): string {
  return `${asciiLower(serial)}\u0000${keyOf(manufacturer ?? '')}\u0000${keyOf(model ?? '')}`;
}

/**
 * Reads, maps and checks an inventory file against the database, a chunk of rows at a time (issue
 * 17: it holds one chunk of rows and the checks' keys, not every row). Every problem is collected,
 * each a sentence naming row, column and value. With `write`, each chunk is written once it is
 * checked, as long as no row so far has a problem; the caller refuses the file, and its transaction
 * takes back what was written, when the outcome has any problem.
 */
function runImport(core: Core, input: EquipmentImportInputValue, write: WriteChunk | null, chunkRows = CHUNK_ROWS): Outcome {
  const { text, encoding } = textOf(input.source);
  const prefix = input.generateTagsPrefix ?? null;
  const today = localDate(core.clock.now());
  let headers: string[] = [];
  let mapping: MappingGuess | null = null;
  const columnOf = new Map<EquipmentFileField, ColumnMapping>();
  const readWarnings: ImportMessage[] = [];
  const serialWarnings: ImportMessage[] = [];
  const unusedWarnings: ImportMessage[] = [];
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
  // Called again for the same header when the file is read ahead first: the mapping is made once.
  const onHead = (head: CsvHead) => {
    headers = head.headers;
    if (mapping !== null || headers.every((h) => h === '')) return;
    mapping = guessWithLastDone(core, headers, input.mapping ?? {}, { generateTags: prefix !== null });
    for (const c of mapping.columns) if (c.field && !columnOf.has(c.field)) columnOf.set(c.field, c);
  };

  // Generated tags: the next free numbers, after the highest PREFIX-n in the database or anywhere in
  // the file, so then the file is read once ahead for its tags alone.
  let lastNumber = 0;
  if (prefix !== null) {
    let tagAt = -1;
    readCsv(
      text,
      (head) => {
        onHead(head);
        tagAt = columnOf.get('asset_tag')?.index ?? -1;
      },
      ({ cells }) => {
        const tag = tagAt < 0 ? '' : (cells[tagAt] ?? '').trim();
        if (tag !== '') lastNumber = Math.max(lastNumber, generatedNumber(prefix, assetTagKey(tag)) ?? 0);
      },
    );
    const existing = tagsLike.all(core, { pattern: `${prefix.toUpperCase().replace(/[\\%_]/g, (c) => `\\${c}`)}-%` });
    for (const e of existing) lastNumber = Math.max(lastNumber, generatedNumber(prefix, e.asset_tag_key) ?? 0);
  }
  const generatedTags: string[] = [];
  // The inventory's newest device before a row is written, and its serials, read once when a row
  // first has one: a chunk asks the database for the devices behind the few serials the inventory
  // holds (one read of the inventory, not one per chunk), and only for devices there before the
  // import (a serial an earlier chunk wrote may be in the set; the query still leaves its device out).
  const devicesBefore = lastDeviceRowid.get(core) ?? 0;
  let serialsBefore: Set<string> | null = null;

  // What the checks keep from row to row: keys, and what each distinct location and category resolves to.
  const firstRowOfTag = new Map<string, number>();
  const firstRowOfDevice = new Map<string, number>();
  // Tags that print like another (look-alike-tags.ts): against the inventory, read once for the
  // file, and the rows above. A tag the schema refuses (an invisible character…) is said below.
  const printed = new PrintedTags(core);

  // Locations: found, or created on import (with any missing levels above them).
  const locations: Location[] = listLocations(core);
  const planned: string[] = [];
  // The row that first makes each planned location, to name it when a later one prints like it.
  const plannedOnRow = new Map<string, number>();
  // Read before a row is written: once the import brings a location back into use, the rows after it are still checked as the first were.
  const deactivated = deactivatedPlaces.all(core);
  // A planned location that brings back one taken out of use (its name): the locations taken out of use inside that one are beside its new levels.
  const comesBack = new Map<string, string>();
  /**
   * Why a level the import would create is refused, in the rules createLocation keeps when the
   * level is written (locations/service.ts, reference-names.ts): a character that does not print
   * as itself, or a name that prints like a location beside it (there now, taken out of use, or
   * made by a row above). Said here, by row and column, so the preview and --dry-run show it.
   */
  const newLevelProblem = (name: string, parentId: string | null, path: string): { why: string } | { returning: string | null } => {
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
      const note = whereTheyDiffer(name, alike.name);
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
  // Categories: matched by name, case ignored; created on import otherwise. A row without a risk
  // takes its category's default risk, as the add form fills it in (so a high-risk category's
  // devices are in the compliance report's high-risk table).
  const newCategories = new Map<string, string>();
  // The new categories the file makes, with the row that first names each: a later one that prints like one of them is refused by row.
  const plannedCategories: { name: string; row: number }[] = [];
  const categoryNames = new Map<string, string>(); // folded → as it will be stored
  const categoryRisks = new Map<string, Risk | null>();
  // A new category the import could not make (taken out of use, printing like another): said by row in the preview.
  const categoryProblems = new Map<string, string | null>();
  const statusWords = new Map<string, StatusWordUse>();
  // The names' keys (makers, models, categories): a file names a few of them on thousands of rows.
  const keyOfName = remembered(nameKey, 10_000);
  const previewRows: ImportRow[] = [];
  const previewLastDone = new Map<number, Record<string, IsoDate>>();
  let rowCount = 0;

  const check = (records: readonly CsvRecord[]) => {
    const rows: ImportRow[] = [];
    for (const record of records) {
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
      if (cells.length > headers.length && cells.slice(headers.length).some((c) => c.trim() !== '')) {
        report(
          row,
          null,
          `it has ${cells.length} cells but the header row has ${headers.length} columns (is a cell holding a delimiter missing its quotes?).`,
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
          readWarnings.push({
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
    const lastDone = readLastDone(mapping!.columns, records, today);
    for (const p of lastDone.problems) rowProblems.set(p.row!, [...(rowProblems.get(p.row!) ?? []), p]);

    // Asset tags: unique within the file and against the database, case and spaces ignored.
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
      // Not one an earlier chunk wrote: every tag of the file above is in firstRowOfTag.
      const clash = inUse.get(key);
      if (clash) {
        report(r.row, 'asset_tag', `asset tag ${quoted(r.tag)} is already used by ${quoted(clash.name)} (${clash.assetTag}) in the inventory.`);
        tagRefused.add(r.row);
      }
    }
    if (prefix !== null) {
      for (const r of rows) {
        if (r.tag !== '') continue;
        r.tag = generatedTag(prefix, ++lastNumber);
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
    const serials = new Set<string>();
    if (serialRows.length > 0) {
      serialsBefore ??= new Set(inventorySerials.all(core).map((d) => d.serial));
      // A new hospital's first import: no serial to look for.
      if (serialsBefore.size > 0) {
        for (const r of serialRows) {
          const serial = asciiLower(r.serial!);
          if (serialsBefore.has(serial)) serials.add(serial);
        }
      }
    }
    if (serials.size > 0) {
      for (const d of serialsInUse.all(core, { serials: JSON.stringify([...serials]), before: devicesBefore })) {
        // Of two devices already alike, the first tag in order, whatever order the scan found them in.
        const key = deviceKey(keyOfName, d.serial!, d.manufacturer, d.model);
        const held = onFile.get(key);
        if (held === undefined || d.asset_tag < held) onFile.set(key, d.asset_tag);
      }
    }
    for (const r of serialRows) {
      const key = deviceKey(keyOfName, r.serial!, r.manufacturer, r.model);
      const tag = onFile.get(key);
      const first = firstRowOfDevice.get(key);
      if (first === undefined) firstRowOfDevice.set(key, r.row);
      if (tag === undefined && first === undefined) continue;
      const what = [r.manufacturer, r.model].filter((t) => t !== null).join(' ');
      const why = `serial ${quoted(r.serial!)}${what === '' ? '' : ` (${what})`} is already on ${tag !== undefined ? `${tag} in the inventory` : `row ${first}`}.`;
      if (r.tagGenerated) report(r.row, 'serial', why);
      else serialWarnings.push(say(r.row, 'serial', why));
    }

    // Tags that print like another, generated ones too: against the inventory and the rows above.
    for (const r of rows) {
      if (r.tag === '' || tagRefused.has(r.row) || assetTagProblem(r.tag) !== null) continue;
      const alike = printed.clash(r.tag);
      if (alike) {
        const onRow = (alike as Partial<FileTagHolder>).fileRow;
        report(
          r.row,
          'asset_tag',
          onRow !== undefined
            ? `asset tag ${quoted(r.tag)} prints like ${quoted(alike.asset_tag)} on row ${onRow}: a sticker or a scan could not tell them apart.`
            : `asset tag ${quoted(r.tag)} prints like ${alike.asset_tag}, already used by ${quoted(alike.name)} in the inventory: a sticker or a scan could not tell them apart.`,
        );
        continue;
      }
      const holder: FileTagHolder = { id: `row ${r.row}`, asset_tag: r.tag, name: r.name, fileRow: r.row };
      printed.add(r.tag, holder);
    }

    // Locations: each distinct text resolved once, in file order, as the writer will make them.
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

    // Categories: each distinct name matched, or checked as a new one, once.
    for (const r of rows) {
      if (r.category === null) continue;
      if (r.category.length > 120) {
        report(r.row, 'category', `the category name ${quoted(r.category)} is longer than 120 characters.`);
        continue;
      }
      const key = keyOfName(r.category);
      if (!categoryNames.has(key)) {
        const found = findCategoryByName(core, r.category);
        categoryNames.set(key, found ? found.name : r.category);
        categoryRisks.set(key, found?.defaultRisk ?? null);
        // createCategory refuses a name printing like a category it made for a row above: said here, so the preview shows it.
        const twin = found ? undefined : printsLike(r.category, plannedCategories);
        const problem = found
          ? null
          : twin
            ? `the new category ${quoted(r.category)} prints like ${quoted(twin.name)}, which row ${twin.row} makes${whereTheyDiffer(r.category, twin.name)}: a device list must never show two categories that look the same. Write the two the same, or a name that reads differently.`
            : newCategoryProblem(core, r.category);
        categoryProblems.set(key, problem);
        // Only what the import would make, as with locations: a refused name is said by row instead.
        if (!found && problem === null) {
          newCategories.set(key, r.category);
          plannedCategories.push({ name: r.category, row: r.row });
        }
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

    unusedWarnings.push(...unusedLastDone(core, rows, lastDone.byRow));
    // What the file's status words mean, counted; the first rows kept for the preview; the chunk written while the file is clean so far.
    for (const r of rows) {
      const key = `${r.statusWord}\u0000${r.status}`;
      const use = statusWords.get(key) ?? { word: r.statusWord, status: r.status, count: 0 };
      use.count++;
      statusWords.set(key, use);
    }
    for (const r of rows.slice(0, PREVIEW_ROWS - previewRows.length)) {
      previewRows.push(r);
      const dates = lastDone.byRow.get(r.row);
      if (dates) previewLastDone.set(r.row, dates);
    }
    rowCount += rows.length;
    if (write && mapping!.problems.length === 0 && rowProblems.size === 0) write(rows, lastDone.byRow);
  };

  let chunk: CsvRecord[] = [];
  const parsed = readCsv(text, onHead, (record) => {
    if (mapping === null) return;
    chunk.push(record);
    if (chunk.length < chunkRows) return;
    check(chunk);
    chunk = [];
  });
  if (mapping !== null && chunk.length > 0) check(chunk);

  const problems: ImportMessage[] = parsed.problems.map((p) => ({ row: p.row, message: p.message }));
  const base = { encoding, delimiter: parsed.delimiter, headers: parsed.headers };
  // Set by onHead, which TypeScript does not see run.
  const found = mapping as MappingGuess | null;
  if (found === null) {
    problems.push({ message: 'The file is empty: its first row must hold the column names.' });
    const none = { rowCount: 0, invalid: 0, previewRows: [], previewLastDone: new Map<number, Record<string, IsoDate>>() };
    return { ...base, ...none, columns: [], problems, warnings: [], newLocations: [], newCategories: [], statusWords: [], generatedTags: [] };
  }
  problems.push(...found.problems);
  if (rowCount === 0) problems.push({ message: 'The file has column names but no rows of equipment.' });
  for (const r of previewRows) r.problemCount = rowProblems.get(r.row)?.length ?? 0;
  const ordered = [...rowProblems.entries()].sort(([a], [b]) => a - b).flatMap(([, list]) => list);
  return {
    ...base,
    columns: found.columns,
    problems: [...problems, ...ordered],
    warnings: [...found.warnings, ...readWarnings, ...serialWarnings, ...unusedWarnings],
    rowCount,
    invalid: rowProblems.size,
    previewRows,
    previewLastDone,
    newLocations: [...planned].sort((a, b) => a.localeCompare(b)),
    newCategories: [...newCategories.values()].sort((a, b) => a.localeCompare(b)),
    statusWords: [...statusWords.values()].sort((a, b) => b.count - a.count || a.word.localeCompare(b.word)),
    generatedTags,
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
export function previewEquipmentImport(core: Core, input: EquipmentImportInputValue, tuning: ImportTuning = {}): ImportPreview {
  return previewOf(core, runImport(core, input, null, tuning.chunkRows));
}

/** For tests: how many rows are checked and written at a time (CHUNK_ROWS unless said). */
export interface ImportTuning {
  chunkRows?: number;
}

function previewOf(core: Core, a: Outcome): ImportPreview {
  return {
    encoding: a.encoding,
    delimiter: a.delimiter,
    headers: a.headers,
    columns: a.columns,
    warnings: a.warnings,
    problems: a.problems,
    rows: a.previewRows.map((r) => {
      const lastDone = a.previewLastDone.get(r.row);
      return { ...previewRow(r), ...(lastDone ? { lastDone } : {}), nextDue: dueOnArrival(core, r.category, lastDone, localDate(core.clock.now())).due };
    }),
    counts: { rows: a.rowCount, valid: a.rowCount - a.invalid, invalid: a.invalid, tagsGenerated: a.generatedTags.length },
    newLocations: a.newLocations,
    newCategories: a.newCategories,
    statusWords: a.statusWords,
  };
}

/**
 * A file refused: the message and details the app's channel has always said, and the preview that
 * lists every problem, which the command line prints. Thrown from inside the transaction, so what
 * the chunks before the first problem wrote is taken back with it.
 */
export class ImportRefused extends AppError {
  constructor(readonly preview: ImportPreview) {
    const n = preview.problems.length;
    super('invalid_input', `Nothing was imported: the file has ${n} problem${n === 1 ? '' : 's'}. ${preview.problems[0]!.message}`, {
      details: preview.problems.map((p) => ({
        message: p.message,
        ...(p.row !== undefined ? { row: p.row } : {}),
        ...(p.field ? { field: p.field } : {}),
      })),
    });
  }
}

/**
 * Imports every row or none, inside the caller's one transaction (issue 17: the file is read and
 * checked once, a chunk at a time, each chunk written as soon as it is checked). A file with any
 * problem throws ImportRefused, listing every problem, and the caller's transaction is rolled back.
 * Each device gets the audit entry it gets when added alone, written in bulk (the chain's head kept
 * in hand, not read back per device), then the import's own entry; the search index is filled for
 * all the new devices at once.
 */
export function commitEquipmentImport(
  core: WriteCore,
  actor: Actor,
  input: EquipmentImportInputValue,
  source?: { fileName?: string },
  tuning: ImportTuning = {},
): ImportResult {
  return withBulkAudit(core, () =>
    withSearchFilledInBulk(core, () => {
      const a = runImport(core, input, rowWriter(core, actor), tuning.chunkRows);
      if (a.problems.length > 0) throw new ImportRefused(previewOf(core, a));
      appendAudit(core, actor, {
        action: 'import',
        entity: 'equipment',
        entityId: null,
        new: {
          file: source?.fileName ?? null,
          encoding: a.encoding,
          rows: a.rowCount,
          created: a.rowCount,
          generated_tags: a.generatedTags.length,
          new_locations: a.newLocations,
          new_categories: a.newCategories,
        },
      });
      return {
        created: a.rowCount,
        generatedTags: a.generatedTags,
        newLocations: a.newLocations,
        newCategories: a.newCategories,
        statusWords: a.statusWords,
        warnings: a.warnings,
      };
    }),
  );
}

/** Writes checked rows chunk by chunk: each location and category made once, when a row first needs it. */
function rowWriter(core: WriteCore, actor: Actor): WriteChunk {
  const locationIds = new Map<string, string>();
  const resolveLocation = locationPathResolver(core, actor);
  const categoryIds = new Map<string, string>();
  const withDefaults = new Map<string, boolean>();
  return (rows, lastDone) => {
    for (const r of rows) {
      let locationId = locationIds.get(r.location);
      if (!locationId) {
        // The full path the check resolved (a single name can match a location an earlier row made).
        const loc = resolveLocation(r.locationPath);
        if (!loc) throw new AppError('internal', `The location "${r.location}" could not be created.`);
        locationId = loc.id;
        locationIds.set(r.location, locationId);
      }
      let categoryId: string | null = null;
      if (r.category !== null) {
        // The check wrote each category's one name (as stored, or as it will be made) on its rows: the key of its map.
        categoryId = categoryIds.get(r.category) ?? null;
        if (!categoryId) {
          categoryId = (
            findCategoryByName(core, r.category) ?? createCategory(core, actor, { name: r.category, defaultRisk: null, notes: null })
          ).id;
          categoryIds.set(r.category, categoryId);
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
        doneBefore: lastDone.get(r.row),
        categoryHasDefaults: categoryId !== null && withDefaults.get(categoryId) === true,
      });
    }
  };
}
