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
  'utf-16le-bom': 'UTF-16 little-endian (with BOM)',
  'utf-16be-bom': 'UTF-16 big-endian (with BOM)',
  'utf-16le': 'UTF-16 little-endian (no BOM)',
  'utf-16be': 'UTF-16 big-endian (no BOM)',
};

/** The delimiter in words, before "-separated". */
export const DELIMITER_TEXT: Record<ImportPreview['delimiter'], string> = {
  ',': 'comma',
  ';': 'semicolon',
  '\t': 'tab',
};
