import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../main/core/backend';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { setEquipmentStatus, updateEquipment } from '../../../main/core/equipment/service';
import { reportFault } from '../../../main/core/repairs/work-orders';
import { newSession } from '../../../main/core/session';
import { statusHistory } from '../../../main/core/status/history';
import { listConflicts } from '../../../main/core/sync/conflicts';
import { insertUser, setUserActive, updateUser, userRowByName } from '../../../main/core/users/service';
import { EquipmentFields } from '../../../shared/domain/equipment';
import { testActor } from '../../helpers/core';
import { signedInUser } from '../../helpers/users';
import { device, place } from '../plans/fixtures';
import type { WardPc } from './harness';
import { twoWards } from './harness';

/**
 * The Conflicts screen's channels after two ward PCs edited the same thing offline, through a real
 * hub on PostgreSQL: who may decide what, what "Use the other" writes and records, and what the
 * supervisor reads of each side.
 */

/** Renames a device on one PC, as its edit form does (its place kept). */
function renameDevice(pc: WardPc, id: string, assetTag: string, name: string): void {
  const locationId = pc.core.db.prepare('SELECT location_id FROM equipment WHERE id = ?').pluck().get(id) as string;
  inTransaction(pc.core, (w) => updateEquipment(w, testActor, { ...EquipmentFields.parse({ assetTag, name, locationId }), id }));
}

function asRole(pc: WardPc, role: 'ward_staff' | 'technician' | 'supervisor' | 'admin', name: string) {
  const backend = createBackend(pc.core, {
    logError: (err) => {
      throw err;
    },
  });
  const session = newSession(pc.core.clock.now().getTime());
  signedInUser(pc.core, role, { name, session });
  return { backend, session };
}

function setRole(pc: WardPc, id: string, name: string, role: 'technician' | 'admin' | 'supervisor') {
  inTransaction(pc.core, (w) => updateUser(w, testActor, id, { name, role, homeLocationId: null }));
}

