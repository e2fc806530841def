import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Paper } from '../../shared/domain/report';
import { printRoute } from '../../renderer/src/lib/print-route';
import { fixedClock, tempDir } from '../helpers/core';
import { pdfPagesText, renderPageGray, renderPagePng } from '../helpers/pdf';
import { device, plan } from '../integration/plans/fixtures';
import type { LaunchedApp } from './harness';
import { launchApp, shutdown } from './harness';
import { createFirstAdmin, pageValue } from './steps';

/**
 * The printed due list's Due date column with the longest dates the one date format can produce.
 * With the setting "locale" the PC's locale gives the order and the separators, and a few locales
 * write 13 characters where dd/MM/yyyy writes 10: Korean and Hungarian "2026. 12. 31.", Croatian
 * "31. 12. 2026.", Bulgarian "31.12.2026 г.". Overdue rows are bold. Each date must print whole, on
 * one line, inside its own cell: measured on the page (DOM) and on the PDF rendered at 300 dpi (no
 * ink of the date near the column's right-hand rule, none past it).
 */

const OUT = path.resolve('test-results/print');
mkdirSync(OUT, { recursive: true });
const DPI = 300;
const px = (mm: number) => Math.round((mm / 25.4) * DPI);
const mm = (pixels: number) => (pixels / DPI) * 25.4;

/** The locales with the longest numeric dates, and how each writes the due dates below (in the list's order, by due date). */
const LOCALES: { locale: string; dates: string[] }[] = [
  { locale: 'ko-KR', dates: ['2026. 11. 30.', '2026. 12. 28.', '2026. 12. 31.', '2027. 01. 08.'] },
  { locale: 'hr-HR', dates: ['30. 11. 2026.', '28. 12. 2026.', '31. 12. 2026.', '08. 01. 2027.'] },
  { locale: 'bg-BG', dates: ['30.11.2026 г.', '28.12.2026 г.', '31.12.2026 г.', '08.01.2027 г.'] },
];

let app: LaunchedApp;
let ward = '';

beforeAll(async () => {
  // Today is 8 January 2027: three rows overdue (bold), one due today.
  app = await launchApp({ dataDir: tempDir(), clock: fixedClock('2027-01-08T12:00:00Z') });
  await createFirstAdmin(app.page);
  await pageValue(app.page, 'settings.update', { dateFormat: 'locale', hospitalName: 'General Hospital' });
  const core = app.backend.core;
  const loc = 'General Hospital > Ward 4B > Bay 1';
  for (const [tag, due] of [
    ['IP-0001', '2026-12-31'],
    ['IP-0002', '2026-12-28'],
    ['IP-0003', '2026-11-30'],
    ['IP-0004', '2027-01-08'],
  ] as const) {
    const id = device(core, tag, { name: 'Infusion pump', location: loc, risk: 'high' });
    plan(core, id, 'calibration', '1y', due, { windowDays: 0 });
  }
  ward = (await pageValue(app.page, 'locations.list', {})).find((l: { path: string }) => l.path === 'General Hospital > Ward 4B')!.id;
}, 120_000);
afterAll(async () => {
  await app?.close();
  await shutdown();
});

/** The due list printed in `locale`: its Due date cells as laid out, and the PDF. */
async function printIn(locale: string, paper: Paper) {
  const page = await app.context.newPage();
  const cdp = await app.context.newCDPSession(page);
  await cdp.send('Emulation.setLocaleOverride', { locale });
  await page.goto(`${new URL(app.page.url()).origin}/#${printRoute('due-list', { locationIds: [ward] }, paper)}`);
  await page.waitForSelector('html[data-print-state="ready"], html[data-print-state="failed"]', { state: 'attached' });
  expect(await page.getAttribute('html', 'data-print-state'), await page.title()).toBe('ready');
  const cells = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.due-list-print tr[data-testid="print-row"] td.col-date')].map((td) => {
      const style = getComputedStyle(td);
      const range = document.createRange();
      range.selectNodeContents(td);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      const toMm = (v: number) => (v * 25.4) / 96;
      return {
        text: td.textContent ?? '',
        bold: Number(style.fontWeight) >= 700,
        lines,
        textMm: toMm(range.getBoundingClientRect().width),
        roomMm: toMm(td.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)),
      };
    }),
  );
  const file = path.join(OUT, `due-date-column-${locale}-${paper}.pdf`);
  await page.pdf({ path: file, preferCSSPageSize: true, printBackground: true });
  await page.close();
  renderPagePng(file, 1, path.join(OUT, `due-date-column-${locale}-${paper}`), 100);
  return { cells, file };
}

