import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { EquipmentFilterValue, EquipmentListRow, EquipmentPage } from '../../../../shared/contract/equipment';
import type { AppErrorValue } from '../../../../shared/result';
import type { ChannelError } from '../../lib/query';
import { channelQuery } from '../../lib/query';
import type { PageWindow } from './paging';
import { FIRST_WINDOW, PAGE_SIZE, pageWindow } from './paging';

export interface EquipmentPages {
  total: number;
  /** False until the first page of the current filter has come. */
  ready: boolean;
  /** True while the filter changed and its first page is on its way (the old rows stay meanwhile). */
  pending: boolean;
  error: AppErrorValue | null;
  /** The filter the rows on screen belong to: the list scrolls to the top when it changes. */
  shownKey: string;
  row: (index: number) => EquipmentListRow | undefined;
  /** Tells the list which rows are in view, so their pages (and the next ones) are read. */
  setRange: (first: number, last: number) => void;
}

const input = (filter: EquipmentFilterValue, page: number) => ({ ...filter, offset: page * PAGE_SIZE, limit: PAGE_SIZE });

/**
 * The inventory list's rows, a page of `equipment.search` at a time, each page a query of its own
 * (kept, shared and re-read on a write like any other). The pages in view are read, and so is the
 * page beyond them in the direction of the scroll, so rows are there before the wheel reaches them.
 * A new filter keeps the old rows on screen until its first page comes (no flash of an empty list
 * as one types).
 */
export function useEquipmentPages(filter: EquipmentFilterValue): EquipmentPages {
  const key = JSON.stringify(filter);
  const client = useQueryClient();
  // The pages to read: the list re-renders when this window of pages moves (a page boundary
  // crossed), not at every row scrolled, so scrolling redraws only the table's rows.
  const [span, setSpan] = useState<PageWindow>(FIRST_WINDOW);
  const lastFirst = useRef(0);
  // The last filter whose first page came: shown while a new one is read.
  const shownRef = useRef<{ key: string; filter: EquipmentFilterValue } | null>(null);

  const first = client.getQueryData<EquipmentPage>(channelQuery('equipment.search', input(filter, 0)).queryKey);
  const total = first?.total;
  // Before the total is known the second page is read beside the first (at worst an empty page).
  const lastPage = total === undefined ? Infinity : Math.max(0, Math.ceil(total / PAGE_SIZE) - 1);
  const wanted = useMemo(() => span.pages.filter((p) => p <= lastPage), [span, lastPage]);

  const results = useQueries({
    queries: wanted.map((page) => channelQuery('equipment.search', input(filter, page))),
  });
  const byPage = new Map<number, EquipmentPage>();
  wanted.forEach((page, i) => {
    const data = results[i]?.data;
    if (data) byPage.set(page, data);
  });
  const firstPage = byPage.get(0);
  const error = (results.find((r) => r.error)?.error as ChannelError | undefined)?.value ?? null;
  if (firstPage) shownRef.current = { key, filter };
  const shown = shownRef.current;
  const current = shown?.key === key;

  const cached = (f: EquipmentFilterValue, page: number) =>
    client.getQueryData<EquipmentPage>(channelQuery('equipment.search', input(f, page)).queryKey);
  const row = (index: number): EquipmentListRow | undefined => {
    const page = Math.floor(index / PAGE_SIZE);
    // The old filter's rows, from the cache, while the new filter's first page is on its way.
    const rows = current ? (byPage.get(page) ?? cached(filter, page))?.rows : shown ? cached(shown.filter, page)?.rows : undefined;
    return rows?.[index % PAGE_SIZE];
  };

  const setRange = useCallback((a: number, b: number) => {
    const direction = a === lastFirst.current ? null : a > lastFirst.current ? 1 : -1;
    lastFirst.current = a;
    setSpan((w) => {
      const next = pageWindow(a, b, direction ?? w.direction);
      return next.key === w.key ? w : next;
    });
  }, []);

  const shownTotal = current ? (firstPage?.total ?? 0) : shown ? (cached(shown.filter, 0)?.total ?? 0) : 0;
  return {
    total: shownTotal,
    ready: current,
    pending: shown !== null && !current,
    error,
    shownKey: shown?.key ?? '',
    row,
    setRange,
  };
}
