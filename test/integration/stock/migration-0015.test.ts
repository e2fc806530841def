import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DB_FILE } from '../../../main/core/db/open';
import { schemaVersion } from '../../../main/core/db/migrate';
import { triggerProblems } from '../../../main/core/db/schema-guard';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { migrations } from '../../../main/core/migrations';
import { migration0015 } from '../../../main/core/migrations/0015-stock-replay-points';
import { useStock } from '../../../main/core/stock/ledger';
import { lotId } from '../../../main/core/sync/ids';
import { fixedClock, testActor, testCore } from '../../helpers/core';
import { databaseAt } from '../../helpers/migrations';

/**
 * Migration 0015 (issue 17): each item's replay point (stock_replay_points) and the triggers that
 * delete it when its history changes under it, on a database of every older version; none exists
 * after the upgrade, so the first write of an item replays it whole, which also puts right a figure
 * an earlier version left stale.
 */
const TRIGGERS = [
  'stock_replay_points_lot_delete',
  'stock_replay_points_lot_insert',
  'stock_replay_points_lot_update',
  'stock_replay_points_tx_delete',
  'stock_replay_points_tx_insert',
  'stock_replay_points_tx_update',
];
const STAMP = "'2026-11-20T09:00:00.000Z', '2026-11-20T09:00:00.000Z', 'old-pc'";

describe('migration 0015 (a stock write reads only the movements after the last replay of its item)', () => {
  const before = migrations.indexOf(migration0015);
  it.each(migrations.slice(0, before).map((m) => m.version))(
    'from version %i, the points table is there, empty, with its triggers',
    (version) => {
      const core = testCore({ dataDir: databaseAt(version), clock: fixedClock('2026-12-05T12:00:00Z') });
      expect(schemaVersion(core.db)).toBe(migrations.at(-1)!.version);
      expect(core.db.prepare('SELECT count(*) FROM stock_replay_points').pluck().get()).toBe(0);
      const triggers = core.db
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'stock_replay_points%' ORDER BY name")
        .pluck()
        .all();
      expect(triggers).toEqual(TRIGGERS);
      core.close();
    },
  );

  it('from version 14 with stock on record: the first use replays the item whole (a stale figure put right) and keeps its point, the next carries on from it', () => {
    const dir = databaseAt(14);
    const raw = new BetterSqlite3(path.join(dir, DB_FILE));
    const [ward, cart, pads] = ['loc-ward', 'cart-1', 'item-pads'];
    const [a, b] = [lotId(cart, pads, 'A', '2030-01-01'), lotId(cart, pads, 'B', '2029-01-01')];
    raw.exec(`
      INSERT INTO locations (id, parent_id, name, name_key, kind, active, created_at, updated_at, pc_id) VALUES ('${ward}', NULL, 'Ward 4B', 'ward 4b', 'ward', 1, ${STAMP});
      INSERT INTO stock_locations (id, name, kind, location_id, equipment_id, active, created_at, updated_at, pc_id) VALUES ('${cart}', 'Crash cart', 'crash_cart', '${ward}', NULL, 1, ${STAMP});
      INSERT INTO supply_items (id, name, code, code_key, unit, default_supplier, active, created_at, updated_at, pc_id) VALUES ('${pads}', 'Pads', 'PADS', 'pads', 'pair', NULL, 1, ${STAMP});
      -- Figures an earlier version left stale: its transactions make the level 9, A 4 and B 5.
      INSERT INTO stock_levels (stock_location_id, item_id, par, minimum, on_hand, created_at, updated_at, pc_id) VALUES ('${cart}', '${pads}', 20, 2, 7, ${STAMP});
      INSERT INTO stock_lots (id, stock_location_id, item_id, lot, expires_on, on_hand, created_at, updated_at, pc_id) VALUES
        ('${a}', '${cart}', '${pads}', 'A', '2030-01-01', 2, ${STAMP}), ('${b}', '${cart}', '${pads}', 'B', '2029-01-01', 5, ${STAMP});
      INSERT INTO stock_transactions (id, stock_location_id, item_id, lot_id, kind, delta, counted, reason, completion_id, at, user_id, user_name, pc_id) VALUES
        ('t1', '${cart}', '${pads}', '${a}', 'restock', 5, NULL, NULL, NULL, '2026-11-20T09:00:00.000Z', NULL, 'Old', 'old-pc'),
        ('t2', '${cart}', '${pads}', '${b}', 'restock', 5, NULL, NULL, NULL, '2026-11-20T09:00:00.000Z', NULL, 'Old', 'old-pc'),
        ('t3', '${cart}', '${pads}', '${a}', 'use', -1, NULL, NULL, NULL, '2026-11-20T10:00:00.000Z', NULL, 'Old', 'old-pc');
    `);
    raw.close();

    const core = testCore({ dataDir: dir, clock: fixedClock('2026-12-05T12:00:00Z') });
    expect(schemaVersion(core.db)).toBe(migrations.at(-1)!.version);
    expect(core.db.prepare('SELECT count(*) FROM stock_replay_points').pluck().get()).toBe(0);
    const figures = () => ({
      level: core.db.prepare('SELECT on_hand FROM stock_levels').pluck().get(),
      lots: core.db.prepare('SELECT lot, on_hand FROM stock_lots ORDER BY lot').raw().all(),
      point: core.db.prepare('SELECT last_id, level, figures FROM stock_replay_points').raw().all(),
    });
    const use = (at: string, lot: string) =>
      inTransaction(core, (w) =>
        useStock(w, testActor, { at, completionId: null }, { stockLocationId: cart, itemId: pads, quantity: 1, lotId: lot }),
      );
    use('2026-12-05T11:00:00.000Z', b);
    const first = core.db.prepare("SELECT id FROM stock_transactions WHERE at = '2026-12-05T11:00:00.000Z'").pluck().get();
    expect(figures()).toEqual({
      level: 8,
      lots: [
        ['A', 4],
        ['B', 4],
      ],
      point: [[first, 8, JSON.stringify({ [a]: 4, [b]: 4 })]],
    });
    use('2026-12-05T11:30:00.000Z', a);
    const second = core.db.prepare("SELECT id FROM stock_transactions WHERE at = '2026-12-05T11:30:00.000Z'").pluck().get();
    expect(figures()).toEqual({
      level: 7,
      lots: [
        ['A', 3],
        ['B', 4],
      ],
      point: [[second, 7, JSON.stringify({ [a]: 3, [b]: 4 })]],
    });
    core.close();
  });

  it('a point trigger removed outside Wardkeep is named with what it costs: stock figures, not the due list', () => {
    const core = testCore();
    core.db.exec('DROP TRIGGER stock_replay_points_tx_insert');
    expect(triggerProblems(core.db)).toEqual([
      "The trigger stock_replay_points_tx_insert on stock_transactions is missing: it was removed outside Wardkeep, so a stock write may carry an item's figures on from a replay its history has since changed under (a movement dated earlier, a lot arriving or changed), and get them wrong.",
    ]);
    core.close();
  });
});
