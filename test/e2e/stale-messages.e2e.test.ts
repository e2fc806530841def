import { addDays, format } from 'date-fns';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/core';
import { launchApp, shutdown } from './harness';
import { launchWard } from './ward';
import { createFirstAdmin, expectNoPageProblems, nav, pageValue, signIn } from './steps';

afterAll(shutdown);
const iso = (d: Date) => format(d, 'yyyy-MM-dd');

describe('no stale message from an earlier action', () => {
  it('categories: "Added X." does not stay beside the next, refused, add', async () => {
    const { app } = await launchWard();
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    await nav(page).getByRole('link', { name: 'Categories', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Categories' }).waitFor();
    const form = page.getByRole('form', { name: 'Add a category' });
    await form.getByRole('textbox').first().fill('Defibrillator');
    await form.getByRole('button', { name: /^Add/ }).click();
    await page.getByText('Added Defibrillator.').waitFor();
    await form.getByRole('textbox').first().fill('infusion PUMP');
    await form.getByRole('button', { name: /^Add/ }).click();
    await form.getByTestId('error-summary').waitFor();
    expect(await page.getByText('Added Defibrillator.').count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });

  it('settings: "Settings saved." does not stay beside the next save, refused before it is sent', async () => {
    const { app, call } = await launchWard();
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    await nav(page).getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByLabel('Date format').selectOption('yyyy-MM-dd');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    const attempts = page.getByLabel('Wrong PINs before an account locks');
    await attempts.fill('1');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByTestId('error-summary').waitFor();
    await expect.poll(() => attempts.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('Settings saved.').count()).toBe(0);
    expect((await call('settings.get', {})).lockoutAttempts).toBe(5);
    expectNoPageProblems(app);
    await app.close();
  });

  it('device page: "Saved the changes" does not stay once a fault is reported', async () => {
    const { app, seeded } = await launchWard();
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), seeded.pumpId);
    await page.getByRole('button', { name: 'Edit…' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit IP-0042' });
    await edit.getByLabel('Model').fill('Volumat MC');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved the changes to IP-0042.').waitFor();
    await page.getByRole('button', { name: 'Report a fault…' }).click();
    const fault = page.getByRole('dialog', { name: /Report a fault/ });
    await fault.getByLabel('What is wrong?').fill('Door latch broken');
    await fault.getByLabel('Your PIN or password').fill('2468');
    await fault.getByRole('button', { name: 'Report the fault' }).click();
    await page.getByTestId('fault-reported').waitFor();
    expect(await page.getByText('Saved the changes to IP-0042.').count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });

  it('Today with plans but nothing due, for a technician: says when the next work is, no false "nothing planned"', async () => {
    const app = await launchApp({ dataDir: tempDir(), viewport: { width: 1366, height: 768 } });
    const { page } = app;
    await createFirstAdmin(page);
    const site = await pageValue(page, 'locations.create', { name: 'General Hospital' });
    const ward = await pageValue(page, 'locations.create', { name: 'Ward 4B', parentId: site.id });
    await pageValue(page, 'equipment.create', { assetTag: 'A-1', name: 'No-plan scale', locationId: ward.id });
    const pump = await pageValue(page, 'equipment.create', { assetTag: 'B-2', name: 'Pump', locationId: ward.id });
    await pageValue(page, 'plans.create', { equipmentId: pump.id, task: 'calibration', every: '1y', startDate: iso(addDays(new Date(), 90)) });
    await page.reload();
    await page.getByTestId('today-headline').waitFor();
    await page.waitForTimeout(800);
    const said = await page.getByTestId('today-empty').innerText();
    expect(said).toContain('The next work due is the calibration of B-2 Pump');
    expectNoPageProblems(app);
    await app.close();
  });
});
