import BetterSqlite3 from 'better-sqlite3';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../main/core/backend';
import { openCore } from '../../main/core/open-core';
import { newSession } from '../../main/core/session';
import { tempDir } from '../helpers/core';
import { item, level, stockLocation } from '../integration/stock/fixtures';
import { expectAccessible, screenshot } from './axe';
import { launchApp, shutdown } from './harness';
import { caller } from './seed';
import { expectNoPageProblems, signIn, switchTo } from './steps';

afterAll(shutdown);

/**
 * A data folder with stock moved through the stock channels, an administrator, Sue Supervisor (PIN 1470)
 * and Tom Tech (PIN 1357); closed, as the app leaves it.
 */
async function seededFolder() {
  const dataDir = tempDir();
  const core = openCore({ dataDir });
  const backend = createBackend(core);
  const admin = newSession(core.clock.now().getTime());
  await caller(backend, admin)('auth.setupFirstAdmin', { name: 'Ada Admin', password: 'correct horse battery', pin: '2468' });
  const call = caller(backend, admin);
  for (const [name, role, pin] of [
    ['Sue Supervisor', 'supervisor', '1470'],
    ['Tom Tech', 'technician', '1357'],
  ] as const) {
    await call('users.create', { name, role, temporaryPin: '2580' });
    const s = newSession(core.clock.now().getTime());
    await caller(backend, s)('auth.signIn', { name, secret: '2580' });
    await caller(backend, s)('auth.setOwnPin', { currentSecret: '2580', newPin: pin });
  }
  const cart = stockLocation(core, 'Crash cart 2');
  const gloves = item(core, 'NG-M', 'Nitrile gloves, medium', 'box');
  level(core, cart, gloves, 100, 10);
  const key = { stockLocationId: cart, itemId: gloves };
  await call('stock.restock', { ...key, quantity: 6, lot: 'L-1', expiresOn: '2030-01-01' });
  await call('stock.use', { ...key, quantity: 3, lotId: null });
  // More items on the cart, each moved once (for a folder with many figures changed).
  const others = [];
  for (const code of ['SY-5', 'SY-10', 'SW-1', 'TAPE']) {
    const other = item(core, code, `Item ${code}`, 'each');
    level(core, cart, other, 20, 2);
    await call('stock.restock', { stockLocationId: cart, itemId: other, quantity: 4, lot: `${code}-L`, expiresOn: '2030-01-01' });
    others.push(other);
  }
  core.close();
  return { dataDir, key, others };
}

function editLevels(dataDir: string, cart: string, items: string[], onHand: number) {
  const raw = new BetterSqlite3(path.join(dataDir, 'wardkeep.sqlite3'));
  for (const id of items) raw.prepare('UPDATE stock_levels SET on_hand = ? WHERE stock_location_id = ? AND item_id = ?').run(onHand, cart, id);
  raw.close();
}

describe('the deep check finds stock figures changed outside Wardkeep, in Chromium', () => {
  it('a supervisor sees the warning naming the item, its place and both figures; a technician does not', async () => {
    const { dataDir, key } = await seededFolder();
    // The level edited with sqlite3 on the closed database.
    editLevels(dataDir, key.stockLocationId, [key.itemId], 40);

    // The app opened on the folder: its first start here, so the deep check runs in the background.
    const app = await launchApp({ dataDir });
    const { page } = app;
    await signIn(page, 'Sue Supervisor', '1470');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Sue Supervisor' }).waitFor();
    const warning = page.getByRole('alert').filter({ hasText: 'Stock figures were changed outside Wardkeep' });
    await warning.waitFor({ timeout: 30_000 });
    expect(await warning.getByRole('listitem').allTextContents()).toEqual([
      'Nitrile gloves, medium (NG-M) at Crash cart 2 shows 40 on hand, but its movements give 3: the figure was changed outside Wardkeep. ' +
        'The next stock change of the item there puts it right; ask IT to run wardkeep verify after it.',
    ]);
    // No damage to the file: the database's own warning does not show.
    expect(await page.getByText('The database fails its background check').count()).toBe(0);
    await screenshot(page, 'deep-check-stock-supervisor');
    await expectAccessible(page, 'stock figures changed warning');

    // A technician sees no health warning, as with the others.
    await switchTo(page, 'Tom Tech', '1357');
    await page.getByTestId('signed-in-user').filter({ hasText: 'Tom Tech' }).waitFor();
    expect(await page.getByText('Stock figures were changed outside Wardkeep').count()).toBe(0);
    expectNoPageProblems(app);
    await app.close();
  });

  it('many figures changed: the first 3 sentences, then how many more', async () => {
    const { dataDir, key, others } = await seededFolder();
    editLevels(dataDir, key.stockLocationId, [key.itemId, ...others], 90);
    const app = await launchApp({ dataDir });
    const { page } = app;
    await signIn(page, 'Sue Supervisor', '1470');
    const warning = page.getByRole('alert').filter({ hasText: 'Stock figures were changed outside Wardkeep' });
    await warning.waitFor({ timeout: 30_000 });
    const lines = await warning.getByRole('listitem').allTextContents();
    expect(lines).toHaveLength(4);
    for (const line of lines.slice(0, 3)) expect(line).toMatch(/ at Crash cart 2 shows 90 on hand, but its movements give [34]: the figure was changed outside Wardkeep\. /);
    expect(lines[3]).toBe('2 more figures like these.');
    await screenshot(page, 'deep-check-stock-many');
    await expectAccessible(page, 'stock figures changed warning, many');
    expectNoPageProblems(app);
    await app.close();
  });
});
