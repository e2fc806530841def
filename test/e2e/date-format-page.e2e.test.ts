import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { DateFormatSetting } from '../../shared/domain/settings';
import { fixedClock, tempDir } from '../helpers/core';
import { expectAccessible, screenshot } from './axe';
import { launchApp, shutdown } from './harness';
import { seedWard } from './seed';
import { expectNoPageProblems, nav, pageValue, signIn } from './steps';

afterAll(shutdown);

/**
 * Issue 15: "Dates appear in three formats on one page despite the setting (Nov 30, 2026, 07:52
 * AM / 2026-11-30 / 11/30/2026)." The device page with its details, plans, records and a work
 * order, read whole after the date format is changed in Settings: every date on it is written in
 * the chosen format, and none in another.
 */
const NOW = '2026-03-24T10:00:00Z';

const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?';
/** Anything that reads as a date or a 12-hour time, whatever its format. */
const DATE_LIKE = {
  numeric: /\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b/g,
  named: new RegExp(`\\b${MONTH}\\s+\\d{1,2}\\b|\\b\\d{1,2}\\s+${MONTH}(?=\\s|,|$)`, 'gi'),
  twelveHour: /\b\d{1,2}(?::\d{2})?\s?[ap]\.?m\.?(?![a-z])/gi,
};
const SHAPE: Partial<Record<DateFormatSetting, RegExp>> = {
  'yyyy-MM-dd': /^\d{4}-\d{2}-\d{2}$/,
  'dd.MM.yyyy': /^\d{2}\.\d{2}\.\d{4}$/,
};

function datesOn(text: string) {
  return {
    numeric: text.match(DATE_LIKE.numeric) ?? [],
    named: text.match(DATE_LIKE.named) ?? [],
    twelveHour: text.match(DATE_LIKE.twelveHour) ?? [],
  };
}

async function chooseDateFormat(page: Page, format: DateFormatSetting) {
  await nav(page).getByRole('link', { name: 'Settings', exact: true }).click();
  const select = page.getByLabel('Date format');
  await select.selectOption(format);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('status').filter({ hasText: /saved/i }).first().waitFor();
}

/** The device page with every record opened, as text. */
async function devicePageText(page: Page, pumpId: string): Promise<string> {
  await page.goto(`${new URL(page.url()).origin}/#/equipment/${pumpId}`);
  await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor();
  await page.getByRole('heading', { name: 'History' }).waitFor();
  const records = page.locator('details');
  await expect.poll(() => records.count()).toBeGreaterThan(0);
  for (let i = 0; i < (await records.count()); i++) {
    const record = records.nth(i);
    if ((await record.getAttribute('open')) === null) await record.locator('summary').click();
  }
  return page.locator('main').innerText();
}

describe('one date format on the device page, in Chromium', () => {
  it('after the setting changes to yyyy-mm-dd, then dd.mm.yyyy: details, plans, records and the work order all follow it', async () => {
    const clock = fixedClock(NOW);
    const dataDir = tempDir();
    const seeded = await seedWard(dataDir, { clock });
    const app = await launchApp({ dataDir, clock, beforeGoto: ({ context }) => context.clock.setFixedTime(new Date(NOW)) });
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();

    // The pump: its dates, two plans, last week's cleaning (seeded), and a fault reported today.
    const pump = await pageValue(page, 'equipment.get', { id: seeded.pumpId });
    await pageValue(page, 'equipment.update', {
      id: pump.id,
      assetTag: pump.assetTag,
      name: pump.name,
      locationId: pump.locationId,
      categoryId: pump.categoryId,
      risk: pump.risk,
      acquiredOn: '2025-01-15',
      inServiceOn: '2025-02-14',
      warrantyUntil: '2027-01-31',
    });
    const fault = await pageValue(page, 'workOrders.report', { equipmentId: pump.id, problem: 'Door latch loose', takeOutOfUse: false, secret: '2468' });
    // Today's electrical safety test fails, in the format the PC had then (the locale's): Wardkeep
    // writes the day into the status reason ("Tagged out: failed … on <day>") and into the work
    // order's step, and both must follow the setting changed afterwards.
    const safety = await pageValue(page, 'plans.create', { equipmentId: pump.id, task: 'electrical_safety', every: '1y', startDate: '2026-03-24' });
    await pageValue(page, 'completions.log', { planId: safety.id, performedAt: NOW, result: { kind: 'outcome', outcome: 'fail' }, secret: '2468' });
    expect((await pageValue(page, 'equipment.get', { id: pump.id })).status).toBe('out_of_service');

    const expected: Record<'yyyy-MM-dd' | 'dd.MM.yyyy', string[]> = {
      // Acquired, in service, warranty; the cleaning done (and entered) on the 17th; due again today; the fault reported today.
      'yyyy-MM-dd': ['2025-01-15', '2025-02-14', '2027-01-31', '2026-03-17', '2026-03-24'],
      'dd.MM.yyyy': ['15.01.2025', '14.02.2025', '31.01.2027', '17.03.2026', '24.03.2026'],
    };
    for (const format of ['yyyy-MM-dd', 'dd.MM.yyyy'] as const) {
      await chooseDateFormat(page, format);
      const text = await devicePageText(page, pump.id);
      const found = datesOn(text);
      expect(
        found.numeric.filter((d) => !SHAPE[format]!.test(d)),
        `dates not written ${format}`,
      ).toEqual([]);
      expect(found.named, 'dates with month names').toEqual([]);
      expect(found.twelveHour, '12-hour times').toEqual([]);
      for (const d of expected[format]) expect(found.numeric, `${d} on the page`).toContain(d);
      expect(text).toContain('Door latch loose');
      expect(text).toContain(`Tagged out: failed electrical safety test on ${expected[format][4]}. Do not use.`);
      await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).scrollIntoViewIfNeeded();
      await screenshot(page, `device-page-dates-${format}-top`);

      // The work order's page: its steps, the fail's among them, say the day the same way.
      await page.goto(`${new URL(page.url()).origin}/#/work-orders/${fault.workOrder.id}`);
      const steps = page.getByRole('table').filter({ hasText: 'Failed electrical safety test' });
      await steps.waitFor();
      const woText = await page.locator('main').innerText();
      expect(
        datesOn(woText).numeric.filter((d) => !SHAPE[format]!.test(d)),
        `dates on the work order not written ${format}`,
      ).toEqual([]);
      expect(woText).toContain(`Failed electrical safety test on ${expected[format][4]}.`);
      await screenshot(page, `work-order-dates-${format}`);
    }
    await expectAccessible(page, 'the work order page');
    await devicePageText(page, pump.id);
    await page.getByRole('heading', { name: 'History' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'device-page-dates-dd.mm.yyyy');
    await expectAccessible(page, 'the device page, records opened');
    expectNoPageProblems(app);
    await app.close();
  });
});
