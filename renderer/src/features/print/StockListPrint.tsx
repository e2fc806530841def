import type { Paper } from '../../../../shared/domain/report';
import type { StockExpiryDocument, StockReorderDocument } from '../../../../shared/domain/stock-print';
import { NOTHING_KEPT } from '../../../../shared/domain/stock-views';
import { plural } from '../../../../shared/labels';
import { formatDate } from '../../../../shared/date-format';
import { useDateColumnWidth } from './date-columns';
import type { PrintColumn } from './layout';
import { CheckBox, GroupRow, PrintFrame, PrintTable, runningTitle, SignOff } from './layout';

/** Rows cut into runs of one stock location each, in place order. */
function byStockLocation<R extends { stockLocationId: string; stockLocationName: string; locationPath: string }>(rows: readonly R[]): { title: string; rows: R[] }[] {
  const groups = new Map<string, { title: string; path: string; rows: R[] }>();
  for (const r of rows) {
    let g = groups.get(r.stockLocationId);
    if (!g) {
      g = { title: `${r.stockLocationName} · ${r.locationPath}`, path: `${r.locationPath}\u0000${r.stockLocationName}`, rows: [] };
      groups.set(r.stockLocationId, g);
    }
    g.rows.push(r);
  }
  return [...groups.values()].sort((a, b) => a.path.localeCompare(b.path));
}

const REORDER_COLUMNS: PrintColumn[] = [
  { key: 'code', label: 'Code', className: 'col-code' },
  { key: 'item', label: 'Item', className: 'col-item' },
  { key: 'usable', label: 'Usable', className: 'col-usable num' },
  { key: 'expired', label: 'Expired', className: 'col-expired num' },
  { key: 'min', label: 'Min', className: 'col-min num' },
  { key: 'par', label: 'Par', className: 'col-par num' },
  { key: 'order', label: 'Order', className: 'col-order num' },
  { key: 'supplier', label: 'Supplier', className: 'col-supplier' },
  { key: 'ordered', label: 'Ordered', className: 'col-check' },
];

/** The reorder list on paper: by stock location, each item's order to reach par, a box to tick when ordered. */
export function StockReorderPrint({ document, paper }: { document: StockReorderDocument; paper: Paper }) {
  const { header, list } = document;
  const groups = byStockLocation(list.rows);
  return (
    <PrintFrame paper={paper} header={header} className="stock-reorder-print">
      <p className="print-summary" data-testid="print-summary">
        {plural(list.rows.length, 'item')} to order{groups.length > 0 ? ` for ${plural(groups.length, 'stock location')}` : ''}.
      </p>
      {list.rows.length === 0 ? (
        <p className="print-empty">{list.itemsKept === 0 ? NOTHING_KEPT : 'Nothing is below its minimum.'}</p>
      ) : (
        <PrintTable columns={REORDER_COLUMNS} running={runningTitle(header, `as of ${formatDate(list.asOf, header.dateFormat)}`)} caption="Reorder list">
          {groups.map((g) => (
            <tbody key={g.title}>
              <GroupRow span={REORDER_COLUMNS.length}>{g.title}</GroupRow>
              {g.rows.map((r) => (
                <tr key={`${r.stockLocationId}/${r.itemId}`} className="print-row" data-testid="print-row">
                  <td className="col-code mono">{r.code}</td>
                  <td className="col-item">{r.name}</td>
                  <td className="col-usable num">{r.usable}</td>
                  <td className="col-expired num">{r.expired > 0 ? r.expired : ''}</td>
                  <td className="col-min num">{r.minimum}</td>
                  <td className="col-par num">{r.par}</td>
                  <td className="col-order num">
                    <strong>{r.orderQuantity}</strong> {r.unit}
                  </td>
                  <td className="col-supplier">{r.defaultSupplier ?? ''}</td>
                  <td className="col-check">
                    <CheckBox label="Ordered" />
                  </td>
                </tr>
              ))}
            </tbody>
          ))}
        </PrintTable>
      )}
      <SignOff lines={['Ordered by', 'Date']} />
    </PrintFrame>
  );
}

const EXPIRY_COLUMNS: PrintColumn[] = [
  { key: 'expires', label: 'Expires', className: 'col-date' },
  { key: 'status', label: 'Status', className: 'col-status' },
  { key: 'code', label: 'Code', className: 'col-code' },
  { key: 'item', label: 'Item', className: 'col-item' },
  { key: 'lot', label: 'Lot', className: 'col-lot' },
  { key: 'qty', label: 'Quantity', className: 'col-order num' },
  { key: 'removed', label: 'Removed', className: 'col-check' },
];

/** The expiry list on paper: by stock location, soonest first; EXPIRED in words for a black-and-white printer. */
export function StockExpiryPrint({ document, paper }: { document: StockExpiryDocument; paper: Paper }) {
  const { header, list } = document;
  const date = (d: string) => formatDate(d, header.dateFormat);
  const expired = list.rows.filter((r) => r.status === 'expired').length;
  // The Expires column fits its widest date (a locale's "2026. 12. 31.", bold on an expired lot's row).
  const dates = useDateColumnWidth<HTMLParagraphElement>(document);
  return (
    <PrintFrame paper={paper} header={header} className="stock-expiry-print" style={dates.style}>
      <p ref={dates.ref} className="print-summary" data-testid="print-summary">
        {plural(expired, 'lot')} expired, {plural(list.rows.length - expired, 'lot')} expiring within {list.expiringWithinDays} days.
      </p>
      {list.rows.length === 0 ? (
        <p className="print-empty">{list.itemsKept === 0 ? NOTHING_KEPT : `Nothing has expired or expires within ${list.expiringWithinDays} days.`}</p>
      ) : (
        <PrintTable columns={EXPIRY_COLUMNS} running={runningTitle(header, `as of ${date(list.asOf)}`)} caption="Expiry list">
          {byStockLocation(list.rows).map((g) => (
            <tbody key={g.title}>
              <GroupRow span={EXPIRY_COLUMNS.length}>{g.title}</GroupRow>
              {g.rows.map((r) => (
                <tr key={r.lotId} className={`print-row ${r.status}`} data-testid="print-row">
                  <td className="col-date">{date(r.expiresOn)}</td>
                  <td className="col-status">{r.status === 'expired' ? <strong>EXPIRED</strong> : r.days === 0 ? 'today' : `in ${r.days} d`}</td>
                  <td className="col-code mono">{r.code}</td>
                  <td className="col-item">{r.name}</td>
                  <td className="col-lot mono">{r.lot ?? '—'}</td>
                  <td className="col-order num">
                    {r.onHand} {r.unit}
                  </td>
                  <td className="col-check">
                    <CheckBox label="Removed" />
                  </td>
                </tr>
              ))}
            </tbody>
          ))}
        </PrintTable>
      )}
      <SignOff lines={['Checked by', 'Date']} />
    </PrintFrame>
  );
}
