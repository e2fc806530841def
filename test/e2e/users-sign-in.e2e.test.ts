import { afterAll, describe, expect, it } from 'vitest';
import { formatDateTime } from '../../shared/date-format';
import { shutdown } from './harness';
import { launchWard } from './ward';
import { expectNoPageProblems, expectProblem, focused, nav, signIn } from './steps';

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

  it('refuses a temporary PIN given more than 72 hours ago beside the PIN, saying it expired and whom to ask; the Users screen says so, and a reset gives one that works', async () => {
    const { app, call } = await launchWard();
    const { page } = app;
    const pat = await call('users.create', { name: 'Pat Tech', role: 'technician', temporaryPin: '7391' });
    const { at } = app.backend.core.db.prepare("SELECT at FROM audit_log WHERE action = 'create' AND entity_id = ?").get(pat.id) as { at: string };
    const expiresAt = new Date(new Date(at).getTime() + 72 * 3_600_000).toISOString();
    // Four days on, Pat comes to sign in for the first time.
    const core = app.backend.core;
    const real = core.clock;
    core.clock = { now: () => new Date(real.now().getTime() + 4 * 86_400_000) };
    await page.getByRole('heading', { name: 'Sign in to Wardkeep' }).waitFor();
    await signIn(page, 'Pat Tech', '7391');
    await expectProblem(
      page,
      `The temporary PIN for Pat Tech expired on ${formatDateTime(expiresAt, 'dd/MM/yyyy')} (a temporary PIN works for 72 hours after it is given), so no one was signed in. Ask an administrator to reset the PIN for a new one.`,
    );
    expect(await page.getByLabel('PIN or password').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('signed-in-user').count()).toBe(0);
    // The administrator sees it on the Users screen, and resets the PIN.
    await page.getByLabel('Or type your name').fill('');
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();
    await nav(page).getByRole('link', { name: 'Users', exact: true }).click();
    const status = page.getByRole('row', { name: /^Pat Tech / }).getByRole('cell').nth(2);
    expect(await status.innerText()).toBe('Active · temporary PIN expired');
    await page.getByRole('button', { name: 'Reset PIN… of Pat Tech' }).click();
    const reset = page.getByRole('dialog', { name: 'Reset the PIN of Pat Tech' });
    await reset.getByLabel('New temporary PIN').fill('5173');
    await reset.getByRole('button', { name: 'Reset PIN' }).click();
    await reset.waitFor({ state: 'detached' });
    await expect.poll(() => status.innerText()).toBe('Active · PIN to choose');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, 'Pat Tech', '5173');
    await page.getByRole('heading', { name: 'Choose your PIN, Pat Tech' }).waitFor();
    expectNoPageProblems(app);
    await app.close();
  });
});
