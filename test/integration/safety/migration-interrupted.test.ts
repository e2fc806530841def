import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../main/core/audit';
import { checkBackupFile, listBackupFiles } from '../../../main/core/backup/folder';
import { preMigrationBackup } from '../../../main/core/backup/recover';
import { migrate } from '../../../main/core/db/migrate';
import { DB_FILE, openDatabase } from '../../../main/core/db/open';
import { LATEST_VERSION, migrations } from '../../../main/core/migrations';
import { tempDir } from '../../helpers/core';
import { exited, sleep, spawnTs, waitFor } from './child';
import { integrityOk } from './helpers';

describe('a migration killed half-way', () => {
  it('leaves the old version intact (with a verified pre-migration backup); the next open migrates again', async () => {
    const dir = tempDir();
    const file = path.join(dir, DB_FILE);
    // A version-1 database holding a location, as an earlier Wardkeep left it.
    const old = new BetterSqlite3(file);
    old.pragma('journal_mode = WAL');
    migrate(old, { migrations: migrations.slice(0, 1) });
    old.prepare("INSERT INTO meta (key, value) VALUES ('pc_id', 'pc-old')").run();
    old
      .prepare(
        "INSERT INTO locations (id, parent_id, name, name_key, kind, created_at, updated_at, pc_id) VALUES ('loc-1', NULL, 'Ward 7', 'ward 7', 'site', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', 'pc-old')",
      )
      .run();
    old.close();

    const child = spawnTs('test/integration/safety/children/slow-migration.ts', [dir]);
    await waitFor(() => child.lines.includes('migrating') || child.exitCode !== null, 30_000, 'the slow migration to start', child);
    await sleep(150 + Math.floor(Math.random() * 200));
    child.kill('SIGKILL');
    expect((await exited(child)).signal, child.stderrText()).toBe('SIGKILL');

    const after = new BetterSqlite3(file);
    expect(after.pragma('user_version', { simple: true })).toBe(1);
    expect(integrityOk(after)).toBe(true);
    expect(after.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'slow_test'").get()).toEqual({ n: 0 });
    expect(after.prepare('SELECT name FROM locations').all()).toEqual([{ name: 'Ward 7' }]);
    after.close();

    // The child backed the database up before it started migrating.
    const backups = listBackupFiles(path.join(dir, 'backups'));
    expect(backups.map((b) => b.reason)).toEqual(['pre-migration']);
    expect(checkBackupFile(backups[0]!.file)).toMatchObject({ ok: true, schemaVersion: 1 });

    // The next start migrates again, from version 1, to the app's real latest version.
    const reopened = openDatabase({ dataDir: dir, beforeMigrate: preMigrationBackup(dir) });
    expect(reopened.migrated).toEqual({ from: 1, to: LATEST_VERSION });
    expect(integrityOk(reopened.db)).toBe(true);
    expect(verifyAuditChain(reopened.db)).toMatchObject({ ok: true });
    expect(reopened.db.prepare('SELECT name FROM locations').all()).toEqual([{ name: 'Ward 7' }]);
    reopened.db.close();
    expect(listBackupFiles(path.join(dir, 'backups'))).toHaveLength(2);
  }, 60_000);
});
