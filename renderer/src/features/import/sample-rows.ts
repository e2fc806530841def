import Papa from 'papaparse';
import type { ImportPreview } from '../../../../shared/contract/equipment-import';

/**
 * The first few rows of the file, cell by cell, for the examples on the mapping screen. Main has
 * already detected the encoding and the delimiter; this only reads the file's head for display.
 */
export function sampleRows(bytes: Uint8Array, preview: Pick<ImportPreview, 'encoding' | 'delimiter'>, count = 3): string[][] {
  const head = bytes.subarray(0, 65_536);
  const text = new TextDecoder(preview.encoding === 'windows-1252' ? 'windows-1252' : 'utf-8').decode(head);
  const parsed = Papa.parse<string[]>(text, { delimiter: preview.delimiter, preview: count + 1, skipEmptyLines: 'greedy' });
  return parsed.data.slice(1, count + 1);
}
