import { randomUUID } from 'node:crypto';
import { request } from 'node:https';
import { gzipSync } from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';
import { GENESIS_HASH, hashEntry } from '../../../main/core/audit';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { codeId, codeKey, enrolProof, normaliseCode } from '../../../main/core/sync/enrol-code';
import { enrolPc, leaveHub, SyncClient } from '../../../main/core/sync/engine';
import { formatHlc } from '../../../main/core/sync/hlc';
import type { Change, PcsResponse, PushResponse } from '../../../main/core/sync/protocol';
import { newKeyPair, signRequest } from '../../../main/core/sync/signing';
import { getState } from '../../../main/core/sync/state';
import { HubRequestError } from '../../../main/core/sync/transport';
import { createEnrolCode, revokePc } from '../../../main/hub/pcs';
import { dispatch, startHub } from '../../../main/hub/server';
import { EquipmentFields } from '../../../shared/domain/equipment';
import { setEquipmentStatus } from '../../../main/core/equipment/service';
import { bindRow } from '../../../main/core/permanent/bind';
import { checkPermanentRows } from '../../../main/core/permanent/check';
import { insertUser, resetPin, setUserActive, updateUser, userRowByName } from '../../../main/core/users/service';
import { testActor, testCore } from '../../helpers/core';
import { createDatabase } from '../../helpers/pg';
import { device, done, plan } from '../plans/fixtures';
import { DirectTransport, directTransport, testHub, testPc } from './harness';

/**
 * An enrolled PC turned adversary (a stolen laptop before it is revoked, an insider with a code),
 * or anyone on the network, speaking the protocol itself with a valid key. The hub refuses what
 * would take over another PC, put words in its mouth, or stop the other PCs syncing; what it
 * refuses of a push is quarantined with a sentence naming the field, row or value, and the rest
 * of the push is taken.
 */

type Hub = Awaited<ReturnType<typeof testHub>>;
type TestPc = Awaited<ReturnType<typeof testPc>>;

const stamp = (node: string, ms = Date.now()) => formatHlc({ wall: ms, counter: 0, node });

/** A push under any history the PC names: a new one is the PC's own. */
async function rawPush(hub: Hub, pc: TestPc, replica: string, changes: Omit<Change, 'seq'>[]): Promise<PushResponse | Error> {
  const t = directTransport(hub, pc.core);
  return (t.post('/v1/push', { replica, changes: changes.map((c, i) => ({ ...c, seq: i + 1 })) }) as Promise<PushResponse>).catch(
    (e: unknown) => e as Error,
  );
}

async function pushed(hub: Hub, pc: TestPc, replica: string, changes: Omit<Change, 'seq'>[]): Promise<PushResponse> {
  const answer = await rawPush(hub, pc, replica, changes);
  if (answer instanceof Error) throw answer;
  return answer;
}

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => String(e).split('\n')[0]!,
  );

const setting = (key: string, value: unknown): Omit<Change, 'seq'> => ({
  hlc: stamp('evil'),
  tbl: 'settings',
  pk: JSON.stringify([key]),
  op: 'insert',
  data: { value },
  base: null,
});

/** A real record made on the PC, to copy from. */
function realCompletion(pc: TestPc): Record<string, unknown> {
  const id = device(pc.core, `DF-${Math.floor(Math.random() * 1e6)}`);
  const p = plan(pc.core, id, 'electrical_safety', '1y', '2025-01-01');
  const c = done(pc.core, p.id, '2025-03-01T10:00:00Z', 'pass');
  return pc.core.db.prepare('SELECT * FROM completions WHERE id = ?').get(c.id) as Record<string, unknown>;
}

describe('enrolment: a code joins a new PC, never takes over an enrolled one', () => {
  it("refuses a code used to claim an active PC's id, with a sentence; that PC keeps its key and its name", async () => {
    const hub = await testHub();
    const b = await testPc(hub, 'Emergency');
    device(b.core, 'DF-0001');
    await b.sync();
    // An insider is given a code to enrol a new laptop, and claims B's pc_id with it.
    const { code } = await createEnrolCode(hub.pool, 'Spare laptop');
    const plain = normaliseCode(code)!;
    const keys = newKeyPair();
    const facts = { fingerprint: hub.tls.fingerprint, publicKey: keys.publicKey, pcId: b.core.pcId, replica: b.core.pcId };
    const taken = await new DirectTransport(hub, () => null)
      .post('/v1/enrol', { codeId: codeId(plain), pcId: b.core.pcId, replica: b.core.pcId, publicKey: keys.publicKey, proof: enrolProof(codeKey(plain), 'pc', facts) })
      .catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(HubRequestError);
    expect((taken as Error).message).toMatch(/still enrolled at the hub as "Emergency": an administrator revokes it first/);
    const pcs = await hub.pool.query<{ name: string }>('SELECT name FROM hub_pcs WHERE pc_id = $1', [b.core.pcId]);
    expect(pcs.rows).toEqual([{ name: 'Emergency' }]);
    expect(await outcome(b.sync())).toBe('ok');
    expect(await revokePc(hub.pool, 'Emergency')).toBe(1);
  });

  it('a PC that left the hub joins again once an administrator has revoked it (with everything it holds)', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    const row = realCompletion(b);
    await b.sync();
    await a.sync();
    inTransaction(a.core, (w) => leaveHub(w, testActor));
    const join = (name: string) =>
      createEnrolCode(hub.pool, name).then(({ code }) =>
        enrolPc(a.core, 'https://hub.invalid', code, {
          peek: async () => ({ fingerprint: hub.tls.fingerprint, pem: hub.tls.certPem }),
          transport: () => directTransport(hub, a.core),
        }),
      );
    // Still enrolled at the hub: a code made under another name does not join it again.
    await expect(join('Ward 4B laptop')).rejects.toThrow(/still enrolled at the hub as "Ward 4B": an administrator revokes it first/);
    expect(await revokePc(hub.pool, 'Ward 4B')).toBe(1);
    await join('Ward 4B');
    // Joining again sends everything it holds, B's record and its audit entries included: the hub has them, unchanged.
    await new SyncClient(a.core, directTransport(hub, a.core)).syncOnce();
    expect(a.core.db.prepare('SELECT count(*) FROM sync_quarantine').pluck().get()).toBe(0);
    expect(a.core.db.prepare('SELECT count(*) FROM sync_outbox').pluck().get()).toBe(0);
    expect((await hub.pool.query('SELECT pc_id FROM completions WHERE id = $1', [row.id])).rows).toEqual([{ pc_id: b.core.pcId }]);
  });

  it('two codes made for one name before either is used join one PC under it: revoking that name takes out that PC alone', async () => {
    const hub = await testHub();
    const first = await createEnrolCode(hub.pool, 'Ward 4B');
    const second = await createEnrolCode(hub.pool, 'ward 4b');
    const join = (code: string) => {
      const core = testCore();
      return enrolPc(core, 'https://hub.invalid', code, {
        peek: async () => ({ fingerprint: hub.tls.fingerprint, pem: hub.tls.certPem }),
        transport: () => directTransport(hub, core),
      });
    };
    await join(first.code);
    await expect(join(second.code)).rejects.toThrow(
      'There is already a PC called "ward 4b" at this hub: revoke it first (wardkeep hub revoke --pc "ward 4b"), or choose another name.',
    );
    expect((await hub.pool.query("SELECT count(*)::int AS n FROM hub_pcs WHERE lower(name) = 'ward 4b'")).rows).toEqual([{ n: 1 }]);
    // The stolen "Ward 4B" is revoked: one PC. The code refused is still good for the PC it was made for.
    expect(await revokePc(hub.pool, 'Ward 4B')).toBe(1);
    await join(second.code);
  });
});

