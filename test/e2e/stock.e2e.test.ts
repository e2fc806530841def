import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { addDays, addYears, format } from 'date-fns';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/core';
import { pdfInfo, pdfPagesText, renderPagePng } from '../helpers/pdf';
import { stock } from '../integration/stock/fixtures';
import { screenshot } from './axe';
import { launchPrinting, shutdown } from './harness';
import { createFirstAdmin, expectNoPageProblems, pageValue, nav, expectProblem } from './steps';

afterAll(shutdown);

/** Screenshots to look at (not compared): test-results/ is ignored by git. */
const SHOTS = path.resolve('test-results/screenshots');
mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `stock-${name}.png`), fullPage: true });

const value = pageValue;

const iso = (d: Date) => format(d, 'yyyy-MM-dd');

describe('supplies and the crash-cart check, in Chromium', () => {
  it('sets up a crash cart, runs its daily check through the record form, shows the flags, and prints the reorder list', async () => {
    const dataDir = tempDir();
    const { app, port } = await launchPrinting(SHOTS, { dataDir });
    const { page } = app;
    await createFirstAdmin(page);
    await value(page, 'settings.update', { dateFormat: 'yyyy-MM-dd', hospitalName: 'General Hospital' });
    const site = await value(page, 'locations.create', { name: 'General Hospital' });
    await value(page, 'locations.create', { name: 'Ward 4B', parentId: site.id });
    const today = new Date();

    // The catalogue, through the Supply items screen.
    await nav(page).getByRole('link', { name: 'Stock', exact: true }).click();
    await page.getByRole('navigation', { name: 'Stock' }).getByRole('link', { name: 'Supply items' }).click();
    for (const [name, code, unit] of [
      ['Defibrillator pads', 'DEF-PAD', 'pair'],
      ['Adrenaline 1 mg', 'ADR-1MG', 'ampoule'],
      ['Oxygen mask', 'O2-MASK', 'each'],
    ] as const) {
      await page.getByRole('button', { name: 'Add supply item…' }).click();
      const form = page.getByRole('dialog', { name: 'Add a supply item' });
      await form.getByLabel('Name').fill(name);
      await form.getByLabel('Code').fill(code);
      await form.getByLabel('Unit').fill(unit);
      await form.getByRole('button', { name: 'Add item' }).click();
      await page.getByText(`Added ${name} (${code}).`, { exact: false }).waitFor();
    }
    // A code is unique whatever its case.
    await page.getByRole('button', { name: 'Add supply item…' }).click();
    const again = page.getByRole('dialog', { name: 'Add a supply item' });
    await again.getByLabel('Name').fill('Pads');
    await again.getByLabel('Code').fill('def-pad');
    await again.getByLabel('Unit').fill('pair');
    await again.getByRole('button', { name: 'Add item' }).click();
    await expectProblem(again, 'The code DEF-PAD is already used by Defibrillator pads; choose another.');
    await again.getByRole('button', { name: 'Cancel' }).click();
    await shot(page, 'items');

    // The crash cart on Ward 4B, with its items, par levels and minimums.
    await page.getByRole('navigation', { name: 'Stock' }).getByRole('link', { name: 'Stock locations' }).click();
    await page.getByRole('button', { name: 'Add stock location' }).click();
    const add = page.getByRole('form', { name: 'Add a stock location' });
    await add.getByLabel('Name').fill('Crash cart 4B');
    await add.getByLabel('Kind').selectOption({ label: 'Crash cart' });
    await add.getByLabel('Where it is').selectOption({ label: 'General Hospital > Ward 4B' });
    await add.getByRole('button', { name: 'Add stock location' }).click();
    await page.getByRole('heading', { level: 1, name: /Crash cart 4B/ }).waitFor();
    const keep = page.getByRole('form', { name: 'Keep another item here' });
    for (const [name, option, par, min] of [
      ['Defibrillator pads', 'Defibrillator pads (DEF-PAD, pair)', 4, 2],
      ['Adrenaline 1 mg', 'Adrenaline 1 mg (ADR-1MG, ampoule)', 6, 4],
      ['Oxygen mask', 'Oxygen mask (O2-MASK, each)', 3, 1],
    ] as const) {
      await keep.getByLabel('Item').selectOption({ label: option });
      await keep.getByLabel('Par level').fill(String(par));
      await keep.getByLabel('Minimum').fill(String(min));
      await keep.getByRole('button', { name: 'Add item' }).click();
      await page.getByText(`Added ${name}: par ${par}, minimum ${min}.`, { exact: false }).waitFor();
    }

    // Stock on the shelf: restocked through the dialog, keyboard only for the first.
    const restock = async (name: string, quantity: number, lot: string, expiresOn: string) => {
      await page.getByRole('button', { name: `Stock… ${name}: restock, use, discard or count` }).click();
      const dialog = page.getByRole('dialog', { name: new RegExp(name) });
      await dialog.getByLabel('Restock').check();
      await dialog.getByLabel('Quantity').fill(String(quantity));
      await dialog.getByLabel('Lot number').fill(lot);
      await dialog.getByLabel('Expires on').fill(expiresOn);
      await dialog.getByLabel('Expires on').press('Enter');
      await page.getByText(new RegExp(`^${name}: \\d+ \\w+ on hand now\\.$`)).waitFor();
    };
    const nextYear = iso(addYears(today, 1));
    await restock('Defibrillator pads', 1, 'P-1', nextYear); // below its minimum of 2
    await restock('Adrenaline 1 mg', 4, 'ADR-GOOD', iso(addDays(today, 200)));
    await restock('Oxygen mask', 3, 'M-1', nextYear);
    // Two ampoules of a lot put on the cart months ago that expired yesterday.
    const cartId = (await value(page, 'stock.locations.list', {})).find((s) => s.name === 'Crash cart 4B')!.id;
    const adrenalineId = (await value(page, 'stock.items.list', {})).find((i) => i.code === 'ADR-1MG')!.id;
    const expiredLot = stock(app.backend.core, cartId, adrenalineId, 2, 'ADR-OLD', iso(addDays(today, -1)));
    app.backend.emit('data.changed', { channel: 'stock.restock' });

    const rows = page.getByTestId('stock-item-row');
    await expect.poll(() => rows.filter({ hasText: 'Adrenaline' }).textContent()).toContain('Expired: 2 ampoule');
    expect(await rows.filter({ hasText: 'Defibrillator pads' }).textContent()).toContain('Below minimum: order 3');
    expect(await rows.filter({ hasText: 'Adrenaline' }).textContent()).toContain(iso(addDays(today, -1)));

    // A daily check from today.
    await page.getByRole('button', { name: 'Add a stock-check plan…' }).click();
    const planForm = page.getByRole('dialog', { name: 'New stock-check plan' });
    expect(await planForm.getByLabel('Every').inputValue()).toBe('1d');
    await planForm.getByRole('button', { name: 'Add plan' }).click();
    await page.getByText(/^Added a stock check every day: first due/).waitFor();
    expect(await page.getByTestId('stock-plan-row').textContent()).toContain('Due today');
    await shot(page, 'location-before');

    // It is due on the home screen.
    await nav(page).getByRole('link', { name: 'Today', exact: true }).click();
    const due = page.getByTestId('due-row').filter({ hasText: 'Crash cart 4B' });
    await due.waitFor();
    expect(await due.textContent()).toContain('Stock check');
    expect(await due.textContent()).toContain('Due today');

    // The check, through the record form: pads as expected, the expired lot thrown away whole,
    // the adrenaline counted one short, masks as expected.
    await due.getByRole('link', { name: /^Log/ }).click();
    const adrenaline = page.getByRole('group', { name: /Adrenaline 1 mg/ });
    await adrenaline.waitFor();
    expect(await adrenaline.textContent()).toContain('Expired: 2 ampoule');
    expect(await page.getByRole('group', { name: /Defibrillator pads/ }).textContent()).toContain('Below minimum: order 3');
    await adrenaline.getByLabel('Counted (ampoule)').fill('5');
    await adrenaline.getByRole('button', { name: /Discard the whole lot ADR-OLD/ }).click();
    expect(await adrenaline.getByLabel('Discard from lot ADR-OLD').inputValue()).toBe('2');
    await page.getByRole('group', { name: /Defibrillator pads/ }).getByLabel('Counted (pair)').fill('1');
    await page.getByRole('group', { name: /Oxygen mask/ }).getByLabel('Counted (each)').fill('3');
    await expect.poll(() => page.getByTestId('stock-check-outcome').textContent()).toBe('Outcome: Pass');
    expect(await adrenaline.textContent()).toContain('After the check: 3 ampoule (-1 against the record)');
    await shot(page, 'check-form');
    await page.getByLabel('Your PIN or password').fill('2468');
    await page.getByRole('button', { name: /^Sign and save/ }).click();
    // Saved: the record form opens the check as recorded.
    await page.waitForURL(/#\/stock\/checks\//);

    // Done like any plan: off Today, up to date on the cart; the flags stay on the cart and the check.
    await nav(page).getByRole('link', { name: 'Today', exact: true }).click();
    await page.getByText('Nothing is overdue or due today.').waitFor();
    await nav(page).getByRole('link', { name: 'Stock', exact: true }).click();
    const cartRow = page.getByTestId('stock-location-row').filter({ hasText: 'Crash cart 4B' });
    await expect.poll(() => cartRow.textContent()).toContain('Up to date');
    expect(await cartRow.textContent()).toContain('2 below minimum');
    await shot(page, 'locations');
    await cartRow.getByRole('link', { name: 'Crash cart 4B' }).click();
    await page.getByRole('heading', { level: 1, name: /Crash cart 4B/ }).waitFor();
    expect(await page.getByTestId('stock-plan-row').textContent()).toContain('Up to date');
    await page.getByRole('region', { name: 'Stock checks' }).getByRole('link').last().click();
    await page.getByRole('heading', { level: 1, name: 'Stock check of Crash cart 4B' }).waitFor();
    expect(await page.getByTestId('stock-check-recorded-outcome').textContent()).toBe('Pass');
    expect(await page.getByTestId('stock-check-flags').textContent()).toContain('3 of 3 items counted · 2 below minimum · 0 with expired stock');
    const checkRows = page.getByTestId('stock-check-row');
    expect(await checkRows.filter({ hasText: 'Adrenaline' }).textContent()).toMatch(/Adrenaline 1 mg ADR-1MG65-123 ampoule/);
    expect(await checkRows.filter({ hasText: 'Adrenaline' }).textContent()).toContain('Below minimum: order 3');
    await shot(page, 'check-afterwards');
    const db = app.backend.core.db;
    expect(db.prepare('SELECT on_hand FROM stock_lots WHERE id = ?').get(expiredLot)).toEqual({ on_hand: 0 });
    expect(db.prepare("SELECT count(*) AS n FROM stock_transactions WHERE completion_id IS NOT NULL").get()).toEqual({ n: 4 }); // 3 counts, 1 discard

    // The reorder list, exported and printed.
    await page.getByRole('link', { name: 'Reorder list' }).click();
    await page.getByRole('heading', { level: 1, name: 'Reorder list' }).waitFor();
    const reorder = page.getByTestId('reorder-row');
    await expect.poll(() => reorder.count()).toBe(2);
    expect(await reorder.allTextContents()).toEqual([
      expect.stringMatching(/Crash cart 4B.*Adrenaline 1 mg.*3.*4.*6.*3 ampoule/),
      expect.stringMatching(/Crash cart 4B.*Defibrillator pads.*1.*2.*4.*3 pair/),
    ]);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toBe(`wardkeep-reorder-${iso(today)}.csv`);
    await shot(page, 'reorder');

    // Saved as PDF through the print window (the test browser plays it): header, rows, page numbers.
    await page.getByLabel('Paper').selectOption('a4');
    await page.getByRole('button', { name: 'Save as PDF…' }).click();
    const saved = page.getByRole('status').filter({ hasText: /^Saved the reorder list to / });
    await saved.waitFor();
    const file = (await saved.textContent())!.replace(/^Saved the reorder list to /, '').replace(/\.$/, '');
    expect(port.jobs.at(-1)).toMatchObject({ action: 'pdf', pageSize: { paper: 'a4' }, fileName: `reorder-list-${iso(today)}.pdf` });
    expect(pdfInfo(file)).toMatchObject({ pages: 1, title: 'Reorder list - General Hospital' });
    const [text] = pdfPagesText(file, { layout: true });
    expect(text).toContain('Reorder list');
    expect(text).toMatch(/Printed by\s+Ada Admin/);
    expect(text).toContain('Crash cart 4B · General Hospital > Ward 4B');
    expect(text).toMatch(/ADR-1MG\s+Adrenaline 1 mg\s+3\s+4\s+6\s+3 ampoule/);
    expect(text).toMatch(/DEF-PAD\s+Defibrillator pads\s+1\s+2\s+4\s+3 pair/);
    expect(text).toMatch(/Page 1 of 1/);
    renderPagePng(file, 1, path.join(SHOTS, 'stock-reorder-pdf'), 80);

    expectNoPageProblems(app);
    await app.close();
  });
});

describe('the reorder and expiry lists on a PC that keeps no stock', () => {
  it('say on screen and on paper that no stock is kept yet, not that nothing is below its minimum or expired', async () => {
    const dataDir = tempDir();
    const { app } = await launchPrinting(SHOTS, { dataDir });
    const { page } = app;
    await createFirstAdmin(page);
    await value(page, 'settings.update', { dateFormat: 'dd/MM/yyyy', hospitalName: 'General Hospital' });
    const nothingKept = 'No stock is kept here yet: a supervisor adds stock locations and the items each keeps (Stock → Stock locations).';
    for (const list of ['reorder', 'expiry'] as const) {
      const what = list === 'reorder' ? 'Reorder list' : 'Expiry list';
      await page.evaluate((r) => (window.location.hash = r), `#/stock/${list}`);
      await page.getByRole('heading', { level: 1, name: what }).waitFor();
      await page.getByText(nothingKept).waitFor();
      expect(await page.locator('main').textContent()).not.toMatch(/Nothing is below its minimum|Nothing has expired/);
      await screenshot(page, `stock-${list}-nothing-kept`);
      await page.getByLabel('Paper').selectOption('a4');
      await page.getByRole('button', { name: 'Save as PDF…' }).click();
      const saved = page.getByRole('status').filter({ hasText: new RegExp(`^Saved the ${list} list to `) });
      await saved.waitFor();
      const file = (await saved.textContent())!.replace(new RegExp(`^Saved the ${list} list to `), '').replace(/\.$/, '');
      const text = pdfPagesText(file).join('\n').replace(/\s+/g, ' ');
      expect(text).toContain(nothingKept);
      // The header's day in the Settings format, as the rows would be (written in the print window).
      expect(text).toContain(`As of ${format(new Date(), 'dd/MM/yyyy')}`);
      expect(text).not.toMatch(/Nothing is below its minimum|Nothing has expired/);
      renderPagePng(file, 1, path.join(SHOTS, `stock-${list}-nothing-kept-pdf`), 80);
    }
    // The print view on Letter says the same.
    for (const view of ['stock-reorder', 'stock-expiry'] as const) {
      await page.evaluate((r) => (window.location.hash = r), `#/print/${view}?${new URLSearchParams({ paper: 'letter', q: '{}' }).toString()}`);
      await page.getByTestId('print-summary').waitFor();
      await page.getByText(nothingKept).waitFor();
    }
    expectNoPageProblems(app);
    await app.close();
  });
});
