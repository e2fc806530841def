import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../main/core/backend';
import { openCore } from '../../main/core/open-core';
import { newSession } from '../../main/core/session';
import { caller } from '../helpers/invoke';
import { tempDir } from '../helpers/core';
import { expectAccessible } from './axe';
import { launchApp, shutdown } from './harness';
import { seedWard } from './seed';
import { focused, nav, pageInvoke, scanKeys } from './steps';

afterAll(shutdown);

const go = (page: Page, route: string) => page.evaluate((r) => (window.location.hash = r), route);

async function signInByKeys(page: Page, name: string, pin: string) {
  await page.getByLabel('Or type your name').waitFor();
  await page.getByLabel('Or type your name').fill('');
  await page.getByLabel('Or type your name').focus();
  await page.keyboard.type(name, { delay: 120 });
  await page.keyboard.press('Tab');
  await page.keyboard.type(pin, { delay: 120 });
  await page.keyboard.press('Enter');
  await page.getByTestId('signed-in-user').filter({ hasText: name }).waitFor();
}

describe('a day on the ward: switching user mid-form, and a nurse on the ward PC', () => {
  it('Ctrl+L mid-calibration keeps the readings for the same person; a nurse who signs in instead gets Today, and may only look and report', async () => {
    const dataDir = tempDir();
    const seeded = await seedWard(dataDir);
    {
      const core = openCore({ dataDir });
      const backend = createBackend(core);
      const call = caller(backend, newSession(Date.now()));
      await call('auth.signIn', { name: 'Ada Admin', secret: '2468' });
      await call('users.create', { name: 'Nina Nurse', role: 'ward_staff', temporaryPin: '2580' });
      const s = newSession(Date.now());
      await caller(backend, s)('auth.signIn', { name: 'Nina Nurse', secret: '2580' });
      await caller(backend, s)('auth.setOwnPin', { currentSecret: '2580', newPin: '4826' });
      core.close();
    }
    const app = await launchApp({ dataDir });
    const { page } = app;
    await signInByKeys(page, 'Tom Tech', '1357');

    // Tom opens the calibration from a scan and types two readings.
    await scanKeys(page, 'IP-0042');
    await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor();
    await expect.poll(async () => (await focused(page)).text).toBe('Log work');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: 'Calibration' }).waitFor();
    await page.getByLabel('Reference standard used').selectOption({ label: 'REF-7 Flow analyser' });
    await page.getByLabel('As found, Flow 10 ml/h (ml/h)').focus();
    await page.keyboard.type('10.2', { delay: 60 });
    await page.keyboard.press('Tab'); // the row's "adjusted" box
    await page.keyboard.press('Tab'); // the next point's as-found
    await page.keyboard.type('101', { delay: 60 });
    const where = await focused(page);
    // A call away: Ctrl+L.
    await page.keyboard.press('Control+l');
    await page.getByRole('heading', { name: 'Screen locked' }).waitFor();
    expect((await focused(page)).name).toBe('secret');
    await expectAccessible(page, 'lock screen over a half-filled form');
    // Tom, back: his PIN, and the form as he left it, the focus where it was.
    await page.keyboard.type('1357', { delay: 120 });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Screen locked' }).waitFor({ state: 'detached' });
    expect(await page.getByLabel('As found, Flow 10 ml/h (ml/h)').inputValue()).toBe('10.2');
    expect(await page.getByLabel('As found, Flow 100 ml/h (ml/h)').inputValue()).toBe('101');
    expect(await page.getByLabel('Reference standard used').inputValue()).toBe(seeded.analyserId);
    await expect.poll(async () => (await focused(page)).name).toBe(where.name);

    // Ctrl+L again; this time Nina Nurse comes to the PC.
    await page.keyboard.press('Control+l');
    await page.getByRole('heading', { name: 'Screen locked' }).waitFor();
    await signInByKeys(page, 'Nina Nurse', '4826');
    await page.getByRole('heading', { name: 'Today', exact: true }).waitFor();
    // Nothing of Tom's form is on screen or in the page.
    expect(await page.getByLabel('As found, Flow 10 ml/h (ml/h)').count()).toBe(0);
    expect(await nav(page).getByRole('link').allTextContents()).toEqual(['Today']);
    await expect.poll(() => page.getByTestId('today-headline').textContent()).toMatch(/1 overdue, 1 due$/);
    // Nina logs nothing: no Log links on Today.
    expect(await page.getByRole('link', { name: /^Log / }).count()).toBe(0);
    await expectAccessible(page, "Today for ward staff");

    // She scans the pump: its page, the focus on Report a fault, no Log work, no history printing.
    await scanKeys(page, 'IP-0042');
    await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor();
    await expect.poll(async () => (await focused(page)).text).toBe('Report a fault…');
    expect(await page.getByRole('link', { name: 'Log work' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Correct this record' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Change status…' }).count()).toBe(0);
    await expectAccessible(page, 'device page for ward staff');

    // What she may not: the record form by its address, the stickers, the equipment list; and the channels themselves.
    for (const [route, what] of [
      [`/log/${seeded.calibrationPlanId}`, 'the record form'],
      ['/reports/stickers', 'stickers'],
      ['/equipment', 'the equipment list'],
      ['/reports/due-list', 'due lists'],
    ] as const) {
      await go(page, route);
      await page.getByText('Your role (Ward staff) does not open this screen.').waitFor();
      expect(await page.getByRole('button', { name: /Sign and save|Print/ }).count(), what).toBe(0);
      // The refusal is a screen of its own: axe-clean, with a heading that names it (and the window's title).
      if (what === 'the record form') {
        let axe: unknown = null;
        await expectAccessible(page, `refused ${what}`).catch((e: unknown) => (axe = e));
        expect.soft(axe, 'axe on the refused screen').toBeNull();
      }
    }
    const logged = await pageInvoke(page, 'completions.log', {
      planId: seeded.cleaningPlanId,
      performedAt: new Date().toISOString(),
      result: { kind: 'cleaning', method: 'Wipe with disinfectant', agent: '70% isopropyl alcohol', outcome: 'pass' },
      secret: '4826',
    });
    expect(logged.ok).toBe(false);
    const status = await pageInvoke(page, 'equipment.setStatus' as never, { id: seeded.pumpId, status: 'retired', reason: 'x', secret: '4826' } as never);
    expect((status as { ok: boolean }).ok).toBe(false);
    const count = app.backend.core.db.prepare('SELECT count(*) AS n FROM completions').get() as { n: number };
    expect(count.n).toBe(2); // the analyser's and last week's cleaning

    // Back to Today with the keyboard alone from a refused screen: the navigation's one link.
    await nav(page).getByRole('link', { name: 'Today', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Today', exact: true }).waitFor();
    expect(await page.getByText('does not open this screen').count()).toBe(0);

    app.problems.length = 0; // the refused calls above are expected
    await app.close();
  });
});
