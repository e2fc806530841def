import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from './harness';
import { launchWard } from './ward';
import { expectNoPageProblems, focused, nav, scanKeys, signIn } from './steps';

afterAll(shutdown);

/** Where the focus is, as a person would say it: on the screen's heading, elsewhere in the screen, or what it is. */
async function whereIsFocus(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'nowhere';
    if (el.tagName === 'H1' && el.closest('main')) return `heading "${el.textContent?.trim()}"`;
    if (el.closest('main')) return `in the screen: ${el.tagName} "${el.textContent?.trim().slice(0, 30)}"`;
    return `${el.tagName} "${el.textContent?.trim().slice(0, 30)}"`;
  });
}

describe('changing screens', () => {
  it('from the side navigation by keyboard: the window title names the new screen and the focus is on its heading', async () => {
    const { app } = await launchWard();
    const { page } = app;
    await signIn(page, 'Tom Tech', '1357');
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    await expect.poll(() => page.title()).toBe('Today – Wardkeep');
    const seen: { title: string; focus: string }[] = [];
    for (const screen of ['Equipment', 'Stock', 'Repairs', 'Today']) {
      await nav(page).getByRole('link', { name: screen, exact: true }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: screen }).waitFor();
      await page.waitForTimeout(300);
      seen.push({ title: await page.title(), focus: await whereIsFocus(page) });
    }
    expect(seen).toEqual([
      { title: 'Equipment – Wardkeep', focus: 'heading "Equipment"' },
      { title: 'Stock – Wardkeep', focus: 'heading "Stock"' },
      { title: 'Repairs – Wardkeep', focus: 'heading "Repairs"' },
      { title: 'Today – Wardkeep', focus: 'heading "Today"' },
    ]);
    // The next Tab goes on into the screen, not back into the navigation.
    await page.keyboard.press('Tab');
    expect(await whereIsFocus(page)).toMatch(/^in the screen/);
    expectNoPageProblems(app);
    await app.close();
  });

  it('by a scan: the title names the device, and the focus stays on "Log work", which the device page chose', async () => {
    const { app } = await launchWard();
    const { page } = app;
    await signIn(page, 'Tom Tech', '1357');
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    // Even with the focus left on a navigation link.
    await nav(page).getByRole('link', { name: 'Equipment', exact: true }).focus();
    await scanKeys(page, 'IP-0042');
    await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor();
    await expect.poll(async () => (await focused(page)).text).toBe('Log work');
    await page.waitForTimeout(500);
    expect((await focused(page)).text).toBe('Log work');
    expect(await page.title()).toMatch(/^Infusion pump.*IP-0042 – Wardkeep$/);
    expect(new URL(page.url()).hash).toMatch(/^#\/equipment\//);
    await app.close();
  });

  it('the lock screen names itself; the same person back on their screen sees its name again', async () => {
    const { app } = await launchWard();
    const { page } = app;
    await expect.poll(() => page.title()).toBe('Sign in – Wardkeep');
    await signIn(page, 'Tom Tech', '1357');
    await nav(page).getByRole('link', { name: 'Equipment', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Equipment' }).waitFor();
    await page.keyboard.press('Control+l');
    await page.getByRole('heading', { name: 'Screen locked' }).waitFor();
    await expect.poll(() => page.title()).toBe('Screen locked – Wardkeep');
    await page.keyboard.type('1357', { delay: 120 });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Equipment' }).waitFor();
    await expect.poll(() => page.title()).toBe('Equipment – Wardkeep');
    await app.close();
  });
});
