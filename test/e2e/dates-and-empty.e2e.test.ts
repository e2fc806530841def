import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/core';
import { launchApp, shutdown } from './harness';
import { createFirstAdmin, signIn } from './steps';
import { busyWard, launchWard } from './ward';

afterAll(shutdown);

async function textOf(page: Page, route: string): Promise<string> {
  await page.evaluate((r) => (window.location.hash = r), route);
  await page.waitForTimeout(900);
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]')).catch(() => undefined);
  // open every <details> so their text is included
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => ((d as HTMLDetailsElement).open = true)));
  return page.evaluate(() => {
    const inputs = [...document.querySelectorAll('input, textarea')].map((i) => (i as HTMLInputElement).value).join(' | ');
    return `${document.querySelector('main')?.innerText ?? document.body.innerText}\nINPUTS: ${inputs}`;
  });
}

describe('dates everywhere in the setting (dd.MM.yyyy)', () => {
  it('no ISO or slashed dates leak on daily screens', async () => {
    const { app, seeded, call } = await launchWard({ dateFormat: 'dd.MM.yyyy' });
    const { page } = app;
    const { workOrderId, cart } = await busyWard(app, seeded, call, { expiringLot: true });
    await page.reload();
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    const routes = [
      '/',
      `/equipment/${seeded.pumpId}`,
      `/equipment/${seeded.analyserId}`,
      '/equipment',
      '/work-orders',
      `/work-orders/${workOrderId}`,
      '/stock',
      `/stock/locations/${cart}`,
      '/stock/reorder',
      '/stock/expiry',
      '/reports/due-list',
      '/reports/compliance',
      '/reports/downtime',
      '/reports/failures',
      '/reports/stickers',
      `/log/${seeded.calibrationPlanId}`,
      `/log/${seeded.cleaningPlanId}`,
      '/users',
      '/backups',
      '/locations',
      '/categories',
    ];
    const leaks: string[] = [];
    for (const r of routes) {
      const t = await textOf(page, r);
      const bad = t.match(/\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\/\d{1,2}\/\d{2,4}\b|\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}\b|\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{1,2},? \d{4}\b/g);
      if (bad) leaks.push(`${r}: ${[...new Set(bad)].join(', ')}`);
    }
    expect(leaks).toEqual([]);
    await app.close();
  });
});

describe('an empty database: no green all-clear', () => {
  it('repairs, stock lists, downtime and failures on an empty database say nothing is there, not a green all-done', async () => {
    const app = await launchApp({ dataDir: tempDir(), viewport: { width: 1366, height: 768 } });
    const { page } = app;
    await createFirstAdmin(page);
    const found: string[] = [];
    for (const r of ['/', '/work-orders', '/stock', '/stock/reorder', '/stock/expiry', '/reports/downtime', '/reports/failures', '/reports/compliance', '/reports/due-list']) {
      await page.evaluate((x) => (window.location.hash = x), r);
      await page.waitForTimeout(1000);
      const green = await page.locator('.all-clear').allInnerTexts();
      for (const g of green) found.push(`${r}: ${g}`);
    }
    expect(found).toEqual([]);
    await app.close();
  });
});
