import type { KeyboardEvent } from 'react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { EquipmentFilterValue, EquipmentListRow, EquipmentSortColumn, FoundByTag } from '../../../../shared/contract/equipment';
import type { EquipmentStatus, Risk } from '../../../../shared/domain/equipment';
import type { LocationTreeNode } from '../../../../shared/domain/location';
import { EQUIPMENT_STATUSES, RISKS, STATUS_LABELS } from '../../../../shared/domain/equipment';
import { ErrorBanner } from '../../components/Banner';
import { Field } from '../../components/Field';
import { LocationTree } from '../../components/LocationTree';
import { SameTagChooser } from '../../components/SameTagChooser';
import { StatusBadge } from '../../components/StatusBadge';
import type { VirtualColumn } from '../../components/VirtualTable';
import { VirtualTable } from '../../components/VirtualTable';
import { call } from '../../lib/api';
import { useChannelQuery } from '../../lib/query';
import { Link, navigate, queryParams, usePath } from '../../lib/router';
import { can, useSession } from '../../lib/session';
import { ExportDialog } from './ExportDialog';
import { RISK_LABELS } from '../../lib/labels';
import { NextDueCell } from './NextDueCell';
import { useDates } from '../../lib/settings';
import { useEquipmentPages } from './use-equipment-pages';

interface ListState {
  text: string;
  locationId: string | null;
  categoryId: string;
  risk: '' | Risk;
  /** '' any status; 'active' anything but retired. */
  status: '' | 'active' | EquipmentStatus;
  sort: EquipmentSortColumn;
  direction: 'asc' | 'desc';
}

const INITIAL: ListState = { text: '', locationId: null, categoryId: '', risk: '', status: '', sort: 'assetTag', direction: 'asc' };

/** The list's filter, kept while the same person moves between screens (not for the next person). */
let remembered: { userId: string; state: ListState } | null = null;

function toFilter(s: ListState, text: string): EquipmentFilterValue {
  const f: EquipmentFilterValue = { sort: s.sort, direction: s.direction };
  if (text.trim()) f.text = text.trim();
  if (s.locationId) f.locationId = s.locationId;
  if (s.categoryId) f.categoryId = s.categoryId;
  if (s.risk) f.risks = [s.risk];
  if (s.status === 'active') f.statuses = EQUIPMENT_STATUSES.filter((x) => x !== 'retired');
  else if (s.status) f.statuses = [s.status];
  return f;
}

const isFiltered = (s: ListState) => Boolean(s.text.trim() || s.locationId || s.categoryId || s.risk || s.status);

/** The place of a location in the tree, "General Hospital > ICU", or null when the tree does not hold it. */
function pathIn(nodes: readonly LocationTreeNode[], id: string): string | null {
  for (const n of nodes) {
    if (n.id === id) return n.path;
    const inside = pathIn(n.children, id);
    if (inside) return inside;
  }
  return null;
}

/**
 * The filters set besides the words, in words ("location General Hospital > ICU, status Missing"),
 * so a list that shows nothing says what it was asked for.
 */
function filtersInWords(s: ListState, tree: readonly LocationTreeNode[], categories: readonly { id: string; name: string }[]): string[] {
  const out: string[] = [];
  if (s.locationId) out.push(`location ${pathIn(tree, s.locationId) ?? 'chosen'}`);
  if (s.categoryId) out.push(`category ${categories.find((c) => c.id === s.categoryId)?.name ?? 'chosen'}`);
  if (s.risk) out.push(`risk ${RISK_LABELS[s.risk]}`);
  if (s.status) out.push(`status ${s.status === 'active' ? 'Not retired' : STATUS_LABELS[s.status]}`);
  return out;
}

/**
 * What the list says when it shows nothing: an empty inventory is said as such, whatever the
 * filters; a filter that matches nothing names the words and filters it was asked for, and offers
 * fewer words only when there are words.
 */
function emptyText(s: ListState, allCount: number | null, filters: string[]): string {
  const text = s.text.trim();
  if (!text && filters.length === 0) return '';
  const asked = [text ? `“${text}”` : null, filters.length ? `${text ? 'with ' : ''}${filters.join(', ')}` : null]
    .filter(Boolean)
    .join(' ');
  const all = allCount === null ? 'all devices' : `all ${allCount.toLocaleString()} device${allCount === 1 ? '' : 's'}`;
  return text
    ? `No device matches ${asked}. Try fewer words, or clear the filters to see ${all}.`
    : `No device matches ${asked}. Clear the filters to see ${all}.`;
}

