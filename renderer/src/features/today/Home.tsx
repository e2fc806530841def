import { startTransition, useEffect, useId, useState } from 'react';
import { byPlaceName } from '../../../../shared/domain/location';
import type { DueRow, TodayView, WardCount } from '../../../../shared/domain/plan';
import { plural } from '../../../../shared/labels';
import { daysBetween } from '../../../../shared/scheduling/dates';
import { ErrorBanner } from '../../components/Banner';
import { DueFlag } from '../../components/DueFlag';
import { StockAlerts } from '../../components/StockAlerts';
import type { OutOfServiceRow } from '../../../../shared/domain/work-order';
import { WAITING_FOR_LABELS, WORK_ORDER_STATE_LABELS } from '../../../../shared/domain/work-order';
import { formatMinutes } from '../../../../shared/repairs/downtime';
import { useChannelQuery } from '../../lib/query';
import { Link } from '../../lib/router';
import { TODAY_FIRST_ROWS } from '../../lib/today';
import { can, useSession } from '../../lib/session';
import type { DateWriter } from '../../lib/settings';
import { useDates } from '../../lib/settings';
import { RemoteChanges } from './RemoteChanges';

/**
 * Rows each list draws in Today's first frame; the rest of those read follow in the next render (a
 * transition). On a hospital the first question reads 100 overdue and 100 out of service, and
 * drawing them all before anything showed took the renderer about 100 ms (issue 17). Headings,
 * counts and the "Showing the first …" lines always say what was read, never what is drawn yet.
 */
const FIRST_FRAME_ROWS = 20;

/** False for the first frame after the view is in, then true: every row read is drawn. */
function useDrawAll(ready: boolean): boolean {
  const [all, setAll] = useState(false);
  useEffect(() => {
    if (!ready || all) return;
    const timer = setTimeout(() => startTransition(() => setAll(true)), 0);
    return () => clearTimeout(timer);
  }, [ready, all]);
  return all;
}

const drawn = <T,>(rows: readonly T[], all: boolean): readonly T[] => (all ? rows : rows.slice(0, FIRST_FRAME_ROWS));

/** Rows grouped by ward, in the order the list gives them (overdue first, then by due date). */
function byWard(rows: readonly DueRow[]): { wardId: string; wardPath: string; rows: DueRow[] }[] {
  const groups = new Map<string, { wardId: string; wardPath: string; rows: DueRow[] }>();
  for (const r of rows) {
    let g = groups.get(r.wardId);
    if (!g) {
      g = { wardId: r.wardId, wardPath: r.wardPath, rows: [] };
      groups.set(r.wardId, g);
    }
    g.rows.push(r);
  }
  return [...groups.values()].sort((a, b) => byPlaceName(a.wardPath, b.wardPath));
}

