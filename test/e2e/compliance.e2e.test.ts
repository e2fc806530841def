import { inTransaction } from '../../main/core/dispatcher/transaction';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { addDays, endOfQuarter, format, startOfQuarter, subQuarters } from 'date-fns';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { currentHead, shortHead } from '../../main/core/anchors/chain';
import { recordCompletion } from '../../main/core/completions/record';
import { formatRate } from '../../shared/domain/report-compliance';
import { printRoute } from '../../renderer/src/lib/print-route';
import { testActor, tempDir } from '../helpers/core';
import { pdfInfo, pdfPagesText, renderPagePng } from '../helpers/pdf';
import { device, plan } from '../integration/plans/fixtures';
import type { LaunchedApp } from './harness';
import { launchPrinting, shutdown } from './harness';
import { expectAccessible, screenshot } from './axe';
import { createFirstAdmin, expectNoPageProblems, holdAnswers, pageValue, nav, aMinuteAgoToday } from './steps';

afterAll(shutdown);

const OUT = path.resolve('test-results/print');
mkdirSync(OUT, { recursive: true });
const iso = (d: Date) => format(d, 'yyyy-MM-dd');

const value = pageValue;

/** Each record entered on the day of the work, as the technicians did (a record entered later is marked late). */
function enteredOn<T>(core: LaunchedApp['backend']['core'], day: Date, write: () => T): T {
  const real = core.clock;
  core.clock = { now: () => new Date(`${iso(day)}T17:00:00Z`) };
  try {
    return write();
  } finally {
    core.clock = real;
  }
}

/**
 * Last quarter on two wards: 30 high-risk devices with a weekly fixed inspection (some weeks late,
 * some missed, some not done because in use) and 10 low-risk scales with a monthly one, all done.
 */
function seed(app: LaunchedApp, quarter: { from: Date; to: Date }): void {
  const core = app.backend.core;
  const start = addDays(quarter.from, -14);
  for (let d = 0; d < 30; d++) {
    const id = device(core, `HR-${String(d + 1).padStart(3, '0')}`, {
      name: 'Ventilator',
      location: `General Hospital > Ward ${d % 2 ? 'A' : 'B'} > Bay ${1 + (d % 3)}`,
      risk: 'high',
    });
    const p = plan(core, id, 'inspection', '1w', iso(start), { mode: 'fixed', windowDays: 0, graceDays: 1 }).id;
    for (let w = 0; w < 16; w++) {
      const due = addDays(start, w * 7);
      if (due > quarter.to) break;
      const k = (d + w) % 11;
      if (k === 3) continue; // missed
      const doneOn = addDays(due, k === 5 ? 3 : 0); // late
      enteredOn(core, doneOn, () =>
        inTransaction(core, (core) => recordCompletion(core, testActor, {
          planId: p,
          performedAt: `${iso(doneOn)}T10:00:00Z`,
          outcome: k === 7 ? 'not_done_in_use' : 'pass',
          source: 'app',
        })),
      );
    }
  }
  for (let d = 0; d < 10; d++) {
    const id = device(core, `LR-${String(d + 1).padStart(3, '0')}`, {
      name: 'Patient scale',
      location: 'General Hospital > Ward A > Bay 1',
      risk: 'low',
    });
    const p = plan(core, id, 'inspection', '1m', iso(startOfQuarter(quarter.from)), { mode: 'fixed' }).id;
    for (let m = 0; m < 3; m++) {
      const due = new Date(quarter.from.getFullYear(), quarter.from.getMonth() + m, 1, 12);
      enteredOn(core, due, () => inTransaction(core, (core) => recordCompletion(core, testActor, { planId: p, performedAt: `${iso(due)}T10:00:00Z`, outcome: 'pass', source: 'app' })));
    }
  }
}

/** A printing app, its first administrator signed in, days written yyyy-MM-dd, and last quarter seeded as above. */
async function lastQuarterOnTwoWards(): Promise<{ app: LaunchedApp; quarter: { from: Date; to: Date } }> {
  const { app } = await launchPrinting(OUT, { dataDir: tempDir() });
  await createFirstAdmin(app.page);
  await value(app.page, 'settings.update', { dateFormat: 'yyyy-MM-dd', hospitalName: 'General Hospital' });
  const last = subQuarters(new Date(), 1);
  const quarter = { from: startOfQuarter(last), to: endOfQuarter(last) };
  seed(app, quarter);
  return { app, quarter };
}

