import { describe, expect, it } from 'vitest';
import type { ChannelName } from '../../../shared/contract';
import { CHANNEL_NAMES, contract } from '../../../shared/contract';
import type { Role } from '../../../shared/domain/common';
import { createBackend } from '../../../main/core/backend';
import { newSession } from '../../../main/core/session';
import { fixedClock, testCore } from '../../helpers/core';
import { roleAllows } from '../../../shared/contract/access';
import { WARD_STAFF_CHANNELS } from '../../helpers/ward-staff';

async function setup() {
  const clock = fixedClock('2026-11-25T07:00:00Z');
  const core = testCore({ clock });
  const backend = createBackend(core, { logError: (e) => { throw e; } });
  const admin = newSession(clock.now().getTime());
  const first = await backend.invoke(admin, 'auth.setupFirstAdmin', { name: 'Ada Admin', password: 'correct horse battery', pin: '2468' });
  expect(first).toMatchObject({ ok: true, value: { name: 'Ada Admin', role: 'admin' } });
  return { clock, core, backend, admin };
}

async function addUser(b: Awaited<ReturnType<typeof setup>>, name: string, role: Role, pin: string) {
  const res = await b.backend.invoke(b.admin, 'users.create', { name, role, temporaryPin: '2580' });
  if (!res.ok) throw new Error(res.error.message);
  const s = newSession(b.clock.now().getTime());
  expect(await b.backend.invoke(s, 'auth.signIn', { name, secret: '2580' })).toMatchObject({ ok: true, value: { mustSetPin: true } });
  expect(await b.backend.invoke(s, 'auth.setOwnPin', { currentSecret: '2580', newPin: pin })).toMatchObject({ ok: true, value: { mustSetPin: false } });
  return { id: res.value.id, session: s };
}

const audit = (b: Awaited<ReturnType<typeof setup>>, action: string) =>
  (b.core.db.prepare('SELECT count(*) AS n FROM audit_log WHERE action = ?').get(action) as { n: number }).n;

describe('first run', () => {
  it('creates the first admin once; afterwards setup is refused', async () => {
    const b = await setup();
    const again = await b.backend.invoke(newSession(), 'auth.setupFirstAdmin', { name: 'Mallory', password: 'another password' });
    expect(again).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(b.core.db.prepare('SELECT name, role FROM users').all()).toEqual([{ name: 'Ada Admin', role: 'admin' }]);
  });

  it('reports needsSetup until then, with no default account anywhere', async () => {
    const core = testCore();
    const backend = createBackend(core);
    expect(await backend.invoke(newSession(), 'auth.status', {})).toMatchObject({ ok: true, value: { needsSetup: true, user: null } });
    expect(core.db.prepare('SELECT count(*) AS n FROM users').get()).toEqual({ n: 0 });
    expect(await backend.invoke(newSession(), 'auth.signIn', { name: 'admin', secret: 'admin' })).toMatchObject({ ok: false });
  });
});

