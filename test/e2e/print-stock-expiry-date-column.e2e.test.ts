import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Paper } from '../../shared/domain/report';
import { printRoute } from '../../renderer/src/lib/print-route';
import { fixedClock, tempDir } from '../helpers/core';
import { pdfPagesText, renderPagePng } from '../helpers/pdf';
import { item, level, stock, stockLocation } from '../integration/stock/fixtures';
import type { LaunchedApp } from './harness';
import { launchApp, shutdown } from './harness';
import { createFirstAdmin, pageValue } from './steps';

/**
 * The stock expiry list's Expires column with the longest dates the date format "locale" writes:
 * Korean and Hungarian "2026. 12. 31.", Bulgarian "31.12.2026 г.", and British "31/12/2026". An
 * expired lot's row is bold, and its date in bold is wider than the column's own width on A4 even
 * with ten characters.
 * Each date must print whole, on one line, inside its cell, on A4 and Letter; the column is its own
 * width (12% of the table: 22.5 mm on A4, 23.1 mm on Letter) or its widest date's and the cell's
 * padding, as every date column (date-columns.ts, print-date-columns.e2e.test.ts).
 */

const OUT = path.resolve('test-results/print');
mkdirSync(OUT, { recursive: true });

/** How each locale writes the expiry days below, soonest first (the list's order). */
const LOCALES: { locale: string; dates: string[] }[] = [
  { locale: 'ko-KR', dates: ['2026. 12. 31.', '2027. 01. 08.', '2027. 01. 28.'] },
  { locale: 'hu-HU', dates: ['2026. 12. 31.', '2027. 01. 08.', '2027. 01. 28.'] },
  { locale: 'bg-BG', dates: ['31.12.2026 г.', '08.01.2027 г.', '28.01.2027 г.'] },
  // Ten characters, as dd/MM/yyyy: in bold (the expired lot) still wider than 12% of A4 holds.
  { locale: 'en-GB', dates: ['31/12/2026', '08/01/2027', '28/01/2027'] },
];
/** The column's own width: 12% of the table (A4 187.5 mm, Letter 192.5 mm). */
const OWN_MM: Record<Paper, number> = { a4: 22.5, letter: 23.1 };

let app: LaunchedApp;
let cart = '';
/** A store room whose lots are not expired: no bold date. */
let store = '';

beforeAll(async () => {
  // Today is 8 January 2027: one lot expired (bold), one expiring today, one in 20 days.
  app = await launchApp({ dataDir: tempDir(), clock: fixedClock('2027-01-08T12:00:00Z') });
  await createFirstAdmin(app.page);
  await pageValue(app.page, 'settings.update', { dateFormat: 'locale', hospitalName: 'General Hospital' });
  const core = app.backend.core;
  cart = stockLocation(core, 'Crash cart 4B', { location: 'General Hospital > Ward 4B' });
  for (const [code, name, expires] of [
    ['ADR-1MG', 'Adrenaline 1 mg', '2026-12-31'],
    ['DEF-PAD', 'Defibrillator pads', '2027-01-08'],
    ['O2-MASK', 'Oxygen mask', '2027-01-28'],
  ] as const) {
    const id = item(core, code, name);
    level(core, cart, id, 4, 2);
    stock(core, cart, id, 3, `LOT-${code}`, expires);
  }
  store = stockLocation(core, 'Store room 4B', { kind: 'store', location: 'General Hospital > Ward 4B' });
  const gloves = item(core, 'GLV-M', 'Gloves, medium');
  level(core, store, gloves, 10, 2);
  stock(core, store, gloves, 5, 'LOT-GLV', '2027-01-28');
}, 120_000);
afterAll(async () => {
  await app?.close();
  await shutdown();
});

