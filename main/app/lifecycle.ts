import path from 'node:path';
import type { BrowserWindow as BrowserWindowType } from 'electron';
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, powerMonitor, protocol, safeStorage, session } from 'electron';
import { z } from 'zod';
import { setDateLocale } from '../../shared/date-format';
import { anchorKeyProtectors } from './anchor-key';
import { guardDownloads } from './downloads';
import type { Backend } from '../core/backend';
import { createBackend } from '../core/backend';
import { writeOutputFile } from '../core/outputs';
import { stopWorker } from '../core/worker/run';
import { backupWithProgress } from '../core/backup/progress';
import { newestCountedBackup } from '../core/backup/folder';
import { setBackupNativeBinding } from '../core/backup/sqlite';
import type { Core } from '../core/context';
import { DatabaseRefusedError } from '../core/errors';
import type { DataDirChoice } from '../core/paths';
import { runStartupChecks } from '../core/system/startup-checks';
import { warmToday } from '../core/due/today';
import { backgroundSync } from '../core/sync/background';
import type { BackgroundSync } from '../core/sync/background';
import type { SyncPort } from '../core/ports';
import { aboutBox, aboutFacts, describeSource } from './about';
import { claimAppUserModelId } from './app-id';
import { startBackupSchedule } from './backup-schedule';
import { appDataDir, dataDirFlag } from './data-dir';
import { noteLeftBehind } from './data-move';
import { auditMove, moveNotice, settleDataFolder } from './data-settle';
import { startDayWatch } from './day-watch';
import { EVENT_CHANNEL, registerIpc, SessionRegistry } from './ipc';
import { menuTemplate } from './menu';
import { findNativeBinding } from './native-binding';
import { startOverdueNotices } from './notifications';
import { createPrintPort } from './printing';
import { PRIVILEGED_SCHEME, registerAppProtocol } from './protocol';
import { openCoreOrRecover } from './recovery';
import { watchRenderer } from './renderer-watch';
import { createFolderPort } from './folder-dialog';
import { hardenSession, installAppGuards, isDevelopmentRun, refusedSwitch, refusedSwitchMessage } from './security';
import { bringForward, sendShellCommand, TODAY_PATH } from './shell-commands';
import { installShutdown } from './shutdown';
import { createMainWindow, preloadPath } from './window';
import { WorkTracker } from './work';

export interface StartOptions {
  /** The folder of the built main script (out/main). */
  mainDir: string;
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
}

type OpenedCore = Core & { close(): void };

/** At most one box a minute: an error repeated by a timer must not bury the ward PC's screen in boxes. */
const UNEXPECTED_BOX_EVERY_MS = 60_000;

/**
 * A throw that escapes a timer, an event listener or a dialog's callback in main. With no listener
 * Electron shows its own "A JavaScript error occurred in the main process" box with the stack (paths
 * inside app.asar, function names) to whoever is at the ward PC. Here it is logged for IT and said
 * in one sentence; the app goes on (every write is one transaction: nothing is half-written).
 */
let answering: ((err: unknown) => void) | null = null;
function answerUnexpectedErrors(isReady: () => boolean): void {
  // One listener whatever the number of starts (the tests start the shell many times in one process).
  if (answering) {
    process.off('uncaughtException', answering);
    process.off('unhandledRejection', answering);
  }
  let lastBoxAt = -Infinity;
  const answer = (err: unknown) => {
    console.error('[main]', err);
    const now = Date.now();
    if (now - lastBoxAt < UNEXPECTED_BOX_EVERY_MS || !isReady()) return;
    lastBoxAt = now;
    void dialog.showMessageBox({
      type: 'error',
      title: 'Wardkeep',
      message: 'Something went wrong in Wardkeep.',
      detail: 'Everything saved is safe, and the details are in the log. If this keeps happening, tell your IT support.',
    });
  };
  answering = answer;
  process.on('uncaughtException', answer);
  process.on('unhandledRejection', answer);
}

/**
 * What a launch sends the instance already open (app.requestSingleInstanceLock's additionalData):
 * the folder it would have opened, worked out in its own process, with its own arguments,
 * environment and working folder. The first instance cannot work it out from the argv it is
 * given: Electron reorders it (switches first) and inserts switches of its own, even between
 * `--data-dir` and its value.
 */
