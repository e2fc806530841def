import { useId } from 'react';
import { useChannelQuery } from '../lib/query';
import { Link } from '../lib/router';
import { LocationFlags } from './LocationFlags';

/**
 * Low stock and stock expiring soon, beside due work (docs/records.md): the active stock locations with
 * a flag, each one click from its page, and the two lists. Renders nothing when nothing is flagged.
 * For the home screen (`<StockAlerts />`).
 */
export function StockAlerts({ locationIds }: { locationIds?: readonly string[] }) {
  const q = useChannelQuery('stock.locations.list', {});
  const titleId = useId();
  const flagged = (q.data ?? []).filter(
    (r) => r.active && (r.belowMinimum > 0 || r.expired > 0 || r.expiringSoon > 0) && (!locationIds || locationIds.includes(r.locationId)),
  );
  if (flagged.length === 0) return null;
  return (
    <section className="panel stock-alerts" aria-labelledby={titleId}>
      <div className="section-head">
        <h2 id={titleId}>Stock</h2>
        <Link to="/stock/reorder">Reorder list</Link>
        <Link to="/stock/expiry">Expiry list</Link>
      </div>
      <ul className="tight-list">
        {flagged.map((r) => (
          <li key={r.id}>
            <Link to={`/stock/locations/${r.id}`}>{r.name}</Link> <span className="muted small">{r.locationPath}</span> <LocationFlags row={r} />
          </li>
        ))}
      </ul>
    </section>
  );
}
