import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../main/core/dispatcher/transaction';
import { reportFault } from '../../main/core/repairs/work-orders';
import type { UserRow } from '../../main/core/sql/rows';
import type { Paper, PrintView } from '../../shared/domain/report';
import { printRoute } from '../../renderer/src/lib/print-route';
import { fixedClock, tempDir } from '../helpers/core';
import { pdfPagesText, renderPagePng } from '../helpers/pdf';
import { inInventorySince } from '../helpers/records';
import { device, done, plan } from '../integration/plans/fixtures';
import type { LaunchedApp } from './harness';
import { launchApp, shutdown } from './harness';
import { createFirstAdmin, pageValue } from './steps';

/**
 * The date columns of every printout but the due list's (print-due-date-column.e2e.test.ts measures
 * that one), with the longest dates the date format "locale" writes: Korean "2026. 12. 31.",
 * Croatian "31. 12. 2026.", Bulgarian "31.12.2026 г.". The compliance report's "Due on" and "Done on"
 * (12% of the width) and the failures report's "Reported" (22 mm) keep each date on one line; each
 * must fit inside its cell, on A4 and on Letter. And the dates in a printout's header (its filter:
 * "As of …", "Period: … to …") are written the way its rows are: the print window's locale, not
 * main's (the print page's locale is set apart from main's here, as a PC's can be).
 */

const OUT = path.resolve('test-results/print');
mkdirSync(OUT, { recursive: true });
const PIN = '2468';

/** How each locale writes the days used below. */
const LOCALES: { locale: string; day: Record<string, string> }[] = [
  {
    locale: 'ko-KR',
    day: { '2026-11-01': '2026. 11. 01.', '2026-12-31': '2026. 12. 31.', '2027-01-08': '2027. 01. 08.' },
  },
  {
    locale: 'hr-HR',
    day: { '2026-11-01': '01. 11. 2026.', '2026-12-31': '31. 12. 2026.', '2027-01-08': '08. 01. 2027.' },
  },
  {
    locale: 'bg-BG',
    day: { '2026-11-01': '01.11.2026 г.', '2026-12-31': '31.12.2026 г.', '2027-01-08': '08.01.2027 г.' },
  },
];

const PERIOD = { from: '2026-11-01', to: '2026-12-31' };
let app: LaunchedApp;
let ward = '';

beforeAll(async () => {
  // Today is 8 January 2027.
  const clock = fixedClock('2027-01-08T12:00:00Z');
  app = await launchApp({ dataDir: tempDir(), clock });
  await createFirstAdmin(app.page);
  await pageValue(app.page, 'settings.update', { dateFormat: 'locale', hospitalName: 'General Hospital' });
  const core = app.backend.core;
  const loc = 'General Hospital > Ward 4B > Bay 1';
  // High-risk calibrations due in the period: not done (missed), and done late.
  for (const [tag, due, doneOn] of [
    ['HR-0001', '2026-12-31', null],
    ['HR-0002', '2026-11-30', '2026-12-28T10:00:00Z'],
    ['HR-0003', '2026-12-28', null],
  ] as const) {
    const id = device(core, tag, { name: 'Infusion pump', location: loc, risk: 'high' });
    inInventorySince(core, id, '2026-01-01');
    const p = plan(core, id, 'calibration', '1y', due, { mode: 'fixed', windowDays: 0, graceDays: 0 });
    if (doneOn) done(core, p.id, doneOn);
  }
  // Faults reported on 31 December and on 28 December.
  const admin = core.db.prepare("SELECT * FROM users WHERE name = 'Ada Admin'").get() as UserRow;
  for (const [tag, at] of [
    ['WO-DEV-1', '2026-12-31T09:00:00Z'],
    ['WO-DEV-2', '2026-12-28T09:00:00Z'],
  ] as const) {
    const id = device(core, tag, { name: 'Patient monitor', location: loc });
    inInventorySince(core, id, '2026-01-01');
    clock.set(at);
    inTransaction(core, (w) => reportFault(w, admin, { equipmentId: id, problem: 'Screen flickers', takeOutOfUse: false, secret: PIN }));
  }
  clock.set('2027-01-08T12:00:00Z');
  ward = (await pageValue(app.page, 'locations.list', {})).find((l: { path: string }) => l.path === 'General Hospital > Ward 4B')!.id;
}, 120_000);
afterAll(async () => {
  await app?.close();
  await shutdown();
});