describe('resolving a conflict', () => {
  it('a supervisor cannot make a user an administrator through "Use the other" (users are the administrator\'s)', async () => {
    const { a, b, both } = await twoWards();
    const bob = inTransaction(a.core, (w) =>
      insertUser(w, testActor, { name: 'Bob Bloggs', role: 'technician', homeLocationId: null, pinHash: null, passwordHash: null, mustSetPin: true }),
    );
    await both();
    // Two administrators, apart: A makes Bob an admin, B (later) a supervisor.
    setRole(a, bob.id, 'Bob Bloggs', 'admin');
    b.clockAhead(2000);
    setRole(b, bob.id, 'Bob Bloggs', 'supervisor');
    await both();
    const sup = asRole(b, 'supervisor', 'Sam Supervisor');
    const list = await sup.backend.invoke(sup.session, 'sync.conflicts', {});
    expect(list.ok).toBe(true);
    const c = (list.ok ? list.value : []).find((x) => x.table === 'users');
    expect(c, 'the role clash is listed').toBeDefined();
    expect(c!.loser.text).toBe('Administrator');
    // A supervisor may not change a user's role anywhere else in the app (users.update is admin-only).
    const res = await sup.backend.invoke(sup.session, 'sync.resolveConflict', { id: c!.id, choice: 'used_other' });
    const role = b.core.db.prepare('SELECT role FROM users WHERE id = ?').pluck().get(bob.id);
    expect({ ok: res.ok, role, message: res.ok ? null : res.error.message }).toEqual({
      ok: false,
      role: 'supervisor',
      message: 'Only an administrator or above may do this; you are signed in as a supervisor.',
    });
    expect(c!.resolveRole).toBe('admin');
    // An administrator may.
    const admin = asRole(b, 'admin', 'Ada Admin');
    expect((await admin.backend.invoke(admin.session, 'sync.resolveConflict', { id: c!.id, choice: 'used_other' })).ok).toBe(true);
    expect(b.core.db.prepare('SELECT role FROM users WHERE id = ?').pluck().get(bob.id)).toBe('admin');
  });

  it('a PIN reset on two PCs at once: the Conflicts screen does not show the PIN hash as a value', async () => {
    const { a, b, both } = await twoWards();
    const bob = inTransaction(a.core, (w) =>
      insertUser(w, testActor, { name: 'Bob Bloggs', role: 'technician', homeLocationId: null, pinHash: null, passwordHash: null, mustSetPin: true }),
    );
    await both();
    const adminA = asRole(a, 'admin', 'Ada Admin');
    const adminB = asRole(b, 'admin', 'Abe Admin');
    const r1 = await adminA.backend.invoke(adminA.session, 'users.resetPin', { id: bob.id, temporaryPin: '1357' });
    expect(r1.ok).toBe(true);
    b.clockAhead(2000);
    const r2 = await adminB.backend.invoke(adminB.session, 'users.resetPin', { id: bob.id, temporaryPin: '8642' });
    expect(r2.ok).toBe(true);
    await both();
    const sup = asRole(b, 'supervisor', 'Sam Supervisor');
    const list = await sup.backend.invoke(sup.session, 'sync.conflicts', {});
    const c = (list.ok ? list.value : []).find((x) => x.table === 'users');
    expect(c, 'the PIN clash is listed').toBeDefined();
    const hashes = (b.core.db.prepare('SELECT pin_hash FROM users WHERE id = ?').pluck().get(bob.id) as string).slice(0, 12);
    // What the supervisor reads: no hash of anyone's PIN (a salted hash is still an offline-crackable 4-digit PIN).
    expect(`${c!.winner.text} | ${c!.loser.text}`).not.toContain(hashes);
    expect(`${c!.winner.text} | ${c!.loser.text}`).not.toMatch(/pin hash:|scrypt|\$/);
    expect(c!.winner.text).toBe('a new temporary PIN (set by Abe Admin)');
    expect(c!.loser.text).toBe('a new temporary PIN (set by Ada Admin)');
    expect(c!.fields).toEqual(['PIN']);
  });

  it('"Use the other" on a status clash does not put a device with an open work order back in service', async () => {
    const { a, b, both } = await twoWards();
    const id = device(a.core, 'IP-9', { name: 'Infusion pump' });
    inTransaction(a.core, (w) =>
      insertUser(w, testActor, { name: 'Nia Nurse', role: 'ward_staff', homeLocationId: null, pinHash: null, passwordHash: null, mustSetPin: true }),
    );
    await both();
    // A: a supervisor takes it out and back in (a loan); B, apart, a nurse reports a fault: the work order takes it out of use.
    inTransaction(a.core, (w) => setEquipmentStatus(w, testActor, { id, status: 'out_of_service', reason: 'Lent to theatre' }));
    inTransaction(a.core, (w) => setEquipmentStatus(w, testActor, { id, status: 'in_service', reason: 'Back from theatre' }));
    const nurse = userRowByName(b.core, 'Nia Nurse')!;
    inTransaction(b.core, (w) => reportFault(w, nurse, { equipmentId: id, problem: 'Occlusion alarm', takeOutOfUse: true, secret: '' }));
    await both();
    const sup = asRole(b, 'supervisor', 'Sam Supervisor');
    const list = await sup.backend.invoke(sup.session, 'sync.conflicts', {});
    const c = (list.ok ? list.value : []).find((x) => x.rule === 'restrictive');
    expect(c, 'the status clash is listed').toBeDefined();
    const res = await sup.backend.invoke(sup.session, 'sync.resolveConflict', { id: c!.id, choice: 'used_other' });
    const status = b.core.db.prepare('SELECT status FROM equipment WHERE id = ?').pluck().get(id);
    // Elsewhere the app refuses: "IP-9 has an open work order, WO-0001: its status changes through the work order …"
    expect({ ok: res.ok, status, message: res.ok ? null : res.error.message }).toMatchObject({
      ok: false,
      status: 'out_of_service',
      message: expect.stringMatching(/^IP-9 has an open work order, WO-\d{4}: its status changes through the work order/),
    });
  });

  it('"Use the other" on a status clash is kept in the device\'s status history (from, to, who, why)', async () => {
    const { a, b, both } = await twoWards();
    const id = device(a.core, 'DF-7', { name: 'Defibrillator' });
    await both();
    inTransaction(a.core, (w) => setEquipmentStatus(w, testActor, { id, status: 'retired', reason: 'Beyond repair' }));
    b.clockAhead(5000);
    inTransaction(b.core, (w) => setEquipmentStatus(w, testActor, { id, status: 'missing', reason: 'Not found on the ward' }));
    await both();
    const sup = asRole(b, 'supervisor', 'Sam Supervisor');
    const list = await sup.backend.invoke(sup.session, 'sync.conflicts', {});
    const c = (list.ok ? list.value : []).find((x) => x.rule === 'restrictive')!;
    expect(c.winner.text).toMatch(/Retired/);
    const res = await sup.backend.invoke(sup.session, 'sync.resolveConflict', { id: c.id, choice: 'used_other' });
    expect(res.ok).toBe(true);
    expect(b.core.db.prepare('SELECT status FROM equipment WHERE id = ?').pluck().get(id)).toBe('missing');
    const last = statusHistory(b.core, id).at(-1)!;
    expect({ from: last.fromStatus, to: last.toStatus, by: last.userName, why: last.reason }).toEqual({
      from: 'retired',
      to: 'missing',
      by: 'Sam Supervisor',
      why: 'Not found on the ward',
    });
  });

  it('"Use the other" writes an audit entry with the old and the new value of what it changed', async () => {
    const { a, b, both } = await twoWards();
    const id = device(a.core, 'IP-1', { name: 'Infusion pump' });
    await both();
    const rename = (pc: WardPc, name: string) => renameDevice(pc, id, 'IP-1', name);
    rename(a, 'Infusion pump, Alaris');
    b.clockAhead(1000);
    rename(b, 'Infusion pump, Baxter');
    await both();
    const sup = asRole(b, 'supervisor', 'Sam Supervisor');
    const list = await sup.backend.invoke(sup.session, 'sync.conflicts', {});
    const c = (list.ok ? list.value : [])[0]!;
    const res = await sup.backend.invoke(sup.session, 'sync.resolveConflict', { id: c.id, choice: 'used_other' });
    expect(res.ok).toBe(true);
    const entries = b.core.db
      .prepare("SELECT action, actor_name, old_value, new_value FROM audit_log WHERE entity = 'equipment' AND entity_id = ? AND actor_name = 'Sam Supervisor'")
      .all(id) as { action: string; actor_name: string; old_value: string | null; new_value: string | null }[];
    // 21 CFR 11.10(e): who, when, what, old and new value.
    const all = entries.map((e) => `${e.old_value ?? ''} -> ${e.new_value ?? ''}`).join('\n');
    expect(all).toContain('Infusion pump, Baxter');
    expect(all).toContain('Infusion pump, Alaris');
    const resolved = entries.find((e) => e.action === 'resolve_conflict')!;
    expect(JSON.parse(resolved.old_value!)).toEqual({ name: 'Infusion pump, Baxter' });
    expect(JSON.parse(resolved.new_value!)).toMatchObject({ conflict: c.id, choice: 'used_other', name: 'Infusion pump, Alaris' });
  });

  it('a status clash is said in words: only the fields the two sides hold apart, no internal names or raw lists', async () => {
    const { a, b, both } = await twoWards();
    const id = device(a.core, 'DF-8', { name: 'Defibrillator' });
    await both();
    inTransaction(a.core, (w) => setEquipmentStatus(w, testActor, { id, status: 'retired', reason: 'Beyond repair' }));
    b.clockAhead(5000);
    inTransaction(b.core, (w) => setEquipmentStatus(w, testActor, { id, status: 'missing', reason: 'Not found on the ward' }));
    await both();
    const sup = asRole(b, 'supervisor', 'Sam Supervisor');
    const list = await sup.backend.invoke(sup.session, 'sync.conflicts', {});
    const c = (list.ok ? list.value : []).find((x) => x.rule === 'restrictive')!;
    expect(c.fields).toEqual(['status', 'reason for the status']);
    expect(c.winner.text).toBe('status: Retired; reason for the status: Beyond repair');
    expect(c.loser.text).toBe('status: Missing; reason for the status: Not found on the ward');
    expect(c.why).toBe('The more restrictive status stands on every PC.');
  });
});

