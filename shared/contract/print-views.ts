import type { PrintView } from '../domain/report';
import type { ChannelName } from './index';

/**
 * The channel that gives each printable view its document: the print route calls it when opened
 * with parameters (the tests, a browser), and `print.document` calls it with the caller's session
 * before handing the document to the hidden print window. A view's access is its channel's.
 * A new printable document: its view name in PRINT_VIEWS, its channel here, its component in
 * renderer/src/features/print/views.tsx.
 */
export const PRINT_DOCUMENT_CHANNELS = {
  'due-list': 'reports.dueList',
  history: 'reports.history',
  compliance: 'reports.compliance',
  stickers: 'reports.stickers',
  'stock-reorder': 'stock.reorderDocument',
  'stock-expiry': 'stock.expiryDocument',
} as const satisfies Record<PrintView, ChannelName>;
