import type { PrintHeader } from './report';
import type { ExpiryRow, ReorderRow, StockList } from './stock-views';

/** The printable reorder and expiry lists (print views `stock-reorder` and `stock-expiry`). */

export interface StockReorderDocument {
  view: 'stock-reorder';
  header: PrintHeader;
  list: StockList<ReorderRow>;
}

export interface StockExpiryDocument {
  view: 'stock-expiry';
  header: PrintHeader;
  list: StockList<ExpiryRow>;
}
