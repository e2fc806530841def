import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { createBackend } from '../main/core/backend';
import type { Core } from '../main/core/context';
import { openCore } from '../main/core/open-core';
import { TODAY_START_INPUT } from '../renderer/src/lib/today';
import { newSession } from '../main/core/session';
import { launchApp, RENDERER_DIR, shutdown } from '../test/e2e/harness';
import { checksAfterWindow, closeAtQuit, openBeforeWindow } from './app-paths';
import { benchClock } from './backend';
import type { Line } from './lines';
import { judged } from './lines';
import { ADMIN, BENCH_TODAY } from './seed';
import { median } from './timing';

/**
 * The screens, in Chromium through the e2e harness (the built renderer under the app's CSP, its
 * `window.api` bridged to the same back end): each measured on the bench hospital and, as its floor,
 * with the same bundle on an empty hospital (one administrator, nothing else).
 */

/**
 * Records, from the first script on, when each selector first appears (the frame after it is in the
 * DOM), in ms since navigation, and reports it to the bench through a binding (watchMarks).
 */
const MARKS_SCRIPT = `
  window.__marks = {};
  window.__watch = (sel) => { window.__watching = [...(window.__watching || []), sel]; };
  new MutationObserver(() => {
    for (const sel of window.__watching || []) {
      if (window.__marks[sel] === undefined && document.querySelector(sel)) {
        window.__marks[sel] = -1;
        requestAnimationFrame(() => {
          window.__marks[sel] = performance.now();
          window.__benchMark(sel, window.__marks[sel]);
        });
      }
    }
  }).observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
`;

/**
 * The marks each page has reported, by selector, and who waits for one. The page reports a mark
 * through a binding rather than being asked: Playwright's waitForFunction polled the page every
 * 50 ms, and its first poll loaded Playwright's own injected script into the page (about 30 ms of
 * the page's main thread on a two-core machine) while the screen being timed was still loading.
 */
const reported = new WeakMap<Page, Map<string, { at?: number; waiting: ((at: number) => void)[] }>>();

function markSlot(page: Page, selector: string) {
  let marks = reported.get(page);
  if (!marks) reported.set(page, (marks = new Map()));
  let slot = marks.get(selector);
  if (!slot) marks.set(selector, (slot = { waiting: [] }));
  return slot;
}

/** Before the page loads: the binding its marks are reported through. */
async function watchMarks(context: BrowserContext, selectors: string[]): Promise<void> {
  await context.exposeBinding('__benchMark', (source, selector: string, at: number) => {
    const slot = markSlot(source.page, selector);
    slot.at = at;
    for (const resolve of slot.waiting.splice(0)) resolve(at);
  });
  await context.addInitScript(`${MARKS_SCRIPT}\n${selectors.map((s) => `window.__watch(${JSON.stringify(s)});`).join('\n')}`);
}

/** When `selector` first appeared (ms since navigation): at once if it has, else when the page reports it. */
async function markOf(page: Page, selector: string, timeoutMs = 60_000): Promise<number> {
  const slot = markSlot(page, selector);
  if (slot.at !== undefined) return slot.at;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<number>((resolve, reject) => {
      slot.waiting.push(resolve);
      timer = setTimeout(() => reject(new Error(`The page did not show ${selector} within ${timeoutMs / 1000} s.`)), timeoutMs);
    });
  } finally {
    clearTimeout(timer);
  }
}

/** Watches for `selector` anew (the page forgets its mark in the same step, see todayAgain). */
function forgetMark(page: Page, selector: string): void {
  markSlot(page, selector).at = undefined;
}

/** An empty hospital: one administrator, nothing planned. The floors of the screens. */
export async function emptyHospital(dataDir: string): Promise<void> {
  const core = openCore({ dataDir, clock: benchClock });
  const backend = createBackend(core);
  const res = await backend.invoke(newSession(core.clock.now().getTime()), 'auth.setupFirstAdmin', ADMIN);
  if (!res.ok) throw new Error(res.error.message);
  core.close();
}

