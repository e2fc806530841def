import { copyFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { backupFolder, backupToFolder } from '../../../main/core/backup/folder';
import { backupFileName } from '../../../main/core/backup/names';
import { getState, isEnrolled } from '../../../main/core/sync/state';
import { testBackend } from '../../helpers/core';
import { seedEquipment, snapshot } from './helpers';

/** What enrolling in a hub leaves in sync_state (the keys isEnrolled and the engine read). */
function enrol(db: BetterSqlite3.Database, who: string): void {
  const put = db.prepare('INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  put.run('hub_url', 'https://hub.hospital-a.example:8443');
  put.run('pc_name', `PC ${who}`);
  put.run('pc_key', `private-key-of-${who}`);
  put.run('pc_public_key', `public-key-of-${who}`);
  put.run('enrolled_at', '2026-01-01T00:00:00.000Z');
}

describe('a PC in a hub restores only a backup of itself in the hub', () => {
  it('refuses a backup made before it joined, saying how, and changes nothing: the PC stays in its hub', async () => {
    const { core, backend, session } = testBackend('admin');
    await seedEquipment(backend, session, 3, 'OLD');
    const before = await backupToFolder(core, 'manual');
    enrol(core.db, 'this-pc');
    await seedEquipment(backend, session, 2, 'NEW');
    const live = snapshot(core.db);
    const res = await backend.invoke(session, 'backups.restore', { fileName: path.basename(before.file), confirm: true });
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/is not a backup of it in the hub \(it was made before the PC joined\): restoring it would take the PC out of the hub\. Nothing was changed\. To restore it, leave the hub first/) },
    });
    expect(snapshot(core.db)).toEqual(live);
    expect(isEnrolled(core)).toBe(true);
  });

  it("refuses another PC's backup: this PC never takes another's key and name", async () => {
    const { core, backend, session } = testBackend('admin');
    enrol(core.db, 'this-pc');
    await seedEquipment(backend, session, 2, 'OLD');
    const ours = await backupToFolder(core, 'manual');
    // Ward 7's PC's backup, copied into this PC's backup folder.
    const fileName = backupFileName(new Date('2026-02-01T10:00:00Z'), 'manual');
    copyFileSync(ours.file, path.join(backupFolder(core.dataDir), fileName));
    const other = new BetterSqlite3(path.join(backupFolder(core.dataDir), fileName));
    enrol(other, 'ward-7-pc');
    other.close();
    const res = await backend.invoke(session, 'backups.restore', { fileName, confirm: true });
    expect(res).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/made on another PC, or before the PC joined again/) } });
    expect(getState(core, 'pc_key')).toBe('private-key-of-this-pc');
    // Its own backup in the hub is restored as before.
    const own = await backend.invoke(session, 'backups.restore', { fileName: path.basename(ours.file), confirm: true });
    expect(own).toMatchObject({ ok: true });
    expect(getState(core, 'pc_key')).toBe('private-key-of-this-pc');
  });
});
