import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/core';
import { expectAccessible, screenshot } from './axe';
import { launchApp, shutdown } from './harness';
import { seedWard } from './seed';
import { expectNoPageProblems, expectProblem, nav, pageInvoke, pageValue, personWithPin, signIn, switchTo } from './steps';
import { launchWard } from './ward';

afterAll(shutdown);

async function openLists(page: Page) {
  await nav(page).getByRole('link', { name: 'Tasks and codes' }).click();
  await page.getByRole('heading', { level: 1, name: 'Task types and repair codes' }).waitFor();
}

/** The codes the repair form of a work order offers, as the technician sees them. */
async function offeredFailureCodes(page: Page, workOrderId: string): Promise<string[]> {
  await page.evaluate((id) => (window.location.hash = `#/work-orders/${id}`), workOrderId);
  await page.getByRole('button', { name: 'Log the repair…' }).click();
  const dialog = page.getByRole('dialog', { name: /^Log the repair: WO-0001/ });
  const select = dialog.getByLabel('Failure code');
  await expect.poll(() => select.locator('option').count()).toBeGreaterThan(1);
  const offered = await select.locator('option').allTextContents();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  return offered;
}

describe('task types and repair codes, in Chromium', () => {
  it('an administrator adds and changes a measurements task, planned and logged without a plan; a supervisor adds a failure code the repair form offers, deletes it and it is offered no more; a technician only reads', async () => {
    const dataDir = tempDir();
    const seeded = await seedWard(dataDir);
    const app = await launchApp({ dataDir });
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();

    // From Settings, by its link.
    await nav(page).getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('link', { name: 'change the task types and repair codes' }).click();
    await page.getByRole('heading', { level: 1, name: 'Task types and repair codes' }).waitFor();
    const taskTable = page.getByRole('table', { name: 'Task types' });
    expect(await taskTable.getByRole('row', { name: /^Calibration/ }).textContent()).toMatch(/Measurements \(as found, as left\)YesYesYesYesYes/);

    // A name already taken is refused beside the field and in the summary; then the task is added.
    await page.getByRole('button', { name: 'Add task type…' }).click();
    const add = page.getByRole('dialog', { name: 'Add a task type' });
    await add.getByLabel('Name').fill('calibration');
    await add.getByLabel('Form').selectOption({ label: 'Measurements (as found, as left)' });
    await add.getByLabel('A fail takes the device out of service').check();
    await add.getByRole('button', { name: 'Add task type' }).click();
    await expectProblem(add, '"calibration" is already the task Calibration: give it another name.');
    await expectAccessible(page, 'the task type dialog with a refused name');
    await screenshot(page, 'lists-task-type-refused');
    await add.getByLabel('Name').fill('Battery capacity test');
    await add.getByRole('button', { name: 'Add task type' }).click();
    await page.getByText(/^Added Battery capacity test\./).waitFor();
    const row = taskTable.getByRole('row', { name: /^Battery capacity test/ });
    expect(await row.locator('td').allTextContents()).toEqual(['Measurements (as found, as left)', 'Yes', 'No', 'No', 'No', 'Yes', 'Change… Battery capacity test']);

    // Changed: an overdue battery test now means do not use.
    await taskTable.getByRole('button', { name: 'Change… Battery capacity test' }).click();
    const change = page.getByRole('dialog', { name: 'Change Battery capacity test' });
    expect(await change.getByLabel('Form').inputValue()).toBe('measurements');
    await change.getByLabel('Overdue means do not use').check();
    await change.getByRole('button', { name: 'Save task type' }).click();
    await page.getByText('Saved Battery capacity test.').waitFor();
    expect(await row.locator('td').allTextContents()).toEqual(['Measurements (as found, as left)', 'Yes', 'No', 'Yes', 'No', 'Yes', 'Change… Battery capacity test']);

    // A built-in task keeps its form: the dialog shows it and offers no choice.
    await taskTable.getByRole('button', { name: 'Change… Cleaning' }).click();
    const builtin = page.getByRole('dialog', { name: 'Change Cleaning' });
    await builtin.getByText("One of Wardkeep's own tasks: its form stays as it is.").waitFor();
    expect(await builtin.getByRole('combobox', { name: 'Form' }).count()).toBe(0);
    await builtin.getByRole('button', { name: 'Cancel' }).click();
    // The repair record cannot be stopped: main's refusal stands beside the box and in the summary.
    await taskTable.getByRole('button', { name: 'Change… Repair' }).click();
    const repairType = page.getByRole('dialog', { name: 'Change Repair' });
    await repairType.getByLabel('In use').uncheck();
    await repairType.getByRole('button', { name: 'Save task type' }).click();
    await expectProblem(repairType, 'Repair stays in use: every repair on a work order is recorded as one.');
    expect(await repairType.getByLabel('In use').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'a built-in task that stays in use');
    await screenshot(page, 'lists-task-type-kept');
    await repairType.getByRole('button', { name: 'Cancel' }).click();

    // A supervisor reads the task types and keeps the codes.
    await personWithPin(app, 'Sue Super', 'supervisor', '3690');
    await switchTo(page, 'Sue Super', '3690');
    await openLists(page);
    await taskTable.getByRole('row', { name: /^Battery capacity test/ }).waitFor();
    await page.getByText('Only an administrator adds or changes task types.').waitFor();
    expect(await page.getByRole('main').getByRole('button', { name: /^(Add task type|Change)/ }).count()).toBe(0);

    // Codes: a failure code added here is offered by the repair form.
    const failureTable = page.getByRole('table', { name: 'Failure codes (what failed)' });
    await page.getByRole('button', { name: 'Add… failure code' }).click();
    const addCode = page.getByRole('dialog', { name: 'Add a failure code' });
    await addCode.getByLabel('Code').fill('Mechanical');
    await addCode.getByRole('button', { name: 'Add failure code' }).click();
    await expectProblem(addCode, '"Mechanical" is already a failure code.');
    await addCode.getByLabel('Code').fill('Cracked housing');
    await addCode.getByRole('button', { name: 'Add failure code' }).click();
    await page.getByText('Added the failure code "Cracked housing": the repair form offers it.').waitFor();
    await failureTable.getByRole('row', { name: /^Cracked housing/ }).waitFor();
    await expectAccessible(page, 'the task types and repair codes');
    await screenshot(page, 'lists');

    const reported = await pageValue(page, 'workOrders.report', { equipmentId: seeded.pumpId, problem: 'Casing cracked', takeOutOfUse: false, secret: '3690' });
    const workOrderId = reported.workOrder.id;
    await pageValue(page, 'workOrders.take', { id: workOrderId, secret: '3690' });
    expect(await offeredFailureCodes(page, workOrderId)).toContain('Cracked housing');

    // Deleted: it is said to stay on existing work orders, and the repair form no longer offers it.
    await openLists(page);
    await failureTable.getByRole('button', { name: 'Delete… Cracked housing' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete the failure code "Cracked housing"?' });
    expect(await confirm.textContent()).toContain('It stays on the work orders that already use it, as it was.');
    await expectAccessible(page, 'the delete code dialog');
    await screenshot(page, 'lists-delete-code');
    await confirm.getByRole('button', { name: 'Delete failure code' }).click();
    await page.getByText('Deleted the failure code "Cracked housing". The work orders that use it keep it.').waitFor();
    expect(await failureTable.getByRole('row', { name: /^Cracked housing/ }).textContent()).toContain('Deleted: kept on the work orders that use it');
    const offered = await offeredFailureCodes(page, workOrderId);
    expect(offered).not.toContain('Cracked housing');
    expect(offered).toContain('Mechanical');

    // The new task is offered by the plan form and by "Log work without a plan", with its measurements form.
    const battery = (await pageValue(page, 'taskTypes.list', {})).find((t) => t.label === 'Battery capacity test')!;
    const pumpCategory = (await pageValue(page, 'categories.list', {})).find((c) => c.name === 'Infusion pump')!;
    await pageValue(page, 'procedures.save', {
      owner: { kind: 'category', categoryId: pumpCategory.id },
      task: battery.code,
      definition: { kind: 'measurements', points: [{ label: 'Runtime on battery', unit: 'min', nominal: 240, toleranceKind: 'absolute', tolerance: 30 }] },
    });
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), seeded.pumpId);
    await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor();
    await page.getByRole('button', { name: 'Add plan…' }).click();
    const planForm = page.getByRole('dialog', { name: 'New plan' });
    expect(await planForm.getByLabel('Task').locator('option').allTextContents()).toContain('Battery capacity test');
    await planForm.getByRole('button', { name: 'Cancel' }).click();
    const unplanned = page.getByRole('region', { name: 'Log work without a plan' });
    await unplanned.getByLabel('Task').selectOption({ label: 'Battery capacity test' });
    await unplanned.getByRole('link', { name: 'Log it…' }).click();
    await page.getByRole('heading', { level: 2, name: 'Battery capacity test' }).waitFor();
    await page.getByLabel('Reference standard used').selectOption({ label: 'REF-7 Flow analyser' });
    await page.getByLabel('As found, Runtime on battery (min)').fill('180');
    await page.getByText('OUT of tolerance').waitFor();
    await page.getByText(/^Outcome:\s*Fail/).waitFor();
    await expectAccessible(page, 'an unplanned measurements record of an administrator-made task');
    await screenshot(page, 'lists-unplanned-measurements');
    await page.getByLabel('Your PIN or password').fill('3690');
    await page.getByRole('button', { name: /^Sign and save/ }).click();
    await page.getByText(/^Saved: battery capacity test, fail/i).waitFor();
    expect(await page.getByTestId('history-record').first().textContent()).toMatch(/Battery capacity test.*Fail/);
    // Its fail takes the device out of service, as the administrator said.
    expect((await pageValue(page, 'equipment.get', { id: seeded.pumpId })).status).toBe('out_of_service');

    // A technician reads the lists, with nothing to add, change or delete; the back end refuses too.
    await switchTo(page, 'Tom Tech', '1357');
    await openLists(page);
    await taskTable.getByRole('row', { name: /^Battery capacity test/ }).waitFor();
    await page.getByText('Only an administrator adds or changes task types.').waitFor();
    await page.getByText('Only a supervisor adds or deletes codes.', { exact: false }).waitFor();
    for (const name of [/^Add/, /^Change/, /^Delete/]) expect(await page.getByRole('main').getByRole('button', { name }).count()).toBe(0);
    await expectAccessible(page, 'the lists as a technician reads them');
    await screenshot(page, 'lists-technician');
    const refused = await pageInvoke(page, 'workOrders.codes.add', { kind: 'failure', label: 'Loose wire' });
    expect(refused.ok ? null : refused.error.code).toBe('forbidden');
    expectNoPageProblems(app);
  });

  it('after deleting a failure code with the keyboard, the focus is on the notice saying so, not lost with its Delete… button', async () => {
    const { app } = await launchWard();
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    await openLists(page);
    const failureTable = page.getByRole('table', { name: 'Failure codes (what failed)' });
    await failureTable.getByRole('button', { name: 'Delete… Software' }).focus();
    await page.keyboard.press('Enter');
    const ask = page.getByRole('dialog', { name: 'Delete the failure code "Software"?' });
    await ask.getByRole('button', { name: 'Delete failure code' }).focus();
    await page.keyboard.press('Enter');
    await ask.waitFor({ state: 'detached' });
    await page.getByText('Deleted the failure code "Software". The work orders that use it keep it.').waitFor();
    await expect.poll(() => failureTable.getByRole('button', { name: 'Delete… Software' }).count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName)).toBe('codes-notice');
    expectNoPageProblems(app);
    await app.close();
  });

  it('a task type dialog opened before another administrator stopped the task: refused in words beside "In use", which now shows the stop; saved again, the new name and the stop both hold', async () => {
    const { app, call } = await launchWard();
    const { page } = app;
    const leak = await call('taskTypes.create', { label: 'Leak test', formKind: 'plain', failTakesOutOfService: false, overdueMeansDoNotUse: false, failOpensWorkOrder: false });
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    await openLists(page);
    await page.getByRole('button', { name: 'Change… Leak test' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change Leak test' });
    await dialog.getByLabel('Name').fill('Leak test (door seal)');
    // Another administrator stops it meanwhile.
    await call('taskTypes.update', { code: leak.code, label: 'Leak test', formKind: 'plain', active: false, failTakesOutOfService: false, overdueMeansDoNotUse: false, failOpensWorkOrder: false });
    await dialog.getByRole('button', { name: 'Save task type' }).click();
    await expectProblem(dialog, 'Leak test was changed by someone else since you opened this (now out of use: offered for no new work): check and save again.');
    expect(await dialog.getByLabel('In use').getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByLabel('In use').isChecked()).toBe(false);
    expect(await dialog.getByLabel('Name').inputValue()).toBe('Leak test (door seal)');
    await expectAccessible(page, 'the task type dialog refused over a change made meanwhile');
    expect((await call('taskTypes.list', {})).find((t) => t.code === leak.code)).toMatchObject({ label: 'Leak test', active: false });
    await dialog.getByRole('button', { name: 'Save task type' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Saved Leak test (door seal).').waitFor();
    expect((await call('taskTypes.list', {})).find((t) => t.code === leak.code)).toMatchObject({ label: 'Leak test (door seal)', active: false });
    expectNoPageProblems(app);
    await app.close();
  });
});
