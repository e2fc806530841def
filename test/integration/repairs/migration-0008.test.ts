import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../main/core/audit';
import { migrate, schemaVersion } from '../../../main/core/db/migrate';
import { applyPragmas, DB_FILE } from '../../../main/core/db/open';
import { LATEST_VERSION, migrations } from '../../../main/core/migrations';
import { migration0008 } from '../../../main/core/migrations/0008-repairs';
import { checkPermanentRows } from '../../../main/core/permanent/check';
import { tempDir, testCore } from '../../helpers/core';

/** The version before repairs: 6 until 0007 (sync) is merged, 7 after; found, not written, so merging changes nothing here. */
const BEFORE = migrations[migrations.indexOf(migration0008) - 1]!.version;

const ID = (n: number) => `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const NOW = '2025-01-01T00:00:00.000Z';

/** A database as the version before wrote it: a technician who signed a record, a pump in service and a defibrillator out of service. */
function previousVersion(): string {
  const dir = tempDir();
  const db = new BetterSqlite3(path.join(dir, DB_FILE));
  applyPragmas(db);
  migrate(db, { migrations: migrations.filter((m) => m.version <= BEFORE) });
  expect(schemaVersion(db)).toBe(BEFORE);
  db.prepare("INSERT INTO meta (key, value) VALUES ('pc_id', 'pc-old') ON CONFLICT (key) DO NOTHING").run();
  db.prepare("INSERT INTO locations (id, name, name_key, kind, created_at, updated_at, pc_id) VALUES (?, 'Ward', 'ward', 'site', ?, ?, 'pc-old')").run(ID(1), NOW, NOW);
  db.prepare("INSERT INTO users (id, name, name_key, role, created_at, updated_at, pc_id) VALUES (?, 'Tom Tech', 'tom tech', 'technician', ?, ?, 'pc-old')").run(ID(2), NOW, NOW);
  const device = db.prepare(
    "INSERT INTO equipment (id, asset_tag, asset_tag_key, name, location_id, status, status_reason, created_at, updated_at, pc_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pc-old')",
  );
  device.run(ID(3), 'IP-1', 'IP-1', 'Pump', ID(1), 'in_service', null, NOW, NOW);
  device.run(ID(4), 'DF-1', 'DF-1', 'Defibrillator', ID(1), 'out_of_service', 'Paddles cracked', NOW, NOW);
  db.close();
  return dir;
}

describe(`migration 8 (repairs), from version ${BEFORE}`, () => {
  it('keeps every user and their references, starts the status history from what it finds, bound; seeds the codes and task types', () => {
    const dir = previousVersion();
    const core = testCore({ dataDir: dir });
    // Opened by the app: through version 8 and on to the latest.
    expect(migration0008.version).toBeLessThanOrEqual(LATEST_VERSION);
    expect(schemaVersion(core.db)).toBe(LATEST_VERSION);
    expect(core.db.prepare('SELECT id, name, role FROM users').all()).toEqual([{ id: ID(2), name: 'Tom Tech', role: 'technician' }]);
    expect(core.db.pragma('foreign_key_check')).toEqual([]);
    // The widened role: ward staff can be stored now, and users still cannot be deleted.
    core.db.prepare("UPDATE users SET role = 'ward_staff' WHERE id = ?").run(ID(2));
    expect(() => core.db.prepare('DELETE FROM users').run()).toThrow(/never deleted/);
    expect(core.db.prepare('SELECT equipment_id, from_status, to_status, cause, reason FROM status_changes').all()).toEqual([
      { equipment_id: ID(4), from_status: null, to_status: 'out_of_service', cause: 'upgrade', reason: 'The status the device had when Wardkeep began to keep a status history.' },
    ]);
    expect(verifyAuditChain(core.db)).toMatchObject({ ok: true });
    expect(checkPermanentRows(core.db)).toMatchObject({ ok: true });
    expect(core.db.prepare("SELECT code, form_kind, builtin FROM task_types WHERE code IN ('acceptance', 'repair') ORDER BY code").all()).toEqual([
      { code: 'acceptance', form_kind: 'checklist', builtin: 1 },
      { code: 'repair', form_kind: 'plain', builtin: 1 },
    ]);
    const codes = core.db.prepare('SELECT kind, label FROM repair_codes ORDER BY kind, sort_order').all() as { kind: string; label: string }[];
    expect(codes.filter((c) => c.kind === 'cause').map((c) => c.label)).toEqual(
      expect.arrayContaining(['No fault found', 'Use error', 'Accessory or consumable', 'Wear', 'Damage or drop', 'Fluid ingress', 'Software', 'Power or battery', 'Other']),
    );
    expect(() => core.db.prepare('DELETE FROM status_changes').run()).toThrow(/permanent/);
  });
});
