import { addDays, addMonths, addYears, differenceInCalendarDays, format, subMonths, subYears } from 'date-fns';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir, testActor } from '../helpers/core';
import { recordCompletion } from '../../main/core/completions/record';
import { inTransaction } from '../../main/core/dispatcher/transaction';
import { expectAccessible, screenshot } from './axe';
import { launchApp, shutdown } from './harness';
import type { LaunchedApp } from './harness';
import { createFirstAdmin, expectNoPageProblems, expectProblem, openCategory, pageInvoke, pageValue as value, aMinuteAgoToday } from './steps';

afterAll(shutdown);

const iso = (d: Date) => format(d, 'yyyy-MM-dd');
const shown = (d: Date) => format(d, 'dd.MM.yyyy');

/** The administrator takes the cleaning task out of use (Settings → Task types). */
async function stopCleaning(app: LaunchedApp, code = 'cleaning'): Promise<string> {
  const types = await value(app.page, 'taskTypes.list', {});
  const cleaning = types.find((t) => t.code === code)!;
  await value(app.page, 'taskTypes.update', {
    code: cleaning.code,
    label: cleaning.label,
    formKind: cleaning.formKind,
    failTakesOutOfService: cleaning.failTagsOut,
    overdueMeansDoNotUse: cleaning.overdueBlocksUse,
    failOpensWorkOrder: cleaning.failOpensWorkOrder,
    active: false,
  });
  return cleaning.label;
}

/**
 * A device's Plans section and the plan dialogs say what main will do: no task taken out of use is
 * offered, a change of interval keeps a plan counted from the day it was last done, and a plan
 * taken out of use comes back with its records.
 */
