import type { FocusEvent, KeyboardEvent, MouseEvent, ReactNode } from 'react';
import { memo, useCallback, useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';

export interface VirtualColumn<T> {
  id: string;
  header: string;
  /** A CSS grid track, e.g. `8rem` or `minmax(10rem, 2fr)`. */
  width: string;
  render: (row: T) => ReactNode;
  /** The full text, shown as a tooltip when the cell is cut short. */
  title?: (row: T) => string | null | undefined;
  sortable?: boolean;
  className?: string;
}

export interface VirtualSort {
  column: string;
  direction: 'asc' | 'desc';
}

const ROW_HEIGHT = 40;

/** The row index of the row an event came from (rows carry it as data-index). */
function rowIndexOf(target: EventTarget): number | null {
  const el = target instanceof HTMLElement ? target.closest<HTMLElement>('[data-index]') : null;
  return el ? Number(el.dataset.index) : null;
}

/**
 * One row. Memoised: while scrolling the table re-renders at every frame, and only the rows that
 * came into view (or whose data came) are drawn again. Its events are handled by the table.
 */
const VirtualRow = memo(function VirtualRow<T>({
  row,
  index,
  start,
  template,
  columns,
  tabbable,
}: {
  row: T | undefined;
  index: number;
  start: number;
  template: string;
  columns: VirtualColumn<T>[];
  tabbable: boolean;
}) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      data-index={index}
      tabIndex={tabbable ? 0 : -1}
      className={`vtable-row${row ? '' : ' loading'}`}
      style={{ gridTemplateColumns: template, transform: `translateY(${start}px)`, height: ROW_HEIGHT }}
    >
      {row ? (
        columns.map((c, i) => (
          <div
            key={c.id}
            role="gridcell"
            aria-colindex={i + 1}
            className={`vtable-cell${c.className ? ` ${c.className}` : ''}`}
            title={c.title?.(row) ?? undefined}
          >
            {c.render(row)}
          </div>
        ))
      ) : (
        <div role="gridcell" aria-colindex={1} className="vtable-cell muted">
          Loading…
        </div>
      )}
    </div>
  );
}) as <T>(props: {
  row: T | undefined;
  index: number;
  start: number;
  template: string;
  columns: VirtualColumn<T>[];
  tabbable: boolean;
}) => ReactNode;

/**
 * A table of any length (ARIA grid semantics) that renders only the rows in view. Rows not yet
 * fetched show as "Loading…"; the owner fetches them when `onRangeChange` says they are in view.
 * Keyboard: Tab to the header's sort buttons and to the rows; in the rows ↑ ↓ Page Up/Down,
 * Home/End move, Enter opens the row.
 */
