import { AppError } from '../errors';

/** How a CSV file's bytes were read. */
export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'windows-1252' | 'utf-16le-bom' | 'utf-16be-bom' | 'utf-16le' | 'utf-16be';

export interface DecodedText {
  text: string;
  encoding: CsvEncoding;
}

/**
 * Windows-1252 bytes 0x80–0x9F (€, ‘ ’ “ ” – — …). WHATWG says the 'windows-1252' decoder maps
 * them so, but Node 20's TextDecoder decodes that label as ISO-8859-1 and yields C1 control
 * characters instead; mapping them here gives the same text on every runtime.
 */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019,
  0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

function decodeWindows1252(bytes: Uint8Array): string {
  return new TextDecoder('windows-1252')
    .decode(bytes)
    .replace(/[\u0080-\u009f]/g, (c) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80]!));
}

/** The length of the UTF-8 sequence starting at `i` (1 to 4 bytes), or 0 when none does (WHATWG's decoder's rules). */
function utf8SequenceAt(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  if (b < 0x80) return 1;
  const cont = (j: number, lo = 0x80, hi = 0xbf) => j < bytes.length && bytes[j]! >= lo && bytes[j]! <= hi;
  if (b >= 0xc2 && b <= 0xdf) return cont(i + 1) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) {
    const lo = b === 0xe0 ? 0xa0 : 0x80;
    const hi = b === 0xed ? 0x9f : 0xbf;
    return cont(i + 1, lo, hi) && cont(i + 2) ? 3 : 0;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    const lo = b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xf4 ? 0x8f : 0xbf;
    return cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  return 0;
}

/**
 * What the bytes say about UTF-8: where the first byte that is not UTF-8 is, how many such bytes
 * there are, and how many multi-byte UTF-8 characters, told apart by how likely each is in a
 * Windows-1252 file. Read as Windows-1252, a "telling" one is text nobody writes: é, ° and ’
 * written as UTF-8 read Ã©, Â° and â€™ (a first byte C2 or C3, or a character of three or four
 * bytes). A "chance" one is two bytes that Windows-1252 text holds now and then: a capital with an
 * accent followed by a quote or a sign (É” is C9 94, UTF-8 for ɔ).
 */
function utf8Scan(bytes: Uint8Array): { firstBad: number | null; bad: number; telling: number; chance: number } {
  let firstBad: number | null = null;
  let bad = 0;
  let telling = 0;
  let chance = 0;
  for (let i = 0; i < bytes.length; ) {
    const n = utf8SequenceAt(bytes, i);
    if (n === 0) {
      firstBad ??= i;
      bad++;
      i++;
      continue;
    }
    if (n > 2 || (n === 2 && bytes[i]! <= 0xc3)) telling++;
    else if (n === 2) chance++;
    i += n;
  }
  return { firstBad, bad, telling, chance };
}

/** The row a spreadsheet shows for text ending at a byte (header row 1): record ends outside quotes, as parseCsv counts them. */
function rowAt(text: string): number {
  let row = 1;
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n'))) row++;
  }
  return row;
}

/** UTF-16, little- or big-endian: Excel's "Unicode Text" and PowerShell 5's `>` and Out-File write it with a byte-order mark. */
type Utf16Order = 'le' | 'be';

/** The byte order a UTF-16 file's byte-order mark (FF FE or FE FF) states, or null when it has none. */
function utf16Bom(bytes: Uint8Array): Utf16Order | null {
  if (bytes.length < 2) return null;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'be';
  return null;
}

/** The 16-bit code unit at byte `i` in that byte order. */
const unitAt = (bytes: Uint8Array, i: number, order: Utf16Order): number =>
  order === 'le' ? bytes[i]! | (bytes[i + 1]! << 8) : (bytes[i]! << 8) | bytes[i + 1]!;

/**
 * UTF-16 without a byte-order mark, told by its first row: a header line of at least two characters,
 * each a Latin-1 one (a code unit whose high byte is zero and low byte is not) and nothing else, ended
 * by a line break or the end of the file. Read as bytes, that line has a zero byte after (or before)
 * every letter, which no UTF-8 or Windows-1252 file's column names hold.
 */
function utf16OrderWithoutBom(bytes: Uint8Array): Utf16Order | null {
  if (bytes.length < 4 || bytes.length % 2 !== 0) return null;
  for (const order of ['le', 'be'] as const) {
    let letters = 0;
    for (let i = 0; i < bytes.length; i += 2) {
      const unit = unitAt(bytes, i, order);
      if (unit === 0x0a || unit === 0x0d) break;
      if (unit === 0 || unit > 0xff) {
        letters = -1;
        break;
      }
      letters++;
    }
    if (letters >= 2) return order;
  }
  return null;
}

/** Where the first code unit that is half a surrogate pair on its own is (a damaged file), or null. */
function loneSurrogateAt(bytes: Uint8Array, start: number, order: Utf16Order): number | null {
  for (let i = start; i < bytes.length; i += 2) {
    const unit = unitAt(bytes, i, order);
    if (unit >= 0xdc00 && unit <= 0xdfff) return i;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = i + 2 < bytes.length ? unitAt(bytes, i + 2, order) : 0;
      if (next < 0xdc00 || next > 0xdfff) return i;
      i += 2;
    }
  }
  return null;
}

const UTF16_CUT_SHORT =
  'The file is written in UTF-16 but ends in half a character (it has an odd number of bytes), so it may be cut short: ' +
  'save it again from the program that made it and import it again.';

