import Papa from 'papaparse';
import type { ParseError } from 'papaparse';
import { restoreFormula } from './formula';

export type CsvDelimiter = ',' | ';' | '\t';

export interface CsvRecord {
  /** The row number a spreadsheet shows: the header is row 1, the first record row 2. */
  row: number;
  cells: string[];
}

export interface CsvProblem {
  row: number;
  message: string;
}

export interface ParsedCsv {
  delimiter: CsvDelimiter;
  /** The header row's cells, trimmed. */
  headers: string[];
  /** Data records in file order; records whose cells are all blank are left out. */
  records: CsvRecord[];
  /** Malformed quoting and the like, by row. */
  problems: CsvProblem[];
}

/** The header line up to the first line break outside quotes. */
function headerLine(text: string): string {
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) return text.slice(0, i);
  }
  return text;
}

/**
 * Comma, semicolon or tab: whichever occurs most often outside quotes in the header line. (Excel in
 * locales with a decimal comma saves CSV with semicolons, and its "Unicode Text" with tabs.) Comma
 * when none occurs; of comma and semicolon equally often, comma; tab only when it outnumbers both.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  let commas = 0;
  let semicolons = 0;
  let tabs = 0;
  let inQuotes = false;
  for (const ch of headerLine(text)) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && ch === ',') commas++;
    else if (!inQuotes && ch === ';') semicolons++;
    else if (!inQuotes && ch === '\t') tabs++;
  }
  if (tabs > commas && tabs > semicolons) return '\t';
  return semicolons > commas ? ';' : ',';
}

/**
 * Ends every record with LF, whatever mix of CRLF, LF and CR the file uses (files pasted
 * together or edited by hand mix them), while line breaks inside quoted cells stay as written.
 */
export function normaliseRecordEnds(text: string): string {
  let out = '';
  let start = 0;
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (ch === '\r' && !inQuotes) {
      out += text.slice(start, i) + '\n';
      if (text[i + 1] === '\n') i++;
      start = i + 1;
    }
  }
  return out + text.slice(start);
}

const isBlankRecord = (cells: string[]) => cells.every((c) => c.trim() === '');

/** The header of a CSV text: its delimiter and its first row's cells, trimmed. */
export interface CsvHead {
  delimiter: CsvDelimiter;
  headers: string[];
}

function problemOf(e: ParseError, row: number): CsvProblem {
  const message =
    e.code === 'MissingQuotes'
      ? `Row ${row}: a quoted cell is never closed (a " is missing), so the rest of the file cannot be read.`
      : e.code === 'InvalidQuotes'
        ? `Row ${row}: a quoted cell has text after its closing quote (write a quote inside a cell as "").`
        : `Row ${row}: ${e.message}.`;
  return { row, message };
}

/**
 * Reads CSV text record by record, as parseCsv reads it, keeping none of them (issue 17: a 50,000-row
 * import holds one chunk of rows, not the file's). `onHead` is called once, before any record (with
 * no headers for a text with nothing in it); `onRecord` for each data record whose cells are not all
 * blank, in file order. Returns the head and the problems (malformed quoting), by row.
 */
export function readCsv(text: string, onHead: (head: CsvHead) => void, onRecord: (record: CsvRecord) => void): CsvHead & { problems: CsvProblem[] } {
  const delimiter = detectDelimiter(text);
  const problems: CsvProblem[] = [];
  let head: CsvHead | null = null;
  // The record's place in the file, the header 0; Papa resets its own count at every step.
  let index = 0;
  Papa.parse<string[]>(normaliseRecordEnds(text), {
    delimiter,
    newline: '\n',
    quoteChar: '"',
    escapeChar: '"',
    skipEmptyLines: false,
    header: false,
    // Called once per record, errors with the record they were found in (the whole text is one chunk).
    step: (results) => {
      const row = index + 1;
      index++;
      for (const e of results.errors) problems.push(problemOf(e, row));
      const cells = results.data;
      if (head === null) {
        head = { delimiter, headers: cells.map((h) => restoreFormula(h).trim()) };
        onHead(head);
        return;
      }
      // The quote an export put before a formula comes off again, so an export imports back unchanged;
      // blank is judged after it comes off (a cell of a lone CR is written '\r, and is blank).
      const restored = cells.map(restoreFormula);
      if (!isBlankRecord(restored)) onRecord({ row, cells: restored });
    },
  });
  if (head === null) {
    head = { delimiter, headers: [] };
    onHead(head);
  }
  return { ...head, problems };
}

/**
 * Parses CSV text (RFC 4180 plus what spreadsheets really write: CR, LF or CRLF line ends, even mixed,
 * quoted fields holding delimiters, doubled quotes and line breaks, blank trailing lines).
 * Cells are kept as written; callers trim what they need to.
 */
export function parseCsv(text: string): ParsedCsv {
  const records: CsvRecord[] = [];
  const { delimiter, headers, problems } = readCsv(text, () => {}, (record) => records.push(record));
  return { delimiter, headers, records, problems };
}

/**
 * The one sentence for a file with nothing in it to import, or null: zero bytes or blank lines only,
 * or a header line and no rows. Said alone, as the equipment import says it: which columns a file
 * with no rows lacks is no news. `rowsOf` names what a row holds ("plans").
 */
export function emptyFileSentence(csv: Pick<ParsedCsv, 'headers' | 'records'>, rowsOf: string): string | null {
  if (csv.headers.every((h) => h === '')) return 'The file is empty: its first row must hold the column names.';
  if (csv.records.length === 0) return `The file has column names but no rows of ${rowsOf}.`;
  return null;
}
