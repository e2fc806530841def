import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { format, startOfMonth, startOfYear, subDays } from 'date-fns';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../main/core/dispatcher/transaction';
import { reportFault } from '../../main/core/repairs/work-orders';
import type { UserRow } from '../../main/core/sql/rows';
import { tempDir } from '../helpers/core';
import { pdfInfo, pdfPagesText, renderPagePng } from '../helpers/pdf';
import { expectAccessible, screenshot } from './axe';
import type { LaunchedApp } from './harness';
import { launchPrinting, shutdown } from './harness';
import { createFirstAdmin, expectNoPageProblems, holdAnswers, nav, pageValue } from './steps';

afterAll(shutdown);

const OUT = path.resolve('test-results/print');
mkdirSync(OUT, { recursive: true });
const PIN = '2468';
/** The date format chosen for this test: day first, so a date written ISO would stand out. */
const dmy = (d: Date) => format(d, 'dd/MM/yyyy');

/** Saves the report on screen as a PDF on `paper` through its print controls; checks each page's head; returns the text. */
async function savePdf(
  page: Page,
  what: string,
  title: string,
  paper: 'a4' | 'letter',
  button = 'Save as PDF…',
): Promise<{ file: string; text: string; rows: string; pages: number }> {
  await page.getByLabel('Paper').selectOption(paper);
  await page.getByRole('button', { name: button }).click();
  const saved = page.getByRole('status').filter({ hasText: `Saved ${what} to ` });
  await saved.waitFor({ timeout: 60_000 });
  const file = (await saved.textContent())!.replace(`Saved ${what} to `, '').replace(/\.$/, '');
  const info = pdfInfo(file);
  expect(info.widthPt, `${what} on ${paper}`).toBeCloseTo(paper === 'a4' ? 595.3 : 612, 0);
  expect(info.heightPt, `${what} on ${paper}`).toBeCloseTo(paper === 'a4' ? 841.9 : 792, 0);
  const pages = pdfPagesText(file);
  pages.forEach((p, i) => {
    expect(p, `page ${i + 1} of ${what} on ${paper}`).toContain(`Page ${i + 1} of ${info.pages}`);
    expect(p, `page ${i + 1} of ${what} on ${paper}`).toContain(`General Hospital · ${title}`);
  });
  await page.getByRole('button', { name: button }).waitFor();
  // `rows`: the text as laid out, so a table's row reads left to right.
  const rows = pdfPagesText(file, { layout: true })
    .join('\n')
    .replace(/[ \t]+/g, ' ');
  return { file, text: pages.join('\n').replace(/\s+/g, ' '), rows, pages: info.pages };
}

async function exportCsv(page: Page, button: string): Promise<Record<string, string>[]> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  return Papa.parse<Record<string, string>>(readFileSync(await download.path(), 'utf8'), { header: true, skipEmptyLines: true }).data;
}

/**
 * Two wards: IP-3 reported nine days ago and still waiting (Ward 4B); IP-1 repaired today with
 * Mechanical / Wear, and Mechanical deleted since; MON-1 repaired as No fault found; IP-2 on Ward
 * 4C not yet diagnosed. The pumps and IP-3 were taken out of use.
 */
