import { lazy, Suspense } from 'react';
import { App } from './App';
import { usePath } from './lib/router';
import { isPrintPath } from './lib/print-route';

// The print route is its own chunk: the app never loads it, the print window loads only it.
const PrintApp = lazy(() => import('./features/print/PrintApp').then((m) => ({ default: m.PrintApp })));

/** The app, or, on a print route (#/print/…), the printable document alone. */
export function AppOrPrint() {
  const path = usePath();
  return isPrintPath(path) ? (
    <Suspense fallback={<p className="print-loading">Preparing the document…</p>}>
      <PrintApp path={path} />
    </Suspense>
  ) : (
    <App />
  );
}
