import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupFolder, backupToFolder } from '../../../main/core/backup/folder';
import { newSession } from '../../../main/core/session';
import { testBackend } from '../../helpers/core';
import { signedInUser } from '../../helpers/users';
import { seedEquipment } from './helpers';
import { settledBackupStatus } from './settled-backups';

/**
 * The clinic PC's disk dies. IT installs Wardkeep on a new PC and plugs in the USB stick the old PC
 * backed up to: docs/data.md says backups on the same disk do not protect against a dead disk ("point
 * the folder at another disk or a USB stick"), so this is what a stick backup is for.
 */
describe('a backup from another PC (the old PC whose disk died)', () => {
  it('is listed, checked and restored on the new PC, and the new PC carries on', async () => {
    const old = testBackend('admin');
    await seedEquipment(old.backend, old.session, 4, 'OLD');
    const made = await backupToFolder(old.core, 'auto');

    const fresh = testBackend('admin');
    const folder = backupFolder(fresh.core.dataDir);
    mkdirSync(folder, { recursive: true });
    const fileName = path.basename(made.file);
    copyFileSync(made.file, path.join(folder, fileName));

    expect(await settledBackupStatus(fresh.backend, fresh.session)).toMatchObject({ backups: [{ fileName, verified: true }] });
    expect(await fresh.backend.invoke(fresh.session, 'backups.inspect', { fileName })).toMatchObject({ ok: true, value: { restorable: true, counts: { equipment: 4 } } });
    expect(await fresh.backend.invoke(fresh.session, 'backups.restore', { fileName, confirm: true })).toMatchObject({ ok: true });
    expect(fresh.core.db.prepare('SELECT count(*) FROM equipment').pluck().get()).toBe(4);
    // The next backup on the new PC verifies.
    const next = await backupToFolder(fresh.core, 'manual');
    expect(next.check.ok).toBe(true);
    signedInUser(fresh.core, 'admin', { name: 'After restore', session: fresh.session });
    expect((await fresh.backend.invoke(fresh.session, 'locations.create', { name: 'Ward after' })).ok).toBe(true);
  });

  it('restoring signs out every other person signed in on the PC (the users may differ)', async () => {
    const t = testBackend('admin');
    await seedEquipment(t.backend, t.session, 2, 'A');
    const made = await backupToFolder(t.core, 'manual');
    const other = newSession(t.core.clock.now().getTime());
    signedInUser(t.core, 'technician', { name: 'Tom Tech', session: other });
    expect((await t.backend.invoke(other, 'locations.list', {})).ok).toBe(true);
    expect(await t.backend.invoke(t.session, 'backups.restore', { fileName: path.basename(made.file), confirm: true })).toMatchObject({ ok: true });
    expect(await t.backend.invoke(other, 'locations.list', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });
});