interface DateCell {
  text: string;
  lines: number;
  textMm: number;
  roomMm: number;
  /** The cell's width, and its table's. */
  cellMm: number;
  tableMm: number;
}

/** A printout laid out and printed in `locale`: its header's filter lines, its date cells (the date in each, not a note under it), the PDF's text. */
async function printIn(view: PrintView, params: Record<string, unknown>, locale: string, paper: Paper) {
  const page = await app.context.newPage();
  const cdp = await app.context.newCDPSession(page);
  await cdp.send('Emulation.setLocaleOverride', { locale });
  await page.goto(`${new URL(app.page.url()).origin}/#${printRoute(view, params, paper)}`);
  await page.waitForSelector('html[data-print-state="ready"], html[data-print-state="failed"]', { state: 'attached' });
  expect(await page.getAttribute('html', 'data-print-state'), await page.title()).toBe('ready');
  const filter = await page.locator('.print-filter li').allTextContents();
  const cells: DateCell[] = await page.evaluate(() =>
    // The cells under a column headed as a date column (its <col> is col-date).
    [...document.querySelectorAll<HTMLTableElement>('table.print-table')]
      .flatMap((table) => {
        const cols = [...table.querySelectorAll('colgroup > col')];
        const at = cols.flatMap((c, i) => (c.classList.contains('col-date') ? [i] : []));
        return [...table.querySelectorAll<HTMLTableRowElement>('tr.print-row')]
          .filter((tr) => tr.cells.length === cols.length)
          .flatMap((tr) => at.map((i) => tr.cells[i]!));
      })
      .flatMap((td) => {
        const style = getComputedStyle(td);
        const toMm = (v: number) => (v * 25.4) / 96;
        const roomMm = toMm(td.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight));
        const cellMm = toMm(td.getBoundingClientRect().width);
        const tableMm = toMm(td.closest('table')!.getBoundingClientRect().width);
        return [...td.childNodes]
          .filter((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '')
          .map((n) => {
            const range = document.createRange();
            range.selectNode(n);
            const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
            return { text: n.textContent ?? '', lines, textMm: toMm(range.getBoundingClientRect().width), roomMm, cellMm, tableMm };
          });
      }),
  );
  const file = path.join(OUT, `date-columns-${view}-${locale}-${paper}.pdf`);
  await page.pdf({ path: file, preferCSSPageSize: true, printBackground: true });
  await page.close();
  const pages = pdfPagesText(file);
  renderPagePng(file, pages.length, path.join(OUT, `date-columns-${view}-${locale}-${paper}`), 100);
  return { filter, cells, text: pages.join('\n').replace(/\s+/g, '') };
}

/** Each printout with date columns: the date cells it shows, and its date columns' own width. */
const PRINTOUTS: { view: PrintView; params: () => Record<string, unknown>; columns: number; ownMm: (tableMm: number) => number }[] = [
  // Due on and Done on (12% of the table), for three high-risk occurrences; one was done.
  { view: 'compliance', params: () => ({ ...PERIOD, risks: ['high'] }), columns: 4, ownMm: (tableMm) => 0.12 * tableMm },
  // Reported (22 mm), for the two work orders.
  { view: 'failures', params: () => ({ ...PERIOD, locationIds: [ward] }), columns: 2, ownMm: () => 22 },
];

