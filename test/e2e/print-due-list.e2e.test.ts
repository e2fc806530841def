import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { addDays, format } from 'date-fns';
import ICAL from 'ical.js';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import type { Paper } from '../../shared/domain/report';
import type { DueListParamsInput } from '../../shared/domain/report-due';
import { printRoute } from '../../renderer/src/lib/print-route';
import { inTransaction } from '../../main/core/dispatcher/transaction';
import { recordCompletion } from '../../main/core/completions/record';
import { setEquipmentStatus } from '../../main/core/equipment/service';
import { tempDir, testActor } from '../helpers/core';
import { pdfInfo, pdfPagesText, renderPagePng } from '../helpers/pdf';
import { device, plan } from '../integration/plans/fixtures';
import type { LaunchedApp } from './harness';
import { launchApp, launchPrinting, shutdown } from './harness';
import { expectAccessible, screenshot } from './axe';
import { createFirstAdmin, expectNoPageProblems, pageInvoke, pageValue, nav, aMinuteAgoToday } from './steps';

afterAll(shutdown);

const OUT = path.resolve('test-results/print');
mkdirSync(OUT, { recursive: true });
const iso = (d: Date) => format(d, 'yyyy-MM-dd');

const value = pageValue;

const WARDS = ['Ward 4A', 'Ward 4B', 'Ward 4C'];
const KINDS = [
  ['IP', 'Infusion pump', 'calibration', '1y'],
  ['DF', 'Defibrillator', 'electrical_safety', '1y'],
  ['MO', 'Patient monitor, bedside, with a long description that wraps onto a second line of the printed list', 'inspection', '6m'],
  ['SU', 'Suction unit', 'cleaning', '1w'],
  ['SC', 'Patient scale', 'inspection', '1y'],
] as const;

/**
 * 300 plans on three wards (100 each, over five bays), overdue, due and scheduled within 20 days;
 * and what must stay off the list: a ward not chosen, a device out of service.
 */
function seed(app: LaunchedApp): string[] {
  const core = app.backend.core;
  const today = new Date();
  const tags: string[] = [];
  for (let i = 0; i < 300; i++) {
    const [prefix, name, task, every] = KINDS[i % KINDS.length]!;
    const ward = WARDS[i % 3]!;
    const bay = `Bay ${1 + (Math.floor(i / 3) % 5)}`;
    const tag = `${prefix}-${String(i + 1).padStart(4, '0')}`;
    const id = device(core, tag, { name, location: `General Hospital > ${ward} > ${bay}`, risk: i % 4 === 0 ? 'high' : 'medium' });
    // Every third overdue (1 to 40 days), then due within the window, then scheduled up to 20 days out.
    const offset = i % 3 === 0 ? -1 - (i % 40) : i % 3 === 1 ? 0 : 1 + (i % 20);
    plan(core, id, task, every, iso(addDays(today, offset)), { windowDays: 0 });
    tags.push(tag);
  }
  const elsewhere = device(core, 'XX-0001', { location: 'General Hospital > Ward 9 > Bay 1' });
  plan(core, elsewhere, 'calibration', '1y', iso(addDays(today, -3)));
  const broken = device(core, 'XX-0002', { location: 'General Hospital > Ward 4A > Bay 1', status: 'out_of_service' });
  plan(core, broken, 'calibration', '1y', iso(addDays(today, -3)));
  return tags;
}

