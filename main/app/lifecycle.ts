import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session } from 'electron';
import { anchorKeyProtectors } from './anchor-key';
import { guardDownloads } from './downloads';
import type { Backend } from '../core/backend';
import { createBackend } from '../core/backend';
import { writeOutputFile } from '../core/outputs';
import { DatabaseRefusedError } from '../core/errors';
import { setBackupNativeBinding } from '../core/backup/sqlite';
import { backupWithProgress } from '../core/backup/progress';
import type { BackupSchedule } from './backup-schedule';
import { startBackupSchedule } from './backup-schedule';
import { appDataDir } from './data-dir';
import { startDayWatch } from './day-watch';
import { EVENT_CHANNEL, registerIpc, SessionRegistry } from './ipc';
import { menuTemplate } from './menu';
import { openCoreOrRecover } from './recovery';
import { runStartupChecks } from '../core/system/startup-checks';
import { findNativeBinding } from './native-binding';
import { startOverdueNotices } from './notifications';
import { createPrintPort } from './printing';
import { PRIVILEGED_SCHEME, registerAppProtocol } from './protocol';
import { hardenSession, installAppGuards } from './security';
import { createMainWindow, preloadPath } from './window';

export interface StartOptions {
  /** The folder of the built main script (out/main). */
  mainDir: string;
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
}

/**
 * The Electron shell's whole life: one instance, one database, one window. Kept apart from
 * index.ts so tests can drive it with a mocked `electron` module.
 */
export function startApp(options: StartOptions): { started: boolean } {
  // Two double-clicks must not open the database twice: the second launch focuses the first.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { started: false };
  }
  protocol.registerSchemesAsPrivileged([PRIVILEGED_SCHEME]);
  const devServerUrl = !app.isPackaged ? options.env.ELECTRON_RENDERER_URL : undefined;
  installAppGuards(app, devServerUrl);

  let mainWindow: BrowserWindow | null = null;
  let backend: Backend | null = null;
  const sessions = new SessionRegistry();
  let backupSchedule: BackupSchedule | null = null; // [backups]

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });

  app.on('window-all-closed', () => {
    backupSchedule?.stop(); // [backups]
    backend?.core.db.close();
    backend = null;
    app.quit();
  });

  void app.whenReady().then(async () => {
    const dataDir = appDataDir(options.argv, options.env, app.getPath('userData'));
    const appRoot = app.getAppPath();
    let core;
    try {
      // [backups] backup before any migration, quick_check at start, restore offered if damaged
      const nativeBinding = findNativeBinding(appRoot, process.versions.electron ?? '', app.isPackaged);
      setBackupNativeBinding(nativeBinding);
      core = await openCoreOrRecover({ dataDir, nativeBinding, keyProtectors: anchorKeyProtectors(safeStorage) });
      if (!core) {
        app.quit();
        return;
      }
    } catch (err) {
      const message = err instanceof DatabaseRefusedError ? err.message : `Wardkeep could not open its database in ${dataDir}: ${(err as Error).message}`;
      dialog.showErrorBox('Wardkeep cannot start', message);
      app.quit();
      return;
    }
    const opened = core;
    const print = createPrintPort({
      preload: preloadPath(options.mainDir),
      devServerUrl,
      parent: () => mainWindow,
      writeOutput: (file, data) => writeOutputFile(opened, file, data),
    });
    backend = createBackend(core, { logError: (err, channel) => console.error(`[${channel}]`, err), ports: { print } });
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
    registerIpc(ipcMain, backend, sessions, devServerUrl);
    backend.onEvent((event, payload) => {
      for (const win of BrowserWindow.getAllWindows()) win.webContents.send(EVENT_CHANNEL, event, payload);
    });
    // [backups] automatic backups while the app is open (a restore signs every window out: the dispatcher does it)
    const scheduledBackend = backend;
    backupSchedule = startBackupSchedule({
      run: (reason) => backupWithProgress(scheduledBackend.core, scheduledBackend, reason),
      onError: (err) => console.error('[backup]', err),
    });
    const send = (command: string) => backend?.emit('menu.command', { command });
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(menuTemplate(send, { isDev: !app.isPackaged, isMac: process.platform === 'darwin', quit: () => app.quit() })),
    );
    mainWindow = createMainWindow({ preload: preloadPath(options.mainDir), devServerUrl });
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
    // Statuses are for "today": re-read at midnight, on wake and on a clock change; badge, title and the daily notice.
    // The audit trail's hash chain, checked in the background; supervisors are warned if it fails.
    void runStartupChecks(backend);
    startDayWatch(backend);
    startOverdueNotices(backend);
  });
  return { started: true };
}
