import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../main/core/backend';
import { openCore } from '../../../main/core/open-core';
import { newSession } from '../../../main/core/session';
import { fixedClock, tempDir } from '../../helpers/core';
import { repairsWorld } from '../repairs/fixture';

/**
 * What a script in the window, or someone at the shared PC, might try: malformed input, a session
 * that should have ended, the last administrator removed, PINs guessed in parallel. Each is
 * refused in main and changes nothing.
 */

describe('input from the window', () => {
  it('refuses unknown fields, wrong types, huge strings, NaN and Infinity, naming the field, and writes nothing', async () => {
    const w = await repairsWorld();
    const users = w.count('users');
    const b = w.backend;
    const extra = await b.invoke(w.admin, 'users.create', { name: 'Eve', role: 'technician', temporaryPin: '2580', isAdmin: true } as never);
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect((extra as { error: { message: string } }).error.message).toMatch(/isAdmin/);
    const proto = await b.invoke(w.admin, 'users.create', JSON.parse('{"name":"Eve","role":"technician","temporaryPin":"2580","__proto__":{"role":"admin"}}'));
    expect(proto).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(({} as { role?: string }).role).toBeUndefined();
    expect(await b.invoke(w.admin, 'users.create', { name: 'Eve', role: 'root', temporaryPin: '2580' } as never)).toMatchObject({ ok: false, error: { field: 'role' } });
    expect(await b.invoke(w.admin, 'users.create', { name: 'E'.repeat(1_000_000), role: 'technician', temporaryPin: '2580' })).toMatchObject({ ok: false, error: { field: 'name' } });
    expect(await b.invoke(w.admin, 'users.setActive', { id: w.tom.user!.id, active: 'false' } as never)).toMatchObject({ ok: false, error: { field: 'active' } });
    for (const q of [Number.NaN, Number.POSITIVE_INFINITY, -1, 1e300]) {
      const r = await b.invoke(w.admin, 'stock.restock', { stockLocationId: w.store.id, itemId: w.sensor.id, quantity: q, lot: 'L9', expiresOn: '2028-01-31' });
      expect(r, String(q)).toMatchObject({ ok: false, error: { field: 'quantity' } });
    }
    expect(await b.invoke(w.admin, 'settings.update', { lockoutAttempts: Number.NaN } as never)).toMatchObject({ ok: false, error: { field: 'lockoutAttempts' } });
    expect(await b.invoke(w.admin, 'settings.update', { lockoutAttempts: 1e9 } as never)).toMatchObject({ ok: false, error: { field: 'lockoutAttempts' } });
    expect(await b.invoke(w.admin, 'settings.update', { dateFormat: 'yyyy/MM/dd' } as never)).toMatchObject({
      ok: false,
      error: { field: 'dateFormat', message: "Date format must be one of the computer's own (locale), yyyy-MM-dd, dd/MM/yyyy, MM/dd/yyyy, dd.MM.yyyy." },
    });
    expect(await b.invoke(w.admin, 'sql.run' as never, { sql: 'DELETE FROM users' } as never)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(w.count('users')).toBe(users);
  });
});

describe('sessions that must no longer act', () => {
  it('refuses writes after sign-out, on an idle-locked session, after deactivation and after demotion', async () => {
    const w = await repairsWorld();
    const b = w.backend;
    const s = newSession(w.clock.now().getTime());
    expect(await b.invoke(s, 'auth.signIn', { name: 'Sue Super', secret: '2468' })).toMatchObject({ ok: true });
    await b.invoke(s, 'auth.signOut', {});
    expect(await b.invoke(s, 'workOrders.codes.add', { kind: 'failure', label: 'After sign-out' })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await b.invoke(s, 'auth.signIn', { name: 'Sue Super', secret: '2468' })).toMatchObject({ ok: true });
    w.clock.set('2026-11-25T11:00:00Z');
    expect(await b.invoke(s, 'workOrders.codes.add', { kind: 'failure', label: 'After idle' })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await b.invoke(s, 'auth.signIn', { name: 'Sue Super', secret: '2468' })).toMatchObject({ ok: true });
    w.admin.lastActivityMs = w.clock.now().getTime();
    expect(await b.invoke(w.admin, 'users.update', { id: s.user!.id, name: 'Sue Super', role: 'technician', homeLocationId: null })).toMatchObject({ ok: true });
    expect(await b.invoke(s, 'workOrders.codes.add', { kind: 'failure', label: 'After demotion' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await b.invoke(w.admin, 'users.setActive', { id: s.user!.id, active: false })).toMatchObject({ ok: true });
    expect(await b.invoke(s, 'workOrders.take', { id: '00000000-0000-7000-8000-000000000000', secret: '2468' } as never)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });

  it('signs out a session whose role was raised in the database file, as a fresh sign-in with it is refused, and audits it', async () => {
    const w = await repairsWorld();
    const b = w.backend;
    const tomId = w.tom.user!.id;
    // Tom, signed in at the ward PC, makes himself an administrator with sqlite3.
    w.core.db.prepare("UPDATE users SET role = 'admin' WHERE id = ?").run(tomId);
    const fresh = await b.invoke(newSession(w.clock.now().getTime()), 'auth.signIn', { name: 'Tom Tech', secret: '1357' });
    expect(fresh).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining("Tom Tech's account was changed outside Wardkeep") } });
    // The session he already had gets no administrator's rights: it is signed out at its next call.
    const created = await b.invoke(w.tom, 'users.create', { name: 'Mallory Admin', role: 'admin', temporaryPin: '8642' });
    expect(created).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(w.tom.user).toBeNull();
    expect(w.core.db.prepare("SELECT count(*) AS n FROM users WHERE name = 'Mallory Admin'").get()).toEqual({ n: 0 });
    const signOut = w.core.db.prepare("SELECT actor_name, new_value FROM audit_log WHERE action = 'sign_out' AND entity_id = ? ORDER BY seq DESC").get(tomId);
    expect(signOut).toEqual({ actor_name: 'Tom Tech', new_value: JSON.stringify({ reason: 'changed_outside' }) });
    // Lowered the same way, the role is no more his than a raised one: that session ends too.
    expect(await b.invoke(w.admin, 'users.update', { id: tomId, name: 'Tom Tech', role: 'technician', homeLocationId: null })).toMatchObject({ ok: true });
    expect(await b.invoke(w.tom, 'auth.signIn', { name: 'Tom Tech', secret: '1357' })).toMatchObject({ ok: true, value: { role: 'technician' } });
    expect(await b.invoke(w.tom, 'workOrders.codes', {})).toMatchObject({ ok: true });
    w.core.db.prepare("UPDATE users SET role = 'ward_staff' WHERE id = ?").run(tomId);
    expect(await b.invoke(w.tom, 'workOrders.codes', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    // Other sessions, whose users agree with the trail, carry on.
    expect(await b.invoke(w.sue, 'workOrders.codes', {})).toMatchObject({ ok: true });
  });

  it('keeps at least one active administrator (demote or deactivate self, or the other one)', async () => {
    const w = await repairsWorld();
    const b = w.backend;
    const adminId = w.admin.user!.id;
    expect(await b.invoke(w.admin, 'users.update', { id: adminId, name: 'Ada Admin', role: 'supervisor', homeLocationId: null })).toMatchObject({ ok: false, error: { field: 'role' } });
    expect(await b.invoke(w.admin, 'users.setActive', { id: adminId, active: false })).toMatchObject({ ok: false });
  });
});

describe('guessing a PIN', () => {
  it('honours the lockout across two sessions, a signature, and a restart of the app', async () => {
    const dataDir = tempDir();
    const clock = fixedClock('2026-11-25T10:00:00Z');
    let core = openCore({ dataDir, clock });
    let b = createBackend(core);
    const admin = newSession(clock.now().getTime());
    await b.invoke(admin, 'auth.setupFirstAdmin', { name: 'Ada Admin', password: 'correct horse battery', pin: '2468' });
    await b.invoke(admin, 'users.create', { name: 'Tom Tech', role: 'technician', temporaryPin: '2580' });
    const tom = newSession(clock.now().getTime());
    await b.invoke(tom, 'auth.signIn', { name: 'Tom Tech', secret: '2580' });
    await b.invoke(tom, 'auth.setOwnPin', { currentSecret: '2580', newPin: '1357' });
    // Two wrong at sign-in from one session, one from another, and one on a signature.
    await b.invoke(newSession(), 'auth.signIn', { name: 'Tom Tech', secret: '0000' });
    await b.invoke(newSession(), 'auth.signIn', { name: 'Tom Tech', secret: '0001' });
    expect(await b.invoke(tom, 'workOrders.take', { id: '00000000-0000-7000-8000-000000000000', secret: '0009' })).toMatchObject({ ok: false, error: { field: 'secret' } });
    await b.invoke(tom, 'auth.setOwnPin', { currentSecret: '0002', newPin: '9137' });
    core.close();
    core = openCore({ dataDir, clock });
    b = createBackend(core);
    const last = await b.invoke(newSession(), 'auth.signIn', { name: 'Tom Tech', secret: '0003' });
    expect(last).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await b.invoke(newSession(), 'auth.signIn', { name: 'Tom Tech', secret: '1357' })).toMatchObject({ ok: false, error: { code: 'locked' } });
    const many = await Promise.all(Array.from({ length: 20 }, (_, i) => b.invoke(newSession(), 'auth.signIn', { name: 'Tom Tech', secret: String(4000 + i) })));
    expect(many.every((r) => !r.ok)).toBe(true);
    core.close();
  });
});
