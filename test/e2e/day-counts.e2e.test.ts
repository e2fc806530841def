import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/core';
import { expectAccessible } from './axe';
import { launchApp, shutdown } from './harness';
import { seedWard } from './seed';
import { expectNoPageProblems, focused, nav } from './steps';

afterAll(shutdown);

const headline = (page: Page) => page.getByTestId('today-headline').textContent();
const short = (f: Awaited<ReturnType<typeof focused>>) => JSON.stringify({ ...f, text: f.text.slice(0, 60) });

async function signInByKeys(page: Page, name: string, pin: string) {
  await page.getByLabel('Or type your name').waitFor();
  await page.getByLabel('Or type your name').focus();
  await page.keyboard.type(name, { delay: 120 });
  await page.keyboard.press('Tab');
  await page.keyboard.type(pin, { delay: 120 });
  await page.keyboard.press('Enter');
  await page.getByTestId('signed-in-user').filter({ hasText: name }).waitFor();
}

describe('a day on the ward: cleaning and "not done: in use" from Today, by keyboard', () => {
  it('Today counts move when work is logged; not-done is said as not done; one message at a time on the device page', async () => {
    const dataDir = tempDir();
    await seedWard(dataDir);
    const app = await launchApp({ dataDir });
    const { page } = app;
    await signInByKeys(page, 'Tom Tech', '1357');
    await expect.poll(() => headline(page)).toMatch(/: 1 overdue, 1 due$/);

    // The cleaning from Today's row: Tab to its Log link, Enter, PIN (method and agent remembered), Enter.
    // The first Log link is the overdue calibration; the next is the cleaning.
    await page.getByRole('link', { name: 'Log cleaning of IP-0042' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: 'Cleaning' }).waitFor();
    await expect.poll(async () => (await focused(page)).tag).toBe('INPUT');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).type)).toBe('password');
    await page.keyboard.type('1357', { delay: 120 });
    await page.keyboard.press('Enter');
    await page.getByText('Saved: cleaning, pass, signed by Tom Tech.').waitFor();
    await expectAccessible(page, 'device page after a cleaning');

    // Today, through the navigation: the due count dropped.
    await nav(page).getByRole('link', { name: 'Today', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => headline(page)).toMatch(/: 1 overdue, 0 due$/);
    // The focus went to the screen's heading, not lost.
    expect.soft((await focused(page)).tag).toBe('H1');

    // The calibration: not done, the pump is on a patient.
    await page.getByRole('link', { name: 'Log calibration of IP-0042' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: 'Calibration' }).waitFor();
    await page.getByLabel('Not done').check();
    await page.getByLabel('Why not?').selectOption('in_use');
    await expectAccessible(page, 'calibration form, not done');
    await page.getByLabel('Your PIN or password').focus();
    await page.keyboard.type('1357', { delay: 120 });
    await page.keyboard.press('Enter');
    // Said as what it is: not done, in use; no "The device ..." out of service; still overdue.
    const saved = page.getByText(/^Saved: calibration/);
    await saved.waitFor();
    expect(await saved.textContent()).toBe('Saved: calibration, not done: in use, signed by Tom Tech.');
    expect(await page.getByTestId('do-not-use').count()).toBe(0);
    const calRow = page.getByRole('region', { name: 'Plans' }).getByTestId('plan-row').filter({ hasText: 'Calibration' });
    expect(await calRow.textContent()).toContain('Overdue 12 days');
    const savedFocus = await focused(page);
    expect.soft(savedFocus.testid, `focus after saving: ${short(savedFocus)}`).toBe('saved-notice');

    // A fault reported straight after: its message, and the last action's alone.
    await page.getByRole('button', { name: 'Report a fault…' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await expect.poll(async () => (await focused(page)).name).toBe('problem');
    await page.keyboard.type('Occlusion alarm keeps going off', { delay: 10 });
    await dialog.getByLabel('Your PIN or password').focus();
    await page.keyboard.type('1357', { delay: 120 });
    await page.keyboard.press('Enter');
    await page.getByTestId('fault-reported').waitFor();
    await expectAccessible(page, 'device page after reporting a fault');
    const banners = await page.locator('main .banner').allTextContents();
    expect.soft(banners.filter((b) => b.startsWith('Saved:')), `banners on screen: ${JSON.stringify(banners)}`).toEqual([]);
    await page.getByTestId('do-not-use').waitFor();
    const afterFault = await focused(page);
    expect.soft(afterFault.tag, `focus after reporting: ${short(afterFault)}`).not.toBe('BODY');

    // Today: the overdue calibration of a device now out of service; the counts still true.
    await nav(page).getByRole('link', { name: 'Today', exact: true }).click();
    await page.getByTestId('out-of-service-row').filter({ hasText: 'IP-0042' }).waitFor();
    expectNoPageProblems(app);
    await app.close();
  });
});