/**
 * On the first page of the PDF: the vertical rules of the due list's table (runs of columns of
 * pixels dark down most of it), and around the Due date column's right-hand rule (the 6th: Tag,
 * Device, Room, Task, Due date) the dark pixels within `bandMm` to its left and to its right, rows
 * of a horizontal border aside. A date inside its cell leaves its cell's padding (1.4 mm) clear.
 */
function inkAtDateRule(file: string, bandMm: number) {
  const { width, height, data } = renderPageGray(file, 1, DPI);
  const isDark = (x: number, y: number) => data[y * width + x]! < 160;
  const dark = new Array<number>(width).fill(0);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (isDark(x, y)) dark[x]!++;
  const tallest = Math.max(...dark);
  const rules: { from: number; to: number }[] = [];
  for (let x = 0; x < width; x++) {
    if (dark[x]! < 0.6 * tallest) continue;
    let to = x;
    while (to + 1 < width && dark[to + 1]! >= 0.6 * tallest) to++;
    rules.push({ from: x, to });
    x = to;
  }
  const left = rules[4];
  const right = rules[5];
  if (rules.length !== 10 || !left || !right) return { rules: rules.length, left: -1, right: -1, gapMm: -1 };
  // The table: the longest unbroken run of the rule (the header's rule and the summary above it cross its column too).
  const mid = Math.round((right.from + right.to) / 2);
  let top = 0;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    if (!isDark(mid, y)) continue;
    let end = y;
    while (end + 1 < height && isDark(mid, end + 1)) end++;
    if (end - y > bottom - top) [top, bottom] = [y, end];
    y = end;
  }
  let inkLeft = 0;
  let inkRight = 0;
  let textEnd = left.to;
  for (let y = top; y <= bottom; y++) {
    let across = 0;
    for (let x = left.to + 1; x < right.from; x++) if (isDark(x, y)) across++;
    if (across > 0.8 * (right.from - left.to - 1)) continue; // a horizontal border
    for (let x = right.from - px(bandMm); x < right.from; x++) if (isDark(x, y)) inkLeft++;
    for (let x = right.to + 1; x <= right.to + px(bandMm); x++) if (isDark(x, y)) inkRight++;
    for (let x = right.from - 1; x > left.to; x--)
      if (isDark(x, y)) {
        textEnd = Math.max(textEnd, x);
        break;
      }
  }
  return { rules: rules.length, left: inkLeft, right: inkRight, gapMm: Number(mm(right.from - 1 - textEnd).toFixed(2)) };
}

describe('the printed due list in the longest date formats (setting "locale"), A4 and Letter', () => {
  it('prints every due date whole, on one line, inside the Due date column, bold rows too', async () => {
    const found: string[] = [];
    for (const { locale, dates } of LOCALES)
      for (const paper of ['a4', 'letter'] as const) {
        const { cells, file } = await printIn(locale, paper);
        const name = `${locale} ${paper}`;
        // The locale's own format, so the test measures what it claims to.
        expect(
          cells.map((c) => c.text),
          name,
        ).toEqual(dates);
        expect(cells.filter((c) => c.bold).length, `${name}: the overdue rows are bold`).toBe(3);
        for (const c of cells) {
          if (c.lines !== 1) found.push(`${name}: "${c.text}" on ${c.lines} lines`);
          if (c.textMm > c.roomMm)
            found.push(`${name}: "${c.text}" is ${c.textMm.toFixed(2)} mm wide, its cell holds ${c.roomMm.toFixed(2)} mm`);
        }
        const text = pdfPagesText(file).join('\n').replace(/\s+/g, '');
        for (const d of dates) if (!text.includes(d.replace(/\s+/g, ''))) found.push(`${name}: "${d}" is not printed whole`);
        const ink = inkAtDateRule(file, 1);
        if (ink.rules !== 10) found.push(`${name}: ${ink.rules} vertical rules found on the page, the due list has 10`);
        else {
          if (ink.left > 0)
            found.push(`${name}: the dates reach into the last 1 mm before the Due date column's rule (${ink.left} dark pixels)`);
          if (ink.right > 0)
            found.push(`${name}: the dates run past the Due date column's rule (${ink.right} dark pixels in the next cell)`);
          if (ink.gapMm < 1) found.push(`${name}: the widest date ends ${ink.gapMm} mm before the column's rule`);
        }
      }
    expect(found).toEqual([]);
  }, 120_000);
});
