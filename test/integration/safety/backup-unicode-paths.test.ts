import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../main/core/backend';
import { backupFolder } from '../../../main/core/backup/folder';
import { newSession } from '../../../main/core/session';
import { tempDir, testCore } from '../../helpers/core';
import { signedInUser } from '../../helpers/users';
import { expectHealthy, seedEquipment } from './helpers';

/** A data folder whose name holds spaces, accents and non-Latin letters (a Windows account "José Müller", a ward "Ward 4B – 病棟"). */
describe('backups and restore where the folders have spaces and unicode in their names', () => {
  it('backs up, lists, checks and restores, then carries on', async () => {
    const dataDir = path.join(tempDir(), 'Données José Müller', 'Ward 4B – 病棟');
    mkdirSync(dataDir, { recursive: true });
    const core = testCore({ dataDir });
    const backend = createBackend(core, {
      logError: (e) => {
        throw e;
      },
    });
    const session = newSession(core.clock.now().getTime());
    signedInUser(core, 'admin', { name: 'Zoë Ødegård', session });
    await seedEquipment(backend, session, 3, 'ÉQ');
    const made = await backend.invoke(session, 'backups.run', {});
    expect(made).toMatchObject({ ok: true, value: { verified: true } });
    if (!made.ok) return;
    await seedEquipment(backend, session, 2, 'NEW');
    expect(await backend.invoke(session, 'backups.inspect', { fileName: made.value.fileName })).toMatchObject({ ok: true, value: { restorable: true } });
    expect(await backend.invoke(session, 'backups.restore', { fileName: made.value.fileName, confirm: true })).toMatchObject({ ok: true });
    expect(core.db.prepare('SELECT count(*) FROM equipment').pluck().get()).toBe(3);
    expectHealthy(core.db);
    expect(readdirSync(backupFolder(core.dataDir)).filter((f) => f.endsWith('-pre-restore.sqlite3'))).toHaveLength(1);
    // Nothing left behind beside the database (the restore's temporary copy).
    expect(readdirSync(dataDir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});
