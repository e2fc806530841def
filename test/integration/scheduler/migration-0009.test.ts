import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../main/core/db/migrate';
import { applyPragmas, DB_FILE } from '../../../main/core/db/open';
import { dueList, dueListSql } from '../../../main/core/due/service';
import { listLocations } from '../../../main/core/locations/service';
import { migrations } from '../../../main/core/migrations';
import { migration0009 } from '../../../main/core/migrations/0009-ward-due-index';
import { tempDir, testCore, fixedClock } from '../../helpers/core';
import { queryPlan } from '../../helpers/query-plan';

const ID = (n: number) => `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const NOW = '2025-01-01T00:00:00.000Z';

/** Migration 0009 (the ward due index, issue 17), on a database of the version before it (8). */
describe('migration 0009 (ward due index)', () => {
  it("indexes the plans of a version-8 database by location, and a ward's due list seeks it", () => {
    const before = migrations.indexOf(migration0009);
    const dir = tempDir();
    const db = new BetterSqlite3(path.join(dir, DB_FILE));
    applyPragmas(db);
    migrate(db, { migrations: migrations.slice(0, before) });
    expect(schemaVersion(db)).toBe(migration0009.version - 1);
    const loc = db.prepare(
      "INSERT INTO locations (id, parent_id, name, name_key, kind, created_at, updated_at, pc_id) VALUES (?, ?, ?, ?, ?, ?, ?, 'pc-6')",
    );
    loc.run(ID(1), null, 'Site', 'site', 'site', NOW, NOW);
    loc.run(ID(2), ID(1), 'Ward A', 'ward a', 'ward', NOW, NOW);
    loc.run(ID(3), ID(1), 'Ward B', 'ward b', 'ward', NOW, NOW);
    const eq = db.prepare(
      "INSERT INTO equipment (id, asset_tag, asset_tag_key, name, location_id, created_at, updated_at, pc_id) VALUES (?, ?, ?, 'Pump', ?, ?, ?, 'pc-6')",
    );
    eq.run(ID(4), 'A-1', 'A-1', ID(2), NOW, NOW);
    eq.run(ID(5), 'B-1', 'B-1', ID(3), NOW, NOW);
    const plan = db.prepare(
      `INSERT INTO plans (id, equipment_id, task, interval_n, interval_unit, start_date, window_days, grace_days, next_due, due_from, created_at, updated_at, pc_id)
       VALUES (?, ?, 'calibration', 1, 'year', '2025-01-01', 0, 0, '2025-01-01', '2025-01-01', ?, ?, 'pc-6')`,
    );
    plan.run(ID(6), ID(4), NOW, NOW);
    plan.run(ID(7), ID(5), NOW, NOW);
    db.close();

    const core = testCore({ dataDir: dir, clock: fixedClock('2025-03-01T12:00:00Z') });
    expect(schemaVersion(core.db)).toBe(migrations.length);
    expect(core.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name = 'plans_ward_due'").pluck().get()).toBe(
      'plans_ward_due',
    );
    expect(dueList(core, { asOf: '2025-03-01', locationIds: [ID(2)], sort: 'status' }).map((r) => [r.assetTag, r.status])).toEqual([
      ['A-1', 'overdue'],
    ]);
    const { sql, params } = dueListSql({ asOf: '2025-03-01', locationIds: [ID(2)] }, listLocations(core));
    expect(queryPlan(core.db, sql, params).join('\n')).toMatch(
      /SEARCH p USING COVERING INDEX plans_ward_due \(target_location_id=\? AND target_in_service=\? AND due_from<\?\)/,
    );
  });
});
