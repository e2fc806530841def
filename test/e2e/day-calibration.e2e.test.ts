import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { printRoute } from '../../renderer/src/lib/print-route';
import { newSession } from '../../main/core/session';
import { createBackend } from '../../main/core/backend';
import { openCore } from '../../main/core/open-core';
import { caller } from '../helpers/invoke';
import { tempDir } from '../helpers/core';
import { expectAccessible } from './axe';
import { launchApp, shutdown } from './harness';
import { seedWard } from './seed';
import { expectNoPageProblems, focused, nav, scanKeys } from './steps';

afterAll(shutdown);

/** Runs calls as Ada Admin on the data folder before the app opens it. */
async function withAdmin(dataDir: string, fn: (call: ReturnType<typeof caller>) => Promise<unknown>): Promise<void> {
  const core = openCore({ dataDir });
  const backend = createBackend(core);
  const admin = newSession(Date.now());
  const call = caller(backend, admin);
  await call('auth.signIn', { name: 'Ada Admin', secret: '2468' });
  await fn(call);
  core.close();
}

const headline = (page: Page) => page.getByTestId('today-headline').textContent();

/** dd.MM.yyyy of a local day n days from now. */
function dotted(offsetDays: number): string {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  return `${String(d.getDate()).padStart(2, '0')}.${String(d.getMonth() + 1).padStart(2, '0')}.${d.getFullYear()}`;
}

describe('a day on the ward: a technician fails a calibration, keyboard first', () => {
  it('signs in with a PIN, scans, logs a failed calibration; DO NOT USE on Today, the list, the device and the printed due list; Settings date format everywhere', async () => {
    const dataDir = tempDir();
    await seedWard(dataDir);
    // The supervisor chose dd.MM.yyyy in Settings.
    await withAdmin(dataDir, (call) => call('settings.update', { dateFormat: 'dd.MM.yyyy' }));
    const app = await launchApp({ dataDir });
    const { page } = app;

    // Sign in by keyboard: name, Tab, PIN, Enter.
    await page.getByLabel('Or type your name').waitFor();
    await page.getByLabel('Or type your name').focus();
    await page.keyboard.type('Tom Tech', { delay: 120 });
    await page.getByLabel('PIN or password').focus();
    await page.keyboard.type('1357', { delay: 120 });
    await page.keyboard.press('Enter');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Tom Tech' }).waitFor();
    await page.getByRole('heading', { name: 'Today', exact: true }).waitFor();
    await expect.poll(() => headline(page)).toMatch(/1 overdue, 1 due$/);
    await expectAccessible(page, 'Today (morning)');

    // Scan from Today: the pump's page, the focus on Log work.
    await scanKeys(page, 'IP-0042');
    await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor();
    await expect.poll(async () => (await focused(page)).text).toBe('Log work');
    await expectAccessible(page, 'device page');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: 'Calibration' }).waitFor();
    // The form's due date is in the Settings format.
    const due = await page.locator('.log-head').textContent();
    expect.soft(due).toContain(`due ${dotted(-12)}`);
    // The performed-on date too.
    expect(await page.getByLabel('Performed on').inputValue()).toBe(dotted(0));

    // Keyboard: the reference standard (first field), then readings; occlusion out of tolerance.
    expect((await focused(page)).tag).toBe('SELECT');
    await page.getByLabel('Reference standard used').selectOption({ label: 'REF-7 Flow analyser' });
    await page.getByLabel('As found, Flow 10 ml/h (ml/h)').fill('10.1');
    await page.getByLabel('As found, Flow 100 ml/h (ml/h)').fill('99');
    await page.getByLabel('As found, Occlusion pressure (mmHg)').fill('600');
    await page.locator('.live-outcome').filter({ hasText: 'Fail' }).waitFor();
    await expectAccessible(page, 'calibration form with a reading out of tolerance');
    await page.getByLabel('Your PIN or password').focus();
    await page.keyboard.type('1357');
    await page.keyboard.press('Enter');

    // Back on the device: saved, failed, DO NOT USE.
    await page.getByText(/^Saved: calibration, fail, signed by Tom Tech\./).waitFor();
    await page.getByTestId('do-not-use').waitFor();
    const savedFocus = await focused(page);
    expect.soft(savedFocus.testid, `focus after saving: ${JSON.stringify({ ...savedFocus, text: savedFocus.text.slice(0, 60) })}`).toBe('saved-notice');
    // The history's date is in the Settings format.
    const record = (await page.getByTestId('history-record').first().textContent()) ?? '';
    expect.soft(record).toContain(dotted(0));
    expect.soft(record).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    await expectAccessible(page, 'device page after a failed calibration');

    // Today: the calibration is no longer overdue; the pump is listed out of service, DO NOT USE.
    await nav(page).getByRole('link', { name: 'Today', exact: true }).click();
    // Its plans are suspended while it is out of service: nothing is overdue or due.
    await expect.poll(() => headline(page)).toMatch(/0 overdue, 0 due$/);
    const main = page.getByRole('main');
    await expect.poll(async () => (await main.textContent()) ?? '').toMatch(/IP-0042[\s\S]*DO NOT USE|DO NOT USE[\s\S]*IP-0042/);
    // If Today names the next work due, that date is today or later: never a day already past
    // (the tagged-out pump's suspended calibration was due 12 days ago).
    const todayText = (await main.textContent()) ?? '';
    const next = /The next work due is .* on (\d{2}\.\d{2}\.\d{4})/.exec(todayText);
    if (next) {
      const [d, m, y] = next[1]!.split('.').map(Number);
      const nextDay = new Date(y!, m! - 1, d!).getTime();
      const startOfToday = new Date(new Date().toDateString()).getTime();
      expect.soft(nextDay, `Today says: "${/Nothing is overdue.*$/.exec(todayText)?.[0]}"`).toBeGreaterThanOrEqual(startOfToday);
    }
    await expectAccessible(page, 'Today after the fail');

    // The equipment list: out of service.
    await nav(page).getByRole('link', { name: 'Equipment', exact: true }).click();
    const listRow = page.getByRole('row').filter({ hasText: 'IP-0042' });
    await listRow.waitFor();
    expect.soft(await listRow.textContent()).toMatch(/Out of service|DO NOT USE/);
    expect.soft(await listRow.textContent()).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    await expectAccessible(page, 'equipment list');

    // Scan from another screen (the list): the pump's page opens.
    await scanKeys(page, 'IP-0042');
    await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor();
    await page.getByTestId('do-not-use').waitFor();

    // The printed due list (Wards as Today): the pump first, DO NOT USE, dates in the Settings format.
    const origin = new URL(page.url()).origin;
    const printPage = await app.context.newPage();
    await printPage.goto(`${origin}/#${printRoute('due-list', {}, 'a4')}`);
    await printPage.waitForSelector('html[data-print-state="ready"]', { state: 'attached', timeout: 20_000 });
    const printed = (await printPage.locator('body').textContent()) ?? '';
    expect.soft(printed).toContain('DO NOT USE');
    expect.soft(printed).toContain('IP-0042');
    expect.soft(printed).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect.soft(printed).toContain(dotted(0));
    await printPage.close();

    expectNoPageProblems(app);
    await app.close();
  });
});