describe('signing in', () => {
  it('accepts a PIN or the password, and audits each sign-in', async () => {
    const b = await setup();
    expect(await b.backend.invoke(newSession(), 'auth.signIn', { name: 'ada admin', secret: '2468' })).toMatchObject({ ok: true });
    expect(await b.backend.invoke(newSession(), 'auth.signIn', { name: 'Ada Admin', secret: 'correct horse battery' })).toMatchObject({ ok: true });
    expect(audit(b, 'sign_in')).toBe(3); // first run + two
  });

  it('makes a user with a temporary PIN choose their own before anything else', async () => {
    const b = await setup();
    await b.backend.invoke(b.admin, 'users.create', { name: 'Tom Tech', role: 'technician', temporaryPin: '7391' });
    const s = newSession(b.clock.now().getTime());
    await b.backend.invoke(s, 'auth.signIn', { name: 'Tom Tech', secret: '7391' });
    expect(await b.backend.invoke(s, 'equipment.search', {})).toMatchObject({ ok: false, error: { code: 'forbidden', message: 'Choose your own PIN first.' } });
    expect(await b.backend.invoke(s, 'auth.setOwnPin', { currentSecret: '7391', newPin: '7391' })).toMatchObject({ ok: false, error: { field: 'newPin' } });
    expect(await b.backend.invoke(s, 'auth.setOwnPin', { currentSecret: '7391', newPin: '9753' })).toMatchObject({ ok: true });
    expect(await b.backend.invoke(s, 'equipment.search', {})).toMatchObject({ ok: true });
  });

  it('locks the account after five wrong PINs in a row, for five minutes, and audits it', async () => {
    const b = await setup();
    await addUser(b, 'Tom Tech', 'technician', '1357');
    const s = newSession();
    for (let i = 1; i <= 4; i++) {
      const res = await b.backend.invoke(s, 'auth.signIn', { name: 'Tom Tech', secret: '2580' });
      expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'secret', message: `Wrong PIN or password. ${5 - i} ${5 - i === 1 ? 'try' : 'tries'} left before the account locks.` } });
    }
    expect(await b.backend.invoke(s, 'auth.signIn', { name: 'Tom Tech', secret: '2580' })).toMatchObject({ ok: false, error: { code: 'locked' } });
    // Even the right PIN is refused while locked…
    expect(await b.backend.invoke(s, 'auth.signIn', { name: 'Tom Tech', secret: '1357' })).toMatchObject({ ok: false, error: { code: 'locked' } });
    b.clock.set('2026-11-25T07:04:59Z');
    expect(await b.backend.invoke(s, 'auth.signIn', { name: 'Tom Tech', secret: '1357' })).toMatchObject({ ok: false, error: { code: 'locked' } });
    // …and accepted once the five minutes are over.
    b.clock.set('2026-11-25T07:05:01Z');
    expect(await b.backend.invoke(s, 'auth.signIn', { name: 'Tom Tech', secret: '1357' })).toMatchObject({ ok: true });
    expect(audit(b, 'sign_in_failed')).toBe(5);
    expect(audit(b, 'account_locked')).toBe(1);
    expect(audit(b, 'sign_in_refused_locked')).toBe(2);
  });

  it('resets the count after a good PIN: only wrong PINs in a row lock', async () => {
    const b = await setup();
    await addUser(b, 'Tom Tech', 'technician', '1357');
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) await b.backend.invoke(newSession(), 'auth.signIn', { name: 'Tom Tech', secret: '2580' });
      expect(await b.backend.invoke(newSession(), 'auth.signIn', { name: 'Tom Tech', secret: '1357' })).toMatchObject({ ok: true });
    }
  });

  it('starts the count again once a lock has run its time: one mistyped PIN then leaves four tries, not another lock', async () => {
    const b = await setup();
    await addUser(b, 'Tom Tech', 'technician', '1357');
    for (let i = 0; i < 5; i++) await b.backend.invoke(newSession(), 'auth.signIn', { name: 'Tom Tech', secret: '9753' });
    b.clock.set('2026-11-25T07:06:00Z');
    expect(await b.backend.invoke(newSession(), 'auth.signIn', { name: 'Tom Tech', secret: '1358' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: 'Wrong PIN or password. 4 tries left before the account locks.' },
    });
    expect(await b.backend.invoke(newSession(), 'auth.signIn', { name: 'Tom Tech', secret: '1357' })).toMatchObject({ ok: true });
    expect(audit(b, 'account_locked')).toBe(1);
  });

  it('follows a changed lockout policy', async () => {
    const b = await setup();
    await addUser(b, 'Tom Tech', 'technician', '1357');
    expect(await b.backend.invoke(b.admin, 'settings.update', { lockoutAttempts: 3, lockoutMinutes: 10 })).toMatchObject({ ok: true });
    for (let i = 0; i < 2; i++) await b.backend.invoke(newSession(), 'auth.signIn', { name: 'Tom Tech', secret: '2580' });
    expect(await b.backend.invoke(newSession(), 'auth.signIn', { name: 'Tom Tech', secret: '2580' })).toMatchObject({ ok: false, error: { code: 'locked', message: expect.stringMatching(/locked for 10 minutes/) } });
    b.clock.set('2026-11-25T07:09:00Z');
    expect(await b.backend.invoke(newSession(), 'auth.signIn', { name: 'Tom Tech', secret: '1357' })).toMatchObject({ ok: false, error: { code: 'locked' } });
  });

  it('lets an admin reset a PIN, which also lifts a lock', async () => {
    const b = await setup();
    const tom = await addUser(b, 'Tom Tech', 'technician', '1357');
    for (let i = 0; i < 5; i++) await b.backend.invoke(newSession(), 'auth.signIn', { name: 'Tom Tech', secret: '2580' });
    expect(await b.backend.invoke(b.admin, 'users.resetPin', { id: tom.id, temporaryPin: '4826' })).toMatchObject({ ok: true, value: { mustSetPin: true, lockedUntil: null } });
    expect(await b.backend.invoke(newSession(), 'auth.signIn', { name: 'Tom Tech', secret: '4826' })).toMatchObject({ ok: true, value: { mustSetPin: true } });
  });

  it('records in the trail the lock and the count of wrong attempts a PIN reset lifted, and never a hash', async () => {
    const b = await setup();
    const tom = await addUser(b, 'Tom Tech', 'technician', '1357');
    for (let i = 0; i < 5; i++) await b.backend.invoke(newSession(), 'auth.signIn', { name: 'Tom Tech', secret: '9753' });
    expect(await b.backend.invoke(b.admin, 'users.resetPin', { id: tom.id, temporaryPin: '4826' })).toMatchObject({ ok: true });
    const reset = b.core.db
      .prepare("SELECT actor_name, old_value, new_value FROM audit_log WHERE action = 'pin_reset' AND entity_id = ?")
      .get(tom.id) as { actor_name: string; old_value: string | null; new_value: string | null };
    expect(reset.actor_name).toBe('Ada Admin');
    expect(JSON.parse(reset.old_value ?? 'null')).toEqual({ failed_attempts: 5, locked_until: '2026-11-25T07:05:00.000Z' });
    expect(JSON.parse(reset.new_value ?? 'null')).toEqual({ failed_attempts: 0, locked_until: null });
    expect(`${reset.old_value} ${reset.new_value}`).not.toMatch(/hash|scrypt/);
  });

  it('refuses deactivated users; users are never deleted', async () => {
    const b = await setup();
    const tom = await addUser(b, 'Tom Tech', 'technician', '1357');
    expect(await b.backend.invoke(b.admin, 'users.setActive', { id: tom.id, active: false })).toMatchObject({ ok: true, value: { active: false } });
    expect(await b.backend.invoke(newSession(), 'auth.signIn', { name: 'Tom Tech', secret: '1357' })).toMatchObject({ ok: false });
    expect(() => b.core.db.prepare('DELETE FROM users WHERE id = ?').run(tom.id)).toThrow(/never deleted/);
  });

  it('keeps at least one active administrator', async () => {
    const b = await setup();
    const adminId = b.admin.user!.id;
    expect(await b.backend.invoke(b.admin, 'users.update', { id: adminId, name: 'Ada Admin', role: 'technician', homeLocationId: null })).toMatchObject({ ok: false, error: { field: 'role' } });
  });
});

