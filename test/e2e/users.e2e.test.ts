import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/core';
import { launchApp, shutdown } from './harness';
import { createFirstAdmin, expectNoPageProblems, pageInvoke, nav } from './steps';

afterAll(shutdown);

describe('users on a shared ward PC, in Chromium', () => {
  it('first run, a technician with a PIN is refused a supervisor action, the screen auto-locks, another user signs in', async () => {
    const app = await launchApp({ dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page, 'Ada Admin', 'correct horse battery', '2468');

    // The admin adds a technician and a supervisor with temporary PINs.
    await nav(page).getByRole('link', { name: 'Users', exact: true }).click();
    // The Role field says what each role may do, in a whole sentence (it read "also inventory, plans, …").
    const roleField = page.getByLabel('Role', { exact: true });
    await roleField.selectOption({ label: 'Supervisor' });
    await expect.poll(() => roleField.getAttribute('aria-describedby')).toBeTruthy();
    const roleHelp = async () =>
      page.locator(`[id="${(await roleField.getAttribute('aria-describedby'))?.split(' ')[0]}"]`).innerText();
    expect(await roleHelp()).toBe(
      'Everything a technician does, and also changes the inventory, plans, locations, categories, stickers and codes, and reviews records.',
    );
    await roleField.selectOption({ label: 'Administrator' });
    expect(await roleHelp()).toBe('Everything a supervisor does, and also manages users, settings and task types.');
    for (const [name, role] of [
      ['Tom Tech', 'Technician'],
      ['Sue Super', 'Supervisor'],
    ] as const) {
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page.getByLabel('Role', { exact: true }).selectOption({ label: role });
      await page.getByLabel('Temporary PIN').fill('7391');
      await page.getByRole('button', { name: 'Add user' }).click();
      await page.getByText(`Added ${name}.`).waitFor();
    }
    // The idle timeout, shortened for the test (the Settings screen offers whole minutes).
    expect(await pageInvoke(page, 'settings.update', { idleTimeoutSeconds: 5 })).toMatchObject({ ok: true });
    await page.reload();

    // Work in progress survives the idle lock when the same person comes back.
    await nav(page).getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByLabel('Name', { exact: true }).fill('Half-typed name');
    await page.getByRole('heading', { name: 'Screen locked' }).waitFor({ timeout: 60_000 });
    await page.getByText('Locked while Ada Admin was away').waitFor();
    expect(await page.getByRole('radio', { name: /Ada Admin/ }).isChecked()).toBe(true);
    await page.getByLabel('PIN or password').fill('2468');
    await page.keyboard.press('Enter');
    await page.getByLabel('Name', { exact: true }).waitFor();
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Half-typed name');

    // Ctrl+L: switch user. Tom picks his name, types the temporary PIN, chooses his own.
    await page.keyboard.press('Control+l');
    await page.getByRole('heading', { name: 'Screen locked' }).waitFor();
    await page.getByRole('radio', { name: /Tom Tech/ }).check();
    await page.getByLabel('PIN or password').fill('7391');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Choose your PIN, Tom Tech' }).waitFor();
    await page.getByLabel('Temporary PIN or password').fill('7391');
    await page.getByLabel('New PIN', { exact: true }).fill('1357');
    await page.getByLabel('New PIN again').fill('1357');
    await page.getByRole('button', { name: 'Save PIN' }).click();
    await page.getByTestId('signed-in-user').filter({ hasText: 'Tom Tech · Technician' }).waitFor();
    // Tom sees his own view: Today, not Ada's half-filled form.
    await page.getByRole('heading', { name: 'Today' }).waitFor();
    expect(await nav(page).getByRole('link', { name: 'Users', exact: true }).count()).toBe(0);
    expect(await nav(page).getByRole('link', { name: 'Settings', exact: true }).count()).toBe(0);

    // A technician is refused a supervisor action: no button, no screen, and main says forbidden.
    await nav(page).getByRole('link', { name: 'Equipment', exact: true }).click();
    await page.getByRole('heading', { name: 'Equipment' }).waitFor();
    expect(await page.getByRole('link', { name: 'Add device' }).count()).toBe(0);
    await page.goto(page.url().replace(/#.*$/, '#/equipment/new'));
    await page.getByText('Your role (Technician) does not open this screen.').waitFor();
    const direct = await pageInvoke(page, 'locations.create', { name: 'Sneaky Site' });
    expect(direct).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(app.backend.core.db.prepare('SELECT count(*) AS n FROM locations').get()).toEqual({ n: 0 });

    // Tom walks away: the screen locks; Sue signs in and gets her own session.
    await page.getByRole('heading', { name: 'Screen locked' }).waitFor({ timeout: 60_000 });
    await page.getByText('Locked while Tom Tech was away').waitFor();
    await page.getByLabel('Or type your name').fill('Sue Super');
    await page.getByLabel('PIN or password').fill('7391');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Choose your PIN, Sue Super' }).waitFor();
    await page.getByLabel('Temporary PIN or password').fill('7391');
    await page.getByLabel('New PIN', { exact: true }).fill('8642');
    await page.getByLabel('New PIN again').fill('8642');
    await page.getByRole('button', { name: 'Save PIN' }).click();
    await page.getByTestId('signed-in-user').filter({ hasText: 'Sue Super · Supervisor' }).waitFor();
    expect(await pageInvoke(page, 'locations.create', { name: 'General Hospital' })).toMatchObject({ ok: true });

    // Every sign-in, failure and lock is in the audit trail.
    const actions = app.backend.core.db.prepare("SELECT action, actor_name FROM audit_log WHERE entity = 'user' ORDER BY seq").all() as { action: string; actor_name: string }[];
    expect(actions.filter((a) => a.action === 'lock').map((a) => a.actor_name)).toEqual(['Ada Admin', 'Ada Admin', 'Tom Tech']);
    expect(actions.filter((a) => a.action === 'sign_in').map((a) => a.actor_name)).toEqual(['Ada Admin', 'Ada Admin', 'Tom Tech', 'Sue Super']);
    expectNoPageProblems(app);
    await app.close();
  });
});