const launchData = z.object({ dataDir: z.string().min(1).max(32_767) });
type LaunchData = z.infer<typeof launchData>;

function launchDataFor(argv: readonly string[], env: NodeJS.ProcessEnv): LaunchData | Record<string, never> {
  try {
    return { dataDir: path.resolve(appDataDir(argv, env).dir) };
  } catch {
    // A folder this launch would refuse (`--data-dir ""`): nothing to compare, it is only brought forward.
    return {};
  }
}

/** The folder a second launch asked for, or null when it is not known. */
function askedFolder(additionalData: unknown, argv: readonly string[], workingDirectory: string): string | null {
  const sent = launchData.safeParse(additionalData);
  if (sent.success) return path.resolve(sent.data.dataDir);
  // Only for a launch that sent nothing (an older Wardkeep): its --data-dir, when Electron left it whole.
  const flag = dataDirFlag(argv);
  return flag?.trim() ? path.resolve(workingDirectory || '.', flag) : null;
}

/** Windows' paths are the same folder whatever their case. */
const sameFolder = (a: string, b: string) => (process.platform === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b);

/**
 * The Electron shell's whole life: one instance, one database, one window. Kept apart from
 * index.ts so tests can drive it with a mocked `electron` module.
 */
export function startApp(options: StartOptions): { started: boolean } {
  const development = isDevelopmentRun(app);
  // A shortcut that opens the window to remote debugging or to the developer tools (docs/security.md)
  // gets no window, no database, not even the single-instance lock: one sentence why, and the app quits.
  const refused = development ? null : refusedSwitch(app.commandLine);
  if (refused) {
    console.error(`[start] refused: started with --${refused}`);
    dialog.showErrorBox('Wardkeep cannot start', refusedSwitchMessage(refused));
    app.quit();
    return { started: false };
  }
  // Two double-clicks must not open the database twice: the second launch focuses the first, and
  // tells it which folder it would have opened.
  if (!app.requestSingleInstanceLock(launchDataFor(options.argv, options.env))) {
    app.quit();
    return { started: false };
  }
  let ready = false;
  answerUnexpectedErrors(() => ready);
  protocol.registerSchemesAsPrivileged([PRIVILEGED_SCHEME]);
  claimAppUserModelId(app, process.platform, process.execPath);
  const devServerUrl = development ? options.env.ELECTRON_RENDERER_URL : undefined;
  installAppGuards(app, devServerUrl);

  let mainWindow: BrowserWindowType | null = null;
  let backend: Backend | null = null;
  const sessions = new SessionRegistry();
  const work = new WorkTracker();
  const stops: (() => void)[] = [];
  const shutdown = installShutdown({
    app,
    powerMonitor,
    stopTimers: () => {
      for (const stop of stops.splice(0)) stop();
    },
    // The work in hand, then the worker thread's own connection (closed after its last job), so the
    // database is whole in one file when the main connection closes.
    drain: (timeoutMs) => work.idle(timeoutMs).then(() => (backend ? stopWorker(backend.core) : undefined)),
    closeDatabase: () => {
      const closing = backend;
      backend = null;
      if (closing?.core.db.open) closing.core.db.close();
    },
  });

  // The folder this instance has open (set once the database is), for a second launch naming another.
  let openFolders: string[] = [];
  // Folders asked for by launches made before the window showed: said once it does.
  let waitingLaunches: string[] = [];
  /** A second shortcut such as `Wardkeep --data-dir D:\training` must not be given another folder's records without a word. */
  const tellOtherFolder = (win: BrowserWindowType, asked: string | null) => {
    if (asked === null || openFolders.length === 0 || openFolders.some((open) => sameFolder(open, asked))) return;
    void dialog.showMessageBox(win, {
      type: 'warning',
      title: 'Wardkeep is already open',
      message: `Wardkeep is already open on ${openFolders[openFolders.length - 1]}.`,
      detail: `${asked} was not opened: this window still shows the records of the folder above. Quit Wardkeep first, then start it on the other folder.`,
    });
  };
  app.on('second-instance', (_event: unknown, argv: readonly string[] = [], workingDirectory = '', additionalData?: unknown) => {
    const asked = askedFolder(additionalData, argv, workingDirectory);
    if (shutdown.quitting) {
      // A backup under way holds the quit: the double-click is answered, not dropped.
      if (!ready) return;
      const box = {
        type: 'info' as const,
        title: 'Wardkeep',
        message: 'Wardkeep is closing after a backup; start it again in a moment.',
        detail: 'It lets the work under way (a backup, a restore or a save) finish before it closes the database, so nothing is half-written.',
      };
      void (mainWindow ? dialog.showMessageBox(mainWindow, box) : dialog.showMessageBox(box));
      return;
    }
    if (!mainWindow) {
      // Still starting (a migration, a move, a restore question): the second instance has already quit.
      if (asked !== null) waitingLaunches.push(asked);
      return;
    }
    bringForward(mainWindow);
    tellOtherFolder(mainWindow, asked);
  });
  // Closing the window quits, through 'before-quit', like every other way out.
  app.on('window-all-closed', () => app.quit());

  const openToday = () => {
    sendShellCommand(mainWindow, { command: 'open', path: TODAY_PATH });
  };
  // Windows: a click on a notice that is no longer in memory (or in the Action Center) opens Today too.
  if (process.platform === 'win32' && typeof Notification.handleActivation === 'function') Notification.handleActivation(openToday);

  void app.whenReady().then(async () => {
    ready = true;
    if (shutdown.quitting) return;
    // Date format "locale": main's messages and dialogs (a recovery's backup date included) write dates
    // in the window's locale, Chromium's app locale, not Node's (shared/date-format.ts).
    setDateLocale(app.getLocale());
    let choice: DataDirChoice | null = null;
    let settled: Awaited<ReturnType<typeof settleDataFolder>>;
    let core: OpenedCore | null;
    try {
      choice = appDataDir(options.argv, options.env);
      // [backups] backup before any migration, quick_check at start, restore offered if damaged
      const nativeBinding = findNativeBinding(app.getAppPath(), process.versions.electron ?? '', app.isPackaged);
      setBackupNativeBinding(nativeBinding);
      settled = await settleDataFolder(choice);
      choice = settled.choice;
      core = await openCoreOrRecover({ dataDir: choice.dir, nativeBinding, keyProtectors: anchorKeyProtectors(safeStorage) });
      if (!core) {
        app.quit();
        return;
      }
    } catch (err) {
      const where = choice ? ` in ${choice.dir}` : '';
      const message = err instanceof DatabaseRefusedError ? err.message : `Wardkeep could not open its database${where}: ${(err as Error).message}`;
      dialog.showErrorBox('Wardkeep cannot start', message);
      app.quit();
      return;
    }
    const dataChoice = choice;
    openFolders = [...new Set([path.resolve(appDataDir(options.argv, options.env).dir), path.resolve(dataChoice.dir)])];
    auditMove(core, settled.moved);
    if (settled.moved.kind === 'left-behind') noteLeftBehind(settled.moved);

    const opened = core;
    const print = createPrintPort({
      preload: preloadPath(options.mainDir),
      devServerUrl,
      parent: () => mainWindow,
      writeOutput: (file, data) => writeOutputFile(opened, file, data),
    });
    // [sync] The background sync is made once the backend is; joining starts it, leaving stops it.
    let sync: BackgroundSync | null = null;
    const syncPort: SyncPort = { start: () => sync?.start(), stop: async () => sync?.stop() };
    const live = createBackend(core, { logError: (err, channel) => console.error(`[${channel}]`, err), ports: { print, sync: syncPort, folders: createFolderPort(() => mainWindow) } });
    backend = live;
    registerAppProtocol(protocol, path.join(options.mainDir, '..', 'renderer'));
    hardenSession(session.defaultSession, devServerUrl);
    session.defaultSession.on(
      'will-download',
      guardDownloads(opened, {
        choosePath: (suggested) => {
          const parent = mainWindow;
          const options = { title: 'Save the export', defaultPath: suggested };
          return (parent ? dialog.showSaveDialogSync(parent, options) : dialog.showSaveDialogSync(options)) ?? undefined;
        },
        showError: (message) => dialog.showErrorBox('Wardkeep did not save the export', message),
      }),
    );
    registerIpc(ipcMain, live, sessions, devServerUrl, work);
    live.onEvent((event, payload) => {
      for (const win of BrowserWindow.getAllWindows()) win.webContents.send(EVENT_CHANNEL, event, payload);
    });
    // [backups] a restore signs every window out; automatic backups while the app is open
    live.onEvent((event) => {
      if (event === 'database.restored') sessions.signOutAll();
    });
    const schedule = startBackupSchedule({
      run: (reason) => work.track(backupWithProgress(live.core, live, reason)),
      // Only a backup that verifies holds the next one back: a newer file cut short on a failing stick does not.
      newestBackupMs: () => newestCountedBackup(live.core)?.at.getTime() ?? null,
      onError: (err) => console.error('[backup]', err),
    });
    stops.push(() => schedule.stop());

    const about = () => {
      if (!backend) return;
      const box = aboutBox(aboutFacts(backend.core, app.getVersion(), describeSource(dataChoice.source, dataChoice.configFile)));
      void (mainWindow ? dialog.showMessageBox(mainWindow, box) : dialog.showMessageBox(box));
    };
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        menuTemplate(
          {
            find: () => sendShellCommand(mainWindow, { command: 'find' }),
            switchUser: () => backend?.emit('menu.command', { command: 'switch-user' }),
            about,
            quit: () => app.quit(),
          },
          { isDev: development, platform: process.platform },
        ),
      ),
    );

    // Developer tools only in the development runtime: never on the installed app's window (docs/security.md).
    const win = createMainWindow({ preload: preloadPath(options.mainDir), devServerUrl, devTools: development });
    mainWindow = win;
    // While the window loads its page, Today's first question is answered once and thrown away, so
    // the first Today after signing in reads what is already at hand (due/today.ts).
    setImmediate(() => warmToday(live.core));
    win.on('closed', () => {
      if (mainWindow === win) mainWindow = null;
    });
    shutdown.watchSessionEnd(win);
    watchRenderer(win, { dialog, signOutAll: () => sessions.signOutAll(), isQuitting: () => shutdown.quitting, quit: () => app.quit() });
    const notice = moveNotice(settled.moved, settled.problem);
    if (notice) win.once('ready-to-show', () => void dialog.showMessageBox(win, notice));
    win.once('ready-to-show', () => {
      // The launches made while Wardkeep was starting: one word for the last one naming another folder.
      const asked = waitingLaunches.filter((folder) => !openFolders.some((open) => sameFolder(open, folder))).pop() ?? null;
      waitingLaunches = [];
      tellOtherFolder(win, asked);
    });

    // Statuses are for "today": re-read at midnight, on wake and on a clock change; badge, title and the daily notice.
    // The audit trail's hash chain, checked in the background; supervisors are warned if it fails.
    void work.track(runStartupChecks(live)).catch((err: unknown) => {
      if (live.core.db.open) console.error('[startup checks]', err);
    });
    stops.push(startDayWatch(live));
    stops.push(startOverdueNotices(live, { openToday }));
    // [sync] With a hub set, the sync runs in a worker thread of its own; rows that arrive make screens re-read.
    sync = backgroundSync(live.core, {
      onEvent: (e) => {
        if (e.type === 'applied') live.emit('data.changed', { channel: 'sync' });
        // The engine records every failure for the header (sync_state.last_error); one it did not expect is logged for IT too.
        if (e.type === 'error' && e.kind === 'internal') console.error('[sync]', e.message);
      },
    });
    sync.start();
    stops.push(() => void sync?.stop());
  }).catch((err: unknown) => {
    // Anything after the database is open and before the window shows (the window, the protocol, a
    // first write): never an invisible process that holds the single-instance lock and the database
    // while every later double-click only focuses a window that does not exist.
    console.error('[start]', err);
    if (mainWindow) return;
    dialog.showErrorBox(
      'Wardkeep cannot start',
      `Wardkeep could not finish starting: ${err instanceof Error ? err.message : String(err)}. What was saved before is safe. Start Wardkeep again; if this happens again, tell your IT support.`,
    );
    app.quit();
  });
  return { started: true };
}