describe("histories and names: a PC cannot act as another", () => {
  it("refuses a push under a newly enrolled PC's history (named after it) before that PC's first push", async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    await a.sync();
    const b = await testPc(hub, 'Emergency');
    // A learns B's id from the hub's list of PCs, which every PC may read.
    const pcs = (await directTransport(hub, a.core).post('/v1/pcs', {})) as PcsResponse;
    const bId = pcs.pcs.find((p) => p.name === 'Emergency')!.pcId;
    expect(bId).toBe(b.core.pcId);
    const squat = await rawPush(hub, a, bId, [
      { hlc: stamp(a.core.pcId), tbl: 'settings', pk: JSON.stringify(['probe']), op: 'insert', data: { value: '"x"' }, base: null },
    ]);
    expect(squat).toBeInstanceOf(HubRequestError);
    expect((squat as Error).message).toMatch(/belongs to another PC/);
    expect((await hub.pool.query('SELECT 1 FROM settings WHERE key = $1', ['probe'])).rowCount).toBe(0);
    expect(await outcome(b.sync())).toBe('ok');
  });

  it('refuses a new history named after another PC even when the hub has not reserved it (a PC enrolled before reservations)', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    await hub.pool.query('DELETE FROM hub_replicas WHERE pc_id = $1', [b.core.pcId]);
    const squat = await rawPush(hub, a, b.core.pcId, [setting('probe', '"x"')]);
    expect((squat as Error).message).toMatch(/belongs to another PC/);
    expect(await outcome(b.sync())).toBe('ok');
  });

  it('refuses a history called "hub": the hub\'s decisions are never put in a PC\'s name in the conflict log', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    const c = await testPc(hub, 'Theatre');
    const squat = await rawPush(hub, a, 'hub', [{ ...setting('probe', '"x"'), hlc: stamp(a.core.pcId) }]);
    expect((squat as Error).message).toMatch(/A history cannot be called "hub": that name is the hub's own/);
    const id = device(b.core, 'DF-0009');
    await b.sync();
    await c.sync();
    // Apart: B puts it out of service, C retires it (a clash the restrictive rule decides, under a clock of the hub's).
    inTransaction(b.core, (w) => setEquipmentStatus(w, testActor, { id, status: 'out_of_service', reason: 'Cracked' }));
    inTransaction(c.core, (w) => setEquipmentStatus(w, testActor, { id, status: 'retired', reason: 'Beyond repair' }));
    await b.sync();
    await c.sync();
    // B, not having heard the hub's decision, puts it back in service: retired stands.
    inTransaction(b.core, (w) => setEquipmentStatus(w, testActor, { id, status: 'in_service', reason: 'Fixed' }));
    await b.sync();
    const names = (await hub.pool.query<{ winner_pc: string; loser_pc: string }>('SELECT winner_pc, loser_pc FROM sync_conflicts')).rows;
    expect(names.length).toBeGreaterThan(0);
    expect(names.flatMap((n) => [n.winner_pc, n.loser_pc])).not.toContain('Ward 4B');
  });

  it("quarantines a checklist result another PC adds to a PC's signed record; verify on every PC finds the record as its signer left it", async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    const id = device(b.core, 'DF-0001');
    const p = plan(b.core, id, 'electrical_safety', '1y', '2025-01-01');
    const record = done(b.core, p.id, '2025-03-01T10:00:00Z', 'pass');
    await b.sync();
    await a.sync();
    // On Ward 4B, through Wardkeep's own connection (captured, sent): a failed step on Emergency's passed test, bound in 4B's chain.
    inTransaction(a.core, (w) => {
      w.db
        .prepare("INSERT INTO completion_steps (completion_id, position, text, result, note) VALUES (?, 1, 'Earth bond under 0.2 ohm', 'fail', 'added later')")
        .run(record.id);
      bindRow(w, testActor, 'completion_steps', { completion_id: record.id, position: 1 });
    });
    await a.sync();
    await b.sync();
    const refused = a.core.db.prepare("SELECT reason FROM sync_quarantine WHERE tbl = 'completion_steps'").pluck().all();
    expect(refused).toEqual([
      `completion_steps ${JSON.stringify([record.id, 1])} adds to record ${record.id}, which was made on another PC (pc_id ${b.core.pcId}): a record's checklist results and readings come only from the PC it was made on`,
    ]);
    expect((await hub.pool.query('SELECT 1 FROM completion_steps WHERE completion_id = $1', [record.id])).rowCount).toBe(0);
    expect(b.core.db.prepare('SELECT count(*) FROM completion_steps WHERE completion_id = ?').pluck().get(record.id)).toBe(0);
    expect(checkPermanentRows(b.core.db).findings).toEqual([]);
    // On Ward 4B, where it was added, verify names it.
    expect(checkPermanentRows(a.core.db).findings.map((f) => f.message)).toEqual([
      `Checklist result 1 of completion ${record.id}: no audit entry of the PC that made the record records it, so another PC added it to a record it did not make.`,
    ]);
  });

  it("a 'bind' entry (migration 0006's) of one PC for a checklist result of another PC's record vouches for nothing: verify names it there, and the record's PC is not told its record lost a part", async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    const id = device(b.core, 'DF-0001');
    const p = plan(b.core, id, 'electrical_safety', '1y', '2025-01-01');
    const record = done(b.core, p.id, '2025-03-01T10:00:00Z', 'pass');
    await b.sync();
    await a.sync();
    // As before, but bound with the action migration 0006 wrote for rows from before the bindings.
    inTransaction(a.core, (w) => {
      w.db
        .prepare("INSERT INTO completion_steps (completion_id, position, text, result, note) VALUES (?, 1, 'Earth bond under 0.2 ohm', 'fail', 'added later')")
        .run(record.id);
      bindRow(w, testActor, 'completion_steps', { completion_id: record.id, position: 1 }, 'bind');
    });
    await a.sync();
    await b.sync();
    // Emergency holds its record as signed, and is not accused of deleting a part it never had.
    expect(checkPermanentRows(b.core.db).findings).toEqual([]);
    expect(checkPermanentRows(a.core.db).findings.map((f) => f.message)).toEqual([
      `Checklist result 1 of completion ${record.id}: no audit entry of the PC that made the record records it, so another PC added it to a record it did not make.`,
    ]);
  });

  it('quarantines a record, a signature and an audit entry that say another PC made them (pc_id)', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    const row = realCompletion(a);
    await a.sync();
    await b.sync();
    const user = a.core.db.prepare('SELECT id, name FROM users LIMIT 1').get() as { id: string; name: string } | undefined;
    const evil = randomUUID();
    const { id: _id, ...data } = row;
    const replica = `${a.core.pcId}-x`;
    const body = {
      seq: 1,
      id: randomUUID(),
      at: '2025-03-01T10:05:00.000Z',
      actor_user_id: null,
      actor_name: 'Sam',
      via: 'app',
      pc_id: b.core.pcId,
      action: 'sign',
      entity: 'completion',
      entity_id: evil,
      old_value: null,
      new_value: '{}',
      prev_hash: GENESIS_HASH,
    };
    const { id: entryId, ...entryRest } = body;
    const entry = { ...entryRest, chain_id: replica, hash: hashEntry(body as unknown as Parameters<typeof hashEntry>[0]) };
    const answer = await pushed(hub, a, replica, [
      { hlc: stamp(replica), tbl: 'completions', pk: JSON.stringify([evil]), op: 'insert', data: { ...data, pc_id: b.core.pcId }, base: null },
      {
        hlc: stamp(replica),
        tbl: 'signatures',
        pk: JSON.stringify([randomUUID()]),
        op: 'insert',
        data: {
          completion_id: evil,
          user_id: user?.id ?? 'u',
          signer_name: user?.name ?? 'Sam',
          signer_role: 'supervisor',
          meaning: 'reviewed_by',
          signed_at: '2025-03-01T10:05:00.000Z',
          pc_id: b.core.pcId,
        },
        base: null,
      },
      { hlc: stamp(replica), tbl: 'audit_log', pk: JSON.stringify([entryId]), op: 'insert', data: entry, base: null },
    ]);
    expect(answer.quarantined.map((x) => x.reason)).toEqual([
      expect.stringMatching(/^completions .* says it was made on another PC/),
      expect.stringMatching(/^signatures .* says it was made on another PC/),
      expect.stringMatching(/^audit_log .* says it was made on another PC/),
    ]);
    const held = await hub.pool.query<{ n: number }>(
      `SELECT (SELECT count(*)::int FROM completions WHERE pc_id = $1) + (SELECT count(*)::int FROM signatures WHERE pc_id = $1)
            + (SELECT count(*)::int FROM audit_log WHERE pc_id = $1 AND chain_id = $2) AS n`,
      [b.core.pcId, replica],
    );
    expect(held.rows[0]!.n).toBe(0);
  });

  it("quarantines a change whose clock stamp names another PC's history: no PC records it as that PC's", async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    const c = await testPc(hub, 'Theatre');
    const id = device(a.core, 'DF-0001', { name: 'Pump' });
    await a.sync();
    await b.sync();
    await c.sync();
    const clocks = (await hub.pool.query<{ _clocks: Record<string, string> }>('SELECT _clocks FROM equipment WHERE id = $1', [id])).rows[0]!._clocks;
    const rename = (node: string): Omit<Change, 'seq'> => ({
      hlc: stamp(node),
      tbl: 'equipment',
      pk: JSON.stringify([id]),
      op: 'update',
      data: { name: 'Renamed by A' },
      base: { name: clocks.name! },
    });
    // Under B's history, and under the hub's own name.
    const answer = await pushed(hub, a, `evil-${randomUUID()}`, [rename(b.core.pcId), rename('hub')]);
    expect(answer.quarantined.map((x) => x.reason)).toEqual([
      `its clock stamp names another PC's history (${b.core.pcId}): a PC stamps its changes with its own`,
      "its clock stamp names another PC's history (hub): a PC stamps its changes with its own",
    ]);
    await c.sync();
    expect(c.core.db.prepare('SELECT name, pc_id FROM equipment WHERE id = ?').get(id)).toEqual({ name: 'Pump', pc_id: a.core.pcId });
  });
});

