import { format, subDays } from 'date-fns';
import type { Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { recordCompletion } from '../../main/core/completions/record';
import { inTransaction } from '../../main/core/dispatcher/transaction';
import { tempDir, testActor } from '../helpers/core';
import { device, plan } from '../integration/plans/fixtures';
import { expectAccessible, screenshot } from './axe';
import type { LaunchedApp } from './harness';
import { launchApp, shutdown } from './harness';
import { createFirstAdmin, expectNoPageProblems, focused, pageValue } from './steps';

/** The stickers screen's own fields, keyboard only, at the harness's 1366 × 768. */

afterAll(shutdown);

const go = (page: Page, route: string) => page.evaluate((r) => (window.location.hash = r), route);

/** Infusion pumps calibrated a minute ago, each on a yearly plan. */
function calibrated(app: LaunchedApp, tags: string[]) {
  const core = app.backend.core;
  const now = new Date();
  for (const [i, tag] of tags.entries()) {
    const id = device(core, tag, { name: `Infusion pump ${i + 1}`, location: 'General Hospital > Ward 1 > Bay 1', risk: 'high' });
    const cal = plan(core, id, 'calibration', '1y', format(subDays(now, 20), 'yyyy-MM-dd'));
    inTransaction(core, (c) =>
      recordCompletion(c, testActor, {
        planId: cal.id,
        performedAt: new Date(now.getTime() - 60_000).toISOString(),
        outcome: 'pass',
        performedByName: 'Grace Hopper',
        source: 'app',
      }),
    );
  }
  app.backend.emit('data.changed', { channel: 'completions.log' });
}

async function stickersScreen(tags: string[]) {
  const app = await launchApp({ dataDir: tempDir() });
  await createFirstAdmin(app.page);
  await pageValue(app.page, 'settings.update', { dateFormat: 'dd/MM/yyyy' });
  calibrated(app, tags);
  await go(app.page, '#/reports/stickers');
  await app.page.getByRole('heading', { level: 1, name: 'Calibration stickers' }).waitFor();
  return app;
}

/** The text of the elements an input's aria-describedby points at (what a screen reader reads after its name). */
async function description(input: Locator): Promise<string> {
  return input.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' '),
  );
}

describe('the stickers screen', () => {
  it('"Labels already used" reads a count as every count field does: "1e1" and "0x8" are refused in words beside it, never read as 10 and 8', async () => {
    const app = await stickersScreen(['IP-0001']);
    const { page } = app;
    const skip = page.getByLabel('Labels already used on the first sheet');
    const help = '0 to 23. Printing starts after them, row by row from the top left.';
    for (const [typed, said] of [
      ['1e1', 'Labels already used is unclear: write 10 in plain digits.'],
      ['0x8', 'Labels already used must be a whole number from 0 to 23.'],
      ['1,000', 'Labels already used is unclear: write 1000 or 1, without a thousands separator.'],
    ] as const) {
      await skip.fill(typed);
      await expect.poll(() => skip.getAttribute('aria-invalid')).toBe('true');
      expect(await description(skip)).toBe(`Error: ${said} ${help}`);
      // Nothing is previewed (nor printed) after 10 or 8 used labels.
      expect(await page.getByTestId('sticker-preview-row').count()).toBe(0);
    }
    await skip.fill('8');
    await expect.poll(() => page.getByTestId('sticker-preview-row').count()).toBe(1);
    expect(await skip.getAttribute('aria-invalid')).toBe('false');
    expectNoPageProblems(app);
    await app.close();
  });

  it('keyboard only: removing a chosen device moves the focus to the next Remove, else the one before, else the tag field, never the page body', async () => {
    const app = await stickersScreen(['IP-0001', 'IP-0002', 'IP-0003']);
    const { page } = app;
    await page.getByLabel('Devices I choose').check();
    const tag = page.getByLabel('Asset tag (type or scan)');
    for (const t of ['IP-0001', 'IP-0002', 'IP-0003']) {
      await tag.fill(t);
      await tag.press('Enter');
      await page.getByRole('button', { name: `Remove ${t}` }).waitFor();
    }
    const removeWithKeyboard = async (t: string) => {
      await page.getByRole('button', { name: `Remove ${t}` }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByRole('button', { name: `Remove ${t}` }).count()).toBe(0);
      return focused(page);
    };
    expect(await removeWithKeyboard('IP-0002')).toMatchObject({ tag: 'BUTTON', text: 'Remove IP-0003' });
    expect(await removeWithKeyboard('IP-0003')).toMatchObject({ tag: 'BUTTON', text: 'Remove IP-0001' });
    await removeWithKeyboard('IP-0001');
    expect(await tag.evaluate((el) => el === document.activeElement)).toBe(true);
    expectNoPageProblems(app);
    await app.close();
  });

  it('an unknown tag is refused beside the tag field, tied to it, and the screen passes axe', async () => {
    const app = await stickersScreen(['IP-0001']);
    const { page } = app;
    await page.getByLabel('Devices I choose').check();
    const tag = page.getByLabel('Asset tag (type or scan)');
    await tag.fill('NO-SUCH-TAG');
    await tag.press('Enter');
    await page.getByText('No device has the tag "NO-SUCH-TAG".').waitFor();
    // A screen reader on the field hears what is wrong with it; the focus stays there for the next tag.
    expect(await tag.getAttribute('aria-invalid')).toBe('true');
    expect(await description(tag)).toBe('Error: No device has the tag "NO-SUCH-TAG".');
    expect(await tag.evaluate((el) => el === document.activeElement)).toBe(true);
    await screenshot(page, 'stickers-unknown-tag');
    await expectAccessible(page, 'stickers screen with an unknown tag');
    // A known tag next: added, and the field is clear of the refusal.
    await tag.fill('IP-0001');
    await tag.press('Enter');
    await page.getByRole('button', { name: 'Remove IP-0001' }).waitFor();
    expect(await tag.getAttribute('aria-invalid')).toBe('false');
    expect(await page.getByText('No device has the tag "NO-SUCH-TAG".').count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });
});
