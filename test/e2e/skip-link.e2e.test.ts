import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from './harness';
import { launchWard } from './ward';
import { expectNoPageProblems, focused, signIn, tabTo } from './steps';

afterAll(shutdown);

const go = (page: Page, route: string) => page.evaluate((r) => (window.location.hash = r), route);

describe('"Skip to content", by keyboard', () => {
  it('on the equipment list, the first Tab reaches it and Enter moves the focus into the screen, which stays where it was', async () => {
    const { app } = await launchWard();
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    await go(page, '/equipment');
    await page.getByRole('heading', { level: 1, name: 'Equipment' }).waitFor();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Tab');
    expect((await focused(page)).text).toBe('Skip to content');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(500);
    // Still the equipment list (not thrown back to Today), at the same address, the focus on its content.
    expect(await page.getByRole('heading', { level: 1 }).allInnerTexts()).toEqual(['Equipment']);
    expect(new URL(page.url()).hash).toBe('#/equipment');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main-content');
    // The next Tab is in the screen, past the top bar and the navigation.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('#main-content')))).toBe(true);
    expectNoPageProblems(app);
    await app.close();
  });

  it('on a half-filled record form, it keeps the form and what was typed in it', async () => {
    const { app, seeded } = await launchWard();
    const { page } = app;
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').waitFor();
    await go(page, `/log/${seeded.cleaningPlanId}`);
    await page.getByRole('heading', { level: 2, name: 'Cleaning' }).waitFor();
    await page.getByLabel('Agent').fill('Chlorine 1,000 ppm');
    // Back up to the top of the page with Shift+Tab, as a keyboard user would.
    await tabTo(page, (f) => f.text === 'Skip to content', true);
    await page.keyboard.press('Enter');
    await page.waitForTimeout(500);
    expect(new URL(page.url()).hash).toBe(`#/log/${seeded.cleaningPlanId}`);
    expect(await page.getByRole('heading', { level: 2, name: 'Cleaning' }).count()).toBe(1);
    expect(await page.getByLabel('Agent').inputValue()).toBe('Chlorine 1,000 ppm');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main-content');
    await app.close();
  });
});
