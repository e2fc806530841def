import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { MenuItemConstructorOptions } from 'electron';
import { load } from 'js-yaml';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES } from '../../../shared/contract';
import { DB_FILE } from '../../../main/core/db/open';
import { openCore } from '../../../main/core/open-core';
import { warmToday } from '../../../main/core/due/today';
import { statementsRun } from '../../helpers/statements-run';
import { device, plan } from '../../integration/plans/fixtures';

/**
 * A stand-in for the `electron` module that behaves as Electron documents it: app.quit() emits
 * 'before-quit' (which may be prevented) and then 'will-quit'; windows and their web contents
 * emit events the test fires; dialogs answer what the test says.
 */
const fake = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => void;
  class Emitter {
    listeners = new Map<string, Listener[]>();
    on(event: string, listener: Listener) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
      return this;
    }
    once(event: string, listener: Listener) {
      const wrapped: Listener = (...args) => {
        this.removeListener(event, wrapped);
        listener(...args);
      };
      return this.on(event, wrapped);
    }
    removeListener(event: string, listener: Listener) {
      this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== listener));
      return this;
    }
    emit(event: string, ...args: unknown[]) {
      for (const l of [...(this.listeners.get(event) ?? [])]) l(...args);
    }
    count(event: string) {
      return this.listeners.get(event)?.length ?? 0;
    }
  }
  const state = {
    gotLock: true,
    /** What each start passed to requestSingleInstanceLock. */
    lockData: [] as unknown[],
    ipcHandlers: new Map<string, Listener>(),
    windows: [] as unknown[],
    quitRequests: 0,
    quitted: false,
    errorBoxes: [] as [string, string][],
    messageBoxes: [] as { parent: unknown; options: Record<string, unknown> }[],
    messageResponse: 0,
    privileged: [] as unknown[],
    menu: null as MenuItemConstructorOptions[] | null,
    readyResolve: null as null | (() => void),
    appUserModelIds: [] as string[],
    /** Notification.isSupported()'s answer; off unless a test turns it on. */
    notificationsSupported: false,
    notices: [] as Notification[],
    activationHandlers: [] as ((details: unknown) => void)[],
    /** Set, the window cannot be made (a GPU process that will not start): a failure after the database is open. */
    failWindow: '' as string,
    /** The switches Chromium parsed from the process's command line (app.commandLine.hasSwitch). */
    switches: [] as string[],
    /** app.getLocale(): Chromium's app locale, the one the window's navigator.language reports. */
    appLocale: 'en-US',
  };
  /** As Electron's: 'click' listeners on the object, and the app-wide activation handler (Windows). */
  class Notification extends Emitter {
    shown = false;
    constructor(readonly options: { title: string; body: string }) {
      super();
      state.notices.push(this);
    }
    static isSupported() {
      return state.notificationsSupported;
    }
    static handleActivation(callback: (details: unknown) => void) {
      state.activationHandlers.push(callback);
    }
    show() {
      this.shown = true;
    }
  }
  class FakeWebContents extends Emitter {
    id = 1;
    sent: unknown[][] = [];
    reloads = 0;
    crashes = 0;
    send(...args: unknown[]) {
      this.sent.push(args);
    }
    reload() {
      this.reloads++;
    }
    forcefullyCrashRenderer() {
      this.crashes++;
    }
  }
  class BrowserWindow extends Emitter {
    options: Record<string, unknown>;
    webContents = new FakeWebContents();
    loaded: string | null = null;
    minimized = true;
    restored = 0;
    focused = 0;
    constructor(options: Record<string, unknown>) {
      super();
      if (state.failWindow) throw new Error(state.failWindow);
      this.options = options;
      state.windows.push(this);
    }
    loadURL(url: string) {
      this.loaded = url;
      return Promise.resolve();
    }
    isMinimized() {
      return this.minimized;
    }
    isDestroyed() {
      return false;
    }
    restore() {
      this.restored++;
      this.minimized = false;
    }
    show() {}
    focus() {
      this.focused++;
    }
    setTitle() {}
    static getAllWindows() {
      return state.windows;
    }
  }
  const app = Object.assign(new Emitter(), {
    isPackaged: true,
    /** As Electron: a launch that does not get the lock sends its additionalData to the instance that has it. */
    requestSingleInstanceLock: (additionalData?: unknown) => {
      state.lockData.push(additionalData);
      return state.gotLock;
    },
    /** As Electron: 'before-quit' first (preventable), then 'will-quit', then the process ends. */
    quit() {
      state.quitRequests++;
      let prevented = false;
      app.emit('before-quit', { preventDefault: () => (prevented = true) });
      if (prevented) return;
      app.emit('will-quit', { preventDefault: () => undefined });
      state.quitted = true;
    },
    whenReady: () => new Promise<void>((resolve) => (state.readyResolve = resolve)),
    commandLine: { hasSwitch: (name: string) => state.switches.includes(name) },
    getPath: () => '/nonexistent-user-data',
    getAppPath: () => '/nonexistent-app-root',
    getLocale: () => state.appLocale,
    getVersion: () => '0.1.0',
    setBadgeCount: () => true,
    setAppUserModelId: (id: string) => state.appUserModelIds.push(id),
  });
  const session = {
    defaultSession: {
      setPermissionRequestHandler() {},
      setPermissionCheckHandler() {},
      webRequest: { onBeforeRequest() {}, onHeadersReceived() {} },
      on() {}, // 'will-download': exports are saved where the person chose, never over the database (main/app/downloads.ts)
    },
  };
  const dialog = {
    showErrorBox: (title: string, message: string) => state.errorBoxes.push([title, message]),
    showMessageBox: (parent: unknown, options?: Record<string, unknown>) => {
      state.messageBoxes.push(options ? { parent, options } : { parent: null, options: parent as Record<string, unknown> });
      return Promise.resolve({ response: state.messageResponse, checkboxChecked: false });
    },
  };
  const powerMonitor = new Emitter();
  return { state, BrowserWindow, app, session, dialog, powerMonitor, Emitter, Notification };
});