/** A date column is its own width, or its widest date and the cell's padding (2 x 1.4 mm) and 0.6 mm when that is wider; never more. */
function columnWidthProblems(name: string, cells: DateCell[], ownMm: (tableMm: number) => number): string[] {
  const widest = Math.max(...cells.map((c) => c.textMm));
  return cells.flatMap((c) => {
    const expected = Math.max(ownMm(c.tableMm), widest + 3.4);
    return Math.abs(c.cellMm - expected) > 0.5
      ? [
          `${name}: the column of "${c.text}" is ${c.cellMm.toFixed(2)} mm wide, not ${expected.toFixed(2)} mm (its own width or its widest date's)`,
        ]
      : [];
  });
}

describe('the date columns of the compliance and failures printouts in the longest date formats (setting "locale"), A4 and Letter', () => {
  it('prints every date whole, on one line, inside its cell', async () => {
    const found: string[] = [];
    for (const { view, params, columns, ownMm } of PRINTOUTS)
      for (const { locale, day } of LOCALES)
        for (const paper of ['a4', 'letter'] as const) {
          const name = `${view} ${locale} ${paper}`;
          const { cells, text } = await printIn(view, params(), locale, paper);
          found.push(...columnWidthProblems(name, cells, ownMm));
          // The locale's own long dates are the ones measured.
          expect(cells.length, `${name}: the date cells`).toBeGreaterThanOrEqual(columns);
          expect(
            cells.map((c) => c.text),
            name,
          ).toContain(day['2026-12-31']);
          for (const c of cells) {
            if (c.lines !== 1) found.push(`${name}: "${c.text}" on ${c.lines} lines`);
            if (c.textMm > c.roomMm)
              found.push(`${name}: "${c.text}" is ${c.textMm.toFixed(2)} mm wide, its cell holds ${c.roomMm.toFixed(2)} mm`);
            if (!text.includes(c.text.replace(/\s+/g, ''))) found.push(`${name}: "${c.text}" is not printed whole`);
          }
        }
    expect(found).toEqual([]);
  }, 240_000);

  it('keeps a date column its own width where the dates fit in it (en-GB "31/12/2026")', async () => {
    const found: string[] = [];
    for (const { view, params, ownMm } of PRINTOUTS)
      for (const paper of ['a4', 'letter'] as const) {
        const name = `${view} en-GB ${paper}`;
        const { cells } = await printIn(view, params(), 'en-GB', paper);
        expect(
          cells.map((c) => c.text),
          name,
        ).toContain('31/12/2026');
        for (const c of cells)
          if (Math.abs(c.cellMm - ownMm(c.tableMm)) > 0.5)
            found.push(
              `${name}: the column of "${c.text}" is ${c.cellMm.toFixed(2)} mm wide, not its own ${ownMm(c.tableMm).toFixed(2)} mm`,
            );
      }
    expect(found).toEqual([]);
  }, 120_000);
});

describe("a printout's header writes its dates as its rows do, whatever main's locale", () => {
  it('the due list\'s "As of" and the compliance and failures reports\' "Period" in the print window\'s locale', async () => {
    const found: string[] = [];
    for (const { locale, day } of LOCALES) {
      const due = await printIn('due-list', { locationIds: [ward] }, locale, 'a4');
      if (!due.filter.includes(`As of ${day['2027-01-08']}`)) found.push(`due list ${locale}: ${JSON.stringify(due.filter)}`);
      for (const view of ['compliance', 'failures'] as const) {
        const { filter, cells } = await printIn(view, { ...PERIOD }, locale, 'a4');
        expect(
          cells.map((c) => c.text),
          `${view} ${locale}: the rows`,
        ).toContain(day['2026-12-31']);
        if (!filter.includes(`Period: ${day['2026-11-01']} to ${day['2026-12-31']}`))
          found.push(`${view} ${locale}: ${JSON.stringify(filter)}`);
      }
    }
    expect(found).toEqual([]);
  }, 240_000);
});
