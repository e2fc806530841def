import path from 'node:path';
import { BrowserWindow } from 'electron';
import { APP_ORIGIN, secureWebPreferences } from './security';

/** `devTools`: true only in the development runtime (security.ts, isDevelopmentRun). */
export function createMainWindow(options: {
  preload: string;
  devServerUrl?: string | undefined;
  icon?: string;
  devTools?: boolean;
}): BrowserWindow {
  const win = new BrowserWindow({
    width: 1366,
    height: 768,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Wardkeep',
    backgroundColor: '#f6f7f9',
    ...(options.icon ? { icon: options.icon } : {}),
    webPreferences: secureWebPreferences(options.preload, { devTools: options.devTools ?? false }),
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(options.devServerUrl ?? `${APP_ORIGIN}/index.html`);
  return win;
}

export function preloadPath(mainDir: string): string {
  return path.join(mainDir, '..', 'preload', 'index.cjs');
}
