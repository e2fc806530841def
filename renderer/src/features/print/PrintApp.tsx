import type { ReactNode } from 'react';
import { Component, useCallback, useEffect, useMemo, useState } from 'react';
import type { ChannelInput } from '../../../../shared/contract';
import { PRINT_DOCUMENT_CHANNELS } from '../../../../shared/contract/print';
import type { Paper } from '../../../../shared/domain/report';
import { PRINT_FAILED_TITLE_PREFIX } from '../../../../shared/domain/report';
import type { PrintDocument } from '../../../../shared/domain/report-documents';
import { Banner } from '../../components/Banner';
import { call } from '../../lib/api';
import { PrintReadyContext } from './layout';
import type { PrintLocation } from '../../lib/print-route';
import { parsePrintPath } from '../../lib/print-route';
import { PrintView } from './views';
import './print.css';

type State = { document: PrintDocument; paper: Paper } | { error: string } | null;

function failed(message: string): void {
  document.title = `${PRINT_FAILED_TITLE_PREFIX}${message}`;
  document.documentElement.dataset.printState = 'failed';
}

/** A document that cannot be drawn says so at once, so the print window does not wait for nothing. */
class PrintErrorBoundary extends Component<{ children: ReactNode }, { message: string | null }> {
  override state: { message: string | null } = { message: null };
  static getDerivedStateFromError(): { message: string } {
    return { message: 'The document could not be laid out for printing.' };
  }
  override componentDidCatch(): void {
    failed('The document could not be laid out for printing.');
  }
  override render() {
    return this.state.message ? (
      <div className="print-error">
        <Banner kind="error">{this.state.message}</Banner>
      </div>
    ) : (
      this.props.children
    );
  }
}

async function load(location: PrintLocation): Promise<Exclude<State, null>> {
  if ('token' in location.source) {
    const res = await call('print.job', { token: location.source.token });
    return res.ok ? { document: res.value.document, paper: res.value.paper } : { error: res.error.message };
  }
  const channel = PRINT_DOCUMENT_CHANNELS[location.view];
  const res = await call(channel, location.source.params as ChannelInput<typeof channel>);
  return res.ok ? { document: res.value, paper: location.paper } : { error: res.error.message };
}

/**
 * A print route: the printable document alone, no app chrome. Once it is laid out it sets the
 * document title (the hidden print window's signal to print) and `data-print-state` on <html>
 * (what the tests wait for); if it cannot be built, a title saying why.
 */
export function PrintApp({ path }: { path: string }) {
  const location = useMemo(() => parsePrintPath(path), [path]);
  const [state, setState] = useState<State>(null);

  useEffect(() => {
    const root = document.documentElement;
    root.classList.add('print-route');
    return () => {
      root.classList.remove('print-route');
      delete root.dataset.printState;
    };
  }, []);

  useEffect(() => {
    let live = true;
    document.documentElement.dataset.printState = 'loading';
    if ('error' in location) {
      setState({ error: location.error });
      return;
    }
    setState(null);
    void load(location).then((next) => {
      if (live) setState(next);
    });
    return () => {
      live = false;
    };
  }, [location]);

  useEffect(() => {
    if (state && 'error' in state) failed(state.error);
  }, [state]);

  const ready = useCallback((title: string) => {
    document.title = title;
    document.documentElement.dataset.printState = 'ready';
  }, []);

  return (
    <PrintReadyContext.Provider value={ready}>
      <nav className="print-toolbar" aria-label="Print view">
        <a href="#/">‹ Back to Wardkeep</a>
        <button type="button" onClick={() => window.print()} disabled={!state || 'error' in state}>
          Print…
        </button>
      </nav>
      {state === null ? (
        <p className="print-loading">Preparing the document…</p>
      ) : 'error' in state ? (
        <div className="print-error">
          <Banner kind="error">{state.error}</Banner>
        </div>
      ) : (
        <PrintErrorBoundary>
          <PrintView document={state.document} paper={state.paper} />
        </PrintErrorBoundary>
      )}
    </PrintReadyContext.Provider>
  );
}