describe('who may resolve', () => {
  it('ward staff and a technician are refused; the conflict stays open on both PCs', async () => {
    const { a, b, both } = await twoWards();
    const id = device(a.core, 'IP-2', { name: 'Pump' });
    await both();
    const rename = (pc: WardPc, name: string) => renameDevice(pc, id, 'IP-2', name);
    rename(a, 'Pump A');
    b.clockAhead(1000);
    rename(b, 'Pump B');
    await both();
    const [c] = listConflicts(b.core);
    for (const role of ['ward_staff', 'technician'] as const) {
      const who = asRole(b, role, `Someone ${role}`);
      const res = await who.backend.invoke(who.session, 'sync.resolveConflict', { id: c!.id, choice: 'used_other' });
      expect(res.ok).toBe(false);
      const list = await who.backend.invoke(who.session, 'sync.conflicts', {});
      expect(list.ok).toBe(false);
    }
    const sup = asRole(a, 'supervisor', 'Sam Supervisor');
    expect((await sup.backend.invoke(sup.session, 'sync.resolveConflict', { id: c!.id, choice: 'kept' })).ok).toBe(true);
    await both();
    expect({ a: listConflicts(a.core).length, b: listConflicts(b.core).length }).toEqual({ a: 0, b: 0 });
  });
});

