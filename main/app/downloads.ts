import type { BrowserWindow, DownloadItem, Event, WebContents } from 'electron';
import type { Core } from '../core/context';
import { AppError } from '../core/errors';
import { assertSafeOutput } from '../core/outputs';

export interface DownloadDialogs {
  /** The save dialog; returns the chosen path or undefined when cancelled. */
  choosePath(suggested: string): string | undefined;
  showError(message: string): void;
}

/**
 * The renderer's exports (CSV, iCalendar) are downloads of a file made in main. Chromium would ask
 * where to save and write anywhere, the live database included: here the place is asked first and
 * refused when it is one of Wardkeep's own files under any name (issue 13, item 6). Chromium then
 * writes to a temporary `.crdownload` and renames it into place.
 */
export function guardDownloads(core: Pick<Core, 'file' | 'dataDir'>, dialogs: DownloadDialogs) {
  return (_event: Event, item: Pick<DownloadItem, 'getFilename' | 'setSavePath' | 'cancel'>, _contents?: WebContents | BrowserWindow): void => {
    const chosen = dialogs.choosePath(item.getFilename());
    if (!chosen) {
      item.cancel();
      return;
    }
    try {
      assertSafeOutput(core, chosen);
    } catch (err) {
      item.cancel();
      dialogs.showError(err instanceof AppError ? err.message : String(err));
      return;
    }
    item.setSavePath(chosen);
  };
}
