import type { App, BrowserWindow, PowerMonitor } from 'electron';

/** How long a quit waits for a running backup, restore or save before closing the database anyway. */
export const DRAIN_TIMEOUT_MS = 30_000;

export interface ShutdownOptions {
  app: Pick<App, 'on' | 'quit'>;
  powerMonitor: Pick<PowerMonitor, 'on'>;
  /** No new scheduled work (backups, day watch, notices). */
  stopTimers: () => void;
  /** Resolves when the work under way has finished (or after the timeout). */
  drain: (timeoutMs: number) => Promise<unknown>;
  /** Closes the database. Runs once, synchronously. */
  closeDatabase: () => void;
  drainTimeoutMs?: number;
}

export interface Shutdown {
  /** True from the first quit request on. */
  readonly quitting: boolean;
  /** Windows: the session is ending (shutdown, restart, sign-out); the process may be ended at any moment. */
  watchSessionEnd(win: BrowserWindow): void;
}

/**
 * Every way Wardkeep can end closes the database and stops its timers. Electron emits
 * 'window-all-closed' only when the last window is closed by hand; quitting from the menu (Ctrl+Q,
 * Alt+F4, Cmd+Q) goes through 'before-quit' and 'will-quit' without it, and a Windows shutdown or
 * sign-out skips even those (Electron's docs), with only the window's 'session-end' left.
 *
 * - A quit (any kind): stop the timers, let work under way finish (a backup, a restore, a save),
 *   up to DRAIN_TIMEOUT_MS, close the database, then quit for real.
 * - Windows session end, and macOS/Linux system shutdown (powerMonitor 'shutdown'): close at once,
 *   synchronously: the system will not wait. A backup cut off there leaves only a partial file,
 *   which the next rotation removes; the database itself is consistent at every commit.
 */
export function installShutdown(options: ShutdownOptions): Shutdown {
  let quitting = false;
  let draining = false;
  let closed = false;
  const closeNow = () => {
    quitting = true;
    if (closed) return;
    closed = true;
    options.stopTimers();
    options.closeDatabase();
  };

  options.app.on('before-quit', (event) => {
    quitting = true;
    if (closed) return;
    event.preventDefault();
    if (draining) return;
    draining = true;
    options.stopTimers();
    void options
      .drain(options.drainTimeoutMs ?? DRAIN_TIMEOUT_MS)
      .catch(() => undefined)
      .then(() => {
        closeNow();
        options.app.quit();
      });
  });
  // A quit that skipped 'before-quit' (none should, but this is the last moment to close cleanly).
  options.app.on('will-quit', closeNow);
  options.powerMonitor.on('shutdown', (event?: { preventDefault?: () => void }) => {
    // Electron delays the shutdown only while the handler asks it to; we are done at once.
    event?.preventDefault?.();
    closeNow();
    options.app.quit();
  });

  return {
    get quitting() {
      return quitting;
    },
    watchSessionEnd(win) {
      win.on('session-end', closeNow);
    },
  };
}
