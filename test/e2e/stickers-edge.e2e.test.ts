import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { format, subDays } from 'date-fns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../main/core/dispatcher/transaction';
import { recordCompletion } from '../../main/core/completions/record';
import type { LabelStockId, Symbology } from '../../shared/domain/report-stickers';
import { LABEL_STOCKS } from '../../shared/domain/report-stickers';
import { printRoute } from '../../renderer/src/lib/print-route';
import { testActor, tempDir } from '../helpers/core';
import { decodeBarcode, mmToPx, pdfInfo, renderPageGray } from '../helpers/pdf';
import { device, plan } from '../integration/plans/fixtures';
import type { LaunchedApp } from './harness';
import { launchApp, shutdown } from './harness';
import { createFirstAdmin, pageValue } from './steps';

/**
 * Stickers for the devices that break labels: a 64-character tag (the longest allowed), tags in
 * Arabic and with an emoji, a failed device's DO NOT USE sticker, on every label stock with each
 * code. What a ward checks: the code scans back to the tag, the tag is printed whole, and DO NOT
 * USE is on the label whole.
 */

const OUT = path.resolve('test-results/print');
mkdirSync(OUT, { recursive: true });
const DPI = 300;
/** Code 128 bars thinner than this (7.5 mil) do not scan from a label printer's print. */
const MIN_MODULE_MM = 0.19;

const LONG_TAG = 'WK-ICU-INFUSION-PUMP-ALARIS-GH-8100-SERIAL-00012345678-ROOM-4B07';
const LONG_FAILED = 'WK-THEATRE-3-DEFIBRILLATOR-LIFEPAK-15-SERIAL-0000000042-BAY-12AB';
const MID_TAG = 'GH-ICU-VENT-000123';
const FAILED = 'DNU-0001';
const ARABIC = 'مضخة-٠٠٧';
const EMOJI = 'PUMP-😀-1';
/** In print order: the failed devices, then the rest. */
const TAGS = [FAILED, LONG_FAILED, LONG_TAG, MID_TAG, ARABIC, EMOJI];
/** Tags Code 128 carries on every stock (ASCII, short enough): printed as asked. */
const CODE128_FITS = new Set([FAILED, MID_TAG]);

let app: LaunchedApp;
const ids = new Map<string, string>();

function seedDevice(tag: string, name: string, outcome: 'pass' | 'fail') {
  const core = app.backend.core;
  const now = new Date();
  const id = device(core, tag, { name, location: 'General Hospital > Ward 1 > Bay 1', risk: 'high' });
  const cal = plan(core, id, 'calibration', '1y', format(subDays(now, 20), 'yyyy-MM-dd'));
  inTransaction(core, (core) =>
    recordCompletion(core, testActor, {
      planId: cal.id,
      performedAt: new Date(now.getTime() - 60_000).toISOString(),
      outcome,
      performedByName: 'Grace Hopper',
      source: 'app',
    }),
  );
  ids.set(tag, id);
}

beforeAll(async () => {
  app = await launchApp({ dataDir: tempDir() });
  await createFirstAdmin(app.page);
  await pageValue(app.page, 'settings.update', { dateFormat: 'dd/MM/yyyy', hospitalName: 'General Hospital' });
  expect(LONG_TAG.length).toBe(64);
  expect(LONG_FAILED.length).toBe(64);
  seedDevice(FAILED, 'Defibrillator, biphasic, with a long name that fills the line', 'fail');
  seedDevice(LONG_FAILED, 'Defibrillator', 'fail');
  seedDevice(LONG_TAG, 'Volumetricinfusionpumpwithdoseerrorreductionsoftwareandwirelessconnectivitymodule', 'pass');
  seedDevice(MID_TAG, 'Ventilator', 'pass');
  seedDevice(ARABIC, 'مضخة تسريب حجمية', 'pass');
  seedDevice(EMOJI, 'Emoji pump 😀', 'pass');
}, 120_000);
afterAll(async () => {
  await app?.close();
  await shutdown();
});

interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
}
interface StickerGeometry {
  tag: string;
  sticker: Box;
  code: Box;
  drawn: string;
  moduleMm: number | null;
  tagBox: Box;
  tagCut: boolean;
  words: Box;
  /** The calibration and next-due lines: their words and whether they print whole. */
  lines: { text: string; box: Box; cut: boolean }[];
  dnu: { box: Box; cut: boolean; crushed: boolean } | null;
}

