import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { recordCompletion } from '../../main/core/completions/record';
import { tempDir } from '../helpers/core';
import { launchApp, shutdown } from './harness';
import { seedWard } from './seed';
import { expectNoPageProblems, signIn } from './steps';
import { inTransaction } from '../../main/core/dispatcher/transaction';

afterAll(shutdown);

/** A USB scanner's burst: the tag's keys milliseconds apart, then Enter, with no field focused. */
async function scan(page: Page, tag: string) {
  await page.evaluate((keys) => {
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    for (const key of [...keys, 'Enter']) document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  }, [...tag]);
}

describe('logging work, in Chromium', () => {
  it('logs a calibration against a reference standard, the device turns green, the history shows the readings, then it is corrected', async () => {
    const dataDir = tempDir();
    const seeded = await seedWard(dataDir);
    const app = await launchApp({ dataDir });
    const { page } = app;
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Tom Tech' }).waitFor();

    // The scan opens the pump; its overdue calibration says DO NOT USE; Enter opens the record form.
    await scan(page, 'IP-0042');
    await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor();
    await page.getByText('DO NOT USE', { exact: true }).first().waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Log work');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: 'Calibration' }).waitFor();

    await page.getByLabel('Reference standard used').selectOption({ label: 'REF-7 Flow analyser' });
    await page.getByLabel('As found, Flow 10 ml/h (ml/h)').fill('10.2');
    await page.getByLabel('As found, Flow 100 ml/h (ml/h)').fill('107');
    await page.getByLabel('As found, Occlusion pressure (mmHg)').fill('480');
    // In or out of tolerance is computed as the technician types, never typed.
    const row2 = page.getByRole('row', { name: /Flow 100 ml\/h/ });
    expect(await row2.getByText('OUT of tolerance').count()).toBe(1);
    await row2.getByRole('checkbox').check();
    await page.getByLabel('As left, Flow 100 ml/h (ml/h)').fill('100,4');
    expect(await row2.getByText('In tolerance').count()).toBe(1);
    await page.getByText('Pass after adjustment').waitFor();
    await page.getByLabel('Time spent (minutes)').fill('20');
    await page.getByLabel('Your PIN or password').fill('1357');
    await page.getByRole('button', { name: 'Sign and save' }).click();

    // Back on the device: green, saved, signed; the history holds the readings.
    await page.getByText('Saved: calibration, pass after adjustment, signed by Tom Tech.').waitFor();
    expect(await page.getByText('DO NOT USE', { exact: true }).count()).toBe(0);
    const record = page.getByTestId('history-record').first();
    expect(await record.locator('details').getAttribute('open')).not.toBeNull();
    const text = (await record.textContent()) ?? '';
    expect(text).toContain('Calibration');
    expect(text).toContain('Pass after adjustment');
    expect(text).toMatch(/Flow 100 ml\/h.*95 to 105 ml\/h.*107 ml\/h OUT.*100\.4 ml\/h in/);
    expect(text).toContain('REF-7 Flow analyser');
    expect(text).toMatch(/Performed by: Tom Tech \(Technician\)/);

    // The correction: a new record pointing at the first; both stay, the first struck through.
    await record.getByRole('link', { name: 'Correct this record' }).click();
    await page.getByRole('heading', { level: 1, name: /Correct a record/ }).waitFor();
    expect(await page.getByLabel('As found, Occlusion pressure (mmHg)').inputValue()).toBe('480');
    await page.getByLabel('Why is it being corrected?').fill('Occlusion pressure read 490, not 480');
    await page.getByLabel('As found, Occlusion pressure (mmHg)').fill('490');
    await page.getByLabel('Your PIN or password').fill('1357');
    await page.getByRole('button', { name: 'Sign and save the correction' }).click();
    await page.getByText(/Saved: calibration/).waitFor();
    const records = page.getByTestId('history-record');
    await expect.poll(() => records.count()).toBe(3); // the correction, the original, last week's cleaning
    expect(await records.nth(0).textContent()).toMatch(/correction/);
    expect(await records.nth(1).getAttribute('class')).toContain('amended');
    const stored = app.backend.core.db.prepare('SELECT count(*) AS n FROM completions WHERE plan_id = ?').get(seeded.calibrationPlanId);
    expect(stored).toEqual({ n: 2 });
    expectNoPageProblems(app);
    await app.close();
  });

  it('logs a cleaning from a scan with the keyboard alone: scan, Enter, PIN, Enter', async () => {
    const dataDir = tempDir();
    const seeded = await seedWard(dataDir);
    const app = await launchApp({ dataDir });
    const { page } = app;
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Tom Tech' }).waitFor();
    // The calibration was done earlier this morning: the cleaning is the most urgent work left.
    inTransaction(app.backend.core, (core) =>
      recordCompletion(core, { userId: null, name: 'Tom Tech', role: 'technician', via: 'app' }, {
        planId: seeded.calibrationPlanId,
        performedAt: new Date(Date.now() - 3_600_000).toISOString(),
        outcome: 'pass',
        source: 'app',
      }),
    );
    await scan(page, 'IP-0042');
    await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Log work');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: 'Cleaning' }).waitFor();
    // Method and agent are remembered from last time; the focus waits in the PIN field.
    expect(await page.getByLabel('Method').inputValue()).toBe('Wipe with disinfectant');
    expect(await page.getByLabel('Agent').inputValue()).toBe('70% isopropyl alcohol');
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).toBe('password');
    await page.keyboard.type('1357');
    await page.keyboard.press('Enter');
    await page.getByText('Saved: cleaning, pass, signed by Tom Tech.').waitFor();
    const row = app.backend.core.db.prepare("SELECT outcome, details FROM completions WHERE plan_id = ? ORDER BY performed_at DESC LIMIT 1").get(seeded.cleaningPlanId) as { outcome: string; details: string };
    expect(row.outcome).toBe('pass');
    expect(JSON.parse(row.details)).toEqual({ method: 'Wipe with disinfectant', agent: '70% isopropyl alcohol' });
    expectNoPageProblems(app);
    await app.close();
  });
});
