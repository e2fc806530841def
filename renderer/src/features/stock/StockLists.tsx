import { useId, useState } from 'react';
import type { StockListScope } from '../../../../shared/contract/stock';
import { NOTHING_KEPT } from '../../../../shared/domain/stock-views';
import type { AppErrorValue } from '../../../../shared/result';
import { ErrorBanner } from '../../components/Banner';
import { call } from '../../lib/api';
import { useChannelQuery } from '../../lib/query';
import { mimeTypeFor, saveTextFile } from '../../lib/download';
import { Link, navigate, queryParams, usePath } from '../../lib/router';
import { useDates } from '../../lib/settings';
import { StockPrintControls } from './StockPrint';
import { StockNav } from './StockNav';

type List = 'reorder' | 'expiry';

/** The list's scope from the address: `?stockLocationId=…` or `?locationId=…`, else everything. */
export function scopeOf(path: string): StockListScope {
  const q = queryParams(path);
  const stockLocationId = q.get('stockLocationId');
  const locationId = q.get('locationId');
  if (stockLocationId) return { stockLocationId };
  if (locationId) return { locationId };
  return {};
}

const scopeValue = (s: StockListScope) => (s.stockLocationId ? `sl:${s.stockLocationId}` : s.locationId ? `loc:${s.locationId}` : '');

function ScopePicker({ list, scope }: { list: List; scope: StockListScope }) {
  const id = useId();
  const places = useChannelQuery('stock.locations.list', {});
  const active = (places.data ?? []).filter((p) => p.active);
  // The wards (or sites) that hold stock locations.
  const wards = new Map<string, string>();
  for (const p of active) wards.set(p.locationId, p.locationPath);
  return (
    <div className="field stock-scope">
      <label htmlFor={id}>Which stock</label>
      <select
        id={id}
        value={scopeValue(scope)}
        onChange={(e) => {
          const v = e.target.value;
          navigate(`/stock/${list}${v.startsWith('sl:') ? `?stockLocationId=${v.slice(3)}` : v.startsWith('loc:') ? `?locationId=${v.slice(4)}` : ''}`);
        }}
      >
        <option value="">All stock locations</option>
        <optgroup label="Everything in a location">
          {[...wards.entries()]
            .sort((a, b) => a[1].localeCompare(b[1]))
            .map(([locId, path]) => (
              <option key={locId} value={`loc:${locId}`}>
                {path}
              </option>
            ))}
        </optgroup>
        <optgroup label="One stock location">
          {active.map((p) => (
            <option key={p.id} value={`sl:${p.id}`}>
              {p.name} ({p.locationPath})
            </option>
          ))}
        </optgroup>
      </select>
    </div>
  );
}

function ExportCsv({ list, scope, onError }: { list: List; scope: StockListScope; onError: (e: AppErrorValue | null) => void }) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      disabled={busy}
      onClick={() => {
        setBusy(true);
        onError(null);
        void call('stock.export', { ...scope, list }).then((res) => {
          setBusy(false);
          if (!res.ok) onError(res.error);
          else saveTextFile(res.value.fileName, res.value.content, mimeTypeFor(res.value.fileName));
        });
      }}
    >
      Export CSV
    </button>
  );
}

function NothingKept() {
  return <p className="empty">{NOTHING_KEPT}</p>;
}

