import { z } from 'zod';
import type { PrintOutcome, PrintView } from '../domain/report';
import { PrintRequest } from '../domain/report';
import type { PrintJobData } from '../domain/report-documents';
import { channel } from './channel';
import type { reportChannels } from './reports';
import type { stockChannels } from './stock';

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
  'open-work-orders': 'reports.openWorkOrders',
  downtime: 'reports.downtimeDocument',
  failures: 'reports.failures',
} as const satisfies Record<PrintView, keyof typeof reportChannels | keyof typeof stockChannels>;

/** Printing and saving as PDF, from a hidden window of the desktop app. */
export const printChannels = {
  /**
   * Prints a document (Electron's print dialog) or saves it as PDF (a save dialog), from a hidden
   * window. Needs the desktop app: elsewhere it answers with an error saying so.
   */
  'print.document': channel<PrintOutcome>()({ input: PrintRequest, access: 'technician', writes: false }),
  /**
   * The hidden print window's one read: the document of a print job in progress, by the job's
   * random token. Public because that window signs no one in; a token lives only while its job runs.
   */
  'print.job': channel<PrintJobData>()({ input: z.object({ token: z.uuid() }).strict(), access: 'public', writes: false }),
};