describe('the compliance report, in Chromium', () => {
  it('shows last quarter per task and risk class and the high-risk exceptions, exports CSV and prints them over several pages', async () => {
    const { app, quarter } = await lastQuarterOnTwoWards();
    const { page } = app;
    const params = { from: iso(quarter.from), to: iso(quarter.to) };
    const doc = await value(page, 'reports.compliance', params);
    const high = doc.report.rows.find((r) => r.risk === 'high')!;
    expect(high.missed).toBeGreaterThan(10);
    expect(high.late).toBeGreaterThan(10);
    expect(high.exempt).toBeGreaterThan(10);
    expect(doc.report.rows.find((r) => r.risk === 'low')).toMatchObject({ due: 30, onTime: 30, completionRate: 1 });
    const exceptions = doc.report.highRisk.exceptions.length;
    // Last quarter is over: those still open at its end (within grace) are listed too, with what became of them.
    expect(high.open).toBeGreaterThan(0);
    expect(exceptions).toBe(high.late + high.missed + high.exempt + high.open);

    await nav(page).getByRole('link', { name: 'Compliance', exact: true }).click();
    await page.getByRole('heading', { name: 'Compliance report' }).waitFor();
    expect(await page.getByLabel('From', { exact: true }).inputValue()).toBe(params.from);
    expect(await page.getByLabel('To', { exact: true }).inputValue()).toBe(params.to);
    await expect.poll(() => page.getByTestId('compliance-row').count()).toBe(2);
    expect(await page.getByTestId('high-risk-headline').textContent()).toContain(
      `${formatRate(doc.report.highRisk.summary.completionRate)} on time`,
    );
    expect(await page.getByTestId('exception-row').count()).toBe(exceptions);
    await page.screenshot({ path: path.join(OUT, 'compliance-screen.png') });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export high-risk exceptions CSV' }).click(),
    ]);
    const rows = Papa.parse<Record<string, string>>(readFileSync(await download.path(), 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(rows).toHaveLength(exceptions);
    expect(new Set(rows.map((r) => r.verdict))).toEqual(new Set(['late', 'missed', 'exempt', 'open']));

    await page.getByLabel('Paper').selectOption('letter');
    await page.getByRole('button', { name: 'Save as PDF…' }).click();
    const saved = page.getByRole('status').filter({ hasText: /^Saved the compliance report to / });
    await saved.waitFor();
    const file = (await saved.textContent())!.replace(/^Saved the compliance report to /, '').replace(/\.$/, '');
    const info = pdfInfo(file);
    expect(info).toMatchObject({ widthPt: 612, heightPt: 792 });
    expect(info.pages).toBeGreaterThan(1);
    const pages = pdfPagesText(file);
    pages.forEach((p, i) => {
      expect(p).toContain(`Page ${i + 1} of ${info.pages}`);
      expect(p).toContain('General Hospital · Compliance report');
    });
    const text = pages.join('\n');
    expect((text.match(/\bHR-\d{3}\b/g) ?? []).length).toBe(exceptions);
    expect((text.match(/\bMISSED\b/g) ?? []).length).toBe(high.missed);
    expect(text.replace(/\s+/g, ' ')).toContain(`High-risk equipment: ${formatRate(doc.report.highRisk.summary.completionRate)} on time`);
    // The notes say which days out of service excuse an occurrence, and under which place a device counts (docs/scheduling.md, rule 13).
    expect(text.replace(/\s+/g, ' ')).toContain('due on a day the device was out of service (or missing, or retired) from its start to its end');
    expect(text.replace(/\s+/g, ' ')).toContain('under the place it is in when the report is made: one moved since the period counts under its new place.');
    // The audit head the database ended on when it was printed, to check the trail against later (issue 13, item 3).
    // (pdftotext reads the header's label and value columns in its own order: each is looked for.)
    expect(pages[0]).toContain('Audit head');
    expect(pages[0]).toContain(shortHead(currentHead(app.backend.core.db)!));
    renderPagePng(file, 1, path.join(OUT, 'compliance-first'), 60);
    renderPagePng(file, info.pages, path.join(OUT, 'compliance-last'), 60);

    // The entries column follows the date setting like every other date on the screen.
    const exempt = doc.report.highRisk.exceptions.find((x) => x.verdict === 'exempt')!;
    const inUse = exempt.entries.find((e) => e.outcome === 'not_done_in_use')!.performedOn;
    await value(page, 'settings.update', { dateFormat: 'dd/MM/yyyy' });
    const row = page.getByTestId('exception-row').filter({ hasText: exempt.assetTag }).filter({ hasText: 'Not done: in use' }).first();
    await expect.poll(() => row.textContent()).toContain(`Not done: in use (${inUse.slice(8, 10)}/${inUse.slice(5, 7)}/${inUse.slice(0, 4)})`);
    expect(await row.textContent()).not.toContain(inUse);

    expectNoPageProblems(app);
    await app.close();
  });
});

