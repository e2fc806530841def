import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../main/core/backend';
import { newSession } from '../../../main/core/session';
import { caller } from '../../helpers/invoke';
import { fixedClock, testCore } from '../../helpers/core';
import { repairsWorld } from '../repairs/fixture';

/**
 * A temporary PIN (given when a user is added, or by a PIN reset) is someone else's secret: it
 * works for 72 hours after it was given, then signs in no one, chooses no PIN and signs nothing,
 * and the Users screen says it expired. And it is never taken as the user's own PIN. The
 * integration tests run in America/New_York: 07:00Z is 02:00 there.
 */

async function setup() {
  const clock = fixedClock('2026-11-25T07:00:00Z');
  const core = testCore({ clock });
  const backend = createBackend(core, {
    logError: (e) => {
      throw e;
    },
  });
  const admin = newSession(clock.now().getTime());
  await caller(backend, admin)('auth.setupFirstAdmin', { name: 'Ada Admin', password: 'correct horse battery', pin: '2468' });
  const call = caller(backend, admin);
  await call('settings.update', { dateFormat: 'dd/MM/yyyy' });
  /** Moves the clock; the admin's window stays in use meanwhile (no idle lock). */
  const at = (iso: string) => {
    clock.set(iso);
    admin.lastActivityMs = clock.now().getTime();
  };
  const signIn = (name: string, secret: string) => backend.invoke(newSession(clock.now().getTime()), 'auth.signIn', { name, secret });
  const listed = async (name: string) => (await call('users.list', {})).find((u) => u.name === name)!;
  const audits = (action: string, userId: string) =>
    (core.db.prepare('SELECT new_value FROM audit_log WHERE action = ? AND entity_id = ? ORDER BY seq').all(action, userId) as { new_value: string | null }[]).map((r) =>
      r.new_value ? (JSON.parse(r.new_value) as unknown) : null,
    );
  const row = (id: string) => core.db.prepare('SELECT must_set_pin, failed_attempts FROM users WHERE id = ?').get(id);
  return { clock, core, backend, admin, call, at, signIn, listed, audits, row };
}

const EXPIRED_TOM = (when: string) =>
  `The temporary PIN for Tom Tech expired on ${when} (a temporary PIN works for 72 hours after it is given), so no one was signed in. Ask an administrator to reset the PIN for a new one.`;

