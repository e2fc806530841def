import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { CHANNEL_NAMES } from '../../shared/contract';
import { EVENT_NAMES } from '../../shared/contract/events';
import type { Backend } from '../../main/core/backend';
import { createBackend } from '../../main/core/backend';
import type { Clock } from '../../main/core/clock';
import type { Core } from '../../main/core/context';
import { openCore } from '../../main/core/open-core';
import type { BackendPorts } from '../../main/core/ports';
import { runStartupChecks } from '../../main/core/system/startup-checks';
import { warmToday } from '../../main/core/due/today';
import type { Session } from '../../main/core/session';
import { newSession } from '../../main/core/session';
import { stopWorker } from '../../main/core/worker/run';
import { browserPrintPort } from '../helpers/pdf';
import { CHROMIUM_ARGS, findChromium, NO_CHROMIUM_MESSAGE } from './chromium';
import { serveRenderer } from './static-server';

export const RENDERER_DIR = path.resolve('out/renderer');

let browserPromise: Promise<Browser> | null = null;
let serverPromise: Promise<{ url: string; close: () => Promise<void> }> | null = null;

function browser(): Promise<Browser> {
  if (!browserPromise) {
    const executablePath = findChromium();
    if (!executablePath) throw new Error(NO_CHROMIUM_MESSAGE);
    browserPromise = chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  }
  return browserPromise;
}

function server() {
  if (!existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error('The renderer is not built: run "npm run build" (npm test does it first).');
  }
  serverPromise ??= serveRenderer(RENDERER_DIR);
  return serverPromise;
}

/** Closes the shared browser and server; call from afterAll. */
export async function shutdown(): Promise<void> {
  const b = browserPromise;
  const s = serverPromise;
  browserPromise = null;
  serverPromise = null;
  if (b) await (await b).close();
  if (s) await (await s).close();
}

export interface LaunchedApp {
  page: Page;
  context: BrowserContext;
  /** The same backend the app's ipcMain would use, for seeding data and checking the database. */
  backend: Backend;
  /** The main-side session of this page (who is signed in). */
  session: Session;
  /** Uncaught page errors and console errors (CSP violations among them) seen so far. */
  problems: string[];
  /** Every channel the page called, in order: for tests that count back-end calls. */
  calls: string[];
  close: () => Promise<void>;
}

/**
 * Starts the built UI in Chromium on the database in `dataDir`, with `window.api` bridged to the
 * same backend (handlers, access checks, schemas) that ipcMain uses in the app.
 */
