import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../main/core/audit';
import { migrate } from '../../../main/core/db/migrate';
import { applyPragmas, DB_FILE } from '../../../main/core/db/open';
import { migrations } from '../../../main/core/migrations';
import { checkPermanentRows } from '../../../main/core/permanent/check';
import { tempDir, testCore } from '../../helpers/core';
import { dropPermanentTriggers } from './helpers';

const ID = (n: number) => `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const NOW = '2025-01-01T00:00:00.000Z';

/** A version-5 database with a record, its checklist step, reading and stock transaction, written as version 5 wrote them. */
function version5(): string {
  const dir = tempDir();
  const db = new BetterSqlite3(path.join(dir, DB_FILE));
  applyPragmas(db);
  migrate(db, { migrations: migrations.slice(0, 5) });
  db.prepare("INSERT INTO meta (key, value) VALUES ('pc_id', 'pc-5')").run();
  db.prepare("INSERT INTO locations (id, name, name_key, kind, created_at, updated_at, pc_id) VALUES (?, 'Site', 'site', 'site', ?, ?, 'pc-5')").run(ID(1), NOW, NOW);
  db.prepare("INSERT INTO equipment (id, asset_tag, asset_tag_key, name, location_id, created_at, updated_at, pc_id) VALUES (?, 'P-1', 'P-1', 'Pump', ?, ?, ?, 'pc-5')").run(ID(2), ID(1), NOW, NOW);
  db.prepare(
    `INSERT INTO plans (id, equipment_id, task, interval_n, interval_unit, start_date, window_days, grace_days, next_due, due_from, created_at, updated_at, pc_id)
     VALUES (?, ?, 'calibration', 1, 'year', '2025-01-01', 0, 0, '2025-01-01', '2025-01-01', ?, ?, 'pc-5')`,
  ).run(ID(3), ID(2), NOW, NOW);
  db.prepare(
    `INSERT INTO completions (id, plan_id, equipment_id, task, performed_at, performed_on, outcome, performed_by_name, source, created_at, pc_id)
     VALUES (?, ?, ?, 'calibration', '2025-01-01T09:00:00.000Z', '2025-01-01', 'pass', 'Old Tech', 'app', '2025-01-02T10:00:00.000Z', 'pc-5')`,
  ).run(ID(4), ID(3), ID(2));
  db.prepare("INSERT INTO completion_steps (completion_id, position, text, result) VALUES (?, 1, 'Case intact', 'pass')").run(ID(4));
  db.prepare("INSERT INTO completion_readings (completion_id, position, label, unit, nominal, as_found, found_in_tolerance) VALUES (?, 1, 'Flow', 'ml/h', 10, 10.2, 1)").run(ID(4));
  db.close();
  return dir;
}

describe('migration 6 (records bound to the audit trail)', () => {
  it('binds every permanent row a version-5 database holds and keeps when each record was entered', () => {
    const dir = version5();
    const core = testCore({ dataDir: dir });
    expect(core.db.prepare('SELECT entered_at, late_reason FROM completions').get()).toEqual({ entered_at: '2025-01-02T10:00:00.000Z', late_reason: null });
    expect(core.db.prepare("SELECT entity, entity_id FROM audit_log WHERE action = 'bind' ORDER BY seq").all()).toEqual([
      { entity: 'completion', entity_id: ID(4) },
      { entity: 'completion_step', entity_id: `${ID(4)}/1` },
      { entity: 'completion_reading', entity_id: `${ID(4)}/1` },
    ]);
    expect(verifyAuditChain(core.db)).toEqual({ ok: true, entries: 3, chains: 1 });
    expect(checkPermanentRows(core.db)).toMatchObject({ ok: true, rows: 3 });
    // The records stay permanent.
    expect(() => core.db.prepare("UPDATE completions SET outcome = 'fail'").run()).toThrow(/permanent/);
    // From now on a change to a record made before the upgrade is found too.
    core.close();
    const db = new BetterSqlite3(path.join(dir, DB_FILE));
    dropPermanentTriggers(db);
    db.prepare('UPDATE completion_readings SET as_found = 12').run();
    expect(checkPermanentRows(db).findings.map((f) => f.message)).toEqual([
      `Reading 1 of completion ${ID(4)} was changed outside Wardkeep: as_found is 12 in the database, but audit entry 3 recorded 10.2.`,
    ]);
    db.close();
  });
});
