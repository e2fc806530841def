import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDate } from '../../shared/date-format';
import { tempDir } from '../helpers/core';
import { expectAccessible, screenshot } from './axe';
import { launchApp, shutdown } from './harness';
import { createFirstAdmin, expectNoPageProblems, nav, pageValue } from './steps';

afterAll(shutdown);

const FIXTURE = path.resolve('test/fixtures/ewh-hospital-inventory.csv');
const FORMAT = 'dd/MM/yyyy';
const show = (iso: string) => formatDate(iso, FORMAT);

/** The group (category) and last calibration given to some of the hospital's devices, by their code. */
const ADDED: Record<string, { group: string; lastCalibration: string }> = {
  // Yearly: 29 Feb + 1 year is clamped to 28 Feb (docs/scheduling.md rule 2).
  '507': { group: 'Anaesthesia unit', lastCalibration: '2024-02-29' },
  // No date: due on the day of the import.
  '1836': { group: 'Anaesthesia unit', lastCalibration: '' },
  // Six-monthly: 31 May + 6 months is clamped to 30 Nov.
  '3461': { group: 'Aspirator', lastCalibration: '2026-05-31' },
  '3511': { group: 'Aspirator', lastCalibration: '2026-08-15' },
  // A date for a device with no category: said, and not used.
  '8224': { group: '', lastCalibration: '2026-01-10' },
};

/** A copy of the hospital file with two columns more, in a folder of its own (the fixture stays as it is). */
function hospitalFileWithLastDone(): string {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(FIXTURE, 'utf8'), { header: true, skipEmptyLines: true });
  const rows = parsed.data.map((r) => ({ ...r, 'Device group': ADDED[r.Code!]?.group ?? '', last_calibration: ADDED[r.Code!]?.lastCalibration ?? '' }));
  const file = path.join(tempDir(), 'ewh-hospital-inventory-last-done.csv');
  writeFileSync(file, Papa.unparse(rows, { columns: [...parsed.meta.fields!, 'Device group', 'last_calibration'] }));
  return file;
}

/** The preview's next-due cell of the device with this tag. */
async function previewDue(page: Page, tag: string): Promise<string> {
  const row = page.getByRole('table', { name: /The first 20 of 23 rows/ }).locator('tbody tr').filter({ has: page.getByRole('cell', { name: tag, exact: true }) });
  return (await row.getByTestId('preview-next-due').innerText()).trim();
}

describe('the import wizard with last-done dates, in Chromium', () => {
  it('maps a last_calibration column of the hospital file; the preview and the imported plans are due from those dates, not from today', async () => {
    const app = await launchApp({ dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await pageValue(page, 'settings.update', { dateFormat: FORMAT });
    const today = (await pageValue(page, 'app.info', {})).today;
    const anaesthesia = await pageValue(page, 'categories.create', { name: 'Anaesthesia unit', defaultRisk: 'high' });
    await pageValue(page, 'categoryPlans.add', { categoryId: anaesthesia.id, task: 'calibration', every: '1y' });
    const aspirators = await pageValue(page, 'categories.create', { name: 'Aspirator', defaultRisk: 'medium' });
    await pageValue(page, 'categoryPlans.add', { categoryId: aspirators.id, task: 'calibration', every: '6m' });

    await nav(page).getByRole('link', { name: 'Equipment', exact: true }).click();
    await page.getByRole('link', { name: 'Import CSV' }).click();
    await page.getByLabel('CSV file', { exact: true }).setInputFiles(hospitalFileWithLastDone());
    await page.getByRole('heading', { name: 'Match the columns' }).waitFor();
    // last_calibration is recognised by its name; the group column is matched by hand.
    // The guess arrives after the step is shown: wait for it rather than read the first paint.
    await expect.poll(() => page.getByLabel('last_calibration', { exact: true }).inputValue()).toBe('last_calibration');
    expect(await page.getByLabel('Device group', { exact: true }).inputValue()).toBe('');
    await page.getByLabel('Device group', { exact: true }).selectOption('category');
    await page.getByLabel('Generate asset tags for rows whose tag is blank').check();
    await page.getByLabel('Tag prefix').fill('EWH');
    await expectAccessible(page, 'the mapping with a last-done column');
    await screenshot(page, 'import-last-done-mapping');

    await page.getByRole('button', { name: 'Preview the import' }).click();
    await page.getByRole('heading', { name: 'Check the preview' }).waitFor();
    await page.getByText('No problems: all 23 rows can be imported.').waitFor();
    await page.getByRole('columnheader', { name: 'Next due (from last done)' }).waitFor();
    expect(await previewDue(page, '507')).toBe(`Calibration: ${show('2025-02-28')}`);
    expect(await previewDue(page, '1836')).toBe(`Calibration: ${show(today)} (no last date)`);
    expect(await previewDue(page, '3461')).toBe(`Calibration: ${show('2026-11-30')}`);
    expect(await previewDue(page, '3511')).toBe(`Calibration: ${show('2027-02-15')}`);
    expect(await previewDue(page, '8224')).toBe('—');
    await page
      .getByRole('region', { name: 'Worth knowing' })
      .getByText(/^Row 14: when its calibration was last done is not used: the device has no category/)
      .waitFor();
    await page.getByRole('columnheader', { name: 'Next due (from last done)' }).scrollIntoViewIfNeeded();
    await expectAccessible(page, 'the preview with next due dates');
    await screenshot(page, 'import-last-done-preview');

    await page.getByRole('button', { name: 'Import 23 devices' }).click();
    await page.getByRole('heading', { name: 'Imported 23 devices' }).waitFor();

    // The device's page: its calibration plan is due a year after the file's date, not today.
    for (const [tag, last, due] of [
      ['3511', '2026-08-15', '2027-02-15'],
      ['507', '2024-02-29', '2025-02-28'],
    ] as const) {
      const device = await pageValue(page, 'equipment.findByTag', { tag });
      await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), device.id);
      await page.getByRole('heading', { level: 1, name: device.name }).waitFor();
      const plan = page.locator('table.plans-table tbody tr').filter({ hasText: 'Calibration' });
      await plan.waitFor();
      const [, nextDue, lastDone] = await plan.locator('td').allInnerTexts();
      expect(nextDue).toBe(show(due));
      expect(nextDue).not.toBe(show(today));
      expect(lastDone?.replace(/\s+/g, ' ')).toBe(`${show(last)} before Wardkeep`);
    }
    await expectAccessible(page, 'an imported device with its last calibration before Wardkeep');
    await screenshot(page, 'import-last-done-device');
    expectNoPageProblems(app);
  });
});