async function seed(app: LaunchedApp) {
  const { page } = app;
  const site = await pageValue(page, 'locations.create', { name: 'General Hospital' });
  const b = await pageValue(page, 'locations.create', { name: 'Ward 4B', parentId: site.id });
  const c = await pageValue(page, 'locations.create', { name: 'Ward 4C', parentId: site.id });
  const pumps = await pageValue(page, 'categories.create', { name: 'Infusion pump', defaultRisk: 'high' });
  const device = (
    assetTag: string,
    name: string,
    locationId: string,
    extra: { categoryId?: string; manufacturer?: string; model?: string },
  ) => pageValue(page, 'equipment.create', { assetTag, name, locationId, ...extra });
  const ip1 = await device('IP-1', 'Infusion pump', b.id, { categoryId: pumps.id, manufacturer: 'Baxter', model: 'Sigma' });
  const ip2 = await device('IP-2', 'Infusion pump', c.id, { categoryId: pumps.id, manufacturer: 'Baxter', model: 'Sigma' });
  const ip3 = await device('IP-3', 'Infusion pump', b.id, { categoryId: pumps.id, manufacturer: 'Baxter', model: 'Sigma' });
  const mon = await device('MON-1', 'Patient monitor', b.id, { manufacturer: 'Philips', model: 'MX450' });
  // Nine days ago: written in the core with its clock set back, as a fault reported then would be.
  const core = app.backend.core;
  const admin = core.db.prepare("SELECT * FROM users WHERE name = 'Ada Admin'").get() as UserRow;
  const real = core.clock;
  core.clock = { now: () => subDays(real.now(), 9) };
  try {
    inTransaction(core, (w) =>
      reportFault(w, admin, { equipmentId: ip3.id, problem: 'Door latch broken', takeOutOfUse: true, secret: PIN }),
    );
  } finally {
    core.clock = real;
  }
  const old = (await pageValue(page, 'workOrders.list', { status: 'open' }))[0]!;
  await pageValue(page, 'workOrders.take', { id: old.id, secret: PIN });
  await pageValue(page, 'workOrders.wait', { id: old.id, waitingFor: 'parts', note: 'Latch ordered', secret: PIN });
  const codes = await pageValue(page, 'workOrders.codes', {});
  const code = (kind: 'failure' | 'cause', label: string) => codes.find((x) => x.kind === kind && x.label === label)!.id;
  const report = async (equipmentId: string, problem: string, takeOutOfUse: boolean) =>
    (await pageValue(page, 'workOrders.report', { equipmentId, problem, takeOutOfUse, secret: PIN })).workOrder;
  const wo1 = await report(ip1.id, 'Occlusion alarm', true);
  await report(ip2.id, 'Cracked case', true);
  const wo3 = await report(mon.id, 'Screen flickers', false);
  for (const [wo, failure, cause] of [
    [wo1, 'Mechanical', 'Wear'],
    [wo3, 'No fault found', 'Use error'],
  ] as const) {
    await pageValue(page, 'workOrders.take', { id: wo.id, secret: PIN });
    await pageValue(page, 'workOrders.repair', {
      id: wo.id,
      workDone: 'Checked',
      failureCodeId: code('failure', failure),
      causeCodeId: code('cause', cause),
      secret: PIN,
    });
  }
  await pageValue(page, 'workOrders.codes.remove', { id: code('failure', 'Mechanical') });
}

/** A printing app with the first administrator, day-first dates, and the two wards' work orders (`seed`). */
async function seededApp(): Promise<LaunchedApp> {
  const { app } = await launchPrinting(OUT, { dataDir: tempDir() });
  await createFirstAdmin(app.page);
  await pageValue(app.page, 'settings.update', { dateFormat: 'dd/MM/yyyy', hospitalName: 'General Hospital' });
  await seed(app);
  return app;
}

