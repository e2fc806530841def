import { describe, expect, it } from 'vitest';
import type { Backend } from '../../../main/core/backend';
import type { Session } from '../../../main/core/session';
import { commitEquipmentImport } from '../../../main/core/equipment/import/service';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { testActor, testBackend } from '../../helpers/core';
import { expectHealthy, seedEquipment, snapshot } from './helpers';

/** Writes until one fails; returns that failure and the state just before it. */
async function writeUntilFull(backend: Backend, session: Session, locationId: string) {
  for (let i = 0; i < 500; i++) {
    const before = snapshot(backend.core.db);
    const input = { assetTag: `FULL-${i}`, name: 'Monitor', locationId, notes: 'n'.repeat(3900) };
    const res = await backend.invoke(session, 'equipment.create', input);
    if (!res.ok) return { res, before, input };
  }
  throw new Error('The database never filled up.');
}

describe('disk full (max_page_count caps the database)', () => {
  it('a write fails with the plain storage message, half of nothing is kept, and the app works once space is free', async () => {
    const { core, backend, session } = testBackend('admin');
    const { locationId } = await seedEquipment(backend, session, 5);
    const pages = core.db.pragma('page_count', { simple: true }) as number;
    core.db.pragma(`max_page_count = ${pages + 2}`);

    const { res, before, input } = await writeUntilFull(backend, session, locationId);
    expect(res).toEqual({ ok: false, error: { code: 'storage', message: 'The disk is full, so nothing was saved. Free some space on this PC and try again.' } });
    // Not half-written: no device row without its audit entry, nothing at all from the failed call.
    expect(snapshot(core.db)).toEqual(before);
    expectHealthy(core.db);
    // Reads still work while the disk is full.
    expect((await backend.invoke(session, 'equipment.findByTag', { tag: 'EQ-00001' })).ok).toBe(true);

    // An import of many rows when full: all or nothing. (The channel runs it in the worker thread,
    // whose own connection this cap does not reach: here it runs as the worker runs it, on the
    // capped connection; a full disk's error crossing from the worker is checked in worker.test.ts.)
    const csv = ['asset_tag,name,location', ...Array.from({ length: 300 }, (_, i) => `IMP-${i},Scale ${i},Ward EQ`)].join('\n');
    const importWhenFull = () => inTransaction(core, (writable) => commitEquipmentImport(writable, testActor, { source: { text: csv } }));
    expect(importWhenFull).toThrow(expect.objectContaining({ code: 'SQLITE_FULL' }));
    expect(snapshot(core.db)).toEqual(before);

    // Space is freed: the same write now succeeds, and so does the import.
    core.db.pragma('max_page_count = 1073741823');
    expect(await backend.invoke(session, 'equipment.create', input)).toMatchObject({ ok: true });
    expect(await backend.invoke(session, 'equipment.import.commit', { source: { text: csv } })).toMatchObject({ ok: true, value: { created: 300 } });
    expectHealthy(core.db);
  });

  it('a backup to a full disk is reported as a sentence naming the folder', async () => {
    const { backupWriteError } = await import('../../../main/core/backup/create');
    for (const code of ['SQLITE_FULL', 'ENOSPC']) {
      const err = backupWriteError(Object.assign(new Error('full'), { code }), '/media/usb/b.sqlite3');
      expect(err).toMatchObject({ code: 'storage', message: 'There is not enough space in /media/usb for the backup. Free some space or choose another backup folder.' });
    }
  });
});