describe('a temporary PIN expires 72 hours after it was given', () => {
  it('signs in until then, and afterwards is refused in a sentence beside the PIN, audited, with no sign-in', async () => {
    const b = await setup();
    const tom = await b.call('users.create', { name: 'Tom Tech', role: 'technician', temporaryPin: '7391' });
    b.at('2026-11-28T06:59:00Z');
    expect(await b.signIn('Tom Tech', '7391')).toMatchObject({ ok: true, value: { mustSetPin: true } });
    expect(await b.listed('Tom Tech')).toMatchObject({ mustSetPin: true, temporaryPinExpired: false });
    b.at('2026-11-28T07:00:00Z');
    expect(await b.signIn('Tom Tech', '7391')).toEqual({
      ok: false,
      error: { code: 'forbidden', field: 'secret', message: EXPIRED_TOM('28/11/2026 02:00') },
    });
    expect(b.audits('sign_in', tom.id)).toHaveLength(1);
    expect(b.audits('sign_in_refused', tom.id)).toEqual([
      { reason: 'temporary_pin_expired', given_at: '2026-11-25T07:00:00.000Z', expired_at: '2026-11-28T07:00:00.000Z' },
    ]);
    // The attempt stays counted, as every attempt is.
    expect(b.row(tom.id)).toEqual({ must_set_pin: 1, failed_attempts: 1 });
    // The Users screen says so.
    expect(await b.listed('Tom Tech')).toMatchObject({ mustSetPin: true, temporaryPinExpired: true });
  });

  it('tried again and again once expired, it locks the account as wrong PINs do, and the trail says so', async () => {
    const b = await setup();
    const tom = await b.call('users.create', { name: 'Tom Tech', role: 'technician', temporaryPin: '7391' });
    b.at('2026-12-01T07:00:00Z');
    for (let i = 1; i <= 5; i++) {
      expect(await b.signIn('Tom Tech', '7391')).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/expired/) } });
    }
    expect(b.audits('account_locked', tom.id)).toEqual([{ until: '2026-12-01T07:05:00.000Z' }]);
    expect(await b.signIn('Tom Tech', '7391')).toMatchObject({ ok: false, error: { code: 'locked', message: expect.stringMatching(/ask an administrator to reset the PIN\.$/) } });
  });

  it('a wrong PIN after it expired is a wrong PIN, not word of the temporary one', async () => {
    const b = await setup();
    await b.call('users.create', { name: 'Tom Tech', role: 'technician', temporaryPin: '7391' });
    b.at('2026-12-01T07:00:00Z');
    expect(await b.signIn('Tom Tech', '9999')).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'secret', message: expect.stringMatching(/^Wrong PIN or password\./) } });
  });

  it('counts from the latest reset, and a new reset gives a PIN that works again', async () => {
    const b = await setup();
    const tom = await b.call('users.create', { name: 'Tom Tech', role: 'technician', temporaryPin: '7391' });
    const s = newSession(b.clock.now().getTime());
    await caller(b.backend, s)('auth.signIn', { name: 'Tom Tech', secret: '7391' });
    await caller(b.backend, s)('auth.setOwnPin', { currentSecret: '7391', newPin: '9137' });
    expect(await b.listed('Tom Tech')).toMatchObject({ mustSetPin: false, temporaryPinExpired: false });
    b.at('2026-11-27T07:00:00Z');
    await b.call('users.resetPin', { id: tom.id, temporaryPin: '4826' });
    // Four days after Tom was added, two after the reset: the reset's PIN works.
    b.at('2026-11-29T07:00:00Z');
    expect(await b.signIn('Tom Tech', '4826')).toMatchObject({ ok: true, value: { mustSetPin: true } });
    b.at('2026-11-30T07:00:01Z');
    expect(await b.signIn('Tom Tech', '4826')).toEqual({ ok: false, error: { code: 'forbidden', field: 'secret', message: EXPIRED_TOM('30/11/2026 02:00') } });
    expect(await b.listed('Tom Tech')).toMatchObject({ temporaryPinExpired: true });
    // Tom asks; the administrator resets the PIN again, and the new one signs him in to choose his own.
    expect(await b.call('users.resetPin', { id: tom.id, temporaryPin: '5173' })).toMatchObject({ mustSetPin: true, temporaryPinExpired: false });
    const again = newSession(b.clock.now().getTime());
    expect(await caller(b.backend, again)('auth.signIn', { name: 'Tom Tech', secret: '5173' })).toMatchObject({ mustSetPin: true });
    expect(await caller(b.backend, again)('auth.setOwnPin', { currentSecret: '5173', newPin: '8642' })).toMatchObject({ mustSetPin: false });
    expect(await b.listed('Tom Tech')).toMatchObject({ mustSetPin: false, temporaryPinExpired: false });
  });

  it('chooses no PIN once expired, even on the "Choose your PIN" screen opened in time', async () => {
    const b = await setup();
    const tom = await b.call('users.create', { name: 'Tom Tech', role: 'technician', temporaryPin: '7391' });
    b.at('2026-11-28T06:58:00Z');
    const s = newSession(b.clock.now().getTime());
    expect(await b.backend.invoke(s, 'auth.signIn', { name: 'Tom Tech', secret: '7391' })).toMatchObject({ ok: true });
    b.at('2026-11-28T07:01:00Z');
    s.lastActivityMs = b.clock.now().getTime();
    expect(await b.backend.invoke(s, 'auth.setOwnPin', { currentSecret: '7391', newPin: '9137' })).toEqual({
      ok: false,
      error: {
        code: 'forbidden',
        field: 'currentSecret',
        message:
          'Your temporary PIN expired on 28/11/2026 02:00 (a temporary PIN works for 72 hours after it is given), so your new PIN was not saved. Ask an administrator to reset the PIN for a new one.',
      },
    });
    expect(b.audits('pin_set', tom.id)).toEqual([]);
    expect(b.audits('pin_change_refused', tom.id)).toEqual([expect.objectContaining({ reason: 'temporary_pin_expired' })]);
    expect(b.row(tom.id)).toMatchObject({ must_set_pin: 1 });
    expect(await b.signIn('Tom Tech', '9137')).toMatchObject({ ok: false, error: { field: 'secret' } });
  });

  it('a password an administrator chose expires with the temporary PIN; the first administrator’s own password never does', async () => {
    const b = await setup();
    await b.call('users.create', { name: 'Pat Tech', role: 'technician', temporaryPin: '7391', password: 'admin knows this' });
    const ada = (await b.listed('Ada Admin')).id;
    // A second administrator resets Ada's PIN; nobody signs in for four days.
    const ben = newSession(b.clock.now().getTime());
    await b.call('users.create', { name: 'Ben Admin', role: 'admin', temporaryPin: '2580' });
    await caller(b.backend, ben)('auth.signIn', { name: 'Ben Admin', secret: '2580' });
    await caller(b.backend, ben)('auth.setOwnPin', { currentSecret: '2580', newPin: '8642' });
    await caller(b.backend, ben)('users.resetPin', { id: ada, temporaryPin: '5173' });
    b.at('2026-11-29T07:00:00Z');
    expect(await b.signIn('Pat Tech', 'admin knows this')).toEqual({
      ok: false,
      error: {
        code: 'forbidden',
        field: 'secret',
        message:
          'The password an administrator chose for Pat Tech expired on 28/11/2026 02:00 (a temporary PIN works for 72 hours after it is given), so no one was signed in. Ask an administrator to reset the PIN for a new one.',
      },
    });
    expect(await b.signIn('Ada Admin', '5173')).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/^The temporary PIN for Ada Admin expired on /) } });
    // Ada's own password still proves who she is, and she chooses her own PIN with it.
    const s = newSession(b.clock.now().getTime());
    expect(await caller(b.backend, s)('auth.signIn', { name: 'Ada Admin', secret: 'correct horse battery' })).toMatchObject({ mustSetPin: true });
    expect(await caller(b.backend, s)('auth.setOwnPin', { currentSecret: 'correct horse battery', newPin: '9137' })).toMatchObject({ mustSetPin: false });
  });

  it('signs nothing once expired: neither the temporary PIN nor the old one, in a window signed in before the reset', async () => {
    const w = await repairsWorld();
    const tomId = w.tom.user!.id;
    await w.call('users.resetPin', { id: tomId, temporaryPin: '4826' });
    w.clock.set('2026-11-29T10:00:00Z');
    for (const s of [w.tom, w.admin]) s.lastActivityMs = w.clock.now().getTime();
    const workOrders = w.count('work_orders');
    for (const secret of ['4826', '1357']) {
      expect(await w.backend.invoke(w.tom, 'workOrders.report', { equipmentId: w.pump.id, problem: 'Alarm', takeOutOfUse: true, secret })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
    expect(w.count('work_orders')).toBe(workOrders);
    expect(await w.status()).not.toBe('out_of_service');
  });
});

