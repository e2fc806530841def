import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { migrate } from '../../../main/core/db/migrate';
import { applyPragmas, DB_FILE } from '../../../main/core/db/open';
import { migrations } from '../../../main/core/migrations';
import { dueList } from '../../../main/core/due/service';
import { setEquipmentStatus, updateEquipment } from '../../../main/core/equipment/service';
import { testActor, tempDir, testCore } from '../../helpers/core';
import { device, place, plan } from '../plans/fixtures';

const ID = (n: number) => `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`;

describe('migration 5 (due list targets on plans)', () => {
  it('copies each plan\'s target into it from a version-4 database', () => {
    const dir = tempDir();
    const db = new BetterSqlite3(path.join(dir, DB_FILE));
    applyPragmas(db);
    migrate(db, { migrations: migrations.slice(0, 4) });
    const now = '2025-01-01T00:00:00.000Z';
    db.prepare("INSERT INTO locations (id, name, name_key, kind, created_at, updated_at, pc_id) VALUES (?, 'Site', 'site', 'site', ?, ?, 'pc')").run(ID(1), now, now);
    db.prepare(
      `INSERT INTO equipment (id, asset_tag, asset_tag_key, name, location_id, risk, status, created_at, updated_at, pc_id)
       VALUES (?, 'OLD-1', 'OLD-1', 'Old pump', ?, 'high', 'in_service', ?, ?, 'pc'), (?, 'OLD-2', 'OLD-2', 'Broken pump', ?, NULL, 'out_of_service', ?, ?, 'pc')`,
    ).run(ID(2), ID(1), now, now, ID(3), ID(1), now, now);
    db.prepare("INSERT INTO stock_locations (id, name, kind, location_id, created_at, updated_at, pc_id) VALUES (?, 'Crash cart', 'crash_cart', ?, ?, ?, 'pc')").run(ID(4), ID(1), now, now);
    const insertPlan = db.prepare(
      `INSERT INTO plans (id, equipment_id, stock_location_id, task, interval_n, interval_unit, start_date, window_days, grace_days, next_due, due_from, created_at, updated_at, pc_id)
       VALUES (?, ?, ?, ?, 1, 'year', '2025-01-01', 0, 0, '2025-01-01', '2025-01-01', ?, ?, 'pc')`,
    );
    insertPlan.run(ID(5), ID(2), null, 'calibration', now, now);
    insertPlan.run(ID(6), ID(3), null, 'calibration', now, now);
    insertPlan.run(ID(7), null, ID(4), 'stock_check', now, now);
    db.close();

    const core = testCore({ dataDir: dir });
    expect(core.db.prepare('SELECT id, target_in_service, target_location_id, target_tag, target_name, target_risk FROM plans ORDER BY id').all()).toEqual([
      { id: ID(5), target_in_service: 1, target_location_id: ID(1), target_tag: 'OLD-1', target_name: 'Old pump', target_risk: 'high' },
      { id: ID(6), target_in_service: 0, target_location_id: ID(1), target_tag: 'OLD-2', target_name: 'Broken pump', target_risk: null },
      { id: ID(7), target_in_service: 1, target_location_id: ID(1), target_tag: null, target_name: 'Crash cart', target_risk: null },
    ]);
    expect(dueList(core, { asOf: '2025-06-01', sort: 'status' }).map((r) => r.name).sort()).toEqual(['Crash cart', 'Old pump']);
  });

  it('keeps them current through every change to the device, in the same transaction', () => {
    const core = testCore();
    const id = device(core, 'IP-1', { location: 'General Hospital > Ward 4B > Bay 1' });
    plan(core, id, 'calibration', '1y', '2020-01-01');
    const listed = () => dueList(core, { asOf: '2026-01-01', sort: 'status' }).map((r) => `${r.assetTag} ${r.name} @ ${r.location}`);
    expect(listed()).toEqual(['IP-1 Device IP-1 @ General Hospital > Ward 4B > Bay 1']);
    const bay2 = place(core, 'General Hospital > Ward 4B > Bay 2');
    const e = core.db.prepare('SELECT * FROM equipment WHERE id = ?').get(id) as { location_id: string };
    inTransaction(core, (core) =>
      updateEquipment(core, testActor, {
        id,
        assetTag: 'IP-0001',
        name: 'Infusion pump',
        locationId: bay2,
        categoryId: null,
        manufacturer: null,
        model: null,
        serial: null,
        risk: 'high',
        ownership: null,
        acquiredOn: null,
        inServiceOn: null,
        warrantyUntil: null,
        referenceStandard: false,
        notes: null,
      }),
    );
    expect(e.location_id).not.toBe(bay2);
    expect(listed()).toEqual(['IP-0001 Infusion pump @ General Hospital > Ward 4B > Bay 2']);
    expect(dueList(core, { asOf: '2026-01-01', sort: 'status', risks: ['high'] })).toHaveLength(1);
    inTransaction(core, (core) => setEquipmentStatus(core, testActor, { id, status: 'out_of_service', reason: 'Sent for repair' }));
    expect(listed()).toEqual([]); // rule 11: suspended
    inTransaction(core, (core) => setEquipmentStatus(core, testActor, { id, status: 'in_service', reason: 'Back from repair' }));
    expect(listed()).toEqual(['IP-0001 Infusion pump @ General Hospital > Ward 4B > Bay 2']);
  });
});