const SEARCH_DELAY_MS = 150;

export function EquipmentList() {
  const { user } = useSession();
  const path = usePath();
  const dates = useDates();
  const [state, setState] = useState<ListState>(() => {
    const fromLink = queryParams(path).get('location');
    const base = remembered && remembered.userId === user.id ? remembered.state : INITIAL;
    return fromLink ? { ...INITIAL, locationId: fromLink } : base;
  });
  const [text, setText] = useState(state.text);
  const [exporting, setExporting] = useState(false);
  const [tagHint, setTagHint] = useState<string | null>(null);
  // The whole tag typed, given to two devices in use by two PCs of the hub: which one to open.
  const [choosing, setChoosing] = useState<FoundByTag | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  // The search narrows as one types, a beat after the last key.
  useEffect(() => {
    const t = window.setTimeout(() => setState((s) => (s.text === text ? s : { ...s, text })), SEARCH_DELAY_MS);
    return () => window.clearTimeout(t);
  }, [text]);
  useEffect(() => {
    remembered = { userId: user.id, state };
  }, [user.id, state]);

  // Ctrl+F: to the search box (a scanner never holds Ctrl).
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const filter = useMemo(() => toFilter(state, state.text), [state]);
  // The rows are asked for before the tree and the category counts beside them: the back end
  // answers in order, and the rows are what the person waits for.
  const pages = useEquipmentPages(filter);
  const tree = useChannelQuery('locations.tree', {});
  const categories = useChannelQuery('categories.list', {});
  const allCount = (tree.data ?? []).reduce((n, site) => n + site.totalCount, 0);
  const filtered = isFiltered(state);
  const set = (patch: Partial<ListState>) => setState((s) => ({ ...s, ...patch }));

  const onSort = useCallback((column: string) => {
    setState((s) => {
      const sort = column as EquipmentSortColumn;
      return { ...s, sort, direction: s.sort === sort && s.direction === 'asc' ? 'desc' : 'asc' };
    });
  }, []);

  async function onSearchKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'Escape' && text) {
      e.preventDefault();
      setText('');
      return;
    }
    if (e.key !== 'Enter' || !text.trim()) return;
    // A whole tag typed (or scanned) into the box opens that device.
    e.preventDefault();
    const res = await call('equipment.findByTag', { tag: text });
    if (res.ok && res.value.sameTag.length > 1) setChoosing(res.value);
    else if (res.ok) navigate(`/equipment/${res.value.id}`);
    else setTagHint(text.trim());
  }

  // The same columns from render to render: the table's rows are memoised on them.
  const columns = useMemo(
    (): VirtualColumn<EquipmentListRow>[] => [
      {
        id: 'assetTag',
        header: 'Asset tag',
        width: '6.5rem',
        sortable: true,
        className: 'mono',
        title: (r) => r.assetTag,
        render: (r) => (
          <Link to={`/equipment/${r.id}`} tabIndex={-1}>
            {r.assetTag}
          </Link>
        ),
      },
      {
        id: 'name',
        header: 'Name',
        width: 'minmax(9rem, 2.4fr)',
        sortable: true,
        className: 'two-lines',
        title: (r) => r.name,
        render: (r) => r.name,
      },
      {
        id: 'category',
        header: 'Category',
        width: 'minmax(6rem, 1.3fr)',
        sortable: true,
        title: (r) => r.categoryName,
        render: (r) => r.categoryName ?? <span className="muted">—</span>,
      },
      {
        id: 'location',
        header: 'Location',
        width: 'minmax(7rem, 1.8fr)',
        sortable: true,
        className: 'two-lines',
        title: (r) => r.locationPath,
        render: (r) => r.locationPath,
      },
      {
        id: 'risk',
        header: 'Risk',
        width: '4.2rem',
        sortable: true,
        render: (r) => (r.risk ? <span className={`risk risk-${r.risk}`}>{RISK_LABELS[r.risk]}</span> : <span className="muted">—</span>),
      },
      { id: 'status', header: 'Status', width: '7.6rem', sortable: true, render: (r) => <StatusBadge status={r.status} /> },
      {
        id: 'nextDue',
        header: 'Next due',
        width: 'minmax(13rem, 1.7fr)',
        sortable: true,
        render: (r) => <NextDueCell row={r} dates={dates} />,
      },
    ],
    [dates],
  );

  const countText = !pages.ready
    ? pages.pending
      ? 'Searching…'
      : 'Loading…'
    : filtered
      ? `${pages.total.toLocaleString()} of ${allCount.toLocaleString()} device${allCount === 1 ? '' : 's'} match`
      : `${pages.total.toLocaleString()} device${pages.total === 1 ? '' : 's'}`;

  return (
    <div className="fill-screen equipment-list">
      <div className="page-head">
        <h1>Equipment</h1>
        <div className="actions">
          {can(user, 'supervisor') ? (
            <>
              <Link to="/equipment/new" className="button primary">
                Add device
              </Link>
              <Link to="/import" className="button">
                Import CSV
              </Link>
            </>
          ) : null}
          <button type="button" onClick={() => setExporting(true)}>
            Export…
          </button>
        </div>
      </div>
      <div className="list-layout">
        <aside className="panel tree-panel" aria-labelledby="tree-title">
          <h2 id="tree-title" className="panel-title">
            Location
          </h2>
          <ErrorBanner error={tree.error} />
          {tree.data ? (
            <LocationTree
              nodes={tree.data}
              selectedId={state.locationId}
              onSelect={(locationId) => set({ locationId })}
              label="Filter by location"
              allLabel="All locations"
            />
          ) : null}
          {tree.data && tree.data.length === 0 ? <p className="empty">No locations yet.</p> : null}
        </aside>
        <section className="list-main" aria-label="Devices">
          <div className="toolbar" role="search" aria-label="Search and filter the equipment">
            <div className="toolbar-search">
              <Field
                label="Search"
                help={
                  <>
                    Tag, name, serial, model or maker; part of a word will do. <span className="kbd">Ctrl+F</span>
                  </>
                }
              >
                {(p) => (
                  <input
                    {...p}
                    ref={searchRef}
                    type="search"
                    value={text}
                    autoComplete="off"
                    spellCheck={false}
                    onChange={(e) => {
                      setText(e.target.value);
                      setTagHint(null);
                    }}
                    onKeyDown={(e) => void onSearchKeyDown(e)}
                  />
                )}
              </Field>
            </div>
            <Field label="Category">
              {(p) => (
                <select {...p} value={state.categoryId} onChange={(e) => set({ categoryId: e.target.value })}>
                  <option value="">Any category</option>
                  {(categories.data ?? []).map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name} ({c.equipmentCount})
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Risk">
              {(p) => (
                <select {...p} value={state.risk} onChange={(e) => set({ risk: e.target.value as ListState['risk'] })}>
                  <option value="">Any risk</option>
                  {RISKS.map((r) => (
                    <option key={r} value={r}>
                      {RISK_LABELS[r]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Status">
              {(p) => (
                <select {...p} value={state.status} onChange={(e) => set({ status: e.target.value as ListState['status'] })}>
                  <option value="">Any status</option>
                  <option value="active">Not retired</option>
                  {EQUIPMENT_STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {STATUS_LABELS[s]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <div className="list-status">
            <p className="count" role="status">
              {countText}
              {tagHint ? <span className="muted"> · no device has the tag “{tagHint}”; the list shows what matches it</span> : null}
            </p>
            {filtered ? (
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setText('');
                  setState((s) => ({ ...INITIAL, sort: s.sort, direction: s.direction }));
                }}
              >
                Clear filters
              </button>
            ) : null}
          </div>
          <ErrorBanner error={pages.error} />
          <VirtualTable
            label="Equipment"
            columns={columns}
            rowCount={pages.total}
            getRow={pages.row}
            getRowKey={(r) => r.id}
            sort={{ column: state.sort, direction: state.direction }}
            onSort={onSort}
            onRangeChange={pages.setRange}
            onOpenRow={(r) => navigate(`/equipment/${r.id}`)}
            busy={pages.pending || !pages.ready}
            resetKey={pages.shownKey}
            empty={
              !pages.ready ? (
                <p className="muted">Loading…</p>
              ) : filtered && !(tree.data && allCount === 0) ? (
                <p className="empty">
                  {emptyText(state, tree.data ? allCount : null, filtersInWords(state, tree.data ?? [], categories.data ?? []))}
                </p>
              ) : (
                <p className="empty">
                  No equipment yet.{can(user, 'supervisor') ? ' Add a device, or import your inventory from a CSV file.' : ''}
                </p>
              )
            }
          />
        </section>
      </div>
      {exporting ? <ExportDialog filter={filter} filtered={filtered} shown={pages.total} onClose={() => setExporting(false)} /> : null}
      {choosing ? (
        <SameTagChooser found={choosing} onClose={() => setChoosing(null)} onChoose={(d) => navigate(`/equipment/${d.id}`)} />
      ) : null}
    </div>
  );
}
