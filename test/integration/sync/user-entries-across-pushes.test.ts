import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core/context';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { PUSH_BATCH, SyncClient } from '../../../main/core/sync/engine';
import type { HubContext } from '../../../main/hub/server';
import { insertUser, updateUser, userRowByName } from '../../../main/core/users/service';
import { testActor, testCore } from '../../helpers/core';
import { fileDatabases } from './file-databases';
import { directTransport, testHub, testPc } from './harness';

/**
 * The hub takes a user, new or changed, only with the audit entry Wardkeep writes of it
 * (hub-adversary.test.ts). A PC that sends everything it holds, in more than one push (it joins
 * with a clinic's worth of data, or a restored hub lost what it had confirmed), still has every
 * user taken: its entries go before its users, and the hub counts the entries it took before.
 */

const { fresh: freshDatabase, dumpOf } = fileDatabases();
const clientFor = (hub: HubContext, core: Core) => new SyncClient(core, directTransport(hub, core));
const refused = (core: Core) => core.db.prepare('SELECT reason FROM sync_quarantine').pluck().all();

/** A clinic's PC that worked alone: more categories than one push holds, and Tom, a technician. */
function clinicPc() {
  const core = testCore();
  const insert = core.db.prepare(
    "INSERT INTO categories (id, name, name_key, default_risk, notes, active, created_at, updated_at, pc_id) VALUES (?, ?, ?, NULL, NULL, 1, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', ?)",
  );
  inTransaction(core, () => {
    for (let i = 0; i < PUSH_BATCH + 100; i++) insert.run(randomUUID(), `Category ${i}`, `category ${i}`, core.pcId);
  });
  const tom = inTransaction(core, (w) =>
    insertUser(w, testActor, { name: 'Tom Tech', role: 'technician', homeLocationId: null, pinHash: 'scrypt$tom', passwordHash: null, mustSetPin: false }),
  );
  return { core, tom };
}

describe('a PC sending everything it holds, in more than one push', () => {
  it('joining: its users are taken at the hub and reach the other PCs; nothing is quarantined', async () => {
    const hub = await testHub();
    const { core } = clinicPc();
    const clinic = await testPc(hub, 'Clinic', { core });
    await clinic.sync();
    expect(refused(clinic.core)).toEqual([]);
    expect((await hub.pool.query("SELECT role FROM users WHERE name = 'Tom Tech'")).rows).toEqual([{ role: 'technician' }]);
    const er = await testPc(hub, 'Emergency');
    await er.sync();
    expect(userRowByName(er.core, 'Tom Tech')?.role).toBe('technician');
  }, 120_000);

  it("the hub put back from last night's dump: a role changed since, and a user added while it was down, are taken again with their entries", async () => {
    const url = await freshDatabase();
    const night = await testHub({ databaseUrl: url });
    const { core, tom } = clinicPc();
    const ward = await testPc(night, 'Ward 4B', { core });
    await ward.sync();
    const er = await testPc(night, 'Emergency');
    await er.sync();
    await night.close();
    const dump = await dumpOf(url);
    // The next morning Tom becomes a supervisor: sent and confirmed.
    const day = await testHub({ databaseUrl: url });
    inTransaction(ward.core, (w) => updateUser(w, testActor, tom.id, { name: 'Tom Tech', role: 'supervisor', homeLocationId: null }));
    await clientFor(day, ward.core).syncOnce();
    expect(refused(ward.core)).toEqual([]);
    await day.close();
    // The hub's disk fails; while IT restores the dump, Ann is added on Ward 4B.
    inTransaction(ward.core, (w) =>
      insertUser(w, testActor, { name: 'Ann Nurse', role: 'ward_staff', homeLocationId: null, pinHash: 'scrypt$ann', passwordHash: null, mustSetPin: true }),
    );
    const restored = await testHub({ databaseUrl: dump });
    await clientFor(restored, ward.core).syncOnce();
    expect(refused(ward.core)).toEqual([]);
    expect((await restored.pool.query("SELECT name, role FROM users WHERE name IN ('Tom Tech', 'Ann Nurse') ORDER BY name")).rows).toEqual([
      { name: 'Ann Nurse', role: 'ward_staff' },
      { name: 'Tom Tech', role: 'supervisor' },
    ]);
    expect((await restored.pool.query('SELECT count(*)::int AS n FROM hub_quarantine')).rows).toEqual([{ n: 0 }]);
    await clientFor(restored, er.core).syncOnce();
    expect({ tom: userRowByName(er.core, 'Tom Tech')?.role, ann: userRowByName(er.core, 'Ann Nurse')?.role }).toEqual({ tom: 'supervisor', ann: 'ward_staff' });
    expect(refused(er.core)).toEqual([]);
  }, 180_000);
});
