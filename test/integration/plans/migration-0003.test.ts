import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../main/core/db/migrate';
import { applyPragmas, DB_FILE } from '../../../main/core/db/open';
import { LATEST_VERSION, migrations } from '../../../main/core/migrations';
import { dueList } from '../../../main/core/due/service';
import { tempDir, testCore } from '../../helpers/core';

describe('migration 3 (due list covering indexes)', () => {
  it('keeps the plans of a version-2 database and lists them through the new indexes', () => {
    const dir = tempDir();
    const db = new BetterSqlite3(path.join(dir, DB_FILE));
    applyPragmas(db);
    migrate(db, { migrations: migrations.slice(0, 2) });
    const now = '2025-01-01T00:00:00.000Z';
    db.prepare("INSERT INTO locations (id, parent_id, name, name_key, kind, created_at, updated_at, pc_id) VALUES ('01900000-0000-7000-8000-00000000000a', NULL, 'Site', 'site', 'site', ?, ?, 'pc')").run(now, now);
    db.prepare(
      `INSERT INTO equipment (id, asset_tag, asset_tag_key, name, location_id, created_at, updated_at, pc_id)
       VALUES ('01900000-0000-7000-8000-000000000001', 'OLD-1', 'OLD-1', 'Old pump', '01900000-0000-7000-8000-00000000000a', ?, ?, 'pc')`,
    ).run(now, now);
    db.prepare(
      `INSERT INTO plans (id, equipment_id, task, interval_n, interval_unit, start_date, window_days, grace_days, next_due, due_from, created_at, updated_at, pc_id)
       VALUES ('01900000-0000-7000-8000-000000000002', '01900000-0000-7000-8000-000000000001', 'calibration', 1, 'year', '2025-01-01', 30, 0, '2025-01-01', '2024-12-02', ?, ?, 'pc')`,
    ).run(now, now);
    db.close();

    const core = testCore({ dataDir: dir });
    expect(core.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    const indexes = core.db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND name IN ('plans_due', 'equipment_due_target') ORDER BY name").all();
    expect(indexes).toEqual([
      { name: 'equipment_due_target', sql: expect.stringContaining('(id, status, location_id, asset_tag, name, risk)') },
      // Migration 5 puts target_in_service in front of it; due_from and next_due still lead the range.
      { name: 'plans_due', sql: expect.stringMatching(/\(target_in_service, due_from, next_due, .*\)\s+WHERE active = 1$/) },
    ]);
    expect(dueList(core, { asOf: '2025-06-01', sort: 'status' }).map((r) => [r.assetTag, r.status, r.daysOverdue])).toEqual([['OLD-1', 'overdue', 151]]);
  });
});
