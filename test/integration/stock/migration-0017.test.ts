import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core/context';
import { DB_FILE } from '../../../main/core/db/open';
import { schemaVersion } from '../../../main/core/db/migrate';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { migrations } from '../../../main/core/migrations';
import { migration0017 } from '../../../main/core/migrations/0017-stock-location-indexes-partial';
import { createPlan } from '../../../main/core/plans/service';
import { stockLocationDetail } from '../../../main/core/stock/reports';
import { PlanFields } from '../../../shared/domain/plan';
import { fixedClock, testActor, testCore } from '../../helpers/core';
import { databaseAt, indexEntries } from '../../helpers/migrations';
import { device, done, plan } from '../plans/fixtures';
import { stockLocation } from './fixtures';
import { queryPlan } from '../../helpers/query-plan';

/**
 * Migration 0017 (issue 17): the records' and the plans' indexes by stock location hold only the
 * rows on a stock location, not one entry per device's record under a NULL no query asks for; what
 * reads by stock location still seeks them and finds the same.
 */
const INDEXES = { completions_stock_location: 'completions', plans_stock_location: 'plans' } as const;
const NOW = '2026-12-05T12:00:00Z';

const onStock = (db: BetterSqlite3.Database, table: string) =>
  db.prepare(`SELECT count(*) FROM ${table} WHERE stock_location_id IS NOT NULL`).pluck().get() as number;
const indexSql = (db: BetterSqlite3.Database, index: string) =>
  db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?").pluck().get(index) as string;

/** A crash cart with a daily stock check done twice, and two devices with a yearly calibration done three times each. */
function hospital(core: Core): { cart: string; cartPlan: string } {
  const cart = stockLocation(core, 'Crash cart 4B');
  const cartPlan = inTransaction(core, (core) =>
    createPlan(core, testActor, PlanFields.parse({ stockLocationId: cart, task: 'stock_check', every: '1d', startDate: '2026-12-01' })),
  ).id;
  done(core, cartPlan, '2026-12-03T08:00:00Z');
  done(core, cartPlan, '2026-12-04T08:00:00Z');
  for (const tag of ['INF-1', 'INF-2']) {
    const p = plan(core, device(core, tag), 'calibration', '1y', '2024-01-10');
    for (const at of ['2024-01-10T09:00:00Z', '2025-01-10T09:00:00Z', '2026-01-10T09:00:00Z']) done(core, p.id, at);
  }
  return { cart, cartPlan };
}

function expectPartialAndRead(core: Core, cart: string, cartPlan: string): void {
  for (const [index, table] of Object.entries(INDEXES)) {
    expect(indexSql(core.db, index)).toMatch(/WHERE stock_location_id IS NOT NULL$/);
    expect(indexEntries(core.db, index)).toBe(onStock(core.db, table));
  }
  expect(onStock(core.db, 'completions')).toBe(2);
  expect(core.db.prepare('SELECT count(*) FROM completions').pluck().get()).toBe(8);
  expect(core.db.pragma('integrity_check', { simple: true })).toBe('ok');
  // The cart's page: its plan and its two checks, the latest first.
  const detail = stockLocationDetail(core, cart);
  expect(detail.plans.map((p) => p.id)).toEqual([cartPlan]);
  expect(detail.recentChecks.map((c) => c.performedOn)).toEqual(['2026-12-04', '2026-12-03']);
}

describe('migration 0017 (the indexes by stock location hold only what is on one)', () => {
  const before = migrations.indexOf(migration0017);
  it.each(migrations.slice(0, before).map((m) => m.version))('from version %i, both indexes are partial and the cart reads the same', (version) => {
    const core = testCore({ dataDir: databaseAt(version), clock: fixedClock(NOW) });
    expect(schemaVersion(core.db)).toBe(migrations.at(-1)!.version);
    const { cart, cartPlan } = hospital(core);
    expectPartialAndRead(core, cart, cartPlan);
    core.close();
  });

  it('on a database with records, the upgrade keeps only the stock rows in the indexes and the cart page is unchanged', () => {
    const dir = databaseAt(before);
    const core = testCore({ dataDir: dir, clock: fixedClock(NOW) });
    const { cart, cartPlan } = hospital(core);
    core.close();
    // The indexes as every version before 0017 made them: an entry per row, the device's under NULL.
    const raw = new BetterSqlite3(path.join(dir, DB_FILE));
    raw.exec(`DROP INDEX completions_stock_location; CREATE INDEX completions_stock_location ON completions (stock_location_id, performed_at);
              DROP INDEX plans_stock_location; CREATE INDEX plans_stock_location ON plans (stock_location_id);`);
    raw.pragma(`user_version = ${migrations[before - 1]!.version}`);
    expect(indexEntries(raw, 'completions_stock_location')).toBe(8);
    expect(indexEntries(raw, 'plans_stock_location')).toBe(3);
    raw.close();

    const upgraded = testCore({ dataDir: dir, clock: fixedClock(NOW) });
    expect(schemaVersion(upgraded.db)).toBe(migrations.at(-1)!.version);
    expectPartialAndRead(upgraded, cart, cartPlan);
    upgraded.close();
  });

  it('what reads by stock location still seeks the index, as it did before', () => {
    const core = testCore({ clock: fixedClock(NOW) });
    const plan = (sql: string, params: Record<string, string>) => queryPlan(core.db, sql, params).join('\n');
    // The cart's latest checks and its records (stock/reports.ts, completions/views.ts).
    expect(plan('SELECT id FROM completions WHERE stock_location_id = @id ORDER BY performed_at DESC, created_at DESC LIMIT 10', { id: 'x' })).toMatch(
      /SEARCH completions USING INDEX completions_stock_location \(stock_location_id=\?\)/,
    );
    // A cart's plans by task, the plans of several carts, and the due list's targets (plans/service.ts, stock/reports.ts, sync/derived.ts).
    expect(plan('SELECT id FROM plans WHERE stock_location_id = @id AND task = @task AND active = 1', { id: 'x', task: 't' })).toMatch(
      /SEARCH plans USING INDEX plans_stock_location \(stock_location_id=\?\)/,
    );
    expect(plan('SELECT * FROM plans WHERE stock_location_id IN (SELECT value FROM json_each(@ids))', { ids: '["x"]' })).toMatch(
      /SEARCH plans USING INDEX plans_stock_location \(stock_location_id=\?\)/,
    );
    expect(plan('SELECT p.id FROM stock_locations s JOIN plans p ON p.stock_location_id = s.id WHERE s.id = @id', { id: 'x' })).toMatch(
      /SEARCH p USING INDEX plans_stock_location \(stock_location_id=\?\)/,
    );
    core.close();
  });
});
