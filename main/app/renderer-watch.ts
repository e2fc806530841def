import type { BrowserWindow, Dialog, RenderProcessGoneDetails } from 'electron';

/** More crashes than this within CRASH_WINDOW_MS and the window is not reloaded again without asking. */
export const MAX_QUICK_CRASHES = 3;
export const CRASH_WINDOW_MS = 60_000;

export interface RendererWatchOptions {
  dialog: Pick<Dialog, 'showMessageBox'>;
  /** Everyone signed out: the reloaded page must not open on someone's screens. */
  signOutAll: () => void;
  /** True once the app is quitting: a renderer ending then is expected. */
  isQuitting: () => boolean;
  quit: () => void;
  now?: () => number;
}

const SAFE =
  'Everything that was saved is safe. Anything typed but not yet saved must be entered again. Everyone has been signed out, so sign in again to carry on.';

/**
 * A crashed or killed page leaves a blank window, and a hung one a frozen window, until someone
 * restarts Wardkeep. Instead: sign everyone out (the back end keeps sessions per window, so a
 * reloaded page would otherwise open on the last person's screens), reload the page, and say
 * what happened. A page that keeps crashing is not reloaded in a loop: the person chooses.
 */
export function watchRenderer(win: BrowserWindow, options: RendererWatchOptions): void {
  const now = options.now ?? Date.now;
  const crashes: number[] = [];
  let killedOnPurpose = false;
  let asking: AbortController | null = null;

  const reload = () => {
    if (win.isDestroyed()) return;
    options.signOutAll();
    win.webContents.reload();
  };

  win.webContents.on('render-process-gone', (_event, details: RenderProcessGoneDetails) => {
    if (win.isDestroyed() || options.isQuitting() || details.reason === 'clean-exit') return;
    if (killedOnPurpose) {
      killedOnPurpose = false; // our own reload after a hang: already reloaded and explained
      return;
    }
    const at = now();
    crashes.push(at);
    while (crashes.length > 0 && at - crashes[0]! > CRASH_WINDOW_MS) crashes.shift();
    const why = `(${details.reason}, exit code ${details.exitCode})`;
    if (crashes.length > MAX_QUICK_CRASHES) {
      options.signOutAll();
      void options.dialog
        .showMessageBox(win, {
          type: 'error',
          title: 'Wardkeep',
          message: "Wardkeep's window keeps stopping.",
          detail: `It stopped ${crashes.length} times in the last minute ${why}. ${SAFE}\n\nIf it goes on, quit Wardkeep, restart the PC, and tell your IT support.`,
          buttons: ['Reload the window', 'Quit Wardkeep'],
          defaultId: 0,
          cancelId: 1,
          noLink: true,
        })
        .then(({ response }) => (response === 0 ? reload() : options.quit()));
      return;
    }
    reload();
    void options.dialog.showMessageBox(win, {
      type: 'warning',
      title: 'Wardkeep',
      message: "Wardkeep's window stopped unexpectedly and has been reopened.",
      detail: `${SAFE}\n\n${why}`,
      buttons: ['OK'],
      defaultId: 0,
      noLink: true,
    });
  });

  win.on('unresponsive', () => {
    if (asking || win.isDestroyed() || options.isQuitting()) return;
    asking = new AbortController();
    const signal = asking.signal;
    void options.dialog
      .showMessageBox(win, {
        type: 'warning',
        title: 'Wardkeep',
        message: "Wardkeep's window is not responding.",
        detail: `You can wait for it, or reload it. If you reload it: ${SAFE}`,
        buttons: ['Wait', 'Reload the window'],
        defaultId: 0,
        cancelId: 0,
        noLink: true,
        signal,
      })
      .then(({ response }) => {
        asking = null;
        if (response !== 1 || signal.aborted || win.isDestroyed()) return;
        killedOnPurpose = true;
        options.signOutAll();
        // Electron's documented way out of a hung page: end its process, then reload in a new one.
        win.webContents.forcefullyCrashRenderer();
        win.webContents.reload();
      });
  });
  // It recovered by itself: the question no longer applies (the box closes as if "Wait" was chosen).
  win.on('responsive', () => asking?.abort());
}
