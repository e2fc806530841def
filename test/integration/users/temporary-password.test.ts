import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../main/core/backend';
import { newSession } from '../../../main/core/session';
import { fixedClock, testCore } from '../../helpers/core';
import { repairsWorld } from '../repairs/fixture';

/**
 * A password an administrator chooses when adding a user (users.create's `password`) is someone
 * else's secret, so it is temporary like the temporary PIN: it signs the user in only to choose
 * their own PIN, goes when they do, and goes with a PIN reset. The first administrator's own
 * password stays. And a password of digits is held to the PIN's rule: the two share one box.
 */

type World = Awaited<ReturnType<typeof repairsWorld>>;

const auditNew = (w: World, action: string, userId: string) =>
  (w.core.db.prepare('SELECT new_value FROM audit_log WHERE action = ? AND entity_id = ? ORDER BY seq').all(action, userId) as { new_value: string | null }[]).map((r) =>
    r.new_value ? (JSON.parse(r.new_value) as unknown) : null,
  );

async function addPat(w: World) {
  return w.call('users.create', { name: 'Pat Tech', role: 'technician', temporaryPin: '2580', password: 'admin knows this' });
}

const signIn = (w: World, name: string, secret: string) => w.backend.invoke(newSession(w.clock.now().getTime()), 'auth.signIn', { name, secret });
const hasPassword = async (w: World, name: string) => (await w.call('users.list', {})).find((u) => u.name === name)!.hasPassword;

describe('a password an administrator chose for a user', () => {
  it('signs them in only to choose their own PIN, like the temporary PIN', async () => {
    const w = await repairsWorld();
    const pat = await addPat(w);
    expect(pat).toMatchObject({ hasPassword: true, mustSetPin: true });
    const s = newSession(w.clock.now().getTime());
    expect(await w.backend.invoke(s, 'auth.signIn', { name: 'Pat Tech', secret: 'admin knows this' })).toMatchObject({ ok: true, value: { mustSetPin: true } });
    expect(await w.backend.invoke(s, 'workOrders.report', { equipmentId: w.pump.id, problem: 'Alarm', takeOutOfUse: false, secret: 'admin knows this' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: 'Choose your own PIN first.' },
    });
    // Proving who they are with the password, Pat chooses a PIN: the password goes with the temporary PIN.
    expect(await w.backend.invoke(s, 'auth.setOwnPin', { currentSecret: 'admin knows this', newPin: '9137' })).toMatchObject({ ok: true, value: { mustSetPin: false } });
    expect(await hasPassword(w, 'Pat Tech')).toBe(false);
    expect(await signIn(w, 'Pat Tech', 'admin knows this')).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'secret' } });
    expect(await signIn(w, 'Pat Tech', '9137')).toMatchObject({ ok: true, value: { mustSetPin: false } });
    expect(auditNew(w, 'pin_set', pat.id)).toEqual([{ temporary_password_removed: true }]);
  });

  it('no longer signs in or signs records as them once they have chosen their own PIN', async () => {
    const w = await repairsWorld();
    const pat = await addPat(w);
    const s = newSession(w.clock.now().getTime());
    await w.as(s)('auth.signIn', { name: 'Pat Tech', secret: '2580' });
    await w.as(s)('auth.setOwnPin', { currentSecret: '2580', newPin: '9137' });
    // The admin, at the shared PC, tries the password they chose: as a sign-in, and as a signature in Pat's session.
    expect(await signIn(w, 'Pat Tech', 'admin knows this')).toMatchObject({ ok: false, error: { field: 'secret' } });
    const workOrders = w.count('work_orders');
    expect(await w.backend.invoke(s, 'workOrders.report', { equipmentId: w.pump.id, problem: 'Forged', takeOutOfUse: true, secret: 'admin knows this' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'secret' },
    });
    expect(w.count('work_orders')).toBe(workOrders);
    expect(await w.status()).not.toBe('out_of_service');
    // Pat's own PIN signs.
    expect(await w.backend.invoke(s, 'workOrders.report', { equipmentId: w.pump.id, problem: 'Alarm', takeOutOfUse: false, secret: '9137' })).toMatchObject({ ok: true });
    expect(w.core.db.prepare('SELECT password_hash FROM users WHERE id = ?').get(pat.id)).toEqual({ password_hash: null });
  });

  it('is removed by a PIN reset, leaving the temporary PIN the one secret someone else knows', async () => {
    const w = await repairsWorld();
    const pat = await addPat(w);
    expect(await w.call('users.resetPin', { id: pat.id, temporaryPin: '4826' })).toMatchObject({ hasPassword: false, mustSetPin: true });
    expect(await signIn(w, 'Pat Tech', 'admin knows this')).toMatchObject({ ok: false, error: { field: 'secret' } });
    expect(await signIn(w, 'Pat Tech', '4826')).toMatchObject({ ok: true, value: { mustSetPin: true } });
    expect(auditNew(w, 'pin_reset', pat.id)).toEqual([{ failed_attempts: 0, locked_until: null, temporary_password_removed: true }]);
  });
});

