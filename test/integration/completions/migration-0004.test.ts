import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../main/core/db/migrate';
import { applyPragmas, DB_FILE } from '../../../main/core/db/open';
import { LATEST_VERSION, migrations } from '../../../main/core/migrations';
import { tempDir, testCore } from '../../helpers/core';

const ID = (n: number) => `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`;

describe('migration 4 (amended-by signatures)', () => {
  it('keeps the signatures of a version-3 database, still permanent, and accepts "amended by"', () => {
    const dir = tempDir();
    const db = new BetterSqlite3(path.join(dir, DB_FILE));
    applyPragmas(db);
    migrate(db, { migrations: migrations.slice(0, 3) });
    const now = '2025-03-01T09:00:00.000Z';
    db.prepare("INSERT INTO locations (id, name, name_key, kind, created_at, updated_at, pc_id) VALUES (?, 'Site', 'site', 'site', ?, ?, 'pc')").run(ID(1), now, now);
    db.prepare("INSERT INTO users (id, name, name_key, role, created_at, updated_at, pc_id) VALUES (?, 'Ana', 'ana', 'technician', ?, ?, 'pc')").run(ID(2), now, now);
    db.prepare("INSERT INTO equipment (id, asset_tag, asset_tag_key, name, location_id, created_at, updated_at, pc_id) VALUES (?, 'P-1', 'P-1', 'Pump', ?, ?, ?, 'pc')").run(ID(3), ID(1), now, now);
    db.prepare(
      `INSERT INTO completions (id, equipment_id, task, performed_at, performed_on, outcome, performed_by_user_id, performed_by_name, source, created_at, pc_id)
       VALUES (?, ?, 'cleaning', ?, '2025-03-01', 'pass', ?, 'Ana', 'app', ?, 'pc')`,
    ).run(ID(4), ID(3), now, ID(2), now);
    db.prepare(
      `INSERT INTO signatures (id, completion_id, user_id, signer_name, signer_role, meaning, signed_at, pc_id)
       VALUES (?, ?, ?, 'Ana', 'technician', 'performed_by', ?, 'pc')`,
    ).run(ID(5), ID(4), ID(2), now);
    expect(() => db.prepare("INSERT INTO signatures (id, completion_id, user_id, signer_name, signer_role, meaning, signed_at, pc_id) VALUES (?, ?, ?, 'Ana', 'technician', 'amended_by', ?, 'pc')").run(ID(6), ID(4), ID(2), now)).toThrow(/CHECK/);
    db.close();

    const core = testCore({ dataDir: dir });
    expect(core.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(core.db.prepare('SELECT id, signer_name, meaning, signed_at FROM signatures').all()).toEqual([
      { id: ID(5), signer_name: 'Ana', meaning: 'performed_by', signed_at: now },
    ]);
    core.db
      .prepare("INSERT INTO signatures (id, completion_id, user_id, signer_name, signer_role, meaning, signed_at, pc_id) VALUES (?, ?, ?, 'Ana', 'technician', 'amended_by', ?, 'pc')")
      .run(ID(6), ID(4), ID(2), now);
    expect(() => core.db.prepare("UPDATE signatures SET signer_name = 'Eve'").run()).toThrow(/permanent/);
    expect(() => core.db.prepare('DELETE FROM signatures').run()).toThrow(/permanent/);
    expect(core.db.pragma('foreign_key_check')).toEqual([]);
  });
});