const SIGN_IN_READY = 'input.pin-input:not([disabled])';
const TODAY_READY = '[data-testid="today-headline"]';
const TODAY_ROWS = '[data-testid="due-row"], [data-testid="today-empty"]';
// Rows of the body, or the list's empty state ("No equipment yet"): not the header row, nor "Loading…"
// (also in .vtable-empty): both are drawn before any row is read.
const LIST_ROWS = '.vtable-body .vtable-row:not(.loading), .vtable-empty .empty';

/** From launch (opening the database as the app does before its window) to the sign-in screen taking input. */
async function startToSignIn(dataDir: string, bytes?: { first: number }): Promise<number> {
  const t0 = performance.now();
  const core = openBeforeWindow(dataDir, benchClock);
  const beforeWindow = performance.now() - t0;
  const app = await launchApp({
    dataDir,
    core,
    clock: benchClock,
    beforeGoto: async ({ context }) => {
      await watchMarks(context, [SIGN_IN_READY]);
      if (bytes) {
        context.on('response', (r) => {
          void r
            .body()
            .then((b) => (bytes.first += b.length))
            .catch(() => undefined);
        });
      }
    },
  });
  try {
    const inPage = await markOf(app.page, SIGN_IN_READY);
    return beforeWindow + inPage;
  } finally {
    await app.close();
    closeAtQuit(core);
  }
}

async function signedInPage(dataDir: string, selectors: string[], core?: Core & { close(): void }) {
  return launchApp({
    dataDir,
    clock: benchClock,
    ...(core ? { core } : {}),
    beforeGoto: async ({ context, backend, session }) => {
      await watchMarks(context, selectors);
      const res = await backend.invoke(session, 'auth.signIn', { name: ADMIN.name, secret: ADMIN.pin });
      if (!res.ok) throw new Error(res.error.message);
    },
  });
}

/**
 * Waits as a person reading a screen before clicking on: half a second, then a moment the page's
 * thread has nothing to do. A screen's first rows are not the end of its work (Today's other
 * panels ask their questions after them); the click that opens the next screen is timed on its
 * own, not overlapped with what the last one still had to do. (While the marks were polled, the
 * poll's lag happened to give part of that pause.)
 */
async function settled(page: Page): Promise<void> {
  await page.waitForTimeout(500);
  await page.evaluate(() => new Promise<void>((resolve) => requestIdleCallback(() => resolve(), { timeout: 2000 })));
}

/**
 * Opens a screen as a person does: signed in, the app starts on Today (every sign-in does), and
 * once Today shows its rows the screen is opened from there. Returns when it was opened (ms since
 * navigation, the clock of the marks), so a mark minus it is the screen's own time.
 */
async function openFromToday(page: Page, pathname: string): Promise<number> {
  await markOf(page, TODAY_ROWS);
  await settled(page);
  return page.evaluate((p) => {
    const at = performance.now();
    window.location.hash = p;
    return at;
  }, pathname);
}

/** Opening Today signed in: from navigation to its headline and its first rows. */
async function openToday(dataDir: string): Promise<number> {
  const app = await signedInPage(dataDir, [TODAY_READY, TODAY_ROWS]);
  try {
    await markOf(app.page, TODAY_READY);
    return await markOf(app.page, TODAY_ROWS);
  } finally {
    await app.close();
  }
}

/**
 * Today opened again, as a person comes back to it from another screen (the equipment list, its
 * rows shown): from the click to Today's first rows. What the window shows then is what the app
 * holds for Today, read again after every write and when the day changes (lib/invalidation.ts).
 */
async function todayAgain(dataDir: string): Promise<number> {
  const app = await signedInPage(dataDir, [TODAY_ROWS, LIST_ROWS]);
  try {
    await openFromToday(app.page, '/equipment');
    await markOf(app.page, LIST_ROWS);
    await settled(app.page);
    forgetMark(app.page, TODAY_ROWS);
    const at = await app.page.evaluate((sel) => {
      // Today's rows left with its screen: watch for them anew.
      delete (window as unknown as { __marks: Record<string, number> }).__marks[sel];
      const t = performance.now();
      window.location.hash = '/';
      return t;
    }, TODAY_ROWS);
    return (await markOf(app.page, TODAY_ROWS)) - at;
  } finally {
    await app.close();
  }
}

