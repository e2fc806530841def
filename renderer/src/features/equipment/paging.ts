/** Page arithmetic for the inventory list: the list fetches 100 rows at a time as they scroll into view. */

export const PAGE_SIZE = 100;

/** The pages holding rows `first`…`last` (inclusive); page 0 when nothing is in view yet. */
export function pagesFor(first: number, last: number, pageSize = PAGE_SIZE): number[] {
  if (last < first || last < 0) return [0];
  const out: number[] = [];
  for (let p = Math.floor(Math.max(0, first) / pageSize); p <= Math.floor(last / pageSize); p++) out.push(p);
  return out;
}

/** The row at `index`, from whichever page holds it, or undefined while that page is not loaded. */
export function rowAt<T>(pages: ReadonlyMap<number, { rows: readonly T[] }>, index: number, pageSize = PAGE_SIZE): T | undefined {
  return pages.get(Math.floor(index / pageSize))?.rows[index % pageSize];
}
