import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { addDays, format } from 'date-fns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../main/core/dispatcher/transaction';
import { recordCompletion } from '../../main/core/completions/record';
import type { Paper, PrintView } from '../../shared/domain/report';
import { printRoute } from '../../renderer/src/lib/print-route';
import { testActor, tempDir } from '../helpers/core';
import { inInventorySince } from '../helpers/records';
import { pdfInfo, pdfPagesText, renderPageGray } from '../helpers/pdf';
import { device, done, plan } from '../integration/plans/fixtures';
import { item, level, stock, stockLocation } from '../integration/stock/fixtures';
import type { LaunchedApp } from './harness';
import { launchApp, shutdown } from './harness';
import { createFirstAdmin, pageValue } from './steps';

/**
 * Printouts with the awkward data a ward has: 64-character tags (the longest allowed), names and
 * notes without a space to break at, Arabic and emoji. Nothing may run out of its cell or past the
 * margin, every page must say what it is, and the sign-off never stands alone on a last page.
 */

const OUT = path.resolve('test-results/print');
mkdirSync(OUT, { recursive: true });
const iso = (d: Date) => format(d, 'yyyy-MM-dd');
const ago = (days: number) => iso(addDays(new Date(), -days));

const LONG_TAG = 'WK-ICU-INFUSION-PUMP-ALARIS-GH-8100-SERIAL-00012345678-ROOM-4B07';
const HISTORY_TAG = 'WK-ICU-INFUSION-PUMP-ALARIS-GH-8100-SERIAL-00012345678-ROOM-7C01';
const MID_TAG = 'GH-ICU-VENT-000123'; // 18 characters: a common hospital tag length
const LONG_NAME = 'Volumetricinfusionpumpwithdoseerrorreductionsoftwareandwirelessconnectivitymodule';
const NOTE = `Readings: ${'0123456789'.repeat(12)} see https://example.org/${'a'.repeat(90)}`;

let app: LaunchedApp;
let ward4b = '';
let ward5a = '';
let historyId = '';

/** Prints a view to a PDF; lists every cell whose words run out of it or past the page margin. */
async function print(view: PrintView, params: unknown, paper: Paper, name: string): Promise<{ spills: string[]; file: string }> {
  const page = await app.context.newPage();
  await page.goto(`${new URL(app.page.url()).origin}/#${printRoute(view, params, paper)}`);
  await page.waitForSelector('html[data-print-state="ready"], html[data-print-state="failed"]', { state: 'attached' });
  expect(await page.getAttribute('html', 'data-print-state'), await page.title()).toBe('ready');
  const spills = await page.evaluate(() => {
    const out: string[] = [];
    const doc = document.querySelector('.print-doc')!;
    const docBox = doc.getBoundingClientRect();
    const edge = docBox.right - parseFloat(getComputedStyle(doc).paddingRight);
    for (const cell of doc.querySelectorAll('td, th, dd, p, li, h1, span')) {
      const el = cell as HTMLElement;
      const what = `${el.tagName.toLowerCase()}.${el.className}: "${el.textContent!.slice(0, 50)}"`;
      if (el.tagName !== 'SPAN' && el.scrollWidth > el.clientWidth + 1) out.push(`${what} spills ${el.scrollWidth - el.clientWidth}px`);
      else if (el.getBoundingClientRect().right > edge + 1) out.push(`${what} past the page margin`);
    }
    // A mark under a date (a span) that runs into the next column.
    for (const sub of doc.querySelectorAll('td .print-sub')) {
      const td = sub.closest('td')!;
      if (sub.getBoundingClientRect().right > td.getBoundingClientRect().right + 1) out.push(`span.print-sub: "${sub.textContent}" runs out of its cell`);
    }
    return out;
  });
  const file = path.join(OUT, `layout-${name}-${paper}.pdf`);
  await page.pdf({ path: file, preferCSSPageSize: true, printBackground: true });
  await page.close();
  return { spills: spills.map((s) => `${name} ${paper}: ${s}`), file };
}

/** Every page of the PDF: "Page N of M", and `head` (spaces aside), or what is wrong. */
function pagesWithout(file: string, head: string): string[] {
  const info = pdfInfo(file);
  // Laid out as printed: pdftotext would otherwise join a tag wrapped after a hyphen, dropping it.
  const pages = pdfPagesText(file, { layout: true });
  expect(pages.length).toBe(info.pages);
  return pages.flatMap((t, i) => [
    ...(t.includes(`Page ${i + 1} of ${info.pages}`) ? [] : [`${path.basename(file)} page ${i + 1}: no page number`]),
    ...(t.replace(/\s+/g, '').includes(head.replace(/\s+/g, '')) ? [] : [`${path.basename(file)} page ${i + 1}: no running head "${head}"`]),
  ]);
}

