import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PrintJob } from '../../../shared/domain/report';

/** A stand-in for `electron`: windows whose page "lays out" as each test says, and dialogs that answer as told. */
const fake = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => void;
  class FakeWebContents {
    listeners = new Map<string, Set<Listener>>();
    pdfOptions: unknown[] = [];
    printOptions: unknown[] = [];
    on(event: string, l: Listener) {
      if (!this.listeners.has(event)) this.listeners.set(event, new Set());
      this.listeners.get(event)!.add(l);
      return this;
    }
    removeListener(event: string, l: Listener) {
      this.listeners.get(event)?.delete(l);
      return this;
    }
    emit(event: string, ...args: unknown[]) {
      for (const l of [...(this.listeners.get(event) ?? [])]) l(...args);
    }
    listenerCount() {
      return [...this.listeners.values()].reduce((n, s) => n + s.size, 0);
    }
    printToPDF(options: unknown) {
      this.pdfOptions.push(options);
      return Promise.resolve(Buffer.from('%PDF-1.7 fake'));
    }
    print(options: unknown, callback: (success: boolean, reason: string) => void) {
      this.printOptions.push(options);
      setTimeout(() => callback(state.printResult.success, state.printResult.reason), 0);
    }
  }
  const state = {
    windows: [] as BrowserWindow[],
    /** What the page does once loaded: set its title, fail, or nothing. */
    onLoad: (wc: FakeWebContents) => wc.emit('page-title-updated', {}, 'Due list - General Hospital', true),
    save: { canceled: false, filePath: '' } as { canceled: boolean; filePath?: string },
    saveCalls: [] as unknown[][],
    printResult: { success: true, reason: '' },
  };
  class BrowserWindow {
    options: Record<string, unknown>;
    webContents = new FakeWebContents();
    loaded: string | null = null;
    destroyed = false;
    constructor(options: Record<string, unknown>) {
      this.options = options;
      state.windows.push(this);
    }
    loadURL(url: string) {
      this.loaded = url;
      setTimeout(() => state.onLoad(this.webContents), 0);
      return Promise.resolve();
    }
    isDestroyed() {
      return this.destroyed;
    }
    destroy() {
      this.destroyed = true;
    }
  }
  const dialog = {
    showSaveDialog: (...args: unknown[]) => {
      state.saveCalls.push(args);
      return Promise.resolve(state.save);
    },
  };
  return { state, BrowserWindow, dialog, FakeWebContents };
});

vi.mock('electron', () => ({ BrowserWindow: fake.BrowserWindow, dialog: fake.dialog }));

const { createPrintPort, pdfPageSize, printerPageSize, printUrl } = await import('../../../main/app/printing');

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'wardkeep-print-'));
  Object.assign(fake.state, {
    windows: [],
    onLoad: (wc: InstanceType<typeof fake.FakeWebContents>) => wc.emit('page-title-updated', {}, 'Due list - General Hospital', true),
    save: { canceled: false, filePath: path.join(dir, 'chosen') },
    saveCalls: [],
    printResult: { success: true, reason: '' },
  });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The main window: the hidden print window belongs to it, and it keeps the focus for the print dialog. */
const parent = {
  id: 'main window',
  focused: 0,
  isDestroyed: () => false,
  focus() {
    this.focused++;
  },
};
const port = (extra: { devServerUrl?: string; timeoutMs?: number } = {}) =>
  createPrintPort({ preload: '/app/out/preload/index.cjs', parent: () => parent as never, ...extra });
const job = (over: Partial<PrintJob> = {}): PrintJob => ({
  route: '/print/due-list?job=0190c0de-0000-7000-8000-000000000001&paper=a4',
  pageSize: { paper: 'a4' },
  action: 'pdf',
  fileName: 'due-list-2025-11-25.pdf',
  ...over,
});
const window = () => fake.state.windows[0]!;

