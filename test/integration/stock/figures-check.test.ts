import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkProgress } from '../../../main/cli/progress';
import type { CheckProgress } from '../../../main/core/health';
import { fullHealth } from '../../../main/core/health';
import { caller } from '../../helpers/invoke';
import { createBackend } from '../../../main/core/backend';
import { newSession } from '../../../main/core/session';
import { testCore } from '../../helpers/core';
import { signedInUser } from '../../helpers/users';
import { cli } from '../trust/helpers';
import { ago, count, restock, syncAll, use, ward } from '../sync/cart-across-pcs';
import { testPc } from '../sync/harness';
import { editClosed, glovesCart } from './edited-cart';

/**
 * `wardkeep verify` replays every item at every stock location whole from its movements (never from
 * a saved point, stock_replay_points) and names each figure on record that differs: the item's level
 * and each lot's figure (main/core/stock/figures-check.ts). Stock is built through the app's own
 * channels; the figures are then edited as an attacker with sqlite3 would, on the closed database.
 */

/** The stock dialog on the same data folder again, a technician signed in. */
function reopen(dataDir: string) {
  const core = testCore({ dataDir });
  const backend = createBackend(core, {
    logError: (err) => {
      throw err;
    },
  });
  const session = newSession(core.clock.now().getTime());
  signedInUser(core, 'technician', { name: 'Tess Technician', session });
  return { core, call: caller(backend, session) };
}

