import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { newSession } from '../../main/core/session';
import { tempDir } from '../helpers/core';
import { expectAccessible, screenshot } from './axe';
import { launchApp, shutdown } from './harness';
import { caller, seedWard } from './seed';
import { createFirstAdmin, expectNoPageProblems, nav, signIn } from './steps';

afterAll(shutdown);

/** Opens a route and waits for its level-1 heading. */
async function open(page: Page, hash: string, heading: RegExp | string) {
  await page.evaluate((h) => (window.location.hash = h), hash);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  // Lazy screens and their first reads settle before axe looks.
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
}

/** A ward with stock, a stock check on record and a second device: every screen has something to show. */
async function seedEverything(dataDir: string) {
  const seeded = await seedWard(dataDir);
  const app = await launchApp({ dataDir });
  const admin = newSession(Date.now());
  const call = caller(app.backend, admin);
  await call('auth.signIn', { name: 'Ada Admin', secret: '2468' });
  const ward = (await call('locations.list', {})).find((l) => l.path.endsWith('Ward 4B'))!;
  const item = await call('stock.items.create', { name: 'Defibrillator pads', code: 'DEF-PAD', unit: 'pair' });
  const cart = await call('stock.locations.create', { name: 'Crash cart 4B', kind: 'crash_cart', locationId: ward.id });
  await call('stock.levels.set', { stockLocationId: cart.id, itemId: item.id, par: 4, minimum: 2 });
  await call('stock.restock', { stockLocationId: cart.id, itemId: item.id, quantity: 1, lot: 'P-1', expiresOn: null });
  const check = await call('plans.create', { stockLocationId: cart.id, task: 'stock_check', every: '1d', startDate: new Date().toISOString().slice(0, 10) });
  const recorded = await call('completions.log', {
    planId: check.id,
    result: { kind: 'stock_check', lines: [{ itemId: item.id, counted: 1, restock: [], discards: [], note: null }] },
    secret: '2468',
  });
  const cleaning = (await call('completions.history', { equipmentId: seeded.pumpId }))[0]!;
  const category = (await call('categories.list', {})).find((c) => c.name === 'Infusion pump')!;
  return { app, seeded, cart: cart.id, checkRecord: recorded.id, cleaningRecord: cleaning.id, category: category.id };
}

describe('every screen at 1366 × 768, in Chromium', () => {
  it('passes axe with no violations, and each is photographed to be looked at', async () => {
    const { app, seeded, cart, checkRecord, cleaningRecord, category } = await seedEverything(tempDir());
    const { page } = app;
    await expectAccessible(page, 'the sign-in screen');
    await screenshot(page, 'sign-in');
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();

    const screens: [string, string, RegExp | string][] = [
      ['today', '#/', 'Today'],
      ['equipment-list', '#/equipment', 'Equipment'],
      ['device-page', `#/equipment/${seeded.pumpId}`, /Infusion pump/],
      ['device-new', '#/equipment/new', 'Add a device'],
      ['log-calibration', `#/log/${seeded.calibrationPlanId}`, /Log work/],
      ['log-correction', `#/log/${seeded.cleaningPlanId}?amend=${cleaningRecord}`, /Correct a record/],
      ['locations', '#/locations', 'Locations'],
      ['categories', '#/categories', 'Categories'],
      ['category-setup', `#/categories/${category}`, 'Infusion pump'],
      ['stock-locations', '#/stock', 'Stock'],
      ['stock-items', '#/stock/items', 'Stock'],
      ['stock-reorder', '#/stock/reorder', 'Reorder list'],
      ['stock-expiry', '#/stock/expiry', 'Expiry list'],
      ['stock-location', `#/stock/locations/${cart}`, /Crash cart 4B/],
      ['stock-check', `#/stock/checks/${checkRecord}`, 'Stock check of Crash cart 4B'],
      ['due-lists', '#/reports/due-list', 'Due lists'],
      ['compliance', '#/reports/compliance', 'Compliance report'],
      ['stickers', '#/reports/stickers', 'Calibration stickers'],
      ['repairs', '#/work-orders', 'Repairs'],
      ['downtime', '#/reports/downtime', 'Downtime'],
      ['failures', '#/reports/failures', 'Failures'],
      ['log-unplanned', `#/log/unplanned/${seeded.pumpId}/cleaning`, /Log work/],
      ['import', '#/import', 'Import equipment'],
      ['users', '#/users', 'Users'],
      ['settings', '#/settings', 'Settings'],
      ['settings-lists', '#/settings/lists', 'Task types and repair codes'],
      ['backups', '#/backups', 'Backups'],
    ];
    for (const [name, hash, heading] of screens) {
      await open(page, hash, heading);
      await expectAccessible(page, name);
      await screenshot(page, name);
    }

    // The kit's pieces as a person meets them: a refused save with its summary, a form dialog,
    // a confirm dialog, the date input's calendar.
    await open(page, `#/log/${seeded.calibrationPlanId}`, /Log work/);
    await page.getByRole('button', { name: 'Sign and save' }).click();
    await page.getByTestId('error-summary').waitFor();
    await expectAccessible(page, 'the record form with its problems');
    await screenshot(page, 'log-calibration-problems');
    await page.getByLabel('Performed on').focus();
    await page.keyboard.press('Alt+ArrowDown');
    await page.getByRole('dialog', { name: 'Calendar: Performed on' }).waitFor();
    await expectAccessible(page, 'the date input with its calendar open');
    await screenshot(page, 'date-calendar');
    await page.keyboard.press('Escape');

    await open(page, `#/equipment/${seeded.pumpId}`, /Infusion pump/);
    await page.getByRole('button', { name: 'Edit…' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit IP-0042' });
    await edit.getByLabel('Asset tag').fill('');
    await edit.getByLabel('In service since').fill('01/01/2099');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.getByTestId('error-summary').waitFor();
    await expectAccessible(page, 'the device edit dialog with its problems');
    await screenshot(page, 'device-edit-problems');
    await edit.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('dialog', { name: 'Delete IP-0042?' }).waitFor();
    await expectAccessible(page, 'the confirm dialog');
    await screenshot(page, 'confirm-delete');
    await page.keyboard.press('Escape');

    expectNoPageProblems(app);
    await app.close();
  });

  it('the first-run screen, the PIN screen and an empty database are accessible too', async () => {
    const app = await launchApp({ dataDir: tempDir() });
    const { page } = app;
    await page.getByRole('heading', { name: 'Welcome to Wardkeep' }).waitFor();
    await expectAccessible(page, 'first run');
    await screenshot(page, 'first-run');
    await createFirstAdmin(page);
    await page.getByTestId('today-empty').waitFor();
    await expectAccessible(page, 'Today on an empty database');
    await screenshot(page, 'today-empty');
    await nav(page).getByRole('link', { name: 'Compliance', exact: true }).click();
    await page.getByTestId('compliance-empty').waitFor();
    await expectAccessible(page, 'compliance on an empty database');
    await screenshot(page, 'compliance-empty');
    const res = await page.evaluate(() => window.api.invoke('users.create', { name: 'Tom Tech', role: 'technician', temporaryPin: '7391' }));
    expect(res.ok).toBe(true);
    await page.keyboard.press('Control+l');
    await signIn(page, 'Tom Tech', '7391');
    await page.getByRole('heading', { name: 'Choose your PIN, Tom Tech' }).waitFor();
    await expectAccessible(page, 'choose your PIN');
    await screenshot(page, 'set-pin');
    expectNoPageProblems(app);
    await app.close();
  });
});