const DPI = 300;
/** The right page margin of each paper (print.css). */
const RIGHT_MARGIN_MM: Record<Paper, number> = { a4: 11, letter: 0.45 * 25.4 };

/**
 * The vertical rules of a printed page (the tables' borders): runs of columns of pixels dark down
 * much of the page, each with where it ends and its weight (pixels of ink across, anti-aliasing counted).
 */
function verticalRules(file: string, pageNo: number): { widthMm: number; rules: { toMm: number; weight: number }[] } {
  const { width, height, data } = renderPageGray(file, pageNo, DPI);
  const dark = new Array<number>(width).fill(0);
  const ink = new Array<number>(width).fill(0);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const v = data[y * width + x]!;
      if (v < 160) dark[x]!++;
      ink[x]! += 255 - v;
    }
  const tallest = Math.max(...dark);
  const rules: { toMm: number; weight: number }[] = [];
  for (let x = 0; x < width; x++) {
    if (dark[x]! < 0.4 * tallest) continue;
    let from = x;
    while (from > 0 && dark[from - 1]! > 0.1 * tallest) from--;
    let to = x;
    while (to + 1 < width && dark[to + 1]! > 0.1 * tallest) to++;
    let sum = 0;
    let length = 0;
    for (let i = from; i <= to; i++) {
      sum += ink[i]!;
      length = Math.max(length, dark[i]!);
    }
    rules.push({ toMm: ((to + 1) / DPI) * 25.4, weight: sum / 255 / length });
    x = to;
  }
  return { widthMm: (width / DPI) * 25.4, rules };
}

/** The first `pages` pages of a PDF whose tables' right border is cut thin at the edge, or runs past the margin. */
function rightBorderProblems(file: string, paper: Paper, pages = 1): string[] {
  const out: string[] = [];
  const hairline = DPI / 96; // the tables' 0.5pt rules print one CSS pixel wide
  for (let p = 1; p <= Math.min(pages, pdfInfo(file).pages); p++) {
    const { widthMm, rules } = verticalRules(file, p);
    const right = rules.at(-1);
    const name = `${path.basename(file)} page ${p}`;
    if (!right || rules.length < 3) {
      out.push(`${name}: no table rules found`);
      continue;
    }
    if (right.weight < 0.85 * hairline) out.push(`${name}: the right border is ${right.weight.toFixed(1)} px of ink, a rule ${hairline.toFixed(1)} (cut at the edge)`);
    if (right.toMm > widthMm - RIGHT_MARGIN_MM[paper] + 0.05) out.push(`${name}: the right border ends ${(right.toMm - widthMm + RIGHT_MARGIN_MM[paper]).toFixed(2)} mm past the margin`);
  }
  return out;
}