/** The equipment list, opened from Today: from the click to its first rows shown. */
async function listFirstRows(dataDir: string): Promise<number> {
  const app = await signedInPage(dataDir, [TODAY_ROWS, LIST_ROWS]);
  try {
    const opened = await openFromToday(app.page, '/equipment');
    return (await markOf(app.page, LIST_ROWS)) - opened;
  } finally {
    await app.close();
  }
}

/**
 * The harness's share (a breakdown, not a screen line): one round trip of the Today question
 * through the bridge that stands in for Electron's IPC (page → Playwright binding → back end →
 * back), beside the same call made to the back end directly. Measured on a page at rest (Today
 * shown), one call at a time.
 */
async function bridgeRoundTrip(dataDir: string, input: unknown, times = 9): Promise<{ page: number; backend: number }> {
  const app = await signedInPage(dataDir, [TODAY_ROWS]);
  try {
    await markOf(app.page, TODAY_ROWS);
    await app.page.waitForTimeout(500);
    const page = await app.page.evaluate(
      async ({ input, times }) => {
        const out: number[] = [];
        for (let i = 0; i < times; i++) {
          const t = performance.now();
          await (window as unknown as { api: { invoke: (c: string, i: unknown) => Promise<unknown> } }).api.invoke('due.today', input);
          out.push(performance.now() - t);
        }
        return out;
      },
      { input, times },
    );
    const backend: number[] = [];
    for (let i = 0; i < times; i++) {
      const t = performance.now();
      await app.backend.invoke(app.session, 'due.today', input);
      backend.push(performance.now() - t);
    }
    return { page: median(page), backend: median(backend) };
  } finally {
    await app.close();
  }
}

interface ScrollStats {
  frames: number;
  over16: number;
  over25: number;
  over50: number;
  longest: number;
  loadingFrames: number;
  /** Frames where the rows in view were all still there but some later were loading: not counted. */
  seconds: number;
}

/**
 * Scrolls `rows` rows of 40 px at a fast wheel's pace (6,000 px a second, time-based as a wheel is:
 * a slow frame means a longer jump), recording each frame's time since the last and whether any
 * row in view shows "Loading…".
 */
async function scrollFrames(page: Page, scroller: string, rows: number, pxPerSecond = 6000): Promise<ScrollStats> {
  return page.evaluate(
    ({ scroller, distance, pxPerSecond }) =>
      new Promise<ScrollStats>((resolve) => {
        const el = document.querySelector<HTMLElement>(scroller)!;
        const deltas: number[] = [];
        let loadingFrames = 0;
        let start = 0;
        let last = 0;
        const frame = (t: number) => {
          if (start === 0) {
            start = t;
            last = t;
          } else {
            deltas.push(t - last);
            last = t;
            const view = el.getBoundingClientRect();
            for (const row of el.querySelectorAll('.loading')) {
              const r = row.getBoundingClientRect();
              if (r.bottom > view.top && r.top < view.bottom) {
                loadingFrames++;
                break;
              }
            }
          }
          const target = Math.min(distance, ((t - start) / 1000) * pxPerSecond);
          el.scrollTop = target;
          if (target >= distance) {
            const s = [...deltas];
            resolve({
              frames: s.length,
              over16: s.filter((d) => d > 16.7).length,
              over25: s.filter((d) => d > 25).length,
              over50: s.filter((d) => d > 50).length,
              longest: Math.max(0, ...s),
              loadingFrames,
              seconds: (t - start) / 1000,
            });
            return;
          }
          requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      }),
    { scroller, distance: rows * 40, pxPerSecond },
  );
}

async function scrollList(dataDir: string, rows: number): Promise<ScrollStats> {
  const app = await signedInPage(dataDir, [TODAY_ROWS, LIST_ROWS]);
  try {
    await openFromToday(app.page, '/equipment');
    await markOf(app.page, LIST_ROWS);
    return await scrollFrames(app.page, '.vtable-scroll', rows);
  } finally {
    await app.close();
  }
}

/** The floor: a blank scroller of the same height in the same page, scrolled the same way. */
async function scrollBlank(dataDir: string, rows: number): Promise<ScrollStats> {
  const app = await signedInPage(dataDir, [TODAY_ROWS, LIST_ROWS]);
  try {
    await openFromToday(app.page, '/equipment');
    await markOf(app.page, LIST_ROWS);
    await app.page.evaluate(
      (height) => {
        const box = document.createElement('div');
        box.id = 'bench-blank';
        box.style.cssText = 'position:fixed;inset:0;overflow:auto;background:#fff;z-index:99999';
        const inner = document.createElement('div');
        inner.style.height = `${height}px`;
        box.appendChild(inner);
        document.body.appendChild(box);
      },
      rows * 40 + 2000,
    );
    return await scrollFrames(app.page, '#bench-blank', rows);
  } finally {
    await app.close();
  }
}

/** The built renderer's size: everything, and what the first screen (sign-in) loads. */
function bundleBytes(): { total: number; gzip: number; js: number } {
  let total = 0;
  let gzip = 0;
  let js = 0;
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(js|css|html)$/.test(name)) {
        const body = readFileSync(p);
        total += body.length;
        gzip += gzipSync(body).length;
        if (name.endsWith('.js')) js += body.length;
      }
    }
  };
  walk(RENDERER_DIR);
  return { total, gzip, js };
}

