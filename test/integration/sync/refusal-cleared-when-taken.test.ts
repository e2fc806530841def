import { describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core/context';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import type { SyncOutboxRow } from '../../../main/core/sql/rows';
import { SyncClient } from '../../../main/core/sync/engine';
import { syncStatus } from '../../../main/core/sync/status';
import type { Transport } from '../../../main/core/sync/transport';
import { insertUser, updateUser } from '../../../main/core/users/service';
import { HUB_SCHEMA_VERSION } from '../../../main/hub/schema';
import { testActor } from '../../helpers/core';
import { fileDatabases } from './file-databases';
import { holdBackEntries, sendLater } from './outbox';
import { directTransport, testHub, testPc } from './harness';

/**
 * A PC is told of each change the hub refuses (the push's answer) and lists it in `sync status` and
 * the app's sync details. A user change the hub refused for want of its audit entry is taken once a
 * later push brings the entry (store.ts, hub schema version 4): the hub then tells the PC that sent
 * it, in that push's answer when it is that PC's push, and at the PC's next check-in otherwise, and
 * the PC lists it no more. Only the refusals the hub names go (by history and number, table and key):
 * a later refusal of the same row stays, and a hub that names nothing (an older one) leaves the list
 * as it was.
 */

type Hub = Awaited<ReturnType<typeof testHub>>;

const { fresh: freshDatabase } = fileDatabases();
type Pc = Awaited<ReturnType<typeof testPc>>;

/** The refusals the PC holds as the hub reported them: its history, the change's number, table, key. */
const heldRefusals = (core: Core) =>
  core.db.prepare('SELECT replica, seq, tbl, pk FROM sync_quarantine ORDER BY id').all() as { replica: string; seq: number; tbl: string; pk: string }[];
const hubQuarantine = async (hub: Hub) => (await hub.pool.query<{ replica: string; seq: string; pk: string }>('SELECT replica, seq, pk FROM hub_quarantine ORDER BY id')).rows;
const hubRole = async (hub: Hub, name: string) => (await hub.pool.query<{ role: string }>('SELECT role FROM users WHERE name = $1 AND _exists', [name])).rows[0]?.role;

const refusalOf = (id: string) =>
  `users ${JSON.stringify([id])} ("Ann Nurse"): this push changes their role without the audit entry Wardkeep writes of it: a user is changed only through Wardkeep, which records who changed what`;

/** Ward 4B holds Ann (synced to the hub), and makes her a technician with the entry held back: the hub refuses the change, and the PC lists it. */
async function refusedRoleChange(hub: Hub, role: 'technician' | 'supervisor' = 'technician', pc?: Pc) {
  const a = pc ?? (await testPc(hub, 'Ward 4B'));
  const ann = inTransaction(a.core, (w) =>
    insertUser(w, testActor, { name: 'Ann Nurse', role: 'ward_staff', homeLocationId: null, pinHash: 'scrypt$ann', passwordHash: null, mustSetPin: false }),
  );
  await a.sync();
  inTransaction(a.core, (w) => updateUser(w, testActor, ann.id, { name: 'Ann Nurse', role, homeLocationId: null }));
  const entries = holdBackEntries(a.core, ann.id);
  await a.sync();
  expect(await hubRole(hub, 'Ann Nurse')).toBe('ward_staff');
  expect(syncStatus(a.core).quarantined).toBe(1);
  expect(syncStatus(a.core).quarantine.map((q) => q.reason)).toEqual([refusalOf(ann.id)]);
  return { a, ann, entries };
}

/** The hub as a transport, with a hook on each answer before the PC reads it. */
function tapped(hub: Hub, pc: Pc, onAnswer: (path: string, answer: Record<string, unknown>) => Record<string, unknown>): Transport {
  const inner = directTransport(hub, pc.core);
  return {
    post: async (path, body) => onAnswer(path, (await inner.post(path, body)) as Record<string, unknown>),
  };
}

describe('a refusal the hub has since taken', () => {
  it('the entry arrives in a later push of the same PC: after that sync, `sync status` no longer lists the refusal', async () => {
    const hub = await testHub();
    const { a, entries } = await refusedRoleChange(hub);

    sendLater(a.core, entries);
    await a.sync();
    expect(await hubRole(hub, 'Ann Nurse')).toBe('technician');
    expect(await hubQuarantine(hub)).toEqual([]);
    const status = syncStatus(a.core);
    expect(status.quarantined).toBe(0);
    expect(status.quarantine).toEqual([]);
  }, 60_000);

  it('the answer of the push that brought the entry was lost: the PC learns at its next check-in', async () => {
    const hub = await testHub();
    const { a, entries } = await refusedRoleChange(hub);

    let lose = true;
    const losing = new SyncClient(
      a.core,
      tapped(hub, a, (path, answer) => {
        if (path === '/v1/push' && lose) {
          lose = false;
          throw new Error('the connection dropped');
        }
        return answer;
      }),
    );
    sendLater(a.core, entries);
    await expect(losing.syncOnce()).rejects.toThrow('the connection dropped');
    expect(await hubRole(hub, 'Ann Nurse')).toBe('technician');
    expect(syncStatus(a.core).quarantined).toBe(1);

    await losing.syncOnce();
    expect(syncStatus(a.core).quarantined).toBe(0);
    expect(syncStatus(a.core).pendingOut).toBe(0);
  }, 60_000);

  it("another PC's push brings an entry recording the same value: the PC that sent the change learns at its next sync", async () => {
    const hub = await testHub();
    const { a, ann } = await refusedRoleChange(hub);
    const b = await testPc(hub, 'Emergency');
    await b.sync();
    b.clockAhead(60_000);
    inTransaction(b.core, (w) => updateUser(w, testActor, ann.id, { name: 'Ann Nurse', role: 'technician', homeLocationId: null }));
    const answers: Record<string, unknown>[] = [];
    const watched = new SyncClient(
      b.core,
      tapped(hub, b, (path, answer) => {
        if (path === '/v1/push') answers.push(answer);
        return answer;
      }),
    );
    await watched.syncOnce();
    expect(await hubQuarantine(hub)).toEqual([]);
    // Emergency's push answer names nothing: the refusal was Ward 4B's.
    expect(answers).toHaveLength(1);
    expect(answers[0]).not.toHaveProperty('taken');
    // Nor does the hub name it to Emergency asking about Ward 4B's history.
    const [refusal] = heldRefusals(a.core) as [{ replica: string; seq: number; tbl: string; pk: string }];
    const asked = { ranges: [], refused: [{ replica: refusal.replica, seq: refusal.seq }] };
    expect((await hub.store.status({ pcId: b.core.pcId, name: 'Emergency' }, asked)).taken).toEqual([]);
    expect((await hub.store.status({ pcId: a.core.pcId, name: 'Ward 4B' }, asked)).taken).toEqual([
      { replica: refusal.replica, seq: refusal.seq, tbl: 'users', pk: JSON.stringify([ann.id]) },
    ]);
    // A PC of an earlier version asks about none, and is told of none.
    expect(await hub.store.status({ pcId: a.core.pcId, name: 'Ward 4B' }, { ranges: [] })).not.toHaveProperty('taken');
    expect(syncStatus(a.core).quarantined).toBe(1);

    await a.sync();
    expect(syncStatus(a.core).quarantined).toBe(0);
  }, 60_000);

  it('a later refusal of the same row stays listed: only the change the hub took goes', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const ann = inTransaction(a.core, (w) =>
      insertUser(w, testActor, { name: 'Ann Nurse', role: 'ward_staff', homeLocationId: null, pinHash: 'scrypt$ann', passwordHash: null, mustSetPin: false }),
    );
    await a.sync();
    inTransaction(a.core, (w) => updateUser(w, testActor, ann.id, { name: 'Ann Nurse', role: 'technician', homeLocationId: null }));
    inTransaction(a.core, (w) => updateUser(w, testActor, ann.id, { name: 'Ann Nurse', role: 'supervisor', homeLocationId: null }));
    const [toTechnician, toSupervisor] = holdBackEntries(a.core, ann.id) as [SyncOutboxRow, SyncOutboxRow];
    await a.sync();
    const both = heldRefusals(a.core);
    expect(both).toHaveLength(2);
    expect(both.map((r) => [r.tbl, r.pk])).toEqual([
      ['users', JSON.stringify([ann.id])],
      ['users', JSON.stringify([ann.id])],
    ]);
    expect(syncStatus(a.core).quarantine.map((q) => q.reason)).toEqual([refusalOf(ann.id), refusalOf(ann.id)]);

    sendLater(a.core, [toTechnician]);
    await a.sync();
    expect(await hubRole(hub, 'Ann Nurse')).toBe('technician');
    // The hub still refuses the second change, and the PC still lists that one (and only it).
    const left = await hubQuarantine(hub);
    expect(left).toHaveLength(1);
    expect(heldRefusals(a.core)).toEqual([both[1]]);
    expect(left.map((q) => [q.replica, Number(q.seq)])).toEqual([[both[1]!.replica, both[1]!.seq]]);
    expect(syncStatus(a.core).quarantined).toBe(1);

    sendLater(a.core, [toSupervisor]);
    await a.sync();
    expect(await hubRole(hub, 'Ann Nurse')).toBe('supervisor');
    expect(syncStatus(a.core).quarantined).toBe(0);
  }, 60_000);

  it('a hub that names nothing (an older hub) leaves the list as it was; one naming another row, another number, or a refusal the PC never held clears nothing', async () => {
    const hub = await testHub();
    const { a, entries } = await refusedRoleChange(hub);
    const [held] = heldRefusals(a.core) as [{ replica: string; seq: number; tbl: string; pk: string }];
    // Beside it, a row changed outside Wardkeep, as a sync records it (never sent: no hub can clear it).
    a.core.db
      .prepare(
        "INSERT INTO sync_quarantine (replica, seq, tbl, pk, op, data, reason, reported_at) VALUES (?, 0, 'users', ?, 'write', '{}', 'changed outside Wardkeep (for example with the sqlite3 command line): not sent to the hub', ?)",
      )
      .run(held.replica, held.pk, new Date().toISOString());
    const before = heldRefusals(a.core);
    expect(before).toHaveLength(2);

    // An older hub: its answers carry no `taken`.
    const older = new SyncClient(
      a.core,
      tapped(hub, a, (_path, answer) => {
        const { taken: _taken, ...rest } = answer;
        return rest;
      }),
    );
    sendLater(a.core, entries);
    await older.syncOnce();
    expect(await hubRole(hub, 'Ann Nurse')).toBe('technician');
    expect(heldRefusals(a.core)).toEqual(before);

    // A hub naming what the PC does not hold as refused, or holds under another table, key or number.
    const wrong = [
      { ...held, pk: JSON.stringify(['someone-else']) },
      { ...held, tbl: 'equipment' },
      { ...held, seq: held.seq + 1 },
      { ...held, replica: 'another-history' },
      { ...held, seq: 1 },
    ];
    const lying = new SyncClient(
      a.core,
      tapped(hub, a, (path, answer) => (path === '/v1/status' ? { ...answer, taken: wrong } : answer)),
    );
    await lying.syncOnce();
    expect(heldRefusals(a.core)).toEqual(before);

    // The hub as it is: the refusal it took goes; the row changed outside Wardkeep (never sent) stays.
    await a.sync();
    expect(heldRefusals(a.core)).toEqual(before.filter((r) => r.seq === 0));
  }, 60_000);

  it('a hub of schema version 4 is upgraded at its next start (5 keeps the refusals taken): a refusal it kept, taken after the upgrade, is named, and the PC lists it no more', async () => {
    const url = await freshDatabase();
    const first = await testHub({ databaseUrl: url });
    const { a, entries } = await refusedRoleChange(first);
    // The database as version 4 left it: no table of the refusals taken.
    await first.pool.query('DROP TABLE hub_quarantine_taken');
    await first.pool.query('UPDATE hub_schema SET version = 4');
    await first.close();

    const upgraded = await testHub({ databaseUrl: url });
    expect((await upgraded.pool.query<{ version: number }>('SELECT version FROM hub_schema')).rows).toEqual([{ version: HUB_SCHEMA_VERSION }]);
    expect((await upgraded.pool.query<{ replica: string; seq: string }>('SELECT replica, seq FROM hub_quarantine_taken')).rows).toEqual([]);
    expect(await hubQuarantine(upgraded)).toHaveLength(1);

    sendLater(a.core, entries);
    await new SyncClient(a.core, directTransport(upgraded, a.core)).syncOnce();
    expect(await hubRole(upgraded, 'Ann Nurse')).toBe('technician');
    const [kept] = (
      await upgraded.pool.query<{ replica: string; seq: number; tbl: string; pk: string; hlc: string | null; reason: string }>(
        'SELECT replica, seq, tbl, pk, hlc, reason FROM hub_quarantine_taken',
      )
    ).rows;
    expect(kept?.tbl).toBe('users');
    expect(kept?.reason).toContain('changes their role without the audit entry');
    expect(kept?.hlc).toBeTruthy();
    expect(syncStatus(a.core).quarantined).toBe(0);
  }, 60_000);
});