/** The expiry list laid out and printed in `locale`: its Expires cells as laid out, and the PDF's text. */
async function printIn(locale: string, paper: Paper, stockLocationId = cart) {
  const page = await app.context.newPage();
  const cdp = await app.context.newCDPSession(page);
  await cdp.send('Emulation.setLocaleOverride', { locale });
  await page.goto(`${new URL(app.page.url()).origin}/#${printRoute('stock-expiry', { stockLocationId }, paper)}`);
  await page.waitForSelector('html[data-print-state="ready"], html[data-print-state="failed"]', { state: 'attached' });
  expect(await page.getAttribute('html', 'data-print-state'), await page.title()).toBe('ready');
  const cells = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.stock-expiry-print tr[data-testid="print-row"] td.col-date')].map((td) => {
      const style = getComputedStyle(td);
      const toMm = (v: number) => (v * 25.4) / 96;
      const range = document.createRange();
      range.selectNodeContents(td);
      return {
        text: td.textContent ?? '',
        bold: Number(style.fontWeight) >= 700,
        lines: new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size,
        textMm: toMm(range.getBoundingClientRect().width),
        roomMm: toMm(td.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)),
        cellMm: toMm(td.getBoundingClientRect().width),
      };
    }),
  );
  const name = `stock-expiry-date-column-${stockLocationId === cart ? 'cart' : 'store'}-${locale}-${paper}`;
  const file = path.join(OUT, `${name}.pdf`);
  await page.pdf({ path: file, preferCSSPageSize: true, printBackground: true });
  await page.close();
  renderPagePng(file, 1, path.join(OUT, name), 100);
  return { cells, text: pdfPagesText(file).join('\n').replace(/\s+/g, '') };
}

describe('the printed stock expiry list in the longest date formats (setting "locale"), A4 and Letter', () => {
  it('prints every expiry date whole, on one line, inside the Expires column, bold rows too', async () => {
    const found: string[] = [];
    for (const { locale, dates } of LOCALES)
      for (const paper of ['a4', 'letter'] as const) {
        const name = `${locale} ${paper}`;
        const { cells, text } = await printIn(locale, paper);
        // The locale's own format, so the test measures what it claims to.
        expect(
          cells.map((c) => c.text),
          name,
        ).toEqual(dates);
        expect(cells.filter((c) => c.bold).length, `${name}: the expired lot's row is bold`).toBe(1);
        const widest = Math.max(...cells.map((c) => c.textMm));
        for (const c of cells) {
          if (c.lines !== 1) found.push(`${name}: "${c.text}" on ${c.lines} lines`);
          if (c.textMm > c.roomMm) found.push(`${name}: "${c.text}" is ${c.textMm.toFixed(2)} mm wide, its cell holds ${c.roomMm.toFixed(2)} mm`);
          const expected = Math.max(OWN_MM[paper], widest + 3.4);
          if (Math.abs(c.cellMm - expected) > 0.5)
            found.push(`${name}: the column of "${c.text}" is ${c.cellMm.toFixed(2)} mm wide, not ${expected.toFixed(2)} mm (its own width or its widest date's)`);
          if (!text.includes(c.text.replace(/\s+/g, ''))) found.push(`${name}: "${c.text}" is not printed whole`);
        }
      }
    expect(found).toEqual([]);
  }, 240_000);

  it('keeps the column its own width where the dates fit in it (en-GB "28/01/2027", not bold)', async () => {
    const found: string[] = [];
    for (const paper of ['a4', 'letter'] as const) {
      const { cells } = await printIn('en-GB', paper, store);
      expect(cells.map((c) => [c.text, c.bold])).toEqual([['28/01/2027', false]]);
      for (const c of cells) {
        if (c.textMm > c.roomMm) found.push(`en-GB ${paper}: "${c.text}" is ${c.textMm.toFixed(2)} mm wide, its cell holds ${c.roomMm.toFixed(2)} mm`);
        if (Math.abs(c.cellMm - OWN_MM[paper]) > 0.5) found.push(`en-GB ${paper}: the column of "${c.text}" is ${c.cellMm.toFixed(2)} mm wide, not its own ${OWN_MM[paper]} mm`);
      }
    }
    expect(found).toEqual([]);
  }, 120_000);
});