describe('who made each side', () => {
  it('a PC two hours slow: the Conflicts screen names the person who made the change, not a later editor of the same device', async () => {
    const { a, b, both } = await twoWards();
    const id = device(a.core, 'SU-3', { name: 'Suction unit', location: 'General Hospital > Ward 4B > Bay 1' });
    place(a.core, 'General Hospital > Ward 4B > Bay 2');
    place(a.core, 'General Hospital > Ward 4B > Bay 3');
    await both();
    // B's clock is two hours slow; its sync learns the offset, so its stamps are right and its audit times are its clock's.
    b.clockAhead(-2 * 3600_000);
    await b.sync();
    const bay = (pc: WardPc, name: string) => pc.core.db.prepare('SELECT id FROM locations WHERE name = ?').pluck().get(name) as string;
    const edit = (pc: WardPc, actorName: string, fields: { name: string; locationId: string; notes?: string }) =>
      inTransaction(pc.core, (w) =>
        updateEquipment(w, { userId: null, name: actorName, role: 'supervisor', via: 'app' }, { ...EquipmentFields.parse({ assetTag: 'SU-3', ...fields }), id }),
      );
    edit(a, 'Ada on A', { name: 'Suction unit', locationId: bay(a, 'Bay 2') });
    edit(b, 'Ben on B', { name: 'Suction unit', locationId: bay(b, 'Bay 3') });
    // Two hours later (by the real time) Cat, on B, writes a note on the same device.
    b.clockAhead(2 * 3600_000);
    edit(b, 'Cat on B', { name: 'Suction unit', locationId: bay(b, 'Bay 3'), notes: 'Filter changed' });
    await both();
    const sup = asRole(a, 'supervisor', 'Sam Supervisor');
    const list = await sup.backend.invoke(sup.session, 'sync.conflicts', {});
    const c = (list.ok ? list.value : []).find((x) => x.fields.includes('location'))!;
    expect(c, 'the location conflict is listed').toBeDefined();
    const bSide = c.winner.pc.includes('Emergency') ? c.winner : c.loser;
    expect(bSide.text).toContain('Bay 3');
    expect(bSide.who).toBe('Ben on B');
  });
});

/** Moves a device on one PC, as its edit form does. */
function moveDevice(pc: WardPc, id: string, locationId: string): void {
  const row = pc.core.db.prepare('SELECT asset_tag, name FROM equipment WHERE id = ?').get(id) as { asset_tag: string; name: string };
  inTransaction(pc.core, (w) => updateEquipment(w, testActor, { ...EquipmentFields.parse({ assetTag: row.asset_tag, name: row.name, locationId }), id }));
}

