import { addDays, format } from 'date-fns';
import type { Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChannelName } from '../../shared/contract';
import { recordCompletion } from '../../main/core/completions/record';
import { inTransaction } from '../../main/core/dispatcher/transaction';
import { newSession } from '../../main/core/session';
import { tempDir } from '../helpers/core';
import { inInventorySince } from '../helpers/records';
import type { LaunchedApp } from './harness';
import { launchApp, launchPrinting, shutdown } from './harness';
import { launchWard } from './ward';
import { caller, seedWard } from './seed';
import { expectNoPageProblems, expectProblem, focused, nav, pageInvoke, personWithPin, signIn, switchTo, tabTo } from './steps';

afterAll(shutdown);

/**
 * Issue 15, "the screen tells the truth": each thing seen by the three new users, as they see it
 * now (the sentence beside the field, where the focus is, no stale message), and the keyboard-only
 * runs the issue asks for.
 */

const iso = (d: Date) => format(d, 'yyyy-MM-dd');
const dmy = (d: Date) => format(d, 'dd/MM/yyyy');

/** A USB scanner's burst: the tag's keys milliseconds apart, then Enter, with no field focused. */
async function scan(page: Page, tag: string) {
  await page.evaluate((keys) => {
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    for (const key of [...keys, 'Enter']) document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  }, [...tag]);
}

async function value<T>(page: Page, channel: ChannelName, input: unknown): Promise<T> {
  const res = await pageInvoke(page, channel, input as never);
  expect(res, `${channel} failed: ${res.ok ? '' : res.error.message}`).toMatchObject({ ok: true });
  return (res as { value: unknown }).value as T;
}

/** The seeded ward (Ada Admin 2468, Tom Tech 1357, the pump IP-0042, the analyser REF-7) in the browser, the date format day/month/year. */
async function ward(): Promise<{ app: LaunchedApp; seeded: Awaited<ReturnType<typeof seedWard>> }> {
  const dataDir = tempDir();
  const seeded = await seedWard(dataDir);
  const app = await launchApp({ dataDir });
  const admin = newSession(Date.now());
  await caller(app.backend, admin)('auth.signIn', { name: 'Ada Admin', secret: '2468' });
  await caller(app.backend, admin)('settings.update', { dateFormat: 'dd/MM/yyyy' });
  return { app, seeded };
}

