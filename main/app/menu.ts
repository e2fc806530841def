import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  /** To the equipment list, with the cursor in its search box. */
  find(): void;
  /** Lock the screen so someone else can sign in. */
  switchUser(): void;
  /** Wardkeep's version, database and data folder. */
  about(): void;
  /** Quit through app.quit(), so the clean-up on 'before-quit' runs. */
  quit(): void;
}

export interface MenuOptions {
  isDev: boolean;
  platform: NodeJS.Platform;
}

/**
 * The application menu. On macOS the first menu is the application's own (About, Services, Hide,
 * Quit, as macOS apps have); elsewhere Quit is in File and About in Help. The accelerators also
 * work when the menu bar is hidden.
 */
export function menuTemplate(actions: MenuActions, options: MenuOptions): MenuItemConstructorOptions[] {
  const isMac = options.platform === 'darwin';
  const isWin = options.platform === 'win32';
  const separator: MenuItemConstructorOptions = { type: 'separator' };
  const about: MenuItemConstructorOptions = { label: 'About Wardkeep', click: () => actions.about() };

  const appMenu: MenuItemConstructorOptions = {
    label: 'Wardkeep',
    submenu: [about, separator, { role: 'services' }, separator, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, separator, { role: 'quit' }],
  };
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Find device…', accelerator: 'CmdOrCtrl+F', click: () => actions.find() },
      { label: 'Switch user', accelerator: 'CmdOrCtrl+Shift+L', click: () => actions.switchUser() },
      separator,
      isMac ? { role: 'close' } : { label: isWin ? 'E&xit' : '&Quit', accelerator: isWin ? 'Alt+F4' : 'CmdOrCtrl+Q', click: () => actions.quit() },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
      ...(options.isDev ? ([separator, { role: 'reload' }, { role: 'toggleDevTools' }] as MenuItemConstructorOptions[]) : []),
    ],
  };
  const edit: MenuItemConstructorOptions = { role: 'editMenu', label: '&Edit' };
  if (isMac) return [appMenu, file, edit, view, { role: 'windowMenu' }];
  return [file, edit, view, { label: '&Help', submenu: [about] }];
}
