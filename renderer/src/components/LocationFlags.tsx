import type { StockLocationRow } from '../../../shared/domain/stock-views';

/** The flag counts of a stock location, in words. */
export function LocationFlags({ row }: { row: Pick<StockLocationRow, 'belowMinimum' | 'expired' | 'expiringSoon' | 'items'> }) {
  const chips: { kind: string; text: string }[] = [];
  if (row.expired > 0) chips.push({ kind: 'expired', text: `${row.expired} with expired stock` });
  if (row.belowMinimum > 0) chips.push({ kind: 'below', text: `${row.belowMinimum} below minimum` });
  if (row.expiringSoon > 0) chips.push({ kind: 'expiring', text: `${row.expiringSoon} expiring soon` });
  if (chips.length === 0) return row.items > 0 ? <span className="stock-flag ok">All OK</span> : <span className="muted">No items yet</span>;
  return (
    <span className="stock-flags">
      {chips.map((c) => (
        <span key={c.kind} className={`stock-flag ${c.kind}`}>
          {c.text}
        </span>
      ))}
    </span>
  );
}
