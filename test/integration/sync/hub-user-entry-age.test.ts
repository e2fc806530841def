import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core/context';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { PUSH_BATCH, SyncClient } from '../../../main/core/sync/engine';
import type { HubContext } from '../../../main/hub/server';
import { insertUser, updateUser } from '../../../main/core/users/service';
import { testActor, testCore } from '../../helpers/core';
import { fileDatabases } from './file-databases';
import { directTransport, testHub, testPc } from './harness';

/**
 * An entry the hub took before vouches for a change of a user only if it is not older than the
 * value the hub holds (store.ts, auditedUserChanges). Both are read on the same clock: the stamp
 * of the entry's own change against the value's stamp, not the entry's `at` (the PC's wall clock,
 * which the stamps correct by the hub's time). A PC whose clock runs ten minutes behind the hub's
 * sends again what a restored hub lost: its genuine change is taken.
 */

const { fresh: freshDatabase, dumpOf } = fileDatabases();
const clientFor = (hub: HubContext, core: Core) => new SyncClient(core, directTransport(hub, core));
const refused = (core: Core) => core.db.prepare('SELECT reason FROM sync_quarantine').pluck().all();
const BEHIND = 10 * 60_000;

describe('a PC whose clock is behind the hub sends everything again to a restored hub', () => {
  it("its user's role, changed minutes after the value the restored hub holds, is taken with the entry it sent in an earlier push", async () => {
    const url = await freshDatabase();
    const night = await testHub({ databaseUrl: url });
    const core = testCore({ clock: { now: () => new Date(Date.now() - BEHIND) } });
    const insert = core.db.prepare(
      "INSERT INTO categories (id, name, name_key, default_risk, notes, active, created_at, updated_at, pc_id) VALUES (?, ?, ?, NULL, NULL, 1, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', ?)",
    );
    inTransaction(core, () => {
      for (let i = 0; i < PUSH_BATCH + 100; i++) insert.run(randomUUID(), `Category ${i}`, `category ${i}`, core.pcId);
    });
    const tom = inTransaction(core, (w) =>
      insertUser(w, testActor, { name: 'Tom Tech', role: 'technician', homeLocationId: null, pinHash: 'scrypt$tom', passwordHash: null, mustSetPin: false }),
    );
    const ward = await testPc(night, 'Ward 4B', { core });
    await ward.sync();
    await night.close();
    const dump = await dumpOf(url);

    // A minute later (hub time) Tom becomes a supervisor: sent and confirmed, then the hub goes back to the dump.
    const day = await testHub({ databaseUrl: url });
    inTransaction(ward.core, (w) => updateUser(w, testActor, tom.id, { name: 'Tom Tech', role: 'supervisor', homeLocationId: null }));
    await clientFor(day, ward.core).syncOnce();
    expect(refused(ward.core)).toEqual([]);
    await day.close();

    const restored = await testHub({ databaseUrl: dump });
    await clientFor(restored, ward.core).syncOnce();
    expect((await restored.pool.query<{ reason: string }>('SELECT reason FROM hub_quarantine')).rows).toEqual([]);
    expect(refused(ward.core)).toEqual([]);
    expect((await restored.pool.query<{ role: string }>("SELECT role FROM users WHERE name = 'Tom Tech'")).rows).toEqual([{ role: 'supervisor' }]);
  }, 180_000);
});