/** Prints the stickers to a PDF and measures each label as laid out for print (CSS px). */
async function printStickers(stock: LabelStockId, symbology: Symbology): Promise<{ file: string; labels: StickerGeometry[] }> {
  const page = await app.context.newPage();
  await page.emulateMedia({ media: 'print' });
  await page.goto(`${new URL(app.page.url()).origin}/#${printRoute('stickers', { equipmentIds: TAGS.map((t) => ids.get(t)!), stock, symbology })}`);
  await page.waitForSelector('html[data-print-state="ready"]', { state: 'attached' });
  const labels = await page.evaluate(() => {
    const box = (e: Element) => {
      const r = e.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
    };
    return [...document.querySelectorAll('.sticker:not(.blank)')].map((s) => {
      const img = s.querySelector('.sticker-code img') as HTMLImageElement;
      const tag = s.querySelector('.sticker-tag') as HTMLElement;
      const dnu = s.querySelector('.sticker-dnu') as HTMLElement | null;
      // The narrowest bar: bwip-js draws each bar as a stroke as wide as the bar, in viewBox units.
      const svg = decodeURIComponent(img.src);
      const units = Number(/viewBox="0 0 ([\d.]+) /.exec(svg)?.[1]);
      const thinnest = Math.min(...[...svg.matchAll(/stroke-width="([\d.]+)"/g)].map((m) => Number(m[1])));
      const drawn = img.classList.contains('barcode-code128') ? 'code128' : 'qr';
      return {
        tag: (s as HTMLElement).dataset.tag!,
        sticker: box(s),
        code: box(img),
        drawn,
        moduleMm: drawn === 'code128' ? (((img.getBoundingClientRect().width / 96) * 25.4) / units) * thinnest : null,
        tagBox: box(tag),
        tagCut: tag.scrollWidth > tag.clientWidth + 1 || tag.scrollHeight > tag.clientHeight + 1,
        words: box(s.querySelector('.sticker-text')!),
        lines: [...s.querySelectorAll<HTMLElement>('.sticker-line')].map((p) => ({
          text: p.textContent ?? '',
          box: box(p),
          cut: p.scrollWidth > p.clientWidth + 1 || p.scrollHeight > p.clientHeight + 1,
        })),
        dnu: dnu
          ? {
              box: box(dnu),
              cut: dnu.scrollHeight > dnu.clientHeight + 1,
              crushed: dnu.getBoundingClientRect().height < parseFloat(getComputedStyle(dnu).fontSize),
            }
          : null,
      };
    });
  });
  const file = path.join(OUT, `stickers-edge-${stock}-${symbology}.pdf`);
  await page.pdf({ path: file, preferCSSPageSize: true, printBackground: true });
  await page.close();
  return { file, labels };
}

/** The text printed on one label: page `page`, the cell at `at` (mm) of `size` (mm). */
function labelText(file: string, page: number, at: { x: number; y: number }, size: { width: number; height: number }): string {
  const pt = (mm: number) => String(Math.round((mm / 25.4) * 72));
  return execFileSync(
    'pdftotext',
    ['-layout', '-enc', 'UTF-8', '-r', '72', '-f', String(page), '-l', String(page), '-x', pt(at.x), '-y', pt(at.y), '-W', pt(size.width), '-H', pt(size.height), file, '-'],
    { encoding: 'utf8' },
  );
}

const inside = (inner: Box, outer: Box) =>
  inner.top >= outer.top - 0.5 && inner.bottom <= outer.bottom + 0.5 && inner.left >= outer.left - 0.5 && inner.right <= outer.right + 0.5;
const pxToMm = (px: number) => (px / 96) * 25.4;

/** Everything wrong with the stickers of one stock and code, in words (empty when all is well). */
async function problems(stock: LabelStockId, symbology: Symbology): Promise<string[]> {
  const { file, labels } = await printStickers(stock, symbology);
  const spec = LABEL_STOCKS[stock];
  const out: string[] = [];
  const say = (tag: string, what: string) => out.push(`${stock} ${symbology}, ${tag}: ${what}`);
  expect(labels.map((l) => l.tag)).toEqual(TAGS);

  const roll = spec.kind === 'roll';
  expect(pdfInfo(file).pages).toBe(roll ? TAGS.length : 1);
  const sheet = roll ? null : renderPageGray(file, 1, DPI);
  labels.forEach((l, i) => {
    // Where this label sits on its page (mm): a roll label is its page, a sheet has cells.
    const cell = roll
      ? { x: 0, y: 0 }
      : {
          x: spec.margin.left + (i % spec.columns) * (spec.size.width + spec.gap.x),
          y: spec.margin.top + Math.floor(i / spec.columns) * (spec.size.height + spec.gap.y),
        };
    // A scanner aimed at the code: its own box and a margin round it (tried at three margins, as a
    // hand moves: zxing's finder misses the odd QR code at one exact crop).
    const image = sheet ?? renderPageGray(file, i + 1, DPI);
    const reads = [1, 2, 3].map((m) =>
      decodeBarcode(image, {
        left: mmToPx(cell.x + pxToMm(l.code.left - l.sticker.left) - m, DPI),
        top: mmToPx(cell.y + pxToMm(l.code.top - l.sticker.top) - m, DPI),
        width: mmToPx(pxToMm(l.code.right - l.code.left) + 2 * m, DPI),
        height: mmToPx(pxToMm(l.code.bottom - l.code.top) + 2 * m, DPI),
      }),
    );
    if (!reads.includes(l.tag) || reads.some((r) => r !== null && r !== l.tag)) say(l.tag, `the code reads ${JSON.stringify(reads)}`);
    // The words on this label (pdftotext reads a wrapped tag's lines apart: spaces do not count).
    const words = labelText(file, roll ? i + 1 : 1, cell, spec.size).replace(/\s+/g, '');
    if (/^[\x20-\x7e]+$/.test(l.tag) && !words.includes(l.tag)) say(l.tag, `the tag is not printed whole: ${words}`);
    if (words.includes('DONOTUSE') !== (l.dnu !== null)) say(l.tag, `DO NOT USE ${l.dnu ? 'missing from' : 'on'} the printed label`);
    const asked = symbology === 'qr' || CODE128_FITS.has(l.tag) ? symbology : 'qr';
    if (l.drawn !== asked) say(l.tag, `drawn as ${l.drawn}, expected ${asked}`);
    if (l.moduleMm !== null && l.moduleMm < MIN_MODULE_MM) say(l.tag, `Code 128 bars ${l.moduleMm.toFixed(3)} mm wide, too thin to scan`);
    if (!inside(l.code, l.sticker)) say(l.tag, 'the code runs off the label');
    if (l.tagCut) say(l.tag, 'the printed tag is cut short');
    if (!inside(l.tagBox, l.sticker) || !inside(l.tagBox, l.words)) say(l.tag, 'the printed tag is (partly) off the label');
    for (const line of l.lines) {
      if (line.cut || !inside(line.box, l.sticker)) say(l.tag, `"${line.text}" does not print whole`);
    }
    const failed = l.tag === FAILED || l.tag === LONG_FAILED;
    if (!failed && !(l.lines.length === 2 && /^Calibrated \S+ by GH$/.test(l.lines[0]!.text))) say(l.tag, `calibration lines: ${JSON.stringify(l.lines.map((x) => x.text))}`);
    if (failed !== (l.dnu !== null)) say(l.tag, failed ? 'no DO NOT USE band' : 'a DO NOT USE band on a device that passed');
    if (l.dnu) {
      if (!inside(l.dnu.box, l.sticker)) say(l.tag, 'the DO NOT USE band runs off the label');
      if (l.dnu.cut || l.dnu.crushed) say(l.tag, 'the DO NOT USE band is squeezed shorter than its words');
    }
  });
  return out;
}

describe('stickers for awkward tags: every code scans back, the tag prints whole, DO NOT USE prints whole', () => {
  for (const stock of ['a4-3x8', 'letter-3x10', 'roll-62x29', 'roll-50x25'] as const) {
    it(`${LABEL_STOCKS[stock].label}: Code 128 asked (QR for tags it cannot carry) and QR asked`, async () => {
      const found = [...(await problems(stock, 'code128')), ...(await problems(stock, 'qr'))];
      expect(found).toEqual([]);
    });
  }
});
