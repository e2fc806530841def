import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../main/core/dispatcher/transaction';
import { recomputeItemStock } from '../../main/core/stock/on-hand';
import { uuidv7 } from '../../main/core/ids';
import { item, level, stock, stockLocation } from '../integration/stock/fixtures';
import { expectAccessible, screenshot } from './axe';
import { shutdown } from './harness';
import { launchWard } from './ward';
import { expectNoPageProblems, signIn } from './steps';

afterAll(shutdown);

/**
 * A lot below zero (its last units used on two PCs at once, docs/sync.md) is listed on the stock
 * location's page with its figure, so the lots shown add up to the item's figure shown.
 */
const go = (page: Page, route: string) => page.evaluate((r) => (window.location.hash = r), route);

describe('the lot list of a stock location', () => {
  it('lists a lot below zero with its figure, after the lots on hand, and they add up to the figure shown', async () => {
    const { app } = await launchWard();
    const { page } = app;
    await signIn(page, 'Ada Admin', '2468');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Ada Admin' }).waitFor();
    const core = app.backend.core;
    const cart = stockLocation(core, 'Crash cart 4B');
    const pads = item(core, 'PAD', 'Defib pads', 'pair');
    level(core, cart, pads, 10, 2);
    const p1 = stock(core, cart, pads, 2, 'P-1', '2030-05-01');
    stock(core, cart, pads, 3, 'P-2', '2031-01-01');
    // Another PC's use of 4 from P-1, arrived by sync after this PC had used its 2 too: P-1 is at -2... here written as the sync writes a row.
    inTransaction(core, (w) => {
      const at = new Date().toISOString();
      for (const [delta, pc] of [
        [-2, core.pcId],
        [-2, 'other-pc'],
      ] as const) {
        w.db
          .prepare(
            `INSERT INTO stock_transactions (id, stock_location_id, item_id, lot_id, kind, delta, counted, reason, completion_id, at, user_id, user_name, pc_id)
             VALUES (?, ?, ?, ?, 'use', ?, NULL, NULL, NULL, ?, NULL, 'Bea Nurse', ?)`,
          )
          .run(uuidv7(), cart, pads, p1, delta, at, pc);
      }
      recomputeItemStock(w, cart, pads);
    });
    await go(page, `#/stock/locations/${cart}`);
    const row = page.getByTestId('stock-item-row').filter({ hasText: 'Defib pads' });
    const lots = row.locator('.lot-list li');
    await expect.poll(() => lots.allInnerTexts()).toEqual(['P-2 × 3 exp. 01/01/2031', 'P-1 × -2 (below zero) exp. 01/05/2030']);
    expect(await row.locator('td.num').nth(2).innerText()).toBe('1 pair');
    await screenshot(page, 'stock-lot-below-zero');
    await expectAccessible(page, 'Lot list with a lot below zero');
    // Nothing can be used or discarded from it: the stock dialog offers only the lot holding stock; an adjustment may correct either.
    await page.getByRole('button', { name: 'Stock… Defib pads: restock, use, discard or count' }).click();
    const dialog = page.getByRole('dialog', { name: /Defib pads/ });
    const offered = (select: string) => dialog.getByLabel(select, { exact: true }).locator('option').allInnerTexts();
    await dialog.getByLabel('Use', { exact: true }).check();
    expect(await offered('From lot')).toEqual(['(soonest to expire first)', 'P-2, expires 01/01/2031: 3 pair']);
    await dialog.getByLabel('Discard', { exact: true }).check();
    expect(await offered('Lot')).toEqual(['P-2, expires 01/01/2031: 3 pair']);
    await dialog.getByLabel('Adjust (with a reason)').check();
    expect(await offered('From lot')).toEqual(['(lot not recorded)', 'P-2, expires 01/01/2031: 3 pair', 'P-1, expires 01/05/2030: -2 pair']);
    expectNoPageProblems(app);
    await app.close();
  });
});