describe('the repairs reports, in Chromium', () => {
  it('open work orders, downtime and failures: each on screen, as CSV, and as a PDF on A4 and on Letter with the head on every page', async () => {
    const app = await seededApp();
    const { page } = app;
    const today = new Date();
    const from = subDays(today, 30);

    // Repairs: the open work orders, printed by ward, oldest first, with their age in days.
    await nav(page).getByRole('link', { name: 'Repairs', exact: true }).click();
    await page.getByRole('heading', { name: 'Repairs' }).waitFor();
    await expect.poll(() => page.getByTestId('work-order-row').count()).toBe(4);
    await expectAccessible(page, 'the Repairs list with its print controls');
    await screenshot(page, 'repairs-open-print');
    const open = await exportCsv(page, 'Export CSV');
    expect(open.map((r) => [r.ward, r.asset_tag])).toEqual([
      ['General Hospital > Ward 4B', 'IP-3'],
      ['General Hospital > Ward 4B', 'IP-1'],
      ['General Hospital > Ward 4B', 'MON-1'],
      ['General Hospital > Ward 4C', 'IP-2'],
    ]);
    for (const paper of ['a4', 'letter'] as const) {
      const pdf = await savePdf(page, 'the open work orders', 'Open work orders', paper);
      expect(pdf.text).toContain('General Hospital · Open work orders');
      expect(pdf.text).toContain(`as of ${dmy(today)}`);
      expect(pdf.text).toMatch(
        /Ward 4B.*IP-3 Infusion pump.*Waiting for parts.*Door latch broken.*Ada Admin 9 .*IP-1 .*MON-1 .*Ward 4C.*IP-2/,
      );
      expect(pdf.text).toContain(dmy(subDays(today, 9)));
      renderPagePng(pdf.file, 1, path.join(OUT, `open-work-orders-${paper}`), 60);
    }

    // Downtime over the last 30 days.
    await nav(page).getByRole('link', { name: 'Downtime', exact: true }).click();
    await page.getByRole('heading', { name: 'Downtime', level: 1 }).waitFor();
    await page.getByLabel('From', { exact: true }).fill(dmy(from));
    await expect.poll(() => page.getByTestId('downtime-row').count()).toBe(3);
    expect(await page.getByTestId('downtime-row').first().textContent()).toContain('IP-3');
    await expectAccessible(page, 'the downtime report with its print controls');
    await screenshot(page, 'downtime-print-controls');
    const downtime = await exportCsv(page, 'Export CSV');
    expect(downtime.map((r) => r.asset_tag)).toEqual(['IP-3', 'IP-1', 'IP-2']);
    for (const paper of ['a4', 'letter'] as const) {
      const pdf = await savePdf(page, 'the downtime report', 'Downtime report', paper);
      expect(pdf.text).toContain('General Hospital · Downtime report');
      expect(pdf.text).toContain(`Period: ${dmy(from)} to ${dmy(today)}`);
      expect(pdf.text).toMatch(/IP-3 Infusion pump Infusion pump General Hospital > Ward 4B .*\(WO-?0001\) 9 ?d/);
      expect(pdf.text).toContain('Per category');
      renderPagePng(pdf.file, 1, path.join(OUT, `downtime-${paper}`), 60);
    }
    // One ward: Ward 4C's pump only; then every ward again.
    await page.getByRole('checkbox', { name: /^Ward 4C/ }).check();
    await expect.poll(() => page.getByTestId('downtime-row').count()).toBe(1);
    expect(await page.getByTestId('downtime-row').first().textContent()).toContain('IP-2');
    await screenshot(page, 'downtime-one-ward');
    await page.getByRole('checkbox', { name: /^Ward 4C/ }).uncheck();
    await expect.poll(() => page.getByTestId('downtime-row').count()).toBe(3);

    // Failures over the last 30 days, then one ward.
    await nav(page).getByRole('link', { name: 'Failures', exact: true }).click();
    await page.getByRole('heading', { name: 'Failures', level: 1 }).waitFor();
    await page.getByLabel('From', { exact: true }).fill(dmy(from));
    const headline = page.getByTestId('failures-headline');
    await expect
      .poll(() => headline.textContent())
      .toBe('4 work orders on 4 devices: 1 failure (0.25 per device), 1 no fault found, 2 not yet diagnosed.');
    const byCode = page.getByTestId('failures-by-code');
    expect(await byCode.getByRole('row', { name: /Mechanical \(deleted\) 1/ }).count()).toBe(1);
    expect(await byCode.getByRole('row', { name: /Not yet diagnosed 2/ }).count()).toBe(1);
    expect(
      await page
        .getByTestId('failures-by-model')
        .getByRole('row', { name: /Baxter Sigma 3 3 1 0 2 0.33/ })
        .count(),
    ).toBe(1);
    await expectAccessible(page, 'the failures report');
    await screenshot(page, 'failures-report');
    const summary = await exportCsv(page, 'Export CSV');
    expect(summary.find((r) => r.group === 'category' && r.name === 'Infusion pump')).toMatchObject({
      devices: '3',
      work_orders: '3',
      failures: '1',
      not_diagnosed: '2',
      failures_per_device: '0.33',
    });
    expect(summary.find((r) => r.group === 'failure_code' && r.name === 'Mechanical')).toMatchObject({ deleted: 'yes', work_orders: '1' });
    const orders = await exportCsv(page, 'Export work orders CSV');
    expect(orders.map((r) => [r.asset_tag, r.kind])).toEqual([
      ['IP-3', 'not_diagnosed'],
      ['IP-1', 'failure'],
      ['IP-2', 'not_diagnosed'],
      ['MON-1', 'no_fault_found'],
    ]);
    for (const paper of ['a4', 'letter'] as const) {
      const pdf = await savePdf(page, 'the failures report', 'Failures report', paper);
      expect(pdf.text).toContain('General Hospital · Failures report');
      expect(pdf.text).toContain(`Period: ${dmy(from)} to ${dmy(today)}`);
      expect(pdf.text).toContain(
        '4 work orders reported on 4 devices: 1 failure (0.25 per device), 1 no fault found, 2 not yet diagnosed.',
      );
      expect(pdf.text).toContain('Mechanical (deleted)');
      expect(pdf.rows).toMatch(/Infusion pump 3 3 1 0 2 0\.33/);
      expect(pdf.rows).toMatch(/Not yet diagnosed 2/);
      renderPagePng(pdf.file, 1, path.join(OUT, `failures-${paper}-first`), 60);
      renderPagePng(pdf.file, pdf.pages, path.join(OUT, `failures-${paper}-last`), 60);
    }
    // One ward: its devices and the work orders on them.
    await page.getByRole('checkbox', { name: /^Ward 4C/ }).check();
    await expect
      .poll(() => headline.textContent())
      .toBe('1 work order on 1 device: 0 failures (0.00 per device), 0 no fault found, 1 not yet diagnosed.');
    const ward = await savePdf(page, 'the failures report', 'Failures report', 'a4');
    expect(ward.text).toContain('Locations: General Hospital > Ward 4C');
    expect(ward.text).not.toContain('MON-1');

    expectNoPageProblems(app);
    await app.close();
  });

  it('downtime with no equipment yet: the screen says so and the report cannot be printed as an all-clear', async () => {
    const { app, port } = await launchPrinting(OUT, { dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await nav(page).getByRole('link', { name: 'Downtime', exact: true }).click();
    await page.getByRole('heading', { name: 'Downtime', level: 1 }).waitFor();
    await page.getByText('No equipment yet: nothing to report.').waitFor();
    expect(await page.getByText('No device was out of service in the period.').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Print…' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save as PDF…' }).isDisabled()).toBe(true);
    expect(port.jobs).toHaveLength(0);
    expectNoPageProblems(app);
    await app.close();
  });

  it('failures of a ward with no device: the paper says there is nothing to count, as the screen does, and is saved under the ward’s name', async () => {
    const { app } = await launchPrinting(OUT, { dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await pageValue(page, 'settings.update', { dateFormat: 'dd/MM/yyyy', hospitalName: 'General Hospital' });
    const site = await pageValue(page, 'locations.create', { name: 'General Hospital' });
    const b = await pageValue(page, 'locations.create', { name: 'Ward 4B', parentId: site.id });
    await pageValue(page, 'locations.create', { name: 'Ward 4C', parentId: site.id });
    await pageValue(page, 'equipment.create', { assetTag: 'IP-1', name: 'Infusion pump', locationId: b.id });
    const today = new Date();
    const from = subDays(today, 30);
    await nav(page).getByRole('link', { name: 'Failures', exact: true }).click();
    await page.getByRole('heading', { name: 'Failures', level: 1 }).waitFor();
    await page.getByLabel('From', { exact: true }).fill(dmy(from));
    await page.getByRole('checkbox', { name: /^Ward 4C/ }).check();
    const nothing = 'There is no device in these locations in the period, so there is nothing to count.';
    await page.getByText(nothing).waitFor();
    for (const paper of ['a4', 'letter'] as const) {
      // One page with no table, so no running head: the document's own head says what it is.
      await page.getByLabel('Paper').selectOption(paper);
      await page.getByRole('button', { name: 'Save as PDF…' }).click();
      const saved = page.getByRole('status').filter({ hasText: 'Saved the failures report to ' });
      await saved.waitFor({ timeout: 60_000 });
      const file = (await saved.textContent())!.replace('Saved the failures report to ', '').replace(/\.$/, '');
      await page.getByRole('button', { name: 'Save as PDF…' }).waitFor();
      const pdf = { file, text: pdfPagesText(file).join('\n').replace(/\s+/g, ' ') };
      expect(pdfInfo(file).pages).toBe(1);
      expect(pdf.text).toContain('General Hospital Failures report Period:');
      expect(pdf.text).toContain('Page 1 of 1');
      expect(pdf.text).toContain('Locations: General Hospital > Ward 4C');
      expect(pdf.text).toContain(nothing);
      // No empty tables under their heads, and no "no work order" that reads as an all-clear.
      expect(pdf.text).not.toContain('By manufacturer and model');
      expect(pdf.text).not.toContain('No work order was reported in the period.');
      // Not the name the whole hospital's report is saved under.
      expect(path.basename(pdf.file)).toBe(`failures-${format(from, 'yyyy-MM-dd')}-to-${format(today, 'yyyy-MM-dd')}-ward-4c.pdf`);
    }
    expectNoPageProblems(app);
    await app.close();
  });

  it('downtime and failures say when the figures on screen are the last filter’s, and hold print and export until the new ones come', async () => {
    const app = await seededApp();
    const { page } = app;
    const today = new Date();
    const from = subDays(today, 30);
    const buttons = async (names: string[], disabled: boolean) => {
      for (const name of names) expect(await page.getByRole('button', { name, exact: true }).isDisabled(), name).toBe(disabled);
    };
    const working = page.getByRole('status').filter({ hasText: 'Working out the report for the filter now chosen.' });
    const busy = page.locator('section.report-preview[aria-busy="true"]');

    // The first report, with nothing yet to keep on screen: the period being worked out is said.
    const firstNote = page.getByRole('status').filter({ hasText: 'Working out the report for ' });
    const first = async (screen: string, report: 'reports.downtime' | 'reports.failures', periodFrom: Date, actions: string[]) => {
      const held = holdAnswers(app, report);
      await nav(page).getByRole('link', { name: screen, exact: true }).click();
      await page.getByRole('heading', { name: screen, level: 1 }).waitFor();
      await firstNote.waitFor();
      expect(await firstNote.innerText()).toBe(`Working out the report for ${dmy(periodFrom)} to ${dmy(today)}…`);
      expect(await busy.count()).toBe(1);
      await buttons(actions, true);
      await expectAccessible(page, `the ${screen.toLowerCase()} report's first answer awaited`);
      await screenshot(page, `${screen.toLowerCase()}-first-report`);
      held.release();
      await firstNote.waitFor({ state: 'detached' });
      expect(await busy.count()).toBe(0);
      await buttons(actions, false);
    };

    // Downtime: every ward, then Ward 4C's answer held back (a large hospital's takes a moment).
    await first('Downtime', 'reports.downtime', startOfMonth(today), ['Export CSV', 'Print…', 'Save as PDF…']);
    await page.getByLabel('From', { exact: true }).fill(dmy(from));
    await expect.poll(() => page.getByTestId('downtime-row').count()).toBe(3);
    let held = holdAnswers(app, 'reports.downtime');
    await page.getByRole('checkbox', { name: /^Ward 4C/ }).check();
    await working.waitFor();
    expect(await working.innerText()).toContain(
      `Until it is ready, the figures below are the last report's, for ${dmy(from)} to ${dmy(today)}.`,
    );
    expect(await page.getByTestId('downtime-row').count()).toBe(3);
    expect(await busy.count()).toBe(1);
    await buttons(['Export CSV', 'Print…', 'Save as PDF…'], true);
    await expectAccessible(page, 'the downtime report while a new filter is read');
    await screenshot(page, 'downtime-updating');
    held.release();
    await working.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('downtime-row').count()).toBe(1);
    expect(await page.getByTestId('downtime-row').first().textContent()).toContain('IP-2');
    expect(await busy.count()).toBe(0);
    await buttons(['Export CSV', 'Print…', 'Save as PDF…'], false);

    // Failures: the same, from the last 30 days on every ward to Ward 4C.
    await first('Failures', 'reports.failures', startOfYear(today), ['Export CSV', 'Export work orders CSV', 'Print…', 'Save as PDF…']);
    await page.getByLabel('From', { exact: true }).fill(dmy(from));
    const headline = page.getByTestId('failures-headline');
    const everyWard = '4 work orders on 4 devices: 1 failure (0.25 per device), 1 no fault found, 2 not yet diagnosed.';
    await expect.poll(() => headline.textContent()).toBe(everyWard);
    held = holdAnswers(app, 'reports.failures');
    await page.getByRole('checkbox', { name: /^Ward 4C/ }).check();
    await working.waitFor();
    expect(await working.innerText()).toContain(`the figures below are the last report's, for ${dmy(from)} to ${dmy(today)}.`);
    expect(await headline.textContent()).toBe(everyWard);
    expect(await busy.count()).toBe(1);
    const failureButtons = ['Export CSV', 'Export work orders CSV', 'Print…', 'Save as PDF…'];
    await buttons(failureButtons, true);
    await expectAccessible(page, 'the failures report while a new filter is read');
    await screenshot(page, 'failures-updating');
    held.release();
    await working.waitFor({ state: 'detached' });
    await expect
      .poll(() => headline.textContent())
      .toBe('1 work order on 1 device: 0 failures (0.00 per device), 0 no fault found, 1 not yet diagnosed.');
    expect(await busy.count()).toBe(0);
    await buttons(failureButtons, false);
    expectNoPageProblems(app);
    await app.close();
  });
});
