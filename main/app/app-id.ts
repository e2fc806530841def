import type { App } from 'electron';

/**
 * Windows groups a window, its pinned icon and its notifications by the AppUserModelID. The NSIS
 * installer gives the Start-menu shortcut electron-builder's `appId`; the running app must claim
 * the same one, or the daily notice is dropped or shown under another name and the window gets a
 * taskbar button of its own. (A test checks it equals electron-builder.yml's appId.)
 */
export const APP_USER_MODEL_ID = 'org.wardkeep.desktop';

/**
 * A development run has no shortcut with our id: Electron's docs advise the executable's path
 * there (pin electron.exe to Start to see notices).
 */
export function claimAppUserModelId(app: Pick<App, 'setAppUserModelId' | 'isPackaged'>, platform: NodeJS.Platform, execPath: string): string | null {
  if (platform !== 'win32') return null;
  const id = app.isPackaged ? APP_USER_MODEL_ID : execPath;
  app.setAppUserModelId(id);
  return id;
}