beforeAll(async () => {
  app = await launchApp({ dataDir: tempDir() });
  await createFirstAdmin(app.page);
  await pageValue(app.page, 'settings.update', { dateFormat: 'dd.MM.yyyy', hospitalName: 'General Hospital' });
  const core = app.backend.core;
  const today = new Date();

  // Ward 4B: 65 tasks due (66 rows with the device out of service), awkward tags and names.
  const loc = 'General Hospital > Ward 4B > Bay 1';
  const due = (tag: string, name: string, offset: number) => {
    const id = device(core, tag, { name, location: loc, risk: 'high' });
    plan(core, id, 'calibration', '1y', iso(addDays(today, offset)), { windowDays: 0 });
  };
  due(LONG_TAG, 'Infusion pump', -5);
  due(MID_TAG, 'Ventilator', -2);
  due('IP-0001', LONG_NAME, 0);
  due('IP-0002', 'مضخة تسريب حجمية مع برنامج تقليل أخطاء الجرعات', 0);
  due('IP-0003', 'Pump 🚑💉 with emoji 😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀', 0);
  // A defibrillator with a long tag failing its safety test: tagged out, first on the list.
  const defib = device(core, 'GH-DEFIB-LIFEPAK15-0000042', { name: 'Defibrillator', location: loc, risk: 'high' });
  done(core, plan(core, defib, 'electrical_safety', '1y', ago(30)).id, new Date(today.getTime() - 3_600_000).toISOString(), 'fail');
  for (let i = 0; i < 60; i++) due(`MO-${String(i).padStart(4, '0')}`, `Monitor ${i}`, -1 - (i % 9));
  ward4b = (await pageValue(app.page, 'locations.list', {})).find((l: { path: string }) => l.path === 'General Hospital > Ward 4B')!.id;

  // Ward 5A: rooms and a task of the hospital's own whose words are long (in bold, as overdue rows are).
  const ppm = await pageValue(app.page, 'taskTypes.create', {
    label: 'Preventive maintenance',
    formKind: 'plain',
    failTakesOutOfService: false,
    overdueMeansDoNotUse: false,
    failOpensWorkOrder: false,
  });
  const isolation = device(core, 'VP-0001', { name: 'Volumetric pump', location: 'General Hospital > Ward 5A > Isolation room', risk: 'high' });
  plan(core, isolation, 'calibration', '1y', ago(3), { windowDays: 0 });
  const treatment = device(core, 'DF-0001', { name: 'Defibrillator', location: 'General Hospital > Ward 5A > Treatment room', risk: 'high' });
  plan(core, treatment, ppm.code, '6m', ago(4), { windowDays: 0 });
  plan(core, treatment, 'inspection', '1m', iso(today), { windowDays: 0 });
  ward5a = (await pageValue(app.page, 'locations.list', {})).find((l: { path: string }) => l.path === 'General Hospital > Ward 5A')!.id;

  // Ward 7C: a pump with a long history (weekly cleaning), one record with long unbroken notes, and
  // an inspection done on time but entered today (the compliance report marks it "entered ...").
  historyId = device(core, HISTORY_TAG, { name: LONG_NAME, location: 'General Hospital > Ward 7C > Bay 1', risk: 'high' });
  inInventorySince(core, historyId, ago(400));
  const cleaning = plan(core, historyId, 'cleaning', '1w', ago(300));
  for (let d = 300; d > 20; d -= 7) done(core, cleaning.id, `${ago(d)}T09:00:00Z`);
  const es = plan(core, historyId, 'electrical_safety', '1y', ago(30));
  inTransaction(core, (core) =>
    recordCompletion(core, testActor, { planId: es.id, performedAt: `${ago(2)}T10:00:00Z`, outcome: 'pass', notes: NOTE, source: 'app' }),
  );
  const inspection = plan(core, historyId, 'inspection', '1m', ago(100), { windowDays: 0, graceDays: 0 });
  done(core, inspection.id, `${ago(70)}T09:00:00Z`);

  // A repair with an unbroken problem text, and stock with long codes and names, low and expiring.
  await pageValue(app.page, 'workOrders.report', {
    equipmentId: historyId,
    problem: 'Alarm!!!Occlusionalarmsoundscontinuouslyevenwithnolineattachedandthedoorclosed',
    takeOutOfUse: true,
    secret: '2468',
  });
  const cart = stockLocation(core, 'Crash cart with a very long name for the paediatric resuscitation area');
  const tube = item(core, 'SUPPLY-CODE-00000000012345', 'Endotrachealtubecuffedsize7.5withstyletandsyringepaediatric');
  level(core, cart, tube, 10, 5);
  stock(core, cart, tube, 1, 'LOT-2026-000000000000123456', ago(-5));
}, 120_000);
afterAll(async () => {
  await app?.close();
  await shutdown();
});

