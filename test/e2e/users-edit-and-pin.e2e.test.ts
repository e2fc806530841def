import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { expectAccessible, screenshot } from './axe';
import { shutdown } from './harness';
import { launchWard } from './ward';
import { expectNoPageProblems, expectProblem, focused, nav, signIn, tabTo } from './steps';

afterAll(shutdown);

/** The Users screen's edit dialog and a user's own "Change PIN…", in Chromium at 1366×768. */

async function usersScreen(page: Page) {
  await signIn(page, 'Ada Admin', '2468');
  await page.getByTestId('signed-in-user').waitFor();
  await nav(page).getByRole('link', { name: 'Users', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
}

describe('editing a user', () => {
  it('asks about a change of role in whole sentences, each role with its own article', async () => {
    const { app } = await launchWard();
    const { page } = app;
    await usersScreen(page);
    const said: string[] = [];
    for (const role of ['Supervisor', 'Ward staff', 'Administrator'] as const) {
      await page.getByRole('button', { name: 'Edit… Tom Tech' }).click();
      const edit = page.getByRole('dialog', { name: 'Edit Tom Tech' });
      await edit.getByLabel('Role', { exact: true }).selectOption({ label: role });
      await edit.getByRole('button', { name: 'Save changes' }).click();
      const confirm = page.getByRole('dialog', { name: /^Make Tom Tech/ });
      await confirm.waitFor();
      said.push(`${await confirm.getByRole('heading').first().innerText()} | ${await confirm.locator('.confirm-text').innerText()}`);
      if (role === 'Ward staff') await screenshot(page, 'users-role-confirm-ward-staff');
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await edit.getByRole('button', { name: 'Cancel' }).click();
      await edit.waitFor({ state: 'detached' });
    }
    expect(said).toEqual([
      'Make Tom Tech a supervisor? | Tom Tech is a technician now. Supervisors do what technicians do, and also change the inventory, plans, locations and categories, print stickers and sign records as reviewer. It applies from their next action.',
      'Make Tom Tech ward staff? | Tom Tech is a technician now. Ward staff see Today and the device pages and report faults; they log no work and change nothing. It applies from their next action.',
      'Make Tom Tech an administrator? | Tom Tech is a technician now. Administrators do what supervisors do, and also manage users and settings. It applies from their next action.',
    ]);
    expectNoPageProblems(app);
    await app.close();
  });

  it('a rename to a taken name with a change of role: asked about the user by their own name, then refused beside Name in the edit dialog', async () => {
    const { app, call } = await launchWard();
    const { page } = app;
    await call('users.create', { name: 'Sue Super', role: 'supervisor', temporaryPin: '7391' });
    await usersScreen(page);
    await page.getByRole('button', { name: 'Edit… Tom Tech' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Tom Tech' });
    await edit.getByLabel('Name', { exact: true }).fill('Sue Super');
    await edit.getByLabel('Role', { exact: true }).selectOption({ label: 'Supervisor' });
    await edit.getByRole('button', { name: 'Save changes' }).click();
    const confirm = page.getByRole('dialog', { name: 'Make Tom Tech a supervisor?' });
    await confirm.getByRole('button', { name: 'Make supervisor' }).click();
    await confirm.waitFor({ state: 'detached' });
    await expectProblem(edit, 'There is already a user called "Sue Super".');
    expect(await edit.locator('span.error').count()).toBe(1);
    expect(await page.getByRole('dialog', { name: /^Make / }).count()).toBe(0);
    await expectAccessible(page, 'the edit dialog with a taken name refused');
    await screenshot(page, 'users-edit-taken-name');
    // Put right, the role question comes again and the save goes through.
    await edit.getByLabel('Name', { exact: true }).fill('Tom Technician');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('dialog', { name: 'Make Tom Tech a supervisor?' }).getByRole('button', { name: 'Make supervisor' }).click();
    await page.getByRole('status').filter({ hasText: 'Tom Technician is now supervisor.' }).waitFor();
    expectNoPageProblems(app);
    await app.close();
  });

  it("the last administrator's demotion is refused beside Role in the edit dialog, which stays within 1366 px and axe-clean", async () => {
    const { app } = await launchWard();
    const { page } = app;
    await usersScreen(page);
    await page.getByRole('button', { name: 'Edit… Ada Admin' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Ada Admin' });
    await edit.getByLabel('Role', { exact: true }).selectOption({ label: 'Technician' });
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('dialog', { name: 'Make Ada Admin a technician?' }).getByRole('button', { name: 'Make technician' }).click();
    await expectProblem(edit, 'This is the last active administrator: make someone else an administrator first.');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
    await expectAccessible(page, 'the last administrator refused a demotion');
    expectNoPageProblems(app);
    await app.close();
  });

  it('a change another administrator made meanwhile is not undone: the save is refused in words, the dialog takes it, and the next save keeps both', async () => {
    const { app, call } = await launchWard();
    const { page } = app;
    const core = app.backend.core;
    const tom = core.db.prepare("SELECT id FROM users WHERE name = 'Tom Tech'").get() as { id: string };
    const ward = core.db.prepare("SELECT id FROM locations WHERE name = 'Ward 4B'").get() as { id: string };
    await usersScreen(page);
    // Ada opens Tom's dialog to give him a home ward…
    await page.getByRole('button', { name: 'Edit… Tom Tech' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Tom Tech' });
    await edit.getByLabel('Home ward').selectOption({ value: ward.id });
    // …while another administrator (another PC or window) promotes Tom to supervisor.
    await call('users.update', { id: tom.id, name: 'Tom Tech', role: 'supervisor', homeLocationId: null });
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expectProblem(edit, 'Tom Tech was changed by someone else since you opened this (now a supervisor): check and save again.');
    const row = () => core.db.prepare('SELECT role, home_location_id FROM users WHERE id = ?').get(tom.id) as { role: string; home_location_id: string | null };
    expect(row()).toEqual({ role: 'supervisor', home_location_id: null });
    // The dialog now shows the promotion, and keeps the home ward Ada chose.
    expect(await edit.getByLabel('Role', { exact: true }).inputValue()).toBe('supervisor');
    expect(await edit.getByLabel('Home ward').inputValue()).toBe(ward.id);
    await expectAccessible(page, 'the edit dialog refused a change made meanwhile');
    await screenshot(page, 'users-edit-changed-meanwhile');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved Tom Tech.' }).waitFor();
    expect(row()).toEqual({ role: 'supervisor', home_location_id: ward.id });
    expectNoPageProblems(app);
    await app.close();
  });
});

describe("a user's own PIN", () => {
  it('a signed-in technician changes his own PIN from the top bar, by keyboard, problems said beside the fields, success in words', async () => {
    const { app } = await launchWard();
    const { page } = app;
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').waitFor();
    await page.getByRole('heading', { name: 'Today' }).waitFor();
    await page.locator('body').focus();
    await tabTo(page, (f) => f.text === 'Change PIN…');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Change your PIN' });
    await dialog.waitFor();
    expect((await focused(page)).tag).toBe('INPUT');
    // A wrong current PIN, a guessable new one and a mismatch: each said beside its field and in the summary.
    await dialog.getByLabel('New PIN', { exact: true }).fill('1234');
    await dialog.getByLabel('New PIN again').fill('8642');
    await dialog.getByRole('button', { name: 'Change PIN' }).click();
    await expectProblem(dialog, 'Current PIN or password is required.');
    await expectProblem(dialog, 'New PIN must not be one digit repeated or a run such as 1234 or 4321: those are tried first.');
    await expectProblem(dialog, 'New PIN again is not the same as the new PIN.');
    await expectAccessible(page, 'Change PIN with every field refused');
    await screenshot(page, 'change-pin-refused');
    // Cancel is readable: dark on the dialog's white, not the top bar's white-on-blue button.
    expect(await dialog.getByRole('button', { name: 'Cancel' }).evaluate((b) => getComputedStyle(b).color)).not.toBe('rgb(255, 255, 255)');
    await dialog.getByLabel('Current PIN or password').fill('1358');
    await dialog.getByLabel('New PIN', { exact: true }).fill('8642');
    await dialog.getByRole('button', { name: 'Change PIN' }).click();
    await expectProblem(dialog, 'Wrong PIN or password. 4 tries left before the account locks.');
    await dialog.getByLabel('Current PIN or password').fill('1357');
    await dialog.getByRole('button', { name: 'Change PIN' }).click();
    const done = page.getByRole('dialog', { name: 'Your PIN is changed' });
    await done.getByText('Your new PIN is saved: use it from now on to sign in and to sign records. The old one no longer works.').waitFor();
    await expectAccessible(page, 'PIN changed');
    await screenshot(page, 'change-pin-done');
    await page.keyboard.press('Enter');
    await done.waitFor({ state: 'detached' });
    expect((await focused(page)).text).toBe('Change PIN…');
    // The new PIN signs him in; the old one no longer does.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, 'Tom Tech', '1357');
    await page.getByText('Wrong PIN or password.').first().waitFor();
    await page.getByLabel('PIN or password').fill('8642');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-user').filter({ hasText: 'Tom Tech' }).waitFor();
    expectNoPageProblems(app);
    await app.close();
  });

  it('the first-PIN screen locks when left idle, as every screen does: the temporary PIN typed there is gone from the shared PC', async () => {
    const { app, call } = await launchWard();
    const { page } = app;
    await call('settings.update', { idleTimeoutSeconds: 5 });
    await call('users.create', { name: 'Nia Nurse', role: 'ward_staff', temporaryPin: '7391' });
    await page.reload();
    await signIn(page, 'Nia Nurse', '7391');
    await page.getByRole('heading', { name: 'Choose your PIN, Nia Nurse' }).waitFor();
    await page.getByLabel('Temporary PIN or password').fill('7391');
    await page.getByLabel('New PIN', { exact: true }).fill('86');
    // Nia is called away mid-PIN: the screen locks on her, and what she typed is no longer on it.
    await page.getByRole('heading', { name: 'Screen locked' }).waitFor({ timeout: 15_000 });
    expect(await page.getByLabel('Temporary PIN or password').count()).toBe(0);
    expect(await page.getByLabel('New PIN', { exact: true }).count()).toBe(0);
    // She signs in again with the temporary PIN and is asked for her own once more.
    await page.getByLabel('PIN or password').fill('7391');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Choose your PIN, Nia Nurse' }).waitFor();
    expectNoPageProblems(app);
    await app.close();
  });

  it('on the first-PIN screen, an account locked by wrong tries is said beside "Temporary PIN or password", as the wrong tries are', async () => {
    const { app, call } = await launchWard();
    const { page } = app;
    await call('users.create', { name: 'Nia Nurse', role: 'ward_staff', temporaryPin: '7391' });
    await signIn(page, 'Nia Nurse', '7391');
    await page.getByRole('heading', { name: 'Choose your PIN, Nia Nurse' }).waitFor();
    const current = page.getByLabel('Temporary PIN or password');
    const attempt = async () => {
      await current.fill('9999');
      await page.getByLabel('New PIN', { exact: true }).fill('8642');
      await page.getByLabel('New PIN again').fill('8642');
      await page.getByRole('button', { name: 'Save PIN' }).click();
    };
    for (let i = 1; i <= 5; i++) {
      await attempt();
      await page.getByTestId('error-summary').getByText(i < 5 ? /tr(y|ies) left/ : /is locked for 5 minutes/).waitFor();
    }
    await attempt();
    const locked = /^Nia Nurse's account is locked after too many wrong attempts\. Try again after \d\d:\d\d, or ask an administrator to reset the PIN\.$/;
    await page.getByTestId('error-summary').getByRole('link', { name: locked }).waitFor();
    const described = await current.evaluate((el) => ({
      invalid: el.getAttribute('aria-invalid'),
      text: (el.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' | '),
    }));
    expect(described.invalid).toBe('true');
    expect(described.text).toMatch(/account is locked after too many wrong attempts/);
    expectNoPageProblems(app);
    await app.close();
  });

  it('on the first-PIN screen, the temporary PIN typed again as one’s own is refused beside New PIN, saying to choose one of one’s own', async () => {
    const { app, call } = await launchWard();
    const { page } = app;
    await call('users.create', { name: 'Nia Nurse', role: 'ward_staff', temporaryPin: '7391' });
    await signIn(page, 'Nia Nurse', '7391');
    await page.getByRole('heading', { name: 'Choose your PIN, Nia Nurse' }).waitFor();
    const choose = async (pin: string) => {
      await page.getByLabel('Temporary PIN or password').fill('7391');
      await page.getByLabel('New PIN', { exact: true }).fill(pin);
      await page.getByLabel('New PIN again').fill(pin);
      await page.getByRole('button', { name: 'Save PIN' }).click();
    };
    await choose('7391');
    await expectProblem(page, 'Choose a PIN of your own, not the one you were given: the temporary PIN is known to whoever gave it to you.');
    expect(await page.getByLabel('New PIN', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await choose('8642');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Nia Nurse' }).waitFor();
    expectNoPageProblems(app);
    await app.close();
  });
});

describe('the lock screen', () => {
  it('does not say someone deactivated meanwhile "can sign in to carry on", nor preselect them', async () => {
    const { app, call } = await launchWard();
    const { page } = app;
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').waitFor();
    await page.keyboard.press('Control+l');
    await page.getByRole('heading', { name: 'Screen locked' }).waitFor();
    await page.getByText('Tom Tech can sign in to carry on', { exact: false }).waitFor();
    const tom = app.backend.core.db.prepare("SELECT id FROM users WHERE name = 'Tom Tech'").get() as { id: string };
    await call('users.setActive', { id: tom.id, active: false });
    await page.reload();
    await page.getByLabel('PIN or password').waitFor();
    expect(await page.getByText('Tom Tech can sign in to carry on').count()).toBe(0);
    expect(await page.getByRole('radio', { checked: true }).count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });
});