export function VirtualTable<T>({
  label,
  columns,
  rowCount,
  getRow,
  getRowKey,
  sort,
  onSort,
  onRangeChange,
  onOpenRow,
  empty,
  busy,
  resetKey,
}: {
  label: string;
  columns: VirtualColumn<T>[];
  rowCount: number;
  getRow: (index: number) => T | undefined;
  getRowKey: (row: T) => string;
  sort?: VirtualSort;
  onSort?: (columnId: string) => void;
  onRangeChange?: (first: number, last: number) => void;
  onOpenRow?: (row: T) => void;
  empty: ReactNode;
  busy?: boolean;
  /** When this changes (a new filter), the list scrolls back to the top. */
  resetKey?: string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const pendingFocus = useRef<number | null>(null);
  const template = columns.map((c) => c.width).join(' ');

  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? -1;

  useEffect(() => {
    onRangeChange?.(first, last);
  }, [first, last, onRangeChange]);

  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
    setActive(0);
  }, [resetKey]);

  const focusRow = useCallback(
    (index: number) => {
      const target = Math.max(0, Math.min(rowCount - 1, index));
      setActive(target);
      virtualizer.scrollToIndex(target, { align: 'auto' });
      const drawn = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${target}"]`);
      if (drawn) {
        drawn.focus({ preventScroll: true });
        return;
      }
      pendingFocus.current = target;
      // The row may be rendered only after the scroll: try over a few frames.
      let tries = 0;
      const attempt = () => {
        if (pendingFocus.current !== target) return;
        const el = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${target}"]`);
        if (el) {
          el.focus({ preventScroll: true });
          pendingFocus.current = null;
        } else if (tries++ < 10) requestAnimationFrame(attempt);
      };
      requestAnimationFrame(attempt);
    },
    [rowCount, virtualizer],
  );

  // The rows' events, handled here for every row (the rows themselves are memoised and hold none).
  function onRowKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const index = rowIndexOf(e.target);
    if (index === null) return;
    const pageSize = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + pageSize,
      PageUp: index - pageSize,
      Home: 0,
      End: rowCount - 1,
    };
    if (e.key in moves && !e.altKey && !e.metaKey) {
      e.preventDefault();
      focusRow(moves[e.key]!);
    } else if (e.key === 'Enter' && !e.ctrlKey && !e.altKey && !e.metaKey) {
      const row = getRow(index);
      if (row && onOpenRow) {
        e.preventDefault();
        onOpenRow(row);
      }
    }
  }

  function onRowFocus(e: FocusEvent<HTMLDivElement>) {
    // The row itself focused (not a link in it): it becomes the body's tab stop.
    if (e.target instanceof HTMLElement && e.target.getAttribute('role') === 'row') setActive(Number(e.target.dataset.index));
  }

  function onRowClick(e: MouseEvent<HTMLDivElement>) {
    // A click on the row opens it too; the link in the first cell does so itself.
    const index = rowIndexOf(e.target);
    const row = index === null ? undefined : getRow(index);
    if (row && onOpenRow && !(e.target instanceof HTMLElement && e.target.closest('a'))) onOpenRow(row);
  }

  // One tab stop in the body: the active row, or the first one drawn when it is scrolled away.
  const tabbable = items.some((v) => v.index === active) ? active : first;

  return (
    <div
      className="vtable"
      role="grid"
      aria-label={label}
      aria-rowcount={rowCount + 1}
      aria-colcount={columns.length}
      aria-busy={busy || undefined}
    >
      <div className="vtable-head" role="rowgroup">
        <div className="vtable-row" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template }}>
          {columns.map((c, i) => {
            const sorted = sort?.column === c.id ? sort.direction : null;
            return (
              <div
                key={c.id}
                role="columnheader"
                aria-colindex={i + 1}
                aria-sort={c.sortable ? (sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none') : undefined}
                className={`vtable-cell${c.className ? ` ${c.className}` : ''}`}
              >
                {c.sortable && onSort ? (
                  <button type="button" className="sort-button" onClick={() => onSort(c.id)}>
                    {c.header}
                    <span className={`sort-icon${sorted ? ' on' : ''}`} aria-hidden="true">
                      {sorted === 'desc' ? '▼' : '▲'}
                    </span>
                  </button>
                ) : (
                  c.header
                )}
              </div>
            );
          })}
        </div>
      </div>
      <div className="vtable-scroll" ref={scrollRef}>
        {rowCount === 0 ? (
          <div className="vtable-empty">{empty}</div>
        ) : (
          <div
            className="vtable-body"
            role="rowgroup"
            style={{ height: virtualizer.getTotalSize() }}
            onKeyDown={onRowKeyDown}
            onFocus={onRowFocus}
            onClick={onRowClick}
          >
            {items.map((v) => {
              const row = getRow(v.index);
              return (
                <VirtualRow
                  key={row ? getRowKey(row) : `loading-${v.index}`}
                  row={row}
                  index={v.index}
                  start={v.start}
                  template={template}
                  columns={columns}
                  tabbable={v.index === tabbable}
                />
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
