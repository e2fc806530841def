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
