import { addDays, addYears, format } from 'date-fns';
import type { Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/core';
import { item, level, lotOnHand, stock, stockLocation } from '../integration/stock/fixtures';
import { expectAccessible, screenshot } from './axe';
import type { LaunchedApp } from './harness';
import { launchApp, shutdown } from './harness';
import { createFirstAdmin, pageValue } from './steps';

afterAll(shutdown);

const iso = (d: Date) => format(d, 'yyyy-MM-dd');
const go = (page: Page, route: string) => page.evaluate((r) => (window.location.hash = r), route);

async function openApp() {
  const app = await launchApp({ dataDir: tempDir() });
  await createFirstAdmin(app.page);
  await pageValue(app.page, 'settings.update', { dateFormat: 'dd/MM/yyyy' });
  return app;
}

/** Adrenaline on a crash cart: 2 ampoules of a lot that expired yesterday (first on record), 4 of a good lot. */
function cartWithExpiredLot(app: LaunchedApp) {
  const core = app.backend.core;
  const today = new Date();
  const cart = stockLocation(core, 'Crash cart 4B');
  const adr = item(core, 'ADR-1MG', 'Adrenaline 1 mg', 'ampoule');
  level(core, cart, adr, 6, 1);
  const old = stock(core, cart, adr, 2, 'ADR-OLD', iso(addDays(today, -1)));
  const good = stock(core, cart, adr, 4, 'ADR-GOOD', iso(addYears(today, 1)));
  app.backend.emit('data.changed', { channel: 'stock.restock' });
  return { cart, adr, old, good };
}

async function openDialog(page: Page, cart: string, name: string) {
  await go(page, `#/stock/locations/${cart}`);
  await page.getByRole('button', { name: `Stock… ${name}: restock, use, discard or count` }).click();
  return page.getByRole('dialog', { name: new RegExp(name) });
}

const chosen = (select: Locator) => select.evaluate((el: HTMLSelectElement) => el.options[el.selectedIndex]?.text ?? '');

/** The text of the elements an input's aria-describedby points at (what a screen reader reads after its name). */
const description = (input: Locator) =>
  input.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ')
      .replace(/^Error: /, ''),
  );

describe('the stock dialog, "Use"', () => {
  it('starts on "soonest to expire first", so a quantity typed and Enter never takes the expired lot; Discard starts on the first lot, and Use again on none', async () => {
    const app = await openApp();
    const { page } = app;
    const { cart, old, good } = cartWithExpiredLot(app);
    const dialog = await openDialog(page, cart, 'Adrenaline 1 mg');
    await dialog.getByLabel('Use', { exact: true }).check();
    expect(await chosen(dialog.getByLabel('From lot'))).toBe('(soonest to expire first)');
    await dialog.getByLabel('Discard', { exact: true }).check();
    expect(await chosen(dialog.getByLabel('Lot', { exact: true }))).toContain('ADR-OLD');
    await dialog.getByLabel('Use', { exact: true }).check();
    expect(await chosen(dialog.getByLabel('From lot'))).toBe('(soonest to expire first)');
    await dialog.getByLabel('Quantity').fill('1');
    await dialog.getByLabel('Quantity').press('Enter');
    await page.getByText('Adrenaline 1 mg: 5 ampoule on hand now.').waitFor();
    // The expired ampoules stay on record, to be discarded; the one used came from the good lot.
    expect({ old: lotOnHand(app.backend.core, old), good: lotOnHand(app.backend.core, good) }).toEqual({ old: 2, good: 3 });
    await app.close();
  });

  it('a use of 3 with 4 good and 2 expired ampoules on hand is taken from the good lot, not refused as "only 2"', async () => {
    const app = await openApp();
    const { page } = app;
    const { cart, old, good } = cartWithExpiredLot(app);
    const dialog = await openDialog(page, cart, 'Adrenaline 1 mg');
    await dialog.getByLabel('Use', { exact: true }).check();
    await dialog.getByLabel('Quantity').fill('3');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Adrenaline 1 mg: 3 ampoule on hand now.').waitFor();
    expect({ old: lotOnHand(app.backend.core, old), good: lotOnHand(app.backend.core, good) }).toEqual({ old: 2, good: 1 });
    await app.close();
  });
});

