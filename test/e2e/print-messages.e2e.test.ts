import { afterAll, describe, expect, it } from 'vitest';
import { newSession } from '../../main/core/session';
import { tempDir } from '../helpers/core';
import { launchPrinting, shutdown } from './harness';
import { caller, seedWard } from './seed';
import { expectNoPageProblems, nav, signIn } from './steps';

afterAll(shutdown);

async function printingWard() {
  const dataDir = tempDir();
  const seeded = await seedWard(dataDir);
  const { app, port } = await launchPrinting(tempDir(), { dataDir, viewport: { width: 1366, height: 768 } });
  const admin = newSession(Date.now());
  await caller(app.backend, admin)('auth.signIn', { name: 'Ada Admin', secret: '2468' });
  await caller(app.backend, admin)('settings.update', { dateFormat: 'dd/MM/yyyy' });
  return { app, port, seeded };
}

describe('print messages belong to what was printed', () => {
  it('the "Sent the history of IP-0042" message does not follow the technician to the next device', async () => {
    const { app, port, seeded } = await printingWard();
    const { page } = app;
    await signIn(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').waitFor();
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), seeded.pumpId);
    await page.getByRole('heading', { level: 1, name: /Infusion pump/ }).waitFor();
    await page.getByRole('button', { name: 'Print history…' }).click();
    await page.getByText('Sent the history of IP-0042 to the printer.').waitFor();
    expect(port.jobs).toHaveLength(1);
    await page.evaluate((id) => (window.location.hash = `#/equipment/${id}`), seeded.analyserId);
    await page.getByRole('heading', { level: 1, name: /Flow analyser/ }).waitFor();
    await page.waitForTimeout(500);
    expect(await page.getByText('Sent the history of IP-0042 to the printer.').count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });

  it('the due list: "Sent the due list to the printer." goes once the filter is changed', async () => {
    const { app, port } = await printingWard();
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    await nav(page).getByRole('link', { name: 'Due lists', exact: true }).click();
    await page.getByTestId('due-count').waitFor();
    await page.getByRole('button', { name: 'Print…' }).click();
    await page.getByText('Sent the due list to the printer.').waitFor();
    expect(port.jobs).toHaveLength(1);
    await page.getByRole('button', { name: 'Tomorrow' }).click();
    await page.waitForTimeout(800);
    expect(await page.getByText('Sent the due list to the printer.').count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });
});