export async function chromiumLines(
  dataDir: string,
  emptyDir: string,
  log: (l: string) => void,
  options: { scrollRows: number; rounds: number },
): Promise<Line[]> {
  const lines: Line[] = [];
  try {
    // A data folder's first start runs the deep check after the window (every page, the whole
    // trail: about a minute at 50k, eight at 200k), and a window closed meanwhile leaves its worker
    // running to the end, so every launch before it ended would start another beside the screens
    // being timed. Done once here and awaited, as on any later start (the bench clock keeps it recent).
    for (const dir of [dataDir, emptyDir]) {
      const core = openBeforeWindow(dir, benchClock);
      await checksAfterWindow(createBackend(core));
      closeAtQuit(core);
    }
    // Warm the browser and the server once: the app's own start does not include starting Chromium.
    await startToSignIn(emptyDir);

    const start: number[] = [];
    const startFloor: number[] = [];
    const today: number[] = [];
    const todayFloor: number[] = [];
    const list: number[] = [];
    const listFloor: number[] = [];
    const again: number[] = [];
    const againFloor: number[] = [];
    for (let r = 0; r < options.rounds; r++) {
      start.push(await startToSignIn(dataDir));
      startFloor.push(await startToSignIn(emptyDir));
      today.push(await openToday(dataDir));
      todayFloor.push(await openToday(emptyDir));
      list.push(await listFirstRows(dataDir));
      listFloor.push(await listFirstRows(emptyDir));
      again.push(await todayAgain(dataDir));
      againFloor.push(await todayAgain(emptyDir));
    }
    log(`  start-up ${Math.round(median(start))} ms, Today ${Math.round(median(today))} ms, list ${Math.round(median(list))} ms`);
    // The Today question as the app asks it at start, and a question answered at once.
    const bridge = await bridgeRoundTrip(dataDir, TODAY_START_INPUT);
    const bridgeEmpty = await bridgeRoundTrip(emptyDir, TODAY_START_INPUT);
    lines.push({
      group: 'startup',
      what: 'start-up to interactive (sign-in screen), Chromium',
      unit: 'ms',
      value: median(start),
      floor: median(startFloor),
      floorWhat: 'same bundle, empty hospital',
      target: '< 1.5 s',
      ok: median(start) < 1500,
    });
    lines.push({
      group: 'today',
      what: 'open Today (whole hospital), Chromium',
      unit: 'ms',
      value: median(today),
      floor: median(todayFloor),
      floorWhat: 'same bundle, empty hospital',
      target: '< 300 ms',
      ok: median(today) < 300,
    });
    lines.push({
      group: 'today',
      what: 'Today opened again from the equipment list, Chromium',
      unit: 'ms',
      value: median(again),
      floor: median(againFloor),
      floorWhat: 'same bundle, empty hospital',
      target: '< 300 ms (beside the line above, not for it)',
      ok: median(again) < 300,
    });
    lines.push({
      group: 'today',
      what: 'of which the harness: one due.today (100 rows) through the bridge',
      unit: 'ms',
      value: bridge.page,
      floor: bridge.backend,
      floorWhat: 'the back end alone',
      target: 'reported (Electron IPC instead)',
      ok: null,
    });
    lines.push({
      group: 'today',
      what: 'of which the harness: the same, empty hospital',
      unit: 'ms',
      value: bridgeEmpty.page,
      floor: bridgeEmpty.backend,
      floorWhat: 'the back end alone',
      target: 'reported (Electron IPC instead)',
      ok: null,
    });
    lines.push({
      group: 'list',
      what: 'equipment list shows rows after load',
      unit: 'ms',
      value: median(list),
      floor: median(listFloor),
      floorWhat: 'same bundle, empty hospital',
      target: '< 300 ms',
      ok: median(list) < 300,
    });

    const scrolls: ScrollStats[] = [];
    const blanks: ScrollStats[] = [];
    for (let r = 0; r < 2; r++) {
      scrolls.push(await scrollList(dataDir, options.scrollRows));
      blanks.push(await scrollBlank(dataDir, options.scrollRows));
    }
    const m = (list: ScrollStats[], k: keyof ScrollStats) => median(list.map((s) => s[k]));
    log(`  scroll: ${JSON.stringify(scrolls)}\n  blank: ${JSON.stringify(blanks)}`);
    const rowsText = `${options.scrollRows.toLocaleString('en')} rows at 6,000 px/s`;
    lines.push({
      group: 'scroll',
      what: `scrolling ${rowsText}: frames over 16.7 ms (of ${Math.round(m(scrolls, 'frames'))})`,
      unit: 'frames',
      value: m(scrolls, 'over16'),
      floor: m(blanks, 'over16'),
      floorWhat: 'blank scroller',
      target: 'reported',
      ok: null,
    });
    lines.push({
      group: 'scroll',
      what: 'scrolling: frames over 50 ms',
      unit: 'frames',
      value: m(scrolls, 'over50'),
      floor: m(blanks, 'over50'),
      floorWhat: 'blank scroller',
      target: '0',
      ok: m(scrolls, 'over50') === 0,
    });
    lines.push({
      group: 'scroll',
      what: 'scrolling: longest frame',
      unit: 'ms',
      value: m(scrolls, 'longest'),
      floor: m(blanks, 'longest'),
      floorWhat: 'blank scroller',
      target: '≤ 50 ms',
      ok: m(scrolls, 'longest') <= 50,
    });
    lines.push({
      group: 'scroll',
      what: 'scrolling: frames showing "Loading…" rows',
      unit: 'frames',
      value: m(scrolls, 'loadingFrames'),
      floor: null,
      floorWhat: '',
      target: '0',
      ok: m(scrolls, 'loadingFrames') === 0,
    });

    const first = { first: 0 };
    await startToSignIn(emptyDir, first);
    const b = bundleBytes();
    lines.push({
      group: 'bundle',
      what: 'renderer bundle, every screen (minified JS, CSS, HTML)',
      unit: 'KB',
      value: b.total / 1024,
      floor: null,
      floorWhat: `gzip ${Math.round(b.gzip / 1024)} KB`,
      target: 'minified',
      ok: null,
    });
    lines.push({
      group: 'bundle',
      what: 'first screen (sign-in) loads',
      unit: 'KB',
      value: first.first / 1024,
      floor: b.total / 1024,
      floorWhat: 'every screen',
      target: 'only what it needs',
      ok: judged(first.first, b.total, null, 0.8),
    });
    void BENCH_TODAY;
  } finally {
    await shutdown();
  }
  return lines;
}
