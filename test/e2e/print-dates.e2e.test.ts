import { afterAll, describe, expect, it } from 'vitest';
import type { PrintPort } from '../../main/core/ports';
import type { LaunchedApp } from './harness';
import { shutdown } from './harness';
import { signIn } from './steps';
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
