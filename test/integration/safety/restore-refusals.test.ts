import { copyFileSync, statSync, truncateSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupFolder, backupToFolder } from '../../../main/core/backup/folder';
import { backupFileName } from '../../../main/core/backup/names';
import { LATEST_VERSION } from '../../../main/core/migrations';
import { testBackend } from '../../helpers/core';
import { seedEquipment, snapshot } from './helpers';

describe('a restore refused leaves the live database as it was', () => {
  it('a backup cut to half its size', async () => {
    const { core, backend, session } = testBackend('admin');
    await seedEquipment(backend, session, 60, 'OLD');
    const b = await backupToFolder(core, 'manual');
    await seedEquipment(backend, session, 2, 'NEW');
    const folder = backupFolder(core.dataDir);
    const fileName = backupFileName(new Date('2026-02-01T10:00:00Z'), 'manual');
    copyFileSync(b.file, path.join(folder, fileName));
    truncateSync(path.join(folder, fileName), Math.floor(statSync(b.file).size / 2));
    const before = snapshot(core.db);
    const res = await backend.invoke(session, 'backups.restore', { fileName, confirm: true });
    expect(res.ok).toBe(false);
    expect(snapshot(core.db)).toEqual(before);
  });

  it('a backup of a newer Wardkeep (a higher schema version), said so', async () => {
    const { core, backend, session } = testBackend('admin');
    await seedEquipment(backend, session, 2, 'OLD');
    const b = await backupToFolder(core, 'manual');
    const Better = (await import('better-sqlite3')).default;
    const folder = backupFolder(core.dataDir);
    const fileName = backupFileName(new Date('2026-02-01T10:00:00Z'), 'manual');
    copyFileSync(b.file, path.join(folder, fileName));
    const db = new Better(path.join(folder, fileName));
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    db.close();
    const before = snapshot(core.db);
    const res = await backend.invoke(session, 'backups.restore', { fileName, confirm: true });
    expect(res).toMatchObject({ ok: false, error: { message: expect.stringMatching(/newer version/) } });
    expect(snapshot(core.db)).toEqual(before);
  });
});
