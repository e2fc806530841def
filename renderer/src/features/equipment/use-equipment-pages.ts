import { useCallback, useEffect, useRef, useState } from 'react';
import type { EquipmentFilterValue, EquipmentListRow } from '../../../../shared/contract/equipment';
import type { AppErrorValue } from '../../../../shared/result';
import { call } from '../../lib/api';
import { PAGE_SIZE, pagesFor, rowAt } from './paging';

interface Page {
  rows: EquipmentListRow[];
  /** The generation it was read in; older ones are shown until they are read again. */
  epoch: number;
}

interface Cache {
  /** The filter these pages belong to (JSON). */
  key: string;
  epoch: number;
  total: number;
  pages: Map<number, Page>;
  error: AppErrorValue | null;
}

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
  /** Tells the list which rows are in view, so their pages are fetched. */
  setRange: (first: number, last: number) => void;
}

/**
 * The inventory list's rows, fetched a page at a time from `equipment.search` as they scroll into
 * view. A new filter keeps the old rows on screen until its first page comes (no flash of an empty
 * list as one types); any write elsewhere ('data.changed') re-reads the pages in view.
 */
export function useEquipmentPages(filter: EquipmentFilterValue): EquipmentPages {
  const key = JSON.stringify(filter);
  const [cache, setCache] = useState<Cache | null>(null);
  const [range, setRange] = useState<[number, number]>([0, -1]);
  const inflight = useRef(new Set<string>());
  const wanted = useRef(key);

  const fetchPage = useCallback((filterKey: string, page: number, epoch: number) => {
    const id = `${filterKey}|${epoch}|${page}`;
    if (inflight.current.has(id)) return;
    inflight.current.add(id);
    const input = { ...(JSON.parse(filterKey) as EquipmentFilterValue), offset: page * PAGE_SIZE, limit: PAGE_SIZE };
    void call('equipment.search', input).then((res) => {
      inflight.current.delete(id);
      if (wanted.current !== filterKey) return; // the user has typed on since
      setCache((c) => {
        const base: Cache = c && c.key === filterKey ? c : { key: filterKey, epoch, total: 0, pages: new Map(), error: null };
        if (base.epoch !== epoch) return c;
        if (!res.ok) return { ...base, error: res.error };
        const pages = new Map(base.pages);
        pages.set(page, { rows: res.value.rows, epoch });
        return { ...base, total: res.value.total, pages, error: null };
      });
    });
  }, []);

  // A new filter: its first page (the rows on screen stay until it comes).
  useEffect(() => {
    wanted.current = key;
    fetchPage(key, 0, 0);
  }, [key, fetchPage]);

  // Pages in view that are missing or older than the last write.
  const current = cache && cache.key === key ? cache : null;
  useEffect(() => {
    if (!current) return;
    for (const page of pagesFor(range[0], range[1])) {
      const have = current.pages.get(page);
      if (!have || have.epoch < current.epoch) {
        if (page * PAGE_SIZE < Math.max(current.total, 1)) fetchPage(current.key, page, current.epoch);
      }
    }
  }, [current, range, fetchPage]);

  // Something was written: read the pages in view again.
  useEffect(
    () =>
      window.api.subscribe('data.changed', () => {
        setCache((c) => (c ? { ...c, epoch: c.epoch + 1 } : c));
      }),
    [],
  );

  const setRangeStable = useCallback((first: number, last: number) => {
    setRange((r) => (r[0] === first && r[1] === last ? r : [first, last]));
  }, []);

  const shown = cache;
  return {
    total: shown?.total ?? 0,
    ready: current !== null,
    pending: shown !== null && current === null,
    error: shown?.error ?? null,
    shownKey: shown?.key ?? '',
    row: (index) => (shown ? rowAt(shown.pages, index) : undefined),
    setRange: setRangeStable,
  };
}
