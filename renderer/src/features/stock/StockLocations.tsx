import type { FormEvent } from 'react';
import { useState } from 'react';
import type { StockLocationKind } from '../../../../shared/domain/stock-catalog';
import { STOCK_LOCATION_KIND_LABELS, STOCK_LOCATION_KINDS } from '../../../../shared/domain/stock-catalog';
import { daysBetween } from '../../../../shared/scheduling/dates';
import type { AppErrorValue } from '../../../../shared/result';
import { Banner, ErrorBanner } from '../../components/Banner';
import { DueFlag } from '../../components/DueFlag';
import { Field } from '../../components/Field';
import { call, useQuery } from '../../lib/api';
import { formatDate } from '../../lib/dates';
import { fieldErrors } from '../../lib/form-errors';
import { Link, navigate } from '../../lib/router';
import { can, useSession } from '../../lib/session';
import { useDateFormat } from '../../lib/use-date-format';
import { StockNav } from './StockNav';
import { LocationFlags } from '../../components/LocationFlags';

function AddStockLocation({ onAdded }: { onAdded: (id: string) => void }) {
  const locations = useQuery('locations.list', {});
  const [name, setName] = useState('');
  const [kind, setKind] = useState<StockLocationKind>('crash_cart');
  const [locationId, setLocationId] = useState('');
  const [assetTag, setAssetTag] = useState('');
  const [error, setError] = useState<AppErrorValue | null>(null);
  const { byField, general } = fieldErrors(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    let equipmentId: string | null = null;
    if (assetTag.trim() !== '') {
      const found = await call('equipment.findByTag', { tag: assetTag });
      if (!found.ok) {
        setError({ code: 'not_found', message: `No device has the asset tag ${assetTag.trim()}.`, field: 'equipmentId' });
        return;
      }
      equipmentId = found.value.id;
    }
    const res = await call('stock.locations.create', { name, kind, locationId, equipmentId });
    if (!res.ok) {
      setError(res.error);
      return;
    }
    setError(null);
    onAdded(res.value.id);
  }

  return (
    <form className="panel stack" onSubmit={(e) => void submit(e)} noValidate aria-label="Add a stock location">
      <h2>Add a stock location</h2>
      <ErrorBanner error={general} />
      <div className="grid-2">
        <Field label="Name" required error={byField.name} help="As it is labelled on the ward: Crash cart, Bay 2 supply cupboard.">
          {(p) => <input {...p} type="text" value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Kind" required error={byField.kind}>
          {(p) => (
            <select {...p} value={kind} onChange={(e) => setKind(e.target.value as StockLocationKind)}>
              {STOCK_LOCATION_KINDS.map((k) => (
                <option key={k} value={k}>
                  {STOCK_LOCATION_KIND_LABELS[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Where it is" required error={byField.locationId}>
          {(p) => (
            <select {...p} value={locationId} onChange={(e) => setLocationId(e.target.value)}>
              <option value="">Choose a location…</option>
              {(locations.data ?? []).map((l) => (
                <option key={l.id} value={l.id}>
                  {l.path}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Device it belongs to (asset tag, optional)" error={byField.equipmentId} help="For a device's own consumables, e.g. a defibrillator's pads.">
          {(p) => <input {...p} type="text" value={assetTag} onChange={(e) => setAssetTag(e.target.value)} autoComplete="off" />}
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="primary">
          Add stock location
        </button>
      </div>
    </form>
  );
}

/** Stock locations with their flags and their next check; supervisors add them. */
export function StockLocations() {
  const { user } = useSession();
  const q = useQuery('stock.locations.list', {});
  const dateFormat = useDateFormat();
  const info = useQuery('app.info', {});
  const today = info.data?.today;
  const [adding, setAdding] = useState(false);
  const rows = q.data ?? [];
  const active = rows.filter((r) => r.active);
  const inactive = rows.filter((r) => !r.active);
  const mayEdit = can(user, 'supervisor');

  return (
    <>
      <div className="page-head">
        <h1>Stock</h1>
        {mayEdit && !adding ? (
          <div className="actions">
            <button type="button" onClick={() => setAdding(true)}>
              Add stock location
            </button>
          </div>
        ) : null}
      </div>
      <StockNav />
      <ErrorBanner error={q.error} />
      {adding ? <AddStockLocation onAdded={(id) => navigate(`/stock/locations/${id}`)} /> : null}
      {q.data && active.length === 0 ? (
        <Banner kind="info">No stock locations yet.{mayEdit ? ' Add a crash cart or a ward store to start.' : ''}</Banner>
      ) : null}
      {active.length > 0 ? (
        <table className="data stock-locations-table">
          <caption className="sr-only">Stock locations</caption>
          <thead>
            <tr>
              <th scope="col">Stock location</th>
              <th scope="col">Kind</th>
              <th scope="col">Where</th>
              <th scope="col" className="num">
                Items
              </th>
              <th scope="col">Flags</th>
              <th scope="col">Next check</th>
            </tr>
          </thead>
          <tbody>
            {active.map((r) => (
              <tr key={r.id} data-testid="stock-location-row" className={r.expired > 0 || r.belowMinimum > 0 ? 'flagged' : undefined}>
                <th scope="row" className="row-head">
                  <Link to={`/stock/locations/${r.id}`}>{r.name}</Link>
                  {r.equipment ? (
                    <span className="muted small">
                      {' '}
                      of <span className="mono">{r.equipment.assetTag}</span>
                    </span>
                  ) : null}
                </th>
                <td>{r.kindLabel}</td>
                <td>{r.locationPath}</td>
                <td className="num">{r.items}</td>
                <td>
                  <LocationFlags row={r} />
                </td>
                <td>
                  {r.nextCheck ? (
                    <span className="next-check">
                      <DueFlag
                        status={r.nextCheck.status}
                        daysOverdue={r.nextCheck.daysOverdue}
                        {...(today ? { dueInDays: daysBetween(today, r.nextCheck.dueDate) } : {})}
                      />{' '}
                      <span className="muted small">{formatDate(r.nextCheck.dueDate, dateFormat)}</span>
                    </span>
                  ) : (
                    <span className="muted">No check planned</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {inactive.length > 0 ? (
        <details className="inactive-plans">
          <summary>Stock locations no longer in use ({inactive.length})</summary>
          <ul className="tight-list">
            {inactive.map((r) => (
              <li key={r.id}>
                <Link to={`/stock/locations/${r.id}`}>{r.name}</Link> <span className="muted">({r.locationPath})</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}