export async function launchApp(options: {
  dataDir: string;
  clock?: Clock;
  viewport?: { width: number; height: number };
  ports?: BackendPorts;
  /** A database already opened as the app opens it before its window (the benchmark's start-up); closed with the app. */
  core?: Core & { close(): void };
  /** Where the page starts (a hash route such as `/equipment`); the app's own start is `/`. */
  path?: string;
  /** Runs once the page's bridge is in place, before it is loaded: init scripts, a session signed in from main. */
  beforeGoto?: (app: { context: BrowserContext; backend: Backend; session: Session }) => Promise<void>;
}): Promise<LaunchedApp> {
  const core = options.core ?? openCore({ dataDir: options.dataDir, ...(options.clock ? { clock: options.clock } : {}) });
  const backend = createBackend(core, { logError: (err, channel) => console.error(`[${channel}]`, err), ...(options.ports ? { ports: options.ports } : {}) });
  // As the app does at start: the audit chain is checked in the background.
  void runStartupChecks(backend);
  const session = newSession(core.clock.now().getTime());
  const [b, s] = await Promise.all([browser(), server()]);
  const context = await b.newContext({ viewport: options.viewport ?? { width: 1366, height: 768 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  const calls: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });

  // The preload's job, done by the harness: only contract channels reach the backend, only from
  // the page's own top frame, with Uint8Arrays carried across as base64; answers cross as JSON text
  // (encodeAnswer, below).
  await context.exposeBinding('__wardkeepInvoke', async (source, channel: unknown, encoded: unknown) => {
    if (source.frame !== source.page.mainFrame()) return encodeAnswer({ ok: false, error: { code: 'forbidden', message: 'This frame may not call Wardkeep.' } });
    calls.push(String(channel));
    return encodeAnswer(await backend.invoke(session, channel, revive(encoded)));
  });
  // tsx (the benchmark runs the harness through it) keeps function names by wrapping functions in
  // a `__name` helper, which the page's copy of the scripts below would then lack.
  await context.addInitScript('globalThis.__name ??= (f) => f;');
  await context.addInitScript(
    ({ channels, events, tag }) => {
      const allowed = new Set(channels);
      const known = new Set(events);
      const listeners = new Map<string, Set<(payload: unknown) => void>>();
      const encode = (v: unknown): unknown => {
        if (v instanceof Uint8Array) {
          let bin = '';
          for (let i = 0; i < v.length; i += 0x8000) bin += String.fromCharCode(...v.subarray(i, i + 0x8000));
          return { __u8: btoa(bin) };
        }
        if (Array.isArray(v)) return v.map(encode);
        if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
        return v;
      };
      const w = window as unknown as Record<string, unknown>;
      const invokeBinding = w.__wardkeepInvoke as (c: string, i: unknown) => Promise<string>;
      // The answer's values that JSON lacks, tagged by encodeAnswer, put back as structured clone gives them.
      const restore = (v: unknown): unknown => {
        if (Array.isArray(v)) return v.map(restore);
        if (!v || typeof v !== 'object') return v;
        const o = v as Record<string, unknown>;
        if (tag in o) {
          const x = o.v as string;
          if (o[tag] === 'undefined') return undefined;
          if (o[tag] === 'date') return new Date(x);
          if (o[tag] === 'bigint') return BigInt(x);
          return Uint8Array.from(atob(x), (c) => c.charCodeAt(0));
        }
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(o)) out[k] = restore(o[k]);
        return out;
      };
      const decodeAnswer = (text: string): unknown => (text.includes(tag) ? restore(JSON.parse(text)) : JSON.parse(text));
      // For the bridge's own test (bridge.e2e.test.ts): the app never calls it.
      w.__wardkeepDecodeAnswer = decodeAnswer;
      w.__wardkeepEmit = (name: string, payload: unknown) => {
        for (const l of listeners.get(name) ?? []) l(payload);
      };
      Object.defineProperty(window, 'api', {
        value: Object.freeze({
          invoke: (channel: string, input: unknown) =>
            allowed.has(channel)
              ? invokeBinding(channel, encode(input)).then(decodeAnswer)
              : Promise.resolve({ ok: false, error: { code: 'not_found', message: 'There is no such action.' } }),
          subscribe: (event: string, listener: (payload: unknown) => void) => {
            if (!known.has(event)) return () => undefined;
            if (!listeners.has(event)) listeners.set(event, new Set());
            listeners.get(event)!.add(listener);
            return () => listeners.get(event)?.delete(listener);
          },
        }),
        writable: false,
        configurable: false,
      });
    },
    { channels: CHANNEL_NAMES as string[], events: EVENT_NAMES as string[], tag: ANSWER_TAG },
  );
  const unsubscribe = backend.onEvent((event, payload) => {
    if (!page.isClosed()) {
      void page.evaluate(([e, p]) => (window as unknown as { __wardkeepEmit: (e: string, p: unknown) => void }).__wardkeepEmit(e, p), [event, payload] as const).catch(() => undefined);
    }
  });
  await options.beforeGoto?.({ context, backend, session });
  // As the app does once its window is made: Today's first question answered while the page loads.
  setImmediate(() => warmToday(core));
  await page.goto(options.path ? `${s.url}#${options.path}` : s.url);
  return {
    page,
    context,
    backend,
    session,
    problems,
    calls,
    close: async () => {
      unsubscribe();
      await context.close();
      // As the app's shutdown does: the workers (the start-up checks) stop and close their
      // connections before the database closes, so nothing writes in the folder after close.
      await stopWorker(core);
      core.close();
    },
  };
}

/** Marks a value JSON cannot carry (see encodeAnswer); the page's copy of the bridge puts it back. */
const ANSWER_TAG = '__wardkeepAnswerTag';

/**
 * An answer as it crosses to the page: JSON text. Electron's IPC carries answers by structured clone;
 * a binding returning the object itself carries it through Playwright's own value serialisation,
 * which took 155-218 ms for Today's first answer at 50,000 devices (86 KB) against 11-78 ms for the
 * same answer as JSON text, most of it on the page's main thread: the benchmark's screens and
 * scrolling waited for the harness, not the app.
 * The values structured clone keeps and JSON does not (undefined, dates, bytes, big integers) are
 * tagged here and put back on the page; anything else structured clone refuses (a function) fails
 * the call here too.
 */
export function encodeAnswer(answer: unknown): string {
  return JSON.stringify(answer, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    if (raw === undefined) return { [ANSWER_TAG]: 'undefined' };
    if (raw instanceof Date) return { [ANSWER_TAG]: 'date', v: raw.toISOString() };
    if (typeof raw === 'bigint') return { [ANSWER_TAG]: 'bigint', v: raw.toString() };
    if (raw instanceof Uint8Array) return { [ANSWER_TAG]: 'u8', v: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') };
    if (typeof raw === 'function' || typeof raw === 'symbol') throw new Error(`The answer holds a ${typeof raw} at "${key}", which Electron's IPC cannot carry.`);
    return value;
  });
}

function revive(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(revive);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.__u8 === 'string' && Object.keys(o).length === 1) return new Uint8Array(Buffer.from(o.__u8, 'base64'));
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, revive(x)]));
  }
  return v;
}

/**
 * The app with a print port as the desktop app's print window: each document is rendered in the
 * app's own browser context and, for a PDF, saved into `outDir`; `port.jobs` lists what was asked.
 */
export async function launchPrinting(
  outDir: string,
  options: Parameters<typeof launchApp>[0],
): Promise<{ app: LaunchedApp; port: ReturnType<typeof browserPrintPort> }> {
  let launched: LaunchedApp | null = null;
  const port = browserPrintPort({ context: () => launched!.context, baseUrl: () => new URL(launched!.page.url()).origin + '/', outDir });
  const app = await launchApp({ ...options, ports: { ...options.ports, print: port } });
  launched = app;
  return { app, port };
}
