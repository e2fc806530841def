import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { item, level, stock, stockLocation } from '../integration/stock/fixtures';
import { shutdown } from './harness';
import { launchWard } from './ward';
import { focused, signIn, tabTo } from './steps';

afterAll(shutdown);
const go = (page: Page, route: string) => page.evaluate((r) => (window.location.hash = r), route);

/**
 * The stock location page keyboard-only at 1366x768 (the harness's window): its items table fits
 * without a sideways scroll with long names and lots; "Levels…" is reached by Tab and saved by Enter;
 * when the button pressed goes away (the item taken off the list meanwhile, the last item added,
 * an Add refused because someone else added it), the focus goes to the sentence saying so, never
 * to the document's body.
 */
describe('stock location page, keyboard only at 1366x768', () => {
  it('long names and lots fit without a sideways scroll; Levels… by Tab and Enter; taken off the list meanwhile, the dialog\'s Close has the focus and gives it back to the page', async () => {
    const ward = await launchWard();
    const { page } = ward.app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();
    const core = ward.app.backend.core;
    const cart = stockLocation(core, 'Crash cart 4B, resuscitation trolley in the main bay');
    const names = ['Defibrillator pads, adult, pre-connected', 'ECG electrodes, foam, paediatric', 'Laryngoscope blades, Macintosh size 3, disposable'];
    const ids = names.map((n, i) => item(core, `CODE-LONG-${i}`, n, 'box of 10'));
    for (const id of ids) {
      level(core, cart, id, 10, 2);
      stock(core, cart, id, 3, 'LOT-2026-000123456', '2027-05-01');
      stock(core, cart, id, 2, 'LOT-2026-000999999', '2027-06-01');
    }
    await go(page, `#/stock/locations/${cart}`);
    await page.getByTestId('stock-item-row').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const btn = page.getByRole('button', { name: `Levels… of ${names[2]}` });
    const box = await btn.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(1366);
    await tabTo(page, (f) => f.text.startsWith('Levels…') && f.text.includes(names[0]!));
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Levels of ${names[0]}` });
    await dialog.waitFor();
    core.db.prepare('DELETE FROM stock_levels WHERE stock_location_id = ? AND item_id = ?').run(cart, ids[0]);
    await page.keyboard.press('Enter');
    await dialog.getByText(/no longer kept/).waitFor();
    expect((await focused(page)).text).toBe('Close');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect((await focused(page)).tag).not.toBe('BODY');
    await ward.app.close();
  });

  it('Add item by keyboard of an item another PC added meanwhile: the focus goes to the refusal, the form gone with the last item', async () => {
    const ward = await launchWard();
    const { page } = ward.app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();
    const core = ward.app.backend.core;
    const cart = stockLocation(core, 'Crash cart 4B');
    const pads = item(core, 'PAD', 'Defib pads');
    await go(page, `#/stock/locations/${cart}`);
    const add = page.getByRole('form', { name: 'Keep another item here' });
    await add.getByLabel('Item').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await page.keyboard.type('10');
    await page.keyboard.press('Tab');
    await page.keyboard.type('2');
    core.db
      .prepare("INSERT INTO stock_levels (stock_location_id, item_id, par, minimum, on_hand, created_at, updated_at, pc_id) VALUES (?, ?, 6, 1, 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'other')")
      .run(cart, pads);
    await page.keyboard.press('Enter');
    await page.getByText(/^Defib pads is already kept at Crash cart 4B/).waitFor();
    await expect.poll(async () => (await focused(page)).text).toMatch(/^Defib pads is already kept at Crash cart 4B: someone else added it since this page was read, with par 6, minimum 1\./);
    expect(await page.getByText('Every supply item is kept here.').count()).toBe(1);
    await ward.app.close();
  });

  it('Add item by keyboard of the last item offered: the focus goes to the notice', async () => {
    const ward = await launchWard();
    const { page } = ward.app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();
    const core = ward.app.backend.core;
    const cart = stockLocation(core, 'Crash cart 4B');
    item(core, 'PAD', 'Defib pads');
    await go(page, `#/stock/locations/${cart}`);
    const add = page.getByRole('form', { name: 'Keep another item here' });
    await add.getByLabel('Item').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await page.keyboard.type('10');
    await page.keyboard.press('Tab');
    await page.keyboard.type('2');
    await page.keyboard.press('Enter');
    await page.getByText('Added Defib pads: par 10, minimum 2. Restock it to put it on the shelf.').waitFor();
    await expect.poll(async () => (await focused(page)).text).toBe('Added Defib pads: par 10, minimum 2. Restock it to put it on the shelf.');
    await ward.app.close();
  });
});
