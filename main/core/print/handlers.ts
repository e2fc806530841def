import type { printChannels } from '../../../shared/contract/print';
import { PRINT_DOCUMENT_CHANNELS } from '../../../shared/contract/print';
import type { PageSize } from '../../../shared/domain/report';
import type { PrintDocument } from '../../../shared/domain/report-documents';
import { LABEL_STOCKS } from '../../../shared/domain/report-stickers';
import type { HandlersFor } from '../dispatcher/handler';
import { AppError } from '../errors';
import { openPrintJob, printJobData } from './jobs';

function pageSizeOf(document: PrintDocument, paper: 'a4' | 'letter'): PageSize {
  if (document.view !== 'stickers') return { paper };
  const stock = LABEL_STOCKS[document.stock];
  return { widthMm: stock.page.width, heightMm: stock.page.height };
}

export const printHandlers: HandlersFor<keyof typeof printChannels> = {
  'print.document': async ({ view, params, paper, action }, ctx) => {
    const port = ctx.ports.print;
    if (!port) throw new AppError('internal', 'Printing and saving as PDF need the Wardkeep desktop app.');
    let document: PrintDocument;
    try {
      document = await ctx.callByName(PRINT_DOCUMENT_CHANNELS[view], params);
    } catch (err) {
      // The view's parameters are this call's `params`: name the field as the caller sent it.
      if (err instanceof AppError) throw new AppError(err.code, err.message, err.field ? { field: `params.${err.field}` } : {});
      throw err;
    }
    const job = openPrintJob(ctx.core, { paper, document });
    try {
      return await port.run({
        route: `/print/${view}?job=${job.token}&paper=${paper}`,
        pageSize: pageSizeOf(document, paper),
        action,
        fileName: `${document.header.fileName}.pdf`,
      });
    } finally {
      job.close();
    }
  },
  'print.job': ({ token }, { core }) => printJobData(core, token),
};
