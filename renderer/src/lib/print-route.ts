import type { Paper, PrintView } from '../../../shared/domain/report';
import { PAPERS, PRINT_VIEWS } from '../../../shared/domain/report';

/**
 * Print views are routes of the renderer: `#/print/<view>?…`. Opened with `job=<token>` (the
 * desktop app's hidden print window) they fetch the job's document; opened with `q=<JSON params>`
 * (a browser, the tests) they ask the view's document channel with the signed-in session.
 */
export const PRINT_PREFIX = '/print/';

export function isPrintPath(path: string): boolean {
  return path.startsWith(PRINT_PREFIX);
}

export function printRoute(view: PrintView, params: unknown, paper: Paper = 'a4'): string {
  return `${PRINT_PREFIX}${view}?${new URLSearchParams({ paper, q: JSON.stringify(params) }).toString()}`;
}

export type PrintSource = { token: string } | { params: unknown };

export interface PrintLocation {
  view: PrintView;
  paper: Paper;
  source: PrintSource;
}

/** The view, paper and source of a print path, or a sentence saying what is wrong with it. */
export function parsePrintPath(path: string): PrintLocation | { error: string } {
  const [pathname = '', query = ''] = path.split('?');
  const view = pathname.slice(PRINT_PREFIX.length);
  if (!(PRINT_VIEWS as readonly string[]).includes(view)) return { error: `There is no printable document called "${view}".` };
  const search = new URLSearchParams(query);
  const paperText = search.get('paper') ?? 'a4';
  const paper = (PAPERS as readonly string[]).includes(paperText) ? (paperText as Paper) : 'a4';
  const token = search.get('job');
  if (token) return { view: view as PrintView, paper, source: { token } };
  try {
    return { view: view as PrintView, paper, source: { params: JSON.parse(search.get('q') ?? '{}') as unknown } };
  } catch {
    return { error: "The document's settings in the address are not readable." };
  }
}
