/** How a CSV file's bytes were read. */
export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'windows-1252';

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

/**
 * Reads a spreadsheet export as text. Excel writes UTF-8 with a BOM ("CSV UTF-8") or the
 * Windows code page ("CSV"); other tools write UTF-8 without one. A strict UTF-8 decode fails
 * on any byte sequence that is not UTF-8, which a Windows-1252 é (0xE9) alone always is.
 */
export function decodeCsvBytes(bytes: Uint8Array): DecodedText {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    // ignoreBOM false (the default) drops a leading BOM from the text.
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text, encoding: bom ? 'utf-8-bom' : 'utf-8' };
  } catch {
    return { text: decodeWindows1252(bytes), encoding: 'windows-1252' };
  }
}
