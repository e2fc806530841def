import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cliArguments } from '../../../main/app/cli-switch';
import { DB_FILE, openDatabase } from '../../../main/core/db/open';
import { tempDir } from '../../helpers/core';

const fake = vi.hoisted(() => ({ exits: [] as number[], gpuOff: 0, dockHidden: 0, lockAsked: 0, switches: [] as string[], errorBoxes: [] as string[] }));
vi.mock('electron', () => ({
  app: {
    exit: (code: number) => fake.exits.push(code),
    disableHardwareAcceleration: () => fake.gpuOff++,
    dock: { hide: () => fake.dockHidden++ },
    // The desktop app's first question; answered "no" so the test sees the dispatch and nothing more.
    requestSingleInstanceLock: () => {
      fake.lockAsked++;
      return false;
    },
    quit: () => undefined,
    whenReady: () => Promise.resolve(),
    isPackaged: true,
    // The switches Chromium parsed from the process's command line.
    commandLine: { hasSwitch: (name: string) => fake.switches.includes(name) },
  },
  dialog: { showErrorBox: (_title: string, message: string) => fake.errorBoxes.push(message) },
  // A secret store that works (as DPAPI or the Keychain would): what it wraps, it alone unwraps.
  safeStorage: {
    isEncryptionAvailable: () => true,
    encryptString: (text: string) => Buffer.from(`sealed:${text}`),
    decryptString: (data: Buffer) => {
      const text = data.toString();
      if (!text.startsWith('sealed:')) throw new Error('not ours');
      return text.slice('sealed:'.length);
    },
  },
}));

const { main } = await import('../../../main/app/entry');

function captured() {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    out += String(chunk);
    const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    done?.();
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    err += String(chunk);
    const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    done?.();
    return true;
  });
  return { out: () => out, err: () => err, restore: () => (o.mockRestore(), e.mockRestore()) };
}

afterEach(() => Object.assign(fake, { exits: [], gpuOff: 0, dockHidden: 0, lockAsked: 0, switches: [], errorBoxes: [] }));

describe("the packaged app's main entry (main/app/entry.ts)", () => {
  it('runs the wardkeep command line when started as `Wardkeep --cli …`, with no window nor lock, and exits with its code', async () => {
    const dir = tempDir();
    // verify never creates a database (issue 13): the app made this one.
    openDatabase({ dataDir: dir }).db.close();
    const io = captured();
    try {
      const result = await main({ mainDir: '/opt/Wardkeep/resources/app.asar/out/main', argv: ['/opt/Wardkeep/wardkeep', '--cli', '--data-dir', dir, 'verify'], env: {} });
      expect(result).toEqual({ mode: 'cli', code: 0 });
    } finally {
      io.restore();
    }
    expect(io.out()).toMatch(/audit/i);
    expect(fake.exits).toEqual([0]);
    expect(fake.lockAsked).toBe(0);
    expect([fake.gpuOff, fake.dockHidden]).toEqual([1, 1]);
    expect(existsSync(path.join(dir, DB_FILE))).toBe(true);
  });

  it("keeps the anchor key the command line makes as the app does, wrapped by the OS's secret store (safeStorage)", async () => {
    const dir = tempDir();
    openDatabase({ dataDir: dir }).db.close();
    const io = captured();
    try {
      const result = await main({ mainDir: '/x', argv: ['/opt/Wardkeep/wardkeep', '--cli', '--data-dir', dir, 'backup', path.join(tempDir(), 'copy.sqlite3')], env: {} });
      expect(result).toEqual({ mode: 'cli', code: 0 });
    } finally {
      io.restore();
    }
    const keys = readdirSync(path.join(dir, 'audit-keys')).map((f) => JSON.parse(readFileSync(path.join(dir, 'audit-keys', f), 'utf8')) as { protection: string });
    expect(keys.map((k) => k.protection)).toEqual(['safeStorage']);
  });

  it('passes on a usage error as exit code 2, with the usage on stderr', async () => {
    const io = captured();
    try {
      expect(await main({ mainDir: '/x', argv: ['C:\\Program Files\\Wardkeep\\Wardkeep.exe', '--cli', 'frobnicate'], env: {} })).toEqual({ mode: 'cli', code: 2 });
    } finally {
      io.restore();
    }
    expect(io.err()).toMatch(/^Unknown command "frobnicate"\.\n\nUsage: wardkeep/);
    expect(fake.exits).toEqual([2]);
  });

  it('runs the command line as usual when started with --remote-debugging-port too: it opens no window to take over', async () => {
    const dir = tempDir();
    openDatabase({ dataDir: dir }).db.close();
    fake.switches = ['remote-debugging-port'];
    const io = captured();
    try {
      const result = await main({ mainDir: '/x', argv: ['/opt/Wardkeep/wardkeep', '--remote-debugging-port=9222', '--cli', '--data-dir', dir, 'verify'], env: {} });
      expect(result).toEqual({ mode: 'cli', code: 0 });
    } finally {
      io.restore();
    }
    expect(fake.exits).toEqual([0]);
    expect(fake.errorBoxes).toEqual([]);
  });

  it('refuses the desktop app started with --remote-debugging-port before it asks for the lock', async () => {
    fake.switches = ['remote-debugging-port'];
    expect(await main({ mainDir: '/x', argv: ['/opt/Wardkeep/wardkeep', '--remote-debugging-port=9222'], env: {} })).toEqual({ mode: 'app', started: false });
    expect(fake.lockAsked).toBe(0);
    expect(fake.errorBoxes).toHaveLength(1);
    expect(fake.errorBoxes[0]).toMatch(/^Wardkeep was started with --remote-debugging-port, which would let another program take over its window/);
  });

  it('starts the desktop app otherwise', async () => {
    expect(await main({ mainDir: '/x', argv: ['/opt/Wardkeep/wardkeep', '--data-dir', '/tmp/x'], env: {} })).toEqual({ mode: 'app', started: false });
    expect(fake.lockAsked).toBe(1);
    expect(fake.exits).toEqual([]);
  });

  it('takes everything after --cli as the command line, wherever Electron put the app path', () => {
    expect(cliArguments(['electron', '.', '--cli', 'due', '--within', '7'])).toEqual(['due', '--within', '7']);
    expect(cliArguments(['/Applications/Wardkeep.app/Contents/MacOS/Wardkeep', '--cli'])).toEqual([]);
    expect(cliArguments(['Wardkeep.exe'])).toBeNull();
  });
});
