import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { item, level, stockLocation } from '../integration/stock/fixtures';
import { expectAccessible } from './axe';
import { shutdown } from './harness';
import { launchWard } from './ward';
import { expectNoPageProblems, signIn } from './steps';

afterAll(shutdown);

/**
 * The stock screens' dialogs acting on what they opened with, after someone else changed the record
 * (another window, another PC through the hub): they used to put the old values back unseen. Now a
 * change already on screen is kept, one not yet on screen is refused in words naming what it is now,
 * and the next press is made on the record as it now is.
 */
const go = (page: Page, route: string) => page.evaluate((r) => (window.location.hash = r), route);

async function signedIn() {
  const ward = await launchWard();
  await signIn(ward.app.page, 'Ada Admin', '2468');
  await ward.app.page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();
  return ward;
}

describe('stock dialogs opened before someone else changed the item', () => {
  it('Levels…: a minimum saved after someone changed the par is refused beside Par, naming the levels now; Par takes the new figure; the next save keeps both', async () => {
    const { app, call } = await signedIn();
    const { page } = app;
    const cart = stockLocation(app.backend.core, 'Crash cart 4B');
    const pads = item(app.backend.core, 'PAD', 'Defib pads');
    level(app.backend.core, cart, pads, 6, 1);
    await go(page, `#/stock/locations/${cart}`);
    await page.getByRole('button', { name: 'Levels… of Defib pads' }).click();
    const dialog = page.getByRole('dialog', { name: 'Levels of Defib pads' });
    await dialog.getByLabel('Minimum').waitFor();
    await call('stock.levels.set', { stockLocationId: cart, itemId: pads, par: 10, minimum: 1 });
    await dialog.getByLabel('Minimum').fill('2');
    await dialog.getByRole('button', { name: 'Save levels' }).click();
    const sentence = 'The levels of Defib pads at Crash cart 4B were changed by someone else since you opened this (now par 10, minimum 1): check them, and save again if you still mean to.';
    await expect.poll(() => dialog.getByLabel('Par level').getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByText(sentence).count()).toBe(2);
    expect(await dialog.getByLabel('Par level').inputValue()).toBe('10');
    expect(await dialog.getByLabel('Minimum').inputValue()).toBe('2');
    expect((await call('stock.locations.get', { id: cart })).items[0]).toMatchObject({ par: 10, minimum: 1 });
    await expectAccessible(page, 'Levels, changed meanwhile');
    await dialog.getByRole('button', { name: 'Save levels' }).click();
    await page.getByText('Defib pads: par 10, minimum 2.').waitFor();
    expect((await call('stock.locations.get', { id: cart })).items[0]).toMatchObject({ par: 10, minimum: 2 });
    expectNoPageProblems(app);
    await app.close();
  });

  it('Change… on a stock location renamed since it opened is refused beside Name, naming the new name; the next save keeps the rename and the new kind', async () => {
    const { app, call } = await signedIn();
    const { page } = app;
    const cart = stockLocation(app.backend.core, 'Crash cart');
    await go(page, `#/stock/locations/${cart}`);
    await page.getByRole('button', { name: 'Change…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Kind').waitFor();
    const head = (await call('stock.locations.get', { id: cart })).location;
    await call('stock.locations.update', { id: cart, name: 'Crash cart 4B', kind: head.kind, locationId: head.locationId, equipmentId: null });
    await dialog.getByLabel('Kind').selectOption({ label: 'Other' });
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => dialog.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByText('Crash cart was changed by someone else since you opened this (now called "Crash cart 4B"): check it, and try again if you still mean to.').count()).toBe(2);
    expect(await dialog.getByLabel('Name').inputValue()).toBe('Crash cart 4B');
    expect((await call('stock.locations.get', { id: cart })).location).toMatchObject({ name: 'Crash cart 4B', kind: 'crash_cart' });
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved Crash cart 4B.').waitFor();
    expect((await call('stock.locations.get', { id: cart })).location).toMatchObject({ name: 'Crash cart 4B', kind: 'other' });
    await app.close();
  });

  it('"No longer in use" pressed before a rename arriving by sync reached the page is refused naming the new name; pressed again it retires it, the rename kept', async () => {
    const { app, call } = await signedIn();
    const { page } = app;
    const cart = stockLocation(app.backend.core, 'Crash cart');
    await go(page, `#/stock/locations/${cart}`);
    await page.getByRole('button', { name: 'Change…' }).click();
    await page.getByRole('button', { name: 'No longer in use…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Crash cart no longer in use?' });
    await dialog.waitFor();
    // The rename is in the database (applied from the hub) before this page has read it again.
    app.backend.core.db.prepare("UPDATE stock_locations SET name = 'Crash cart 4B' WHERE id = ?").run(cart);
    await dialog.getByRole('button', { name: 'No longer in use', exact: true }).click();
    await page.getByText('Crash cart was changed by someone else since you opened this (now called "Crash cart 4B"): check it, and try again if you still mean to.').waitFor();
    expect((await call('stock.locations.get', { id: cart })).location).toMatchObject({ name: 'Crash cart 4B', active: true });
    // The page has read it again: the dialog now asks about it by its name, and the press goes.
    const again = page.getByRole('dialog', { name: 'Crash cart 4B no longer in use?' });
    await again.waitFor();
    await again.getByRole('button', { name: 'No longer in use', exact: true }).click();
    await page.getByText('Crash cart 4B is no longer in use; its checks are suspended.').waitFor();
    expect((await call('stock.locations.get', { id: cart })).location).toMatchObject({ name: 'Crash cart 4B', active: false });
    await app.close();
  });

  it('Supply items: "Stop using…" confirmed after someone renamed the item stops using it under its new name, never the old one', async () => {
    const { app, call } = await signedIn();
    const { page } = app;
    const gel = item(app.backend.core, 'GEL', 'Ultrasound gel', 'bottle');
    await go(page, '#/stock/items');
    await page.getByRole('button', { name: 'Stop using… Ultrasound gel' }).click();
    await page.getByRole('dialog', { name: 'Stop using Ultrasound gel?' }).waitFor();
    await call('stock.items.update', { id: gel, name: 'Ultrasound gel 250 ml', code: 'GEL', unit: 'bottle', defaultSupplier: null });
    const dialog = page.getByRole('dialog', { name: 'Stop using Ultrasound gel 250 ml?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Stop using it' }).click();
    await page.getByText('Ultrasound gel 250 ml is no longer used.').waitFor();
    expect((await call('stock.items.list', {})).find((i) => i.id === gel)).toMatchObject({ name: 'Ultrasound gel 250 ml', active: false });
    await app.close();
  });

  it('Supply items: "Stop using…" pressed before a rename arriving by sync reached the list is refused naming the new name; pressed again it goes', async () => {
    const { app, call } = await signedIn();
    const { page } = app;
    const gel = item(app.backend.core, 'GEL', 'Ultrasound gel', 'bottle');
    await go(page, '#/stock/items');
    await page.getByRole('button', { name: 'Stop using… Ultrasound gel' }).click();
    const dialog = page.getByRole('dialog', { name: 'Stop using Ultrasound gel?' });
    await dialog.waitFor();
    app.backend.core.db.prepare("UPDATE supply_items SET name = 'Ultrasound gel 250 ml' WHERE id = ?").run(gel);
    await dialog.getByRole('button', { name: 'Stop using it' }).click();
    await page.getByText('Ultrasound gel was changed by someone else since you opened this (now called "Ultrasound gel 250 ml"): check it, and try again if you still mean to.').waitFor();
    expect((await call('stock.items.list', {})).find((i) => i.id === gel)).toMatchObject({ name: 'Ultrasound gel 250 ml', active: true });
    const again = page.getByRole('dialog', { name: 'Stop using Ultrasound gel 250 ml?' });
    await again.getByRole('button', { name: 'Stop using it' }).click();
    await page.getByText('Ultrasound gel 250 ml is no longer used.').waitFor();
    expect((await call('stock.items.list', {})).find((i) => i.id === gel)).toMatchObject({ name: 'Ultrasound gel 250 ml', active: false });
    await app.close();
  });

  it('Supply items: Change… opened before someone changed the supplier is refused naming it; the supplier field takes it; the next save keeps both', async () => {
    const { app, call } = await signedIn();
    const { page } = app;
    const gel = item(app.backend.core, 'GEL', 'Ultrasound gel', 'bottle');
    await go(page, '#/stock/items');
    await page.getByRole('button', { name: 'Change… Ultrasound gel' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change Ultrasound gel' });
    await dialog.getByLabel('Unit').waitFor();
    await call('stock.items.update', { id: gel, name: 'Ultrasound gel', code: 'GEL', unit: 'bottle', defaultSupplier: 'Medisupply' });
    await dialog.getByLabel('Unit').fill('box of 12');
    await dialog.getByRole('button', { name: 'Save item' }).click();
    await expect.poll(() => dialog.getByLabel('Default supplier').getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByText('Ultrasound gel was changed by someone else since you opened this (supplied by Medisupply now): check it, and try again if you still mean to.').count()).toBe(2);
    expect(await dialog.getByLabel('Default supplier').inputValue()).toBe('Medisupply');
    await dialog.getByRole('button', { name: 'Save item' }).click();
    await page.getByText('Saved Ultrasound gel.').waitFor();
    expect((await call('stock.items.list', {})).find((i) => i.id === gel)).toMatchObject({ unit: 'box of 12', defaultSupplier: 'Medisupply' });
    await app.close();
  });
});

describe('stock items put on or taken off a list meanwhile', () => {
  it('"Add item" of an item another PC put on the list (arrived by sync, not yet on the page) is refused naming its levels; they stay; the list shows it', async () => {
    const { app, call } = await signedIn();
    const { page } = app;
    const core = app.backend.core;
    const cart = stockLocation(core, 'Crash cart 4B');
    const pads = item(core, 'PAD', 'Defib pads');
    await go(page, `#/stock/locations/${cart}`);
    const add = page.getByRole('form', { name: 'Keep another item here' });
    await add.getByLabel('Item').selectOption({ label: 'Defib pads (PAD, each)' });
    await add.getByLabel('Par level').fill('10');
    await add.getByLabel('Minimum').fill('2');
    // Added at another PC and applied from the hub before this page read it again.
    core.db
      .prepare("INSERT INTO stock_levels (stock_location_id, item_id, par, minimum, on_hand, created_at, updated_at, pc_id) VALUES (?, ?, 6, 1, 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'other')")
      .run(cart, pads);
    await add.getByRole('button', { name: 'Add item' }).click();
    await page
      .getByText('Defib pads is already kept at Crash cart 4B: someone else added it since this page was read, with par 6, minimum 1. Change them with its Levels… if they should be otherwise.')
      .waitFor();
    expect((await call('stock.locations.get', { id: cart })).items).toMatchObject([{ par: 6, minimum: 1 }]);
    await expect.poll(() => page.getByTestId('stock-item-row').filter({ hasText: 'Defib pads' }).count()).toBe(1);
    expect(await page.getByText('Added Defib pads').count()).toBe(0);
    await expectAccessible(page, 'Add item, put on the list meanwhile');
    expectNoPageProblems(app);
    await app.close();
  });

  it('"Add item" of an item added in another window is refused naming who added it and its levels, never set over them', async () => {
    const { app, call } = await signedIn();
    const { page } = app;
    const core = app.backend.core;
    const cart = stockLocation(core, 'Crash cart 4B');
    const pads = item(core, 'PAD', 'Defib pads');
    item(core, 'GEL', 'Ultrasound gel');
    await go(page, `#/stock/locations/${cart}`);
    const add = page.getByRole('form', { name: 'Keep another item here' });
    await add.getByLabel('Item').selectOption({ label: 'Defib pads (PAD, each)' });
    await add.getByLabel('Par level').fill('10');
    await add.getByLabel('Minimum').fill('2');
    await call('stock.levels.set', { stockLocationId: cart, itemId: pads, par: 6, minimum: 1 });
    await add.getByRole('button', { name: 'Add item' }).click();
    await page.getByText(/^Defib pads is already kept at Crash cart 4B: Ada Admin added it at \d\d\/\d\d\/\d{4} \d\d:\d\d, with par 6, minimum 1\./).waitFor();
    expect((await call('stock.locations.get', { id: cart })).items).toMatchObject([{ par: 6, minimum: 1 }]);
    await app.close();
  });

  it('Levels… of an item someone took off the list meanwhile says once who did and when, then offers only Close; the list no longer shows it', async () => {
    const { app, call } = await signedIn();
    const { page } = app;
    const core = app.backend.core;
    const cart = stockLocation(core, 'Crash cart 4B');
    const pads = item(core, 'PAD', 'Defib pads');
    level(core, cart, pads, 6, 1);
    await go(page, `#/stock/locations/${cart}`);
    await page.getByRole('button', { name: 'Levels… of Defib pads' }).click();
    const dialog = page.getByRole('dialog', { name: 'Levels of Defib pads' });
    await dialog.getByLabel('Minimum').waitFor();
    await call('stock.levels.remove', { stockLocationId: cart, itemId: pads });
    await dialog.getByLabel('Minimum').fill('2');
    await dialog.getByRole('button', { name: 'Save levels' }).click();
    await dialog.getByText(/^Defib pads is no longer kept at Crash cart 4B: Ada Admin took it off the list at \d\d\/\d\d\/\d{4} \d\d:\d\d, so it has no levels to save\./).waitFor();
    expect(await dialog.getByRole('button').allInnerTexts()).toEqual(['Close']);
    expect(await page.getByTestId('stock-item-row').count()).toBe(0);
    await expectAccessible(page, 'Levels, item taken off the list meanwhile');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await call('stock.locations.get', { id: cart })).items).toEqual([]);
    await app.close();
  });

  it('Levels… of an item taken off the list and no longer used (arrived by sync) says so once, offers only Close, and the list is read again', async () => {
    const { app } = await signedIn();
    const { page } = app;
    const core = app.backend.core;
    const cart = stockLocation(core, 'Crash cart 4B');
    const pads = item(core, 'PAD', 'Defib pads');
    level(core, cart, pads, 6, 1);
    await go(page, `#/stock/locations/${cart}`);
    await page.getByRole('button', { name: 'Levels… of Defib pads' }).click();
    const dialog = page.getByRole('dialog', { name: 'Levels of Defib pads' });
    await dialog.getByLabel('Minimum').waitFor();
    core.db.prepare('DELETE FROM stock_levels WHERE stock_location_id = ? AND item_id = ?').run(cart, pads);
    core.db.prepare('UPDATE supply_items SET active = 0 WHERE id = ?').run(pads);
    await dialog.getByLabel('Minimum').fill('2');
    await dialog.getByRole('button', { name: 'Save levels' }).click();
    await dialog
      .getByText('Defib pads is no longer used, and no longer kept at Crash cart 4B, so it has no levels to save here. Close this; it can be put back in use under Supply items if it is needed.')
      .waitFor();
    expect(await dialog.getByRole('button').allInnerTexts()).toEqual(['Close']);
    await expect.poll(() => page.getByTestId('stock-item-row').count()).toBe(0);
    await app.close();
  });
});
