/** Page arithmetic for the inventory list: the list fetches 100 rows at a time as they scroll into view. */

export const PAGE_SIZE = 100;

/** The pages holding rows `first`…`last` (inclusive); page 0 when nothing is in view yet. */
export function pagesFor(first: number, last: number, pageSize = PAGE_SIZE): number[] {
  if (last < first || last < 0) return [0];
  const out: number[] = [];
  for (let p = Math.floor(Math.max(0, first) / pageSize); p <= Math.floor(last / pageSize); p++) out.push(p);
  return out;
}

/** The pages the list reads: those in view, and one ahead of the scroll (and one behind it). */
export interface PageWindow {
  pages: number[];
  direction: 1 | -1;
  /** Equal keys, equal windows: the list re-renders only when the key changes. */
  key: string;
}

export const FIRST_WINDOW: PageWindow = { pages: [0, 1], direction: 1, key: '0,1' };

/**
 * The pages for rows `first`…`last` in view while scrolling in `direction`: those in view, the
 * first page (its total sizes the list), and the next page in the direction of the scroll, so a
 * fast wheel meets rows already read. Pages past the end are left to the caller, which knows it.
 */
export function pageWindow(first: number, last: number, direction: 1 | -1, pageSize = PAGE_SIZE): PageWindow {
  const inView = pagesFor(first, last, pageSize);
  const ahead = direction === 1 ? inView[inView.length - 1]! + 1 : inView[0]! - 1;
  const pages = [...new Set([0, ...inView, ahead])].filter((p) => p >= 0).sort((x, y) => x - y);
  return { pages, direction, key: pages.join(',') };
}

/** The row at `index`, from whichever page holds it, or undefined while that page is not loaded. */
export function rowAt<T>(pages: ReadonlyMap<number, { rows: readonly T[] }>, index: number, pageSize = PAGE_SIZE): T | undefined {
  return pages.get(Math.floor(index / pageSize))?.rows[index % pageSize];
}
