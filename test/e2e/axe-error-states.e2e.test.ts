import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from './harness';
import { signIn } from './steps';
import { busyWard, launchWard } from './ward';

afterAll(shutdown);
const AXE_SOURCE = readFileSync(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');

async function axe(page: Page): Promise<string[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const a = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: { id: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const r = await a.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' ; ')}`);
  });
}

describe('axe-core on daily screens, with their errors showing', () => {
  it('no violations', async () => {
    const { app, seeded, call } = await launchWard();
    const { page } = app;
    const { workOrderId, cart } = await busyWard(app, seeded, call);
    await page.reload();
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').waitFor();
    const all: string[] = [];
    const check = async (what: string) => {
      await page.waitForTimeout(300);
      for (const v of await axe(page)) all.push(`${what} -> ${v}`);
    };
    const go = async (r: string) => {
      await page.evaluate((x) => (window.location.hash = x), r);
      await page.waitForTimeout(1000);
    };
    for (const r of ['/', `/equipment/${seeded.pumpId}`, '/equipment', '/work-orders', `/work-orders/${workOrderId}`, '/stock', `/stock/locations/${cart}`, '/stock/reorder', '/stock/expiry', '/reports/due-list', '/reports/compliance', '/reports/downtime', '/reports/failures', '/reports/stickers', '/users', '/categories', '/locations', '/settings', '/settings/lists', '/backups']) {
      await go(r);
      await check(r);
    }
    // error states
    await go(`/log/${seeded.calibrationPlanId}`);
    await page.getByRole('button', { name: 'Sign and save' }).click();
    await page.getByTestId('error-summary').waitFor();
    await check('log form with errors');
    await go(`/equipment/${seeded.analyserId}`);
    await page.getByRole('button', { name: 'Report a fault…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Report the fault' }).click();
    await page.getByRole('dialog').getByTestId('error-summary').waitFor();
    await check('fault dialog with errors');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Edit…' }).click();
    await page.getByRole('dialog').getByLabel('Asset tag').fill('IP-0042');
    await page.getByRole('dialog').getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('dialog').getByTestId('error-summary').waitFor();
    await check('edit dialog with errors');
    await page.keyboard.press('Escape');
    await go('/equipment/new');
    await page.getByRole('button', { name: 'Add device' }).click();
    await page.getByTestId('error-summary').waitFor();
    await check('new device with errors');
    await go('/users');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByTestId('error-summary').waitFor();
    await check('users with errors');
    await go('/reports/due-list');
    await page.getByLabel('As of').fill('31/13/2026');
    await check('due list with a bad date');
    expect(all).toEqual([]);
    await app.close();
  });
});