describe("a user's role, PIN or sign-in changed without the audit entry Wardkeep writes of it", () => {
  async function withTom() {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    inTransaction(b.core, (w) =>
      insertUser(w, testActor, { name: 'Tom Tech', role: 'technician', homeLocationId: null, pinHash: 'scrypt$tom', passwordHash: null, mustSetPin: false }),
    );
    await b.sync();
    await a.sync();
    return { hub, a, b, tom: userRowByName(b.core, 'Tom Tech')! };
  }
  const rights = (pc: TestPc) => {
    const u = userRowByName(pc.core, 'Tom Tech')!;
    return { role: u.role, pin: u.pin_hash, active: u.active };
  };

  it("is refused by the hub, naming the user and what it would change: a PC's key holder cannot make a technician an administrator or give him a PIN of their choosing", async () => {
    const { hub, a, b, tom } = await withTom();
    // The insider signs with Ward 4B's key a push of their own making, under a new history of the PC.
    const replica = `${a.core.pcId}-x`;
    const pk = JSON.stringify([tom.id]);
    const answer = await pushed(hub, a, replica, [
      { hlc: stamp(replica, Date.now() + 1000), tbl: 'users', pk, op: 'update', data: { role: 'admin' }, base: null },
      { hlc: stamp(replica, Date.now() + 1001), tbl: 'users', pk, op: 'update', data: { pin_hash: 'scrypt$evil', must_set_pin: 0 }, base: null },
      { hlc: stamp(replica, Date.now() + 1002), tbl: 'users', pk, op: 'update', data: { active: 0, name: 'Tom Tech' }, base: null },
    ]);
    expect(answer.quarantined.map((x) => x.reason)).toEqual([
      `users ${pk} ("Tom Tech"): this push changes their role without the audit entry Wardkeep writes of it: a user is changed only through Wardkeep, which records who changed what`,
      `users ${pk} ("Tom Tech"): this push changes their PIN without the audit entry Wardkeep writes of it: a user is changed only through Wardkeep, which records who changed what`,
      `users ${pk} ("Tom Tech"): this push changes whether they may sign in without the audit entry Wardkeep writes of it: a user is changed only through Wardkeep, which records who changed what`,
    ]);
    expect((await hub.pool.query('SELECT role, pin_hash, active FROM users WHERE id = $1', [tom.id])).rows).toEqual([
      { role: 'technician', pin_hash: 'scrypt$tom', active: true },
    ]);
    await b.sync();
    expect(rights(b)).toEqual({ role: 'technician', pin: 'scrypt$tom', active: 1 });
    // An entry about him that records something else (a sign-in) vouches for no role.
    const signIn = { action: 'sign_in', entity: 'user', entity_id: tom.id, new_value: JSON.stringify({ with: 'pin' }) };
    const body = { seq: 1, id: randomUUID(), at: new Date().toISOString(), actor_user_id: tom.id, actor_name: 'Tom Tech', via: 'app', pc_id: a.core.pcId, old_value: null, prev_hash: GENESIS_HASH, ...signIn };
    const { id: entryId, ...rest } = body;
    const other = `${a.core.pcId}-y`;
    const second = await pushed(hub, a, other, [
      { hlc: stamp(other, Date.now() + 2000), tbl: 'users', pk, op: 'update', data: { role: 'admin' }, base: null },
      { hlc: stamp(other, Date.now() + 2001), tbl: 'audit_log', pk: JSON.stringify([entryId]), op: 'insert', data: { ...rest, chain_id: other, hash: hashEntry(body as unknown as Parameters<typeof hashEntry>[0]) }, base: null },
    ]);
    expect(second.quarantined.map((x) => x.seq)).toEqual([1]);
  });

  it('travels with its entry on the normal path: an administrator on one PC changes his role, resets his PIN and deactivates him, and every PC takes it', async () => {
    const { a, b, tom } = await withTom();
    inTransaction(a.core, (w) => updateUser(w, testActor, tom.id, { name: 'Tom Tech', role: 'supervisor', homeLocationId: null }));
    inTransaction(a.core, (w) => resetPin(w, testActor, tom.id, 'scrypt$temporary'));
    inTransaction(a.core, (w) => setUserActive(w, testActor, tom.id, false));
    await a.sync();
    await b.sync();
    expect(rights(b)).toEqual({ role: 'supervisor', pin: 'scrypt$temporary', active: 0 });
    expect(a.core.db.prepare('SELECT count(*) FROM sync_quarantine').pluck().get()).toBe(0);
    expect(b.core.db.prepare('SELECT count(*) FROM sync_quarantine').pluck().get()).toBe(0);
  });

  it("is not applied by a PC when it comes from the hub's log all the same (someone who owns the hub's database wrote it there): the PC says so", async () => {
    const { hub, a, b, tom } = await withTom();
    const pk = JSON.stringify([tom.id]);
    const last = (await hub.pool.query<{ entry: string }>("SELECT entry FROM hub_log WHERE tbl = 'users' AND pk = $1 ORDER BY pos DESC LIMIT 1", [pk])).rows[0]!;
    const entry = JSON.parse(last.entry) as { data: Record<string, unknown>; clocks: Record<string, string> };
    const later = stamp(a.core.pcId, Date.now() + 1000);
    const forged = {
      ...entry,
      data: { ...entry.data, role: 'admin', pin_hash: 'scrypt$evil', must_set_pin: 0 },
      clocks: { ...entry.clocks, role: later, pin_hash: later, must_set_pin: later },
    };
    await hub.pool.query("INSERT INTO hub_log (tbl, pk, entry, origin_replica, origin_seq, echo) VALUES ('users', $1, $2, $3, 99, false)", [
      pk,
      JSON.stringify(forged),
      a.core.pcId,
    ]);
    await b.sync();
    expect(rights(b)).toEqual({ role: 'technician', pin: 'scrypt$tom', active: 1 });
    expect(b.core.db.prepare('SELECT reason FROM sync_quarantine').pluck().all()).toEqual([
      `A change of user "Tom Tech" (their role, their PIN) arrived from another PC, "Ward 4B" (history ${a.core.pcId}) without the audit entry Wardkeep writes of it: it was not applied on this PC.`,
    ]);
    // A later change made through Wardkeep, with its entry, is taken as usual.
    inTransaction(a.core, (w) => updateUser(w, testActor, tom.id, { name: 'Tom Tech', role: 'supervisor', homeLocationId: null }));
    await a.sync();
    await b.sync();
    expect(rights(b)).toEqual({ role: 'supervisor', pin: 'scrypt$tom', active: 1 });
  });
});

