import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../main/core/db/migrate';
import { applyPragmas, DB_FILE } from '../../../main/core/db/open';
import { LATEST_VERSION, migrations } from '../../../main/core/migrations';
import { searchEquipment } from '../../../main/core/equipment/search';
import { tempDir, testCore } from '../../helpers/core';
import { queryPlan } from '../../helpers/query-plan';

describe('migration 2 (equipment search index)', () => {
  it('indexes the devices a version-1 database already holds', () => {
    const dir = tempDir();
    const db = new BetterSqlite3(path.join(dir, DB_FILE));
    applyPragmas(db);
    migrate(db, { migrations: migrations.slice(0, 1) });
    const now = '2025-01-01T00:00:00.000Z';
    db.prepare(
      "INSERT INTO locations (id, parent_id, name, name_key, kind, created_at, updated_at, pc_id) VALUES ('01900000-0000-7000-8000-00000000000a', NULL, 'Site', 'site', 'site', ?, ?, 'pc')",
    ).run(now, now);
    const ins = db.prepare(
      `INSERT INTO equipment (id, asset_tag, asset_tag_key, name, manufacturer, model, serial, location_id, created_at, updated_at, pc_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, '01900000-0000-7000-8000-00000000000a', ?, ?, 'pc')`,
    );
    ins.run('01900000-0000-7000-8000-000000000001', 'OLD-1', 'OLD-1', 'Défibrillateur', 'Zoll', 'R Series', 'ZR-1', now, now);
    ins.run('01900000-0000-7000-8000-000000000002', 'OLD-2', 'OLD-2', 'Infusion pump', 'Baxter', null, null, now, now);
    db.close();

    const core = testCore({ dataDir: dir });
    expect(core.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    const find = (text: string) => searchEquipment(core, { text }, { offset: 0, limit: 10 }).rows.map((r) => r.assetTag);
    expect(find('defib')).toEqual(['OLD-1']);
    expect(find('baxter pump')).toEqual(['OLD-2']);
    expect(find('old')).toEqual(['OLD-1', 'OLD-2']);
  });

  it('uses the index for a search and the unique tag index for a scan', () => {
    const core = testCore();
    const plan = (sql: string, ...params: unknown[]) => queryPlan(core.db, sql, ...params).join('\n');
    expect(plan('SELECT equipment_id FROM equipment_search WHERE equipment_search MATCH \'"pump"\'')).toMatch(/VIRTUAL TABLE INDEX/);
    expect(plan('SELECT id FROM equipment WHERE asset_tag_key = ?', 'X')).toMatch(
      /USING (COVERING )?INDEX sqlite_autoindex_equipment_\d \(asset_tag_key=\?\)/,
    );
    expect(plan('SELECT id FROM equipment ORDER BY name COLLATE NOCASE LIMIT 10')).toMatch(/equipment_name/);
  });
});
