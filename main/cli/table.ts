/**
 * A cell as one line of a terminal table: a line break, a tab or another control character in a
 * name (an import takes a spreadsheet cell of several lines) would split the row or shift its
 * columns, so each run of them, and of spaces, is one space.
 */
export function tableCell(text: string): string {
  return text.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
}

/** Aligned columns for a terminal, two spaces apart, one line per row. */
export function table(header: readonly string[], body: readonly (readonly string[])[]): string {
  const rows = [header, ...body].map((cells) => cells.map(tableCell));
  const widths = header.map((_, i) => Math.max(...rows.map((cells) => [...cells[i]!].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c + ' '.repeat(widths[i]! - [...c].length))
      .join('  ')
      .trimEnd() + '\n';
  return rows.map(line).join('');
}
