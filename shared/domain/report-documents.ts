import type { Paper } from './report';
import type { ComplianceDocument } from './report-compliance';
import type { DueListDocument } from './report-due';
import type { DowntimeDocument, FailuresDocument, OpenWorkOrdersDocument } from './report-failures';
import type { HistoryDocument } from './report-history';
import type { StickersDocument } from './report-stickers';
import type { StockExpiryDocument, StockReorderDocument } from './stock-print';

/** Every printable document, told apart by `view` (one of PRINT_VIEWS). */
export type PrintDocument =
    | DueListDocument
  | HistoryDocument
  | ComplianceDocument
  | StickersDocument
  | StockReorderDocument
  | StockExpiryDocument
  | OpenWorkOrdersDocument
  | DowntimeDocument
  | FailuresDocument;

/** What the hidden print window fetches with its job token. */
export interface PrintJobData {
  paper: Paper;
  document: PrintDocument;
}