vi.mock('electron', () => ({
  app: fake.app,
  BrowserWindow: fake.BrowserWindow,
  session: fake.session,
  dialog: fake.dialog,
  ipcMain: { handle: (name: string, h: (...a: unknown[]) => void) => fake.state.ipcHandlers.set(name, h) },
  Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: MenuItemConstructorOptions[]) => (fake.state.menu = m) },
  protocol: { registerSchemesAsPrivileged: (s: unknown) => fake.state.privileged.push(s), handle: () => undefined },
  powerMonitor: fake.powerMonitor,
  Notification: fake.Notification,
  safeStorage: { isEncryptionAvailable: () => false }, // the audit anchors' key (main/app/anchor-key.ts): a file key here
}));

const { startApp } = await import('../../../main/app/lifecycle');
const { formatDate, formatDateTime, setDateLocale } = await import('../../../shared/date-format');

type Win = InstanceType<typeof fake.BrowserWindow>;
let dir = '';
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'wardkeep-shell-'));
  Object.assign(fake.state, {
    gotLock: true,
    lockData: [],
    windows: [],
    quitRequests: 0,
    quitted: false,
    errorBoxes: [],
    messageBoxes: [],
    messageResponse: 0,
    privileged: [],
    menu: null,
    readyResolve: null,
    appUserModelIds: [],
    notificationsSupported: false,
    notices: [],
    activationHandlers: [],
    failWindow: '',
    switches: [],
    appLocale: 'en-US',
  });
  fake.app.listeners.clear();
  fake.powerMonitor.listeners.clear();
  fake.state.ipcHandlers.clear();
});
afterEach(async () => {
  // A quit drains the work and stops the worker thread before it closes: wait for it, or it lands in the next test.
  if (!fake.state.quitted && fake.app.count('before-quit') > 0) {
    fake.app.quit();
    await vi.waitFor(() => expect(fake.state.quitted).toBe(true), { timeout: 10_000 });
  }
  rmSync(dir, { recursive: true, force: true });
});

async function ready(): Promise<Win | null> {
  fake.state.readyResolve!();
  await vi.waitFor(() => expect(fake.state.windows.length + fake.state.errorBoxes.length).toBeGreaterThan(0));
  return (fake.state.windows[0] as Win | undefined) ?? null;
}

/** Starts the app on a fresh data folder and waits for its window. */
async function started(): Promise<{ win: Win; dataDir: string }> {
  const dataDir = path.join(dir, 'data');
  startApp({ mainDir: '/x/out/main', argv: ['electron', '.', '--data-dir', dataDir], env: {} });
  const win = await ready();
  return { win: win!, dataDir };
}