/** A day as the Settings format of these tests writes it (dd/MM/yyyy). */
const dmy = (d: Date) => format(d, 'dd/MM/yyyy');

/** The compliance report of `params` printed on A4 as the desktop app does, saved as a PDF: its text, and its first page to look at. */
async function printedCompliance(app: LaunchedApp, params: { from: string; to: string }, name: string): Promise<string> {
  const printPage = await app.context.newPage();
  await printPage.goto(`${new URL(app.page.url()).origin}/#${printRoute('compliance', params, 'a4')}`);
  await printPage.waitForSelector('html[data-print-state="ready"]', { state: 'attached' });
  const pdf = path.join(OUT, `${name}.pdf`);
  await printPage.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
  await printPage.close();
  renderPagePng(pdf, 1, path.join(OUT, name), 80);
  return pdfPagesText(pdf).join('\n').replace(/\s+/g, ' ');
}

/** Opens the compliance screen on a period typed in the Settings format. */
async function complianceOn(app: LaunchedApp, from: Date, to: Date): Promise<void> {
  const { page } = app;
  await nav(page).getByRole('link', { name: 'Compliance', exact: true }).click();
  await page.getByRole('heading', { name: 'Compliance report' }).waitFor();
  await page.getByLabel('From', { exact: true }).fill(dmy(from));
  await page.getByLabel('To', { exact: true }).fill(dmy(to));
}

