import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/core';
import { expectAccessible } from './axe';
import { launchApp, shutdown } from './harness';
import { seedWard } from './seed';
import { expectNoPageProblems, focused, signIn } from './steps';

afterAll(shutdown);

describe('a day on the ward: a wrong PIN on a failing calibration', () => {
  it('nothing is saved, the device stays in service, the readings stay, the problem is beside the PIN with the focus there; the right PIN then saves', async () => {
    const dataDir = tempDir();
    const seeded = await seedWard(dataDir);
    const app = await launchApp({ dataDir });
    const { page } = app;
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Tom Tech' }).waitFor();
    await page.evaluate((id) => (window.location.hash = `/log/${id}`), seeded.calibrationPlanId);
    await page.getByRole('heading', { level: 2, name: 'Calibration' }).waitFor();
    await page.getByLabel('Reference standard used').selectOption({ label: 'REF-7 Flow analyser' });
    await page.getByLabel('As found, Flow 10 ml/h (ml/h)').fill('10.1');
    await page.getByLabel('As found, Flow 100 ml/h (ml/h)').fill('99');
    await page.getByLabel('As found, Occlusion pressure (mmHg)').fill('600');
    await page.getByLabel('Your PIN or password').focus();
    await page.keyboard.type('9999', { delay: 120 });
    await page.keyboard.press('Enter');

    const summary = page.getByTestId('error-summary');
    await summary.waitFor();
    const said = (await summary.textContent()) ?? '';
    expect(said).toMatch(/PIN/);
    expect(await page.locator('span.error').filter({ hasText: /PIN/ }).count()).toBeGreaterThan(0);
    expect(await page.getByText(/^Saved:/).count()).toBe(0);
    const f = await focused(page);
    expect.soft(['secret', ''].includes(f.name) && f.tag !== 'BODY', `focus after the refusal: ${JSON.stringify({ ...f, text: f.text.slice(0, 60) })}`).toBe(true);
    expect(await page.getByLabel('As found, Occlusion pressure (mmHg)').inputValue()).toBe('600');
    expect(await page.getByLabel('Your PIN or password').inputValue()).toBe('');
    const status = app.backend.core.db.prepare('SELECT status FROM equipment WHERE id = ?').get(seeded.pumpId) as { status: string };
    expect(status.status).toBe('in_service');
    const n = app.backend.core.db.prepare('SELECT count(*) AS n FROM completions WHERE plan_id = ?').get(seeded.calibrationPlanId) as { n: number };
    expect(n.n).toBe(0);
    await expectAccessible(page, 'calibration form refused for a wrong PIN');

    await page.getByLabel('Your PIN or password').focus();
    await page.keyboard.type('1357', { delay: 120 });
    await page.keyboard.press('Enter');
    await page.getByText(/^Saved: calibration, fail, signed by Tom Tech\./).waitFor();
    expect(await page.getByTestId('error-summary').count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });
});