describe('the screen tells the truth, in Chromium', () => {
  it('first run by keyboard alone: every problem at once, the summary takes the focus, its link goes to the field; then an honest Today', async () => {
    const app = await launchApp({ dataDir: tempDir() });
    const { page } = app;
    await page.getByRole('heading', { name: 'Welcome to Wardkeep' }).waitFor();
    await expect.poll(async () => (await focused(page)).name).toBe('name');
    await page.keyboard.press('Enter');
    const summary = page.getByTestId('error-summary');
    await summary.getByRole('heading', { name: 'There are 2 problems' }).waitFor();
    expect(await summary.getByRole('link').allTextContents()).toEqual(['Name is required.', 'Password must be at least 8 characters.']);
    await expect.poll(async () => (await focused(page)).testid).toBe('error-summary');
    await page.keyboard.press('Tab');
    expect((await focused(page)).text).toBe('Name is required.');
    await page.keyboard.press('Enter');
    expect((await focused(page)).name).toBe('name');
    await page.keyboard.type('Ada Admin');
    // Fixed: that problem leaves the summary at once (no stale message).
    await expect.poll(() => summary.getByRole('link').allTextContents()).toEqual(['Password must be at least 8 characters.']);
    await page.keyboard.press('Tab');
    await page.keyboard.type('correct horse battery');
    await page.keyboard.press('Tab');
    await page.keyboard.type('correct horse battery');
    await page.keyboard.press('Tab');
    await page.keyboard.type('2468');
    await page.keyboard.press('Enter');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();
    // Nothing is due because nothing is planned: said as such, with what to do first.
    expect(await page.getByTestId('today-empty').textContent()).toContain('Nothing is planned yet: there is no equipment in Wardkeep.');
    expect(await page.locator('.all-clear').count()).toBe(0);
    await nav(page).getByRole('link', { name: 'Compliance', exact: true }).click();
    expect(await page.getByTestId('compliance-empty').textContent()).toContain('Nothing was due in this period');
    expect(await page.getByText(/was done on time/).count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });

  it('sign-in by keyboard: arrow keys move through the names (the third reached), Enter goes to the PIN, and a wrong PIN counts against that person', async () => {
    const { app } = await ward();
    const { page } = app;
    const admin = newSession(Date.now());
    await caller(app.backend, admin)('auth.signIn', { name: 'Ada Admin', secret: '2468' });
    await caller(app.backend, admin)('users.create', { name: 'Sue Super', role: 'supervisor', temporaryPin: '8642' });
    await page.reload();
    const names = page.getByRole('radio');
    await expect.poll(() => names.count()).toBe(3);
    expect(await page.locator('.name-option').allInnerTexts()).toEqual(['Ada Admin\nAdministrator', 'Sue Super\nSupervisor', 'Tom Tech\nTechnician']);
    // The screen opens with the focus in "Or type your name"; the list of names is just before it.
    await expect.poll(async () => (await focused(page)).name).toBe('typedName');
    // Shift+Tab enters the group of names (none chosen yet) at its last; the arrows go up and down it.
    await page.keyboard.press('Shift+Tab');
    expect(await names.nth(2).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await names.nth(0).isChecked()).toBe(true);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    // The third name is chosen and the focus is still in the names, not in the PIN box.
    expect(await names.nth(2).isChecked()).toBe(true);
    expect(await names.nth(2).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    // Polled: once, in CI, the focus was read still on the names just after the Enter.
    await expect.poll(async () => (await focused(page)).name).toBe('secret');
    // Typed as a person types: at a barcode scanner's speed, the sign-in screen takes it for a scan.
    await page.keyboard.type('9999', { delay: 120 });
    await page.keyboard.press('Enter');
    await page.getByTestId('error-summary').getByRole('link', { name: /^Wrong PIN or password\. 4 tries left/ }).waitFor();
    await expect.poll(async () => (await focused(page)).testid).toBe('error-summary');
    const attempts = (name: string) => (app.backend.core.db.prepare('SELECT failed_attempts AS n FROM users WHERE name = ?').get(name) as { n: number }).n;
    expect(attempts('Tom Tech')).toBe(1);
    expect(attempts('Sue Super')).toBe(0);
    expect(await names.nth(2).isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter'); // the summary's link: back to the PIN box
    await expect.poll(async () => (await focused(page)).name).toBe('secret');
    await page.keyboard.type('1357', { delay: 120 });
    await page.keyboard.press('Enter');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Tom Tech · Technician' }).waitFor();
    expectNoPageProblems(app);
    await app.close();
  });

  it('a technician signing in after a supervisor signed out on a screen the technician may not open starts on Today', async () => {
    const { app } = await ward();
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();
    await nav(page).getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, 'Tom Tech', '1357');
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    expect(await page.getByText(/does not open this screen/).count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });

  it('a calibration by keyboard: focus starts on its first field, a wrong reading is named beside it and in the summary, corrected, saved; the message stays with its device', async () => {
    const { app } = await ward();
    const { page } = app;
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Tom Tech' }).waitFor();
    await scan(page, 'IP-0042');
    await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor();
    await expect.poll(async () => (await focused(page)).text).toBe('Log work');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: 'Calibration' }).waitFor();
    // The first thing to fill in has the focus: the reference standard, not the PIN box past the readings.
    await expect.poll(async () => (await focused(page)).name).toBe('referenceId');
    await page.keyboard.press('ArrowDown'); // REF-7 Flow analyser
    await page.keyboard.press('Tab');
    expect((await focused(page)).name).toBe('readings.0.asFound');
    await page.keyboard.type('10.2');
    await tabTo(page, (f) => f.name === 'readings.1.asFound');
    await page.keyboard.type('ten'); // a wrong reading
    // "Performed on" then its time are one Tab apart; Enter in the date submits (it opens no calendar).
    await tabTo(page, (f) => f.name === 'performedOn');
    await page.keyboard.press('Tab');
    expect((await focused(page)).name).toBe('performedTime');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    const summary = page.getByTestId('error-summary');
    await summary.waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);
    await expect.poll(async () => (await focused(page)).testid).toBe('error-summary');
    expect(await summary.getByRole('link').allTextContents()).toEqual([
      'Enter the as-found reading of Flow 100 ml/h as a number, for example 10.2.',
      'Enter the as-found reading of Occlusion pressure as a number, for example 10.2.',
    ]);
    await expectProblem(page, 'Enter the as-found reading of Flow 100 ml/h as a number, for example 10.2.');
    expect(await page.locator('input[name="readings.1.asFound"]').getAttribute('aria-invalid')).toBe('true');
    // The summary's first link goes to the wrong reading; correcting it takes it off the summary at once.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect((await focused(page)).name).toBe('readings.1.asFound');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('107');
    await expect.poll(() => summary.getByRole('link').allTextContents()).toEqual(['Enter the as-found reading of Occlusion pressure as a number, for example 10.2.']);
    // Out of tolerance: adjusted, and the as-left reading typed.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await tabTo(page, (f) => f.name === 'readings.1.asLeft');
    await page.keyboard.type('100.4');
    await tabTo(page, (f) => f.name === 'readings.2.asFound');
    await page.keyboard.type('480');
    await expect.poll(() => summary.count()).toBe(0);
    await page.getByText('Pass after adjustment').waitFor();
    await tabTo(page, (f) => f.name === 'secret');
    await page.keyboard.type('1357');
    await page.keyboard.press('Enter');
    await page.getByText('Saved: calibration, pass after adjustment, signed by Tom Tech.').waitFor();
    // The next device scanned shows no message about the pump.
    await scan(page, 'REF-7');
    await page.getByRole('heading', { level: 1, name: /Flow analyser/ }).waitFor();
    expect(await page.getByText(/^Saved:/).count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });

  it('the record form: one "Supplies used", and work logged long ago is asked about beside the date, then saved once confirmed', async () => {
    const { app, seeded } = await ward();
    const { page } = app;
    // The pump has been on the ward for years: work can be dated back to then (issue 13).
    inInventorySince(app.backend.core, seeded.pumpId, iso(addDays(new Date(), -800)));
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').waitFor();
    await page.evaluate((id) => (window.location.hash = `#/log/${id}`), seeded.cleaningPlanId);
    await page.getByRole('heading', { level: 2, name: 'Cleaning' }).waitFor();
    expect(await page.getByText('Supplies used', { exact: true }).count()).toBe(1);
    expect(await page.getByRole('region', { name: 'Supplies used' }).count()).toBe(0);
    const longAgo = dmy(addDays(new Date(), -400));
    await page.getByLabel('Performed on').fill(longAgo);
    const question = page.getByRole('group', { name: 'Check the date' });
    await question.getByText(/^Performed on is 400 days ago/).waitFor();
    // Work this old says why it is entered only now.
    await page.getByLabel('Why is this entered only now?').fill('Found the paper form in the drawer.');
    await page.getByLabel('Your PIN or password').fill('1357');
    await page.getByRole('button', { name: 'Sign and save' }).click();
    await page.getByTestId('error-summary').getByRole('link', { name: /^Performed on is 400 days ago \(\d\d\/\d\d\/\d{4}\)\. Check it; if it is right, tick/ }).waitFor();
    await question.getByLabel('The dates are right: save them as they are').check();
    await page.getByRole('button', { name: 'Sign and save' }).click();
    await page.getByText('Saved: cleaning, pass, signed by Tom Tech.').waitFor();
    expectNoPageProblems(app);
    await app.close();
  });

  it("prints tomorrow's due list by keyboard alone", async () => {
    const dataDir = tempDir();
    await seedWard(dataDir);
    const { app, port } = await launchPrinting(tempDir(), { dataDir });
    const { page } = app;
    const admin = newSession(Date.now());
    await caller(app.backend, admin)('auth.signIn', { name: 'Ada Admin', secret: '2468' });
    await caller(app.backend, admin)('settings.update', { dateFormat: 'dd/MM/yyyy' });
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();
    await page.getByTestId('signed-in-user').waitFor();
    await nav(page).getByRole('link', { name: 'Due lists', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Due lists' }).waitFor();
    await tabTo(page, (f) => f.text === 'Tomorrow');
    await page.keyboard.press('Enter');
    const tomorrow = addDays(new Date(), 1);
    await page.getByRole('list', { name: 'Filter in words' }).getByText(`As of ${dmy(tomorrow)}`, { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Tomorrow' }).getAttribute('aria-pressed')).toBe('true');
    await tabTo(page, (f) => f.text === 'Print…', true);
    await page.keyboard.press('Enter');
    await page.getByText('Sent the due list to the printer.').waitFor();
    expect(port.jobs).toHaveLength(1);
    expect(port.jobs[0]!.route).toMatch(/^\/print\/due-list\?job=/);
    expectNoPageProblems(app);
    await app.close();
  });

  it('the due-list builder says what is wrong with a typed date, in the user\'s format, and with a range that ends before it starts', async () => {
    const { app } = await ward();
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();
    await nav(page).getByRole('link', { name: 'Due lists', exact: true }).click();
    await page.getByTestId('due-count').waitFor();
    const asOf = page.getByLabel('As of');
    await asOf.fill('31/13/2026');
    const problem = (text: string) => page.locator('.filter-date span.error', { hasText: text });
    await problem('As of 31/13/2026 is not a date in the calendar.').waitFor();
    await page.getByText('The list is not shown until the filter is fixed:').waitFor();
    expect(await page.getByTestId('due-count').count()).toBe(0);
    await asOf.fill('2026.31.01');
    await problem('As of must be written dd/mm/yyyy, for example 31/01/2026.').waitFor();
    await asOf.fill('');
    await page.getByTestId('due-count').waitFor();
    await page.getByLabel('Due from').fill('10/12/2026');
    await page.getByLabel('Due to').fill('01/12/2026');
    await problem('Due to (01/12/2026) is before due from (10/12/2026): the range ends before it starts.').waitFor();
    expect(await page.getByText('Nothing matches').count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });

  it('calibration points and safety checks: every problem beside its cell and in the summary, nothing saved', async () => {
    const { app } = await ward();
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();
    await nav(page).getByRole('link', { name: 'Categories', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Categories' }).waitFor();
    await page.getByRole('link', { name: 'Infusion pump', exact: true }).click();
    const points = page.getByRole('form', { name: 'Calibration points' });
    await points.getByLabel('Point 1 name').fill('');
    await points.getByLabel('Point 2 tolerance', { exact: true }).fill('-1');
    await points.getByLabel('Point 3 name').fill('flow 100 ml/h');
    await points.getByLabel('Point 3 tolerance', { exact: true }).fill('0');
    await points.getByRole('button', { name: 'Save points' }).click();
    const summary = points.getByTestId('error-summary');
    await summary.getByRole('heading', { name: 'There are 4 problems' }).waitFor();
    await expect.poll(async () => (await focused(page)).testid).toBe('error-summary');
    expect(await summary.getByRole('link').allTextContents()).toEqual([
      'Point 1 name is required.',
      'Point 2 tolerance must be more than 0.',
      "Point 3 name is the same as point 2's: give each a name of its own.",
      'Point 3 tolerance must be more than 0.',
    ]);
    await expectProblem(points, 'Point 2 tolerance must be more than 0.');
    expect(await points.getByLabel('Point 3 name').getAttribute('aria-invalid')).toBe('true');
    const checks = page.getByRole('form', { name: 'Electrical safety checks' });
    await checks.getByLabel('Check 1 lower limit').fill('5');
    await checks.getByLabel('Check 2 upper limit').fill('');
    await checks.getByRole('button', { name: 'Save checks' }).click();
    await expectProblem(checks, 'Check 1 upper limit must not be below the lower limit.');
    await expectProblem(checks, 'Check 2 needs a lower limit, an upper limit or both.');
    const versions = app.backend.core.db.prepare('SELECT task, max(version) AS v FROM procedures GROUP BY task ORDER BY task').all();
    expect(versions).toEqual([{ task: 'calibration', v: 1 }]);
    expectNoPageProblems(app);
    await app.close();
  });

  it('a device in service in 2099 is asked about beside the date, and saved once confirmed', async () => {
    const { app, seeded } = await ward();
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), seeded.pumpId);
    await page.getByRole('button', { name: 'Edit…' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit IP-0042' });
    await edit.getByLabel('In service since').fill('01/01/2099');
    await edit.getByRole('group', { name: 'Check the dates' }).getByText(/^In service since is in the future/).waitFor();
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.getByTestId('error-summary').getByRole('link', { name: /^In service since is in the future, [\d,]+ days from today \(01\/01\/2099\)\./ }).waitFor();
    expect(app.backend.core.db.prepare('SELECT in_service_on FROM equipment WHERE id = ?').get(seeded.pumpId)).toEqual({ in_service_on: null });
    await edit.getByLabel('The dates are right: save them as they are').check();
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved the changes to IP-0042.').waitFor();
    expect(app.backend.core.db.prepare('SELECT in_service_on FROM equipment WHERE id = ?').get(seeded.pumpId)).toEqual({ in_service_on: '2099-01-01' });
    expectNoPageProblems(app);
    await app.close();
  });

  it('stickers: labels already used within the sheet, said in words; a device never calibrated is named, not printed "Calibrated —"', async () => {
    const { app } = await ward();
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();
    const wardId = (await value<{ id: string; path: string }[]>(page, 'locations.list', {})).find((l) => l.path.endsWith('Ward 4B'))!.id;
    const scale = await value<{ id: string }>(page, 'equipment.create', { assetTag: 'SC-1', name: 'Patient scale', locationId: wardId });
    await value(page, 'plans.create', { equipmentId: scale.id, task: 'calibration', every: '1y', startDate: iso(addDays(new Date(), 30)) });
    await nav(page).getByRole('link', { name: 'Stickers', exact: true }).click();
    const used = page.getByLabel('Labels already used on the first sheet');
    for (const [typed, message] of [
      ['999', 'Labels already used must be at most 23: the sheet holds 24 labels.'],
      ['25', 'Labels already used must be at most 23: the sheet holds 24 labels.'],
      ['-3', 'Labels already used must be a whole number from 0 to 23.'],
    ] as const) {
      await used.fill(typed);
      await page.locator('span.error', { hasText: message }).waitFor();
      expect(await used.getAttribute('aria-invalid')).toBe('true');
    }
    await used.fill('2');
    await page.getByLabel('Devices I choose').check();
    await page.getByLabel('Asset tag (type or scan)').fill('SC-1');
    await page.getByRole('button', { name: 'Add device' }).click();
    await page.getByText('SC-1 Patient scale has no calibration on record, so there is no calibration sticker to print: remove it from the list.').waitFor();
    expect(await page.getByTestId('sticker-preview-row').count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });

  it("users: a name and home ward change in the edit dialog; a role change is confirmed first", async () => {
    const { app } = await ward();
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();
    await nav(page).getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByRole('button', { name: 'Edit… Tom Tech' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Tom Tech' });
    await edit.getByLabel('Name').fill('Tom Technician');
    await edit.getByLabel('Home ward').selectOption({ label: 'General Hospital > Ward 4B' });
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved Tom Technician.').waitFor();
    await page.getByRole('row', { name: /Tom Technician Technician General Hospital > Ward 4B/ }).waitFor();
    await page.getByRole('button', { name: 'Edit… Tom Technician' }).click();
    await page.getByRole('dialog', { name: 'Edit Tom Technician' }).getByLabel('Role').selectOption({ label: 'Supervisor' });
    await page.getByRole('dialog', { name: 'Edit Tom Technician' }).getByRole('button', { name: 'Save changes' }).click();
    const confirm = page.getByRole('dialog', { name: 'Make Tom Technician a supervisor?' });
    await confirm.waitFor();
    expect((app.backend.core.db.prepare("SELECT role FROM users WHERE name = 'Tom Technician'").get() as { role: string }).role).toBe('technician');
    await confirm.getByRole('button', { name: 'Make supervisor' }).click();
    await page.getByText('Tom Technician is now supervisor.').waitFor();
    expect((app.backend.core.db.prepare("SELECT role FROM users WHERE name = 'Tom Technician'").get() as { role: string }).role).toBe('supervisor');
    expectNoPageProblems(app);
    await app.close();
  });

  it('at 1366 × 768: Log buttons on one line, the next due date whole, the plans table’s actions visible, a long name on two lines', async () => {
    const { app, seeded } = await ward();
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();
    const log = page.getByTestId('due-row').first().getByRole('link', { name: /^Log/ });
    await log.waitFor();
    const box = await log.evaluate((el) => ({ height: el.getBoundingClientRect().height, line: parseFloat(getComputedStyle(el).lineHeight), text: (el as HTMLElement).innerText }));
    expect(box.text).toBe('Log');
    expect(box.height).toBeLessThan(box.line * 2);
    await page.evaluate(() => (window.location.hash = '#/equipment'));
    const pumpRow = page.getByRole('row', { name: /IP-0042/ });
    await pumpRow.waitFor();
    const dateFits = await pumpRow.locator('.next-due-date').evaluate((el) => {
      const cell = el.closest('[role="gridcell"]')!.getBoundingClientRect();
      const r = el.getBoundingClientRect();
      return r.left >= cell.left && r.right <= cell.right + 0.5;
    });
    expect(dateFits).toBe(true);
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), seeded.pumpId);
    const deactivate = page.getByRole('button', { name: /^Deactivate.*calibration plan$/ });
    await deactivate.waitFor();
    expect(await page.locator('.plans-section .table-scroll').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    const longName = 'Infusion pump, large-volume, dual-channel, with drug library and wireless link (paediatric intensive care)';
    await value(page, 'equipment.update', { id: seeded.pumpId, assetTag: 'IP-0042', name: longName, locationId: (await value<{ locationId: string }>(page, 'equipment.get', { id: seeded.pumpId })).locationId });
    await page.evaluate(() => (window.location.hash = '#/equipment'));
    const nameCell = page.getByRole('row', { name: /IP-0042/ }).getByRole('gridcell').nth(1);
    await nameCell.getByText(/^Infusion pump, large-volume/).waitFor();
    expect(await nameCell.getAttribute('title')).toBe(longName);
    expect(await nameCell.evaluate((el) => Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)))).toBe(2);
    expectNoPageProblems(app);
    await app.close();
  });

  it('an accented capital and a descender show whole where a name is cut to fit: the list\'s two-line cells, the place tree, the signed-in name', async () => {
    const { app, seeded } = await ward();
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();
    // Each fits on its line, so nothing needs cutting: all that could go is the letters' ink.
    const name = 'Échographe Élodie, ÅÖÜ gyp';
    const place = await value<{ id: string }>(page, 'locations.create', { name: 'Île Ågy' });
    await value(page, 'equipment.update', { id: seeded.pumpId, assetTag: 'IP-0042', name, locationId: place.id });
    await personWithPin(app, 'Åsa Élodie Øgyp', 'supervisor', '1357');
    await switchTo(page, 'Åsa Élodie Øgyp', '1357');
    const who = page.locator('.topbar .who-name');
    await who.filter({ hasText: 'Åsa Élodie Øgyp' }).waitFor();
    await page.evaluate(() => (window.location.hash = '#/equipment'));
    const row = page.getByRole('row', { name: /IP-0042/ });
    await row.getByText(name, { exact: true }).waitFor();
    await row.getByText('Île Ågy', { exact: true }).waitFor();
    await page.mouse.move(0, 0);

    /** What a person sees is what the letters draw when nothing clips them: the same pixels, a few above and
     * below the box included, with the element's clip on and off. */
    async function drawnWhole(element: Locator): Promise<boolean> {
      const box = (await element.boundingBox())!;
      const clip = { x: box.x, y: box.y - 4, width: box.width, height: box.height + 8 };
      const seen = await page.screenshot({ clip });
      await element.evaluate((el) => Object.assign((el as HTMLElement).style, { overflow: 'visible', clipPath: 'none' }));
      const whole = await page.screenshot({ clip });
      await element.evaluate((el) => Object.assign((el as HTMLElement).style, { overflow: '', clipPath: '' }));
      return seen.equals(whole);
    }

    const cells = row.locator('.two-lines');
    expect(await cells.count()).toBe(2);
    for (const [i, what] of ['the name', 'the location'].entries()) {
      const cell = cells.nth(i);
      // Each cell sits inside its row of fixed height.
      const fits = await cell.evaluate((el) => {
        const c = el.getBoundingClientRect();
        const r = el.closest('[role="row"]')!.getBoundingClientRect();
        return c.top >= r.top && c.bottom <= r.bottom;
      });
      expect(fits, `${what} fits its row`).toBe(true);
      expect(await drawnWhole(cell), `${what} in the list is drawn whole`).toBe(true);
    }
    expect(await drawnWhole(page.locator('.tree-name', { hasText: 'Île Ågy' })), 'the place in the tree is drawn whole').toBe(true);
    expect(await drawnWhole(who), 'the signed-in name is drawn whole').toBe(true);
    expectNoPageProblems(app);
    await app.close();
  });
});

describe('reading only what changed, in Chromium', () => {
  it('a device page with 200 records makes a bounded number of calls, and a write re-reads only the queries it affects', async () => {
    const { app, seeded } = await ward();
    const { page } = app;
    const actor = { userId: null, name: 'Tom Tech', role: 'technician' as const, via: 'app' as const };
    const start = Date.now() - 201 * 86_400_000;
    for (let i = 0; i < 200; i++) {
      inTransaction(app.backend.core, (core) =>
        recordCompletion(core, actor, { planId: seeded.cleaningPlanId, performedAt: new Date(start + i * 86_400_000).toISOString(), outcome: 'pass', source: 'app' }),
      );
    }
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
    const before = app.calls.length;
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), seeded.pumpId);
    const records = page.getByTestId('history-record');
    await expect.poll(() => records.count()).toBe(201);
    await page.waitForTimeout(300);
    const opened = app.calls.slice(before);
    // Each of the page's reads once: the device, its plans (asked by two parts of the page, read once),
    // the task types, the history, its open work order, whether another device has its tag. Settings
    // were read once for the whole session, not per record.
    expect([...opened].sort()).toEqual([
      'completions.history',
      'equipment.get',
      'equipment.tagClashes',
      'plans.list',
      'taskTypes.list',
      'workOrders.ofEquipment',
    ]);
    expect(app.calls.filter((c) => c === 'settings.get')).toHaveLength(1);

    // A write that changes none of it (a procedure of another category) re-reads nothing here.
    const admin = newSession(Date.now());
    const call = caller(app.backend, admin);
    await call('auth.signIn', { name: 'Ada Admin', secret: '2468' });
    const other = await call('categories.create', { name: 'Scale' });
    await page.waitForTimeout(300);
    let mark = app.calls.length;
    await call('procedures.save', { owner: { kind: 'category', categoryId: other.id }, task: 'inspection', definition: { kind: 'checklist', steps: [{ text: 'Level' }] } });
    await page.waitForTimeout(500);
    expect(app.calls.slice(mark)).toEqual([]);

    // A change to a plan re-reads the plans, and not the device, its history, the task types or the settings.
    mark = app.calls.length;
    await call('plans.update', { id: seeded.cleaningPlanId, every: '2w', startDate: iso(new Date()) });
    await expect.poll(() => app.calls.slice(mark)).toContain('plans.list');
    await page.waitForTimeout(500);
    expect(app.calls.slice(mark)).toEqual(['plans.list']);
    await page.getByText('every 2 weeks').waitFor();
    expectNoPageProblems(app);
    await app.close();
  });

  it("a task type renamed in another window: the open device page's history and its 'Records of' choice follow the new name, as its plans table does", async () => {
    const { app, seeded, call } = await launchWard();
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), seeded.pumpId);
    await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor();
    const history = page.getByTestId('history-record');
    await history.first().waitFor();
    expect(await history.first().locator('.record-task').textContent()).toBe('Cleaning');

    // Another window (or PC): the administrator renames "Cleaning".
    const types = await call('taskTypes.list', {});
    const cleaning = types.find((t) => t.code === 'cleaning')!;
    await call('taskTypes.update', {
      code: cleaning.code,
      label: 'Cleaning and disinfection',
      formKind: cleaning.formKind,
      active: cleaning.active,
      failTakesOutOfService: cleaning.failTagsOut,
      overdueMeansDoNotUse: cleaning.overdueBlocksUse,
      failOpensWorkOrder: cleaning.failOpensWorkOrder,
    });

    // The plans table shows the new name...
    const plans = page.getByRole('region', { name: 'Plans' });
    await expect.poll(() => plans.getByTestId('plan-row').allTextContents(), { timeout: 5000 }).toContainEqual(expect.stringContaining('Cleaning and disinfection'));
    // ...and so must the history beneath it, and the printout's task choice.
    await expect.poll(() => history.first().locator('.record-task').textContent(), { timeout: 5000 }).toBe('Cleaning and disinfection');
    expect(await page.getByLabel('Records of').locator('option').allTextContents()).toContain('Cleaning and disinfection');
    expectNoPageProblems(app);
    await app.close();
  });
});
