import { addDays, format } from 'date-fns';
import { afterAll, describe, expect, it } from 'vitest';
import type { PrintPort } from '../../main/core/ports';
import { printRoute } from '../../renderer/src/lib/print-route';
import type { ComplianceParamsInput } from '../../shared/domain/report-compliance';
import { fixedClock, tempDir } from '../helpers/core';
import { inInventorySince } from '../helpers/records';
import { device, done, plan } from '../integration/plans/fixtures';
import { screenshot } from './axe';
import type { LaunchedApp } from './harness';
import { launchApp, shutdown } from './harness';
import { createFirstAdmin, pageValue, signIn } from './steps';
import { busyWard, launchWard } from './ward';

afterAll(shutdown);

describe('printouts in the setting date format', () => {
  it('every printout writes dates dd.MM.yyyy', async () => {
    const printed: { route: string; text: string }[] = [];
    let launched: LaunchedApp | null = null;
    const port: PrintPort = {
      async run(job) {
        const p = await launched!.context.newPage();
        try {
          await p.goto(`${new URL(launched!.page.url()).origin}/#${job.route}`);
          await p.waitForSelector('html[data-print-state="ready"], html[data-print-state="failed"]', { state: 'attached', timeout: 60_000 });
          printed.push({ route: job.route, text: await p.evaluate(() => document.body.innerText) });
        } finally {
          await p.close();
        }
        return { status: 'printed' };
      },
    };
    const { app, seeded, call } = await launchWard({ dateFormat: 'dd.MM.yyyy', ports: { print: port } });
    launched = app;
    const { page } = app;
    const { cart } = await busyWard(app, seeded, call, { expiringLot: true });
    await page.reload();
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    for (const [route, button] of [
      [`/equipment/${seeded.pumpId}`, 'Print history…'],
      ['/work-orders', 'Print…'],
      ['/stock/reorder', 'Print…'],
      ['/stock/expiry', 'Print…'],
      ['/reports/due-list', 'Print…'],
      ['/reports/compliance', 'Print…'],
      ['/reports/downtime', 'Print…'],
      ['/reports/failures', 'Print…'],
      [`/stock/locations/${cart}`, 'Print…'],
    ] as const) {
      await page.evaluate((r) => (window.location.hash = r), route);
      await page.waitForTimeout(1200);
      const b = page.getByRole('button', { name: button, exact: true }).first();
      if ((await b.count()) === 0) {
        printed.push({ route, text: '(no print button)' });
        continue;
      }
      const before = printed.length;
      await b.click();
      await expect.poll(() => printed.length, { timeout: 20_000 }).toBeGreaterThan(before);
    }
    const leaks = printed
      .map((p) => ({ route: p.route.split('?')[0], bad: [...new Set(p.text.match(/\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\/\d{1,2}\/\d{2,4}\b|\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}\b|\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{1,2},? \d{4}\b/g) ?? [])] }))
      .filter((x) => x.bad.length > 0);
    expect(leaks).toEqual([]);
    await app.close();
  });
});

const iso = (d: Date) => format(d, 'yyyy-MM-dd');
const dotted = (d: Date) => format(d, 'dd.MM.yyyy');
const ISO_DAY = /\b\d{4}-\d{2}-\d{2}\b/g;

/**
 * An auditor's compliance report on a PC set to dd.MM.yyyy, for a period that ended ten days ago.
 * A high-risk defibrillator failed its electrical safety test on the day it was due and was tagged
 * out: exempt, "out of service on the due date", with the tag-out's reason, whose day is written
 * the Settings way like every other date on the page. A ventilator's calibration due two days
 * before the period's end (a week's grace) was still open at its end and is not done yet: listed
 * with what has happened since, never an all-clear.
 */