describe("the entry of a user's creation is no warrant for a later role or PIN", () => {
  // Tom is added on Ward 4B, whose clock runs an hour fast: his entry says the PC's time, his row's
  // clock stamps the hub's (the PC corrects them by the hub's time), so the entry is the later.
  async function tomOfWard4B() {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B', { clock: { now: () => new Date(Date.now() + 3_600_000) } });
    const b = await testPc(hub, 'Emergency');
    inTransaction(a.core, (w) =>
      insertUser(w, testActor, { name: 'Tom Tech', role: 'technician', homeLocationId: null, pinHash: 'scrypt$tom', passwordHash: null, mustSetPin: false }),
    );
    await a.sync();
    await b.sync();
    const tom = userRowByName(a.core, 'Tom Tech')!;
    return { hub, a, b, tom, pk: JSON.stringify([tom.id]) };
  }

  it("at the hub: Ward 4B's key holder, who added Tom there, cannot make him an administrator or give him a PIN on the strength of that entry", async () => {
    const { hub, a, tom, pk } = await tomOfWard4B();
    const replica = `${a.core.pcId}-x`;
    const answer = await pushed(hub, a, replica, [
      { hlc: stamp(replica, Date.now() + 1000), tbl: 'users', pk, op: 'update', data: { role: 'admin' }, base: null },
      { hlc: stamp(replica, Date.now() + 1001), tbl: 'users', pk, op: 'update', data: { pin_hash: 'scrypt$evil', must_set_pin: 0 }, base: null },
    ]);
    expect(answer.quarantined.map((x) => x.reason)).toEqual([
      `users ${pk} ("Tom Tech"): this push changes their role without the audit entry Wardkeep writes of it: a user is changed only through Wardkeep, which records who changed what`,
      `users ${pk} ("Tom Tech"): this push changes their PIN without the audit entry Wardkeep writes of it: a user is changed only through Wardkeep, which records who changed what`,
    ]);
    expect((await hub.pool.query('SELECT role, pin_hash FROM users WHERE id = $1', [tom.id])).rows).toEqual([{ role: 'technician', pin_hash: 'scrypt$tom' }]);
  });

  it("on a PC: a change of Tom stamped under Ward 4B's history, written into the hub's log, is not applied because Ward 4B once added him", async () => {
    const { hub, a, b, pk } = await tomOfWard4B();
    const last = (await hub.pool.query<{ entry: string }>("SELECT entry FROM hub_log WHERE tbl = 'users' AND pk = $1 ORDER BY pos DESC LIMIT 1", [pk])).rows[0]!;
    const entry = JSON.parse(last.entry) as { data: Record<string, unknown>; clocks: Record<string, string> };
    const later = stamp(a.core.pcId, Date.now() + 1000);
    const forged = { ...entry, data: { ...entry.data, role: 'admin', pin_hash: 'scrypt$evil' }, clocks: { ...entry.clocks, role: later, pin_hash: later, must_set_pin: later } };
    await hub.pool.query("INSERT INTO hub_log (tbl, pk, entry, origin_replica, origin_seq, echo) VALUES ('users', $1, $2, $3, 99, false)", [
      pk,
      JSON.stringify(forged),
      a.core.pcId,
    ]);
    await b.sync();
    const u = userRowByName(b.core, 'Tom Tech')!;
    expect({ role: u.role, pin: u.pin_hash }).toEqual({ role: 'technician', pin: 'scrypt$tom' });
    expect(b.core.db.prepare('SELECT reason FROM sync_quarantine').pluck().all()).toEqual([
      `A change of user "Tom Tech" (their role, their PIN) arrived from another PC, "Ward 4B" (history ${a.core.pcId}) without the audit entry Wardkeep writes of it: it was not applied on this PC.`,
    ]);
  });
});

