import { afterAll, describe, expect, it } from 'vitest';
import { EQUIPMENT_PATH, EQUIPMENT_SEARCH } from '../../main/preload/shell';
import { tempDir } from '../helpers/core';
import { launchApp, shutdown } from './harness';
import { seedWard } from './seed';
import { signIn } from './steps';

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
