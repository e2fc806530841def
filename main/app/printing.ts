import { writeFile } from 'node:fs/promises';
import type { BrowserWindow as BrowserWindowType, WebContents, WebContentsPrintOptions } from 'electron';
import { BrowserWindow, dialog } from 'electron';
import type { PageSize, PrintJob, PrintOutcome } from '../../shared/domain/report';
import { INITIAL_TITLE, PRINT_FAILED_TITLE_PREFIX } from '../../shared/domain/report';
import { AppError } from '../core/errors';
import type { PrintPort } from '../core/ports';
import { APP_ORIGIN, secureWebPreferences } from './security';

/**
 * The print port of the desktop app. A job's document is rendered by the renderer's own print
 * route in a hidden window, then printed with Electron's print dialog or saved with printToPDF
 * (the same Chromium engine the e2e tests drive with page.pdf).
 *
 * Why this is safe: the hidden window has the main window's web preferences (context isolation,
 * sandbox, no Node, the same narrow preload, never the developer tools), loads only our own app:// page under the
 * same CSP and session guards, and signs no one in. Its one privilege is the job token in its URL,
 * which fetches that one document (`print.job`) while the job runs; every other channel answers it
 * "sign in first". The document itself was built with the caller's session and access checks
 * before the window existed. The window is destroyed when the job ends, whatever happens.
 */

export interface PrintPortOptions {
  preload: string;
  devServerUrl?: string | undefined;
  /** The window the dialogs belong to (the main window), if open. */
  parent: () => BrowserWindowType | null;
  /** How long the document may take to lay out. */
  timeoutMs?: number;
  /** Writes the saved PDF: never over the database, a backup or the anchors, and by a rename (main/core/outputs.ts). */
  writeOutput?: (file: string, data: Uint8Array) => void;
}

const MICRONS_PER_MM = 1000;
const MM_PER_INCH = 25.4;

export function printUrl(route: string, devServerUrl?: string): string {
  return `${devServerUrl ?? `${APP_ORIGIN}/index.html`}#${route}`;
}

/** printToPDF's page size: a named paper, or inches. (The CSS @page size wins: preferCSSPageSize.) */
export function pdfPageSize(size: PageSize): 'A4' | 'Letter' | { width: number; height: number } {
  if ('paper' in size) return size.paper === 'a4' ? 'A4' : 'Letter';
  return { width: size.widthMm / MM_PER_INCH, height: size.heightMm / MM_PER_INCH };
}

/** print()'s page size: a named paper, or microns. */
export function printerPageSize(size: PageSize): 'A4' | 'Letter' | { width: number; height: number } {
  if ('paper' in size) return size.paper === 'a4' ? 'A4' : 'Letter';
  return { width: Math.round(size.widthMm * MICRONS_PER_MM), height: Math.round(size.heightMm * MICRONS_PER_MM) };
}

/**
 * Resolves when the print view has laid out its document: it then sets its document title (the
 * title of index.html until then), or the failure prefix and the reason.
 */
export function whenPrintReady(contents: WebContents, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const finish = (error: AppError | null) => {
      clearTimeout(timer);
      contents.removeListener('page-title-updated', onTitle);
      contents.removeListener('did-fail-load', onFailLoad);
      contents.removeListener('render-process-gone', onGone);
      if (error) reject(error);
      else resolve();
    };
    const onTitle = (_event: unknown, title: string) => {
      if (title === INITIAL_TITLE || title === '') return;
      if (title.startsWith(PRINT_FAILED_TITLE_PREFIX)) finish(new AppError('internal', title.slice(PRINT_FAILED_TITLE_PREFIX.length)));
      else finish(null);
    };
    const onFailLoad = (_event: unknown, _code: number, description: string) =>
      finish(new AppError('internal', `The document could not be opened for printing (${description}).`));
    const onGone = () => finish(new AppError('internal', 'The document stopped before it could be printed. Try again.'));
    const timer = setTimeout(
      () => finish(new AppError('internal', 'The document took too long to prepare for printing. Try again, or print a shorter list.')),
      timeoutMs,
    );
    contents.on('page-title-updated', onTitle);
    contents.on('did-fail-load', onFailLoad);
    contents.on('render-process-gone', onGone);
  });
}