describe('a new user without the audit entry Wardkeep writes when it adds one', () => {
  const eve = (createdAt: string) => ({
    name: 'Eve Evil',
    role: 'admin',
    pin_hash: 'scrypt$evil',
    password_hash: null,
    must_set_pin: 0,
    home_location_id: null,
    active: 1,
    created_at: createdAt,
  });

  it("is refused by the hub, naming the user: a PC's key holder cannot add an administrator with a PIN of their choosing", async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    await a.sync();
    await b.sync();
    const id = randomUUID();
    const pk = JSON.stringify([id]);
    // The insider signs with Ward 4B's key a push of their own making, under a new history of the PC.
    const replica = `${a.core.pcId}-x`;
    const answer = await pushed(hub, a, replica, [
      { hlc: stamp(replica), tbl: 'users', pk, op: 'insert', data: eve(new Date().toISOString()), base: null },
    ]);
    expect(answer.quarantined.map((x) => x.reason)).toEqual([
      `users ${pk} ("Eve Evil"): this push adds a new user without the audit entry Wardkeep writes when it adds one: a user is added only through Wardkeep, which records who added them`,
    ]);
    expect((await hub.pool.query('SELECT 1 FROM users WHERE id = $1', [id])).rowCount).toBe(0);
    await b.sync();
    expect(userRowByName(b.core, 'Eve Evil')).toBeUndefined();
    // An entry about her that records something else (a sign-in) does not add her either.
    const body = { seq: 1, id: randomUUID(), at: new Date().toISOString(), actor_user_id: id, actor_name: 'Eve Evil', via: 'app', pc_id: a.core.pcId, old_value: null, prev_hash: GENESIS_HASH, action: 'sign_in', entity: 'user', entity_id: id, new_value: JSON.stringify({ with: 'pin' }) };
    const { id: entryId, ...rest } = body;
    const other = `${a.core.pcId}-y`;
    const second = await pushed(hub, a, other, [
      { hlc: stamp(other), tbl: 'users', pk, op: 'insert', data: eve(new Date().toISOString()), base: null },
      { hlc: stamp(other), tbl: 'audit_log', pk: JSON.stringify([entryId]), op: 'insert', data: { ...rest, chain_id: other, hash: hashEntry(body as unknown as Parameters<typeof hashEntry>[0]) }, base: null },
    ]);
    expect(second.quarantined.map((x) => x.seq)).toEqual([1]);
  });

  it("is not added by a PC when it comes from the hub's log all the same (someone who owns the hub's database wrote it there): the PC says so", async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    await a.sync();
    await b.sync();
    const pk = JSON.stringify([randomUUID()]);
    const data = { ...eve(new Date().toISOString()), _exists: 1 };
    const at = stamp(a.core.pcId, Date.now() + 1000);
    const clocks = Object.fromEntries(Object.keys(data).map((f) => [f, at]));
    await hub.pool.query("INSERT INTO hub_log (tbl, pk, entry, origin_replica, origin_seq, echo) VALUES ('users', $1, $2, $3, 99, false)", [
      pk,
      JSON.stringify({ tbl: 'users', pk, data, clocks }),
      a.core.pcId,
    ]);
    await b.sync();
    expect(userRowByName(b.core, 'Eve Evil')).toBeUndefined();
    expect(b.core.db.prepare('SELECT reason FROM sync_quarantine').pluck().all()).toEqual([
      `A new user "Eve Evil" arrived from another PC, "Ward 4B" (history ${a.core.pcId}) without the audit entry Wardkeep writes when it adds one: they were not added on this PC.`,
    ]);
    // A user added through Wardkeep, with its entry, is added as usual.
    inTransaction(a.core, (w) =>
      insertUser(w, testActor, { name: 'Ann Nurse', role: 'ward_staff', homeLocationId: null, pinHash: null, passwordHash: null, mustSetPin: true }),
    );
    await a.sync();
    await b.sync();
    expect(userRowByName(b.core, 'Ann Nurse')?.role).toBe('ward_staff');
  });
});

