import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/core';
import { launchApp, shutdown } from './harness';
import { seedWard } from './seed';
import { expectNoPageProblems, pageInvoke, pageValue, signIn, openCategory } from './steps';

afterAll(shutdown);

describe('a category\'s checklist and default plans, in Chromium', () => {
  it('a supervisor defines them; a new device of the category gets the plan and the checklist', async () => {
    const dataDir = tempDir();
    await seedWard(dataDir);
    const app = await launchApp({ dataDir });
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    expect(await pageInvoke(page, 'categories.create', { name: 'Defibrillator', defaultRisk: 'high' })).toMatchObject({ ok: true });

    await openCategory(page, 'Defibrillator');
    await page.getByLabel('Steps, one per line').fill('Casing and cables intact\nSelf-test passes\nPads in date');
    await page.getByRole('button', { name: 'Save checklist' }).click();
    await page.getByText('Saved as version 1.').waitFor();

    const addPlan = page.getByRole('form', { name: 'Add a default plan' });
    await addPlan.getByLabel('Task').selectOption({ label: 'Inspection' });
    await addPlan.getByLabel('Every').fill('1m');
    await addPlan.getByRole('button', { name: 'Add default plan' }).click();
    await page.getByText(/Added: inspection every month/).waitFor();

    // A device added to the category now: its plan and its checklist are there.
    const ward = await pageValue(page, 'locations.list', {});
    const created = await pageValue(page, 'equipment.create', {
      assetTag: 'DF-9',
      name: 'Defibrillator',
      locationId: ward.find((l) => l.path.endsWith('Ward 4B'))!.id,
      categoryId: (await pageValue(page, 'categories.list', {})).find((c) => c.name === 'Defibrillator')!.id,
    });
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), created.id);
    await page.getByRole('heading', { level: 1, name: /Defibrillator/ }).waitFor();
    await page.getByRole('link', { name: 'Log work' }).click();
    await page.getByRole('heading', { level: 2, name: 'Inspection' }).waitFor();
    for (const step of ['Casing and cables intact', 'Self-test passes', 'Pads in date']) await page.getByRole('group', { name: step }).waitFor();
    await page.getByRole('group', { name: 'Casing and cables intact' }).getByLabel('Pass').check();
    await page.getByRole('group', { name: 'Self-test passes' }).getByLabel('Pass').check();
    await page.getByRole('group', { name: 'Pads in date' }).getByLabel('Fail').check();
    await page.getByText('Outcome from the steps: Fail').waitFor();
    await page.getByLabel('Your PIN or password').fill('2468');
    await page.getByRole('button', { name: 'Sign and save' }).click();
    await page.getByText('Saved: inspection, fail, signed by Ada Admin.').waitFor();
    expectNoPageProblems(app);
    await app.close();
  });

  it('removing a default plan with the keyboard leaves the focus on the notice saying so, not lost with its row', async () => {
    const dataDir = tempDir();
    await seedWard(dataDir);
    const app = await launchApp({ dataDir });
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    const scanners = await pageValue(page, 'categories.create', { name: 'Bladder scanner' });
    await pageValue(page, 'categoryPlans.add', { categoryId: scanners.id, task: 'inspection', every: '1y' });
    await openCategory(page, 'Bladder scanner');
    await page.getByRole('button', { name: 'Remove… the default inspection plan' }).focus();
    await page.keyboard.press('Enter');
    const ask = page.getByRole('dialog', { name: 'Remove the default inspection plan?' });
    await ask.getByRole('button', { name: 'Remove' }).focus();
    await page.keyboard.press('Enter');
    await ask.waitFor({ state: 'detached' });
    await page.getByText('Removed. Plans already made from it stay on their devices.').waitFor();
    await page.getByText('No default plans.').waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName)).toBe('default-plans-notice');
    expectNoPageProblems(app);
    await app.close();
  });
});
