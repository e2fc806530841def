import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from './harness';
import { launchWard } from './ward';
import { expectNoPageProblems, expectProblem, focused } from './steps';

afterAll(shutdown);

/** The sign-in screen of a shared ward PC, in Chromium at 1366×768: by keyboard, refusals beside their fields. */

describe('the sign-in screen', () => {
  it('opens with the focus in the box to type one’s name, so a name and a PIN can be typed at once', async () => {
    const { app } = await launchWard();
    const { page } = app;
    await page.getByRole('heading', { name: 'Sign in to Wardkeep' }).waitFor();
    await page.getByRole('radio', { name: /Tom Tech/ }).waitFor();
    await expect.poll(async () => (await focused(page)).name).toBe('typedName');
    // Typed straight away, with no click: the name, Tab, the PIN, Enter (at a person's pace: a
    // burst at a scanner's speed would be taken for a barcode scan and cleared).
    await page.keyboard.type('Tom Tech', { delay: 80 });
    await page.keyboard.press('Tab');
    expect((await focused(page)).name).toBe('secret');
    await page.keyboard.type('1357', { delay: 80 });
    await page.waitForTimeout(80);
    await page.keyboard.press('Enter');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Tom Tech' }).waitFor();
    expectNoPageProblems(app);
    await app.close();
  });

  it('refuses a typed name no one has beside "Or type your name", the box it was typed in, not beside the list', async () => {
    const { app } = await launchWard();
    const { page } = app;
    const typedName = page.getByLabel('Or type your name');
    await typedName.fill('Tom Tehc');
    await page.getByLabel('PIN or password').fill('1357');
    await page.keyboard.press('Enter');
    await expectProblem(page, 'There is no active user called "Tom Tehc".');
    const state = await typedName.evaluate((el) => ({
      invalid: el.getAttribute('aria-invalid'),
      describedBy: (el.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' | '),
    }));
    expect(state).toMatchObject({ invalid: 'true', describedBy: expect.stringContaining('There is no active user called "Tom Tehc".') });
    // The list of names above is not marked: no name was picked there.
    expect(await page.locator('fieldset.names').getAttribute('aria-describedby')).toBeNull();
    expect(await page.locator('#who-error').count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });
});
