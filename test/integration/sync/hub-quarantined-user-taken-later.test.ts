import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import type { SyncOutboxRow } from '../../../main/core/sql/rows';
import { PUSH_BATCH, SyncClient } from '../../../main/core/sync/engine';
import { insertUser, updateUser, userRowByName } from '../../../main/core/users/service';
import { HUB_SCHEMA_VERSION } from '../../../main/hub/schema';
import { testActor, testCore } from '../../helpers/core';
import { fileDatabases } from './file-databases';
import { holdBackEntries, renumber, sendLater } from './outbox';
import { directTransport, testHub, testPc } from './harness';

/**
 * The hub takes a user, new or changed, only with the audit entry Wardkeep writes of it
 * (store.ts, auditedUserChanges); without it the change is quarantined, and the PC, whose push was
 * acknowledged, never sends it again. A PC of the previous version sends its users before their
 * entries when it joins with more than one push: the hub keeps such a change whole and takes it,
 * through the same checks and merge, once a later push brings the entry.
 */

type Hub = Awaited<ReturnType<typeof testHub>>;

const { fresh: freshDatabase } = fileDatabases();

const hubQuarantine = async (hub: Hub) => (await hub.pool.query<{ pk: string; reason: string }>('SELECT pk, reason FROM hub_quarantine ORDER BY id')).rows;
const hubRole = async (hub: Hub, name: string) => (await hub.pool.query<{ role: string }>('SELECT role FROM users WHERE name = $1 AND _exists', [name])).rows[0]?.role;
const stillRefused = async (hub: Hub) => (await hub.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM hub_received WHERE quarantined')).rows[0]!.n;

describe('a user change the hub refused for want of its entry', () => {
  it('a PC of the previous version joining in more than one push (its users before their entries): the user is taken once the entry arrives, and reaches the other PCs', async () => {
    const hub = await testHub();
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
    const clinic = await testPc(hub, 'Clinic', { core });
    // The previous version's order: users first (the table list's order), their entries after the categories.
    renumber(clinic.core, 1, "tbl <> 'users', seq");
    const first = clinic.core.db.prepare("SELECT seq FROM sync_outbox WHERE tbl = 'users'").pluck().all();
    const created = clinic.core.db
      .prepare("SELECT seq FROM sync_outbox WHERE tbl = 'audit_log' AND json_extract(data, '$.entity_id') = ? AND json_extract(data, '$.action') = 'create'")
      .pluck()
      .get(tom.id) as number;
    expect(first.length).toBeGreaterThan(0);
    expect(created).toBeGreaterThan(PUSH_BATCH);

    await clinic.sync();
    expect(await hubRole(hub, 'Tom Tech')).toBe('technician');
    expect(await hubQuarantine(hub)).toEqual([]);
    expect(await stillRefused(hub)).toBe(0);
    const er = await testPc(hub, 'Emergency');
    await er.sync();
    expect(userRowByName(er.core, 'Tom Tech')).toMatchObject({ role: 'technician', pin_hash: 'scrypt$tom' });
  }, 180_000);

  it('a change of a user whose entry comes in a later push is taken then; one no entry records stays refused as it was, until its own entry arrives; the field clocks decide', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    const ann = inTransaction(a.core, (w) =>
      insertUser(w, testActor, { name: 'Ann Nurse', role: 'ward_staff', homeLocationId: null, pinHash: 'scrypt$ann', passwordHash: null, mustSetPin: false }),
    );
    await a.sync();
    await b.sync();
    expect(await hubRole(hub, 'Ann Nurse')).toBe('ward_staff');

    // Ann becomes a technician, then a supervisor; the entries of both go in later pushes.
    inTransaction(a.core, (w) => updateUser(w, testActor, ann.id, { name: 'Ann Nurse', role: 'technician', homeLocationId: null }));
    inTransaction(a.core, (w) => updateUser(w, testActor, ann.id, { name: 'Ann Nurse', role: 'supervisor', homeLocationId: null }));
    const entries = holdBackEntries(a.core, ann.id, 'update');
    expect(entries).toHaveLength(2);
    const [toTechnician, toSupervisor] = entries as [SyncOutboxRow, SyncOutboxRow];
    await a.sync();
    expect(await hubRole(hub, 'Ann Nurse')).toBe('ward_staff');
    const refusal = `users ${JSON.stringify([ann.id])} ("Ann Nurse"): this push changes their role without the audit entry Wardkeep writes of it: a user is changed only through Wardkeep, which records who changed what`;
    expect((await hubQuarantine(hub)).map((q) => q.reason)).toEqual([refusal, refusal]);

    // The entry of the first change arrives: it is taken; the second, which no entry here records, stays refused as it was.
    sendLater(a.core, [toTechnician]);
    await a.sync();
    expect(await hubRole(hub, 'Ann Nurse')).toBe('technician');
    expect((await hubQuarantine(hub)).map((q) => q.reason)).toEqual([refusal]);
    expect(await stillRefused(hub)).toBe(1);
    await b.sync();
    expect(userRowByName(b.core, 'Ann Nurse')?.role).toBe('technician');

    // Meanwhile, and later, Emergency puts her back on the ward.
    b.clockAhead(60_000);
    inTransaction(b.core, (w) => updateUser(w, testActor, ann.id, { name: 'Ann Nurse', role: 'ward_staff', homeLocationId: null }));
    await b.sync();
    expect(await hubRole(hub, 'Ann Nurse')).toBe('ward_staff');

    // The second entry arrives: the change is taken, and loses to Emergency's later one, as any write would.
    sendLater(a.core, [toSupervisor]);
    await a.sync();
    expect(await hubRole(hub, 'Ann Nurse')).toBe('ward_staff');
    expect(await hubQuarantine(hub)).toEqual([]);
    expect(await stillRefused(hub)).toBe(0);
    const decided = await hub.pool.query<{ winner_value: string; loser_value: string }>("SELECT winner_value, loser_value FROM sync_conflicts WHERE tbl = 'users'");
    expect(decided.rows).toHaveLength(1);
    await a.sync();
    await b.sync();
    expect(userRowByName(a.core, 'Ann Nurse')?.role).toBe('ward_staff');
    expect(userRowByName(b.core, 'Ann Nurse')?.role).toBe('ward_staff');
  }, 60_000);

  it('an entry about the user recording another value takes nothing: the refused change stays as it was', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const ann = inTransaction(a.core, (w) =>
      insertUser(w, testActor, { name: 'Ann Nurse', role: 'ward_staff', homeLocationId: null, pinHash: 'scrypt$ann', passwordHash: null, mustSetPin: false }),
    );
    await a.sync();
    // Someone with the PC's key makes Ann a supervisor without Wardkeep: no entry records it.
    a.core.db.prepare("UPDATE users SET role = 'supervisor' WHERE id = ?").run(ann.id);
    const forged = a.core.db.prepare("SELECT count(*) FROM sync_outbox WHERE tbl = 'users'").pluck().get();
    expect(forged).toBe(1);
    await a.sync();
    expect(await hubQuarantine(hub)).toHaveLength(1);
    // An edit made through Wardkeep comes with its entry (her name, her role back): taken; the entry
    // records no 'supervisor', so the refused change stays as it was.
    inTransaction(a.core, (w) => updateUser(w, testActor, ann.id, { name: 'Ann Nurse-Smith', role: 'ward_staff', homeLocationId: null }));
    await a.sync();
    expect((await hub.pool.query<{ name: string; role: string }>('SELECT name, role FROM users WHERE _pk = $1', [JSON.stringify([ann.id])])).rows).toEqual([
      { name: 'Ann Nurse-Smith', role: 'ward_staff' },
    ]);
    expect(await hubQuarantine(hub)).toHaveLength(1);
    expect(await stillRefused(hub)).toBe(1);
  }, 60_000);

  it('a hub of schema version 3 is upgraded to 4 at its next start: a refusal it kept holds no clock stamp, and stays as it was when the entry arrives', async () => {
    const url = await freshDatabase();
    const first = await testHub({ databaseUrl: url });
    const a = await testPc(first, 'Ward 4B');
    const ann = inTransaction(a.core, (w) =>
      insertUser(w, testActor, { name: 'Ann Nurse', role: 'ward_staff', homeLocationId: null, pinHash: 'scrypt$ann', passwordHash: null, mustSetPin: false }),
    );
    await a.sync();
    inTransaction(a.core, (w) => updateUser(w, testActor, ann.id, { name: 'Ann Nurse', role: 'technician', homeLocationId: null }));
    const entries = holdBackEntries(a.core, ann.id, 'update');
    await a.sync();
    expect(await hubQuarantine(first)).toHaveLength(1);
    // The database as version 3 left it: the refusal without the columns.
    await first.pool.query('ALTER TABLE hub_quarantine DROP COLUMN hlc, DROP COLUMN base, DROP COLUMN awaits_entry');
    await first.pool.query('UPDATE hub_schema SET version = 3');
    await first.close();

    const upgraded = await testHub({ databaseUrl: url });
    expect((await upgraded.pool.query<{ version: number }>('SELECT version FROM hub_schema')).rows).toEqual([{ version: HUB_SCHEMA_VERSION }]);
    expect((await upgraded.pool.query<{ hlc: string | null; base: string | null; awaits_entry: boolean }>('SELECT hlc, base, awaits_entry FROM hub_quarantine')).rows).toEqual([{ hlc: null, base: null, awaits_entry: false }]);
    expect((await upgraded.pool.query<{ indexdef: string }>("SELECT indexdef FROM pg_indexes WHERE indexname = 'hub_quarantine_awaiting'")).rows).toEqual([
      { indexdef: 'CREATE INDEX hub_quarantine_awaiting ON public.hub_quarantine USING btree (pk) WHERE awaits_entry' },
    ]);
    sendLater(a.core, entries);
    await new SyncClient(a.core, directTransport(upgraded, a.core)).syncOnce();
    expect(await hubRole(upgraded, 'Ann Nurse')).toBe('ward_staff');
    expect(await hubQuarantine(upgraded)).toHaveLength(1);
  }, 60_000);
});
