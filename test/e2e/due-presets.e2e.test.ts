import { afterAll, describe, expect, it } from 'vitest';
import { fixedClock, tempDir } from '../helpers/core';
import { expectAccessible, screenshot } from './axe';
import type { LaunchedApp } from './harness';
import { launchApp, shutdown } from './harness';
import { createFirstAdmin, expectNoPageProblems, holdAnswers, nav, pageValue } from './steps';

afterAll(shutdown);

/**
 * Issue 15: 'Add "Tomorrow" and "Next week" to the due-list builder.' On a fixed day (the back
 * end's clock and the page's alike, Wednesday 4 March 2026), with a device due on each day around
 * the week's end, the preset lists overdue and due work and everything due up to 7 days ahead,
 * no later.
 */
const NOW = '2026-03-04T10:00:00Z';

/** Devices whose yearly inspection falls due on these days (a plan's first due date is its start). */
const DEVICES: [tag: string, due: string][] = [
  ['D-OVERDUE', '2026-02-20'],
  ['D-TODAY', '2026-03-04'],
  ['D-PLUS1', '2026-03-05'],
  ['D-PLUS7', '2026-03-11'],
  ['D-PLUS8', '2026-03-12'],
  ['D-PLUS30', '2026-04-03'],
];

/** The devices above on a ward, signed in as the first administrator, on the fixed day. */
async function aWeekOfWork(): Promise<LaunchedApp> {
  const clock = fixedClock(NOW);
  const app = await launchApp({ dataDir: tempDir(), clock, beforeGoto: ({ context }) => context.clock.setFixedTime(new Date(NOW)) });
  const { page } = app;
  await createFirstAdmin(page);
  await pageValue(page, 'settings.update', { dateFormat: 'dd/MM/yyyy' });
  const site = await pageValue(page, 'locations.create', { name: 'General Hospital' });
  const ward = await pageValue(page, 'locations.create', { name: 'Ward 4B', parentId: site.id });
  for (const [tag, due] of DEVICES) {
    const device = await pageValue(page, 'equipment.create', { assetTag: tag, name: `Monitor ${tag}`, locationId: ward.id });
    // No due window and no grace: "due" is the day itself, so the list's range is plain to see.
    await pageValue(page, 'plans.create', {
      equipmentId: device.id,
      task: 'inspection',
      every: '1y',
      startDate: due,
      windowDays: 0,
      graceDays: 0,
    });
  }
  return app;
}