describe('the print port (main/app/printing.ts)', () => {
  it("renders the print route in a hidden window with the main window's secure settings, saves printToPDF where the user chose", async () => {
    const outcome = await port().run(job());
    const win = window();
    expect(win.options).toMatchObject({ show: false, parent });
    expect(win.options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(win.loaded).toBe('app://wardkeep/index.html#/print/due-list?job=0190c0de-0000-7000-8000-000000000001&paper=a4');
    expect(win.webContents.pdfOptions).toEqual([
      { pageSize: 'A4', printBackground: true, preferCSSPageSize: true, margins: { top: 0, bottom: 0, left: 0, right: 0 } },
    ]);
    expect(fake.state.saveCalls).toEqual([
      [parent, { title: 'Save as PDF', defaultPath: 'due-list-2025-11-25.pdf', filters: [{ name: 'PDF document', extensions: ['pdf'] }] }],
    ]);
    const file = path.join(dir, 'chosen.pdf');
    expect(outcome).toEqual({ status: 'saved', path: file });
    expect(readFileSync(file, 'utf8')).toBe('%PDF-1.7 fake');
    expect(win.destroyed).toBe(true);
    expect(win.webContents.listenerCount()).toBe(0);
  });

  it('writes nothing when the save dialog is cancelled', async () => {
    fake.state.save = { canceled: true };
    expect(await port().run(job())).toEqual({ status: 'cancelled' });
    expect(existsSync(path.join(dir, 'chosen.pdf'))).toBe(false);
    expect(window().destroyed).toBe(true);
  });

  it("prints with Electron's print dialog on the label's own page size, and tells printed, cancelled and failed apart", async () => {
    const label = job({ action: 'print', pageSize: { widthMm: 62, heightMm: 29 } });
    parent.focused = 0;
    expect(await port().run(label)).toEqual({ status: 'printed' });
    // On Windows the print dialog takes its owner's place: owned by the main window, it opens in front.
    expect(window().options.parent).toBe(parent);
    expect(parent.focused).toBe(1);
    expect(window().webContents.printOptions).toEqual([
      { silent: false, printBackground: true, pageSize: { width: 62_000, height: 29_000 }, margins: { marginType: 'default' } },
    ]);
    fake.state.printResult = { success: false, reason: 'Print job canceled' };
    expect(await port().run(label)).toEqual({ status: 'cancelled' });
    fake.state.printResult = { success: false, reason: 'Print job failed' };
    await expect(port().run(label)).rejects.toMatchObject({
      code: 'internal',
      message: 'The printer reported a problem: Print job failed.',
    });
    expect(fake.state.windows.every((w) => w.destroyed)).toBe(true);
    expect(fake.state.saveCalls).toEqual([]);
  });

  it("prints A4 and Letter on the document's own @page margins: margin type 'default', the one Chromium keeps them with", async () => {
    // 'none', 'printableArea' or 'custom' would have Chromium ignore print.css's @page margins (and the page numbers in them).
    for (const [paper, pageSize] of [
      ['a4', 'A4'],
      ['letter', 'Letter'],
    ] as const) {
      fake.state.windows = [];
      expect(await port().run(job({ action: 'print', pageSize: { paper } }))).toEqual({ status: 'printed' });
      expect(window().webContents.printOptions, paper).toEqual([
        { silent: false, printBackground: true, pageSize, margins: { marginType: 'default' } },
      ]);
      expect(window().webContents.pdfOptions, paper).toEqual([]);
    }
  });

  it('passes on why the print view could not build its document, and never prints it', async () => {
    fake.state.onLoad = (wc) => wc.emit('page-title-updated', {}, 'Print failed: Only a supervisor or above may do this.', true);
    await expect(port().run(job())).rejects.toMatchObject({ message: 'Only a supervisor or above may do this.' });
    expect(window().webContents.pdfOptions).toEqual([]);
    expect(window().destroyed).toBe(true);
  });

  it('gives up on a page that never loads or never lays out', async () => {
    fake.state.onLoad = (wc) => wc.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND');
    await expect(port().run(job())).rejects.toMatchObject({
      message: 'The document could not be opened for printing (ERR_FILE_NOT_FOUND).',
    });
    fake.state.onLoad = (wc) => wc.emit('page-title-updated', {}, 'Wardkeep', true); // index.html's own title: not ready yet
    await expect(port({ timeoutMs: 30 }).run(job())).rejects.toMatchObject({
      message: expect.stringMatching(/^The document took too long/),
    });
    expect(fake.state.windows.every((w) => w.destroyed)).toBe(true);
  });

  it('still prints when the main window is gone (the dialog then has no owner)', async () => {
    const orphan = createPrintPort({ preload: '/app/out/preload/index.cjs', parent: () => null });
    expect(await orphan.run(job({ action: 'print' }))).toEqual({ status: 'printed' });
    expect(window().options).not.toHaveProperty('parent');
  });

  it('loads from the development server when one runs, and converts page sizes for each API', () => {
    expect(printUrl('/print/history?job=x', 'http://localhost:5173/')).toBe('http://localhost:5173/#/print/history?job=x');
    expect(pdfPageSize({ paper: 'letter' })).toBe('Letter');
    expect(pdfPageSize({ widthMm: 50.8, heightMm: 25.4 })).toEqual({ width: 2, height: 1 });
    expect(printerPageSize({ paper: 'a4' })).toBe('A4');
    expect(printerPageSize({ widthMm: 50, heightMm: 25 })).toEqual({ width: 50_000, height: 25_000 });
  });
});