describe("rows a PC's schema refuses (its CHECK constraints) are quarantined at the hub, so every PC keeps syncing", () => {
  it('a record whose performed_on is not a date is quarantined naming the field; no PC is left without it', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    const row = realCompletion(a);
    await a.sync();
    await b.sync();
    const { id: _id, ...data } = row;
    const evil = randomUUID();
    const answer = await pushed(hub, a, `evil-${randomUUID()}`, [
      { hlc: stamp('evil'), tbl: 'completions', pk: JSON.stringify([evil]), op: 'insert', data: { ...data, performed_on: 'yesterday' }, base: null },
    ]);
    expect(answer.quarantined.map((x) => x.reason)).toEqual(['performed_on must be a date written YYYY-MM-DD, not "yesterday"']);
    expect(await outcome(b.sync())).toBe('ok');
    expect((await hub.pool.query('SELECT 1 FROM completions WHERE id = $1', [evil])).rowCount).toBe(0);
  });

  it('a stock level whose minimum is above its par is quarantined naming the fields; PCs syncing and joining later are not stopped', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    await a.sync();
    await b.sync();
    const key = JSON.stringify([randomUUID(), randomUUID()]);
    const level = (data: Record<string, unknown>, op: Change['op'] = 'insert'): Omit<Change, 'seq'> => ({
      hlc: stamp('evil'),
      tbl: 'stock_levels',
      pk: key,
      op,
      data,
      base: null,
    });
    const answer = await pushed(hub, a, `evil-${randomUUID()}`, [
      level({ par: 1, minimum: 5, created_at: '2025-03-01T10:00:00.000Z' }),
      level({ par: -1, minimum: 0, created_at: '2025-03-01T10:00:00.000Z' }),
      level({ par: 4, minimum: 2, created_at: '2025-03-01T10:00:00.000Z' }),
      // Half of a rule's fields would leave the merged row to break it.
      level({ minimum: 9 }, 'update'),
    ]);
    expect(answer.quarantined.map((x) => x.reason)).toEqual([
      'stock_levels row: minimum must not be above par',
      'par must be 0 or more, not -1',
      'par and minimum are set together',
    ]);
    expect(await outcome(b.sync())).toBe('ok');
    // A PC joining later downloads the hospital through the same apply.
    const c = await testPc(hub, 'Theatre');
    expect(await outcome(c.sync())).toBe('ok');
    expect(c.core.db.prepare('SELECT par, minimum FROM stock_levels').all()).toEqual([{ par: 4, minimum: 2 }]);
  });
});