function DueTable({
  rows,
  caption,
  dates,
  kind,
  asOf,
  mayLog,
}: {
  rows: DueRow[];
  caption: string;
  dates: DateWriter;
  kind: 'overdue' | 'due';
  asOf: string;
  mayLog: boolean;
}) {
  return (
    <table className="data due-table">
      <caption className="ward-caption">{caption}</caption>
      <colgroup>
        <col className="col-device" />
        <col className="col-task" />
        <col className="col-date" />
        <col className="col-flag" />
        <col className="col-room" />
        <col className="col-log" />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">Device</th>
          <th scope="col">Task</th>
          <th scope="col">Due date</th>
          <th scope="col">{kind === 'overdue' ? 'Overdue' : 'When'}</th>
          <th scope="col">Room</th>
          <th scope="col">
            <span className="sr-only">Log</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.planId} className={`due-row ${r.status}`} data-testid="due-row">
            <td>
              {r.equipmentId ? (
                <Link to={`/equipment/${r.equipmentId}`}>
                  <span className="mono">{r.assetTag}</span> {r.name}
                </Link>
              ) : (
                r.name
              )}
            </td>
            <td>{r.taskLabel}</td>
            <td className="nowrap">{dates.date(r.dueDate)}</td>
            <td>
              <DueFlag status={r.status} daysOverdue={r.daysOverdue} doNotUse={r.doNotUse} dueInDays={daysBetween(asOf, r.dueDate)} />
            </td>
            <td>{r.room ?? <span className="muted">—</span>}</td>
            <td>
              {mayLog ? (
                <Link to={`/log/${r.planId}`} className="button small-button" aria-label={`Log ${r.taskLabel.toLowerCase()} of ${r.assetTag ?? r.name}`}>
                  Log
                </Link>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Section({
  kind,
  rows,
  total,
  dates,
  asOf,
  drawAll,
}: {
  kind: 'overdue' | 'due';
  rows: DueRow[];
  total: number;
  dates: DateWriter;
  asOf: string;
  drawAll: boolean;
}) {
  const titleId = useId();
  const { user } = useSession();
  const mayLog = can(user, 'technician');
  if (rows.length === 0) return null;
  return (
    <section className={`panel due-section ${kind}`} aria-labelledby={titleId}>
      <h2 id={titleId}>
        {kind === 'overdue' ? 'Overdue' : 'Due'} <span className="count-chip">{total}</span>
        {rows.length < total ? <span className="muted small"> the first {rows.length} shown</span> : null}
      </h2>
      {byWard(drawn(rows, drawAll)).map((g) => (
        <DueTable key={g.wardId} rows={g.rows} caption={g.wardPath} dates={dates} kind={kind} asOf={asOf} mayLog={mayLog} />
      ))}
    </section>
  );
}

function Counts({ counts, label, onPick }: { counts: WardCount[]; label: string; onPick: (wardId: string) => void }) {
  if (counts.length < 2) return null;
  return (
    <table className="data compact ward-counts" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Ward</th>
          <th scope="col" className="num">
            Overdue
          </th>
          <th scope="col" className="num">
            Due
          </th>
        </tr>
      </thead>
      <tbody>
        {counts.map((c) => (
          <tr key={c.wardId}>
            <th scope="row" className="row-head">
              <button type="button" className="link-button" onClick={() => onPick(c.wardId)} title={`Show only ${c.wardPath}`}>
                {c.wardPath}
              </button>
            </th>
            <td className={`num${c.overdue > 0 ? ' overdue-count' : ''}`}>{c.overdue}</td>
            <td className="num">{c.due}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function overdueTotal(view: TodayView): number {
  return view.counts.reduce((n, c) => n + c.overdue, 0);
}

function headline(view: TodayView): string {
  const overdue = overdueTotal(view);
  const due = view.counts.reduce((n, c) => n + c.due, 0);
  const where = view.locationPath ? view.locationPath.split(' > ').at(-1) : 'all wards';
  return `Today on ${where}: ${overdue} overdue, ${due} due`;
}

/**
 * When nothing is due, the plain truth: nothing planned yet (and what to do first), or nothing
 * due today and when the next work is. Asked only then: the soonest plan of the location's devices.
 */
function NothingDue({ view, locationIds }: { view: TodayView; locationIds: readonly string[] | null }) {
  const { user } = useSession();
  const dates = useDates();
  const place = view.locationId ? { locationId: view.locationId } : {};
  // The next work is on a device in service: a device out of service has its plans suspended, and
  // its earliest date may be long past (it was overdue when it went out).
  const soonest = useChannelQuery('equipment.search', { sort: 'nextDue', direction: 'asc', limit: 1, statuses: ['in_service'], ...place });
  // Whether there is any equipment at all (one row by tag: the index, not a sort of every device).
  const inventory = useChannelQuery('equipment.search', { sort: 'assetTag', direction: 'asc', limit: 1, ...place });
  const stock = useChannelQuery('stock.locations.list', {});
  const where = view.locationPath ? ` on ${view.locationPath}` : '';
  if (!soonest.data || !inventory.data || !stock.data) return null;
  const supervisor = can(user, 'supervisor');
  const places = stock.data.filter((r) => r.active && (!locationIds || locationIds.includes(r.locationId)));
  const device = soonest.data.rows[0];
  const checks = places.filter((r) => r.nextCheck).sort((a, b) => a.nextCheck!.dueDate.localeCompare(b.nextCheck!.dueDate));
  const next = [
    ...(device?.nextDue ? [{ dueDate: device.nextDue.dueDate, what: device.nextDue.taskLabel, of: `${device.assetTag} ${device.name}`, to: `/equipment/${device.id}` }] : []),
    ...(checks[0] ? [{ dueDate: checks[0].nextCheck!.dueDate, what: checks[0].nextCheck!.taskLabel, of: checks[0].name, to: `/stock/locations/${checks[0].id}` }] : []),
  ].sort((a, b) => a.dueDate.localeCompare(b.dueDate))[0];
  if (inventory.data.total === 0 && places.length === 0) {
    return (
      <section className="panel empty-state" data-testid="today-empty">
        <p className="empty-title">Nothing is planned yet: there is no equipment{where} in Wardkeep.</p>
        {supervisor ? (
          <p>
            Start with <Link to="/locations">the locations</Link> (your site and wards), then add the equipment on <Link to="/equipment">the equipment
            list</Link> or import your inventory from a CSV file. Plans come from each device&apos;s page or from its category&apos;s default plans.
          </p>
        ) : (
          <p>A supervisor adds the equipment and its plans; then the work due shows here.</p>
        )}
      </section>
    );
  }
  if (!next) {
    return (
      <section className="panel empty-state" data-testid="today-empty">
        <p className="empty-title">Nothing is planned yet: nothing{where} has a plan.</p>
        <p>
          {supervisor
            ? 'Add plans on each device’s page, or give a category default plans and apply them to its devices (Categories).'
            : 'A supervisor adds the plans; then the work due shows here.'}
        </p>
      </section>
    );
  }
  return (
    <section className="panel">
      <p className="all-clear" data-testid="today-empty">
        Nothing is overdue or due{where} today. The next work due is the {next.what.toLowerCase()} of <Link to={next.to}>{next.of}</Link> on{' '}
        {dates.date(next.dueDate)}.
      </p>
    </section>
  );
}

/**
 * Devices out of service on the wards in view: they never vanish from Today. Each says DO NOT USE,
 * why, and where its repair stands (the work order's state and age).
 */
function OutOfService({ rows, total, onMore, drawAll }: { rows: OutOfServiceRow[]; total: number; onMore: () => void; drawAll: boolean }) {
  const titleId = useId();
  const { user } = useSession();
  const dates = useDates();
  if (rows.length === 0) return null;
  const groups = new Map<string, OutOfServiceRow[]>();
  for (const r of drawn(rows, drawAll)) groups.set(r.wardPath, [...(groups.get(r.wardPath) ?? []), r]);
  return (
    <section className="panel due-section out-of-service" aria-labelledby={titleId} data-testid="out-of-service">
      <h2 id={titleId}>
        Out of service: do not use <span className="count-chip">{total}</span>
      </h2>
      {total > rows.length ? (
        <p className="more-rows" data-testid="out-of-service-more">
          <span className="muted">Showing the first {rows.length} of {total} devices out of service: choose a ward, or </span>
          <button type="button" className="small-button" onClick={onMore}>
            Show {Math.min(TODAY_FIRST_ROWS, total - rows.length)} more
          </button>
        </p>
      ) : null}
      {[...groups.entries()].map(([ward, list]) => (
        <table key={ward} className="data out-of-service-table">
          <caption className="ward-caption">{ward}</caption>
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Why</th>
              <th scope="col">Repair</th>
              <th scope="col">Room</th>
            </tr>
          </thead>
          <tbody>
            {list.map((r) => (
              <tr key={r.equipmentId} className="due-row do-not-use" data-testid="out-of-service-row">
                <td>
                  <Link to={`/equipment/${r.equipmentId}`}>
                    <span className="mono">{r.assetTag}</span> {r.name}
                  </Link>{' '}
                  <span className="do-not-use-chip">DO NOT USE</span>
                </td>
                <td>{r.statusReason ? dates.text(r.statusReason) : <span className="muted">—</span>}</td>
                <td>
                  {r.workOrder ? (
                    <>
                      {can(user, 'technician') ? <Link to={`/work-orders/${r.workOrder.id}`}>{r.workOrder.ref}</Link> : r.workOrder.ref}:{' '}
                      {WORK_ORDER_STATE_LABELS[r.workOrder.state].toLowerCase()}
                      {r.workOrder.waitingFor ? ` ${WAITING_FOR_LABELS[r.workOrder.waitingFor]}` : ''}, open {formatMinutes(r.workOrder.ageMinutes)}
                    </>
                  ) : (
                    <span className="muted">no open work order</span>
                  )}
                </td>
                <td>{r.room ?? <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </section>
  );
}

/**
 * "Today": what is overdue (red, first) and due on the user's ward (their home ward, else this
 * PC's, else all), grouped by ward, each row one click from its device. Re-read after every
 * write and when the date changes, so it is never stale.
 */
export function Home() {
  const { user } = useSession();
  const technician = can(user, 'technician');
  // undefined: the default location; null: all locations.
  const [choice, setChoice] = useState<string | null | undefined>(undefined);
  const [limit, setLimit] = useState(TODAY_FIRST_ROWS);
  const [outOfServiceLimit, setOutOfServiceLimit] = useState(TODAY_FIRST_ROWS);
  const choose = (locationId: string | null) => {
    setChoice(locationId);
    setLimit(TODAY_FIRST_ROWS);
    setOutOfServiceLimit(TODAY_FIRST_ROWS);
  };
  const more = () => setLimit((n) => Math.min(5000, n + TODAY_FIRST_ROWS));
  const moreOutOfService = () => setOutOfServiceLimit((n) => Math.min(5000, n + TODAY_FIRST_ROWS));
  const today = useChannelQuery(
    'due.today',
    { ...(choice === undefined ? {} : { locationId: choice }), limit, outOfServiceLimit },
    { keepPrevious: true },
  );
  const locations = useChannelQuery('locations.list', {});
  const dates = useDates();
  const view = today.data;
  const drawAll = useDrawAll(view !== undefined);
  const selectId = useId();
  // The locations the view covers (the chosen one and everything inside it); null: all.
  const inView = view?.locationPath
    ? (locations.data ?? []).filter((l) => l.path === view.locationPath || l.path.startsWith(`${view.locationPath} > `)).map((l) => l.id)
    : null;

  return (
    <>
      <div className="page-head">
        <h1>Today</h1>
        {view ? <span className="muted">{dates.date(view.asOf)}</span> : null}
        <div className="actions location-choice">
          <label htmlFor={selectId}>Location</label>
          <select
            id={selectId}
            value={view ? (view.locationId ?? '') : ''}
            onChange={(e) => choose(e.target.value === '' ? null : e.target.value)}
          >
            <option value="">All locations</option>
            {(locations.data ?? []).map((l) => (
              <option key={l.id} value={l.id}>
                {l.path}
                {view && l.id === view.defaultLocationId ? (view.defaultSource === 'user' ? ' (your ward)' : " (this PC's ward)") : ''}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorBanner error={today.error} />
      <RemoteChanges />
      {view ? (
        <>
          <p className="today-headline" data-testid="today-headline">
            {headline(view)}
          </p>
          <Counts counts={view.counts} label="Overdue and due per ward" onPick={choose} />
          <OutOfService rows={view.outOfService} total={view.outOfServiceTotal} onMore={moreOutOfService} drawAll={drawAll} />
          {view.total === 0 && technician ? <NothingDue view={view} locationIds={inView} /> : null}
          <Section kind="overdue" rows={view.rows.filter((r) => r.status === 'overdue')} total={overdueTotal(view)} dates={dates} asOf={view.asOf} drawAll={drawAll} />
          <Section kind="due" rows={view.rows.filter((r) => r.status === 'due')} total={view.counts.reduce((n, c) => n + c.due, 0)} dates={dates} asOf={view.asOf} drawAll={drawAll} />
          {view.total > view.rows.length ? (
            <p className="more-rows" data-testid="today-more">
              <span className="muted">
                Showing the first {view.rows.length} of {plural(view.total, 'plan')}: choose a ward to see its work, or{' '}
              </span>
              <button type="button" className="small-button" onClick={more}>
                Show {Math.min(TODAY_FIRST_ROWS, view.total - view.rows.length)} more
              </button>
            </p>
          ) : null}
          {technician ? <StockAlerts {...(inView ? { locationIds: inView } : {})} /> : null}
        </>
      ) : null}
    </>
  );
}
