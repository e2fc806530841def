import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrintView } from '../../shared/domain/report';
import { printRoute } from '../../renderer/src/lib/print-route';
import { fixedClock, tempDir } from '../helpers/core';
import { pdfPagesText, renderPagePng } from '../helpers/pdf';
import { device, place, plan } from '../integration/plans/fixtures';
import { item, level, stock, stockLocation } from '../integration/stock/fixtures';
import type { LaunchedApp } from './harness';
import { launchApp, shutdown } from './harness';
import { createFirstAdmin, expectNoPageProblems, nav, pageValue } from './steps';

/**
 * A printout's header lines with names that hold a `YYYY-MM-DD`: a ward named for the day it opened
 * ("Ward 2026-01-05 surge"), a crash cart ("Cart 2025-12-01"). The names print exactly as written,
 * in the print window and in the PDF, and on the due list's preview on screen; the header's own
 * days ("As of", "Period") are written the Settings way (dd.MM.yyyy here).
 */

const OUT = path.resolve('test-results/print');
mkdirSync(OUT, { recursive: true });
const SCREENS = path.resolve('test-results/screens');
mkdirSync(SCREENS, { recursive: true });
const WARD = 'General Hospital > Ward 2026-01-05 surge';

let app: LaunchedApp;
let ward = '';
let cart = '';

beforeAll(async () => {
  app = await launchApp({ dataDir: tempDir(), clock: fixedClock('2027-01-08T12:00:00Z') });
  await createFirstAdmin(app.page);
  await pageValue(app.page, 'settings.update', { dateFormat: 'dd.MM.yyyy', hospitalName: 'General Hospital' });
  const core = app.backend.core;
  ward = place(core, WARD);
  const monitor = device(core, 'IP-0001', { name: 'Monitor 2025-12-01', location: `${WARD} > Bay 1`, risk: 'high' });
  plan(core, monitor, 'calibration', '1y', '2026-12-31', { windowDays: 0 });
  cart = stockLocation(core, 'Cart 2025-12-01', { location: WARD });
  const gauze = item(core, 'GZ-1', 'Gauze');
  level(core, cart, gauze, 10, 5);
  stock(core, cart, gauze, 2, 'L1', '2027-01-20');
}, 120_000);
afterAll(async () => {
  await app?.close();
  await shutdown();
});

/** A printout's header lines as laid out, and its PDF's text (spaces as one). */
async function printed(view: PrintView, params: Record<string, unknown>) {
  const page = await app.context.newPage();
  await page.goto(`${new URL(app.page.url()).origin}/#${printRoute(view, params, 'a4')}`);
  await page.waitForSelector('html[data-print-state="ready"], html[data-print-state="failed"]', { state: 'attached' });
  expect(await page.getAttribute('html', 'data-print-state'), await page.title()).toBe('ready');
  const lines = await page.locator('.print-filter li').allTextContents();
  const file = path.join(OUT, `header-names-${view}.pdf`);
  await page.pdf({ path: file, preferCSSPageSize: true, printBackground: true });
  await page.close();
  renderPagePng(file, 1, path.join(OUT, `header-names-${view}`), 100);
  return { lines, pdf: pdfPagesText(file).join('\n').replace(/\s+/g, ' ') };
}

describe('a printout header prints names as written', () => {
  it('the due list, compliance report and stock expiry list, on paper and in the PDF', async () => {
    const due = await printed('due-list', { locationIds: [ward] });
    expect(due.lines).toContain(`Locations: ${WARD}`);
    expect(due.lines).toContain('As of 08.01.2027');
    expect(due.pdf).toContain(`Locations: ${WARD}`);
    expect(due.pdf).toContain('As of 08.01.2027');

    const compliance = await printed('compliance', { from: '2026-11-01', to: '2026-12-31', locationIds: [ward] });
    expect(compliance.lines).toContain('Period: 01.11.2026 to 31.12.2026');
    expect(compliance.lines).toContain(`Locations: ${WARD}`);
    expect(compliance.pdf).toContain(`Locations: ${WARD}`);

    const expiry = await printed('stock-expiry', { stockLocationId: cart });
    expect(expiry.lines).toEqual([`Stock: Cart 2025-12-01, ${WARD}`, 'Lots expired, or expiring within 30 days', 'As of 08.01.2027']);
    expect(expiry.pdf).toContain(`Stock: Cart 2025-12-01, ${WARD}`);
    expect(expiry.pdf).toContain('As of 08.01.2027');
  }, 120_000);

  it("the due list's preview on screen reads as the printout", async () => {
    const { page } = app;
    await nav(page).getByRole('link', { name: 'Due lists', exact: true }).click();
    await page.getByRole('heading', { name: 'Due lists' }).waitFor();
    await page.getByRole('form', { name: 'Due list filter' }).getByRole('checkbox', { name: /^Ward 2026-01-05 surge\b/ }).check();
    const words = page.getByRole('list', { name: 'Filter in words' });
    await words.getByText(`Locations: ${WARD}`, { exact: true }).waitFor();
    await words.getByText('As of 08.01.2027', { exact: true }).waitFor();
    expect(await words.getByRole('listitem').allTextContents()).toEqual((await printed('due-list', { locationIds: [ward] })).lines);
    await page.screenshot({ path: path.join(SCREENS, 'header-names-due-preview.png') });
    expectNoPageProblems(app);
  }, 120_000);
});