describe('malformed pushes: a sentence naming the field or key, and the rest of the batch taken', () => {
  it('a text value holding a NUL character (PostgreSQL cannot store one) is quarantined naming the field', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const answer = await pushed(hub, a, `evil-${randomUUID()}`, [
      setting('good', '"fine"'),
      setting('bad', '"a\u0000b"'),
      setting('bad-key\u0000', '"x"'),
      // Not even JSON: kept at the hub with U+FFFD for the NUL.
      { ...setting('x', '"x"'), pk: '["raw\u0000"]' },
    ]);
    expect(answer.quarantined.map((x) => x.reason)).toEqual([
      expect.stringMatching(/^value holds a NUL character/),
      expect.stringMatching(/^its key does not fit the table: key holds a NUL character/),
      'its key is not valid',
    ]);
    expect((await hub.pool.query('SELECT key FROM settings')).rows).toEqual([{ key: 'good' }]);
    expect((await hub.pool.query<{ pk: string }>('SELECT pk FROM hub_quarantine ORDER BY seq')).rows.map((r) => r.pk)).toEqual([
      '["bad"]',
      '["bad-key\\u0000"]',
      '["raw\ufffd"]',
    ]);
  });

  it('a key part that does not fit its column (a checklist step numbered "one") is quarantined naming the key', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const answer = await pushed(hub, a, `evil-${randomUUID()}`, [
      setting('good', '"fine"'),
      {
        hlc: stamp('evil'),
        tbl: 'completion_steps',
        pk: JSON.stringify([randomUUID(), 'one']),
        op: 'insert',
        data: { text: 'Check the leads', result: 'pass', note: null },
        base: null,
      },
      { ...setting('x', '"x"'), pk: JSON.stringify([7]) },
    ]);
    expect(answer.quarantined.map((x) => x.reason)).toEqual([
      'its key does not fit the table: position must be a whole number',
      'its key does not fit the table: key must be text',
    ]);
  });

  it('a field the hub does not know is quarantined even when its name is one every object has (constructor)', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const answer = await pushed(hub, a, `evil-${randomUUID()}`, [
      { ...setting('k1', '"x"'), data: { value: '"x"', colour: 'red' } },
      { ...setting('k2', '"x"'), data: { value: '"x"', constructor: 'red' } },
      { ...setting('k3', '"x"'), data: { value: '"x"', toString: 'red' } },
    ]);
    expect(answer.quarantined.map((x) => x.reason)).toEqual([
      expect.stringMatching(/^settings has no field colour/),
      expect.stringMatching(/^settings has no field constructor/),
      expect.stringMatching(/^settings has no field toString/),
    ]);
  });

  it('a gzip body that inflates past the hub limit is refused as too large, before it is inflated whole, even unsigned', async () => {
    const db = await createDatabase(inject('pgBaseUrl'));
    const hub = await startHub({ databaseUrl: db.url, host: '127.0.0.1', port: 0, tlsDir: null, log: () => undefined });
    try {
      // 80 MB of zeros (over the 64 MB limit) is about 80 KB gzipped.
      const bomb = gzipSync(Buffer.alloc(80 * 1024 * 1024), { level: 9 });
      expect(bomb.length).toBeLessThan(1024 * 1024);
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const url = new URL('/v1/push', hub.url);
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: 'POST',
            rejectUnauthorized: false,
            headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(bomb.length) },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          },
        );
        req.on('error', reject);
        req.end(bomb);
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toEqual({ error: { code: 'too_large', message: expect.stringMatching(/too large for the hub/) } });
    } finally {
      await hub.close();
      await db.drop();
    }
  });
});

describe('a NUL character typed or pasted on a PC', () => {
  it("is refused by the PC's forms, naming the field", () => {
    const r = EquipmentFields.safeParse({ assetTag: 'DF-0001', name: 'Infusion pump\u0000 (pasted)', locationId: randomUUID() });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['name', 'must not hold a NUL character (pasted from elsewhere?)']]);
  });

  it('already in a database (written before the forms refused it) does not stop the PC syncing: that change is quarantined', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    device(a.core, 'DF-0001');
    a.core.db.prepare("UPDATE equipment SET notes = ? WHERE asset_tag = 'DF-0001'").run('Pasted\u0000 notes');
    device(a.core, 'DF-0002');
    expect(await outcome(a.sync())).toBe('ok');
    const atHub = (await hub.pool.query<{ asset_tag: string }>('SELECT asset_tag FROM equipment ORDER BY asset_tag')).rows.map((r) => r.asset_tag);
    expect(atHub).toEqual(['DF-0001', 'DF-0002']);
    expect(a.core.db.prepare('SELECT tbl, reason FROM sync_quarantine').all()).toEqual([
      { tbl: 'equipment', reason: expect.stringMatching(/^notes holds a NUL character/) },
    ]);
  });
});

describe("the hub's database edited with psql", () => {
  it('a record, an audit entry or a signature changed, removed or emptied there is refused naming its table; a PC joining later gets the record as signed', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const id = device(a.core, 'DF-0001');
    const p = plan(a.core, id, 'electrical_safety', '1y', '2025-01-01');
    const failed = done(a.core, p.id, new Date().toISOString(), 'fail');
    await a.sync();
    const refused = (sql: string, params: unknown[] = []) => outcome(hub.pool.query(sql, params));
    expect(await refused("UPDATE completions SET outcome = 'pass' WHERE id = $1", [failed.id])).toMatch(
      /^error: The rows of completions are permanent: the hub only adds them, and one changed or removed here would reach no PC that holds it\. Correct a record in Wardkeep on a PC/,
    );
    expect(await refused('DELETE FROM completions WHERE id = $1', [failed.id])).toMatch(/^error: The rows of completions are permanent/);
    expect(await refused("UPDATE audit_log SET actor_name = 'Someone else'")).toMatch(/^error: The rows of audit_log are permanent/);
    expect(await refused('TRUNCATE signatures')).toMatch(/^error: The rows of signatures are permanent/);
    // A PC joining later holds the failed test, and the device out of service, as on Ward 4B.
    const b = await testPc(hub, 'Emergency');
    await b.sync();
    expect(b.core.db.prepare('SELECT outcome FROM completions WHERE id = ?').pluck().get(failed.id)).toBe('fail');
    expect(b.core.db.prepare('SELECT status FROM equipment WHERE id = ?').pluck().get(id)).toBe('out_of_service');
    expect(checkPermanentRows(b.core.db).findings).toEqual([]);
    // The hub itself still takes new records, and a restart makes its guard again without a word.
    done(a.core, p.id, new Date().toISOString(), 'pass');
    await a.sync();
    await (await testHub({ databaseUrl: hub.databaseUrl })).close();
    expect(await refused("UPDATE completions SET outcome = 'pass' WHERE id = $1", [failed.id])).toMatch(
      /^error: The rows of completions are permanent/,
    );
    expect((await hub.pool.query('SELECT count(*)::int AS n FROM completions')).rows[0]).toEqual({ n: 2 });
  });
});