const UTF16_WITHOUT_BOM =
  'The file looks like UTF-16 without its byte-order mark (its first row has a zero byte between its letters), which cannot be read for sure: ' +
  'save it as UTF-8 (in Excel: "CSV UTF-8") or as Unicode Text, and import it again.';

/**
 * Reads UTF-16 (from `start`, past the byte-order mark if there is one). A file with an odd number
 * of bytes, or with half a surrogate pair, is refused in one sentence rather than read with a
 * replacement character in it, naming the row of the broken character.
 */
function decodeUtf16(bytes: Uint8Array, start: number, order: Utf16Order): string {
  const refuse = (message: string, row?: number): never => {
    throw new AppError('invalid_input', message, { details: [row === undefined ? { message } : { message, row }] });
  };
  if ((bytes.length - start) % 2 !== 0) refuse(UTF16_CUT_SHORT);
  const label = order === 'le' ? 'utf-16le' : 'utf-16be';
  const lone = loneSurrogateAt(bytes, start, order);
  if (lone !== null) {
    const row = rowAt(new TextDecoder(label, { ignoreBOM: true }).decode(bytes.subarray(start, lone)));
    refuse(
      `Row ${row}: the file is written in UTF-16 but this row holds half a character (a code that is not one on its own, perhaps from a damaged file). ` +
        'Open the file, check that row, save it again and import it again.',
      row,
    );
  }
  // ignoreBOM: the mark, when there is one, is already skipped; a second one would be text.
  return new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes.subarray(start));
}

/**
 * UTF-16 without a byte-order mark that utf16OrderWithoutBom cannot tell for sure (column names in
 * Greek or Cyrillic): its first row, up to the first LF byte, holds two zero bytes or more, all at
 * even places or all at odd ones. A line of a UTF-8 or Windows-1252 file holds none.
 */
function looksLikeUtf16(bytes: Uint8Array): boolean {
  const parities = new Set<number>();
  let zeros = 0;
  for (let i = 0; i < bytes.length && bytes[i] !== 0x0a; i++) {
    if (bytes[i] !== 0) continue;
    zeros++;
    parities.add(i % 2);
  }
  return zeros >= 2 && parities.size === 1;
}

/**
 * Reads a spreadsheet export as text. Excel writes UTF-8 with a BOM ("CSV UTF-8"), the Windows
 * code page ("CSV") or UTF-16 little-endian with a BOM and tabs ("Unicode Text"); PowerShell 5's
 * `>` and Out-File write UTF-16 with a BOM; other tools write UTF-8 without one. UTF-16 is read by
 * its byte-order mark (FF FE or FE FF), or, without one, when its first row tells it for sure
 * (utf16OrderWithoutBom); a first row that only looks like UTF-16 is refused in one sentence
 * rather than read with a zero byte between every letter of the column names.
 *
 * A strict UTF-8 decode fails on any byte sequence that is not UTF-8, which a Windows-1252 é
 * (0xE9) alone always is. A file that is UTF-8 apart from a few bytes (a character pasted in from
 * a program writing the Windows code page) is neither: read as Windows-1252, every accented letter
 * written as UTF-8 would turn into two wrong ones (Défibrillateur → DÃ©fibrillateur) without a
 * word. It is refused, naming the row of the first byte that is not UTF-8 (the app's import screen
 * and the command line both decode here, so both say the same sentence).
 *
 * Which of the two a file that fails the strict decode is, the bytes weigh (utf8Scan): it is
 * UTF-8 when its UTF-8 characters are at least as many as the bytes that are not UTF-8, a
 * character Windows-1252 text holds by chance (É” in a French file) counting half. A Windows-1252
 * file has a byte that is not UTF-8 for nearly every accented letter, so the odd chance pair in
 * it never makes it UTF-8.
 */
export function decodeCsvBytes(bytes: Uint8Array): DecodedText {
  const marked = utf16Bom(bytes);
  if (marked) return { text: decodeUtf16(bytes, 2, marked), encoding: marked === 'le' ? 'utf-16le-bom' : 'utf-16be-bom' };
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (!bom) {
    const order = utf16OrderWithoutBom(bytes);
    if (order) return { text: decodeUtf16(bytes, 0, order), encoding: order === 'le' ? 'utf-16le' : 'utf-16be' };
    if (looksLikeUtf16(bytes)) throw new AppError('invalid_input', UTF16_WITHOUT_BOM, { details: [{ message: UTF16_WITHOUT_BOM }] });
  }
  try {
    // ignoreBOM false (the default) drops a leading BOM from the text.
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text, encoding: bom ? 'utf-8-bom' : 'utf-8' };
  } catch {
    const { firstBad, bad, telling, chance } = utf8Scan(bytes);
    if (firstBad !== null && (bom || 2 * telling + chance >= 2 * bad)) {
      const row = rowAt(new TextDecoder('utf-8').decode(bytes.subarray(0, firstBad)));
      const byte = bytes[firstBad]!.toString(16).toUpperCase().padStart(2, '0');
      const message =
        `Row ${row}: the file is written in UTF-8 but this row holds a byte that is not UTF-8 (0x${byte}, perhaps a character pasted from another program). ` +
        'Open the file, check that row, save it as UTF-8 (in Excel: "CSV UTF-8") and import it again.';
      throw new AppError('invalid_input', message, { details: [{ message, row }] });
    }
    return { text: decodeWindows1252(bytes), encoding: 'windows-1252' };
  }
}
