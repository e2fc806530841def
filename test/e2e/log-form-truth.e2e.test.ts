import { addDays, format } from 'date-fns';
import { afterAll, describe, expect, it } from 'vitest';
import { item, level, stock, stockLocation } from '../integration/stock/fixtures';
import { shutdown } from './harness';
import { launchWard } from './ward';
import { expectNoPageProblems, focused, signIn, tabTo } from './steps';

afterAll(shutdown);
const iso = (d: Date) => format(d, 'yyyy-MM-dd');

describe('the record form tells the truth', () => {
  it('supplies used refused (more than on hand): beside the quantity and in the summary; fixed, the message goes', async () => {
    const { app, seeded } = await launchWard();
    const { page } = app;
    const core = app.backend.core;
    const cart = stockLocation(core, 'Crash cart 4B');
    const pads = item(core, 'PAD', 'Defib pads');
    level(core, cart, pads, 4, 2);
    stock(core, cart, pads, 2, 'L1', iso(addDays(new Date(), 100)));
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').waitFor();
    await page.evaluate((id) => (window.location.hash = `#/log/${id}`), seeded.cleaningPlanId);
    await page.getByRole('heading', { level: 2, name: 'Cleaning' }).waitFor();
    await page.getByRole('button', { name: 'Add a supply used' }).click();
    const selects = page.locator('.supplies-used select');
    await expect.poll(() => selects.count()).toBeGreaterThan(1);
    await selects.nth(0).selectOption({ label: await selects.nth(0).locator('option', { hasText: 'Crash cart' }).first().innerText() });
    await selects.nth(1).selectOption({ index: 1 });
    await page.locator('.supplies-used .qty-input').fill('5');
    await page.getByLabel('Your PIN or password').fill('1357');
    await page.getByRole('button', { name: 'Sign and save' }).click();
    const summary = page.getByTestId('error-summary');
    await summary.waitFor();
    const said = await summary.locator('li').allInnerTexts();
    expect(said.join(' ')).toMatch(/Only 2/);
    await page.locator('.supplies-used span.error', { hasText: 'Only 2' }).waitFor();
    // The quantity is fixed: the refusal about 5 is no longer true, and goes.
    await page.locator('.supplies-used .qty-input').fill('1');
    await page.waitForTimeout(500);
    expect(await page.locator('.supplies-used span.error').count()).toBe(0);
    expect(await page.getByTestId('error-summary').count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });

  it('correct a record by keyboard alone: the record opens with Enter, its Correct link with Enter, reason, PIN, Enter saves', async () => {
    const { app, seeded } = await launchWard();
    const { page } = app;
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').waitFor();
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), seeded.pumpId);
    await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor();
    await tabTo(page, (f) => f.tag === 'SUMMARY');
    await page.keyboard.press('Enter');
    await tabTo(page, (f) => f.text === 'Correct this record');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: /^Correct a record/ }).waitFor();
    await expect.poll(async () => (await focused(page)).name).toBe('reason');
    await page.keyboard.type('Wrong agent written');
    await tabTo(page, (f) => f.name === 'agent');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('Chlorine 1,000 ppm');
    await tabTo(page, (f) => f.name === 'secret');
    await page.keyboard.type('1357');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('history-record').count()).toBe(2);
    expect(await page.getByTestId('error-summary').count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });
});