const ourPage = (id = 1) => ({ senderFrame: { url: 'app://wardkeep/index.html', parent: null }, sender: { id, once() {} } });
const call = (channel: string, input: unknown = {}, id = 1) => fake.state.ipcHandlers.get(channel)!(ourPage(id), input) as unknown as Promise<{ ok: boolean; value?: unknown; error?: unknown }>;
/** The database's -wal file exists exactly while a connection has it open (SQLite removes it on the last close). */
const walOpen = (dataDir: string) => existsSync(path.join(dataDir, `${DB_FILE}-wal`));
const menuItem = (label: string) =>
  fake.state.menu!.flatMap((m) => (Array.isArray(m.submenu) ? m.submenu : [])).find((i) => i.label === label) as MenuItemConstructorOptions & { click: () => void };

describe('the Electron shell', () => {
  it('quits at once when another instance holds the lock, opening nothing', () => {
    fake.state.gotLock = false;
    expect(startApp({ mainDir: '/x/out/main', argv: [], env: {} })).toEqual({ started: false });
    expect(fake.state.quitRequests).toBe(1);
    expect(fake.state.readyResolve).toBeNull();
    expect(fake.state.windows).toEqual([]);
  });

  it('focuses the first window when a second launch happens', async () => {
    const { win } = await started();
    fake.app.emit('second-instance');
    expect(win.restored).toBe(1);
    expect(win.focused).toBe(1);
    expect(fake.state.windows).toHaveLength(1);
  });

  it('opens the database in the data folder, one IPC handler per contract channel, and a sandboxed window on app://', async () => {
    const dataDir = path.join(dir, 'data');
    startApp({ mainDir: '/x/out/main', argv: ['electron', '.', '--data-dir', dataDir], env: {} });
    expect(fake.state.privileged).toEqual([[{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]]);
    const win = (await ready())!;
    const db = new BetterSqlite3(path.join(dataDir, DB_FILE), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThan(0);
    db.close();
    expect([...fake.state.ipcHandlers.keys()].sort()).toEqual([...CHANNEL_NAMES].sort());
    expect(win.loaded).toBe('app://wardkeep/index.html');
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, preload: '/x/out/preload/index.cjs' });
    expect(fake.state.menu).not.toBeNull();
  });

  it('writes dates in main\'s messages, with the date format "locale", in the window\'s locale (app.getLocale()), not Node\'s', async () => {
    // The PC's Node process formats en-US here; Chromium's app locale (the window's) is German.
    setDateLocale(undefined);
    expect(formatDate('2026-01-31', 'locale')).toBe(new Intl.DateTimeFormat(undefined, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(2026, 0, 31, 12)));
    fake.state.appLocale = 'de-DE';
    await started();
    // What a refusal from main says ("… overdue (due 31.01.2026)") is what the German window shows beside it.
    expect(formatDate('2026-01-31', 'locale')).toBe('31.01.2026');
    expect(formatDateTime('2026-01-31T09:05:00', 'locale')).toBe('31.01.2026 09:05');
    // The setting's fixed patterns do not depend on it.
    expect(formatDate('2026-01-31', 'MM/dd/yyyy')).toBe('01/31/2026');
    setDateLocale(undefined);
  });

  it('refuses calls from a page that is not ours', async () => {
    await started();
    const handler = fake.state.ipcHandlers.get('app.info')!;
    const foreign = await handler({ senderFrame: { url: 'https://example.com/', parent: null }, sender: { id: 9, once() {} } }, {});
    expect(foreign).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const framed = await handler({ senderFrame: { url: 'app://wardkeep/index.html', parent: {} }, sender: { id: 9, once() {} } }, {});
    expect(framed).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call('app.info', {}, 9)).toMatchObject({ ok: true });
  });

  it('says why in a dialog and quits when the database is from a newer version', async () => {
    const dataDir = path.join(dir, 'newer');
    const { openDatabase } = await import('../../../main/core/db/open');
    openDatabase({ dataDir }).db.close();
    const raw = new BetterSqlite3(path.join(dataDir, DB_FILE));
    raw.pragma('user_version = 999');
    raw.close();
    startApp({ mainDir: '/x/out/main', argv: [], env: { WARDKEEP_DATA_DIR: dataDir } });
    await ready();
    expect(fake.state.errorBoxes).toHaveLength(1);
    expect(fake.state.errorBoxes[0]![1]).toMatch(/newer version of Wardkeep \(schema version 999\)/);
    expect(fake.state.quitted).toBe(true);
    expect(fake.state.windows).toEqual([]);
  });
});