describe('choosing one’s own PIN after a temporary one', () => {
  it('refuses the temporary PIN as one’s own, beside New PIN, in a sentence saying why', async () => {
    const b = await setup();
    const tom = await b.call('users.create', { name: 'Tom Tech', role: 'technician', temporaryPin: '7391' });
    const s = newSession(b.clock.now().getTime());
    await caller(b.backend, s)('auth.signIn', { name: 'Tom Tech', secret: '7391' });
    expect(await b.backend.invoke(s, 'auth.setOwnPin', { currentSecret: '7391', newPin: '7391' })).toEqual({
      ok: false,
      error: { code: 'invalid_input', field: 'newPin', message: 'Choose a PIN of your own, not the one you were given: the temporary PIN is known to whoever gave it to you.' },
    });
    expect(b.row(tom.id)).toMatchObject({ must_set_pin: 1 });
    expect(await b.backend.invoke(s, 'auth.setOwnPin', { currentSecret: '7391', newPin: '9137' })).toMatchObject({ ok: true, value: { mustSetPin: false } });
  });

  it('refuses the password an administrator chose (digits, so a PIN too) as one’s own', async () => {
    const b = await setup();
    const pat = await b.call('users.create', { name: 'Pat Tech', role: 'technician', temporaryPin: '7391', password: '73920184' });
    const s = newSession(b.clock.now().getTime());
    await caller(b.backend, s)('auth.signIn', { name: 'Pat Tech', secret: '7391' });
    expect(await b.backend.invoke(s, 'auth.setOwnPin', { currentSecret: '7391', newPin: '73920184' })).toEqual({
      ok: false,
      error: { code: 'invalid_input', field: 'newPin', message: 'Choose a PIN of your own, not the one you were given: the password an administrator chose for you is known to them.' },
    });
    expect(b.row(pat.id)).toMatchObject({ must_set_pin: 1 });
  });

  it('takes back the PIN they had before the reset: it was their own, known to no one else', async () => {
    const b = await setup();
    const tom = await b.call('users.create', { name: 'Tom Tech', role: 'technician', temporaryPin: '7391' });
    const s = newSession(b.clock.now().getTime());
    await caller(b.backend, s)('auth.signIn', { name: 'Tom Tech', secret: '7391' });
    await caller(b.backend, s)('auth.setOwnPin', { currentSecret: '7391', newPin: '9137' });
    await b.call('users.resetPin', { id: tom.id, temporaryPin: '4826' });
    const again = newSession(b.clock.now().getTime());
    await caller(b.backend, again)('auth.signIn', { name: 'Tom Tech', secret: '4826' });
    expect(await b.backend.invoke(again, 'auth.setOwnPin', { currentSecret: '4826', newPin: '9137' })).toMatchObject({ ok: true, value: { mustSetPin: false } });
  });

  it('still refuses the current PIN as a "change" of one’s own PIN, as before', async () => {
    const b = await setup();
    const s = newSession(b.clock.now().getTime());
    await caller(b.backend, s)('auth.signIn', { name: 'Ada Admin', secret: '2468' });
    expect(await b.backend.invoke(s, 'auth.setOwnPin', { currentSecret: '2468', newPin: '2468' })).toEqual({
      ok: false,
      error: { code: 'invalid_input', field: 'newPin', message: 'Choose a PIN different from the current one.' },
    });
  });
});