describe('printouts with long tags, unbroken names and notes, on A4 and Letter', () => {
  it('the due list: tags wrap inside the Tag column of every table, every page has its head, the sign-off comes with the last rows', async () => {
    const found: string[] = [];
    for (const paper of ['a4', 'letter'] as const) {
      const { spills, file } = await print('due-list', { locationIds: [ward4b] }, paper, 'due');
      found.push(...spills, ...pagesWithout(file, 'General Hospital · Due list · as of'));
      const pages = pdfPagesText(file);
      const all = pages.join('\n');
      for (let i = 0; i < 60; i++) expect((all.match(new RegExp(`MO-${String(i).padStart(4, '0')}`, 'g')) ?? []).length, `MO-${i} once`).toBe(1);
      const last = pages.at(-1)!;
      expect(last, `${paper}: the sign-off on the last page`).toContain('Checked by');
      if (!/MO-\d{4}|IP-\d{4}/.test(last)) found.push(`due ${paper}: the sign-off stands alone on the last page`);
    }
    // With the devices out of service: their own table, tags in its Tag column too.
    found.push(...(await print('due-list', { locationIds: [ward4b], outOfService: true }, 'a4', 'due-out-of-service')).spills);
    expect(found).toEqual([]);
  });

  it("a device's history: nothing runs past the edge, and every page names the device", async () => {
    const found: string[] = [];
    for (const paper of ['a4', 'letter'] as const) {
      const { spills, file } = await print('history', { equipmentId: historyId }, paper, 'history');
      expect(pdfInfo(file).pages).toBeGreaterThan(2);
      found.push(...spills, ...pagesWithout(file, HISTORY_TAG));
      expect(pdfPagesText(file).at(-1)).toContain('Reviewed by');
    }
    expect(found).toEqual([]);
  });

  it('the compliance report: the "entered" mark under Done on stays in its cell', async () => {
    const found: string[] = [];
    for (const paper of ['a4', 'letter'] as const) {
      const { spills, file } = await print('compliance', { from: ago(120), to: ago(0) }, paper, 'compliance');
      const text = pdfPagesText(file).join('\n');
      expect(text).toMatch(/entered\s+\d{2}\.\d{2}\.\d{4}/);
      found.push(...spills, ...pagesWithout(file, 'Compliance report'));
    }
    expect(found).toEqual([]);
  });

  it('repairs and stock printouts: a long problem, item name, lot and location stay in their cells (A4, the narrower page)', async () => {
    // Each view, and words of the awkward data it must show.
    const views: [PrintView, unknown, string][] = [
      ['open-work-orders', {}, 'Alarm!!!'],
      ['downtime', { from: ago(30), to: ago(0) }, 'Volumetricinfusion'],
      ['failures', { from: ago(30), to: ago(0) }, 'Volumetricinfusion'],
      ['stock-reorder', {}, 'Endotrachealtube'],
      ['stock-expiry', {}, 'Endotrachealtube'],
    ];
    const found: string[] = [];
    for (const [view, params, shows] of views) {
      const { spills, file } = await print(view, params, 'a4', view);
      expect(pdfPagesText(file).join('').replace(/\s+/g, ''), view).toContain(shows);
      found.push(...spills, ...pagesWithout(file, ''));
    }
    expect(found).toEqual([]);
  });

  it('the due list: the words of a room, a task and a column head are never cut in two (Isolation, Treatment, Preventive maintenance, Done)', async () => {
    const found: string[] = [];
    for (const paper of ['a4', 'letter'] as const) {
      const page = await app.context.newPage();
      await page.goto(`${new URL(app.page.url()).origin}/#${printRoute('due-list', { locationIds: [ward5a] }, paper)}`);
      await page.waitForSelector('html[data-print-state="ready"]', { state: 'attached' });
      const split = await page.evaluate(() => {
        const out: string[] = [];
        for (const cell of document.querySelectorAll('.due-list-print td.col-room, .due-list-print td.col-task, .due-list-print .print-column-heads th')) {
          const text = cell.firstChild;
          if (!text || text.nodeType !== Node.TEXT_NODE) continue;
          for (const word of text.textContent!.matchAll(/\S+/g)) {
            const range = document.createRange();
            range.setStart(text, word.index);
            range.setEnd(text, word.index + word[0].length);
            const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
            if (lines > 1) out.push(`"${word[0]}" (${cell.className}) on ${lines} lines`);
          }
        }
        return out;
      });
      found.push(...split.map((s) => `${paper}: ${s}`));
      await page.close();
    }
    expect(found).toEqual([]);
  });

  it("the due list on A4 and Letter: its tables' right border prints whole, inside the margin, on every page", async () => {
    const found: string[] = [];
    for (const paper of ['a4', 'letter'] as const) {
      found.push(...rightBorderProblems((await print('due-list', { locationIds: [ward4b] }, paper, 'due-edge')).file, paper, 3));
      found.push(...rightBorderProblems((await print('due-list', { locationIds: [ward4b], outOfService: true }, paper, 'due-edge-out')).file, paper, 1));
    }
    expect(found).toEqual([]);
  }, 180_000);

  it("compliance, repairs and stock printouts on A4 and Letter: the tables' right border prints whole, inside the margin", async () => {
    const views: [PrintView, unknown][] = [
      ['compliance', { from: ago(120), to: ago(0) }],
      ['open-work-orders', {}],
      ['downtime', { from: ago(30), to: ago(0) }],
      ['failures', { from: ago(30), to: ago(0) }],
      ['stock-reorder', {}],
      ['stock-expiry', {}],
    ];
    const found: string[] = [];
    for (const [view, params] of views)
      for (const paper of ['a4', 'letter'] as const) found.push(...rightBorderProblems((await print(view, params, paper, `${view}-edge`)).file, paper));
    expect(found).toEqual([]);
  }, 180_000);
});
