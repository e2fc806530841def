import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { EQUIPMENT_PATH, EQUIPMENT_SEARCH } from '../../main/preload/shell';
import { SHELL_MESSAGE_KEY } from '../../shared/shell-command';
import { tempDir } from '../helpers/core';
import { launchApp, shutdown } from './harness';
import { seedWard } from './seed';
import { scanKeys, signIn } from './steps';

afterAll(shutdown);

/**
 * The menu's "Find device…" is carried out by the preload on the page (main/preload/shell.ts): it
 * opens the equipment list and focuses the box its selector names. The selector is a promise the
 * renderer must keep, so it is checked against the real screen here.
 */
describe('the shell\'s "Find device…" finds the real search box', () => {
  it('names exactly one search box on the equipment list, and it takes the focus', async () => {
    const dataDir = tempDir();
    await seedWard(dataDir);
    const { page } = await launchApp({ dataDir });
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').waitFor();
    await page.evaluate((path) => (window.location.hash = path), EQUIPMENT_PATH);
    await page.getByRole('heading', { level: 1, name: 'Equipment' }).waitFor();
    expect(await page.locator(EQUIPMENT_SEARCH).count()).toBe(1);
    await page.evaluate((selector) => (document.querySelector(selector) as HTMLInputElement).focus(), EQUIPMENT_SEARCH);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('search');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).labels?.[0]?.textContent ?? document.activeElement?.getAttribute('aria-label'))).toMatch(/search/i);
  });
});

/** What the preload does with the shell's command (main/preload/index.ts): posts it to the page's own window. */
const shellSends = (page: Page, command: unknown) =>
  page.evaluate(([key, c]) => window.postMessage({ [key as string]: c }, '*'), [SHELL_MESSAGE_KEY, command] as const);

/** Tom Tech halfway through the pump's calibration: a reference chosen, two readings typed, nothing saved. */
async function halfTypedCalibration(page: Page) {
  await signIn(page, 'Tom Tech', '1357');
  await page.getByTestId('signed-in-user').filter({ hasText: 'Tom Tech' }).waitFor();
  await scanKeys(page, 'IP-0042');
  await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor();
  await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Log work');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 2, name: 'Calibration' }).waitFor();
  await page.getByLabel('Reference standard used').selectOption({ label: 'REF-7 Flow analyser' });
  await page.getByLabel('As found, Flow 10 ml/h (ml/h)').fill('10.2');
  await page.getByLabel('As found, Flow 100 ml/h (ml/h)').fill('107');
}

describe("the shell's commands and a half-typed record: asked first, as a scanned tag is", () => {
  it('"Find device…" (Ctrl+F) asks before leaving a half-typed calibration, Stay keeps it; Leave opens the list with the cursor in its search box', async () => {
    const dataDir = tempDir();
    await seedWard(dataDir);
    const app = await launchApp({ dataDir });
    const { page } = app;
    await halfTypedCalibration(page);
    await shellSends(page, { command: 'find' });
    const asked = page.getByRole('dialog', { name: /^Leave .* and open the equipment list\?$/ });
    await asked.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Stay');
    await page.keyboard.press('Enter');
    await asked.waitFor({ state: 'detached' });
    expect(await page.getByLabel('As found, Flow 100 ml/h (ml/h)').inputValue()).toBe('107');

    await shellSends(page, { command: 'find' });
    await asked.getByRole('button', { name: 'Leave it and open the equipment list' }).click();
    await page.getByRole('heading', { level: 1, name: 'Equipment' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('search');
    await app.close();
  });

  it('a click on the daily overdue notice asks before leaving it for Today; with nothing typed it opens Today at once', async () => {
    const dataDir = tempDir();
    await seedWard(dataDir);
    const app = await launchApp({ dataDir });
    const { page } = app;
    await halfTypedCalibration(page);
    await shellSends(page, { command: 'open', path: '/' });
    const asked = page.getByRole('dialog', { name: /^Leave .* and open Today\?$/ });
    await asked.waitFor();
    await page.keyboard.press('Escape');
    await asked.waitFor({ state: 'detached' });
    expect(await page.getByLabel('As found, Flow 100 ml/h (ml/h)').inputValue()).toBe('107');
    expect(await page.evaluate(() => window.location.hash)).toMatch(/^#\/log\//);

    // A message that is not one of the shell's commands does nothing.
    await shellSends(page, { command: 'open', path: 'javascript:alert(1)' });
    await page.waitForTimeout(300);
    expect(await page.getByRole('dialog').count()).toBe(0);

    await page.evaluate(() => (window.location.hash = '/equipment'));
    await page.getByRole('heading', { level: 1, name: 'Equipment' }).waitFor();
    await shellSends(page, { command: 'open', path: '/' });
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);
    await app.close();
  });
});