describe("the due-list builder's quick lists, in Chromium", () => {
  it('"Next week" lists what is overdue or due today and everything due up to 7 days ahead (11/03/2026), not the 8th day; "Tomorrow" is 05/03/2026', async () => {
    const app = await aWeekOfWork();
    const { page } = app;

    await nav(page).getByRole('link', { name: 'Due lists', exact: true }).click();
    await page.getByTestId('due-count').waitFor();
    const quick = page.getByRole('group', { name: 'Quick lists' });
    const tags = () => page.getByTestId('due-preview-row').locator('td:first-child').allInnerTexts();
    // Today (the builder's start): overdue and due.
    expect(await quick.getByRole('button', { name: 'Today' }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(tags).toEqual(['D-OVERDUE', 'D-TODAY']);

    await quick.getByRole('button', { name: 'Next week' }).click();
    expect(await quick.getByRole('button', { name: 'Next week' }).getAttribute('aria-pressed')).toBe('true');
    expect(await quick.getByRole('button', { name: 'Today' }).getAttribute('aria-pressed')).toBe('false');
    await expect.poll(tags).toEqual(['D-OVERDUE', 'D-TODAY', 'D-PLUS1', 'D-PLUS7']);
    const rows = await page.getByTestId('due-preview-row').allInnerTexts();
    expect(rows.find((r) => r.startsWith('D-PLUS7'))).toContain('11/03/2026');
    expect(await page.getByTestId('due-count').textContent()).toBe('4 tasks: 1 overdue, 1 due, 2 scheduled');
    const words = await page.getByRole('list', { name: 'Filter in words' }).innerText();
    expect(words).toContain('Status: overdue, due, scheduled within 7 days');
    expect(words).toContain('As of 04/03/2026');
    // The form says what it did: 'scheduled' ticked, within 7 days, no dates of its own.
    expect(await page.getByRole('checkbox', { name: 'Scheduled within…' }).isChecked()).toBe(true);
    expect(await page.getByLabel('Scheduled within (days)').inputValue()).toBe('7');
    expect(await page.getByLabel('Due from').inputValue()).toBe('');
    expect(await page.getByLabel('As of').inputValue()).toBe('');
    // At 1366 × 768 the three quick lists sit on one line, each label on one line.
    const boxes = await Promise.all(['Today', 'Tomorrow', 'Next week'].map(async (name) => (await quick.getByRole('button', { name }).boundingBox())!));
    expect(new Set(boxes.map((b) => Math.round(b.y))).size, 'quick list buttons on one line').toBe(1);
    expect(new Set(boxes.map((b) => Math.round(b.height))).size, 'no quick list label wraps').toBe(1);
    await screenshot(page, 'due-list-next-week');

    // Tomorrow: the list as of 05/03/2026 (the page's day and the back end's agree).
    expect(await quick.innerText()).toContain('Tomorrow: what is overdue or due on 05/03/2026.');
    await quick.getByRole('button', { name: 'Tomorrow' }).click();
    expect(await page.getByLabel('As of').inputValue()).toBe('05/03/2026');
    await expect.poll(tags).toEqual(['D-OVERDUE', 'D-TODAY', 'D-PLUS1']);
    expect(await page.getByRole('list', { name: 'Filter in words' }).innerText()).toContain('As of 05/03/2026');
    expect(await quick.getByRole('button', { name: 'Tomorrow' }).getAttribute('aria-pressed')).toBe('true');
    expectNoPageProblems(app);
    await app.close();
  });

  it('while the next list is read, the last one stays marked as the last one, and is not printed or exported as the new one', async () => {
    const app = await aWeekOfWork();
    const { page } = app;
    await nav(page).getByRole('link', { name: 'Due lists', exact: true }).click();
    await page.getByTestId('due-count').waitFor();
    const tags = () => page.getByTestId('due-preview-row').locator('td:first-child').allInnerTexts();
    await expect.poll(tags).toEqual(['D-OVERDUE', 'D-TODAY']);

    // At a hospital's size a long list takes a moment: here the next one is held back until released.
    const { release } = holdAnswers(app, 'reports.dueList');
    await page.getByRole('group', { name: 'Quick lists' }).getByRole('button', { name: 'Next week' }).click();
    const reading = page.getByRole('status').filter({ hasText: 'Reading the list for the filter now chosen.' });
    await reading.waitFor();
    expect(await reading.innerText()).toContain('Until it is ready, the list below is the last one, for the filter it names.');
    expect(await tags()).toEqual(['D-OVERDUE', 'D-TODAY']);
    expect(await page.getByRole('list', { name: 'Filter in words' }).innerText()).not.toContain('within 7 days');
    expect(await page.locator('section.report-preview[aria-busy="true"]').count()).toBe(1);
    const buttons = ['Export CSV', 'Export calendar (.ics)', 'Print…', 'Save as PDF…'];
    for (const name of buttons) expect(await page.getByRole('button', { name, exact: true }).isDisabled(), name).toBe(true);
    await expectAccessible(page, 'the due list while the next one is read');
    await screenshot(page, 'due-list-updating');

    release();
    await reading.waitFor({ state: 'detached' });
    await expect.poll(tags).toEqual(['D-OVERDUE', 'D-TODAY', 'D-PLUS1', 'D-PLUS7']);
    expect(await page.locator('section.report-preview[aria-busy="true"]').count()).toBe(0);
    for (const name of buttons) expect(await page.getByRole('button', { name, exact: true }).isDisabled(), name).toBe(false);
    expectNoPageProblems(app);
    await app.close();
  });
});
