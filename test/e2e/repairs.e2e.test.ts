import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { printRoute } from '../../renderer/src/lib/print-route';
import { tempDir } from '../helpers/core';
import { pdfInfo, pdfPagesText, renderPagePng } from '../helpers/pdf';
import { expectAccessible, screenshot } from './axe';
import { launchApp, shutdown } from './harness';
import { createFirstAdmin, expectNoPageProblems, nav, pageValue, personWithPin, switchTo } from './steps';

afterAll(shutdown);

const OUT = path.resolve('test-results/print');
mkdirSync(OUT, { recursive: true });

/** A USB scanner: the tag's keys in one fast burst, then Enter, with no field focused (as inventory.e2e does). */
async function scan(page: Page, tag: string, expected: Locator) {
  await page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
  await page.evaluate((keys) => {
    const target = document.activeElement ?? document.body;
    for (const key of [...keys, 'Enter']) {
      target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
      target.dispatchEvent(new KeyboardEvent('keyup', { key, bubbles: true, cancelable: true }));
    }
  }, [...tag]);
  await expected.waitFor({ timeout: 30_000 });
}

describe('repairs, in Chromium', () => {
  it('ward staff report a fault by keyboard from a scan; the pump is DO NOT USE on Today and on paper; a technician repairs it with a part, signs the safety test and returns it', async () => {
    const app = await launchApp({ dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await pageValue(page, 'settings.update', { dateFormat: 'yyyy-MM-dd' });
    const site = await pageValue(page, 'locations.create', { name: 'General Hospital' });
    const ward = await pageValue(page, 'locations.create', { name: 'Ward 4B', parentId: site.id });
    const pump = await pageValue(page, 'equipment.create', { assetTag: 'IP-0042', name: 'Infusion pump', locationId: ward.id, risk: 'high' });
    const today = new Date().toISOString().slice(0, 10);
    await pageValue(page, 'plans.create', { equipmentId: pump.id, task: 'electrical_safety', every: '1y', startDate: today });
    const store = await pageValue(page, 'stock.locations.create', { name: 'Ward 4B store', kind: 'store', locationId: ward.id });
    const sensor = await pageValue(page, 'stock.items.create', { name: 'Occlusion sensor', code: 'OCC-S', unit: 'piece' });
    await pageValue(page, 'stock.levels.set', { stockLocationId: store.id, itemId: sensor.id, par: 2, minimum: 1 });
    await pageValue(page, 'stock.restock', { stockLocationId: store.id, itemId: sensor.id, quantity: 2, lot: 'L1', expiresOn: '2030-01-31' });
    // A new device of a category with a default calibration: the add form asks when it was last calibrated.
    const pumps = await pageValue(page, 'categories.create', { name: 'Syringe driver', defaultRisk: 'high' });
    await pageValue(page, 'categoryPlans.add', { categoryId: pumps.id, task: 'calibration', every: '1y' });
    await page.evaluate(() => {
      window.location.hash = '#/equipment/new';
    });
    await page.getByRole('heading', { name: 'Add a device' }).waitFor();
    await page.getByLabel('Asset tag').fill('SD-0001');
    await page.getByLabel('Name', { exact: true }).fill('Syringe driver');
    await page.getByLabel('Location').selectOption({ label: 'General Hospital > Ward 4B' });
    await page.getByLabel('Category').selectOption({ label: 'Syringe driver' });
    await page.getByLabel('Last calibration').fill('2026-02-30');
    await page.getByRole('button', { name: 'Add device' }).click();
    await page.getByTestId('error-summary').getByRole('link', { name: /2026-02-30 is not a date in the calendar/ }).waitFor();
    await page.getByLabel('Last calibration').fill('2026-02-28');
    await expectAccessible(page, 'the add-device form with a last-done date');
    await screenshot(page, 'repairs-add-device-last-done');
    await page.getByRole('button', { name: 'Add device' }).click();
    await page.getByRole('heading', { level: 1, name: /Syringe driver/ }).waitFor();
    const driver = await pageValue(page, 'equipment.findByTag', { tag: 'SD-0001' });
    expect((await pageValue(page, 'plans.list', { equipmentId: driver.id })).plans.map((p) => [p.task, p.nextDue])).toEqual([['calibration', '2027-02-28']]);

    await personWithPin(app, 'Nia Nurse', 'ward_staff', '3579', ward.id);
    await personWithPin(app, 'Tom Tech', 'technician', '1357', null);

    // Ward staff: Today and device pages only.
    await switchTo(page, 'Nia Nurse', '3579');
    await page.getByRole('heading', { name: 'Today', exact: true }).waitFor();
    expect(await nav(page).getByRole('link').allTextContents()).toEqual(['Today']);

    // From the scan to the reported fault, keyboard only, in under 15 seconds.
    const started = Date.now();
    await scan(page, 'IP-0042', page.getByRole('heading', { level: 1, name: /Infusion pump/ }));
    const report = page.getByRole('button', { name: 'Report a fault…' });
    await expect.poll(() => report.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: /^Report a fault on IP-0042/ });
    await dialog.waitFor();
    await page.keyboard.type('Occlusion alarm with the line clear');
    await page.keyboard.press('Tab');
    expect(await dialog.getByRole('checkbox', { name: /Take it out of use now/ }).isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.type('3579');
    await page.keyboard.press('Enter');
    const done = page.getByTestId('fault-reported');
    await done.waitFor();
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await done.textContent()).toBe('Reported: work order WO-0001 is open for IP-0042. IP-0042 is out of service: do not use it.');
    await page.getByTestId('do-not-use').waitFor();
    expect(await page.getByTestId('open-work-order').textContent()).toContain('Occlusion alarm with the line clear');
    await expectAccessible(page, 'the device page after a fault report');
    await screenshot(page, 'repairs-device-reported');

    // Today: the pump stays on the ward's view, DO NOT USE, with its work order's state.
    await page.getByRole('link', { name: '‹ Today' }).click();
    const out = page.getByTestId('out-of-service-row').filter({ hasText: 'IP-0042' });
    await out.waitFor();
    expect(await out.textContent()).toMatch(/DO NOT USE.*Fault reported \(WO-0001\).*WO-0001: reported/);
    await expectAccessible(page, 'Today with a device out of service');
    await screenshot(page, 'repairs-today');

    // The technician.
    await switchTo(page, 'Tom Tech', '1357');
    // The printed due list with its "do not use" section, on A4 and on Letter.
    for (const [paper, size] of [
      ['a4', { widthPt: 595, heightPt: 842 }],
      ['letter', { widthPt: 612, heightPt: 792 }],
    ] as const) {
      const printPage = await app.context.newPage();
      await printPage.goto(`${new URL(page.url()).origin}/#${printRoute('due-list', { statuses: ['overdue', 'due'], outOfService: true }, paper)}`);
      await printPage.waitForSelector('html[data-print-state="ready"]', { state: 'attached' });
      const pdf = path.join(OUT, `due-list-out-of-service-${paper}.pdf`);
      await printPage.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
      await printPage.close();
      const info = pdfInfo(pdf);
      expect([Math.round(info.widthPt), Math.round(info.heightPt)]).toEqual([size.widthPt, size.heightPt]);
      const text = pdfPagesText(pdf).join('\n').replace(/\s+/g, ' ');
      expect(text).toContain('Out of service: do not use');
      expect(text).toMatch(/IP-0042 .*DO NOT USE/);
      expect(text).toContain('WO-0001: reported');
      renderPagePng(pdf, 1, path.join(OUT, `due-list-out-of-service-${paper}`));
    }

    await nav(page).getByRole('link', { name: 'Repairs' }).click();
    await page.getByTestId('work-order-row').filter({ hasText: 'IP-0042' }).getByRole('link', { name: 'WO-0001' }).click();
    const state = page.getByTestId('work-order-state');
    await expect.poll(() => state.textContent()).toBe('Reported');
    await expectAccessible(page, 'a reported work order');

    await page.getByRole('button', { name: 'Take it…' }).click();
    const take = page.getByRole('dialog', { name: /^Take: WO-0001/ });
    await take.getByLabel('Your PIN or password').fill('1357');
    await page.keyboard.press('Enter');
    await expect.poll(() => state.textContent()).toBe('In progress');

    await page.getByRole('button', { name: 'Log the repair…' }).click();
    const repair = page.getByRole('dialog', { name: /^Log the repair: WO-0001/ });
    await repair.getByLabel('Work done').fill('Replaced the occlusion sensor');
    await repair.getByLabel('Failure code').selectOption({ label: 'Mechanical' });
    await repair.getByLabel('Cause code').selectOption({ label: 'Wear' });
    await repair.getByLabel('Labour (minutes)').fill('40');
    await repair.getByRole('button', { name: 'Add a supply used' }).click();
    await repair.getByLabel('Taken from').selectOption({ label: 'Ward 4B store, General Hospital > Ward 4B' });
    await repair.getByLabel('Item').selectOption({ index: 1 });
    await repair.getByLabel(/^Quantity/).fill('1');
    await repair.getByLabel('Your PIN or password').fill('1357');
    await expectAccessible(page, 'the repair dialog');
    await screenshot(page, 'repairs-repair-dialog');
    await repair.getByRole('button', { name: 'Log the repair' }).click();
    await expect.poll(() => state.textContent()).toBe('Repaired, to be checked');
    expect(await page.getByTestId('work-order-steps').textContent()).toContain('1 piece Occlusion sensor from Ward 4B store');

    // Refused until the post-repair safety test passes.
    await page.getByRole('button', { name: 'Return to service…' }).click();
    const early = page.getByRole('dialog', { name: /^Return to service: WO-0001/ });
    await early.getByLabel('Your PIN or password').fill('1357');
    await page.keyboard.press('Enter');
    await early.getByTestId('error-summary').getByText(/cannot be closed without its post-repair check/).waitFor();
    await early.getByRole('button', { name: 'Cancel' }).click();

    await page.getByTestId('post-repair-check').getByRole('link', { name: 'Log the electrical safety test' }).click();
    await page.getByRole('heading', { name: /^Log work: Infusion pump/ }).waitFor();
    await page.getByLabel('Pass', { exact: true }).check();
    await page.getByLabel('Your PIN or password').fill('1357');
    await page.getByRole('button', { name: /^Sign and save/ }).click();
    await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor();
    await page.getByTestId('open-work-order').getByRole('link', { name: 'WO-0001' }).click();
    await expect.poll(() => page.getByTestId('post-repair-check').textContent()).toMatch(/passed .* signed by Tom Tech/);
    await screenshot(page, 'repairs-work-order-checked');
    await page.getByRole('button', { name: 'Return to service…' }).click();
    const back = page.getByRole('dialog', { name: /^Return to service: WO-0001/ });
    await back.getByLabel('Your PIN or password').fill('1357');
    await page.keyboard.press('Enter');
    await expect.poll(() => state.textContent()).toBe('Returned to service');
    expect(await page.getByTestId('work-order-steps').textContent()).toMatch(/Fault reported.*Nia Nurse.*Taken.*Tom Tech.*Repair logged.*Post-repair check.*Returned to service/);
    await expectAccessible(page, 'a work order returned to service');
    await screenshot(page, 'repairs-work-order-returned');
    expect((await pageValue(page, 'equipment.get', { id: pump.id })).status).toBe('in_service');
    expect((await pageValue(page, 'equipment.statusHistory', { equipmentId: pump.id })).map((h) => [h.toStatus, h.cause])).toEqual([
      ['out_of_service', 'fault'],
      ['in_service', 'work_order'],
    ]);
    // The downtime report shows the spell, and exports it.
    await nav(page).getByRole('link', { name: 'Downtime' }).click();
    const spell = page.getByTestId('downtime-row').filter({ hasText: 'IP-0042' });
    await spell.waitFor();
    expect(await spell.textContent()).toMatch(/IP-0042 Infusion pump.*General Hospital > Ward 4B.* to .*\(WO-0001\)/);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(csv.suggestedFilename()).toMatch(/^downtime-\d{4}-\d{2}-01-to-\d{4}-\d{2}-\d{2}\.csv$/);
    await expectAccessible(page, 'the downtime report');
    await screenshot(page, 'repairs-downtime');
    expectNoPageProblems(app);
    await app.close();
  });
});
