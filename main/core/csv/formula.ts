/**
 * CSV formula injection (OWASP, "CSV Injection"): a spreadsheet runs a cell that begins with
 * `=`, `+`, `-`, `@`, a tab or a carriage return as a formula (`=HYPERLINK(…)` when a supervisor
 * opens an export). Such a cell is written with a single quote in front, which spreadsheets show
 * as text and do not display. Issue 13, item 10.
 *
 * Two choices keep exports readable and exact:
 * - a plain number (`-5`, `+1.5`, `-2e3`) is left as it is: it is no formula, and a spreadsheet
 *   reads it as the number it is;
 * - a cell that already begins with quotes before such a character (`'=x`) gets one more, so that
 *   `import` can take exactly one quote off any cell that begins with quotes and then such a
 *   character, and every export imports back unchanged.
 */
const RISKY = /^'*[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function neutraliseFormula(cell: string): string {
  return RISKY.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}

/** Exactly the inverse of neutraliseFormula, for cells read back from a file. */
export function restoreFormula(cell: string): string {
  return /^'+[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}
