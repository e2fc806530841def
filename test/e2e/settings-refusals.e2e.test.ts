import { addDays, format } from 'date-fns';
import { afterAll, describe, expect, it } from 'vitest';
import { expectAccessible } from './axe';
import { shutdown } from './harness';
import { launchWard } from './ward';
import { expectNoPageProblems, nav, signIn } from './steps';

afterAll(shutdown);

/**
 * A refused value on the Settings screen is named as the screen labels its field, in a whole
 * sentence, never by the setting's internal name ("Lockout attempts") or zod's own words
 * ("Invalid input: expected number, received NaN"); a blank number is said to be required.
 */
describe('Settings: each refusal names the field as labelled', () => {
  it('out of range, blank and not a number, all at once, and nothing is saved', async () => {
    const { app, call } = await launchWard();
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();
    await nav(page).getByRole('link', { name: 'Settings', exact: true }).click();
    const before = await call('settings.get', {});
    const typed: [string, string, string][] = [
      ['Wrong PINs before an account locks', '1', 'Wrong PINs before an account locks must be at least 3.'],
      ['Lock the account for (minutes)', '', 'Lock the account for (minutes) is required.'],
      ['Flag stock expiring within (days)', '0', 'Flag stock expiring within (days) must be at least 1 day.'],
      ['Ask why work is entered late after (days)', '', 'Ask why work is entered late after (days) is required.'],
    ];
    for (const [label, text] of typed) await page.getByLabel(label).fill(text);
    await page.getByRole('button', { name: 'Save settings' }).click();
    const summary = page.getByTestId('error-summary');
    await summary.waitFor();
    for (const [label, , sentence] of typed) {
      await expect.poll(() => page.getByLabel(label).getAttribute('aria-invalid'), { message: label }).toBe('true');
      // In the summary at the top and beside the field.
      expect(await page.getByText(sentence).count(), sentence).toBe(2);
    }
    await expectAccessible(page, 'Settings, values refused');
    const text = await page.locator('main').innerText();
    expect(text).not.toMatch(/Invalid input|Lockout|Stock expiring|Late entry/);
    // Not a number at all: the rule still speaks in the field's own words.
    await page.getByLabel('Wrong PINs before an account locks').fill('five');
    await expect.poll(() => page.getByText('Wrong PINs before an account locks must be a whole number.').count()).toBe(2);
    expect(await call('settings.get', {})).toEqual(before);
    expectNoPageProblems(app);
    await app.close();
  });
});

describe('Settings: a change reaches a log form seen before', () => {
  it('"Ask why work is entered late after" lowered: the form seen before asks why for work two days old (it kept the days it was first read with)', async () => {
    const { app, seeded } = await launchWard();
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();
    const openLog = async () => {
      await page.evaluate((id) => (window.location.hash = `#/log/${id}`), seeded.cleaningPlanId);
      await page.getByLabel('Performed on').waitFor();
    };
    await openLog();
    await nav(page).getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByLabel('Ask why work is entered late after (days)').fill('0');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    await openLog();
    await page.getByLabel('Performed on').fill(format(addDays(new Date(), -2), 'dd/MM/yyyy'));
    await expect.poll(() => page.getByLabel('Why is this entered only now?').count()).toBe(1);
    await app.close();
  });
});

/**
 * Two administrators (two windows, or two PCs through the hub) changing the same setting: the later
 * save used to win unseen (the audit kept both). It is refused beside the field and in the summary,
 * naming the value now; the fields left alone take what the other saved; the next save goes.
 */
describe('Settings: a setting someone else changed since the screen opened', () => {
  it('is refused beside its field and in the summary, naming its value now; untouched fields take their new values; the next save works', async () => {
    const { app, call } = await launchWard();
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();
    await nav(page).getByRole('link', { name: 'Settings', exact: true }).click();
    const attempts = page.getByLabel('Wrong PINs before an account locks');
    const expiring = page.getByLabel('Flag stock expiring within (days)');
    await attempts.waitFor();
    expect(await attempts.inputValue()).toBe('5');
    // Another administrator saves meanwhile.
    await call('settings.update', { lockoutAttempts: 8, stockExpiringWithinDays: 14 });
    await attempts.fill('6');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const sentence = 'Wrong PINs before an account locks was changed by someone else since you opened this: it is now 8. Check it, and save again if you still mean to change it.';
    await page.getByTestId('error-summary').waitFor();
    await expect.poll(() => attempts.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText(sentence).count()).toBe(2);
    expect(await page.getByText('Settings saved.').count()).toBe(0);
    expect(await call('settings.get', {})).toMatchObject({ lockoutAttempts: 8, stockExpiringWithinDays: 14 });
    // What was typed stays; what was left alone shows the other administrator's value.
    expect(await attempts.inputValue()).toBe('6');
    expect(await expiring.inputValue()).toBe('14');
    await expectAccessible(page, 'Settings, changed meanwhile');
    // Saved again, knowingly: over the value now in force, and the other change stays.
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    expect(await call('settings.get', {})).toMatchObject({ lockoutAttempts: 6, stockExpiringWithinDays: 14 });
    expectNoPageProblems(app);
    await app.close();
  });
});
