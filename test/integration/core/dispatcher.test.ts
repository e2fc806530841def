import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../../shared/domain/common';
import { createBackend } from '../../../main/core/backend';
import { backupToFolder } from '../../../main/core/backup/folder';
import type { Commit } from '../../../main/core/dispatcher/transaction';
import { inTransaction, onCommit } from '../../../main/core/dispatcher/transaction';
import { command } from '../../../main/core/sql/query';
import { newSession } from '../../../main/core/session';
import { fixedClock, testCore } from '../../helpers/core';
import { snapshot } from '../safety/helpers';

/** A hospital with its first administrator, signed in as the app does it. */
async function hospital() {
  const clock = fixedClock('2026-11-25T07:00:00Z');
  const core = testCore({ clock });
  const backend = createBackend(core, {
    logError: (e) => {
      throw e;
    },
  });
  const admin = newSession(clock.now().getTime());
  expect(
    await backend.invoke(admin, 'auth.setupFirstAdmin', { name: 'Ada Admin', password: 'correct horse battery', pin: '2468' }),
  ).toMatchObject({ ok: true });
  const site = await backend.invoke(admin, 'locations.create', { name: 'General Hospital' });
  if (!site.ok) throw new Error(site.error.message);
  return { clock, core, backend, admin, locationId: site.value.id };
}

type Hospital = Awaited<ReturnType<typeof hospital>>;

/** A colleague the admin adds, who signs in at their own window and chooses a PIN, as in the app. */
async function colleague(h: Hospital, name: string, role: Role) {
  const created = await h.backend.invoke(h.admin, 'users.create', { name, role, temporaryPin: '7193' });
  if (!created.ok) throw new Error(created.error.message);
  const window = newSession(h.clock.now().getTime());
  expect(await h.backend.invoke(window, 'auth.signIn', { name, secret: '7193' })).toMatchObject({ ok: true });
  expect(await h.backend.invoke(window, 'auth.setOwnPin', { currentSecret: '7193', newPin: '5820' })).toMatchObject({ ok: true });
  return { id: created.value.id, window };
}

describe('rights are read on every call (issue 13 item 9)', () => {
  it("a supervisor demoted while signed in loses a supervisor's rights at their very next call", async () => {
    const h = await hospital();
    const sam = await colleague(h, 'Sam Supervisor', 'supervisor');
    expect(
      await h.backend.invoke(sam.window, 'equipment.create', { assetTag: 'IP-1', name: 'Pump', locationId: h.locationId }),
    ).toMatchObject({ ok: true });

    // The admin demotes Sam from the Users screen; Sam's window stays open and signed in.
    expect(
      await h.backend.invoke(h.admin, 'users.update', { id: sam.id, name: 'Sam Supervisor', role: 'technician', homeLocationId: null }),
    ).toMatchObject({
      ok: true,
    });
    const before = snapshot(h.core.db);
    const attempt = await h.backend.invoke(sam.window, 'equipment.create', { assetTag: 'IP-2', name: 'Pump', locationId: h.locationId });
    expect(attempt).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'Only a supervisor or above may do this; you are signed in as a technician.' },
    });
    expect(snapshot(h.core.db)).toEqual(before);
    // Still signed in, as what they now are: a technician's reads work, and the screen is told the new role.
    expect(await h.backend.invoke(sam.window, 'equipment.findByTag', { tag: 'IP-1' })).toMatchObject({ ok: true });
    expect(await h.backend.invoke(sam.window, 'auth.status', {})).toMatchObject({
      ok: true,
      value: { user: { name: 'Sam Supervisor', role: 'technician' } },
    });
  });

  it('a refusal names the roles in words: "an administrator", "ward staff", never a role code', async () => {
    const h = await hospital();
    const nia = await colleague(h, 'Nia Nurse', 'ward_staff');
    const tom = await colleague(h, 'Tom Technician', 'technician');
    expect(await h.backend.invoke(nia.window, 'equipment.create', { assetTag: 'IP-3', name: 'Pump', locationId: h.locationId })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'Only a supervisor or above may do this; you are signed in as ward staff.' },
    });
    expect(await h.backend.invoke(tom.window, 'backups.status', {})).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'Only an administrator or above may do this; you are signed in as a technician.' },
    });
  });

  it('a user deactivated while signed in is signed out at once: the next call is refused and audited', async () => {
    const h = await hospital();
    const tom = await colleague(h, 'Tom Technician', 'technician');
    const events: string[] = [];
    h.backend.onEvent((e, p) => events.push(`${e}:${JSON.stringify(p)}`));
    expect(await h.backend.invoke(h.admin, 'users.setActive', { id: tom.id, active: false })).toMatchObject({ ok: true });

    const attempt = await h.backend.invoke(tom.window, 'stock.items.list', {});
    expect(attempt).toEqual({ ok: false, error: { code: 'unauthenticated', message: 'Sign in first.' } });
    expect(tom.window.user).toBeNull();
    // Signed out, not locked: nobody's work is kept for a deactivated user to come back to.
    expect(tom.window.lockedUserId).toBeNull();
    expect(events).toContain('session.locked:{"reason":"deactivated"}');
    const last = h.core.db.prepare('SELECT action, actor_name, new_value FROM audit_log ORDER BY seq DESC LIMIT 1').get();
    expect(last).toEqual({ action: 'sign_out', actor_name: 'Tom Technician', new_value: '{"reason":"deactivated"}' });
    expect(await h.backend.invoke(tom.window, 'auth.status', {})).toMatchObject({ ok: true, value: { user: null, lockedUser: null } });
    // And signing in again is refused while the account stays inactive.
    expect(await h.backend.invoke(tom.window, 'auth.signIn', { name: 'Tom Technician', secret: '5820' })).toMatchObject({ ok: false });
  });

  it("a technician promoted while signed in may do a supervisor's work at the next call, without signing in again", async () => {
    const h = await hospital();
    const tess = await colleague(h, 'Tess Technician', 'technician');
    const refused = await h.backend.invoke(tess.window, 'equipment.create', { assetTag: 'IP-9', name: 'Pump', locationId: h.locationId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await h.backend.invoke(h.admin, 'users.update', { id: tess.id, name: 'Tess Technician', role: 'supervisor', homeLocationId: null });
    expect(
      await h.backend.invoke(tess.window, 'equipment.create', { assetTag: 'IP-9', name: 'Pump', locationId: h.locationId }),
    ).toMatchObject({ ok: true });
    // The record names her as she is now.
    expect(h.core.db.prepare("SELECT actor_name FROM audit_log WHERE entity = 'equipment' ORDER BY seq DESC LIMIT 1").get()).toEqual({
      actor_name: 'Tess Technician',
    });
  });

  it('a restore signs out every other window too, at its next call', async () => {
    const h = await hospital();
    const sam = await colleague(h, 'Sam Supervisor', 'supervisor');
    const backup = await backupToFolder(h.core, 'manual');
    const restored = await h.backend.invoke(h.admin, 'backups.restore', { fileName: path.basename(backup.file), confirm: true });
    expect(restored).toMatchObject({ ok: true });
    expect(h.admin.user).toBeNull();
    // Sam exists, active, in the restored data; the window is signed out all the same.
    expect(await h.backend.invoke(sam.window, 'equipment.findByTag', { tag: 'X' })).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    expect(sam.window.user).toBeNull();
  });
});

