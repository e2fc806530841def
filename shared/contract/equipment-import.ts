import { z } from 'zod';
import type { EquipmentFileField, EquipmentStatus } from '../domain/equipment';
import { EQUIPMENT_FILE_FIELDS } from '../domain/equipment';
import { channel } from './channel';

/** A problem or a warning about an import file, as a sentence naming row and column. */
export interface ImportMessage {
  message: string;
  /** Spreadsheet row: the header is row 1. Absent for problems of the whole file or a column. */
  row?: number;
  /** The column's header as written in the file. */
  column?: string;
  field?: EquipmentFileField;
}

export interface ColumnMapping {
  /** 0-based position in the file. */
  index: number;
  header: string;
  field: EquipmentFileField | null;
  /** `name`: the header is the field's name; `alias`: a known alias; `chosen`: set by the user. */
  how: 'name' | 'alias' | 'chosen' | 'ignored' | 'unmatched';
  /** A `last_<task>` column: when that task was last done before the device came (issue 16). */
  lastDoneTask?: string;
}

/**
 * `last_calibration`, `last_inspection`, `last_electrical_safety`, `last_cleaning`, and
 * `last_<code>` for any task type: when the task was last done before the device came.
 */
export const LAST_DONE_PREFIX = 'last_';
export type LastDoneField = `last_${string}`;
export const isLastDoneField = (value: string): value is LastDoneField => /^last_[a-z0-9_]{1,40}$/.test(value);
export const lastDoneTaskOf = (field: LastDoneField): string => field.slice(LAST_DONE_PREFIX.length);

/** A device's first due date per default plan of its category, as the import will make them. */
export interface ArrivalDue {
  task: string;
  taskLabel: string;
  dueDate: string;
  /** When it was last done (from its last-done column), or null: then due on the day of the import. */
  lastDone: string | null;
}

export interface MappingGuess {
  columns: ColumnMapping[];
  /** A required field with no column, or two columns for one field: the import cannot go on. */
  problems: ImportMessage[];
  /** Columns that match no field and are ignored. */
  warnings: ImportMessage[];
}

export interface ImportPreviewRow {
  row: number;
  /** Normalised values as they would be stored (status as its code, dates `YYYY-MM-DD`). */
  values: Record<EquipmentFileField, string | null>;
  /** True when the asset tag was generated. */
  tagGenerated: boolean;
  problemCount: number;
  /** Task → when it was last done, from the last-done columns. */
  lastDone?: Record<string, string>;
  /** The next due dates the device will have (its category's default plans), from its last-done dates. */
  nextDue?: ArrivalDue[];
}

export interface StatusWordUse {
  /** As written in the file ('' for blank). */
  word: string;
  status: EquipmentStatus;
  count: number;
}

export interface ImportPreview {
  /** How the file's bytes were read: UTF-16 by its byte-order mark, or without one by its first row. */
  encoding: 'utf-8' | 'utf-8-bom' | 'windows-1252' | 'utf-16le-bom' | 'utf-16be-bom' | 'utf-16le' | 'utf-16be';
  /** Tab: Excel's "Unicode Text". */
  delimiter: ',' | ';' | '\t';
  headers: string[];
  columns: ColumnMapping[];
  warnings: ImportMessage[];
  /** Every problem; the import writes nothing while there is one. */
  problems: ImportMessage[];
  /** The first 20 data rows. */
  rows: ImportPreviewRow[];
  counts: { rows: number; valid: number; invalid: number; tagsGenerated: number };
  /** Full paths of the locations the import would create. */
  newLocations: string[];
  newCategories: string[];
  statusWords: StatusWordUse[];
}

export interface ImportResult {
  created: number;
  generatedTags: string[];
  newLocations: string[];
  newCategories: string[];
  statusWords: StatusWordUse[];
  warnings: ImportMessage[];
}

/** `Column → field` (or `last_<task>`), or `Column → null` to ignore the column; overrides the guess. */
export const MappingOverrides = z.record(
  z.string().max(500),
  z
    .union([z.enum(EQUIPMENT_FILE_FIELDS), z.string().refine(isLastDoneField, { message: 'is not a field' }).transform((v) => v as LastDoneField)])
    .nullable(),
);

export const GenerateTagsPrefix = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$/, { message: 'must be 1 to 20 letters, digits, "-" or "_", starting with a letter or digit' });

/** 20 MB of text is some 100,000 devices: far beyond any hospital's inventory file. The command line takes larger files. */
export const MAX_IMPORT_FILE = 20_000_000;

export const EquipmentImportInput = z
  .object({
    source: z.union([
      z.object({ text: z.string().max(MAX_IMPORT_FILE, { message: 'is too large (20 MB at most)' }) }).strict(),
      z
        .object({
          bytes: z
            .custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'must be the bytes of a file' })
            .refine((b) => b.byteLength <= MAX_IMPORT_FILE, { message: 'is too large (20 MB at most)' }),
        })
        .strict(),
    ]),
    mapping: MappingOverrides.optional(),
    /** Give each row with a blank asset tag the next free `PREFIX-00001`, `PREFIX-00002`, … */
    generateTagsPrefix: GenerateTagsPrefix.nullable().optional(),
  })
  .strict();
export type EquipmentImportInputValue = z.output<typeof EquipmentImportInput>;

export const equipmentImportChannels = {
  /** The mapping screen: header → field as guessed, with the user's choices applied. */
  'equipment.import.guessMapping': channel<MappingGuess>()({
    input: z
      .object({
        headers: z.array(z.string().max(500)).max(500),
        mapping: MappingOverrides.optional(),
        generateTags: z.boolean().optional(),
      })
      .strict(),
    access: 'supervisor',
    writes: false,
  }),
  /** Reads and checks the file, writes nothing. */
  'equipment.import.preview': channel<ImportPreview>()({
    input: EquipmentImportInput,
    access: 'supervisor',
    writes: false,
  }),
  /** All or nothing: any problem and nothing is written; the error's details list every problem. */
  'equipment.import.commit': channel<ImportResult>()({
    input: EquipmentImportInput,
    access: 'supervisor',
    writes: true,
  }),
};
