import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { LaunchedApp } from './harness';
import { shutdown } from './harness';
import { launchWard } from './ward';
import { expectNoPageProblems, focused, scanKeys, signIn } from './steps';

afterAll(shutdown);

const go = (page: Page, route: string) => page.evaluate((r) => (window.location.hash = r), route);

/** What the back end holds against a user: wrong attempts, a lockout, failed sign-ins audited. */
function against(app: LaunchedApp, name: string) {
  const db = app.backend.core.db;
  const row = db.prepare('SELECT failed_attempts, locked_until FROM users WHERE name = ?').get(name) as {
    failed_attempts: number;
    locked_until: string | null;
  };
  const failures = db
    .prepare("SELECT count(*) AS n FROM audit_log WHERE entity = 'user' AND actor_name = ? AND action LIKE 'sign_in_failed%'")
    .get(name) as { n: number };
  return { attempts: row.failed_attempts, lockedUntil: row.locked_until, failuresAudited: failures.n };
}

/** Tom signed in on the pump's page, then the screen locked (Ctrl+L): his PIN box has the focus. */
async function lockedOnTom() {
  const launched = await launchWard();
  const { page } = launched.app;
  await signIn(page, 'Tom Tech', '1357');
  await page.getByTestId('signed-in-user').waitFor();
  await go(page, `/equipment/${launched.seeded.pumpId}`);
  await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor();
  await page.keyboard.press('Control+l');
  await page.getByRole('heading', { name: 'Screen locked' }).waitFor();
  expect((await focused(page)).name).toBe('secret');
  return launched;
}

const scanNote = (page: Page) => page.getByRole('status').filter({ hasText: 'That was a barcode scan: sign in first, then scan.' });
const problems = (page: Page) => page.locator('span.error, [data-testid="error-summary"]').allInnerTexts();

describe('a barcode scanned at the locked ward PC', () => {
  it('is not a wrong PIN of the person the screen locked on: nothing counted or audited, the box cleared, and the screen says why', async () => {
    const { app } = await lockedOnTom();
    const { page } = app;
    // A colleague walks up and scans the pump, as they do on every screen of the app.
    await scanKeys(page, 'IP-0042');
    await page.waitForTimeout(1000);
    expect(against(app, 'Tom Tech')).toEqual({ attempts: 0, lockedUntil: null, failuresAudited: 0 });
    expect(await problems(page)).toEqual([]);
    expect(await page.getByLabel('PIN or password', { exact: true }).inputValue()).toBe('');
    await scanNote(page).waitFor({ timeout: 2000 });
    // A scan of digits only, the length of a PIN, is still a scan.
    await scanKeys(page, '48521');
    await page.waitForTimeout(500);
    expect(against(app, 'Tom Tech')).toEqual({ attempts: 0, lockedUntil: null, failuresAudited: 0 });
    // Tom comes back and types his PIN: he carries on on the pump's page.
    await page.keyboard.type('1357', { delay: 120 });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor({ timeout: 5000 });
    expectNoPageProblems(app);
    await app.close();
  });

  it("a wrong PIN typed by a person is still a wrong PIN (the rule takes only a scanner's speed)", async () => {
    const { app } = await lockedOnTom();
    const { page } = app;
    // A quick typist: 60 ms a key is fast for a person, slow for a scanner.
    await page.keyboard.type('9753', { delay: 60 });
    await page.keyboard.press('Enter');
    await page
      .getByTestId('error-summary')
      .getByRole('link', { name: /^Wrong PIN or password/ })
      .waitFor();
    expect(await scanNote(page).count()).toBe(0);
    expect(against(app, 'Tom Tech')).toMatchObject({ attempts: 1, failuresAudited: 1 });
    await app.close();
  });

  it('a password typed quickly, or put in whole (pasted, or by a password manager), still signs in', async () => {
    const { app } = await lockedOnTom();
    const { page } = app;
    await page.getByRole('radio', { name: /Ada Admin/ }).click();
    await expect.poll(async () => (await focused(page)).name).toBe('secret');
    await page.keyboard.type('correct horse battery', { delay: 60 });
    await page.keyboard.press('Enter');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor({ timeout: 5000 });
    // Ada locks; her password goes in whole, with no keys typed (a paste or a password manager's fill).
    await page.keyboard.press('Control+l');
    await page.getByRole('heading', { name: 'Screen locked' }).waitFor();
    await page.getByLabel('PIN or password', { exact: true }).fill('correct horse battery');
    await page.keyboard.press('Enter');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor({ timeout: 5000 });
    expect(against(app, 'Ada Admin')).toMatchObject({ attempts: 0, failuresAudited: 0 });
    await app.close();
  });
});
