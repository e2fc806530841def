import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { addDays, addYears, format } from 'date-fns';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/core';
import { device, plan } from '../integration/plans/fixtures';
import { launchApp, shutdown } from './harness';
import { seedRecord } from '../helpers/records';
import { createFirstAdmin, expectNoPageProblems, pageValue, nav, expectProblem, signIn } from './steps';
import { caller, seedWard } from './seed';
import { newSession } from '../../main/core/session';

afterAll(shutdown);

/** Screenshots to look at (not compared): test-results/ is ignored by git. */
const SHOTS = path.resolve('test-results/screenshots');
mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `today-${name}.png`), fullPage: true });

const value = pageValue;

const iso = (d: Date) => format(d, 'yyyy-MM-dd');

describe('Today and the device page, in Chromium', () => {
  it('an overdue calibration is red on the home screen and DO NOT USE on its page; a passing calibration turns it green without a reload', async () => {
    const app = await launchApp({ dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await value(page, 'settings.update', { dateFormat: 'yyyy-MM-dd' });

    // A ward with an infusion pump whose yearly calibration was due 12 days ago, and a scale due in 10.
    const today = new Date();
    const site = await value(page, 'locations.create', { name: 'General Hospital' });
    const ward = await value(page, 'locations.create', { name: 'Ward 4B', parentId: site.id });
    const bay = await value(page, 'locations.create', { name: 'Bay 2', parentId: ward.id });
    const pump = await value(page, 'equipment.create', { assetTag: 'IP-0001', name: 'Infusion pump', locationId: bay.id, risk: 'high' });
    const scale = await value(page, 'equipment.create', { assetTag: 'SC-0002', name: 'Patient scale', locationId: ward.id });
    const cal = await value(page, 'plans.create', { equipmentId: pump.id, task: 'calibration', every: '1y', startDate: iso(addDays(today, -12)) });
    await value(page, 'plans.create', { equipmentId: scale.id, task: 'inspection', every: '6m', startDate: iso(addDays(today, 10)) });

    // Today: no reload, the writes above refreshed it.
    await page.getByRole('heading', { name: 'Today', exact: true }).waitFor();
    await expect.poll(() => page.getByTestId('today-headline').textContent()).toBe('Today on all wards: 1 overdue, 1 due');
    const overdue = page.getByRole('region', { name: /^Overdue/ });
    const row = overdue.getByTestId('due-row').filter({ hasText: 'IP-0001' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Overdue 12 days');
    expect(await page.getByRole('region', { name: /^Due/ }).getByTestId('due-row').textContent()).toContain('Due in 10 days');
    expect(await row.textContent()).toContain('DO NOT USE');
    expect(await row.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(253, 236, 234)');
    expect(await overdue.getByRole('table').locator('caption').textContent()).toBe('General Hospital > Ward 4B');
    expect(await page.getByRole('region', { name: /^Due/ }).getByTestId('due-row').textContent()).toContain('SC-0002 Patient scale');
    // The location selector: Bay 2 holds only the pump.
    await page.getByLabel('Location').selectOption({ label: 'General Hospital > Ward 4B > Bay 2' });
    await expect.poll(() => page.getByTestId('today-headline').textContent()).toBe('Today on Bay 2: 1 overdue, 0 due');
    await page.getByLabel('Location').selectOption({ label: 'All locations' });
    await expect.poll(() => page.getByTestId('today-headline').textContent()).toBe('Today on all wards: 1 overdue, 1 due');
    await shot(page, 'home-overdue');

    // One click to the device: DO NOT USE, the plan overdue.
    await row.getByRole('link', { name: /^IP-0001/ }).click();
    await page.getByRole('heading', { name: /Infusion pump/ }).waitFor();
    const plans = page.getByRole('region', { name: 'Plans' });
    const banner = plans.getByRole('alert');
    await banner.waitFor();
    expect(await banner.textContent()).toBe(`DO NOT USECalibration is 12 days overdue (due ${iso(addDays(today, -12))}).`);
    const planRow = plans.getByTestId('plan-row').filter({ hasText: 'Calibration' });
    expect(await planRow.textContent()).toContain('Overdue 12 days');
    expect(await planRow.getByTestId('plan-next-due').textContent()).toBe(iso(addDays(today, -12)));
    await shot(page, 'device-overdue');

    // A supervisor adds a plan with the form: the defaults are shown beside the fields.
    await plans.getByRole('button', { name: 'Add plan…' }).click();
    const form = page.getByRole('dialog', { name: 'New plan' });
    await form.getByLabel('Task').selectOption({ label: 'Electrical safety test' });
    await form.getByLabel('Every').fill('6m');
    await form.getByText('Blank: 18 days for 6m.').waitFor();
    await form.getByLabel('Window (days)').fill('200');
    await form.getByRole('button', { name: 'Add plan' }).click();
    await expectProblem(form, 'Window (200 days) must be shorter than the interval (180 days).');
    await shot(page, 'plan-form-error');
    await form.getByLabel('Window (days)').fill('');
    await form.getByRole('button', { name: 'Add plan' }).click();
    await plans.getByText(/^Added the electrical safety test plan: next due/).waitFor();
    expect(await plans.getByTestId('plan-row').count()).toBe(2);
    expect(await plans.getByTestId('plan-row').filter({ hasText: 'Electrical safety test' }).textContent()).toContain('18 days / 0 days');

    // A passing calibration, recorded in the core (another window's signed record): green, next due moved, no reload.
    seedRecord(app.backend.core, cal.id, new Date().toISOString());
    app.backend.emit('data.changed', { channel: 'completions.log' });
    await expect.poll(() => planRow.textContent()).toContain('Up to date');
    expect(await planRow.getByTestId('plan-next-due').textContent()).toBe(iso(addYears(today, 1)));
    expect(await planRow.locator('.due-flag').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(30, 107, 53)');
    expect(await plans.getByText('DO NOT USE').count()).toBe(0);
    await shot(page, 'device-done');

    // And Today has nothing overdue any more.
    await nav(page).getByRole('link', { name: 'Today', exact: true }).click();
    await expect.poll(() => page.getByTestId('today-headline').textContent()).toMatch(/^Today on all wards: 0 overdue, [12] due$/);
    expect(await page.getByRole('region', { name: /^Overdue/ }).count()).toBe(0);
    await shot(page, 'home-done');

    expectNoPageProblems(app);
    await app.close();
  });

  it("a ward PC opens on its own ward; all locations shows the counts per ward and groups the rows by ward", async () => {
    const app = await launchApp({ dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await value(page, 'settings.update', { dateFormat: 'yyyy-MM-dd' });
    const core = app.backend.core;
    const today = new Date();
    const day = (n: number) => iso(addDays(today, n));
    const wards = ['General Hospital > Ward 4A', 'General Hospital > Ward 4B', 'General Hospital > Theatres'];
    const kinds = [
      ['IP', 'Infusion pump', 'calibration', '1y', -20],
      ['DF', 'Defibrillator', 'electrical_safety', '1y', -3],
      ['MO', 'Patient monitor', 'inspection', '6m', -40],
      ['SU', 'Suction unit', 'cleaning', '1w', 0],
      ['SC', 'Patient scale', 'inspection', '1y', 12],
    ] as const;
    let n = 0;
    wards.forEach((ward, w) => {
      kinds.forEach(([prefix, name, task, every, offset], k) => {
        if ((w + k) % 4 === 3) return;
        n += 1;
        const id = device(core, `${prefix}-${String(n).padStart(4, '0')}`, { name, location: `${ward} > Bay ${1 + (k % 2)}` });
        plan(core, id, task, every, day(offset - w));
      });
    });
    // Written straight into the database: told to the screens as an import would be.
    app.backend.emit('data.changed', { channel: 'equipment.import.commit' });
    const ward4b = (await value(page, 'locations.list', {})).find((l) => l.path === 'General Hospital > Ward 4B')!;
    await value(page, 'settings.update', { defaultLocationId: ward4b.id });

    await expect.poll(() => page.getByTestId('today-headline').textContent()).toBe('Today on Ward 4B: 3 overdue, 1 due');
    expect(await page.getByLabel('Location').inputValue()).toBe(ward4b.id);
    await shot(page, 'home-ward');

    // Keyboard: the location choice is a labelled control reached with Tab.
    await page.getByLabel('Location').focus();
    await page.keyboard.press('Home');
    await expect.poll(() => page.getByTestId('today-headline').textContent()).toMatch(/^Today on all wards: \d+ overdue, \d+ due$/);
    const counts = page.getByRole('table', { name: 'Overdue and due per ward' });
    expect(await counts.getByRole('row').allTextContents()).toEqual([
      'WardOverdueDue',
      'General Hospital > Theatres31',
      'General Hospital > Ward 4A31',
      'General Hospital > Ward 4B31',
    ]);
    const captions = await page.getByRole('region', { name: /^Overdue/ }).locator('caption').allTextContents();
    expect(captions).toEqual(['General Hospital > Theatres', 'General Hospital > Ward 4A', 'General Hospital > Ward 4B']);
    await shot(page, 'home-all');
    // A ward in the counts is one click from its own list.
    await counts.getByRole('button', { name: 'General Hospital > Theatres' }).click();
    await expect.poll(() => page.getByTestId('today-headline').textContent()).toBe('Today on Theatres: 3 overdue, 1 due');
    expectNoPageProblems(app);
    await app.close();
  });

  it('asks for the first 100 rows, says how many there are, and shows the rest when asked', async () => {
    const dataDir = tempDir();
    await seedWard(dataDir); // the pump's calibration overdue, its cleaning due today
    const app = await launchApp({ dataDir });
    const { page } = app;
    const admin = newSession(Date.now());
    const call = caller(app.backend, admin);
    await call('auth.signIn', { name: 'Ada Admin', secret: '2468' });
    const ward = (await call('locations.list', {})).find((l) => l.path === 'General Hospital > Ward 4B')!;
    const start = iso(addDays(new Date(), -12));
    for (let i = 0; i < 120; i++) {
      const d = await call('equipment.create', { assetTag: `SP-${String(i).padStart(3, '0')}`, name: 'Syringe pump', locationId: ward.id });
      await call('plans.create', { equipmentId: d.id, task: 'inspection', every: '1y', startDate: start });
    }
    // Signed in on the page: Today's first question, asked at start for nobody, is asked again.
    await signIn(page, 'Ada Admin', '2468');
    await expect.poll(() => page.getByTestId('today-headline').textContent()).toBe('Today on all wards: 121 overdue, 1 due');
    const rows = page.getByTestId('due-row');
    await expect.poll(() => rows.count()).toBe(100);
    const overdue = page.getByRole('region', { name: /^Overdue/ });
    expect(await overdue.getByRole('heading').textContent()).toBe('Overdue 121 the first 100 shown');
    // The due cleaning is past the first 100 (overdue first): no Due section yet, the line says why.
    expect(await page.getByRole('region', { name: /^Due/ }).count()).toBe(0);
    expect(await page.getByTestId('today-more').textContent()).toBe('Showing the first 100 of 122 plans: choose a ward to see its work, or Show 22 more');
    await page.getByRole('button', { name: 'Show 22 more' }).click();
    await expect.poll(() => rows.count()).toBe(122);
    expect(await overdue.getByRole('heading').textContent()).toBe('Overdue 121');
    expect(await page.getByRole('region', { name: /^Due/ }).getByTestId('due-row').textContent()).toContain('IP-0042');
    expect(await page.getByTestId('today-more').count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });

  it('shows the first 100 devices out of service with how many there are, and the rest when asked', async () => {
    const dataDir = tempDir();
    await seedWard(dataDir);
    const app = await launchApp({ dataDir });
    const { page } = app;
    const call = caller(app.backend, newSession(Date.now()));
    await call('auth.signIn', { name: 'Ada Admin', secret: '2468' });
    const ward = (await call('locations.list', {})).find((l) => l.path === 'General Hospital > Ward 4B')!;
    for (let i = 0; i < 103; i++) {
      const d = await call('equipment.create', { assetTag: `OOS-${String(i).padStart(3, '0')}`, name: 'Suction unit', locationId: ward.id });
      await call('equipment.setStatus', { id: d.id, status: 'out_of_service', reason: 'Cracked canister' });
    }
    await signIn(page, 'Ada Admin', '2468');
    const section = page.getByTestId('out-of-service');
    const rows = section.getByTestId('out-of-service-row');
    await expect.poll(() => rows.count()).toBe(100);
    expect(await section.getByRole('heading').textContent()).toBe('Out of service: do not use 103');
    expect(await page.getByTestId('out-of-service-more').textContent()).toBe(
      'Showing the first 100 of 103 devices out of service: choose a ward, or Show 3 more',
    );
    await section.getByRole('button', { name: 'Show 3 more' }).click();
    await expect.poll(() => rows.count()).toBe(103);
    expect(await page.getByTestId('out-of-service-more').count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });
});
