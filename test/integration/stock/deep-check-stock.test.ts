import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createBackend } from '../../../main/core/backend';
import { newSession } from '../../../main/core/session';
import { runStartupChecks } from '../../../main/core/system/startup-checks';
import { stopWorker } from '../../../main/core/worker/run';
import { caller } from '../../helpers/invoke';
import { testCore } from '../../helpers/core';
import { signedInUser } from '../../helpers/users';
import { editClosed, glovesCart } from './edited-cart';

/**
 * The app's own deep check (the `verify.deep` job, run after start when it is due: here a first
 * start, with no verified position) checks the stock figures as `wardkeep verify` does
 * (stock/figures-check.ts), drops the named items' saved replay points, and tells the supervisors
 * through `app.health`. Stock is built through the stock dialog's channels; the figures are then
 * edited with better-sqlite3 on the closed database, as an attacker with sqlite3 would.
 */

/** The app started again on the folder, its start-up checks run (the deep one due), a supervisor signed in. */
async function started(dataDir: string) {
  const core = testCore({ dataDir });
  const backend = createBackend(core, {
    logError: (err) => {
      throw err;
    },
  });
  const checked = await runStartupChecks(backend);
  // The deep check ran: the pages were checked at this start.
  expect(checked.integrity.state).toBe('ok');
  const session = newSession(core.clock.now().getTime());
  signedInUser(core, 'supervisor', { name: 'Sue Supervisor', session });
  const call = caller(backend, session);
  return { core, call, health: await call('app.health', {}) };
}

const points = (db: BetterSqlite3.Database, key: { stockLocationId: string; itemId: string }) =>
  db.prepare('SELECT count(*) FROM stock_replay_points WHERE stock_location_id = ? AND item_id = ?').pluck().get(key.stockLocationId, key.itemId);

describe("the app's deep check: stock figures against their movements", () => {
  it("the level changed with sqlite3: app.health names the item, its place and both figures; the point is gone; the next use gives the movements' figure", async () => {
    const c = await glovesCart();
    editClosed(c.file, (db) => db.prepare('UPDATE stock_levels SET on_hand = 100 WHERE stock_location_id = ? AND item_id = ?').run(c.key.stockLocationId, c.key.itemId));
    const app = await started(c.dataDir);
    expect(app.health.stock).toEqual({
      state: 'changed',
      findings: [
        'Nitrile gloves, medium (NG-M) at Crash cart 2 shows 100 on hand, but its movements give 8: the figure was changed outside Wardkeep. ' +
          'The next stock change of the item there puts it right; ask IT to run wardkeep verify after it.',
      ],
      more: 0,
    });
    // A stock finding is no damage to the file: no restore offered, the trail as it was.
    expect(app.health.integrity.state).toBe('ok');
    expect(app.health.auditChain.state).toBe('ok');
    expect(points(app.core.db, c.key)).toBe(0);
    // The figure found stays as found until the next change, which replays the movements whole.
    expect(app.core.db.prepare('SELECT on_hand FROM stock_levels WHERE stock_location_id = ? AND item_id = ?').pluck().get(c.key.stockLocationId, c.key.itemId)).toBe(100);
    expect((await app.call('stock.use', { ...c.key, quantity: 1, lotId: null })).onHand).toBe(7);
  });

  it('the saved point and the figures changed alike (which a write cannot see): each figure named, the point dropped, so the next use puts the level and every lot right', async () => {
    const c = await glovesCart();
    const held = c.lots.find((l) => l.onHand > 0)!;
    editClosed(c.file, (db) => {
      const text = z.string().parse(db.prepare('SELECT figures FROM stock_replay_points WHERE stock_location_id = ? AND item_id = ?').pluck().get(c.key.stockLocationId, c.key.itemId));
      const figures = z.record(z.string(), z.number()).parse(JSON.parse(text));
      figures[held.id] = held.onHand + 92;
      db.prepare('UPDATE stock_replay_points SET level = 100, figures = ? WHERE stock_location_id = ? AND item_id = ?').run(
        JSON.stringify(figures),
        c.key.stockLocationId,
        c.key.itemId,
      );
      db.prepare('UPDATE stock_levels SET on_hand = 100 WHERE stock_location_id = ? AND item_id = ?').run(c.key.stockLocationId, c.key.itemId);
      db.prepare('UPDATE stock_lots SET on_hand = ? WHERE id = ?').run(held.onHand + 92, held.id);
    });
    const app = await started(c.dataDir);
    const stock = app.health.stock;
    if (stock.state !== 'changed') throw new Error(`expected stock figures named, got ${JSON.stringify(stock)}`);
    expect(stock.more).toBe(0);
    expect(stock.findings).toHaveLength(2);
    expect(stock.findings[0]).toMatch(/^Nitrile gloves, medium \(NG-M\) at Crash cart 2 shows 100 on hand, but its movements give 8: the figure was changed outside Wardkeep\. Its saved replay was changed alike/);
    expect(stock.findings[1]).toMatch(
      new RegExp(`^Nitrile gloves, medium \\(NG-M\\) at Crash cart 2, lot ${held.lot} \\(expires [^)]+\\), shows ${held.onHand + 92} on hand, but its movements give ${held.onHand}: `),
    );
    expect(app.health.integrity.state).toBe('ok');
    expect(points(app.core.db, c.key)).toBe(0);
    // Before, the use carried the edited point on: 99 on hand, the lot 92 too many.
    const used = await app.call('stock.use', { ...c.key, quantity: 1, lotId: null });
    expect(used.onHand).toBe(7);
    expect(used.lots.reduce((n, l) => n + l.onHand, 0)).toBe(7);
  });

  it('an untouched database with stock gives no stock finding, and its point is kept', async () => {
    const c = await glovesCart();
    const app = await started(c.dataDir);
    expect(app.health.stock).toEqual({ state: 'ok' });
    expect(points(app.core.db, c.key)).toBe(1);
  });

  it('a start within the week (no deep check) claims nothing of the stock: not "ok", and no warning', async () => {
    const c = await glovesCart();
    const first = await started(c.dataDir);
    expect(first.health.stock).toEqual({ state: 'ok' });
    await stopWorker(first.core);
    first.core.close();
    const core = testCore({ dataDir: c.dataDir });
    const backend = createBackend(core);
    const session = newSession(core.clock.now().getTime());
    signedInUser(core, 'supervisor', { name: 'Sam Supervisor', session });
    // Before the check has run: checking.
    expect((await caller(backend, session)('app.health', {})).stock).toEqual({ state: 'checking' });
    const next = await runStartupChecks(backend);
    // The deep check was done a moment ago: not due, so this start read no stock figure.
    expect(next.integrity).toEqual(first.health.integrity);
    expect((await caller(backend, session)('app.health', {})).stock).toEqual({ state: 'not_checked' });
  });
});