describe('the lock screen', () => {
  it('does not offer a user deactivated since the screen locked on them as the one who can carry on', async () => {
    const b = await setup();
    const tom = await addUser(b, 'Tom Tech', 'technician', '1357');
    expect(await b.backend.invoke(tom.session, 'auth.lock', {})).toMatchObject({ ok: true });
    expect(await b.backend.invoke(tom.session, 'auth.status', {})).toMatchObject({ ok: true, value: { lockedUser: { name: 'Tom Tech' } } });
    expect(await b.backend.invoke(b.admin, 'users.setActive', { id: tom.id, active: false })).toMatchObject({ ok: true });
    expect(await b.backend.invoke(tom.session, 'auth.status', {})).toMatchObject({ ok: true, value: { user: null, lockedUser: null } });
    // Reactivated, he is not offered again on that screen: the session let go of him.
    expect(await b.backend.invoke(b.admin, 'users.setActive', { id: tom.id, active: true })).toMatchObject({ ok: true });
    expect(await b.backend.invoke(tom.session, 'auth.status', {})).toMatchObject({ ok: true, value: { lockedUser: null } });
  });
});

describe('the idle lock, enforced in main', () => {
  it('locks a session idle longer than the setting; the same user picks up again', async () => {
    const b = await setup();
    const tom = await addUser(b, 'Tom Tech', 'technician', '1357');
    b.clock.set('2026-11-25T07:04:00Z');
    expect(await b.backend.invoke(tom.session, 'auth.touch', {})).toMatchObject({ ok: true });
    // The page reports keys at most every ACTIVITY_REPORT_EVERY_MS (10 s): within that much more
    // than the setting, the person may still have been typing, and main does not lock.
    b.clock.set('2026-11-25T07:09:10Z');
    expect(await b.backend.invoke(tom.session, 'equipment.search', {})).toMatchObject({ ok: true });
    b.clock.set('2026-11-25T07:09:11Z'); // 5 minutes, the 10 s, and a second later
    expect(await b.backend.invoke(tom.session, 'equipment.search', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await b.backend.invoke(tom.session, 'auth.status', {})).toMatchObject({ ok: true, value: { user: null, lockedUser: { name: 'Tom Tech' } } });
    expect(audit(b, 'lock')).toBe(1);
  });

  it('does not count background reads as activity', async () => {
    const b = await setup();
    const tom = await addUser(b, 'Tom Tech', 'technician', '1357');
    for (const t of ['07:02', '07:04', '07:06']) {
      b.clock.set(`2026-11-25T${t}:00Z`);
      await b.backend.invoke(tom.session, 'equipment.search', {});
    }
    b.clock.set('2026-11-25T07:06:30Z');
    expect(await b.backend.invoke(tom.session, 'equipment.search', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });
});

describe('roles, enforced in main on every call', () => {
  it('answers forbidden to every channel above the role, and changes nothing', async () => {
    const b = await setup();
    const sessions: Record<Role, Awaited<ReturnType<typeof addUser>>['session']> = {
      ward_staff: (await addUser(b, 'Nia Nurse', 'ward_staff', '3579')).session,
      technician: (await addUser(b, 'Tom Tech', 'technician', '1357')).session,
      supervisor: (await addUser(b, 'Sue Super', 'supervisor', '2468')).session,
      admin: b.admin,
    };
    const countRows = () =>
      JSON.stringify(
        ['equipment', 'locations', 'users', 'settings', 'categories', 'work_orders', 'status_changes', 'task_types', 'repair_codes'].map((t) =>
          b.core.db.prepare(`SELECT count(*) AS n FROM ${t}`).get(),
        ),
      );
    for (const role of ['ward_staff', 'technician', 'supervisor'] as const) {
      for (const name of CHANNEL_NAMES as ChannelName[]) {
        const access = contract[name].access;
        if (roleAllows(role, access)) continue;
        const before = countRows();
        const res = await b.backend.invoke(sessions[role], name, {});
        expect(res, `${role} → ${name}`).toMatchObject({ ok: false, error: { code: 'forbidden' } });
        expect(countRows()).toBe(before);
      }
    }
  });

  it('lets ward staff through to Today, device pages and fault reports, and nothing more (every channel)', async () => {
    const b = await setup();
    const nia = (await addUser(b, 'Nia Nurse', 'ward_staff', '3579')).session;
    const reached: string[] = [];
    for (const name of CHANNEL_NAMES as ChannelName[]) {
      if (name === 'auth.signOut' || name === 'auth.lock') continue;
      const res = await b.backend.invoke(nia, name, {});
      const forbidden = !res.ok && res.error.code === 'forbidden';
      expect(forbidden, `ward staff → ${name}`).toBe(!roleAllows('ward_staff', contract[name].access));
      if (!forbidden && contract[name].access === 'ward_staff') reached.push(name);
    }
    expect(reached.sort()).toEqual([...WARD_STAFF_CHANNELS].sort());
  });
});
