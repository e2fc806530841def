import type { ColumnMapping, ImportPreview } from '../../../../shared/contract/equipment-import';

/** A picked file, read once: its bytes go to main again for the preview and the import. */
export interface LoadedFile {
  name: string;
  sizeText: string;
  bytes: Uint8Array;
  headers: string[];
  encoding: ImportPreview['encoding'];
  encodingText: string;
  delimiter: ImportPreview['delimiter'];
  /** The mapping guessed from the headers alone. */
  columns: ColumnMapping[];
  /** The first rows, cell by cell, for the examples. */
  samples: string[][];
  /** Rows with a blank asset tag, when no tags are generated. */
  blankTags: number;
}

export const ENCODING_TEXT: Record<ImportPreview['encoding'], string> = {
  'utf-8': 'UTF-8',
  'utf-8-bom': 'UTF-8 (with BOM)',
  'windows-1252': 'Windows-1252',
};