describe('one transaction per write, heard by the commit listeners', () => {
  it('tells each listener of every committed write once, with its channel, its actor and the audit entries it wrote', async () => {
    const h = await hospital();
    const commits: Commit[] = [];
    onCommit(h.core, (c) => commits.push(c));
    const head = () => (h.core.db.prepare('SELECT max(seq) AS n FROM audit_log').get() as { n: number }).n;

    const from = head() + 1;
    expect(await h.backend.invoke(h.admin, 'equipment.create', { assetTag: 'IP-1', name: 'Pump', locationId: h.locationId })).toMatchObject(
      { ok: true },
    );
    expect(commits).toEqual([
      {
        origin: 'equipment.create',
        actor: expect.objectContaining({ name: 'Ada Admin', role: 'admin', via: 'app' }),
        audit: { from, to: head() },
      },
    ]);
    const written = h.core.db.prepare('SELECT entity, action FROM audit_log WHERE seq BETWEEN ? AND ?').all(from, head());
    expect(written).toEqual([{ entity: 'equipment', action: 'create' }]);

    // Reads and refused writes commit nothing, so listeners hear nothing.
    commits.length = 0;
    await h.backend.invoke(h.admin, 'equipment.search', {});
    await h.backend.invoke(h.admin, 'equipment.create', { assetTag: 'ip-1', name: 'Dup', locationId: h.locationId });
    expect(commits).toEqual([]);
  });

  it('a wrong PIN is refused, yet its count and audit entries are committed and heard', async () => {
    const h = await hospital();
    await colleague(h, 'Tom Technician', 'technician');
    const commits: Commit[] = [];
    onCommit(h.core, (c) => commits.push(c));
    const res = await h.backend.invoke(newSession(), 'auth.signIn', { name: 'Tom Technician', secret: '0001' });
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'secret' } });
    expect(h.core.db.prepare("SELECT failed_attempts FROM users WHERE name = 'Tom Technician'").get()).toEqual({ failed_attempts: 1 });
    // Two commits: the attempt counted before the PIN was hashed, then the outcome with its audit entries.
    expect(commits).toHaveLength(2);
    expect(commits[0]).toMatchObject({ origin: 'auth.signIn', audit: null });
    expect(commits[1]).toMatchObject({ origin: 'auth.signIn', audit: { from: expect.any(Number), to: expect.any(Number) } });
  });

  it('reports a restore as the whole database replaced', async () => {
    const h = await hospital();
    const backup = await backupToFolder(h.core, 'manual');
    const commits: Commit[] = [];
    onCommit(h.core, (c) => commits.push(c));
    expect(await h.backend.invoke(h.admin, 'backups.restore', { fileName: path.basename(backup.file), confirm: true })).toMatchObject({
      ok: true,
    });
    expect(commits).toEqual([expect.objectContaining({ origin: 'backups.restore', replaced: true })]);
  });
});

describe('reads and writes are told apart', () => {
  it('a write needs the WriteCore only a transaction hands out, and refuses to run outside one', () => {
    const core = testCore();
    const note = command<{ value: string }>("INSERT INTO meta (key, value) VALUES ('test-note', @value)");
    // @ts-expect-error a read's core is not a WriteCore: the compiler refuses a read handler that writes
    expect(() => note.run(core, { value: 'x' })).toThrow('A write outside a transaction was refused');
    expect(() => note.run({ ...core, writable: true }, { value: 'forged' })).toThrow('A write outside a transaction was refused');
    inTransaction(core, (writable) => note.run(writable, { value: 'kept' }));
    expect(core.db.prepare("SELECT value FROM meta WHERE key = 'test-note'").all()).toEqual([{ value: 'kept' }]);
  });
});
