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
import { expectNoPageProblems, expectProblem, focused, nav, signIn } from './steps';

afterAll(shutdown);

const headline = (page: Page) => page.getByTestId('today-headline').textContent();

describe('a day on the ward: an inspection checklist with a failed step, overridden with a reason', () => {
  it('proposes Fail from the steps; the override needs a reason (said beside it and in the summary); the record keeps the reason', async () => {
    const dataDir = tempDir();
    const seeded = await seedWard(dataDir);
    {
      const core = openCore({ dataDir });
      const backend = createBackend(core);
      const call = caller(backend, newSession(Date.now()));
      await call('auth.signIn', { name: 'Ada Admin', secret: '2468' });
      await call('settings.update', { dateFormat: 'dd/MM/yyyy' });
      const cats = await call('categories.list', {});
      const pumps = (cats as unknown as { id: string; name: string }[]).find((c) => c.name === 'Infusion pump')!;
      await call('procedures.save', {
        owner: { kind: 'category', categoryId: pumps.id },
        task: 'inspection',
        definition: { kind: 'checklist', steps: [{ text: 'Housing intact' }, { text: 'Door latch closes' }, { text: 'Battery holds 30 min' }] },
      });
      const today = new Date();
      const start = new Date(today.getTime() - 3 * 86_400_000).toISOString().slice(0, 10);
      await call('plans.create', { equipmentId: seeded.pumpId, task: 'inspection', every: '1m', startDate: start });
      core.close();
    }
    const app = await launchApp({ dataDir });
    const { page } = app;
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Tom Tech' }).waitFor();
    await expect.poll(() => headline(page)).toMatch(/: 2 overdue, 1 due$/);

    await page.getByRole('link', { name: 'Log inspection of IP-0042' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: 'Inspection' }).waitFor();
    // The focus starts on the first step's choices.
    const first = await focused(page);
    expect(first.tag).toBe('INPUT');
    // Keyboard: the first step Pass (Space on the focused radio), the next Fail (arrow), the last Pass.
    await page.getByRole('group', { name: 'Housing intact' }).getByLabel('Pass').check();
    await page.getByRole('group', { name: 'Door latch closes' }).getByLabel('Fail').check();
    await page.getByRole('group', { name: 'Battery holds 30 min' }).getByLabel('Pass').check();
    await page.locator('.live-outcome').filter({ hasText: 'Fail' }).waitFor();

    // Override, no reason: refused, said beside the reason and in the summary; nothing saved.
    await page.getByLabel('Override the outcome (a reason is required)').check();
    await page.getByLabel('Your PIN or password').fill('1357');
    await page.getByRole('button', { name: 'Sign and save' }).click();
    await expectProblem(page, 'Say why the outcome is overridden.');
    await expectAccessible(page, 'checklist with a refused override');
    const before = app.backend.core.db.prepare("SELECT count(*) AS n FROM completions").get() as { n: number };
    expect(before.n).toBe(2);

    await page.getByLabel('Reason for the override').fill('Latch replaced on the spot, checked again: closes');
    await page.getByLabel('Your PIN or password').fill('1357');
    await page.getByRole('button', { name: 'Sign and save' }).click();
    const saved = page.getByText(/^Saved: inspection/);
    await saved.waitFor();
    expect(await saved.textContent()).toBe('Saved: inspection, pass, signed by Tom Tech.');
    // Still in service (an inspection passed by override), the override reason in the history.
    expect(await page.getByTestId('do-not-use').count()).toBe(0);
    const record = (await page.getByTestId('history-record').first().textContent()) ?? '';
    expect(record).toContain('Latch replaced on the spot, checked again: closes');
    expect(record).toContain("fail Door latch closes");
    await expectAccessible(page, 'device page after an overridden inspection');

    // Today: one overdue fewer.
    await nav(page).getByRole('link', { name: 'Today', exact: true }).click();
    await expect.poll(() => headline(page)).toMatch(/: 1 overdue, 1 due$/);
    expectNoPageProblems(app);
    await app.close();
  });
});