describe('a decision about a value no longer in force', () => {
  it('"Keep" pressed on a page that showed Bay 3 is refused once another PC moved the device to Bay 4; the page then shows Bay 4, and "Keep" closes it with Bay 4 standing', async () => {
    const { a, b, both } = await twoWards();
    const id = device(a.core, 'SU-0001', { name: 'Suction unit', location: 'General Hospital > Ward 4B > Bay 1' });
    await both();
    const bay2 = place(a.core, 'General Hospital > Ward 4B > Bay 2');
    const bay3 = place(b.core, 'General Hospital > Ward 4B > Bay 3');
    moveDevice(a, id, bay2);
    b.clockAhead(2000);
    moveDevice(b, id, bay3);
    await both();
    const sam = asRole(a, 'supervisor', 'Sam Supervisor');
    const listed = async () => {
      const list = await sam.backend.invoke(sam.session, 'sync.conflicts', {});
      return (list.ok ? list.value : []).find((x) => x.table === 'equipment')!;
    };
    const page = await listed();
    expect({ inForce: page.winner.text, changedSince: page.changedSince }).toEqual({ inForce: 'General Hospital > Ward 4B > Bay 3', changedSince: null });
    // While Sam reads the page, someone on Emergency's PC moves it to Bay 4, and it syncs here.
    const bay4 = place(b.core, 'General Hospital > Ward 4B > Bay 4');
    b.clockAhead(2000);
    moveDevice(b, id, bay4);
    await both();
    const resolve = (input: { choice: 'kept' | 'used_other'; changedSince?: string | null }) =>
      sam.backend.invoke(sam.session, 'sync.resolveConflict', { id: page.id, ...input });
    const refusal = 'This has been changed again since the conflict: look at it as it is now and change it there if needed.';
    // Keep on "Bay 3", from the page (which showed nothing changed since) or from a caller that says nothing.
    for (const res of [await resolve({ choice: 'kept', changedSince: null }), await resolve({ choice: 'kept' })]) {
      expect(res.ok ? 'kept' : res.error.message).toBe(refusal);
    }
    const open = () => a.core.db.prepare('SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL').pluck().get();
    const resolutions = () => a.core.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'resolve_conflict'").pluck().get();
    expect({ open: open(), resolutions: resolutions() }).toEqual({ open: 1, resolutions: 0 });

    // Read again, the row says what stands now; "Use the other" would undo that move unseen: refused.
    const again = await listed();
    expect({ inForce: again.winner.text, changedSince: again.changedSince }).toEqual({
      inForce: 'General Hospital > Ward 4B > Bay 3',
      changedSince: 'General Hospital > Ward 4B > Bay 4',
    });
    const other = await resolve({ choice: 'used_other', changedSince: again.changedSince });
    expect(other.ok ? 'used' : other.error.message).toBe(refusal);
    // Moved once more (Bay 5) after the page showed Bay 4: Keep is refused again.
    const bay5 = place(b.core, 'General Hospital > Ward 4B > Bay 5');
    b.clockAhead(2000);
    moveDevice(b, id, bay5);
    await both();
    const late = await resolve({ choice: 'kept', changedSince: again.changedSince });
    expect(late.ok ? 'kept' : late.error.message).toBe(refusal);
    // Keep on what the page shows now closes it: Bay 5 stands, and the trail says so.
    const now = await listed();
    expect(now.changedSince).toBe('General Hospital > Ward 4B > Bay 5');
    const kept = await resolve({ choice: 'kept', changedSince: now.changedSince });
    expect(kept.ok ? kept.value.resolution : kept.error.message).toBe('kept');
    expect(a.core.db.prepare('SELECT location_id FROM equipment WHERE id = ?').pluck().get(id)).toBe(bay5);
    const entry = a.core.db.prepare("SELECT actor_name, new_value FROM audit_log WHERE action = 'resolve_conflict'").get() as { actor_name: string; new_value: string };
    expect({ by: entry.actor_name, ...(JSON.parse(entry.new_value) as object) }).toMatchObject({
      by: 'Sam Supervisor',
      conflict: page.id,
      choice: 'kept',
      in_force: { location_id: bay5 },
    });
    await both();
    expect({ a: listConflicts(a.core).length, b: listConflicts(b.core).length }).toEqual({ a: 0, b: 0 });
  });
});

