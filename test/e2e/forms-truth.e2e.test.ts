import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { newSession } from '../../main/core/session';
import { tempDir } from '../helpers/core';
import type { LaunchedApp } from './harness';
import { launchApp, shutdown } from './harness';
import { caller, seedWard } from './seed';
import { expectNoPageProblems, expectProblem, nav, signIn } from './steps';

afterAll(shutdown);

const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    return { name: el?.getAttribute('name') ?? '', text: el?.textContent?.trim() ?? '', testid: el?.getAttribute('data-testid') ?? '', tag: el?.tagName ?? '' };
  });

async function ward(): Promise<{ app: LaunchedApp; seeded: Awaited<ReturnType<typeof seedWard>> }> {
  const dataDir = tempDir();
  const seeded = await seedWard(dataDir);
  const app = await launchApp({ dataDir, viewport: { width: 1366, height: 768 } });
  const admin = newSession(Date.now());
  await caller(app.backend, admin)('auth.signIn', { name: 'Ada Admin', secret: '2468' });
  await caller(app.backend, admin)('settings.update', { dateFormat: 'dd/MM/yyyy' });
  return { app, seeded };
}
const go = (page: Page, route: string) => page.evaluate((r) => (window.location.hash = r), route);

describe('forms tell the truth', () => {
  it('log form: a wrong PIN is named beside the PIN box and in the summary; typing the right one clears it; saving shows no error', async () => {
    const { app, seeded } = await ward();
    const { page } = app;
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').waitFor();
    await go(page, `/log/${seeded.cleaningPlanId}`);
    await page.getByRole('heading', { level: 2, name: 'Cleaning' }).waitFor();
    await page.getByLabel('Your PIN or password').fill('9999');
    await page.getByRole('button', { name: 'Sign and save' }).click();
    const summary = page.getByTestId('error-summary');
    await summary.waitFor();
    const msg = await summary.getByRole('listitem').allInnerTexts();
    expect(msg).toEqual(['Wrong PIN or password. 4 tries left before the account locks.']);
    await expectProblem(page, msg[0]!);
    await expect.poll(async () => (await focused(page)).testid).toBe('error-summary');
    await page.getByLabel('Your PIN or password').fill('1357');
    await expect.poll(() => summary.count()).toBe(0);
    expect(await page.locator('span.error').count()).toBe(0);
    await page.getByLabel('Your PIN or password').press('Enter');
    await page.getByText('Saved: cleaning, pass, signed by Tom Tech.').waitFor();
    expect(await page.getByTestId('error-summary').count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });

  it('new device with a duplicate asset tag: beside the field and in the summary, focus on the summary; fixed, saved, no stale error', async () => {
    const { app } = await ward();
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    await go(page, '/equipment/new');
    await page.getByRole('heading', { level: 1, name: 'Add a device' }).waitFor();
    await page.getByLabel('Asset tag').fill('ip-0042');
    await page.getByLabel('Name', { exact: true }).fill('Second pump');
    await page.getByLabel('Location').selectOption({ label: 'General Hospital > Ward 4B' });
    await page.getByRole('button', { name: 'Add device' }).click();
    const summary = page.getByTestId('error-summary');
    await summary.waitFor();
    const texts = await summary.getByRole('link').allInnerTexts();
    expect(texts).toHaveLength(1);
    await expectProblem(page, texts[0]!);
    expect(texts[0]).toMatch(/asset tag/i);
    expect(await page.getByLabel('Asset tag').getAttribute('aria-invalid')).toBe('true');
    await expect.poll(async () => (await focused(page)).testid).toBe('error-summary');
    await page.getByLabel('Asset tag').fill('IP-0043');
    await expect.poll(() => summary.count()).toBe(0);
    await page.getByRole('button', { name: 'Add device' }).click();
    await page.getByRole('heading', { level: 1, name: /Second pump/ }).waitFor();
    expect(await page.getByTestId('error-summary').count()).toBe(0);
    expect(await page.locator('.banner-error, [role="alert"]').allInnerTexts()).toEqual([]);
    expectNoPageProblems(app);
    await app.close();
  });

  it('edit dialog with a duplicate asset tag, cancelled; the next device and the edit dialog reopened show no old error', async () => {
    const { app, seeded } = await ward();
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    await go(page, `/equipment/${seeded.analyserId}`);
    await page.getByRole('button', { name: 'Edit…' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit REF-7' });
    await edit.getByLabel('Asset tag').fill('IP-0042');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    const summary = edit.getByTestId('error-summary');
    await summary.waitFor();
    const [text] = await summary.getByRole('link').allInnerTexts();
    await expectProblem(edit, text!);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect((await focused(page)).text).toBe('Edit…');
    await page.getByRole('button', { name: 'Edit…' }).click();
    const again = page.getByRole('dialog', { name: 'Edit REF-7' });
    await again.waitFor();
    expect(await again.getByTestId('error-summary').count()).toBe(0);
    expect(await again.getByLabel('Asset tag').inputValue()).toBe('REF-7');
    await again.getByLabel('Name', { exact: true }).fill('Flow analyser B');
    await again.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved the changes to REF-7.').waitFor();
    // another device: the message does not follow
    await go(page, `/equipment/${seeded.pumpId}`);
    await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor();
    expect(await page.getByText(/Saved the changes/).count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });

  it('users: a digits-only guessable password is refused beside the field; the earlier "Added" message does not linger', async () => {
    const { app } = await ward();
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    await nav(page).getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    const form = page.getByRole('form', { name: 'Add a user' });
    await form.getByLabel('Name', { exact: true }).fill('Sue Super');
    await form.getByLabel('Temporary PIN').fill('7391');
    await form.getByRole('button', { name: 'Add user' }).click();
    await page.getByText(/^Added Sue Super\./).waitFor();
    await form.getByLabel('Name', { exact: true }).fill('Nina Nurse');
    await form.getByLabel('Temporary PIN').fill('7391');
    await form.getByLabel('Password (optional)').fill('12345678');
    await form.getByRole('button', { name: 'Add user' }).click();
    const summary = form.getByTestId('error-summary');
    await summary.waitFor();
    const texts = await summary.getByRole('link').allInnerTexts();
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(/^Password/);
    await expectProblem(form, texts[0]!);
    // The success of the previous action is not shown next to this refusal.
    expect(await page.getByText(/^Added Sue Super\./).count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });

  it('correcting a record of a plan since switched off opens the correction form', async () => {
    const { app, seeded } = await ward();
    const { page } = app;
    const admin = newSession(Date.now());
    await caller(app.backend, admin)('auth.signIn', { name: 'Ada Admin', secret: '2468' });
    await caller(app.backend, admin)('plans.deactivate', { id: seeded.cleaningPlanId });
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').waitFor();
    await go(page, `/equipment/${seeded.pumpId}`);
    const rec = page.getByTestId('history-record').first();
    await rec.locator('summary').click();
    await rec.getByRole('link', { name: 'Correct this record' }).click();
    await page.getByRole('heading', { level: 1, name: /^Correct a record/ }).waitFor({ timeout: 5000 });
    await page.getByLabel('Why is it being corrected?').fill('Wrong agent written');
    await page.getByLabel('Agent').fill('Chlorine 1,000 ppm');
    await page.getByLabel('Your PIN or password').fill('1357');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(1500);
    expect(await page.getByTestId('error-summary').count()).toBe(0);
    await expect.poll(() => page.getByTestId('history-record').count()).toBe(2);
    expectNoPageProblems(app);
    await app.close();
  });

  it('report a fault by keyboard: Enter opens, Escape closes and the focus returns; Enter in the PIN submits', async () => {
    const { app, seeded } = await ward();
    const { page } = app;
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').waitFor();
    await go(page, `/equipment/${seeded.pumpId}`);
    await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor();
    await page.getByRole('button', { name: 'Report a fault…' }).focus();
    await page.keyboard.press('Enter');
    const dlg = page.getByRole('dialog', { name: /Report a fault/ });
    await dlg.waitFor();
    expect((await focused(page)).name).toBe('problem');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect((await focused(page)).text).toBe('Report a fault…');
    await page.keyboard.press('Enter');
    await dlg.waitFor();
    await page.keyboard.type('Screen cracked');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect((await focused(page)).name).toBe('secret');
    await page.keyboard.type('0000');
    await page.keyboard.press('Enter');
    await dlg.getByTestId('error-summary').waitFor();
    await expect.poll(async () => (await focused(page)).testid).toBe('error-summary');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect((await focused(page)).name).toBe('secret');
    await page.keyboard.type('1357');
    await expect.poll(() => dlg.getByTestId('error-summary').count()).toBe(0);
    await page.keyboard.press('Enter');
    await page.getByTestId('fault-reported').waitFor();
    await expect.poll(async () => (await focused(page)).text).toBe('Report a fault…');
    expectNoPageProblems(app);
    await app.close();
  });
});