/** Checks a printed due list: pages, the head of the table on every page, page numbers, each tag once. */
function checkPdf(file: string, tags: readonly string[], paper: Paper): { pages: number } {
  const info = pdfInfo(file);
  if (paper === 'a4') {
    expect(info.widthPt).toBeCloseTo(595.3, 0);
    expect(info.heightPt).toBeCloseTo(841.9, 0);
  } else {
    expect(info.widthPt).toBeCloseTo(612, 0);
    expect(info.heightPt).toBeCloseTo(792, 0);
  }
  expect(info.title).toMatch(/^Due list - General Hospital NHS Trust$/);
  const pages = pdfPagesText(file);
  expect(pages).toHaveLength(info.pages);
  expect(info.pages).toBeGreaterThan(4);
  pages.forEach((text, i) => {
    expect(text, `page ${i + 1}`).toContain(`Page ${i + 1} of ${info.pages}`);
    // The running title and the column heads repeat on every page.
    expect(text, `page ${i + 1}`).toContain('General Hospital NHS Trust · Due list · as of');
    const flat = text.replace(/\s+/g, ' ');
    for (const head of ['Tag', 'Device', 'Room', 'Task', 'Due date', 'Days overdue', 'Done', 'Done by', 'Date'])
      expect(flat, `page ${i + 1}`).toContain(head);
  });
  // Nothing cut or doubled: every tag exactly once in the whole document, and nothing else.
  const all = pages.join('\n');
  const found = all.match(/\b[A-Z]{2}-\d{4}\b/g) ?? [];
  expect([...found].sort()).toEqual([...tags].sort());
  expect(all).not.toContain('XX-0001');
  expect(all).not.toContain('XX-0002');
  // The header of the first page: the site, the filter in words, who printed it.
  const first = pages[0]!.replace(/\s+/g, ' ');
  expect(first).toContain('Locations: General Hospital > Ward 4A, General Hospital > Ward 4B, General Hospital > Ward 4C');
  expect(first).toContain('Status: overdue, due, scheduled within 30 days');
  expect(first).toContain('Printed by Ada Admin');
  expect(first).toContain('300 tasks: 100 overdue, 100 due, 100 scheduled.');
  // Overdue rows say so in words (a black-and-white printer shows no red).
  expect((all.match(/\bOVERDUE\b/g) ?? []).length).toBe(100);
  // Each row starts whole on its page: its tag, room, task and due date on one printed line.
  const layout = pdfPagesText(file, { layout: true });
  let rowLines = 0;
  for (const text of layout) {
    for (const line of text.split('\n')) {
      if (!/\b[A-Z]{2}-\d{4}\b/.test(line)) continue;
      expect(line).toMatch(/\b[A-Z]{2}-\d{4}\b.+Bay \d.+(Calibration|Electrical|Inspection|Cleaning).+\d{4}-\d{2}-\d{2}/);
      rowLines += 1;
    }
    // Every page names the ward of the rows on it (the running head of its table).
    expect(text).toMatch(/General Hospital NHS Trust · Due list · as of \d{4}-\d{2}-\d{2} · General Hospital > Ward 4[ABC]/);
  }
  expect(rowLines).toBe(tags.length);
  return { pages: info.pages };
}

