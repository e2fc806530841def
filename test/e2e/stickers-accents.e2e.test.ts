import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { format, subDays } from 'date-fns';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../main/core/dispatcher/transaction';
import { recordCompletion } from '../../main/core/completions/record';
import type { LabelStockId, Symbology } from '../../shared/domain/report-stickers';
import { LABEL_STOCKS } from '../../shared/domain/report-stickers';
import { printRoute } from '../../renderer/src/lib/print-route';
import { testActor, tempDir } from '../helpers/core';
import { device, plan } from '../integration/plans/fixtures';
import type { LaunchedApp } from './harness';
import { launchApp, shutdown } from './harness';
import { createFirstAdmin, pageValue } from './steps';

/**
 * Stickers whose words stand out of their line boxes: an accent on a capital ("É", "Å", "Î") above,
 * the tail of a "g" below. Every line of words is cut to fit its label (an ellipsis, a clamp, the
 * words' column), and a cut at the line box took the accents off: "Échographe" would print as
 * "Echographe" on a sticker read for years. What is printed must be what the letters draw when
 * nothing clips them, on every stock with each code; and a reason clamped to its lines must show
 * nothing (not an accent) of the lines it hides.
 */

const OUT = path.resolve('test-results/print');
mkdirSync(OUT, { recursive: true });
/** Device pixels per CSS pixel: 384 dpi, finer than a label printer's 300, so a lost accent shows in the pixels. */
const SCALE = 4;

const NAME = 'Échographe Åsa Øgyp';
/** In print order. Each fits its lines, so nothing needs cutting: all that could go is the letters' ink. */
const CALIBRATED = 'US-0001';
/** A tag with accents (Code 128 cannot carry it: a QR code on every stock). */
const ACCENTED_TAG = 'ÅS-ÉCG-02';
/** DO NOT USE, with a reason of a line. */
const MISSING = 'US-0003';
/** DO NOT USE, with a reason longer than its lines (two on A4, one elsewhere): the rest is hidden. */
const LONG_REASON = 'US-0004';
const TAGS = [CALIBRATED, ACCENTED_TAG, MISSING, LONG_REASON];

let app: LaunchedApp;
const ids: string[] = [];

function calibrated(tag: string, name: string): string {
  const core = app.backend.core;
  const now = new Date();
  const id = device(core, tag, { name, location: 'General Hospital > Ward 1 > Bay 1', risk: 'high' });
  const cal = plan(core, id, 'calibration', '1y', format(subDays(now, 20), 'yyyy-MM-dd'));
  inTransaction(core, (core) =>
    recordCompletion(core, testActor, {
      planId: cal.id,
      performedAt: new Date(now.getTime() - 60_000).toISOString(),
      outcome: 'pass',
      // Initials "ÅØ" on the calibration line.
      performedByName: 'Åsa Øberg',
      source: 'app',
    }),
  );
  ids.push(id);
  return id;
}

beforeAll(async () => {
  app = await launchApp({ dataDir: tempDir() });
  await createFirstAdmin(app.page);
  await pageValue(app.page, 'settings.update', { dateFormat: 'dd/MM/yyyy', hospitalName: 'General Hospital' });
  calibrated(CALIBRATED, NAME);
  calibrated(ACCENTED_TAG, 'Île Øgyp');
  // A device found missing: its sticker says DO NOT USE and why, in the supervisor's words.
  const missing = calibrated(MISSING, NAME);
  await pageValue(app.page, 'equipment.setStatus', { id: missing, status: 'missing', reason: 'Égaré, Île' });
  const long = calibrated(LONG_REASON, NAME);
  await pageValue(app.page, 'equipment.setStatus', {
    id: long,
    status: 'missing',
    reason: Array.from({ length: 12 }, () => 'Égaré Île Åsa Øgyp').join(' '),
  });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await shutdown();
});