describe('the plan dialogs tell the truth', () => {
  it('a task the administrator stopped is not offered in "Add plan…" (the save would be refused)', async () => {
    const app = await launchApp({ dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    const site = await value(page, 'locations.create', { name: 'General Hospital' });
    const pump = await value(page, 'equipment.create', { assetTag: 'IP-0001', name: 'Infusion pump', locationId: site.id, risk: 'high' });
    const cleaning = await stopCleaning(app);
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), pump.id);
    const plans = page.getByRole('region', { name: 'Plans' });
    await plans.getByRole('button', { name: 'Add plan…' }).click();
    const form = page.getByRole('dialog', { name: 'New plan' });
    const options = await form.getByLabel('Task').locator('option').allTextContents();
    expect(options).toContain('Calibration');
    expect(options).not.toContain(cleaning);
    expectNoPageProblems(app);
    await app.close();
  });

  it('a task the administrator stopped is not offered as a category default plan either', async () => {
    const app = await launchApp({ dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await value(page, 'categories.create', { name: 'Defibrillator', defaultRisk: 'high' });
    const cleaning = await stopCleaning(app);
    await openCategory(page, 'Defibrillator');
    const addPlan = page.getByRole('form', { name: 'Add a default plan' });
    await addPlan.getByLabel('Task').waitFor();
    const options = await addPlan.getByLabel('Task').locator('option').allTextContents();
    expect(options).toContain('Calibration');
    expect(options).not.toContain(cleaning);
    expectNoPageProblems(app);
    await app.close();
  });

  it('with calibration stopped, a category default plan saves the task its box shows (the first offered)', async () => {
    const app = await launchApp({ dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await value(page, 'categories.create', { name: 'Defibrillator', defaultRisk: 'high' });
    await stopCleaning(app, 'calibration');
    await openCategory(page, 'Defibrillator');
    const addPlan = page.getByRole('form', { name: 'Add a default plan' });
    const task = addPlan.getByLabel('Task');
    await task.locator('option').first().waitFor({ state: 'attached' });
    const shown = (await task.locator('option:checked').textContent())!;
    expect(shown).not.toBe('Calibration');
    await addPlan.getByLabel('Every').fill('1y');
    await addPlan.getByRole('button', { name: 'Add default plan' }).click();
    await page.getByText(`Added: ${shown.toLowerCase()} every year.`, { exact: false }).waitFor();
    expect(await addPlan.locator('.field-error, [role="alert"]').count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });

  it('"Add plan…" says when the plan will next be due as it is typed, nothing while a field is not valid, and the device page then shows that date', async () => {
    const app = await launchApp({ dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await value(page, 'settings.update', { dateFormat: 'dd.MM.yyyy' });
    const site = await value(page, 'locations.create', { name: 'General Hospital' });
    const pump = await value(page, 'equipment.create', { assetTag: 'IP-0008', name: 'Infusion pump', locationId: site.id, risk: 'high' });
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), pump.id);
    const plans = page.getByRole('region', { name: 'Plans' });
    await plans.getByRole('button', { name: 'Add plan…' }).click();
    const form = page.getByRole('dialog', { name: 'New plan' });
    const said = () => form.getByTestId('plan-dialog-next-due').innerText();
    await form.getByLabel('Task').selectOption({ label: 'Inspection' });
    // Nothing before the interval is typed.
    expect(await said()).toBe('');
    await form.getByLabel('Every').fill('6m');
    await expect.poll(said).toBe(`Next due ${shown(new Date())} (today)`);
    const start = addDays(new Date(), 42);
    await form.getByLabel('Start date').fill(shown(start));
    await expect.poll(said).toBe(`Next due ${shown(start)} (in 6 weeks)`);
    await form.getByLabel('Every').fill('6x');
    await expect.poll(said).toBe('');
    await form.getByLabel('Every').fill('6m');
    await form.getByLabel('Start date').fill('31.02.2027');
    await expect.poll(said).toBe('');
    await form.getByLabel('Start date').fill(shown(start));
    await form.getByLabel('Window (days)').fill('200');
    await expect.poll(said).toBe('');
    await form.getByLabel('Window (days)').fill('');
    await expect.poll(said).toBe(`Next due ${shown(start)} (in 6 weeks)`);
    await expectAccessible(page, 'the new plan dialog saying when it will next be due');
    await form.getByRole('button', { name: 'Add plan' }).click();
    await plans.getByText(`Added the inspection plan: next due ${shown(start)}.`).waitFor();
    await plans.getByTestId('plan-next-due').filter({ hasText: shown(start) }).waitFor();
    expectNoPageProblems(app);
    await app.close();
  });

  it('"Change…" says the next due date from the plan\'s own records as the interval, start date and anchoring change, and it is the date saved', async () => {
    const app = await launchApp({ dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await value(page, 'settings.update', { dateFormat: 'dd.MM.yyyy' });
    const site = await value(page, 'locations.create', { name: 'General Hospital' });
    const pump = await value(page, 'equipment.create', { assetTag: 'IP-0009', name: 'Infusion pump', locationId: site.id, risk: 'high' });
    const today = new Date();
    const inspection = await value(page, 'plans.create', { equipmentId: pump.id, task: 'inspection', every: '1y', startDate: iso(today) });
    const performedAt = aMinuteAgoToday();
    await value(page, 'completions.log', { planId: inspection.id, performedAt, result: { kind: 'outcome', outcome: 'pass' }, secret: '2468' });
    const doneOn = new Date(performedAt);
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), pump.id);
    const plans = page.getByRole('region', { name: 'Plans' });
    await plans.getByRole('button', { name: 'Edit the inspection plan' }).click();
    const edit = page.getByRole('dialog', { name: 'Change the inspection plan' });
    const said = () => edit.getByTestId('plan-dialog-next-due').innerText();
    // As it stands: a year after the day it was last done.
    await expect.poll(said).toBe(`Next due ${shown(addYears(doneOn, 1))} (in 1 year)`);
    await edit.getByLabel('Every').fill('6m');
    await edit.getByLabel('Window (days)').fill('');
    await expect.poll(said).toBe(`Next due ${shown(addMonths(doneOn, 6))} (in 6 months)`);
    // On fixed dates from a start a month ago: the next of those after the day it was done, not 6 months after it.
    const start = subMonths(today, 1);
    await edit.getByLabel('Mode').selectOption('fixed');
    await edit.getByLabel('Start date').fill(shown(start));
    const fixed = addMonths(start, 6);
    await expect.poll(said).toBe(`Next due ${shown(fixed)} (in 5 months)`);
    await edit.getByRole('button', { name: 'Save plan' }).click();
    await plans.getByText(`Saved the inspection plan: next due ${shown(fixed)}.`).waitFor();
    await plans.getByTestId('plan-next-due').filter({ hasText: shown(fixed) }).waitFor();
    expectNoPageProblems(app);
    await app.close();
  });

  it('a pass logged in another window while "Change…" is open: the preview counts from it at once, and is the date saved', async () => {
    const app = await launchApp({ dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await value(page, 'settings.update', { dateFormat: 'dd.MM.yyyy' });
    const site = await value(page, 'locations.create', { name: 'General Hospital' });
    const pump = await value(page, 'equipment.create', { assetTag: 'IP-0010', name: 'Infusion pump', locationId: site.id, risk: 'high' });
    const start = addDays(new Date(), -10);
    const inspection = await value(page, 'plans.create', { equipmentId: pump.id, task: 'inspection', every: '1y', startDate: iso(start), confirmDates: true });
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), pump.id);
    const plans = page.getByRole('region', { name: 'Plans' });
    await plans.getByRole('button', { name: 'Edit the inspection plan' }).click();
    const edit = page.getByRole('dialog', { name: 'Change the inspection plan' });
    const said = () => edit.getByTestId('plan-dialog-next-due').innerText();
    // Never done: due on its start date.
    await expect.poll(said).toBe(`Next due ${shown(start)} (10 days ago)`);
    // Meanwhile, in another window, a technician logs the inspection as passed.
    const performedAt = aMinuteAgoToday();
    await value(page, 'completions.log', { planId: inspection.id, performedAt, result: { kind: 'outcome', outcome: 'pass' }, secret: '2468' });
    const doneOn = new Date(performedAt);
    await expect.poll(said, { timeout: 5000 }).toBe(`Next due ${shown(addYears(doneOn, 1))} (in 1 year)`);
    await edit.getByLabel('Every').fill('6m');
    await edit.getByLabel('Window (days)').fill('');
    await expect.poll(said, { timeout: 5000 }).toBe(`Next due ${shown(addMonths(doneOn, 6))} (in 6 months)`);
    await edit.getByRole('button', { name: 'Save plan' }).click();
    await plans.getByText(`Saved the inspection plan: next due ${shown(addMonths(doneOn, 6))}.`).waitFor();
    expectNoPageProblems(app);
    await app.close();
  });

  it('a pass from another PC arriving by sync while "Change…" is open: the preview counts from it', async () => {
    const app = await launchApp({ dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await value(page, 'settings.update', { dateFormat: 'dd.MM.yyyy' });
    const site = await value(page, 'locations.create', { name: 'General Hospital' });
    const pump = await value(page, 'equipment.create', { assetTag: 'IP-0011', name: 'Infusion pump', locationId: site.id, risk: 'high' });
    const start = addDays(new Date(), -10);
    const inspection = await value(page, 'plans.create', { equipmentId: pump.id, task: 'inspection', every: '1y', startDate: iso(start), confirmDates: true });
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), pump.id);
    const plans = page.getByRole('region', { name: 'Plans' });
    await plans.getByRole('button', { name: 'Edit the inspection plan' }).click();
    const edit = page.getByRole('dialog', { name: 'Change the inspection plan' });
    const said = () => edit.getByTestId('plan-dialog-next-due').innerText();
    await expect.poll(said).toBe(`Next due ${shown(start)} (10 days ago)`);
    // The record lands in the database and the shell says rows arrived, as main/app/lifecycle.ts does after a sync.
    const performedAt = aMinuteAgoToday();
    inTransaction(app.backend.core, (core) => recordCompletion(core, testActor, { planId: inspection.id, performedAt, outcome: 'pass', source: 'app' }));
    app.backend.emit('data.changed', { channel: 'sync' });
    await expect.poll(said, { timeout: 5000 }).toBe(`Next due ${shown(addYears(new Date(performedAt), 1))} (in 1 year)`);
    expectNoPageProblems(app);
    await app.close();
  });

  it('changing a yearly plan to monthly: the refusal is beside the window and in the summary, axe-clean at 1366x768, then saves with the Settings date format', async () => {
    const app = await launchApp({ dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await value(page, 'settings.update', { dateFormat: 'dd.MM.yyyy' });
    const site = await value(page, 'locations.create', { name: 'General Hospital' });
    const pump = await value(page, 'equipment.create', { assetTag: 'IP-0002', name: 'Infusion pump', locationId: site.id, risk: 'high' });
    await value(page, 'plans.create', { equipmentId: pump.id, task: 'inspection', every: '1y', startDate: '2025-01-15', confirmDates: true });
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), pump.id);
    const plans = page.getByRole('region', { name: 'Plans' });
    await plans.getByRole('button', { name: 'Edit the inspection plan' }).click();
    const edit = page.getByRole('dialog', { name: 'Change the inspection plan' });
    await edit.getByLabel('Every').fill('1m');
    await edit.getByRole('button', { name: 'Save plan' }).click();
    await expectProblem(edit, 'Window (30 days) must be shorter than the interval (30 days).');
    await expectAccessible(page, 'the plan dialog with a refused change');
    await edit.getByLabel('Window (days)').fill('');
    await edit.getByRole('button', { name: 'Save plan' }).click();
    await plans.getByText('Saved the inspection plan: next due 15.01.2025.').waitFor();
    expect(await edit.count()).toBe(0);
    await expectAccessible(page, 'the device page after a change');
    await app.close();
  });

  it('a Change… dialog opened before someone else changed the plan is refused beside the field they changed, saying what; the next press saves', async () => {
    const app = await launchApp({ dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await value(page, 'settings.update', { dateFormat: 'dd.MM.yyyy' });
    const site = await value(page, 'locations.create', { name: 'General Hospital' });
    const pump = await value(page, 'equipment.create', { assetTag: 'IP-0004', name: 'Infusion pump', locationId: site.id, risk: 'high' });
    const made = await value(page, 'plans.create', { equipmentId: pump.id, task: 'inspection', every: '1y', startDate: '2025-01-15', confirmDates: true });
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), pump.id);
    const plans = page.getByRole('region', { name: 'Plans' });
    await plans.getByRole('button', { name: 'Edit the inspection plan' }).click();
    const edit = page.getByRole('dialog', { name: 'Change the inspection plan' });
    // Meanwhile another supervisor makes it 6-monthly.
    await value(page, 'plans.update', { id: made.id, every: '6m', startDate: '2025-01-15', windowDays: null, graceDays: null, confirmDates: true });
    await edit.getByLabel('Grace (days)').fill('3');
    await edit.getByRole('button', { name: 'Save plan' }).click();
    await expectProblem(edit, 'The inspection plan was changed by someone else since you opened this (now every 6 months, window now 18 days): check and save again.');
    expect((await value(page, 'plans.list', { equipmentId: pump.id })).plans[0]).toMatchObject({ every: '6m', graceDays: 0 });
    // Checked, the supervisor saves again: made on the plan as it now is, it goes through.
    await edit.getByLabel('Every').fill('6m');
    await edit.getByLabel('Window (days)').fill('');
    await edit.getByRole('button', { name: 'Save plan' }).click();
    await plans.getByText(/^Saved the inspection plan/).waitFor();
    expect((await value(page, 'plans.list', { equipmentId: pump.id })).plans[0]).toMatchObject({ every: '6m', graceDays: 3 });
    expectNoPageProblems(app);
    await app.close();
  });

  it('a yearly calibration last done before Wardkeep made 6-monthly in the dialog: next due is last done + 6 months', async () => {
    const app = await launchApp({ dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await value(page, 'settings.update', { dateFormat: 'dd.MM.yyyy' });
    const site = await value(page, 'locations.create', { name: 'General Hospital' });
    const pumps = await value(page, 'categories.create', { name: 'Infusion pump', defaultRisk: 'high' });
    await value(page, 'categoryPlans.add', { categoryId: pumps.id, task: 'calibration', every: '1y' });
    const last = subMonths(new Date(), 5);
    const pump = await value(page, 'equipment.create', {
      assetTag: 'IP-0003',
      name: 'Infusion pump',
      locationId: site.id,
      categoryId: pumps.id,
      lastDone: { calibration: iso(last) },
    });
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), pump.id);
    const plans = page.getByRole('region', { name: 'Plans' });
    await plans.getByTestId('plan-next-due').filter({ hasText: shown(addYears(last, 1)) }).waitFor();
    await plans.getByRole('button', { name: 'Edit the calibration plan' }).click();
    const edit = page.getByRole('dialog', { name: 'Change the calibration plan' });
    await edit.getByLabel('Every').fill('6m');
    await edit.getByLabel('Window (days)').fill('');
    // Said before saving too: the start derived from that day is derived again from the new interval.
    await expect.poll(() => edit.getByTestId('plan-dialog-next-due').innerText()).toMatch(new RegExp(`^Next due ${shown(addMonths(last, 6)).replaceAll('.', '\\.')} \\(in `));
    await edit.getByRole('button', { name: 'Save plan' }).click();
    await plans.getByText(`Saved the calibration plan: next due ${shown(addMonths(last, 6))}.`).waitFor();
    await plans.getByTestId('plan-next-due').filter({ hasText: shown(addMonths(last, 6)) }).waitFor();
    expectNoPageProblems(app);
    await app.close();
  });

  it('a plan taken out of use comes back with its records ("Bring back…"); "Add plan…" of its task says to bring it back', async () => {
    const app = await launchApp({ dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await value(page, 'settings.update', { dateFormat: 'dd.MM.yyyy' });
    const site = await value(page, 'locations.create', { name: 'General Hospital' });
    const pump = await value(page, 'equipment.create', { assetTag: 'IP-0004', name: 'Infusion pump', locationId: site.id, risk: 'high' });
    const today = new Date();
    const cal = await value(page, 'plans.create', { equipmentId: pump.id, task: 'electrical_safety', every: '1y', startDate: iso(today) });
    const performedAt = aMinuteAgoToday();
    await value(page, 'completions.log', { planId: cal.id, performedAt, result: { kind: 'outcome', outcome: 'pass' }, secret: '2468' });
    await value(page, 'plans.deactivate', { id: cal.id });
    const doneOn = new Date(performedAt);
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), pump.id);
    const plans = page.getByRole('region', { name: 'Plans' });

    // Added afresh it would be due today with "last done: never": refused, pointing at "Bring back…".
    await plans.getByRole('button', { name: 'Add plan…' }).click();
    const form = page.getByRole('dialog', { name: 'New plan' });
    await form.getByLabel('Task').selectOption({ label: 'Electrical safety test' });
    await form.getByLabel('Every').fill('1y');
    await form.getByRole('button', { name: 'Add plan' }).click();
    await expectProblem(
      form,
      `IP-0004's electrical safety test plan taken out of use holds its records (last done ${shown(doneOn)}): bring it back ("Bring back…" under "Inactive plans") rather than start a new one without them.`,
    );
    await form.getByRole('button', { name: 'Cancel' }).click();

    await plans.getByText('Inactive plans (1)').click();
    await screenshot(page, 'plan-inactive-list');
    await plans.getByRole('button', { name: 'Bring back the electrical safety test plan' }).click();
    const confirm = page.getByRole('dialog', { name: 'Bring back the electrical safety test plan?' });
    await confirm.getByText(`next due counts from the last time it was done (${shown(doneOn)}), every year.`).waitFor();
    await expectAccessible(page, 'bringing a plan back');
    await screenshot(page, 'plan-bring-back-confirm');
    await confirm.getByRole('button', { name: 'Bring back plan' }).click();
    await plans.getByText(`Brought back the electrical safety test plan: next due ${shown(addYears(doneOn, 1))}.`).waitFor();
    await plans.getByTestId('plan-next-due').filter({ hasText: shown(addYears(doneOn, 1)) }).waitFor();
    expect(await plans.getByText(/Inactive plans/).count()).toBe(0);
    await screenshot(page, 'plan-brought-back');
    expect((await pageInvoke(page, 'plans.reactivate', { id: cal.id })).ok).toBe(false);
    expectNoPageProblems(app);
    await app.close();
  });

  it('"Bring back…" of a plan never done says it is due on its start date, overdue at once by so many days, and so it is', async () => {
    const app = await launchApp({ dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await value(page, 'settings.update', { dateFormat: 'dd.MM.yyyy' });
    const site = await value(page, 'locations.create', { name: 'General Hospital' });
    const pump = await value(page, 'equipment.create', { assetTag: 'IP-0005', name: 'Infusion pump', locationId: site.id, risk: 'high' });
    const start = subMonths(new Date(), 2);
    const inspection = await value(page, 'plans.create', { equipmentId: pump.id, task: 'inspection', every: '1y', startDate: iso(start) });
    await value(page, 'plans.deactivate', { id: inspection.id });
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), pump.id);
    const plans = page.getByRole('region', { name: 'Plans' });
    await plans.getByText('Inactive plans (1)').click();
    await plans.getByText('Inspection, every year; last done never').waitFor();
    await plans.getByRole('button', { name: 'Bring back the inspection plan' }).click();
    const confirm = page.getByRole('dialog', { name: 'Bring back the inspection plan?' });
    const late = differenceInCalendarDays(new Date(), start);
    expect(await confirm.locator('p').innerText()).toBe(
      `It returns to the due lists: it has never been done in Wardkeep, so it is due on its start date. Next due ${shown(start)}: ${late} days overdue as soon as it is back.`,
    );
    await confirm.getByRole('button', { name: 'Bring back plan' }).click();
    await plans.getByText(`Brought back the inspection plan: next due ${shown(start)}.`).waitFor();
    await plans.getByTestId('plan-row').filter({ hasText: `Overdue ${late} days` }).waitFor();
    expectNoPageProblems(app);
    await app.close();
  });

  it('"Bring back…" of a fixed plan gives its next fixed date, not the last time it was done plus the interval', async () => {
    const app = await launchApp({ dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await value(page, 'settings.update', { dateFormat: 'dd.MM.yyyy' });
    const site = await value(page, 'locations.create', { name: 'General Hospital' });
    const pump = await value(page, 'equipment.create', { assetTag: 'IP-0006', name: 'Infusion pump', locationId: site.id, risk: 'high' });
    const start = subMonths(new Date(), 5);
    const safety = await value(page, 'plans.create', { equipmentId: pump.id, task: 'electrical_safety', every: '6m', mode: 'fixed', startDate: iso(start) });
    const performedAt = aMinuteAgoToday();
    await value(page, 'completions.log', { planId: safety.id, performedAt, result: { kind: 'outcome', outcome: 'pass' }, secret: '2468' });
    await value(page, 'plans.deactivate', { id: safety.id });
    // Counted for the occurrence a month ahead (its window is 18 days): next due then, not 6 months after today.
    const next = addMonths(start, 6);
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), pump.id);
    const plans = page.getByRole('region', { name: 'Plans' });
    await plans.getByText('Inactive plans (1)').click();
    await plans.getByRole('button', { name: 'Bring back the electrical safety test plan' }).click();
    const confirm = page.getByRole('dialog', { name: 'Bring back the electrical safety test plan?' });
    expect(await confirm.locator('p').innerText()).toBe(
      `It returns to the due lists with its records: it falls due on fixed dates from its start date (${shown(start)}), every 6 months, the next after the last time it was done (${shown(new Date(performedAt))}). Next due ${shown(next)}.`,
    );
    await confirm.getByRole('button', { name: 'Bring back plan' }).click();
    await plans.getByText(`Brought back the electrical safety test plan: next due ${shown(next)}.`).waitFor();
    expectNoPageProblems(app);
    await app.close();
  });

  it('a plan started from the day it was last done before Wardkeep, taken out of use: listed and brought back with that day', async () => {
    const app = await launchApp({ dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await value(page, 'settings.update', { dateFormat: 'dd.MM.yyyy' });
    const site = await value(page, 'locations.create', { name: 'General Hospital' });
    const pumps = await value(page, 'categories.create', { name: 'Pump' });
    await value(page, 'categoryPlans.add', { categoryId: pumps.id, task: 'calibration', every: '1y' });
    const before = subYears(subMonths(new Date(), 1), 1);
    const pump = await value(page, 'equipment.create', {
      assetTag: 'IP-0007',
      name: 'Infusion pump',
      locationId: site.id,
      categoryId: pumps.id,
      risk: 'high',
      lastDone: { calibration: iso(before) },
    });
    const cal = (await value(page, 'plans.list', { equipmentId: pump.id })).plans[0]!;
    await value(page, 'plans.deactivate', { id: cal.id });
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), pump.id);
    const plans = page.getByRole('region', { name: 'Plans' });
    await plans.getByText('Inactive plans (1)').click();
    await plans.getByText(`Calibration, every year; last done ${shown(before)} (before Wardkeep)`).waitFor();
    await plans.getByRole('button', { name: 'Bring back the calibration plan' }).click();
    const confirm = page.getByRole('dialog', { name: 'Bring back the calibration plan?' });
    const due = addYears(before, 1);
    expect(await confirm.locator('p').innerText()).toBe(
      `It returns to the due lists: it has never been done in Wardkeep (last done before Wardkeep ${shown(before)}), so it is due on its start date. Next due ${shown(due)}: ${differenceInCalendarDays(new Date(), due)} days overdue as soon as it is back.`,
    );
    expectNoPageProblems(app);
    await app.close();
  });
});