describe('Chromium switches that open the window to another program or to the developer tools (docs/security.md)', () => {
  /** Chromium takes `--name=value` (or `--name`) as the switch `name`, which app.commandLine answers for. */
  const launchWith = (arg: string, dataDir: string, env: NodeJS.ProcessEnv = {}) => {
    fake.state.switches = [arg.replace(/^--/, '').split('=')[0]!];
    return startApp({ mainDir: '/x/out/main', argv: ['C:\\Program Files\\Wardkeep\\Wardkeep.exe', arg, '--data-dir', dataDir], env });
  };

  const takeOver = 'which would let another program take over its window and sign records as whoever is signed in';
  const refused: [string, string][] = [
    ['--remote-debugging-port=9222', takeOver],
    ['--remote-debugging-pipe', takeOver],
    [
      '--auto-open-devtools-for-tabs',
      'which would open the developer tools on its window, with which anyone at this PC could act as whoever is signed in',
    ],
  ];
  for (const [arg, why] of refused) {
    it(`${arg} (a shortcut's target at the shared PC): no window, no database, not even the lock, and one sentence why`, async () => {
      const dataDir = path.join(dir, 'data');
      expect(launchWith(arg, dataDir)).toEqual({ started: false });
      // Nothing waits for "ready": no database is opened, no window made, ever.
      expect(fake.state.readyResolve).toBeNull();
      expect(fake.state.lockData).toEqual([]);
      expect(fake.state.windows).toEqual([]);
      expect(fake.state.ipcHandlers.size).toBe(0);
      expect(existsSync(path.join(dataDir, DB_FILE))).toBe(false);
      expect(fake.state.quitRequests).toBe(1);
      const name = arg.split('=')[0]!;
      expect(fake.state.errorBoxes).toEqual([
        [
          'Wardkeep cannot start',
          `Wardkeep was started with ${name}, ${why}, so it did not start: start it from its own shortcut, without that switch, and tell your IT support if the shortcut has it.`,
        ],
      ]);
    });
  }

  // Node's --inspect family is ignored by the installed app's own executable (Electron's fuse
  // enableNodeCliInspectArguments, test/unit/packaging); the others open the window to no one.
  const fused = ['--inspect=9229', '--inspect-brk'];
  const openingNothing = ['--remote-allow-origins=*', '--js-flags=--expose-gc', '--enable-logging', '--v=1', '--proxy-server=p:8080'];
  for (const arg of [...fused, ...openingNothing]) {
    it(`${arg} opens the window to no one: Wardkeep starts as usual`, async () => {
      launchWith(arg, path.join(dir, 'data'));
      const win = (await ready())!;
      expect(fake.state.errorBoxes).toEqual([]);
      expect(win.loaded).toBe('app://wardkeep/index.html');
    });
  }

  it("the installed app's window never takes the developer tools, whatever would open them (webPreferences.devTools)", async () => {
    launchWith('--lang=en-GB', path.join(dir, 'data'));
    const win = (await ready())!;
    expect(win.options.webPreferences).toMatchObject({ devTools: false });
    expect(JSON.stringify(fake.state.menu)).not.toContain('toggleDevTools');
  });

  it('the installed Wardkeep renamed electron.exe (isPackaged false) is still the installed app: refused, and no dev server page nor developer tools', async () => {
    fake.app.isPackaged = false;
    try {
      expect(launchWith('--remote-debugging-port=9222', path.join(dir, 'refused'))).toEqual({ started: false });
      expect(fake.state.windows).toEqual([]);
      fake.state.switches = [];
      fake.state.errorBoxes = [];
      const dataDir = path.join(dir, 'data');
      startApp({ mainDir: '/x/out/main', argv: ['C:\\Users\\mallory\\w\\electron.exe', '--data-dir', dataDir], env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' } });
      const win = (await ready())!;
      expect(win.loaded).toBe('app://wardkeep/index.html');
      expect(JSON.stringify(fake.state.menu)).not.toContain('toggleDevTools');
      expect(win.options.webPreferences).toMatchObject({ devTools: false });
    } finally {
      fake.app.isPackaged = true;
    }
  });

  it("the development runtime on a source folder (electron ., Playwright's test of the real app) still lets a debugger attach", async () => {
    const proc = process as { defaultApp?: boolean };
    fake.app.isPackaged = false;
    proc.defaultApp = true;
    try {
      launchWith('--remote-debugging-port=0', path.join(dir, 'data'));
      const win = (await ready())!;
      expect(fake.state.errorBoxes).toEqual([]);
      expect(win.loaded).toBe('app://wardkeep/index.html');
      expect(JSON.stringify(fake.state.menu)).toContain('toggleDevTools');
      expect(win.options.webPreferences).toMatchObject({ devTools: true });
    } finally {
      fake.app.isPackaged = true;
      delete proc.defaultApp;
    }
  });
});

describe('quitting and the end of a session close the database and stop the timers', () => {
  it('the menu\'s Quit (Ctrl+Q, Cmd+Q, Alt+F4) closes the database though no window-all-closed is emitted', async () => {
    const { dataDir } = await started();
    expect(walOpen(dataDir)).toBe(true);
    expect(fake.powerMonitor.count('resume')).toBe(2); // the day watch and the backup schedule
    menuItem('&Quit').click();
    await vi.waitFor(() => expect(fake.state.quitted).toBe(true), { timeout: 10_000 });
    expect(walOpen(dataDir)).toBe(false);
    expect(fake.powerMonitor.count('resume')).toBe(0);
    expect(fake.state.quitRequests).toBe(2); // the first waited for the work under way, the second quit
  });

  it('a quit while a backup runs waits for it: the backup is written whole and checked, then the database closes', async () => {
    const { dataDir } = await started();
    const signedIn = await call('auth.setupFirstAdmin', { name: 'Ada Admin', password: 'correct horse battery' });
    expect(signedIn).toMatchObject({ ok: true });
    const backup = call('backups.run');
    fake.app.quit();
    expect(fake.state.quitted).toBe(false); // still waiting for the backup
    expect(await backup).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(fake.state.quitted).toBe(true), { timeout: 10_000 });
    const files = readdirSync(path.join(dataDir, 'backups'));
    expect(files).toEqual([expect.stringMatching(/^wardkeep-\d{8}-\d{9}Z-manual\.sqlite3$/)]);
    expect(walOpen(dataDir)).toBe(false);
  });

  it('closing the window quits the same way', async () => {
    const { dataDir } = await started();
    fake.app.emit('window-all-closed');
    await vi.waitFor(() => expect(fake.state.quitted).toBe(true), { timeout: 10_000 });
    expect(walOpen(dataDir)).toBe(false);
  });

  it("Windows shutdown or sign-out (the window's session-end, with no before-quit): closes at once", async () => {
    const { win, dataDir } = await started();
    win.emit('session-end', { reasons: ['shutdown'] });
    expect(walOpen(dataDir)).toBe(false);
    expect(fake.powerMonitor.count('resume')).toBe(0);
  });

  it('macOS and Linux shutdown (powerMonitor shutdown): closes at once and quits', async () => {
    const { dataDir } = await started();
    let prevented = false;
    fake.powerMonitor.emit('shutdown', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    expect(walOpen(dataDir)).toBe(false);
    expect(fake.state.quitted).toBe(true);
  });
});

describe('a crashed or hung page', () => {
  it('is reloaded with everyone signed out, and the person is told what happened', async () => {
    const { win } = await started();
    await call('auth.setupFirstAdmin', { name: 'Ada Admin', password: 'correct horse battery' });
    expect(await call('auth.status')).toMatchObject({ ok: true, value: { user: { name: 'Ada Admin' } } });
    win.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    expect(win.webContents.reloads).toBe(1);
    expect(await call('auth.status')).toMatchObject({ ok: true, value: { user: null } });
    expect(fake.state.messageBoxes.at(-1)).toMatchObject({
      parent: win,
      options: { message: "Wardkeep's window stopped unexpectedly and has been reopened.", detail: expect.stringMatching(/Everything that was saved is safe.*\(crashed, exit code 139\)$/s) },
    });
  });
});

describe('the menu', () => {
  it('"Find device…" brings the window forward and asks the page for the equipment search', async () => {
    const { win } = await started();
    menuItem('Find device…').click();
    expect(win.restored).toBe(1);
    expect(win.webContents.sent).toContainEqual(['wardkeep:shell', { command: 'find' }]);
  });

  it('"About Wardkeep" shows the version, the data folder and where it was set, the database version and the PC', async () => {
    const { win, dataDir } = await started();
    menuItem('About Wardkeep').click();
    const box = fake.state.messageBoxes.at(-1)!;
    expect(box.parent).toBe(win);
    expect(box.options).toMatchObject({ title: 'About Wardkeep', message: 'Wardkeep 0.1.0' });
    expect(box.options.detail).toContain(`Data folder: ${dataDir} (chosen with --data-dir)`);
    expect(box.options.detail).toMatch(/Database version: \d+\nThis PC's id: [0-9a-f-]{36}/);
  });

  it('"Switch user" locks through the page, as Ctrl+L does', async () => {
    const { win } = await started();
    menuItem('Switch user').click();
    expect(win.webContents.sent).toContainEqual(['wardkeep:event', 'menu.command', { command: 'switch-user' }]);
  });
});

describe('on Windows', () => {
  // Node fixes process.platform at start; the shell reads it while it starts, so it is stubbed for each test.
  const realPlatform = Object.getOwnPropertyDescriptor(process, 'platform')!;
  beforeEach(() => {
    Object.defineProperty(process, 'platform', { ...realPlatform, value: 'win32' });
  });
  afterEach(() => {
    Object.defineProperty(process, 'platform', realPlatform);
  });
  const builderAppId = () => (load(readFileSync('electron-builder.yml', 'utf8')) as { appId: string }).appId;

  it("claims electron-builder's appId as its AppUserModelID once, before any window or notice", async () => {
    const dataDir = path.join(dir, 'data');
    startApp({ mainDir: '/x/out/main', argv: ['electron', '.', '--data-dir', dataDir], env: {} });
    // Synchronously, before the app is ready: the window's taskbar button is grouped by it.
    expect(fake.state.appUserModelIds).toEqual([builderAppId()]);
    expect(fake.state.windows).toEqual([]);
    await ready();
    expect(fake.state.appUserModelIds).toEqual(['org.wardkeep.desktop']);
    expect(fake.state.activationHandlers).toHaveLength(1);
  });

  it('a click on the daily overdue notice, or its activation from the Action Center, opens Today', async () => {
    // A defibrillator whose calibration fell due a month ago.
    const dataDir = path.join(dir, 'data');
    const seed = openCore({ dataDir });
    const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    plan(seed, device(seed, 'DF-0001', { name: 'Defibrillator' }), 'calibration', '1y', monthAgo);
    seed.close();
    fake.state.notificationsSupported = true;
    startApp({ mainDir: '/x/out/main', argv: ['electron', '.', '--data-dir', dataDir], env: {} });
    const win = (await ready())!;
    await vi.waitFor(() => expect(fake.state.notices).toHaveLength(1), { timeout: 5000 });
    const notice = fake.state.notices[0]! as InstanceType<typeof fake.Notification>;
    expect(notice.shown).toBe(true);
    expect(notice.options.title).toBe('1 plan became overdue');
    expect(notice.options.body).toContain('DF-0001 Defibrillator');
    const openToday = ['wardkeep:shell', { command: 'open', path: '/' }];
    expect(win.webContents.sent).not.toContainEqual(openToday);

    notice.emit('click');
    expect(win.webContents.sent.filter((m) => JSON.stringify(m) === JSON.stringify(openToday))).toHaveLength(1);
    expect(win.restored).toBe(1); // the minimised window comes back
    expect(win.focused).toBe(1);

    // Windows calls the handler for a notice no longer in memory (after a restart, or from the Action Center).
    win.minimized = true;
    fake.state.activationHandlers[0]!({ type: 'click', arguments: '' });
    expect(win.webContents.sent.filter((m) => JSON.stringify(m) === JSON.stringify(openToday))).toHaveLength(2);
    expect(win.restored).toBe(2);
  });

  it('elsewhere claims no AppUserModelID and registers no activation handler', async () => {
    Object.defineProperty(process, 'platform', { ...realPlatform, value: 'linux' });
    await started();
    expect(fake.state.appUserModelIds).toEqual([]);
    expect(fake.state.activationHandlers).toEqual([]);
  });
});

describe('the main process when something unexpected fails', () => {
  it('a failure after the database is open, before the window shows, is said in a box and the app quits (no invisible process holding the lock)', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const dataDir = path.join(dir, 'data');
      fake.state.failWindow = 'Failed to create the window (GPU process not usable)';
      startApp({ mainDir: '/x/out/main', argv: ['electron', '.', '--data-dir', dataDir], env: {} });
      fake.state.readyResolve!();
      await vi.waitFor(() => expect(fake.state.quitted).toBe(true), { timeout: 10_000 });
      expect(fake.state.errorBoxes).toEqual([
        [
          'Wardkeep cannot start',
          'Wardkeep could not finish starting: Failed to create the window (GPU process not usable). What was saved before is safe. Start Wardkeep again; if this happens again, tell your IT support.',
        ],
      ]);
      // The quit closed the database: no process left holding the lock and the file.
      expect(walOpen(dataDir)).toBe(false);
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });

  it("an uncaught exception in main is logged and said in Wardkeep's own sentence, not Electron's stack-trace box, at most once a minute", async () => {
    await started();
    // Electron shows its own "A JavaScript error occurred in the main process" box, with the stack, when no one listens.
    const listeners = process.listeners('uncaughtException');
    const ours = listeners[listeners.length - 1] as (e: Error) => void;
    const err = Object.assign(new Error('SQLITE_BUSY: database is locked'), {
      stack: 'Error: SQLITE_BUSY\n    at rememberNotice (C:\\Program Files\\Wardkeep\\resources\\app.asar\\out\\main\\index.js:1:1)',
    });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      ours(err);
      ours(err);
      expect(logged).toHaveBeenCalledWith('[main]', err);
    } finally {
      logged.mockRestore();
    }
    expect(fake.state.messageBoxes.map((b) => [b.options.message, b.options.detail])).toEqual([
      ['Something went wrong in Wardkeep.', 'Everything saved is safe, and the details are in the log. If this keeps happening, tell your IT support.'],
    ]);
    // One listener however many times the shell starts in a process.
    expect(process.listeners('unhandledRejection').filter((l) => l === (ours as unknown))).toHaveLength(1);
  });

  it('a second launch naming another data folder is told which folder is open, not silently given it', async () => {
    const { win, dataDir } = await started();
    const other = path.join(dir, 'training');
    fake.app.emit('second-instance', { preventDefault() {} }, ['Wardkeep.exe', '--data-dir', other], dir, {});
    expect(win.focused).toBe(1);
    expect(fake.state.messageBoxes.map((b) => [b.options.message, b.options.detail])).toEqual([
      [`Wardkeep is already open on ${dataDir}.`, `${other} was not opened: this window still shows the records of the folder above. Quit Wardkeep first, then start it on the other folder.`],
    ]);
    // The same folder again (a relative path from another working folder included) is only brought forward.
    fake.app.emit('second-instance', { preventDefault() {} }, ['Wardkeep.exe', '--data-dir', 'data'], dir, {});
    expect(fake.state.messageBoxes).toHaveLength(1);
    expect(win.focused).toBe(2);
  });
});

describe('a second launch while Wardkeep is open', () => {
  /**
   * The second instance's own start: it finds the lock held, sends what it would have opened and
   * quits (its own process's quit, not the first's). Returns what Electron hands the first instance.
   */
  function secondLaunch(argv: string[], env: NodeJS.ProcessEnv = {}): unknown {
    const quit = vi.spyOn(fake.app, 'quit').mockImplementation(() => undefined);
    fake.state.gotLock = false;
    try {
      expect(startApp({ mainDir: '/x/out/main', argv, env })).toEqual({ started: false });
      expect(quit).toHaveBeenCalledTimes(1);
    } finally {
      fake.state.gotLock = true;
      quit.mockRestore();
    }
    return fake.state.lockData[fake.state.lockData.length - 1];
  }
  const messages = () => fake.state.messageBoxes.map((b) => b.options.message);

  // Electron's docs (app, event 'second-instance'): argv "will not be exactly the same list of
  // arguments as those passed to the second instance. The order might change and additional
  // arguments might be appended." Chromium puts every switch first and adds its own, even between
  // `--data-dir` and its value.
  it.each([
    ['Windows', (other: string) => ['C:\\Program Files\\Wardkeep\\Wardkeep.exe', '--data-dir', '--allow-file-access-from-files', '--original-process-start-time=13213718723637733', other]],
    ['macOS', (other: string) => ['/Applications/Wardkeep.app/Contents/MacOS/Wardkeep', '--data-dir', '--allow-file-access-from-files', '--enable-avfoundation', other]],
  ])('a training shortcut `Wardkeep --data-dir D:\\training` is told the live folder is open, not silently given it (argv as %s delivers it)', async (_system, delivered) => {
    const { win, dataDir } = await started();
    const other = path.join(dir, 'training');
    const sent = secondLaunch(['Wardkeep.exe', '--data-dir', other]);
    expect(sent).toEqual({ dataDir: other });
    fake.app.emit('second-instance', { preventDefault() {} }, delivered(other), dir, sent);
    expect(win.focused).toBe(1);
    expect(fake.state.messageBoxes.map((b) => [b.options.message, b.options.detail])).toEqual([
      [`Wardkeep is already open on ${dataDir}.`, `${other} was not opened: this window still shows the records of the folder above. Quit Wardkeep first, then start it on the other folder.`],
    ]);
    // A shortcut to the folder that is open is only brought forward.
    fake.app.emit('second-instance', { preventDefault() {} }, delivered(dataDir), dir, secondLaunch(['Wardkeep.exe', `--data-dir=${dataDir}`]));
    expect(win.focused).toBe(2);
    expect(fake.state.messageBoxes).toHaveLength(1);
  });

  it('the reverse: Wardkeep left open on a training folder, the ordinary shortcut (no --data-dir) is told it is not the live records', async () => {
    // A trainer started `Wardkeep --data-dir <training>` and left it open; the next technician double-clicks the icon.
    const training = path.join(dir, 'training');
    startApp({ mainDir: '/x/out/main', argv: ['electron', '.', '--data-dir', training], env: {} });
    const win = (await ready())!;
    const sent = secondLaunch(['C:\\Program Files\\Wardkeep\\Wardkeep.exe']);
    fake.app.emit('second-instance', { preventDefault() {} }, ['C:\\Program Files\\Wardkeep\\Wardkeep.exe', '--allow-file-access-from-files'], 'C:\\Windows\\System32', sent);
    expect(win.focused).toBe(1);
    expect(messages()).toEqual([`Wardkeep is already open on ${training}.`]);
  });

  it('on Windows the same folder in another case is the same folder: only brought forward', async () => {
    const { win, dataDir } = await started();
    const realPlatform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { ...realPlatform, value: 'win32' });
    try {
      fake.app.emit('second-instance', { preventDefault() {} }, ['Wardkeep.exe'], dir, { dataDir: dataDir.toUpperCase() });
    } finally {
      Object.defineProperty(process, 'platform', realPlatform);
    }
    expect(win.focused).toBe(1);
    expect(messages()).toEqual([]);
  });

  it('a launch made while Wardkeep is still starting (no window yet) is not lost: it is said once the window shows', async () => {
    const dataDir = path.join(dir, 'data');
    startApp({ mainDir: '/x/out/main', argv: ['electron', '.', '--data-dir', dataDir], env: {} });
    // Before the window: the database is being opened (a migration, a restore question, a move).
    const other = path.join(dir, 'training');
    fake.app.emit('second-instance', { preventDefault() {} }, ['Wardkeep.exe', '--data-dir', '--no-sandbox', other], dir, { dataDir: other });
    const win = (await ready())!;
    expect(messages()).toEqual([]);
    win.emit('ready-to-show');
    expect(messages()).toEqual([`Wardkeep is already open on ${dataDir}.`]);
    expect(fake.state.messageBoxes[0]!.parent).toBe(win);
    // Said once.
    win.emit('ready-to-show');
    expect(messages()).toHaveLength(1);
  });

  it('a double-click while Wardkeep is closing (a backup under way holds the quit) is answered, not lost', async () => {
    const { win } = await started();
    expect(await call('auth.setupFirstAdmin', { name: 'Ada Admin', password: 'correct horse battery' })).toMatchObject({ ok: true });
    const backup = call('backups.run');
    win.emit('closed');
    fake.app.emit('window-all-closed');
    expect(fake.state.quitted).toBe(false); // waiting for the backup
    fake.app.emit('second-instance', { preventDefault() {} }, ['Wardkeep.exe'], dir, secondLaunch(['Wardkeep.exe']));
    expect(messages()).toEqual(['Wardkeep is closing after a backup; start it again in a moment.']);
    expect(fake.state.windows).toHaveLength(1);
    expect(await backup).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(fake.state.quitted).toBe(true), { timeout: 10_000 });
  });
});

describe('Today at start (issue 17)', () => {
  it("answers Today's first question once while the window loads, before the page asks anything", async () => {
    // The statements Today's first question runs, taken on a database of its own.
    const other = openCore({ dataDir: path.join(dir, 'other') });
    const today = await statementsRun(async () => warmToday(other));
    other.close();
    expect(today.size).toBeGreaterThan(2);
    const ran = await statementsRun(async () => {
      await started();
      await new Promise((resolve) => setImmediate(resolve));
    });
    expect(fake.state.ipcHandlers.size).toBeGreaterThan(0);
    for (const sql of today) expect(ran, sql).toContain(sql);
  });
});
