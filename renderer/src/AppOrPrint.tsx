import { App } from './App';
import { usePath } from './lib/router';
import { PrintApp } from './features/print/PrintApp';
import { isPrintPath } from './lib/print-route';

/** The app, or, on a print route (#/print/…), the printable document alone. */
export function AppOrPrint() {
  const path = usePath();
  return isPrintPath(path) ? <PrintApp path={path} /> : <App />;
}
