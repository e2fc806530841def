import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/core';
import { expectAccessible, screenshot } from './axe';
import { launchApp, shutdown } from './harness';
import { seedWard } from './seed';
import { expectNoPageProblems, nav, pageValue, signIn } from './steps';

afterAll(shutdown);

/** The app on a seeded ward, Ada Admin signed in. */
async function adminOnWard() {
  const dataDir = tempDir();
  await seedWard(dataDir);
  const app = await launchApp({ dataDir });
  await signIn(app.page, 'Ada Admin', '2468');
  await app.page.getByTestId('signed-in-user').waitFor();
  return app;
}

/** The Locations and Categories screens say what happened, and only that. */
describe('the Locations and Categories screens, in Chromium', () => {
  it('"Move…" on the only site says there is nowhere to move it, offers no Move, and says nothing moved', async () => {
    const app = await adminOnWard();
    const { page } = app;
    await nav(page).getByRole('link', { name: 'Locations', exact: true }).click();
    const tree = page.getByRole('tree', { name: 'Locations' });
    // The only site, holding Ward 4B: there is no other location it could go into.
    await tree.getByRole('treeitem', { name: /^General Hospital/ }).click();
    await page.getByRole('heading', { name: 'General Hospital', level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Move…' }).click();
    const move = page.getByRole('dialog', { name: 'Move General Hospital' });
    await move.waitFor();
    await move.getByText(/^There is nowhere to move General Hospital: /).waitFor();
    expect(await move.getByRole('button', { name: 'Move' }).isDisabled()).toBe(true);
    expect(await move.getByRole('combobox').count()).toBe(0);
    await expectAccessible(page, 'the Move dialog of the only site');
    await screenshot(page, 'locations-move-nowhere');
    await move.getByRole('button', { name: 'Cancel' }).click();
    await move.waitFor({ state: 'detached' });
    expect(await page.getByText(/^Moved: it is now/).count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });

  it('applying default plans to a category with no devices is a plain notice, not a success', async () => {
    const app = await adminOnWard();
    const { page } = app;
    await pageValue(page, 'categories.create', { name: 'Bladder scanner' });
    await nav(page).getByRole('link', { name: 'Categories', exact: true }).click();
    await page.getByRole('link', { name: 'Bladder scanner' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bladder scanner' }).waitFor();
    await page.getByText('0 devices', { exact: true }).waitFor();
    const addPlan = page.getByRole('form', { name: 'Add a default plan' });
    await addPlan.getByLabel('Task').selectOption({ label: 'Inspection' });
    await addPlan.getByLabel('Every').fill('1y');
    await addPlan.getByRole('button', { name: 'Add default plan' }).click();
    await page.getByText(/Added: inspection every year/).waitFor();
    await page.getByRole('button', { name: /Apply to this category/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const notice = page.locator('.banner.info');
    await notice.waitFor();
    expect(await notice.innerText()).toBe(
      'Nothing was applied: this category has no devices yet. Devices added to it get the default plans.',
    );
    expect((await page.locator('.banner').allInnerTexts()).join(' | ')).not.toMatch(/Applied to/);
    expect(await page.locator('.banner.ok').count()).toBe(0);
    await expectAccessible(page, 'a category setup page after applying nothing');
    await screenshot(page, 'category-apply-nothing');
    expectNoPageProblems(app);
    await app.close();
  });

  it('a category is taken out of use and brought back from the Categories screen, asked first', async () => {
    const app = await adminOnWard();
    const { page } = app;
    await pageValue(page, 'categories.create', { name: 'Suction unit' });
    await nav(page).getByRole('link', { name: 'Categories', exact: true }).click();
    await page.getByRole('button', { name: 'Take out of use… Suction unit' }).click();
    const ask = page.getByRole('dialog', { name: 'Take Suction unit out of use?' });
    await ask.waitFor();
    await expectAccessible(page, 'the question before taking a category out of use');
    await ask.getByRole('button', { name: 'Take out of use' }).click();
    await ask.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Suction unit is out of use: it is no longer offered for devices.' }).waitFor();
    const row = page.getByRole('row', { name: /Suction unit/ });
    await row.getByText('out of use', { exact: true }).waitFor();
    await expectAccessible(page, 'the Categories screen with a category out of use');
    await screenshot(page, 'categories-out-of-use');
    expect((await pageValue(page, 'categories.list', {})).find((c) => c.name === 'Suction unit')).toMatchObject({ active: false });
    // "No longer offered for devices": the add form's categories leave it out.
    await page.evaluate(() => (window.location.hash = '/equipment/new'));
    await page.getByRole('heading', { level: 1, name: 'Add a device' }).waitFor();
    await expect.poll(() => page.getByLabel('Category').locator('option').allInnerTexts()).toContain('Infusion pump');
    expect(await page.getByLabel('Category').locator('option').allInnerTexts()).not.toContain('Suction unit');
    await nav(page).getByRole('link', { name: 'Categories', exact: true }).click();
    await page.getByRole('button', { name: 'Bring back… Suction unit' }).click();
    const back = page.getByRole('dialog', { name: 'Bring Suction unit back?' });
    await back.getByRole('button', { name: 'Bring back' }).click();
    await back.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Suction unit is in use again' }).waitFor();
    expect(await row.getByText('out of use', { exact: true }).count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });
});
