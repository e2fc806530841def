import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/core';
import { launchApp, shutdown } from './harness';
import { createFirstAdmin, expectNoPageProblems, signIn, nav, expectProblem } from './steps';

afterAll(shutdown);

describe('the foundation slice, in Chromium', () => {
  it('adds a device, shows field errors, and keeps the device across a relaunch', async () => {
    const dataDir = tempDir();
    let app = await launchApp({ dataDir });
    const { page } = app;
    await createFirstAdmin(page);

    // A ward to put the device in.
    await nav(page).getByRole('link', { name: 'Locations', exact: true }).click();
    await page.getByLabel('Name').fill('General Hospital');
    await page.getByRole('button', { name: 'Add location' }).click();
    await page.getByText('Added General Hospital.').waitFor();
    await page.getByLabel('Inside').selectOption({ label: 'General Hospital' });
    await page.getByLabel('Name').fill('Ward 4B');
    await page.getByRole('button', { name: 'Add location' }).click();
    await page.getByText('Added General Hospital > Ward 4B.').waitFor();

    // Add a device.
    await nav(page).getByRole('link', { name: 'Equipment', exact: true }).click();
    await page.getByRole('link', { name: 'Add device' }).click();
    await page.getByLabel('Asset tag').fill('IP-0042');
    await page.getByLabel('Name').fill('Infusion pump');
    await page.getByLabel('Location').selectOption({ label: 'General Hospital > Ward 4B' });
    await page.getByRole('button', { name: 'Add device' }).click();
    await page.getByRole('heading', { name: /Infusion pump/ }).waitFor();

    // An empty asset tag: the error sits beside the field and in the summary, which has the focus; nothing is written.
    await nav(page).getByRole('link', { name: 'Equipment', exact: true }).click();
    await page.getByRole('link', { name: 'Add device' }).click();
    await page.getByLabel('Name').fill('Second pump');
    await page.getByLabel('Location').selectOption({ label: 'General Hospital > Ward 4B' });
    await page.getByRole('button', { name: 'Add device' }).click();
    const tagField = page.getByLabel('Asset tag');
    const summary = page.getByTestId('error-summary');
    await summary.getByRole('link', { name: 'Asset tag is required.' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('error-summary');
    expect(await tagField.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await tagField.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${describedBy.split(' ')[0]}"]`).textContent()).toBe('Error: Asset tag is required.');
    // The summary's link takes the focus to the field.
    await summary.getByRole('link', { name: 'Asset tag is required.' }).click();
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('assetTag');

    // A duplicate tag in another case: refused beside the field.
    await tagField.fill(' ip-0042 ');
    await page.getByRole('button', { name: 'Add device' }).click();
    await expectProblem(page, 'Asset tag IP-0042 is already used by "Infusion pump".');
    expect(await tagField.getAttribute('aria-invalid')).toBe('true');
    expect(app.backend.core.db.prepare('SELECT count(*) AS n FROM equipment').get()).toEqual({ n: 1 });

    expectNoPageProblems(app);
    await app.close();

    // Launch again on the same data folder: the device is still there.
    app = await launchApp({ dataDir });
    await signIn(app.page, 'Ada Admin', '2468');
    await nav(app.page).getByRole('link', { name: 'Equipment', exact: true }).click();
    const row = app.page.getByRole('row', { name: /IP-0042/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('General Hospital > Ward 4B');
    expectNoPageProblems(app);
    await app.close();
  });
});