describe('the compliance report of a period not over, screen and printout alike', () => {
  it('gives no all-clear while a high-risk occurrence in the period is not yet due: both say how many, by the day judged on', async () => {
    const { app } = await launchPrinting(OUT, { dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await value(page, 'settings.update', { dateFormat: 'dd/MM/yyyy', hospitalName: 'General Hospital' });
    const core = app.backend.core;
    const today = new Date();
    // Done early (on time) today, entered today.
    const a = device(core, 'HR-0001', { name: 'Ventilator', location: 'General Hospital > Ward 4B > Bay 1', risk: 'high' });
    const pa = plan(core, a, 'calibration', '1y', iso(addDays(today, 3))).id;
    inTransaction(core, (c) =>
      recordCompletion(c, testActor, {
        planId: pa,
        performedAt: aMinuteAgoToday(),
        outcome: 'pass',
        source: 'app',
      }),
    );
    // Due in five days, inside the period, not done yet.
    const b = device(core, 'HR-0002', { name: 'Defibrillator', location: 'General Hospital > Ward 4B > Bay 2', risk: 'high' });
    plan(core, b, 'calibration', '1y', iso(addDays(today, 5)));
    const from = addDays(today, -10);
    const to = addDays(today, 20);
    const params = { from: iso(from), to: iso(to) };
    const doc = await value(page, 'reports.compliance', params);
    expect(doc.report.periodOver).toBe(false);
    expect(doc.report.highRisk.summary).toMatchObject({ due: 1, onTime: 1, open: 1 });
    const words = `Every occurrence of high-risk equipment decided so far was done on time; 1 not yet due by ${dmy(today)}.`;

    await complianceOn(app, from, to);
    const none = page.getByText(words, { exact: true });
    await none.waitFor();
    expect(await page.locator('.all-clear').count()).toBe(0);
    await none.scrollIntoViewIfNeeded();
    await expectAccessible(page, 'the compliance report of a period not over');
    await screenshot(page, 'compliance-not-yet-due');

    const printed = await printedCompliance(app, params, 'compliance-not-yet-due');
    expect(printed).toContain(words);
    expect(printed).not.toContain('was done on time.');
    expect(printed).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expectNoPageProblems(app);
    await app.close();
  });

  it('with plans due in the period but none decided yet: no "add plans first", and no rate yet, with how many are not yet due', async () => {
    const { app } = await launchPrinting(OUT, { dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await value(page, 'settings.update', { dateFormat: 'dd/MM/yyyy', hospitalName: 'General Hospital' });
    const core = app.backend.core;
    const today = new Date();
    const b = device(core, 'HR-0002', { name: 'Defibrillator', location: 'General Hospital > Ward 4B > Bay 2', risk: 'high' });
    plan(core, b, 'calibration', '1y', iso(addDays(today, 5)));
    const from = addDays(today, -10);
    const to = addDays(today, 20);
    const params = { from: iso(from), to: iso(to) };
    const doc = await value(page, 'reports.compliance', params);
    expect(doc.report.total).toMatchObject({ due: 0, open: 1 });
    const note = `Nothing in this period (${dmy(from)} to ${dmy(to)}) has been decided yet, so there is no rate yet: 1 occurrence is not yet due by ${dmy(today)}.`;
    const headline = `High-risk equipment: no rate yet (nothing decided so far; 1 not yet due by ${dmy(today)})`;
    const highRisk = `No occurrence of high-risk equipment has been decided yet; 1 not yet due by ${dmy(today)}.`;

    await complianceOn(app, from, to);
    await page.getByTestId('compliance-row').first().waitFor();
    // The row shows the plan "not yet due": the screen must not tell the supervisor to add plans.
    expect(await page.getByTestId('compliance-empty').count()).toBe(0);
    await expect.poll(() => page.getByTestId('compliance-none-decided').textContent()).toBe(note);
    expect(await page.getByTestId('high-risk-headline').textContent()).toBe(`${headline}.`);
    expect(await page.getByTestId('high-risk-none').textContent()).toBe(highRisk);
    expect(await page.getByText(/nothing was due/i).count()).toBe(0);
    await expectAccessible(page, 'the compliance report with nothing decided yet');
    await screenshot(page, 'compliance-none-decided');

    const printed = await printedCompliance(app, params, 'compliance-none-decided');
    expect(printed).toContain(note);
    expect(printed).toContain(`${headline}, over 1 device.`);
    expect(printed).toContain(highRisk);
    expect(printed).not.toMatch(/nothing was due/i);
    expect(printed).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expectNoPageProblems(app);
    await app.close();
  });
});

describe('the compliance report while a new filter is worked out', () => {
  it('keeps the last report on screen, says whose figures they are, and offers no print or export of it until the new one is ready', async () => {
    const { app, quarter } = await lastQuarterOnTwoWards();
    const { page } = app;
    // The first report after a start, with nothing yet to keep on screen: what is being worked out is said.
    const first = holdAnswers(app, 'reports.compliance');
    await nav(page).getByRole('link', { name: 'Compliance', exact: true }).click();
    await page.getByRole('heading', { name: 'Compliance report' }).waitFor();
    const firstNote = page.getByRole('status').filter({ hasText: 'Working out the report for ' });
    await firstNote.waitFor();
    expect(await firstNote.innerText()).toBe(`Working out the report for ${iso(quarter.from)} to ${iso(quarter.to)}…`);
    expect(await page.locator('section.report-preview[aria-busy="true"]').count()).toBe(1);
    await screenshot(page, 'compliance-first-report');
    first.release();
    const headline = page.getByTestId('high-risk-headline');
    await headline.waitFor();
    expect(await firstNote.count()).toBe(0);
    const quarterHeadline = await headline.innerText();

    // At a hospital's size a year's report takes seconds: here the next one is held back until released.
    const { release } = holdAnswers(app, 'reports.compliance');
    await page.getByRole('button', { name: 'This year' }).click();
    const working = page.getByRole('status').filter({ hasText: 'Working out the report for the filter now chosen.' });
    await working.waitFor();
    expect(await working.innerText()).toContain(
      `Until it is ready, the figures below are the last report's, for ${iso(quarter.from)} to ${iso(quarter.to)}.`,
    );
    expect(await headline.innerText()).toBe(quarterHeadline);
    expect(await page.locator('section.report-preview[aria-busy="true"]').count()).toBe(1);
    for (const name of ['Export CSV', 'Export high-risk exceptions CSV', 'Print…', 'Save as PDF…'])
      expect(await page.getByRole('button', { name, exact: true }).isDisabled(), name).toBe(true);
    await expectAccessible(page, 'the compliance report while a new filter is worked out');
    await screenshot(page, 'compliance-updating');

    release();
    await working.waitFor({ state: 'detached' });
    expect(await page.locator('section.report-preview[aria-busy="true"]').count()).toBe(0);
    const year = await value(page, 'reports.compliance', { from: `${new Date().getFullYear()}-01-01`, to: iso(new Date()) });
    const now = await headline.innerText();
    expect(now).not.toBe(quarterHeadline);
    expect(now).toContain(`${formatRate(year.report.highRisk.summary.completionRate)} on time (${year.report.highRisk.summary.onTime} of `);
    for (const name of ['Export CSV', 'Export high-risk exceptions CSV', 'Print…', 'Save as PDF…'])
      expect(await page.getByRole('button', { name, exact: true }).isDisabled(), name).toBe(false);
    expectNoPageProblems(app);
    await app.close();
  });
});
