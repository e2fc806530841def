import { neutraliseFormula } from './formula';

/**
 * One cell, made safe to open in a spreadsheet (a formula gets a leading quote, see formula.ts) and
 * quoted when it must be (RFC 4180 §2.6–2.7): it holds a comma, quote, CR or LF.
 */
export function csvCell(value: string | null | undefined): string {
  const s = neutraliseFormula(value ?? '');
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** An RFC 4180 document: CRLF after every record, the header first. */
export function writeCsv(header: readonly string[], rows: readonly (readonly (string | null)[])[]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',') + '\r\n').join('');
}
