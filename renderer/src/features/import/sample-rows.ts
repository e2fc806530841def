import Papa from 'papaparse';
import type { ImportPreview } from '../../../../shared/contract/equipment-import';

/** The label TextDecoder knows each encoding main read by (it drops a leading byte-order mark itself). */
const DECODER_LABEL: Record<ImportPreview['encoding'], string> = {
  'utf-8': 'utf-8',
  'utf-8-bom': 'utf-8',
  'windows-1252': 'windows-1252',
  'utf-16le-bom': 'utf-16le',
  'utf-16le': 'utf-16le',
  'utf-16be-bom': 'utf-16be',
  'utf-16be': 'utf-16be',
};

/**
 * The first few rows of the file, cell by cell, for the examples on the mapping screen. Main has
 * already detected the encoding and the delimiter; this only reads the file's head for display.
 */
export function sampleRows(bytes: Uint8Array, preview: Pick<ImportPreview, 'encoding' | 'delimiter'>, count = 3): string[][] {
  // An even number of bytes, so UTF-16 is cut between characters' code units.
  const head = bytes.subarray(0, 65_536);
  const text = new TextDecoder(DECODER_LABEL[preview.encoding]).decode(head);
  const parsed = Papa.parse<string[]>(text, { delimiter: preview.delimiter, preview: count + 1, skipEmptyLines: 'greedy' });
  return parsed.data.slice(1, count + 1);
}
