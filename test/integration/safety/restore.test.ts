import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { backupFolder, backupToFolder } from '../../../main/core/backup/folder';
import { backupFileName } from '../../../main/core/backup/names';
import { migrate } from '../../../main/core/db/migrate';
import { LATEST_VERSION, migrations } from '../../../main/core/migrations';
import { testBackend, tempDir } from '../../helpers/core';
import { expectHealthy, seedEquipment, snapshot } from './helpers';
import { signedInUser } from '../../helpers/users';

async function backedUp(n = 5) {
  const t = testBackend('admin');
  await seedEquipment(t.backend, t.session, n, 'OLD');
  const backup = await backupToFolder(t.core, 'manual');
  return { ...t, fileName: path.basename(backup.file) };
}

const count = (db: BetterSqlite3.Database, table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('restore', () => {
  it('shows what a backup holds before anything is restored', async () => {
    const { backend, session, fileName } = await backedUp(5);
    const res = await backend.invoke(session, 'backups.inspect', { fileName });
    expect(res).toMatchObject({
      ok: true,
      value: { fileName, verified: true, restorable: true, compatibility: 'same', schemaVersion: LATEST_VERSION, counts: { equipment: 5, completions: 0, users: 1 } },
    });
    expect(await backend.invoke(session, 'backups.inspect', { fileName: '../wardkeep.sqlite3' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await backend.invoke(session, 'backups.inspect', { fileName: backupFileName(new Date(), 'auto') })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await backend.invoke(session, 'backups.restore', { fileName })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'confirm' } });
  });

  it('backs up the current database first, then replaces it under the open connection, and signs everyone out', async () => {
    const { core, backend, session, fileName } = await backedUp(5);
    await seedEquipment(backend, session, 3, 'NEW');
    const events: string[] = [];
    backend.onEvent((e) => events.push(e));
    const res = await backend.invoke(session, 'backups.restore', { fileName, confirm: true });
    expect(res).toMatchObject({ ok: true, value: { restoredFrom: fileName, schemaVersion: LATEST_VERSION, migratedFrom: null } });
    const safety = (res as { value: { safetyBackup: string } }).value.safetyBackup;
    // The app's own open connection sees the restored data at once; its statements still work.
    expect(count(core.db, 'equipment')).toBe(5);
    expect(core.db.prepare("SELECT count(*) AS n FROM equipment WHERE asset_tag LIKE 'NEW-%'").get()).toEqual({ n: 0 });
    expectHealthy(core.db);
    const last = core.db.prepare('SELECT action, entity, new_value FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { action: string; new_value: string };
    expect(last.action).toBe('restore');
    expect(JSON.parse(last.new_value)).toMatchObject({ backup: fileName });
    expect(session.user).toBeNull();
    expect(events).toEqual(expect.arrayContaining(['database.restored', 'data.changed']));
    // The database is still in WAL mode and still this PC's.
    const fresh = new BetterSqlite3(core.file, { readonly: true });
    expect(fresh.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(fresh.prepare("SELECT value FROM meta WHERE key = 'pc_id'").get()).toEqual({ value: core.pcId });
    fresh.close();
    // The safety backup holds what was there before the restore.
    const kept = new BetterSqlite3(path.join(backupFolder(core.dataDir), safety), { readonly: true });
    expect(count(kept, 'equipment')).toBe(8);
    kept.close();
    // And the app carries on writing.
    signedInUser(core, 'admin', { name: 'Admin', session });
    expect((await backend.invoke(session, 'locations.create', { name: 'After the restore' })).ok).toBe(true);
    expectHealthy(core.db);
  });

  it('upgrades an older backup on a copy before restoring it', async () => {
    const { core, backend, session } = testBackend('admin');
    await seedEquipment(backend, session, 2);
    // A version-1 database, as an earlier Wardkeep wrote it.
    const oldDir = tempDir();
    const oldFile = path.join(oldDir, 'old.sqlite3');
    const old = new BetterSqlite3(oldFile);
    migrate(old, { migrations: migrations.slice(0, 1) });
    old.close();
    const folder = backupFolder(core.dataDir);
    mkdirSync(folder, { recursive: true });
    const fileName = backupFileName(new Date('2025-06-01T10:00:00Z'), 'auto');
    copyFileSync(oldFile, path.join(folder, fileName));
    expect(await backend.invoke(session, 'backups.inspect', { fileName })).toMatchObject({ ok: true, value: { compatibility: 'older', schemaVersion: 1, restorable: true } });
    const res = await backend.invoke(session, 'backups.restore', { fileName, confirm: true });
    expect(res).toMatchObject({ ok: true, value: { schemaVersion: LATEST_VERSION, migratedFrom: 1 } });
    expect(core.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(count(core.db, 'equipment')).toBe(0);
    expectHealthy(core.db);
    // The backup file itself is untouched.
    const again = new BetterSqlite3(path.join(folder, fileName), { readonly: true });
    expect(again.pragma('user_version', { simple: true })).toBe(1);
    again.close();
  });

  it('refuses a backup from a newer version, or a damaged one, and changes nothing', async () => {
    const { core, backend, session, fileName } = await backedUp(3);
    await seedEquipment(backend, session, 1, 'NEW');
    const folder = backupFolder(core.dataDir);
    const newer = backupFileName(new Date('2026-02-01T00:00:00Z'), 'auto');
    copyFileSync(path.join(folder, fileName), path.join(folder, newer));
    const raw = new BetterSqlite3(path.join(folder, newer));
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`);
    raw.close();
    const damaged = backupFileName(new Date('2026-02-02T00:00:00Z'), 'auto');
    writeFileSync(path.join(folder, damaged), Buffer.alloc(8192, 7));
    const before = snapshot(core.db);
    expect(await backend.invoke(session, 'backups.restore', { fileName: newer, confirm: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/newer version of Wardkeep/) },
    });
    expect(await backend.invoke(session, 'backups.restore', { fileName: damaged, confirm: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/does not pass its check/) },
    });
    expect(snapshot(core.db)).toEqual(before);
  });

  it('does nothing, and says so, when another program holds the database', async () => {
    const { core, backend, session, fileName } = await backedUp(3);
    await seedEquipment(backend, session, 2, 'NEW');
    const other = new BetterSqlite3(core.file);
    other.prepare('BEGIN IMMEDIATE').run();
    try {
      const res = await backend.invoke(session, 'backups.restore', { fileName, confirm: true });
      expect(res).toMatchObject({ ok: false, error: { code: 'storage', message: expect.stringMatching(/busy/) } });
    } finally {
      other.prepare('ROLLBACK').run();
      other.close();
    }
    expect(count(core.db, 'equipment')).toBe(5);
    expectHealthy(core.db);
  });
});
