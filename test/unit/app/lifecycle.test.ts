import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES } from '../../../shared/contract';
import { DB_FILE } from '../../../main/core/db/open';

/** A stand-in for the `electron` module: records what the shell asks of it. */
const fake = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => void;
  const state = {
    gotLock: true,
    appListeners: new Map<string, Listener>(),
    ipcHandlers: new Map<string, Listener>(),
    windows: [] as unknown[],
    quit: 0,
    errorBoxes: [] as [string, string][],
    privileged: [] as unknown[],
    menuSet: 0,
    readyResolve: null as null | (() => void),
    userData: '',
  };
  class FakeWebContents {
    id = 1;
    sent: unknown[][] = [];
    send(...args: unknown[]) {
      this.sent.push(args);
    }
    once() {}
    on() {}
  }
  class BrowserWindow {
    options: Record<string, unknown>;
    webContents = new FakeWebContents();
    loaded: string | null = null;
    minimized = true;
    restored = 0;
    focused = 0;
    constructor(options: Record<string, unknown>) {
      this.options = options;
      state.windows.push(this);
    }
    once() {}
    on() {}
    loadURL(url: string) {
      this.loaded = url;
      return Promise.resolve();
    }
    isMinimized() {
      return this.minimized;
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
  const app = {
    isPackaged: true,
    requestSingleInstanceLock: () => state.gotLock,
    quit: () => {
      state.quit++;
    },
    on: (event: string, listener: Listener) => state.appListeners.set(event, listener),
    whenReady: () => new Promise<void>((resolve) => (state.readyResolve = resolve)),
    getPath: () => state.userData,
    getAppPath: () => '/nonexistent-app-root',
    setBadgeCount: () => true,
  };
  const session = {
    defaultSession: {
      setPermissionRequestHandler() {},
      setPermissionCheckHandler() {},
      webRequest: { onBeforeRequest() {}, onHeadersReceived() {} },
      on() {}, // 'will-download': exports are saved where the person chose, never over the database (main/app/downloads.ts)
    },
  };
  return { state, BrowserWindow, app, session };
});

vi.mock('electron', () => ({
  app: fake.app,
  BrowserWindow: fake.BrowserWindow,
  session: fake.session,
  dialog: { showErrorBox: (title: string, message: string) => fake.state.errorBoxes.push([title, message]) },
  ipcMain: { handle: (name: string, h: (...a: unknown[]) => void) => fake.state.ipcHandlers.set(name, h) },
  Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: () => fake.state.menuSet++ },
  protocol: { registerSchemesAsPrivileged: (s: unknown) => fake.state.privileged.push(s), handle: () => undefined },
  powerMonitor: { on: () => undefined, removeListener: () => undefined }, // the day watch and the backup schedule listen for 'resume'
  Notification: { isSupported: () => false }, // the overdue notice (main/app/notifications.ts)
  safeStorage: { isEncryptionAvailable: () => false }, // the audit anchors' key (main/app/anchor-key.ts): a file key here
}));

const { startApp } = await import('../../../main/app/lifecycle');

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'wardkeep-shell-'));
  Object.assign(fake.state, { gotLock: true, windows: [], quit: 0, errorBoxes: [], privileged: [], menuSet: 0, readyResolve: null, userData: dir });
  fake.state.appListeners.clear();
  fake.state.ipcHandlers.clear();
});
afterEach(() => {
  fake.state.appListeners.get('window-all-closed')?.();
  rmSync(dir, { recursive: true, force: true });
});

async function ready() {
  fake.state.readyResolve!();
  await vi.waitFor(() => expect(fake.state.windows.length + fake.state.errorBoxes.length).toBeGreaterThan(0));
}

describe('the Electron shell', () => {
  it('quits at once when another instance holds the lock, opening nothing', () => {
    fake.state.gotLock = false;
    expect(startApp({ mainDir: '/x/out/main', argv: [], env: {} })).toEqual({ started: false });
    expect(fake.state.quit).toBe(1);
    expect(fake.state.readyResolve).toBeNull();
    expect(fake.state.windows).toEqual([]);
  });

  it('focuses the first window when a second launch happens', async () => {
    startApp({ mainDir: '/x/out/main', argv: [], env: {} });
    await ready();
    const win = fake.state.windows[0] as InstanceType<typeof fake.BrowserWindow>;
    fake.state.appListeners.get('second-instance')!();
    expect(win.restored).toBe(1);
    expect(win.focused).toBe(1);
    expect(fake.state.windows).toHaveLength(1);
  });

  it('opens the database in the data folder, one IPC handler per contract channel, and a sandboxed window on app://', async () => {
    const dataDir = path.join(dir, 'data');
    startApp({ mainDir: '/x/out/main', argv: ['electron', '.', '--data-dir', dataDir], env: {} });
    expect(fake.state.privileged).toEqual([[{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]]);
    await ready();
    const db = new BetterSqlite3(path.join(dataDir, DB_FILE), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThan(0);
    db.close();
    expect([...fake.state.ipcHandlers.keys()].sort()).toEqual([...CHANNEL_NAMES].sort());
    const win = fake.state.windows[0] as InstanceType<typeof fake.BrowserWindow>;
    expect(win.loaded).toBe('app://wardkeep/index.html');
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, preload: '/x/out/preload/index.cjs' });
    expect(fake.state.menuSet).toBe(1);
  });

  it('refuses calls from a page that is not ours', async () => {
    startApp({ mainDir: '/x/out/main', argv: ['--data-dir', path.join(dir, 'd')], env: {} });
    await ready();
    const handler = fake.state.ipcHandlers.get('app.info')!;
    const foreign = await handler({ senderFrame: { url: 'https://example.com/', parent: null }, sender: { id: 9, once() {} } }, {});
    expect(foreign).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const framed = await handler({ senderFrame: { url: 'app://wardkeep/index.html', parent: {} }, sender: { id: 9, once() {} } }, {});
    expect(framed).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const ours = await handler({ senderFrame: { url: 'app://wardkeep/index.html', parent: null }, sender: { id: 9, once() {} } }, {});
    expect(ours).toMatchObject({ ok: true });
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
    expect(fake.state.quit).toBe(1);
    expect(fake.state.windows).toEqual([]);
  });
});