describe('wardkeep verify: stock figures against their movements', () => {
  it('an untouched database with stock is healthy, and says how many figures it checked', async () => {
    const c = await glovesCart();
    const res = await cli(['--data-dir', c.dataDir, 'verify']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`Stock: ${c.figures} on-hand figures, each as its movements give\n`);
    expect(res.stdout).toContain('The database is healthy.');
  });

  it('(a) the level alone changed: exit 1, naming the item, its place, the figure on record and what the movements give', async () => {
    const c = await glovesCart();
    editClosed(c.file, (db) => db.prepare('UPDATE stock_levels SET on_hand = 100 WHERE stock_location_id = ? AND item_id = ?').run(c.cart2, c.gloves));
    const res = await cli(['--data-dir', c.dataDir, 'verify']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(
      'Stock: Nitrile gloves, medium (NG-M) at Crash cart 2 shows 100 on hand, but its movements give 8: the figure was changed outside Wardkeep. ' +
        'The next stock change of the item there puts it right; ask IT to run wardkeep verify after it.\n',
    );
    expect(res.stdout).toContain(`Stock: ${c.figures} on-hand figures, 1 not as their movements give\n`);
    expect(res.stdout).not.toContain('The database is healthy.');
    // As the sentence says: the next stock change of the item there puts it right.
    const again = reopen(c.dataDir);
    expect((await again.call('stock.use', { stockLocationId: c.cart2, itemId: c.gloves, quantity: 1, lotId: null })).onHand).toBe(7);
    again.core.close();
    const after = await cli(['--data-dir', c.dataDir, 'verify']);
    expect(after.stderr).toBe('');
    expect(after.code).toBe(0);
  });

  it("(b) a lot's figure changed: exit 1, naming the lot", async () => {
    const c = await glovesCart();
    const held = c.lots.find((l) => l.onHand > 0)!;
    editClosed(c.file, (db) => db.prepare('UPDATE stock_lots SET on_hand = on_hand + 40 WHERE id = ?').run(held.id));
    const res = await cli(['--data-dir', c.dataDir, 'verify']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(
      new RegExp(
        `^Stock: Nitrile gloves, medium \\(NG-M\\) at Crash cart 2, lot ${held.lot} \\(expires [^)]+\\), shows ${held.onHand + 40} on hand, but its movements give ${held.onHand}: ` +
          'the figure was changed outside Wardkeep\\. The next stock change of the item there puts it right',
        'm',
      ),
    );
  });

  it('(c) the saved point and the figures changed alike (which a write cannot see): exit 1, each figure named; verify sets the point aside, so the next change puts every figure right', async () => {
    const c = await glovesCart();
    const held = c.lots.find((l) => l.onHand > 0)!;
    editClosed(c.file, (db) => {
      const text = z.string().parse(db.prepare('SELECT figures FROM stock_replay_points WHERE stock_location_id = ? AND item_id = ?').pluck().get(c.cart2, c.gloves));
      const figures = z.record(z.string(), z.number()).parse(JSON.parse(text));
      figures[held.id] = held.onHand + 92;
      db.prepare('UPDATE stock_replay_points SET level = 100, figures = ? WHERE stock_location_id = ? AND item_id = ?').run(JSON.stringify(figures), c.cart2, c.gloves);
      db.prepare('UPDATE stock_levels SET on_hand = 100 WHERE stock_location_id = ? AND item_id = ?').run(c.cart2, c.gloves);
      db.prepare('UPDATE stock_lots SET on_hand = ? WHERE id = ?').run(held.onHand + 92, held.id);
    });
    // Before verify, a change would carry the edited point on: the figures are as the point left them.
    const res = await cli(['--data-dir', c.dataDir, 'verify']);
    expect(res.code).toBe(1);
    const alike =
      'the figure was changed outside Wardkeep. Its saved replay was changed alike, which stock changes would carry on: ' +
      'the check has set it aside, so the next stock change of the item there puts it right; ask IT to run wardkeep verify after it.';
    expect(res.stderr).toContain(`Stock: Nitrile gloves, medium (NG-M) at Crash cart 2 shows 100 on hand, but its movements give 8: ${alike}\n`);
    expect(res.stderr).toContain(`, lot ${held.lot} (expires `);
    expect(res.stderr).toContain(`shows ${held.onHand + 92} on hand, but its movements give ${held.onHand}: ${alike}\n`);
    expect(res.stdout).toContain(`Stock: ${c.figures} on-hand figures, 2 not as their movements give\n`);
    // The figures found stay as found (the evidence); only the point is gone.
    editClosed(c.file, (db) => {
      expect(db.prepare('SELECT count(*) FROM stock_replay_points').pluck().get()).toBe(0);
      expect(db.prepare('SELECT on_hand FROM stock_levels WHERE stock_location_id = ? AND item_id = ?').pluck().get(c.cart2, c.gloves)).toBe(100);
    });
    // As the sentence says: the next use replays the movements whole, the level and every lot.
    const again = reopen(c.dataDir);
    const key = { stockLocationId: c.cart2, itemId: c.gloves };
    const used = await again.call('stock.use', { ...key, quantity: 1, lotId: null });
    expect(used.onHand).toBe(7);
    expect(used.lots.reduce((n, l) => n + l.onHand, 0)).toBe(7);
    again.core.close();
    const after = await cli(['--data-dir', c.dataDir, 'verify']);
    expect(after.stderr).toBe('');
    expect(after.code).toBe(0);
  });

  it('no false alarm: counts that lacked a movement from another PC (D > 0 and D < 0), and a lot arriving after the count, are as the rule gives on every PC', async () => {
    // A use on Emergency the counting Ward 4B had not received (D > 0); then a restock of a new lot
    // P-3 on Emergency before a second count on Ward 4B (D < 0), the lot reaching Ward 4B after it.
    const { hub, a, b, cart: cart4b, pads, plan } = await ward();
    use(b.core, cart4b, pads, 3, ago(50));
    count(a.core, plan.id, cart4b, pads, 12, ago(40));
    await syncAll(b, a);
    restock(b.core, cart4b, pads, 4, 'P-3', '2031-06-01', ago(30));
    count(a.core, plan.id, cart4b, pads, 16, ago(20));
    await syncAll(b, a);
    // A PC joining later receives the rows in another order.
    const c = await testPc(hub, 'Theatres');
    await c.sync();
    for (const pc of [a, b, c]) {
      const health = await fullHealth(pc.core.db);
      expect(health.problems).toEqual([]);
      expect(health.stock?.figures).toBeGreaterThanOrEqual(4);
      // The counts arrived everywhere.
      expect(pc.core.db.prepare("SELECT count(*) FROM stock_transactions WHERE kind = 'count'").pluck().get()).toBeGreaterThan(0);
    }
    const verified = await cli(['--data-dir', a.core.dataDir, 'verify']);
    expect(verified.stderr).toBe('');
    expect(verified.code).toBe(0);
    // A figure an earlier version kept is the plain sum of the movements (docs/sync.md), here not the
    // rule's figure (the counts lacked movements). On an item with a point (written since), it is named;
    // on one no write has touched since the upgrade (no point), it stands until its next write.
    const db = a.core.db;
    const sum = db.prepare('SELECT sum(delta) FROM stock_transactions WHERE stock_location_id = ? AND item_id = ?').pluck().get(cart4b, pads) as number;
    expect(sum).not.toBe(16);
    db.prepare('UPDATE stock_levels SET on_hand = ? WHERE stock_location_id = ? AND item_id = ?').run(sum, cart4b, pads);
    db.prepare(
      'UPDATE stock_lots SET on_hand = (SELECT coalesce(sum(delta), 0) FROM stock_transactions t WHERE t.lot_id = stock_lots.id) WHERE stock_location_id = ? AND item_id = ?',
    ).run(cart4b, pads);
    expect((await fullHealth(db)).problems).toContain(
      `Stock: Defibrillator pads (PADS) at Crash cart 4B shows ${sum} on hand, but its movements give 16: the figure was changed outside Wardkeep. The next stock change of the item there puts it right; ask IT to run wardkeep verify after it.`,
    );
    db.prepare('DELETE FROM stock_replay_points WHERE stock_location_id = ? AND item_id = ?').run(cart4b, pads);
    expect((await fullHealth(db)).problems).toEqual([]);
  });

  it("feeds verify's progress: the movements read of how many, and a line with the time left", async () => {
    const { a } = await ward();
    const movements = a.core.db.prepare('SELECT count(*) FROM stock_transactions').pluck().get() as number;
    expect(movements).toBeGreaterThan(0);
    const heard: CheckProgress[] = [];
    await fullHealth(a.core.db, (p) => heard.push(p));
    const stock = heard.filter((p) => p.phase === 'stock');
    expect(stock[0]).toEqual({ phase: 'stock', done: 0, total: movements });
    expect(stock.at(-1)).toEqual({ phase: 'stock', done: movements, total: movements });
    // After the records step.
    expect(heard.findIndex((p) => p.phase === 'stock')).toBeGreaterThan(heard.findIndex((p) => p.phase === 'records'));

    let t = 0;
    const lines: string[] = [];
    const p = checkProgress((l) => lines.push(l), { everyMs: 0, now: () => t });
    p.onProgress({ phase: 'stock', done: 0, total: 40_000 });
    t = 2_000;
    p.tick();
    p.onProgress({ phase: 'stock', done: 10_000, total: 40_000 });
    t = 5_000;
    p.tick();
    expect(lines).toEqual([
      'Checking the stock figures against their movements (40,000 movements): 2 s so far.\n',
      'Checking the stock figures against their movements: 10,000 of 40,000 movements (25%), about 15 s left for this step.\n',
    ]);
  });
});
