import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/core';
import { launchApp, shutdown } from './harness';
import { seedWard } from './seed';
import { expectNoPageProblems, signIn } from './steps';

afterAll(shutdown);

/**
 * Work logged without a plan (a cleaning after a spill) is corrected as planned work is: from the
 * device's history, through the record form, as a new record pointing at the first. Before, the
 * history offered "Correct this record" only for records of a plan.
 */
describe('correcting work logged without a plan, in Chromium', () => {
  it('a technician corrects the notes of an unplanned cleaning from the device history', async () => {
    const dataDir = tempDir();
    const seeded = await seedWard(dataDir);
    const app = await launchApp({ dataDir });
    const { page } = app;
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Tom Tech' }).waitFor();
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), seeded.pumpId);
    await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor();

    const unplanned = page.getByRole('region', { name: 'Log work without a plan' });
    await unplanned.getByLabel('Task').selectOption({ label: 'Cleaning' });
    await unplanned.getByRole('link', { name: 'Log it…' }).click();
    await page.getByRole('heading', { level: 2, name: 'Cleaning' }).waitFor();
    await page.getByLabel('Notes').fill('Spill of saline on the housng');
    await page.getByLabel('Your PIN or password').fill('1357');
    await page.getByRole('button', { name: /^Sign and save/ }).click();
    await page.getByText(/^Saved: cleaning/i).waitFor();

    const first = page.getByTestId('history-record').first();
    await first.getByRole('link', { name: 'Correct this record' }).click();
    await page.getByRole('heading', { level: 1, name: /Correct a record/ }).waitFor();
    expect(await page.getByLabel('Notes').inputValue()).toBe('Spill of saline on the housng');
    await page.getByLabel('Why is it being corrected?').fill('Typo in the notes');
    await page.getByLabel('Notes').fill('Spill of saline on the housing');
    await page.getByLabel('Your PIN or password').fill('1357');
    await page.getByRole('button', { name: 'Sign and save the correction' }).click();
    await page.getByText(/^Saved: cleaning/i).waitFor();

    const records = page.getByTestId('history-record');
    await expect.poll(async () => (await records.nth(0).textContent()) ?? '').toMatch(/Cleaning.*correction/);
    expect(await records.nth(1).getAttribute('class')).toContain('amended');
    const stored = app.backend.core.db
      .prepare("SELECT notes, amends_id IS NOT NULL AS correction FROM completions WHERE equipment_id = ? AND plan_id IS NULL AND task = 'cleaning' ORDER BY created_at, id")
      .all(seeded.pumpId);
    expect(stored).toEqual([
      { notes: 'Spill of saline on the housng', correction: 0 },
      { notes: 'Spill of saline on the housing', correction: 1 },
    ]);
    expectNoPageProblems(app);
    await app.close();
  });
});
