import type { MenuItemConstructorOptions } from 'electron';

/**
 * The application menu. Commands that the page handles (switch user, find a device) are sent
 * to it as 'menu.command' events; the accelerators also work when the menu bar is hidden.
 */
export function menuTemplate(send: (command: string) => void, options: { isDev: boolean; isMac: boolean; quit: () => void }): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Find device…', accelerator: 'CmdOrCtrl+F', click: () => send('find') },
      { label: 'Switch user', accelerator: 'CmdOrCtrl+Shift+L', click: () => send('switch-user') },
      { type: 'separator' },
      { label: 'Quit', accelerator: options.isMac ? 'Cmd+Q' : 'Alt+F4', click: options.quit },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      ...(options.isDev ? ([{ type: 'separator' }, { role: 'reload' }, { role: 'toggleDevTools' }] as MenuItemConstructorOptions[]) : []),
    ],
  };
  return [file, { role: 'editMenu', label: '&Edit' }, view, { label: '&Help', submenu: [{ label: 'About Wardkeep', click: () => send('about') }] }];
}