describe("the first administrator's own password", () => {
  it('stays through a change of their PIN and a PIN reset by another administrator', async () => {
    const w = await repairsWorld();
    const adaId = w.admin.user!.id;
    // Ada changes her PIN, proving it with her password: the password still signs in and signs.
    expect(await w.as(w.admin)('auth.setOwnPin', { currentSecret: 'correct horse battery', newPin: '9137' })).toMatchObject({ mustSetPin: false });
    expect(await signIn(w, 'Ada Admin', 'correct horse battery')).toMatchObject({ ok: true, value: { mustSetPin: false } });
    expect(await w.as(w.admin)('workOrders.report', { equipmentId: w.pump.id, problem: 'Alarm', takeOutOfUse: false, secret: 'correct horse battery' })).toMatchObject({
      workOrder: { state: 'reported' },
    });
    // Another administrator resets Ada's PIN: her password is still hers, and still signs her in.
    const bea = newSession(w.clock.now().getTime());
    await w.call('users.create', { name: 'Bea Boss', role: 'admin', temporaryPin: '2580' });
    await w.as(bea)('auth.signIn', { name: 'Bea Boss', secret: '2580' });
    await w.as(bea)('auth.setOwnPin', { currentSecret: '2580', newPin: '8642' });
    expect(await w.as(bea)('users.resetPin', { id: adaId, temporaryPin: '4826' })).toMatchObject({ hasPassword: true, mustSetPin: true });
    // No temporary password went: the entry says only that no lock was left.
    expect(auditNew(w, 'pin_reset', adaId)).toEqual([{ failed_attempts: 0, locked_until: null }]);
    const ada = newSession(w.clock.now().getTime());
    expect(await w.backend.invoke(ada, 'auth.signIn', { name: 'Ada Admin', secret: 'correct horse battery' })).toMatchObject({ ok: true, value: { mustSetPin: true } });
    expect(await w.backend.invoke(ada, 'auth.setOwnPin', { currentSecret: '4826', newPin: '3197' })).toMatchObject({ ok: true });
    expect(await signIn(w, 'Ada Admin', 'correct horse battery')).toMatchObject({ ok: true, value: { mustSetPin: false } });
    expect(await hasPassword(w, 'Ada Admin')).toBe(true);
  });
});

describe('a password of digits', () => {
  it('is refused when it would be refused as a PIN (one digit repeated, a run), naming the field', async () => {
    const w = await repairsWorld();
    const users = w.count('users');
    expect(await w.backend.invoke(w.admin, 'users.create', { name: 'Run Pin', role: 'technician', temporaryPin: '12345678' })).toMatchObject({
      ok: false,
      error: { field: 'temporaryPin' },
    });
    for (const password of ['12345678', '87654321', '00000000', '123456789']) {
      const res = await w.backend.invoke(w.admin, 'users.create', { name: 'Run Pass', role: 'technician', temporaryPin: '2580', password });
      expect(res, password).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'password' } });
      expect((res as { error: { message: string } }).error.message).toMatch(/^Password must not be one digit repeated or a run of digits such as 12345678/);
    }
    expect(w.count('users')).toBe(users);
    // Digits that are no run, and a run inside words, are passwords like any other.
    expect(await w.backend.invoke(w.admin, 'users.create', { name: 'Dee Digits', role: 'technician', temporaryPin: '2580', password: '13572468' })).toMatchObject({ ok: true });
    expect(await w.backend.invoke(w.admin, 'users.create', { name: 'Wes Words', role: 'technician', temporaryPin: '2580', password: 'pump12345678' })).toMatchObject({ ok: true });
  });

  it("is refused for the first administrator's password too", async () => {
    const clock = fixedClock('2026-11-25T07:00:00Z');
    const backend = createBackend(testCore({ clock }));
    const res = await backend.invoke(newSession(clock.now().getTime()), 'auth.setupFirstAdmin', { name: 'Ada Admin', password: '12345678', pin: '2468' });
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'password' } });
    expect(await backend.invoke(newSession(), 'auth.status', {})).toMatchObject({ ok: true, value: { needsSetup: true } });
  });
});
