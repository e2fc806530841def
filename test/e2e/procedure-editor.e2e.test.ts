import { afterAll, describe, expect, it } from 'vitest';
import { formatDateTime } from '../../shared/date-format';
import { newSession } from '../../main/core/session';
import { caller } from '../helpers/invoke';
import { expectAccessible, screenshot } from './axe';
import { shutdown } from './harness';
import { expectProblem, focused, openCategory, signIn } from './steps';
import { launchWard } from './ward';

afterAll(shutdown);

type Ward = Awaited<ReturnType<typeof launchWard>>;

/** The infusion pump's category page (three calibration points, version 1), signed in as Ada Admin. */
async function openPumpCategory(): Promise<Ward> {
  const w = await launchWard();
  const { page } = w.app;
  await signIn(page, 'Ada Admin', '2468');
  await page.getByTestId('signed-in-user').waitFor();
  await openCategory(page, 'Infusion pump');
  await page.getByRole('form', { name: 'Calibration points' }).waitFor();
  return w;
}

const latest = (w: Ward, task: string) =>
  w.app.backend.core.db.prepare('SELECT version, definition FROM procedures WHERE task = ? ORDER BY version DESC LIMIT 1').get(task) as
    { version: number; definition: string } | undefined;

describe('the procedure editors of a category, in Chromium', () => {
  it('points saved exactly as typed (0.1, a decimal comma 0,5, a unit); then "1,000" is refused in words, never stored as 1, and "Saved as version 2." goes', async () => {
    const w = await openPumpCategory();
    const { page } = w.app;
    const form = page.getByRole('form', { name: 'Calibration points' });
    await form.getByLabel('Point 1 tolerance', { exact: true }).fill('0.1');
    await form.getByLabel('Point 2 tolerance', { exact: true }).fill('0,5');
    await form.getByLabel('Point 3 unit', { exact: true }).fill('kPa');
    await form.getByRole('button', { name: 'Save points' }).click();
    await form.getByText('Saved as version 2.').waitFor();
    const points = (JSON.parse(latest(w, 'calibration')!.definition) as { points: Record<string, unknown>[] }).points;
    expect(points.map((p) => [p.unit, p.tolerance, p.toleranceKind])).toEqual([
      ['ml/h', 0.1, 'percent'],
      ['ml/h', 0.5, 'percent'],
      ['kPa', 50, 'absolute'],
    ]);

    // A thousand typed with a separator: refused beside the cell and in the summary, nothing saved,
    // and the last save's "Saved as version 2." no longer beside the refusal.
    await form.getByLabel('Point 3 nominal value', { exact: true }).fill('1,000');
    await form.getByRole('button', { name: 'Save points' }).click();
    await expectProblem(form, 'Point 3 nominal value is unclear: write 1000 or 1.0, without a thousands separator.');
    expect(await form.getByText('Saved as version 2.').count()).toBe(0);
    expect(latest(w, 'calibration')!.version).toBe(2);
    await page.screenshot({ path: '/tmp/fix-screens/points-thousands.png' });

    // Written plainly, it is saved as the thousand it is.
    await form.getByLabel('Point 3 nominal value', { exact: true }).fill('1000');
    await form.getByRole('button', { name: 'Save points' }).click();
    await form.getByText('Saved as version 3.').waitFor();
    const saved = (JSON.parse(latest(w, 'calibration')!.definition) as { points: { nominal: number }[] }).points;
    expect(saved[2]!.nominal).toBe(1000);

    // Opened again, the screen shows what was saved.
    await openCategory(page, 'Infusion pump');
    await page.getByText('Version 3, saved by Ada Admin.', { exact: false }).first().waitFor();
    expect(await page.getByLabel('Point 1 tolerance', { exact: true }).inputValue()).toBe('0.1');
    expect(await page.getByLabel('Point 3 unit', { exact: true }).inputValue()).toBe('kPa');
    await w.app.close();
  });

  it('by keyboard: a new point or check starts at its name; removing one leaves the focus on the row that takes its place (or the one before)', async () => {
    const w = await openPumpCategory();
    const { page } = w.app;
    const points = page.getByRole('form', { name: 'Calibration points' });
    await points.getByRole('button', { name: 'Add a point' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => points.getByLabel(/^Point \d name$/).count()).toBe(4);
    expect((await focused(page)).name).toBe('points.3.label');

    await points.getByLabel('Point 3 name', { exact: true }).fill('Third');
    await points.getByRole('button', { name: 'Remove point 2' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => points.getByLabel(/^Point \d name$/).count()).toBe(3);
    // The old third point is now the second, and has the focus.
    await expect.poll(async () => (await focused(page)).name).toBe('points.1.label');
    expect(await points.getByLabel('Point 2 name', { exact: true }).inputValue()).toBe('Third');

    await points.getByRole('button', { name: 'Remove point 3' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => points.getByLabel(/^Point \d name$/).count()).toBe(2);
    await expect.poll(async () => (await focused(page)).name).toBe('points.1.label');

    const checks = page.getByRole('form', { name: 'Electrical safety checks' });
    await checks.getByRole('button', { name: 'Add a check' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => checks.getByLabel(/^Check \d name$/).count()).toBe(4);
    expect((await focused(page)).name).toBe('checks.3.label');
    await checks.getByRole('button', { name: 'Remove check 1' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => checks.getByLabel(/^Check \d name$/).count()).toBe(3);
    await expect.poll(async () => (await focused(page)).name).toBe('checks.0.label');
    expect(await checks.getByLabel('Check 1 name', { exact: true }).inputValue()).toBe('Earth leakage current');
    await w.app.close();
  });

  it('every problem at once: a name used twice with a blank nominal (required) and a bad number; a 201-step checklist in words; axe passes', async () => {
    const w = await openPumpCategory();
    const { page } = w.app;
    const form = page.getByRole('form', { name: 'Calibration points' });
    await form.getByLabel('Point 1 unit', { exact: true }).fill('');
    await form.getByLabel('Point 2 name', { exact: true }).fill('flow 10 ML/H');
    await form.getByLabel('Point 2 nominal value', { exact: true }).fill('abc');
    await form.getByLabel('Point 3 nominal value', { exact: true }).fill('');
    await form.getByLabel('Point 3 tolerance', { exact: true }).fill('');
    await form.getByRole('button', { name: 'Save points' }).click();
    const summary = form.getByTestId('error-summary');
    await summary.getByRole('heading', { name: 'There are 5 problems' }).waitFor();
    expect(await summary.getByRole('link').allTextContents()).toEqual([
      'Point 1 unit is required.',
      "Point 2 name is the same as point 1's: give each a name of its own.",
      'Point 2 nominal value must be a number.',
      'Point 3 nominal value is required.',
      'Point 3 tolerance is required.',
    ]);
    await expectProblem(form, "Point 2 name is the same as point 1's: give each a name of its own.");
    await expectProblem(form, 'Point 3 nominal value is required.');
    await expectAccessible(page, 'calibration points with every problem');
    await page.screenshot({ path: '/tmp/fix-screens/points-errors.png', fullPage: true });
    expect(latest(w, 'calibration')!.version).toBe(1);

    const checklist = page.getByRole('form', { name: 'Inspection checklist' });
    await checklist.getByLabel('Steps, one per line').fill(Array.from({ length: 201 }, (_, i) => `Step text ${i + 1}`).join('\n'));
    await checklist.getByRole('button', { name: 'Save checklist' }).click();
    await expectProblem(checklist, 'The checklist may have at most 200 steps.');
    expect(latest(w, 'inspection')).toBeUndefined();
    await w.app.close();
  });

  it("saving points opened before another supervisor's save is refused, naming who saved which version and when; nothing is written; Reload opens the latest", async () => {
    const w = await openPumpCategory();
    const { page } = w.app;
    const form = page.getByRole('form', { name: 'Calibration points' });
    await form.getByText('Version 1, saved by', { exact: false }).waitFor();

    // Meanwhile, on another PC, Sue (a supervisor) adds a fourth point: version 2.
    await w.call('users.create', { name: 'Sue Super', role: 'supervisor', temporaryPin: '9753' });
    const sue = caller(w.app.backend, newSession(Date.now()));
    await sue('auth.signIn', { name: 'Sue Super', secret: '9753' });
    await sue('auth.setOwnPin', { currentSecret: '9753', newPin: '8642' });
    const categoryId = (w.app.backend.core.db.prepare("SELECT id FROM categories WHERE name = 'Infusion pump'").get() as { id: string }).id;
    const v2 = await sue('procedures.save', {
      owner: { kind: 'category', categoryId },
      task: 'calibration',
      definition: {
        kind: 'measurements',
        points: [
          { label: 'Flow 10 ml/h', unit: 'ml/h', nominal: 10, toleranceKind: 'percent', tolerance: 5 },
          { label: 'Flow 100 ml/h', unit: 'ml/h', nominal: 100, toleranceKind: 'percent', tolerance: 5 },
          { label: 'Occlusion pressure', unit: 'mmHg', nominal: 500, toleranceKind: 'absolute', tolerance: 50 },
          { label: 'Bolus 2 ml', unit: 'ml', nominal: 2, toleranceKind: 'percent', tolerance: 5 },
        ],
      },
    });

    // Ada's screen hears of it (the write's event), and says so above the table she opened.
    const heard = form.getByText(`Version 2 was saved by Sue Super at ${formatDateTime(v2.createdAt, 'dd/MM/yyyy')} since you opened this.`, { exact: false });
    await heard.waitFor();
    await form.getByRole('heading', { name: 'Calibration points' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'procedure-points-newer-version');

    // Ada, still on version 1's table, changes a tolerance and saves: refused, in the summary, nothing written.
    await form.getByLabel('Point 1 tolerance', { exact: true }).fill('4');
    await form.getByRole('button', { name: 'Save points' }).click();
    const refusal = `Version 2 was saved by Sue Super at ${formatDateTime(v2.createdAt, 'dd/MM/yyyy')} since you opened this: reload to see it, then make your change again.`;
    await form.getByTestId('error-summary').getByText(refusal, { exact: true }).waitFor();
    expect(latest(w, 'calibration')!.version).toBe(2);
    expect((JSON.parse(latest(w, 'calibration')!.definition) as { points: { label: string }[] }).points.map((p) => p.label)).toContain('Bolus 2 ml');
    await expectAccessible(page, 'calibration points refused as opened before another save');
    await screenshot(page, 'procedure-points-saved-meanwhile');

    // Reload opens version 2 (Sue's point in it); the change made again is saved on top of it.
    await form.getByRole('button', { name: 'Reload', exact: true }).click();
    await form.getByText('Version 2, saved by Sue Super', { exact: false }).waitFor();
    expect(await form.getByLabel('Point 4 name', { exact: true }).inputValue()).toBe('Bolus 2 ml');
    expect(await form.getByTestId('error-summary').count()).toBe(0);
    await form.getByLabel('Point 1 tolerance', { exact: true }).fill('4');
    await form.getByRole('button', { name: 'Save points' }).click();
    await form.getByText('Saved as version 3.').waitFor();
    const v3 = (JSON.parse(latest(w, 'calibration')!.definition) as { points: { label: string; tolerance: number }[] }).points;
    expect(v3.map((p) => [p.label, p.tolerance])).toEqual([
      ['Flow 10 ml/h', 4],
      ['Flow 100 ml/h', 5],
      ['Occlusion pressure', 50],
      ['Bolus 2 ml', 5],
    ]);
    await w.app.close();
  });

  it('a checklist with the same step twice is refused beside the steps and in the summary, naming the step; nothing is saved', async () => {
    const w = await openPumpCategory();
    const { page } = w.app;
    const checklist = page.getByRole('form', { name: 'Inspection checklist' });
    await checklist.getByLabel('Steps, one per line').fill('Alarm sounds\nCasing intact\nalarm  sounds');
    await checklist.getByRole('button', { name: 'Save checklist' }).click();
    await expectProblem(checklist, 'Step 3 is the same as step 1: list each step once.');
    expect(latest(w, 'inspection')).toBeUndefined();
    await w.app.close();
  });
});
