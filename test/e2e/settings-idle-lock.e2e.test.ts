import { afterAll, describe, expect, it } from 'vitest';
import { screenshot } from './axe';
import { shutdown } from './harness';
import { launchWard } from './ward';
import { nav, signIn } from './steps';

afterAll(shutdown);

/**
 * The idle lock on the Settings screen is set in whole minutes; the setting itself is in seconds,
 * and the channel (a script, an older Wardkeep) may have left it at a time that is not whole minutes.
 */
describe('Settings: the idle lock says the truth and changes only when someone changes it', () => {
  it('refuses "1.5" minutes beside the field, with the rule, and saves nothing', async () => {
    const { app, call } = await launchWard();
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();
    await nav(page).getByRole('link', { name: 'Settings', exact: true }).click();
    const idle = page.getByLabel('Lock the screen after (minutes idle)');
    await idle.fill('1.5');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const sentence = 'Lock the screen after must be a whole number of minutes from 1 to 1440.';
    // In the summary at the top and beside the field.
    await expect.poll(() => page.getByText(sentence).count()).toBe(2);
    await expect.poll(() => idle.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('Settings saved.').count()).toBe(0);
    await screenshot(page, 'settings-idle-refused');
    expect((await call('settings.get', {})).idleTimeoutSeconds).toBe(300);
    await app.close();
  });

  it('shows a lock of 90 seconds as 1.5 minutes and says the exact time; saving the date format leaves it, and the audit trail, alone', async () => {
    const { app, call } = await launchWard();
    const { page } = app;
    await call('settings.update', { idleTimeoutSeconds: 90 });
    const idleEntries = () =>
      app.backend.core.db.prepare("SELECT count(*) AS n FROM audit_log WHERE entity = 'setting' AND entity_id = 'idleTimeoutSeconds'").get();
    const before = idleEntries();
    await page.reload();
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();
    await nav(page).getByRole('link', { name: 'Settings', exact: true }).click();
    const idle = page.getByLabel('Lock the screen after (minutes idle)');
    expect(await idle.inputValue()).toBe('1.5');
    await page.getByText('Now 1 minute 30 seconds, which is not a whole number of minutes').waitFor();
    await screenshot(page, 'settings-idle-not-whole-minutes');
    // The admin changes only the date format.
    await page.getByLabel('Date format').selectOption('yyyy-MM-dd');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    const after = await call('settings.get', {});
    expect(after.dateFormat).toBe('yyyy-MM-dd');
    expect(after.idleTimeoutSeconds).toBe(90);
    expect(idleEntries()).toEqual(before);
    expect(await idle.inputValue()).toBe('1.5');
    // A whole number typed is taken, and the field then says nothing more about seconds.
    await idle.fill('2');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(async () => (await call('settings.get', {})).idleTimeoutSeconds).toBe(120);
    await expect.poll(() => page.getByText('which is not a whole number of minutes').count()).toBe(0);
    await app.close();
  });
});