describe('"Use the other" on a user\'s rights keeps the Users screen\'s rules', () => {
  /** A backend on `pc` with `user` signed in (an administrator of that PC's users table). */
  function signedInAs(pc: WardPc, user: { id: string; name: string }) {
    const backend = createBackend(pc.core, {
      logError: (err) => {
        throw err;
      },
    });
    const session = newSession(pc.core.clock.now().getTime());
    session.user = { id: user.id, name: user.name, role: 'admin', mustSetPin: false };
    return async (choice: 'kept' | 'used_other', table = 'users') => {
      const list = await backend.invoke(session, 'sync.conflicts', {});
      const c = (list.ok ? list.value : []).find((x) => x.table === table)!;
      return { c, res: await backend.invoke(session, 'sync.resolveConflict', { id: c.id, choice }) };
    };
  }
  const newUser = (pc: WardPc, name: string, role: 'supervisor' | 'admin') =>
    inTransaction(pc.core, (w) => insertUser(w, testActor, { name, role, homeLocationId: null, pinHash: null, passwordHash: null, mustSetPin: false }));

  it('the last active administrator is not made a technician: refused naming him, in the Users screen\'s words', async () => {
    const { a, b, both } = await twoWards();
    const bob = newUser(a, 'Bob Bloggs', 'supervisor');
    const ada = newUser(a, 'Ada Admin', 'admin');
    await both();
    // Apart: A makes Bob a technician, B (later) an administrator.
    setRole(a, bob.id, 'Bob Bloggs', 'technician');
    b.clockAhead(2000);
    setRole(b, bob.id, 'Bob Bloggs', 'admin');
    await both();
    // Bob, an administrator now, makes Ada a supervisor: he is the last administrator.
    setRole(b, ada.id, 'Ada Admin', 'supervisor');
    const admins = () => b.core.db.prepare("SELECT name FROM users WHERE role = 'admin' AND active = 1").pluck().all();
    expect(admins()).toEqual(['Bob Bloggs']);
    const { c, res } = await signedInAs(b, bob)('used_other');
    expect(c.loser.text).toBe('Technician');
    expect({ ok: res.ok, message: res.ok ? null : res.error.message, admins: admins() }).toEqual({
      ok: false,
      message: 'Bob Bloggs is the last active administrator: make someone else an administrator first.',
      admins: ['Bob Bloggs'],
    });
    expect(listConflicts(b.core).filter((x) => x.table === 'users')).toHaveLength(1);
  });

  it('an administrator does not deactivate themselves; another administrator may', async () => {
    const { a, b, both } = await twoWards();
    const bob = newUser(a, 'Bob Bloggs', 'admin');
    const ada = newUser(a, 'Ada Admin', 'admin');
    const setActive = (pc: WardPc, on: boolean) => inTransaction(pc.core, (w) => setUserActive(w, testActor, bob.id, on));
    setActive(a, false);
    await both();
    // Apart: A turns Bob's account on and off again; B (later) turns it on.
    setActive(a, true);
    setActive(a, false);
    b.clockAhead(2000);
    setActive(b, true);
    await both();
    const active = () => b.core.db.prepare('SELECT active FROM users WHERE id = ?').pluck().get(bob.id);
    const own = await signedInAs(b, bob)('used_other');
    expect(own.c.loser.text).toBe('inactive');
    expect({ ok: own.res.ok, message: own.res.ok ? null : own.res.error.message, active: active() }).toEqual({
      ok: false,
      message: 'You cannot deactivate yourself.',
      active: 1,
    });
    const byAda = await signedInAs(b, ada)('used_other');
    expect({ ok: byAda.res.ok, active: active() }).toEqual({ ok: true, active: 0 });
  });
});

