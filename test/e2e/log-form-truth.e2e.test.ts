import { addDays, format } from 'date-fns';
import { afterAll, describe, expect, it } from 'vitest';
import { item, level, stock, stockLocation } from '../integration/stock/fixtures';
import { inInventorySince } from '../helpers/records';
import { shutdown } from './harness';
import { launchWard } from './ward';
import { expectNoPageProblems, expectProblem, focused, signIn, tabTo } from './steps';

afterAll(shutdown);
const iso = (d: Date) => format(d, 'yyyy-MM-dd');

describe('the record form tells the truth', () => {
  it('supplies used refused (more than on hand): beside the quantity and in the summary; fixed, the message goes', async () => {
    const { app, seeded } = await launchWard();
    const { page } = app;
    const core = app.backend.core;
    const cart = stockLocation(core, 'Crash cart 4B');
    const pads = item(core, 'PAD', 'Defib pads');
    level(core, cart, pads, 4, 2);
    stock(core, cart, pads, 2, 'L1', iso(addDays(new Date(), 100)));
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').waitFor();
    await page.evaluate((id) => (window.location.hash = `#/log/${id}`), seeded.cleaningPlanId);
    await page.getByRole('heading', { level: 2, name: 'Cleaning' }).waitFor();
    await page.getByRole('button', { name: 'Add a supply used' }).click();
    const selects = page.locator('.supplies-used select');
    await expect.poll(() => selects.count()).toBeGreaterThan(1);
    await selects.nth(0).selectOption({ label: await selects.nth(0).locator('option', { hasText: 'Crash cart' }).first().innerText() });
    await selects.nth(1).selectOption({ index: 1 });
    await page.locator('.supplies-used .qty-input').fill('5');
    await page.getByLabel('Your PIN or password').fill('1357');
    await page.getByRole('button', { name: 'Sign and save' }).click();
    const summary = page.getByTestId('error-summary');
    await summary.waitFor();
    const said = await summary.locator('li').allInnerTexts();
    expect(said.join(' ')).toMatch(/Only 2/);
    await page.locator('.supplies-used span.error', { hasText: 'Only 2' }).waitFor();
    // The quantity is fixed: the refusal about 5 is no longer true, and goes.
    await page.locator('.supplies-used .qty-input').fill('1');
    await page.waitForTimeout(500);
    expect(await page.locator('.supplies-used span.error').count()).toBe(0);
    expect(await page.getByTestId('error-summary').count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });

  it('a late reason typed, then hidden by putting the date right, is not kept on the record: what is saved is what the form showed', async () => {
    const { app, seeded } = await launchWard();
    const { page } = app;
    inInventorySince(app.backend.core, seeded.pumpId, iso(addDays(new Date(), -800)));
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').waitFor();
    await page.evaluate((id) => (window.location.hash = `#/log/${id}`), seeded.cleaningPlanId);
    await page.getByRole('heading', { level: 2, name: 'Cleaning' }).waitFor();
    const performedOn = page.getByLabel('Performed on');
    const today = await performedOn.inputValue();
    await performedOn.fill(format(addDays(new Date(), -40), 'dd/MM/yyyy'));
    await page.getByLabel('Why is this entered only now?').fill('Found the paper form in the drawer.');
    // Tom sees he typed the wrong month: the work was today, and the question goes.
    await performedOn.fill(today);
    await expect.poll(() => page.getByLabel('Why is this entered only now?').count()).toBe(0);
    await page.getByLabel('Your PIN or password').fill('1357');
    await page.getByRole('button', { name: 'Sign and save' }).click();
    await page.getByText('Saved: cleaning, pass, signed by Tom Tech.').waitFor();
    const saved = app.backend.core.db.prepare('SELECT late_reason FROM completions WHERE plan_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1').get(seeded.cleaningPlanId);
    expect(saved).toEqual({ late_reason: null });
    expectNoPageProblems(app);
    await app.close();
  });

  it('correct a record by keyboard alone: the record opens with Enter, its Correct link with Enter, reason, PIN, Enter saves', async () => {
    const { app, seeded } = await launchWard();
    const { page } = app;
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').waitFor();
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), seeded.pumpId);
    await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor();
    await tabTo(page, (f) => f.tag === 'SUMMARY');
    await page.keyboard.press('Enter');
    await tabTo(page, (f) => f.text === 'Correct this record');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: /^Correct a record/ }).waitFor();
    await expect.poll(async () => (await focused(page)).name).toBe('reason');
    await page.keyboard.type('Wrong agent written');
    await tabTo(page, (f) => f.name === 'agent');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('Chlorine 1,000 ppm');
    await tabTo(page, (f) => f.name === 'secret');
    await page.keyboard.type('1357');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('history-record').count()).toBe(2);
    expect(await page.getByTestId('error-summary').count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });

  it('a reading written with a thousands separator ("1,000 µA" of earth leakage, limit 500 µA) is unclear, beside its box: never read as 1 µA and signed as a pass', async () => {
    const { app, seeded, call } = await launchWard();
    const { page } = app;
    const pump = await call('equipment.get', { id: seeded.pumpId });
    await call('procedures.save', {
      owner: { kind: 'category', categoryId: pump.categoryId! },
      task: 'electrical_safety',
      definition: { kind: 'safety', checks: [{ label: 'Earth leakage current', unit: 'µA', min: null, max: 500 }] },
    });
    const plan = await call('plans.create', { equipmentId: seeded.pumpId, task: 'electrical_safety', every: '1y', startDate: iso(new Date()) });
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').waitFor();
    await page.evaluate((id) => (window.location.hash = `#/log/${id}`), plan.id);
    await page.getByRole('heading', { level: 2, name: /Electrical safety/i }).waitFor();
    const value = page.getByLabel('Measured, Earth leakage current (µA)');
    const row = page.getByRole('row', { name: /Earth leakage/ });
    await value.fill('1,000');
    // No verdict is shown for a number that cannot be read safely.
    expect(await row.getByText('In tolerance').count()).toBe(0);
    await page.getByLabel('Your PIN or password').fill('1357');
    await page.getByRole('button', { name: 'Sign and save' }).click();
    await expectProblem(page, 'The measured value of Earth leakage current is unclear: write 1000 or 1.0, without a thousands separator.');
    expect(await value.getAttribute('aria-invalid')).toBe('true');
    const saved = () => app.backend.core.db.prepare('SELECT c.outcome, r.as_found FROM completions c JOIN completion_readings r ON r.completion_id = c.id WHERE c.plan_id = ?').all(plan.id);
    expect(saved()).toEqual([]);
    // Written plainly, it is judged and signed as what it is: a fail. The message went as it was fixed.
    await value.fill('1000');
    await row.getByText('OUT of tolerance').waitFor();
    expect(await page.locator('span.error', { hasText: 'thousands separator' }).count()).toBe(0);
    await page.getByLabel('Your PIN or password').fill('1357');
    await page.getByRole('button', { name: 'Sign and save' }).click();
    await page.getByText(/Saved: electrical safety/i).waitFor();
    expect(saved()).toEqual([{ outcome: 'fail', as_found: 1000 }]);
    expectNoPageProblems(app);
    await app.close();
  });

  it('a step note too long is said beside that note (and in the summary) before anything is sent, and goes once it is shortened', async () => {
    const { app, seeded, call } = await launchWard();
    const { page } = app;
    const pump = await call('equipment.get', { id: seeded.pumpId });
    await call('procedures.save', {
      owner: { kind: 'category', categoryId: pump.categoryId! },
      task: 'inspection',
      definition: { kind: 'checklist', steps: [{ text: 'Casing intact' }, { text: 'Alarms sound' }] },
    });
    const plan = await call('plans.create', { equipmentId: seeded.pumpId, task: 'inspection', every: '6m', startDate: iso(new Date()) });
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').waitFor();
    await page.evaluate((id) => (window.location.hash = `#/log/${id}`), plan.id);
    await page.getByRole('heading', { level: 2, name: /Inspection/i }).waitFor();
    const step1 = page.getByRole('group', { name: 'Casing intact' });
    await step1.getByLabel('Pass').check();
    await page.getByRole('group', { name: 'Alarms sound' }).getByLabel('Pass').check();
    const note = page.getByLabel('Note on step 1');
    await note.fill('Crack near the door latch. '.repeat(20));
    await page.getByLabel('Your PIN or password').fill('1357');
    await page.getByRole('button', { name: 'Sign and save' }).click();
    await expectProblem(page, 'Step 1 note must be at most 500 characters.');
    expect(await note.getAttribute('aria-invalid')).toBe('true');
    // Not a refusal from main: the form found it before the PIN was sent.
    expect(app.calls.filter((c) => c === 'completions.log')).toEqual([]);
    await note.fill('Crack near the door latch.');
    await expect.poll(() => step1.locator('span.error').count()).toBe(0);
    expect(await page.getByTestId('error-summary').count()).toBe(0);
    expect(await note.getAttribute('aria-invalid')).toBe('false');
    expectNoPageProblems(app);
    await app.close();
  });

  it('readings typed, then another task chosen in "Task" by an arrow key: asked first, Stay keeps the readings; Leave opens that task', async () => {
    const { app, seeded } = await launchWard();
    const { page } = app;
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').waitFor();
    await page.evaluate((id) => (window.location.hash = `#/log/${id}`), seeded.calibrationPlanId);
    await page.getByRole('heading', { level: 2, name: 'Calibration' }).waitFor();
    const reading = page.getByLabel('As found, Flow 10 ml/h (ml/h)');
    await reading.fill('10.2');
    await page.getByLabel('Task').focus();
    await page.keyboard.press('ArrowDown');
    const dialog = page.getByRole('dialog', { name: 'Leave the unsaved calibration of IP-0042 and open the cleaning form?' });
    await dialog.waitFor();
    await expect.poll(async () => (await focused(page)).text).toBe('Stay');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByRole('heading', { level: 2, name: 'Calibration' }).count()).toBe(1);
    expect(await reading.inputValue()).toBe('10.2');
    expect(await page.getByLabel('Task').locator('option:checked').innerText()).toMatch(/^Calibration/);
    // Chosen again and left on purpose: the cleaning form opens.
    await page.getByLabel('Task').focus();
    await page.keyboard.press('ArrowDown');
    await dialog.getByRole('button', { name: 'Leave it and open the cleaning form' }).click();
    await page.getByRole('heading', { level: 2, name: 'Cleaning' }).waitFor();
    expectNoPageProblems(app);
    await app.close();
  });
});
