import { OUTCOME_LABELS } from '../../../../shared/domain/plan';
import { ErrorBanner } from '../../components/Banner';
import { StockFlagChips } from '../../components/StockCheckForm';
import { useChannelQuery } from '../../lib/query';
import { Link } from '../../lib/router';
import { useDates } from '../../lib/settings';

const signed = (n: number | null) => (n === null ? '—' : n > 0 ? `+${n}` : String(n));

/**
 * A stock check afterwards: what was expected, counted, discarded and restocked for each item,
 * and the flags right after the check (below minimum, expired, expiring soon).
 */
export function StockCheckPage({ completionId }: { completionId: string }) {
  const q = useChannelQuery('stock.checks.get', { completionId });
  const dates = useDates();
  const r = q.data;
  if (!r) return q.error ? <ErrorBanner error={q.error} /> : <p className="muted">Loading…</p>;
  const s = r.summary;
  const flagged = s.items.filter((i) => i.flags.belowMinimum || i.flags.expired > 0 || i.flags.expiringSoon > 0);
  return (
    <>
      <p className="back-link">
        <Link to={`/stock/locations/${r.stockLocation.id}`}>‹ {r.stockLocation.name}</Link>
      </p>
      <div className="page-head">
        <h1>Stock check of {r.stockLocation.name}</h1>
        <div className="actions">
          <Link to={`/stock/reorder?stockLocationId=${r.stockLocation.id}`} className="button">
            Reorder list
          </Link>
        </div>
      </div>
      <p className="status-line">
        <span>{r.stockLocation.locationPath}</span>
        <span>
          {dates.dateTime(r.performedAt)} by {r.performedByName}
        </span>
        <span className={`outcome-chip ${r.recordedOutcome}`} data-testid="stock-check-recorded-outcome">
          {OUTCOME_LABELS[r.recordedOutcome]}
        </span>
      </p>
      <section className={`panel stock-check-summary ${s.outcome}`} aria-labelledby="check-flags-title">
        <h2 id="check-flags-title">Flags after the check</h2>
        <p data-testid="stock-check-flags">
          {s.totals.counted} of {s.totals.items} items counted · {s.totals.belowMinimum} below minimum · {s.totals.expired} with expired stock ·{' '}
          {s.totals.expiringSoon} expiring within {s.expiringWithinDays} days · {s.totals.discarded} discarded · {s.totals.restocked} restocked.
        </p>
        {s.reasons.length > 0 ? (
          <ul className="tight-list">
            {s.reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        ) : null}
        {flagged.length > 0 ? (
          <ul className="flag-list">
            {flagged.map((i) => (
              <li key={i.itemId}>
                <strong>{i.name}</strong> <StockFlagChips flags={i.flags} unit={i.unit} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="all-clear">Nothing is flagged.</p>
        )}
      </section>
      <section className="panel" aria-labelledby="check-items-title">
        <h2 id="check-items-title">Items</h2>
        <div className="table-scroll">
          <table className="data stock-check-table">
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col" className="num">
                  Expected
                </th>
                <th scope="col" className="num">
                  Counted
                </th>
                <th scope="col" className="num">
                  Difference
                </th>
                <th scope="col" className="num">
                  Discarded
                </th>
                <th scope="col" className="num">
                  Restocked
                </th>
                <th scope="col" className="num">
                  On hand after
                </th>
                <th scope="col">Nearest expiry</th>
                <th scope="col">Flags</th>
              </tr>
            </thead>
            <tbody>
              {s.items.map((i) => (
                <tr key={i.itemId} data-testid="stock-check-row" className={i.flags.belowMinimum || i.flags.expired > 0 ? 'flagged' : undefined}>
                  <th scope="row" className="row-head">
                    {i.name} <span className="muted mono small">{i.code}</span>
                  </th>
                  <td className="num">{i.expected}</td>
                  <td className="num">{i.counted ?? <span className="muted">not counted</span>}</td>
                  <td className={`num${i.difference !== null && i.difference !== 0 ? ' diff' : ''}`}>{signed(i.difference)}</td>
                  <td className="num">{i.discarded || ''}</td>
                  <td className="num">{i.restocked || ''}</td>
                  <td className="num">
                    {i.onHand} <span className="muted small">{i.unit}</span>
                  </td>
                  <td className="nowrap">{dates.date(i.flags.nearestExpiry)}</td>
                  <td>
                    <StockFlagChips flags={i.flags} unit={i.unit} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="muted small">Figures as they were right after the check; par and minimum as they are now. Flags are for {dates.date(s.on)}.</p>
      </section>
    </>
  );
}