function ReorderTable({ scope }: { scope: StockListScope }) {
  const q = useChannelQuery('stock.reorderList', scope);
  const list = q.data;
  if (!list) return <ErrorBanner error={q.error} />;
  return (
    <section className="panel" aria-labelledby="reorder-title">
      <h2 id="reorder-title">
        Below minimum: {list.rows.length} item{list.rows.length === 1 ? '' : 's'} <span className="muted small">({list.scope})</span>
      </h2>
      {list.rows.length === 0 ? (
        list.itemsKept === 0 ? (
          <NothingKept />
        ) : (
          <p className="all-clear">Nothing is below its minimum.</p>
        )
      ) : (
        <table className="data stock-list-table" data-testid="reorder-table">
          <thead>
            <tr>
              <th scope="col">Stock location</th>
              <th scope="col">Item</th>
              <th scope="col" className="num">
                Usable
              </th>
              <th scope="col" className="num">
                Minimum
              </th>
              <th scope="col" className="num">
                Par
              </th>
              <th scope="col" className="num">
                Order
              </th>
              <th scope="col">Supplier</th>
            </tr>
          </thead>
          <tbody>
            {list.rows.map((r) => (
              <tr key={`${r.stockLocationId}/${r.itemId}`} data-testid="reorder-row">
                <td>
                  <Link to={`/stock/locations/${r.stockLocationId}`}>{r.stockLocationName}</Link>
                  <div className="muted small">{r.locationPath}</div>
                </td>
                <th scope="row" className="row-head">
                  {r.name} <span className="muted mono small">{r.code}</span>
                </th>
                <td className="num">
                  {r.usable}
                  {r.expired > 0 ? <div className="small stock-expired-note">+{r.expired} expired</div> : null}
                </td>
                <td className="num">{r.minimum}</td>
                <td className="num">{r.par}</td>
                <td className="num order-qty">
                  {r.orderQuantity} <span className="muted small">{r.unit}</span>
                </td>
                <td>{r.defaultSupplier ?? <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ExpiryTable({ scope }: { scope: StockListScope }) {
  const q = useChannelQuery('stock.expiryList', scope);
  const dates = useDates();
  const list = q.data;
  if (!list) return <ErrorBanner error={q.error} />;
  const expired = list.rows.filter((r) => r.status === 'expired').length;
  return (
    <section className="panel" aria-labelledby="expiry-title">
      <h2 id="expiry-title">
        {expired} lot{expired === 1 ? '' : 's'} expired, {list.rows.length - expired} expiring within {list.expiringWithinDays} days{' '}
        <span className="muted small">({list.scope})</span>
      </h2>
      {list.rows.length === 0 ? (
        list.itemsKept === 0 ? (
          <NothingKept />
        ) : (
          <p className="all-clear">Nothing has expired or expires within {list.expiringWithinDays} days.</p>
        )
      ) : (
        <table className="data stock-list-table" data-testid="expiry-table">
          <thead>
            <tr>
              <th scope="col">Expires</th>
              <th scope="col">Stock location</th>
              <th scope="col">Item</th>
              <th scope="col">Lot</th>
              <th scope="col" className="num">
                Quantity
              </th>
            </tr>
          </thead>
          <tbody>
            {list.rows.map((r) => (
              <tr key={r.lotId} className={`expiry-row ${r.status}`} data-testid="expiry-row">
                <td className="nowrap">
                  {dates.date(r.expiresOn)}{' '}
                  <span className={`stock-flag ${r.status}`}>
                    {r.status === 'expired' ? `Expired ${-r.days} d ago` : r.days === 0 ? 'Expires today' : `In ${r.days} d`}
                  </span>
                </td>
                <td>
                  <Link to={`/stock/locations/${r.stockLocationId}`}>{r.stockLocationName}</Link>
                  <div className="muted small">{r.locationPath}</div>
                </td>
                <th scope="row" className="row-head">
                  {r.name} <span className="muted mono small">{r.code}</span>
                </th>
                <td className="mono">{r.lot ?? <span className="muted">(not recorded)</span>}</td>
                <td className="num">
                  {r.onHand} <span className="muted small">{r.unit}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The reorder list (below minimum, quantity to reach par) or the expiry list, for a scope; CSV and print. */
export function StockLists({ list }: { list: List }) {
  const path = usePath();
  const scope = scopeOf(path);
  const [error, setError] = useState<AppErrorValue | null>(null);
  return (
    <>
      <div className="page-head">
        <h1>{list === 'reorder' ? 'Reorder list' : 'Expiry list'}</h1>
      </div>
      <StockNav />
      <div className="stock-list-toolbar">
        <ScopePicker list={list} scope={scope} />
        <div className="actions">
          <ExportCsv list={list} scope={scope} onError={setError} />
          <StockPrintControls list={list} scope={scope} />
        </div>
      </div>
      <ErrorBanner error={error} />
      {list === 'reorder' ? <ReorderTable scope={scope} /> : <ExpiryTable scope={scope} />}
    </>
  );
}
