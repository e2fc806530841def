import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/core';
import { pdfInfo, pdfPagesText, renderPagePng } from '../helpers/pdf';
import { inInventorySince } from '../helpers/records';
import { expectAccessible, screenshot } from './axe';
import { launchPrinting, shutdown } from './harness';
import { seedWard } from './seed';
import { expectNoPageProblems, pageValue, signIn } from './steps';

afterAll(shutdown);

const OUT = path.resolve('test-results/print');
mkdirSync(OUT, { recursive: true });

/**
 * Issue 15: "A lower safety limit prints as '2 ≥ MΩ' in the history and '2 to — MΩ' in the PDF:
 * write 'at least 2 MΩ'." An electrical safety test with a lower limit only, an upper limit only
 * and both, as the device history shows it and as its PDF prints it.
 */
describe('safety-test limits in words, in Chromium', () => {
  it('"at least 2 MΩ", "at most 0.2 Ω" and "0 to 100 µA" on the device history screen and in the printed history', async () => {
    const dataDir = tempDir();
    await seedWard(dataDir);
    const { app } = await launchPrinting(OUT, { dataDir });
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();

    const ward = (await pageValue(page, 'locations.list', {})).find((l) => l.name === 'Ward 4B')!;
    const defibs = await pageValue(page, 'categories.create', { name: 'Defibrillator', defaultRisk: 'high' });
    const procedure = await pageValue(page, 'procedures.save', {
      owner: { kind: 'category', categoryId: defibs.id },
      task: 'electrical_safety',
      definition: {
        kind: 'safety',
        checks: [
          { label: 'Insulation resistance', unit: 'MΩ', min: 2, max: null },
          { label: 'Protective earth resistance', unit: 'Ω', min: null, max: 0.2 },
          { label: 'Enclosure leakage current', unit: 'µA', min: 0, max: 100 },
        ],
      },
    });
    const defib = await pageValue(page, 'equipment.create', {
      assetTag: 'DF-0001',
      name: 'Defibrillator',
      locationId: ward.id,
      categoryId: defibs.id,
    });
    const today = new Date().toISOString().slice(0, 10);
    inInventorySince(app.backend.core, defib.id, '2025-01-01');
    const plan = await pageValue(page, 'plans.create', { equipmentId: defib.id, task: 'electrical_safety', every: '1y', startDate: today });
    await pageValue(page, 'completions.log', {
      planId: plan.id,
      performedAt: new Date(Date.now() - 60 * 60_000).toISOString(),
      result: {
        kind: 'safety',
        procedureId: procedure.id,
        readings: [{ value: 150 }, { value: 0.08 }, { value: 12 }],
        referenceEquipmentId: null,
      },
      secret: '2468',
    });

    await page.goto(`${new URL(page.url()).origin}/#/equipment/${defib.id}`);
    await page.getByRole('heading', { level: 1, name: /Defibrillator/ }).waitFor();
    // The record opens to its readings.
    const record = page.locator('details').filter({ hasText: 'Electrical safety' }).first();
    await record.locator('summary').click();
    const readings = record.locator('table.readings-view');
    await readings.waitFor();
    const limitOf = async (label: string) =>
      (
        await readings
          .getByRole('row', { name: new RegExp(`^${label}`) })
          .getByRole('cell')
          .first()
          .textContent()
      )?.trim();
    expect(await limitOf('Insulation resistance')).toBe('at least 2 MΩ');
    expect(await limitOf('Protective earth resistance')).toBe('at most 0.2 Ω');
    expect(await limitOf('Enclosure leakage current')).toBe('0 to 100 µA');
    const screen = (await readings.innerText()).replace(/\s+/g, ' ');
    expect(screen).not.toMatch(/≥|≤|to —|— to/);
    await readings.scrollIntoViewIfNeeded();
    await screenshot(page, 'device-history-safety-limits');
    await expectAccessible(page, 'the device page, a safety test opened');

    await page.getByRole('button', { name: 'Save history as PDF…' }).click();
    const saved = page.getByRole('status').filter({ hasText: /^Saved the history of DF-0001 to / });
    await saved.waitFor();
    const file = (await saved.textContent())!.replace(/^Saved the history of DF-0001 to /, '').replace(/\.$/, '');
    for (let p = 1; p <= pdfInfo(file).pages; p++) renderPagePng(file, p, path.join(OUT, `history-safety-page-${p}`), 70);
    const text = pdfPagesText(file).join('\n').replace(/\s+/g, ' ');
    // Point, nominal (none for a safety check), limits, as found.
    expect(text).toContain('Insulation resistance — at least 2 MΩ 150 MΩ in');
    expect(text).toContain('Protective earth resistance — at most 0.2 Ω 0.08 Ω in');
    expect(text).toContain('Enclosure leakage current — 0 to 100 µA 12 µA in');
    expect(text).not.toMatch(/≥|≤|to —|— to/);

    expectNoPageProblems(app);
    await app.close();
  });
});