describe('the due list: builder, print view and exports, in Chromium', () => {
  it('builds the list on screen, exports CSV and iCalendar, and saves 300 rows as a PDF (A4 and Letter) with the head on every page', async () => {
    const { app, port } = await launchPrinting(OUT, { dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await value(page, 'settings.update', { dateFormat: 'yyyy-MM-dd', hospitalName: 'General Hospital NHS Trust' });
    const tags = seed(app);

    // The builder: three wards ticked, scheduled within 30 days added.
    await nav(page).getByRole('link', { name: 'Due lists', exact: true }).click();
    await page.getByRole('heading', { name: 'Due lists' }).waitFor();
    const filter = page.getByRole('form', { name: 'Due list filter' });
    for (const ward of WARDS) await filter.getByRole('checkbox', { name: new RegExp(`^${ward}\\b`) }).check();
    await filter.getByRole('checkbox', { name: 'Scheduled within…' }).check();
    // "Scheduled" with no number of days would list no scheduled plan: refused beside the field.
    await filter.getByLabel('Scheduled within (days)').fill('');
    await filter.getByText(/^Scheduled within needs a number of days from 1 to 3660/).waitFor();
    await filter.getByLabel('Scheduled within (days)').fill('30');
    await expect.poll(() => page.getByTestId('due-count').textContent()).toBe('300 tasks: 100 overdue, 100 due, 100 scheduled');
    expect(await page.getByRole('list', { name: 'Filter in words' }).textContent()).toContain(
      'Status: overdue, due, scheduled within 30 days',
    );
    // Walk order: ward, then bay, then due date.
    const firstRows = await page.getByTestId('due-preview-row').locator('td:nth-child(3)').allTextContents();
    expect(firstRows.slice(0, 3)).toEqual([
      'General Hospital > Ward 4A > Bay 1',
      'General Hospital > Ward 4A > Bay 1',
      'General Hospital > Ward 4A > Bay 1',
    ]);
    await page.locator('main').evaluate((el) => el.scrollTo(0, 0));
    await page.screenshot({ path: path.join(OUT, 'due-list-builder.png') });

    // CSV: the columns of `wardkeep due --format csv`, every row.
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    // Named by the wards ticked: not the name the whole hospital's list is saved under.
    expect(csvDownload.suggestedFilename()).toMatch(/^due-list-\d{4}-\d{2}-\d{2}-ward-4a-ward-4b-ward-4c\.csv$/);
    const bytes = readFileSync(await csvDownload.path());
    // UTF-8 with a byte order mark, so Excel on Windows opens its accents as written.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = Papa.parse<Record<string, string>>(bytes.toString('utf8'), { header: true, skipEmptyLines: true });
    expect(csv.meta.fields).toEqual([
      'asset_tag',
      'name',
      'location',
      'task',
      'due_date',
      'status',
      'days_overdue',
      'do_not_use',
      'risk',
      'ward',
      'room',
      'plan_id',
    ]);
    expect(csv.data.map((r) => r.asset_tag).sort()).toEqual([...tags].sort());
    expect(csv.data.filter((r) => r.status === 'overdue')).toHaveLength(100);

    // iCalendar: one all-day event per row, parsed back with ical.js.
    const [icsDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export calendar (.ics)' }).click(),
    ]);
    expect(icsDownload.suggestedFilename()).toMatch(/\.ics$/);
    const cal = new ICAL.Component(ICAL.parse(readFileSync(await icsDownload.path(), 'utf8')));
    const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events).toHaveLength(300);
    expect(events.every((e) => e.startDate.isDate && e.endDate.isDate)).toBe(true);
    expect(events.filter((e) => e.summary.startsWith('DO NOT USE: Overdue ')).length).toBeGreaterThan(0);

    // Save as PDF, A4: through print.document, its job token and the print route in a new page.
    await page.getByLabel('Paper').selectOption('a4');
    await page.getByRole('button', { name: 'Save as PDF…' }).click();
    const saved = page.getByRole('status').filter({ hasText: /^Saved the due list to / });
    await saved.waitFor();
    const a4 = (await saved.textContent())!.replace(/^Saved the due list to /, '').replace(/\.$/, '');
    expect(port.jobs.at(-1)).toMatchObject({
      action: 'pdf',
      pageSize: { paper: 'a4' },
      route: expect.stringMatching(/^\/print\/due-list\?job=[0-9a-f-]{36}&paper=a4$/),
    });
    const a4Pages = checkPdf(a4, tags, 'a4').pages;
    renderPagePng(a4, 1, path.join(OUT, 'due-list-a4-first'));
    renderPagePng(a4, a4Pages, path.join(OUT, 'due-list-a4-last'));

    // The job's token is dead once the job is over.
    const token = /job=([0-9a-f-]{36})/.exec(port.jobs.at(-1)!.route)![1]!;
    expect(await pageInvoke(page, 'print.job', { token })).toMatchObject({ ok: false, error: { code: 'not_found' } });

    // Letter: the print route opened directly with the builder's parameters (a browser, no job).
    const params: DueListParamsInput = {
      statuses: ['overdue', 'due', 'scheduled'],
      withinDays: 30,
      locationIds: (await value(page, 'locations.list', {}))
        .filter((l) => WARDS.some((w) => l.path === `General Hospital > ${w}`))
        .map((l) => l.id),
    };
    const letterPage = await app.context.newPage();
    await letterPage.goto(`${new URL(page.url()).origin}/#${printRoute('due-list', params, 'letter')}`);
    await letterPage.waitForSelector('html[data-print-state="ready"]', { state: 'attached' });
    const letter = path.join(OUT, 'due-list-letter.pdf');
    await letterPage.pdf({ path: letter, preferCSSPageSize: true, printBackground: true });
    const letterPages = checkPdf(letter, tags, 'letter').pages;
    renderPagePng(letter, 1, path.join(OUT, 'due-list-letter-first'));
    renderPagePng(letter, letterPages, path.join(OUT, 'due-list-letter-last'));
    await letterPage.close();

    expectNoPageProblems(app);
    await app.close();
  });

  it('says plainly that printing needs the desktop app when there is no print port, and keeps the print view for signed-in users only', async () => {
    const app = await launchApp({ dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await nav(page).getByRole('link', { name: 'Due lists', exact: true }).click();
    await page.getByRole('heading', { name: 'Due lists' }).waitFor();
    await expect.poll(() => page.getByTestId('due-count').textContent()).toBe('0 tasks: 0 overdue, 0 due');
    await page.getByRole('button', { name: 'Print…' }).click();
    await page.getByRole('alert').filter({ hasText: 'Printing and saving as PDF need the Wardkeep desktop app.' }).waitFor();

    // Signed out, the print route builds nothing: it says why (and the hidden window would be told so).
    await value(page, 'auth.signOut', {});
    await page.goto(`${new URL(page.url()).origin}/#${printRoute('due-list', {}, 'a4')}`);
    await page.waitForSelector('html[data-print-state="failed"]', { state: 'attached' });
    expect(await page.title()).toBe('Print failed: Sign in first.');
    // A made-up job token gets nothing either.
    await page.goto(`${new URL(page.url()).origin}/#/print/due-list?job=0190c0de-0000-7000-8000-000000000000&paper=a4`);
    await expect.poll(() => page.title()).toBe('Print failed: This print job has finished or does not exist.');
    app.problems.length = 0; // the failed calls above are expected
    await app.close();
  });
});

describe('the due list preview holds the devices not to use, as the printout does', () => {
  it('names first the devices a failed test took out of service, and with the box ticked every device out of service last, in the words of the paper', async () => {
    const { app } = await launchPrinting(OUT, { dataDir: tempDir() });
    const { page } = app;
    await createFirstAdmin(page);
    await value(page, 'settings.update', { dateFormat: 'dd/MM/yyyy', hospitalName: 'General Hospital' });
    const core = app.backend.core;
    const today = new Date();
    const pump = device(core, 'IP-0001', { name: 'Infusion pump', location: 'General Hospital > Ward 4B > Bay 1' });
    plan(core, pump, 'inspection', '1y', iso(today));
    // The defibrillator failed its electrical safety test a minute ago: tagged out, off the tasks.
    const defib = device(core, 'DF-0002', { name: 'Defibrillator', location: 'General Hospital > Ward 4B > Bay 2', risk: 'high' });
    const safety = plan(core, defib, 'electrical_safety', '1y', iso(today)).id;
    inTransaction(core, (c) =>
      recordCompletion(c, testActor, {
        planId: safety,
        performedAt: aMinuteAgoToday(),
        outcome: 'fail',
        source: 'app',
      }),
    );
    // A suction unit a person took out of service, the reason naming a day.
    const suction = device(core, 'SU-0003', { name: 'Suction unit', location: 'General Hospital > Ward 4B > Bay 3' });
    inTransaction(core, (c) =>
      setEquipmentStatus(c, testActor, { id: suction, status: 'out_of_service', reason: 'Cracked casing, seen on 2025-11-20.' }),
    );
    const doc = await value(page, 'reports.dueList', { statuses: ['overdue', 'due'] });
    expect(doc.taggedOut.map((d) => d.assetTag)).toEqual(['DF-0002']);

    await nav(page).getByRole('link', { name: 'Due lists', exact: true }).click();
    await page.getByRole('heading', { name: 'Due lists' }).waitFor();
    await page.getByTestId('due-preview-row').first().waitFor();
    const list = page.getByRole('region', { name: 'The list' });
    const flat = async () => ((await list.textContent()) ?? '').replace(/\s+/g, ' ');
    // The printout's order: the tagged-out devices, then the tasks.
    expect(await list.getByRole('heading').allTextContents()).toEqual([
      'The list',
      'Out of service after a failed test: DO NOT USE',
      'Tasks',
    ]);
    expect(await page.getByTestId('due-tagged-out-count').textContent()).toBe('1 device out of service after a failed test: DO NOT USE.');
    const taggedOut = list.getByRole('table', { name: 'Out of service after a failed test: DO NOT USE' });
    expect(await taggedOut.getByRole('columnheader').allTextContents()).toEqual(['Tag', 'Device', 'Location', 'Failed']);
    expect((await taggedOut.getByRole('row').nth(1).textContent())!.replace(/\s+/g, ' ')).toBe(
      'DF-0002Defibrillator DO NOT USEGeneral Hospital > Ward 4B > Bay 2Electrical safety test',
    );
    expect((await list.getByRole('table', { name: 'Tasks' }).getByTestId('due-preview-row').allTextContents()).join(' ')).toContain(
      'IP-0001',
    );
    expect(await page.getByTestId('due-preview-out-of-service').count()).toBe(0);
    await expectAccessible(page, 'the due list preview with a device tagged out');
    await screenshot(page, 'due-list-preview-tagged-out');

    const printed = async (params: DueListParamsInput, name: string) => {
      const printPage = await app.context.newPage();
      await printPage.goto(`${new URL(page.url()).origin}/#${printRoute('due-list', params, 'a4')}`);
      await printPage.waitForSelector('html[data-print-state="ready"]', { state: 'attached' });
      const pdf = path.join(OUT, `${name}.pdf`);
      await printPage.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
      await printPage.close();
      renderPagePng(pdf, 1, path.join(OUT, name), 80);
      return pdfPagesText(pdf).join('\n').replace(/\s+/g, ' ');
    };
    const paper = await printed({ statuses: ['overdue', 'due'] }, 'due-list-tagged-out-first');
    expect(paper).toContain('1 device out of service after a failed test: DO NOT USE.');
    expect(paper.indexOf('Out of service after a failed test: DO NOT USE')).toBeLessThan(paper.indexOf('DF-0002'));
    expect(paper.indexOf('DF-0002')).toBeLessThan(paper.indexOf('IP-0001'));

    // Ticked: every device out of service, last, the tagged-out one among them (not named twice).
    await page.getByRole('checkbox', { name: /Out of service: do not use/ }).check();
    const out = list.getByRole('table', { name: 'Out of service: do not use' });
    await out.waitFor();
    expect(await list.getByRole('heading').allTextContents()).toEqual(['The list', 'Tasks', 'Out of service: do not use']);
    expect(await page.getByTestId('due-tagged-out-count').count()).toBe(0);
    expect(await out.getByRole('columnheader').allTextContents()).toEqual(['Tag', 'Device', 'Where', 'Why', 'Repair']);
    const outRows = (await out.getByTestId('due-preview-out-of-service-row').allTextContents()).map((r) => r.replace(/\s+/g, ' '));
    expect(outRows).toHaveLength(2);
    expect(outRows[0]).toMatch(/^DF-0002Defibrillator DO NOT USEGeneral Hospital > Ward 4B > Bay 2.*WO-0001: reported, open /);
    expect(outRows[1]).toBe('SU-0003Suction unit DO NOT USEGeneral Hospital > Ward 4B > Bay 3Cracked casing, seen on 20/11/2025.—');
    // Every day in the Settings format.
    expect(await flat()).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    await out.scrollIntoViewIfNeeded();
    await expectAccessible(page, 'the due list preview with the out-of-service section');
    await screenshot(page, 'due-list-preview-out-of-service');

    const withOut = await printed({ statuses: ['overdue', 'due'], outOfService: true }, 'due-list-out-of-service-last');
    expect(withOut).not.toContain('Out of service after a failed test');
    expect(withOut.indexOf('IP-0001')).toBeLessThan(withOut.indexOf('SU-0003'));
    expect(withOut).toContain('Cracked casing, seen on 20/11/2025.');
    expect(withOut).toContain('WO-0001: reported, open ');
    expectNoPageProblems(app);
    await app.close();
  });
});
