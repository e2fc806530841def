import type { StockListScope } from '../../../../shared/contract/stock';
import { PrintControls } from '../../components/PrintControls';
import { rememberedPaper } from '../../lib/paper';
import { printRoute } from '../../lib/print-route';
import { Link } from '../../lib/router';

/**
 * Print and save as PDF (the printing engineer's controls: paper choice, hidden print window), and
 * the print view itself to look at first.
 */
export function StockPrintControls({ list, scope }: { list: 'reorder' | 'expiry'; scope: StockListScope }) {
  const view = list === 'reorder' ? 'stock-reorder' : 'stock-expiry';
  return (
    <>
      <PrintControls view={view} params={{ ...scope }} what={`the ${list} list`} />
      <Link to={printRoute(view, scope, rememberedPaper())} className="button">
        Print view
      </Link>
    </>
  );
}
