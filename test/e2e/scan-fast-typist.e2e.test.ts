import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from './harness';
import { launchWard } from './ward';
import { expectNoPageProblems, focused, scanKeys, signIn } from './steps';

afterAll(shutdown);

/**
 * A fast typist: each key `gapMs` after the one before, Enter too. The keys carry their own times
 * (as scanKeys does for the scanner), so a busy test machine cannot make them look slower or faster.
 */
async function typeAt(page: Page, text: string, gapMs: number) {
  const cdp = await page.context().newCDPSession(page);
  let t = Date.now() / 1000;
  const key = async (k: string, txt: string, code: number) => {
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: k, text: txt, unmodifiedText: txt, windowsVirtualKeyCode: code, timestamp: t });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: k, windowsVirtualKeyCode: code, timestamp: t + 0.02 });
    t += gapMs / 1000;
  };
  for (const ch of text) await key(ch, ch, ch.toUpperCase().charCodeAt(0));
  await key('Enter', '\r', 13);
  await cdp.detach();
}

const go = (page: Page, route: string) => page.evaluate((r) => (window.location.hash = r), route);
const scanNote = (page: Page) => page.getByRole('status').filter({ hasText: 'That was a barcode scan: sign in first, then scan.' });

describe('a PIN typed fast is a PIN, never a barcode scan (lib/scanner.ts, SCANNER)', () => {
  it('at the lock screen, a PIN typed at 40 ms a key, Enter included, signs in; a scan there is still a scan', async () => {
    const { app, seeded } = await launchWard();
    const { page } = app;
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').waitFor();
    await go(page, `/equipment/${seeded.pumpId}`);
    await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor();
    await page.keyboard.press('Control+l');
    await page.getByRole('heading', { name: 'Screen locked' }).waitFor();
    expect((await focused(page)).name).toBe('secret');
    // A scanner's burst (5 ms a key) is still cleared, not sent as a PIN.
    await scanKeys(page, '48521');
    await scanNote(page).waitFor({ timeout: 2000 });
    expect(await page.getByLabel('PIN or password', { exact: true }).inputValue()).toBe('');

    await typeAt(page, '1357', 40);
    await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor({ timeout: 5000 });
    expect(await scanNote(page).count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });

  it('signed in, a PIN typed at 40 ms a key with the focus on the page (not in a box) opens nothing and shows its digits nowhere', async () => {
    const { app } = await launchWard();
    const { page } = app;
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').waitFor();
    await page.locator('#main-content').focus();
    const before = await page.evaluate(() => window.location.hash);
    await typeAt(page, '1357', 40);
    // What a scan would open (the device, or "No device has the tag 1357") has time to show.
    await page.waitForTimeout(1000);
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await page.locator('body').innerText()).not.toContain('1357');
    expect(await page.evaluate(() => window.location.hash)).toBe(before);
    // A scanner's burst there still opens the device.
    await scanKeys(page, 'IP-0042');
    await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor();
    expectNoPageProblems(app);
    await app.close();
  });
});
