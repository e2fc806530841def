import type { KeyboardEvent } from 'react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LocationTreeNode } from '../../../shared/domain/location';

interface Item {
  /** null: the "all locations" item. */
  id: string | null;
  name: string;
  count: number;
  level: number;
  parentId: string | null;
  hasChildren: boolean;
  setSize: number;
  posInSet: number;
}

const ALL = '__all__';

/** The ids of the node and of every location above it. */
function ancestorsOf(nodes: LocationTreeNode[], id: string): string[] {
  const path: string[] = [];
  const walk = (list: LocationTreeNode[]): boolean => {
    for (const n of list) {
      path.push(n.id);
      if (n.id === id || walk(n.children)) return true;
      path.pop();
    }
    return false;
  };
  return walk(nodes) ? path : [];
}

/**
 * Sites › wards › rooms as an ARIA tree, each with its device count. Keyboard: ↑ ↓ move, → opens a
 * branch or goes into it, ← closes it or goes up, Home/End, Enter or Space chooses.
 */
export function LocationTree({
  nodes,
  selectedId,
  onSelect,
  label,
  allLabel,
  showCounts = true,
}: {
  nodes: LocationTreeNode[];
  selectedId: string | null;
  onSelect: (id: string | null) => void;
  label: string;
  /** When set, a first item that clears the choice (e.g. "All locations"). */
  allLabel?: string;
  showCounts?: boolean;
}) {
  // Sites start open, so wards show; the chosen location's branch opens too.
  const [open, setOpen] = useState<Set<string>>(() => new Set(nodes.map((n) => n.id)));
  const [focusKey, setFocusKey] = useState<string>(selectedId ?? (allLabel ? ALL : (nodes[0]?.id ?? ALL)));
  const listRef = useRef<HTMLUListElement>(null);
  const moved = useRef(false);

  // Sites that arrive later (the tree loads after the first render) start open as well.
  const siteKey = nodes.map((n) => n.id).join(',');
  useEffect(() => {
    setOpen((o) => {
      const next = new Set(o);
      for (const id of siteKey.split(',')) if (id) next.add(id);
      return next.size === o.size ? o : next;
    });
  }, [siteKey]);

  useEffect(() => {
    if (!selectedId) return;
    const up = ancestorsOf(nodes, selectedId).slice(0, -1);
    if (up.length === 0) return;
    setOpen((o) => (up.every((id) => o.has(id)) ? o : new Set([...o, ...up])));
  }, [nodes, selectedId]);

  const items = useMemo(() => {
    const out: Item[] = [];
    const total = nodes.reduce((sum, n) => sum + n.totalCount, 0);
    if (allLabel) out.push({ id: null, name: allLabel, count: total, level: 1, parentId: null, hasChildren: false, setSize: nodes.length + 1, posInSet: 1 });
    const walk = (list: LocationTreeNode[], level: number, parentId: string | null) => {
      list.forEach((n, i) => {
        const top = level === 1 && allLabel;
        out.push({
          id: n.id,
          name: n.name,
          count: n.totalCount,
          level,
          parentId,
          hasChildren: n.children.length > 0,
          setSize: top ? list.length + 1 : list.length,
          posInSet: top ? i + 2 : i + 1,
        });
        if (n.children.length > 0 && open.has(n.id)) walk(n.children, level + 1, n.id);
      });
    };
    walk(nodes, 1, null);
    return out;
  }, [nodes, open, allLabel]);

  const keyOf = (item: Item) => item.id ?? ALL;
  const focusIndex = Math.max(0, items.findIndex((i) => keyOf(i) === focusKey));
  const focused = items[focusIndex];

  useEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    listRef.current?.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusKey)}"]`)?.focus();
  }, [focusKey, items]);

  const moveTo = (index: number) => {
    const target = items[Math.max(0, Math.min(items.length - 1, index))];
    if (!target) return;
    moved.current = true;
    setFocusKey(keyOf(target));
  };
  const toggle = (id: string, state: boolean) =>
    setOpen((o) => {
      const next = new Set(o);
      if (state) next.add(id);
      else next.delete(id);
      return next;
    });

  function onKeyDown(e: KeyboardEvent<HTMLUListElement>) {
    if (!focused || e.altKey || e.ctrlKey || e.metaKey) return;
    const i = focusIndex;
    switch (e.key) {
      case 'ArrowDown':
        moveTo(i + 1);
        break;
      case 'ArrowUp':
        moveTo(i - 1);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(items.length - 1);
        break;
      case 'ArrowRight':
        if (focused.id && focused.hasChildren) {
          if (!open.has(focused.id)) toggle(focused.id, true);
          else moveTo(i + 1);
        }
        break;
      case 'ArrowLeft':
        if (focused.id && focused.hasChildren && open.has(focused.id)) toggle(focused.id, false);
        else if (focused.parentId) moveTo(items.findIndex((x) => x.id === focused.parentId));
        break;
      case 'Enter':
      case ' ':
        onSelect(focused.id);
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  return (
    <ul className="tree" role="tree" aria-label={label} ref={listRef} onKeyDown={onKeyDown}>
      {items.map((item, index) => {
        const key = keyOf(item);
        const selected = item.id === selectedId;
        const expanded = item.id && item.hasChildren ? open.has(item.id) : undefined;
        return (
          <li
            key={key}
            role="treeitem"
            data-key={key}
            aria-level={item.level}
            aria-setsize={item.setSize}
            aria-posinset={item.posInSet}
            aria-selected={selected}
            aria-expanded={expanded}
            tabIndex={index === focusIndex ? 0 : -1}
            className={`tree-item level-${item.level}${selected ? ' selected' : ''}`}
            onFocus={(e) => {
              if (e.target === e.currentTarget) setFocusKey(key);
            }}
            onClick={() => {
              setFocusKey(key);
              onSelect(item.id);
            }}
          >
            <span
              className={`tree-twisty${expanded === undefined ? ' leaf' : ''}`}
              aria-hidden="true"
              onClick={(e) => {
                if (item.id && item.hasChildren) {
                  e.stopPropagation();
                  toggle(item.id, !open.has(item.id));
                }
              }}
            >
              {expanded === undefined ? '' : expanded ? '▾' : '▸'}
            </span>
            <span className="tree-name" title={item.name}>{item.name}</span>
            {showCounts ? (
              <>
                <span className="tree-count" aria-hidden="true">
                  {item.count}
                </span>
                <span className="sr-only">
                  , {item.count} device{item.count === 1 ? '' : 's'}
                </span>
              </>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