describe('attacks the hub withstands', () => {
  async function raw(hub: Hub, pc: TestPc, path: string, body: unknown, headers?: Record<string, string>) {
    const bytes = Buffer.from(JSON.stringify(body));
    const h = headers ?? signRequest(getState(pc.core, 'pc_key')!, 'POST', path, pc.core.pcId, bytes);
    const r = await dispatch(hub, 'POST', path, h, bytes, () => undefined);
    return { status: r.status, value: r.value as { error?: { code: string; message: string } }, headers: h };
  }

  it('refuses a replayed request, a request signed by one PC naming another, and a revoked PC on every path', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    await a.sync();
    const first = await raw(hub, a, '/v1/status', { ranges: [] });
    expect(first.status).toBe(200);
    const replay = await raw(hub, a, '/v1/status', { ranges: [] }, first.headers);
    expect(replay.value.error?.message).toMatch(/replay/);
    // A signs with its own key but names B.
    const bytes = Buffer.from(JSON.stringify({ ranges: [] }));
    const forged = signRequest(getState(a.core, 'pc_key')!, 'POST', '/v1/status', b.core.pcId, bytes);
    const asB = await dispatch(hub, 'POST', '/v1/status', forged, bytes, () => undefined);
    expect(asB.status).toBe(401);
    expect(await revokePc(hub.pool, 'Ward 4B')).toBe(1);
    for (const [path, body] of [
      ['/v1/status', { ranges: [] }],
      ['/v1/push', { replica: a.core.pcId, changes: [{ seq: 99, hlc: stamp('x'), tbl: 'settings', pk: '["k"]', op: 'insert', data: { value: '"v"' }, base: null }] }],
      ['/v1/pull', { replica: a.core.pcId, cursor: '', limit: 10 }],
      ['/v1/snapshot/start', {}],
      ['/v1/snapshot/page', { tbl: 'users', after: null, limit: 10 }],
      ['/v1/pcs', {}],
    ] as const) {
      const r = await raw(hub, a, path, body);
      expect([path, r.status, r.value.error?.code]).toEqual([path, 403, 'revoked']);
    }
  });

  it('keeps a week of requests to refuse replays, not every request for ever, though no enrolment code is made', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    // Eight days of a PC syncing every few seconds, as the table would hold them.
    await hub.pool.query(
      `INSERT INTO hub_nonces (pc_id, nonce, seen_at) SELECT $1, md5(g::text), now() - interval '8 days' FROM generate_series(1, 1000) g`,
      [a.core.pcId],
    );
    const recent = await raw(hub, a, '/v1/status', { ranges: [] });
    await a.sync();
    const kept = await hub.pool.query<{ old: number; all: number }>(
      "SELECT count(*) FILTER (WHERE seen_at < now() - interval '7 days')::int AS old, count(*)::int AS all FROM hub_nonces",
    );
    expect(kept.rows[0]!.old).toBe(0);
    expect(kept.rows[0]!.all).toBeGreaterThan(1);
    // What is kept still refuses a replay.
    const replay = await raw(hub, a, '/v1/status', { ranges: [] }, recent.headers);
    expect(replay.value.error?.message).toMatch(/replay/);
  });

  it("quarantines a rewrite of another PC's record and audit entry, an audit entry in another PC's chain, and a far-future clock", async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    const id = device(b.core, 'DF-0001');
    const p = plan(b.core, id, 'electrical_safety', '1y', '2025-01-01');
    const c = done(b.core, p.id, '2025-03-01T10:00:00Z', 'fail');
    await b.sync();
    await a.sync();
    const rec = a.core.db.prepare('SELECT * FROM completions WHERE id = ?').get(c.id) as Record<string, unknown>;
    const { id: _cid, ...recData } = rec;
    const entry = a.core.db.prepare('SELECT * FROM audit_log WHERE chain_id = ? ORDER BY seq DESC LIMIT 1').get(b.core.pcId) as Record<string, unknown>;
    const { id: eid, ...entryData } = entry;
    const replica = `evil-${randomUUID()}`;
    const answer = await pushed(hub, a, replica, [
      { hlc: stamp(replica), tbl: 'completions', pk: JSON.stringify([c.id]), op: 'insert', data: { ...recData, outcome: 'pass' }, base: null },
      { hlc: stamp(replica), tbl: 'audit_log', pk: JSON.stringify([eid]), op: 'insert', data: { ...entryData, new_value: '{}' }, base: null },
      {
        hlc: stamp(replica),
        tbl: 'audit_log',
        pk: JSON.stringify([randomUUID()]),
        op: 'insert',
        data: { ...entryData, seq: Number(entryData.seq) + 1, prev_hash: entryData.hash },
        base: null,
      },
      { hlc: stamp(replica, Date.now() + 5 * 24 * 3600e3), tbl: 'settings', pk: '["k"]', op: 'insert', data: { value: '"v"' }, base: null },
      { hlc: stamp(replica), tbl: 'completions', pk: JSON.stringify([c.id]), op: 'update', data: { outcome: 'pass' }, base: null },
    ]);
    expect(answer.quarantined.map((x) => x.seq).sort()).toEqual([1, 2, 3, 4, 5]);
    expect((await hub.pool.query('SELECT outcome FROM completions WHERE id = $1', [c.id])).rows).toEqual([{ outcome: 'fail' }]);
  });

  it('writes nothing of a batch that fails at its last change (one transaction)', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const replica = `evil-${randomUUID()}`;
    // The database refuses the last row (as a full disk or a lost connection would, half-way through).
    await hub.pool.query(`CREATE FUNCTION refuse_last() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.key = 'last' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$`);
    await hub.pool.query('CREATE TRIGGER refuse_last BEFORE INSERT OR UPDATE ON settings FOR EACH ROW EXECUTE FUNCTION refuse_last()');
    const changes: Omit<Change, 'seq'>[] = Array.from({ length: 200 }, (_, i) => setting(`k${i}`, '"v"'));
    changes.push(setting('last', '"v"'));
    expect(await rawPush(hub, a, replica, changes)).toBeInstanceOf(Error);
    const counts = await hub.pool.query<{ s: number; l: number; r: number; h: number }>(
      `SELECT (SELECT count(*)::int FROM settings WHERE key LIKE 'k%') AS s, (SELECT count(*)::int FROM hub_log WHERE origin_replica = $1) AS l,
              (SELECT count(*)::int FROM hub_received WHERE replica = $1) AS r, (SELECT count(*)::int FROM hub_replicas WHERE replica = $1) AS h`,
      [replica],
    );
    expect(counts.rows[0]).toEqual({ s: 0, l: 0, r: 0, h: 0 });
  });
});
