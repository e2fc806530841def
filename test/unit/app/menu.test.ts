import { readFileSync } from 'node:fs';
import type { MenuItemConstructorOptions } from 'electron';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { APP_USER_MODEL_ID, claimAppUserModelId } from '../../../main/app/app-id';
import type { MenuActions } from '../../../main/app/menu';
import { menuTemplate } from '../../../main/app/menu';

function actions() {
  const done: string[] = [];
  const a: MenuActions = { find: () => done.push('find'), switchUser: () => done.push('switch-user'), about: () => done.push('about'), quit: () => done.push('quit') };
  return { a, done };
}
const items = (menu: MenuItemConstructorOptions) => (Array.isArray(menu.submenu) ? menu.submenu : []);
const byLabel = (template: MenuItemConstructorOptions[], label: string) => template.flatMap(items).find((i) => i.label === label)!;

describe('the application menu (main/app/menu.ts)', () => {
  it('Windows and Linux: File (Find device…, Switch user, Exit/Quit), Edit, View, Help (About); every item does something', () => {
    const { a, done } = actions();
    const win = menuTemplate(a, { isDev: false, platform: 'win32' });
    expect(win.map((m) => m.label ?? m.role)).toEqual(['&File', '&Edit', '&View', '&Help']);
    expect(items(win[0]!).map((i) => i.label ?? i.type)).toEqual(['Find device…', 'Switch user', 'separator', 'E&xit']);
    expect(byLabel(win, 'E&xit').accelerator).toBe('Alt+F4');
    for (const label of ['Find device…', 'Switch user', 'About Wardkeep', 'E&xit']) (byLabel(win, label).click as () => void)();
    expect(done).toEqual(['find', 'switch-user', 'about', 'quit']);
    const linux = menuTemplate(a, { isDev: false, platform: 'linux' });
    expect(byLabel(linux, '&Quit').accelerator).toBe('CmdOrCtrl+Q');
    expect(byLabel(linux, 'Find device…').accelerator).toBe('CmdOrCtrl+F');
  });

  it("macOS: the first menu is the app's own, with About, Services, Hide, Hide Others, Show All and Quit; a Window menu", () => {
    const { a, done } = actions();
    const mac = menuTemplate(a, { isDev: false, platform: 'darwin' });
    expect(mac[0]!.label).toBe('Wardkeep');
    expect(items(mac[0]!).map((i) => i.role ?? i.label ?? i.type)).toEqual(['About Wardkeep', 'separator', 'services', 'separator', 'hide', 'hideOthers', 'unhide', 'separator', 'quit']);
    expect(mac.at(-1)).toEqual({ role: 'windowMenu' });
    expect(items(mac[1]!).at(-1)).toEqual({ role: 'close' });
    (byLabel(mac, 'About Wardkeep').click as () => void)();
    expect(done).toEqual(['about']);
  });

  it('offers reload and developer tools only in development', () => {
    const { a } = actions();
    const roles = (isDev: boolean) => menuTemplate(a, { isDev, platform: 'linux' }).flatMap(items).map((i) => i.role);
    expect(roles(true)).toContain('toggleDevTools');
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(false)).not.toContain('reload');
  });
});

describe("Windows' AppUserModelID (main/app/app-id.ts)", () => {
  it("is electron-builder's appId, so the notice, the pinned icon and the window are one app", () => {
    const config = load(readFileSync('electron-builder.yml', 'utf8')) as { appId: string };
    expect(APP_USER_MODEL_ID).toBe(config.appId);
    const ids: string[] = [];
    expect(claimAppUserModelId({ isPackaged: true, setAppUserModelId: (id) => ids.push(id) }, 'win32', 'C:\\Program Files\\Wardkeep\\Wardkeep.exe')).toBe('org.wardkeep.desktop');
    // A development run has no shortcut with our id: Electron's docs advise the executable's path.
    expect(claimAppUserModelId({ isPackaged: false, setAppUserModelId: (id) => ids.push(id) }, 'win32', 'C:\\w\\electron.exe')).toBe('C:\\w\\electron.exe');
    expect(claimAppUserModelId({ isPackaged: true, setAppUserModelId: (id) => ids.push(id) }, 'darwin', '/x')).toBeNull();
    expect(ids).toEqual(['org.wardkeep.desktop', 'C:\\w\\electron.exe']);
  });
});
