import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/core';
import { expectAccessible, screenshot } from './axe';
import { launchApp, shutdown } from './harness';
import { seedWard } from './seed';
import { expectNoPageProblems, focused, scanKeys, signIn } from './steps';

afterAll(shutdown);

describe('a scan while a record form is half filled', () => {
  it('the reference standard scanned mid-calibration fills "Reference standard used" and keeps the readings typed', async () => {
    const dataDir = tempDir();
    await seedWard(dataDir);
    const app = await launchApp({ dataDir });
    const { page } = app;
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Tom Tech' }).waitFor();

    await scanKeys(page, 'IP-0042');
    await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor();
    await expect.poll(async () => (await focused(page)).text).toBe('Log work');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: 'Calibration' }).waitFor();
    await page.getByLabel('As found, Flow 10 ml/h (ml/h)').fill('10.2');
    await page.getByLabel('As found, Flow 100 ml/h (ml/h)').fill('107');
    // Point 2 was adjusted: Tab onto its box, Space. The focus is on a box, not a text field.
    await page.getByLabel('As found, Flow 100 ml/h (ml/h)').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    const adjusted = page.getByRole('checkbox', { name: /Flow 100 ml\/h: adjusted/ });
    expect(await adjusted.isChecked()).toBe(true);

    // The analyser on the bench is scanned: it is the reference standard used, not a page to open.
    await scanKeys(page, 'REF-7');
    const reference = page.getByLabel('Reference standard used');
    await expect.poll(async () => reference.locator('option:checked').textContent()).toBe('REF-7 Flow analyser');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Scanned REF-7 Flow analyser: it is now the reference standard used.' }).count()).toBe(1);

    // Still the record form, with everything typed, and the focus where it was.
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^Log work: Infusion pump/);
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await page.getByLabel('As found, Flow 10 ml/h (ml/h)').inputValue()).toBe('10.2');
    expect(await page.getByLabel('As found, Flow 100 ml/h (ml/h)').inputValue()).toBe('107');
    expect(await adjusted.isChecked()).toBe(true);
    expect(await adjusted.evaluate((el) => el === document.activeElement)).toBe(true);

    expectNoPageProblems(app);
    await app.close();
  });

  it('another tag scanned mid-record asks before leaving, Stay first: Stay keeps what was typed, Leave opens the device', async () => {
    const dataDir = tempDir();
    const seeded = await seedWard(dataDir);
    const app = await launchApp({ dataDir });
    const { page } = app;
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Tom Tech' }).waitFor();

    await page.evaluate((id) => (window.location.hash = `#/log/${id}`), seeded.cleaningPlanId);
    await page.getByRole('heading', { level: 2, name: 'Cleaning' }).waitFor();
    await page.getByLabel('Method').fill('Spray and wipe');
    await page.getByLabel('Notes').fill('Sticky residue on the door.');
    await page.getByRole('radio', { name: 'Pass' }).check();
    await page.getByRole('radio', { name: 'Pass' }).focus();
    await expect.poll(async () => (await focused(page)).name).toBe('passFail');

    // The analyser is no part of a cleaning: its tag would open its page, so the app asks first.
    await scanKeys(page, 'REF-7');
    const question = page.getByRole('dialog', { name: 'Leave the unsaved cleaning of IP-0042 and open REF-7?' });
    await question.waitFor();
    expect(await question.textContent()).toContain('You scanned REF-7. Opening it now throws away what you typed and have not saved.');
    await expect.poll(async () => (await focused(page)).text).toBe('Stay');
    await expectAccessible(page, 'the question before a scan leaves a half-filled record');
    await screenshot(page, 'scan-mid-record-question');

    // Enter on Stay: the record form, as it was.
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(await page.getByLabel('Method').inputValue()).toBe('Spray and wipe');
    expect(await page.getByLabel('Notes').inputValue()).toBe('Sticky residue on the door.');
    expect(await page.getByRole('radio', { name: 'Pass' }).isChecked()).toBe(true);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^Log work: Infusion pump/);

    // Escape stays too; leaving on purpose opens the scanned device.
    await scanKeys(page, 'REF-7');
    await question.waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(await page.getByLabel('Notes').inputValue()).toBe('Sticky residue on the door.');
    await page.getByRole('radio', { name: 'Pass' }).focus();
    await scanKeys(page, 'REF-7');
    await question.getByRole('button', { name: 'Leave it and open REF-7' }).click();
    await page.getByRole('heading', { level: 1, name: /Flow analyser/ }).waitFor();

    expectNoPageProblems(app);
    await app.close();
  });

  it('a scan while a fault report is half typed in its dialog asks before leaving it, Stay first', async () => {
    const dataDir = tempDir();
    await seedWard(dataDir);
    const app = await launchApp({ dataDir });
    const { page } = app;
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Tom Tech' }).waitFor();

    await scanKeys(page, 'IP-0042');
    await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor();
    await page.getByRole('button', { name: 'Report a fault…' }).click();
    const fault = page.getByRole('dialog', { name: /^Report a fault on IP-0042/ });
    await fault.waitFor();
    await page.getByLabel('What is wrong?').fill('Occlusion alarm with the line open.');
    // Tab onto "Take it out of use now": the focus is on a box, so the next scan is a scan.
    await page.keyboard.press('Tab');
    expect((await focused(page)).name).toBe('takeOutOfUse');

    await scanKeys(page, 'REF-7');
    const question = page.getByRole('dialog', { name: /^Leave what you typed in "Report a fault on IP-0042 .*" and open REF-7\?$/ });
    await question.waitFor();
    await expect.poll(async () => (await focused(page)).text).toBe('Stay');
    await page.keyboard.press('Enter');
    await expect.poll(() => question.count()).toBe(0);
    // The fault report as it was typed, still open over the pump's page.
    expect(await fault.isVisible()).toBe(true);
    expect(await page.getByLabel('What is wrong?').inputValue()).toBe('Occlusion alarm with the line open.');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/Infusion pump/);

    expectNoPageProblems(app);
    await app.close();
  });
});