describe('the compliance report an auditor reads', () => {
  it('writes the out-of-service reason dd.MM.yyyy, and lists an occurrence open at the end of the period as not done, on screen and on paper', async () => {
    const now = new Date();
    const dueDay = addDays(now, -40);
    const clock = fixedClock(`${iso(addDays(now, -100))}T12:00:00Z`);
    const app = await launchApp({ dataDir: tempDir(), clock, viewport: { width: 1366, height: 768 } });
    try {
      const core = app.backend.core;
      const defib = device(core, 'DF-0001', { name: 'Defibrillator', location: 'General Hospital > Ward 4B > Bay 1', risk: 'high' });
      inInventorySince(core, defib, iso(addDays(now, -200)));
      const es = plan(core, defib, 'electrical_safety', '1y', iso(dueDay), { mode: 'fixed' });
      const vent = device(core, 'VE-0001', { name: 'Ventilator', location: 'General Hospital > Ward 4B > Bay 2', risk: 'high' });
      inInventorySince(core, vent, iso(addDays(now, -200)));
      plan(core, vent, 'calibration', '1y', iso(addDays(now, -12)), { mode: 'fixed', windowDays: 0, graceDays: 7 });
      // The test is done on the due day and fails: the device is tagged out that day.
      clock.set(`${iso(dueDay)}T15:00:00Z`);
      done(core, es.id, `${iso(dueDay)}T10:00:00Z`, 'fail');
      clock.set(now.toISOString());

      const { page } = app;
      await createFirstAdmin(page);
      await pageValue(page, 'settings.update', { dateFormat: 'dd.MM.yyyy', hospitalName: 'General Hospital' });
      const params: ComplianceParamsInput = { from: iso(addDays(now, -60)), to: iso(addDays(now, -10)), risks: ['high'] };

      // The printout.
      const p = await app.context.newPage();
      await p.goto(`${new URL(page.url()).origin}/#${printRoute('compliance', params, 'a4')}`);
      await p.waitForSelector('html[data-print-state="ready"], html[data-print-state="failed"]', { state: 'attached' });
      const printed = await p.evaluate(() => document.body.innerText);
      await p.setViewportSize({ width: 1366, height: 768 });
      await p.getByText('High-risk equipment: every occurrence').scrollIntoViewIfNeeded();
      await screenshot(p, 'compliance-print-open-at-end');
      await p.close();
      expect(printed.match(ISO_DAY) ?? []).toEqual([]);
      expect(printed).toContain(`Out of service on the due date: failed electrical safety test on ${dotted(dueDay)}; Fail (${dotted(dueDay)})`);
      expect(printed).not.toContain('Tagged out:');
      expect(printed).toContain('OPEN AT THE END OF THE PERIOD (WITHIN GRACE)');
      expect(printed).toContain('Not done: 12 days overdue today');
      expect(printed).toContain('Open at the end of the period (within grace): 1 occurrence, in no rate');
      expect(printed).not.toContain('was done on time');
      // The printed summary heads the open column for what it is and never lets a rate stand alone.
      expect(printed).not.toContain('Not yet due');
      expect(printed).toContain('still open at the end of the period (within grace), counted in no rate.');

      // The screen.
      await page.evaluate(() => (window.location.hash = '/reports/compliance'));
      const filter = page.getByRole('form', { name: 'Report filter' });
      await filter.getByRole('textbox', { name: 'From' }).fill(dotted(addDays(now, -60)));
      await filter.getByRole('textbox', { name: 'To' }).fill(dotted(addDays(now, -10)));
      await filter.getByRole('checkbox', { name: 'High' }).check();
      await expect.poll(() => page.getByTestId('exception-row').count()).toBe(2);
      const rows = await page.getByTestId('exception-row').allInnerTexts();
      expect(rows.join('\n').match(ISO_DAY) ?? []).toEqual([]);
      expect(rows.find((r) => r.includes('VE-0001'))).toMatch(/Open at the end of the period \(within grace\)[\s\S]*Not done: 12 days overdue today/);
      expect(await page.getByTestId('high-risk-headline').textContent()).toContain('1 more was still open at the end of the period (within grace), counted in no rate.');
      expect(await page.getByRole('columnheader', { name: 'Open at the end of the period (within grace)' }).count()).toBe(1);
      await expect.poll(() => page.locator('.all-clear').count()).toBe(0);
      await page.locator('main').evaluate((el) => el.scrollTo(0, 0));
      await screenshot(page, 'compliance-open-at-end-top');
      await page.getByRole('heading', { name: /^High-risk occurrences/ }).scrollIntoViewIfNeeded();
      await screenshot(page, 'compliance-open-at-end');
    } finally {
      await app.close();
    }
  });
});
