import { lazy, Suspense } from 'react';
import type { Paper } from '../../../../shared/domain/report';
import type { PrintDocument } from '../../../../shared/domain/report-documents';
import { CompliancePrint } from './CompliancePrint';
import { DueListPrint } from './DueListPrint';
import { HistoryPrint } from './HistoryPrint';
import { DowntimePrint, FailuresPrint, OpenWorkOrdersPrint } from './RepairsPrint';
import { StockExpiryPrint, StockReorderPrint } from './StockListPrint';

// The barcode library is large: loaded only when stickers are printed.
const StickersPrint = lazy(() => import('./StickersPrint'));

/** The component of each printable document. */
export function PrintView({ document, paper }: { document: PrintDocument; paper: Paper }) {
  switch (document.view) {
    case 'due-list':
      return <DueListPrint document={document} paper={paper} />;
    case 'history':
      return <HistoryPrint document={document} paper={paper} />;
    case 'compliance':
      return <CompliancePrint document={document} paper={paper} />;
    case 'stock-reorder':
      return <StockReorderPrint document={document} paper={paper} />;
    case 'stock-expiry':
      return <StockExpiryPrint document={document} paper={paper} />;
    case 'open-work-orders':
      return <OpenWorkOrdersPrint document={document} paper={paper} />;
    case 'downtime':
      return <DowntimePrint document={document} paper={paper} />;
    case 'failures':
      return <FailuresPrint document={document} paper={paper} />;
    case 'stickers':
      return (
        <Suspense fallback={<p className="print-loading">Preparing the barcodes…</p>}>
          <StickersPrint document={document} />
        </Suspense>
      );
  }
}