interface Clip {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The stickers' print view as printed (print media), and a screenshot of a part at SCALE device pixels per CSS pixel. */
async function openStickers(stock: LabelStockId, symbology: Symbology): Promise<{ page: Page; shot: (clip: Clip) => Promise<Buffer> }> {
  const page = await app.context.newPage();
  const cdp = await app.context.newCDPSession(page);
  await cdp.send('Emulation.setDeviceMetricsOverride', { width: 1366, height: 768, deviceScaleFactor: SCALE, mobile: false });
  await page.emulateMedia({ media: 'print' });
  await page.goto(`${new URL(app.page.url()).origin}/#${printRoute('stickers', { equipmentIds: ids, stock, symbology })}`);
  await page.waitForSelector('html[data-print-state="ready"]', { state: 'attached' });
  // Playwright's screenshot is taken at the context's scale (1); the page's own protocol call takes the device's.
  const shot = async (clip: Clip) => {
    const { data } = await cdp.send('Page.captureScreenshot', { format: 'png', clip: { ...clip, scale: SCALE } });
    return Buffer.from(data, 'base64');
  };
  return { page, shot };
}

/**
 * How a line of words is printed, compared with what its letters draw when nothing clips them: the
 * same pixels, a few above and below its box included, with its clips (its own, the words' column's,
 * the label's, a colour that hides lines) on and off. The text of the lines below its box (a clamp's
 * hidden lines) is meant to be hidden, so it is kept in its place, invisible, with the clips off.
 * `whole`: the lines shown are drawn whole. `hides`: nothing of the hidden lines is drawn.
 */
async function drawn(shot: (clip: Clip) => Promise<Buffer>, element: Locator): Promise<{ whole: boolean; hides: boolean }> {
  const box = (await element.boundingBox())!;
  const clip = { x: box.x, y: box.y - 4, width: box.width, height: box.height + 8 };
  const seen = await shot(clip);
  const hidden = await element.evaluate((el) => {
    const before = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const bottom = before.bottom - parseFloat(style.paddingBottom) - parseFloat(style.borderBottomWidth);
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const texts: Text[] = [];
    while (walker.nextNode()) texts.push(walker.currentNode as Text);
    for (const text of texts) {
      for (let i = 0; i < text.length; i++) {
        const range = document.createRange();
        range.setStart(text, i);
        range.setEnd(text, i + 1);
        const rect = [...range.getClientRects()].find((r) => r.width > 0);
        if (rect && rect.top >= bottom - 0.5) {
          const span = document.createElement('span');
          span.dataset.hiddenLines = '';
          span.style.visibility = 'hidden';
          const rest = text.splitText(i);
          rest.replaceWith(span);
          span.append(rest);
          break;
        }
      }
    }
    const after = el.getBoundingClientRect();
    return {
      lines: el.querySelectorAll('span[data-hidden-lines]').length > 0,
      unmoved: after.top === before.top && after.bottom === before.bottom && after.left === before.left && after.right === before.right,
    };
  });
  expect(hidden.unmoved, 'the line stays where it is with its hidden lines marked').toBe(true);
  const shown = hidden.lines ? await shot(clip) : seen;
  const unclipped = await element.evaluate((el) => {
    const before = el.getBoundingClientRect();
    for (const e of [el, el.closest('.sticker-text'), el.closest('.sticker')]) {
      if (e instanceof HTMLElement) Object.assign(e.style, { overflow: 'visible', clipPath: 'none' });
    }
    // Every line in the colour of the first: a colour that hides lines is a clip too.
    (el as HTMLElement).style.color = getComputedStyle(el, '::first-line').color;
    const after = el.getBoundingClientRect();
    return after.top === before.top && after.bottom === before.bottom && after.left === before.left && after.right === before.right;
  });
  const whole = await shot(clip);
  await element.evaluate((el) => {
    for (const span of el.querySelectorAll('span[data-hidden-lines]')) span.replaceWith(...span.childNodes);
    el.normalize();
    (el as HTMLElement).style.color = '';
    for (const e of [el, el.closest('.sticker-text'), el.closest('.sticker')]) {
      if (e instanceof HTMLElement) Object.assign(e.style, { overflow: '', clipPath: '' });
    }
  });
  expect(unclipped, 'the line stays where it is with its clips off').toBe(true);
  return { whole: shown.equals(whole), hides: seen.equals(shown) };
}

/**
 * Every line of words on the stickers of one stock and code not printed whole, and every reason that
 * shows ink of the lines it hides, in words (empty when all is well).
 */
async function cutLines(stock: LabelStockId, symbology: Symbology): Promise<string[]> {
  const { page, shot } = await openStickers(stock, symbology);
  const out: string[] = [];
  const stickers = page.locator('.sticker:not(.blank)');
  expect(await stickers.evaluateAll((all) => all.map((s) => (s as HTMLElement).dataset.tag))).toEqual(TAGS);
  for (const [i, tag] of TAGS.entries()) {
    const lines = stickers.nth(i).locator('p');
    const count = await lines.count();
    expect(count).toBeGreaterThanOrEqual(3);
    for (let j = 0; j < count; j++) {
      const line = lines.nth(j);
      const { kind, text, fits, clamp } = await line.evaluate((el) => ({
        kind: el.className,
        text: el.textContent ?? '',
        fits: el.scrollWidth <= el.clientWidth,
        clamp: getComputedStyle(el).getPropertyValue('-webkit-line-clamp'),
      }));
      // Nothing is cut off the end by an ellipsis, which is drawn only while clipped (hidden lines aside).
      expect(fits, `${stock} ${symbology}, ${tag}: "${text}" fits across its label`).toBe(true);
      const { whole, hides } = await drawn(shot, line);
      if (!whole) out.push(`${stock} ${symbology}, ${tag}: ${kind} "${text}" is not drawn whole`);
      // A clamped reason hides the rest whole: no accent of a hidden line shows under the last it shows.
      if (!hides) out.push(`${stock} ${symbology}, ${tag}: ${kind} (${clamp === 'none' ? 'not clamped' : `${clamp} lines`}) shows ink of the lines it hides`);
    }
  }
  // The sheet or roll as printed, to look at (test-results/print).
  await page.pdf({ path: path.join(OUT, `stickers-accents-${stock}-${symbology}.pdf`), preferCSSPageSize: true, printBackground: true });
  await page.close();
  return out;
}

describe('stickers print an accent on a capital and the tail of a g whole', () => {
  for (const stock of ['a4-3x8', 'letter-3x10', 'roll-62x29', 'roll-50x25'] as const) {
    it(`${LABEL_STOCKS[stock].label}: every line of words on a calibrated and a DO NOT USE sticker, Code 128 and QR`, async () => {
      const found = [...(await cutLines(stock, 'code128')), ...(await cutLines(stock, 'qr'))];
      expect(found).toEqual([]);
    });
  }
});