/**
 * print()'s options. The margins are the document's own @page margins (print.css: 12/11/15/11 mm on
 * A4, 0.5/0.45/0.6/0.45 in on Letter with "Page N of M" in the bottom one, none on label stock), so
 * the margin type is 'default': the one with which Chromium lays the page out with the CSS @page
 * margins (its print-settings path ignores them for 'none', 'printableArea' and 'custom' and uses
 * its own, which would move or drop the page numbers). Electron's print() also sends 'default' when
 * `margins` is left out (electron_api_web_contents.cc), but its docs do not say so; passed here so it
 * does not rest on an undocumented default. Untested on a real printer: the unit tests check the
 * options passed, and the e2e tests lay the pages out through printToPDF, not print().
 */
function printOptions(size: PageSize): WebContentsPrintOptions {
  return { silent: false, printBackground: true, pageSize: printerPageSize(size), margins: { marginType: 'default' } };
}

function printWith(contents: WebContents, size: PageSize, parent: BrowserWindowType | null): Promise<PrintOutcome> {
  // The person is looking at the main window: it keeps the focus, so the dialog opens over it.
  if (parent && !parent.isDestroyed()) parent.focus();
  return new Promise<PrintOutcome>((resolve, reject) => {
    contents.print(printOptions(size), (success, failureReason) => {
      if (success) resolve({ status: 'printed' });
      else if (/cancel/i.test(failureReason)) resolve({ status: 'cancelled' });
      else reject(new AppError('internal', `The printer reported a problem: ${failureReason}.`));
    });
  });
}

async function saveAsPdf(
  contents: WebContents,
  job: PrintJob,
  parent: BrowserWindowType | null,
  write: (file: string, data: Uint8Array) => void | Promise<void> = (file, data) => writeFile(file, data),
): Promise<PrintOutcome> {
  // Zero margins here: the document's @page rules set its margins (and the page numbers in them).
  const data = await contents.printToPDF({
    pageSize: pdfPageSize(job.pageSize),
    printBackground: true,
    preferCSSPageSize: true,
    margins: { top: 0, bottom: 0, left: 0, right: 0 },
  });
  const options = { title: 'Save as PDF', defaultPath: job.fileName, filters: [{ name: 'PDF document', extensions: ['pdf'] }] };
  const choice = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
  if (choice.canceled || !choice.filePath) return { status: 'cancelled' };
  const filePath = choice.filePath.toLowerCase().endsWith('.pdf') ? choice.filePath : `${choice.filePath}.pdf`;
  try {
    await write(filePath, data);
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as { code?: unknown }).code;
    throw new AppError(
      'storage',
      `The PDF could not be saved to ${filePath}${typeof code === 'string' ? ` (${code})` : ''}. Choose another folder.`,
    );
  }
  return { status: 'saved', path: filePath };
}

export function createPrintPort(options: PrintPortOptions): PrintPort {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return {
    async run(job) {
      // The hidden window belongs to the main one, so the print dialog it opens comes up in front
      // of Wardkeep rather than behind it (Windows gives a dialog its owner's place in the z-order).
      const parent = options.parent();
      const win = new BrowserWindow({
        ...(parent && !parent.isDestroyed() ? { parent } : {}),
        show: false,
        width: 1000,
        height: 1400,
        skipTaskbar: true,
        title: 'Wardkeep print',
        webPreferences: secureWebPreferences(options.preload),
      });
      try {
        const ready = whenPrintReady(win.webContents, timeoutMs);
        void win.loadURL(printUrl(job.route, options.devServerUrl)).catch(() => undefined); // did-fail-load reports it
        await ready;
        return job.action === 'pdf'
          ? await saveAsPdf(win.webContents, job, options.parent(), options.writeOutput)
          : await printWith(win.webContents, job.pageSize, parent);
      } finally {
        if (!win.isDestroyed()) win.destroy();
      }
    },
  };
}