describe('the stock dialog on a screen changed meanwhile', () => {
  it('"Discard the whole lot" is refused when the lot holds more than it showed, naming the figure now; saved again, it discards what the refusal named', async () => {
    const app = await openApp();
    const { page } = app;
    const core = app.backend.core;
    const expires = addYears(new Date(), 1);
    const cart = stockLocation(core, 'Crash cart 4B');
    const adr = item(core, 'ADR-1MG', 'Adrenaline 1 mg', 'ampoule');
    level(core, cart, adr, 10, 1);
    const lot = stock(core, cart, adr, 4, 'ADR-7', iso(expires));
    app.backend.emit('data.changed', { channel: 'stock.restock' });
    const dialog = await openDialog(page, cart, 'Adrenaline 1 mg');
    await dialog.getByLabel('Discard', { exact: true }).check();
    const lotField = dialog.getByLabel('Lot', { exact: true });
    expect(await chosen(lotField)).toContain('4 ampoule');
    await dialog.getByLabel('Reason or note (optional)').fill('Box dropped, ampoules cracked');
    // Meanwhile, at another PC, a colleague puts 3 more ampoules of the lot on the cart.
    stock(core, cart, adr, 3, 'ADR-7', iso(expires));
    app.backend.emit('data.changed', { channel: 'stock.restock' });
    await expect.poll(() => dialog.getByText(/^On record: \d+ ampoule\./).textContent()).toContain('On record: 7 ampoule.');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const summary = dialog.getByTestId('error-summary');
    await summary.waitFor();
    const said = `Adrenaline 1 mg (ADR-1MG): lot ADR-7 (expires ${format(expires, 'dd/MM/yyyy')}) now holds 7 ampoule on record, not the 4 shown: it was changed meanwhile. Check the shelf, then save again to discard from what it holds now.`;
    expect(await summary.textContent()).toContain(said);
    expect(await description(lotField)).toBe(said);
    await screenshot(page, 'stock-dialog-discard-changed-meanwhile');
    await expectAccessible(page, 'stock dialog with a discard refused for a change made meanwhile');
    expect(lotOnHand(core, lot)).toBe(7);
    // The technician has read the figure now and saves again: the 7 go.
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Adrenaline 1 mg: 0 ampoule on hand now.').waitFor();
    expect(lotOnHand(core, lot)).toBe(0);
    await app.close();
  });

  it('"On record" follows a change made meanwhile, as the page behind it does', async () => {
    const app = await openApp();
    const { page } = app;
    const core = app.backend.core;
    const cart = stockLocation(core, 'Crash cart 4B');
    const pads = item(core, 'PADS', 'Defibrillator pads', 'pair');
    level(core, cart, pads, 6, 2);
    stock(core, cart, pads, 2, 'P-1', iso(addYears(new Date(), 1)));
    app.backend.emit('data.changed', { channel: 'stock.restock' });
    const dialog = await openDialog(page, cart, 'Defibrillator pads');
    await dialog.getByLabel('Count', { exact: true }).check();
    await dialog.getByText('On record: 2 pair.').waitFor();
    await dialog.getByLabel('Counted (pair)').fill('5');
    stock(core, cart, pads, 3, 'P-2', iso(addYears(new Date(), 1)));
    app.backend.emit('data.changed', { channel: 'stock.restock' });
    await expect.poll(() => page.getByTestId('stock-item-row').first().textContent()).toContain('5 pair');
    await expect.poll(() => dialog.getByText(/^On record: \d+ pair\./).textContent()).toBe('On record: 5 pair. Par 6, minimum 2.');
    // What was typed stays.
    expect(await dialog.getByLabel('Counted (pair)').inputValue()).toBe('5');
    await app.close();
  });
});

describe('the stock dialog, "Adjust" with nothing typed', () => {
  it('names the field as the dialog labels it, "Change is required.", beside it and in the summary', async () => {
    const app = await openApp();
    const { page } = app;
    const core = app.backend.core;
    const cart = stockLocation(core, 'Crash cart 4B');
    const pads = item(core, 'PADS', 'Defibrillator pads', 'pair');
    level(core, cart, pads, 6, 2);
    stock(core, cart, pads, 2, 'P-1', iso(addYears(new Date(), 1)));
    app.backend.emit('data.changed', { channel: 'stock.restock' });
    const dialog = await openDialog(page, cart, 'Defibrillator pads');
    await dialog.getByLabel('Adjust (with a reason)').check();
    await dialog.getByLabel('Reason', { exact: true }).fill('Found in the drawer');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const summary = dialog.getByTestId('error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Change is required.');
    // Beside the field, before its help.
    expect(await description(dialog.getByLabel('Change'))).toBe('Change is required. Add with a plain number, take off with a minus: -2.');
    await screenshot(page, 'stock-dialog-adjust-blank');
    // The use's quantity says the same of itself.
    await dialog.getByLabel('Use', { exact: true }).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => summary.textContent()).toContain('Quantity is required.');
    expect(await description(dialog.getByLabel('Quantity'))).toBe('Quantity is required.');
    await app.close();
  });
});

describe('a stock location retired in a ward since taken out of use', () => {
  it('its Change dialog shows the ward it was in as no longer in use, never the first ward listed; saved there, it asks where it is now; put in a ward, it is back', async () => {
    const app = await openApp();
    const { page } = app;
    const site = await pageValue(page, 'locations.create', { name: 'General Hospital' });
    const old = await pageValue(page, 'locations.create', { name: 'Ward 9', parentId: site.id });
    await pageValue(page, 'locations.create', { name: 'Ward 4B', parentId: site.id });
    const cart = await pageValue(page, 'stock.locations.create', { name: 'Crash cart 2', kind: 'crash_cart', locationId: old.id });
    await pageValue(page, 'stock.locations.update', { id: cart.id, name: 'Crash cart 2', kind: 'crash_cart', locationId: old.id, equipmentId: null, active: false });
    await pageValue(page, 'locations.deactivate', { id: old.id });
    await go(page, `#/stock/locations/${cart.id}`);
    await page.getByRole('main').getByRole('button', { name: /^Change/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Change Crash cart 2' });
    const where = dialog.getByLabel('Where it is');
    await expect.poll(() => chosen(where)).toBe('General Hospital > Ward 9 (no longer in use)');
    expect(await description(where)).toBe('General Hospital > Ward 9 is no longer in use: choose where it is now.');
    await expectAccessible(page, 'a retired stock location whose ward has gone');
    await screenshot(page, 'stock-location-ward-gone');
    await dialog.getByRole('button', { name: 'Save and put back in use' }).click();
    const summary = dialog.getByTestId('error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('General Hospital > Ward 9 is no longer in use: choose where Crash cart 2 is now.');
    expect((await pageValue(page, 'stock.locations.get', { id: cart.id })).location).toMatchObject({ active: false, locationPath: 'General Hospital > Ward 9' });
    await where.selectOption({ label: 'General Hospital > Ward 4B' });
    await dialog.getByRole('button', { name: 'Save and put back in use' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await pageValue(page, 'stock.locations.get', { id: cart.id })).location).toMatchObject({ active: true, locationPath: 'General Hospital > Ward 4B' });
    await app.close();
  });
});