describe('one conflict decided on two PCs apart', () => {
  for (const choice of ['kept', 'used_other'] as const) {
    it(`both decide alike (${choice === 'kept' ? 'Keep' : 'Use the other'}): the two decisions agree, and no PC lists a conflict of them`, async () => {
      const { a, b, both } = await twoWards();
      const id = device(a.core, 'IP-0042', { name: 'Infusion pump' });
      await both();
      renameDevice(a, id, 'IP-0042', 'Infusion pump, Alaris');
      b.clockAhead(2000);
      renameDevice(b, id, 'IP-0042', 'Infusion pump, Baxter');
      await both();
      const sam = asRole(a, 'supervisor', 'Sam on 4B');
      const bea = asRole(b, 'supervisor', 'Bea on Emergency');
      const [c] = listConflicts(a.core);
      expect((await sam.backend.invoke(sam.session, 'sync.resolveConflict', { id: c!.id, choice, changedSince: null })).ok).toBe(true);
      b.clockAhead(4000);
      expect((await bea.backend.invoke(bea.session, 'sync.resolveConflict', { id: c!.id, choice, changedSince: null })).ok).toBe(true);
      await both();
      await both();
      const name = (pc: WardPc) => pc.core.db.prepare('SELECT name FROM equipment WHERE id = ?').pluck().get(id);
      const decided = (pc: WardPc) => listConflicts(pc.core, { all: true }).map((x) => `${x.row}: ${x.resolution ?? 'open'} by ${x.resolvedBy ?? '-'}`);
      const stands = choice === 'kept' ? 'Infusion pump, Baxter' : 'Infusion pump, Alaris';
      expect({ a: listConflicts(a.core).length, b: listConflicts(b.core).length, nameA: name(a), nameB: name(b) }).toEqual({ a: 0, b: 0, nameA: stands, nameB: stands });
      // The later decision is the one recorded, on both PCs alike.
      expect(decided(a)).toEqual([`IP-0042 ${stands}: ${choice} by Bea on Emergency`]);
      expect(decided(b)).toEqual(decided(a));
    });
  }

  it('Ward 4B uses the other value and Emergency (later) keeps the one in force: every PC lists the two decisions in words, with what stands; only Keep closes it', async () => {
    const { a, b, both } = await twoWards();
    const id = device(a.core, 'IP-0042', { name: 'Infusion pump' });
    await both();
    renameDevice(a, id, 'IP-0042', 'Infusion pump, Alaris');
    b.clockAhead(2000);
    renameDevice(b, id, 'IP-0042', 'Infusion pump, Baxter');
    await both();
    const sam = asRole(a, 'supervisor', 'Sam on 4B');
    const bea = asRole(b, 'supervisor', 'Bea on Emergency');
    const listed = await sam.backend.invoke(sam.session, 'sync.conflicts', {});
    const c = (listed.ok ? listed.value : [])[0]!;
    expect(c.winner.text).toBe('Infusion pump, Baxter');
    // Apart: 4B uses the other value (Alaris); Emergency, later, keeps Baxter.
    expect((await sam.backend.invoke(sam.session, 'sync.resolveConflict', { id: c.id, choice: 'used_other', changedSince: null })).ok).toBe(true);
    b.clockAhead(4000);
    expect((await bea.backend.invoke(bea.session, 'sync.resolveConflict', { id: c.id, choice: 'kept', changedSince: null })).ok).toBe(true);
    await both();
    await both();
    const name = (pc: WardPc) => pc.core.db.prepare('SELECT name FROM equipment WHERE id = ?').pluck().get(id);
    // The edit 4B wrote stands everywhere (Emergency's Keep wrote none) ...
    expect({ a: name(a), b: name(b) }).toEqual({ a: 'Infusion pump, Alaris', b: 'Infusion pump, Alaris' });
    // ... though the conflict's record says "kept Baxter": a supervisor is told, in words, on every PC.
    for (const [pc, who] of [
      [a, sam],
      [b, bea],
    ] as const) {
      const open = await who.backend.invoke(who.session, 'sync.conflicts', {});
      const items = open.ok ? open.value : [];
      expect(items).toHaveLength(1);
      const twice = items[0]!;
      const said = `${twice.row} | ${twice.fields.join(', ')} | ${twice.winner.text} (${twice.winner.who}) | ${twice.loser.text} (${twice.loser.who}) | ${twice.why}`;
      expect(said, pc === a ? 'on Ward 4B' : 'on Emergency').toBe(
        'The conflict about IP-0042 Infusion pump, Alaris (name) | decision | Kept Infusion pump, Baxter (Bea on Emergency) | Used the other value, Infusion pump, Alaris (Sam on 4B) | Two people decided it on two PCs while apart; the later decision is the one recorded. What stands now: Infusion pump, Alaris.',
      );
      expect({ twoDecisions: twice.twoDecisions, equipmentId: twice.equipmentId }).toEqual({ twoDecisions: true, equipmentId: id });
    }
    const [twice] = listConflicts(a.core);
    // "Use the other" would change no value, only the record of who decided what: refused in a sentence.
    const other = await sam.backend.invoke(sam.session, 'sync.resolveConflict', { id: twice!.id, choice: 'used_other', changedSince: null });
    expect(other.ok ? 'written' : other.error.message).toBe(
      'The conflict about IP-0042 Infusion pump, Alaris was decided twice, on two PCs apart: there is no other value to use. Keep marks it as looked at; change the row itself if what stands is not right.',
    );
    expect((await sam.backend.invoke(sam.session, 'sync.resolveConflict', { id: twice!.id, choice: 'kept', changedSince: null })).ok).toBe(true);
    await both();
    expect({ a: listConflicts(a.core).length, b: listConflicts(b.core).length, name: name(b) }).toEqual({ a: 0, b: 0, name: 'Infusion pump, Alaris' });
  });
});
