import { describe, expect, it, vi } from 'vitest';
import { hashSecret } from '../../../main/core/auth/passwords';
import { finishAttempt, oneAtATime } from '../../../main/core/auth/service';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { newSession } from '../../../main/core/session';
import { userRowById } from '../../../main/core/users/service';
import { repairsWorld } from '../repairs/fixture';

/**
 * A PIN is checked slowly on purpose (scrypt), one attempt at a time per user. Signing in and
 * changing one's own PIN check the PIN against the account as it is when the attempt's turn comes,
 * and read it again when the outcome is saved: a PIN its owner replaced meanwhile, a PIN an
 * administrator reset meanwhile, and an account deactivated meanwhile, win over the attempt.
 */

/**
 * Which of two PIN changes at once writes first is a race of scrypt hashes; a test that needs one
 * order holds the hashing of a new PIN until the other has committed (`gate`), so the order is
 * what the test says, however busy the machine.
 */
const gate = vi.hoisted(() => ({ secret: null as string | null, until: null as Promise<unknown> | null }));
vi.mock('../../../main/core/auth/passwords', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../main/core/auth/passwords')>();
  return {
    ...real,
    hashSecret: async (secret: string) => {
      if (secret === gate.secret && gate.until) await gate.until;
      return real.hashSecret(secret);
    },
  };
});

type World = Awaited<ReturnType<typeof repairsWorld>>;

const userRow = (w: World, id: string) => w.core.db.prepare('SELECT role, active, must_set_pin FROM users WHERE id = ?').get(id);
const actionsAbout = (w: World, id: string) =>
  (w.core.db.prepare("SELECT action FROM audit_log WHERE entity = 'user' AND entity_id = ? ORDER BY seq").all(id) as { action: string }[]).map((r) => r.action);
const refusals = (w: World, action: string, id: string) =>
  (w.core.db.prepare('SELECT new_value FROM audit_log WHERE action = ? AND entity_id = ? ORDER BY seq').all(action, id) as { new_value: string }[]).map(
    (r) => JSON.parse(r.new_value) as unknown,
  );
const signIn = (w: World, secret: string) => {
  const session = newSession(w.clock.now().getTime());
  return { session, result: w.backend.invoke(session, 'auth.signIn', { name: 'Tom Tech', secret }) };
};

describe('the old PIN, sent while the new one is being saved', () => {
  it('does not sign in: the change is saved first, and the old PIN is then a wrong one', async () => {
    const w = await repairsWorld();
    const tomId = w.tom.user!.id;
    // Tom saw a colleague watch him type his PIN and changes it; at that moment the colleague, at
    // another window, signs in as Tom with the PIN they saw.
    const changing = w.backend.invoke(w.tom, 'auth.setOwnPin', { currentSecret: '1357', newPin: '8642' });
    const intruder = signIn(w, '1357');
    const [changed, signed] = await Promise.all([changing, intruder.result]);
    expect(changed).toMatchObject({ ok: true });
    expect(signed).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'secret', message: 'Wrong PIN or password. 4 tries left before the account locks.' },
    });
    expect(intruder.session.user).toBeNull();
    expect(refusals(w, 'sign_in_failed', tomId)).toHaveLength(1);
    // The new PIN signs in.
    expect(await signIn(w, '8642').result).toMatchObject({ ok: true, value: { name: 'Tom Tech' } });
  });
});

describe('a PIN replaced on another PC while it is being checked (the new one arriving by sync)', () => {
  it('signs no one in, and changes no PIN, with the old one', async () => {
    const w = await repairsWorld();
    const tomId = w.tom.user!.id;
    // What the slow half found: the PIN typed matched the hash Tom had when the attempt was counted.
    const check = { row: userRowById(w.core, tomId)!, attempt: 1, matched: 'pin' as const, rehash: null };
    w.core.db.prepare('UPDATE users SET pin_hash = ?, updated_at = ? WHERE id = ?').run(await hashSecret('8642'), '2026-11-25T10:00:00.000Z', tomId);
    const outcome = (purpose: 'sign_in' | 'pin_change', field?: string) =>
      inTransaction(w.core, (core) => {
        try {
          return finishAttempt(core, check, purpose, field).name;
        } catch (err) {
          return err;
        }
      });
    expect(outcome('sign_in')).toMatchObject({
      code: 'conflict',
      field: 'secret',
      message: "Tom Tech's PIN or password was changed while it was being checked, so no one was signed in: sign in with the new one.",
    });
    expect(outcome('pin_change', 'currentSecret')).toMatchObject({
      code: 'conflict',
      field: 'currentSecret',
      message: 'Your PIN or password was changed elsewhere while it was being checked, so your new PIN was not saved: type your current PIN or password again.',
    });
    expect(refusals(w, 'sign_in_refused', tomId)).toEqual([{ reason: 'secret_changed' }]);
    expect(refusals(w, 'pin_change_refused', tomId)).toEqual([{ reason: 'secret_changed' }]);
  });
});

describe("changing one's own PIN while an administrator resets it", () => {
  it('does not undo the reset: the change is refused naming the administrator, and the temporary PIN signs in', async () => {
    const w = await repairsWorld();
    const tomId = w.tom.user!.id;
    // Tom changes his PIN in his window; at the same moment the administrator resets it in hers
    // (a colleague saw Tom's PIN).
    // Tom's new PIN is hashed once his current one has been checked; it is saved after the reset.
    gate.secret = '8642';
    const changing = w.backend.invoke(w.tom, 'auth.setOwnPin', { currentSecret: '1357', newPin: '8642' });
    const resetting = w.backend.invoke(w.admin, 'users.resetPin', { id: tomId, temporaryPin: '4826' });
    gate.until = resetting;
    const [changed, reset] = await Promise.all([changing, resetting]);
    gate.secret = null;
    expect(reset).toMatchObject({ ok: true, value: { mustSetPin: true } });
    expect(changed).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        message: 'Your PIN was reset by Ada Admin while you were changing it, so your new PIN was not saved: choose your own with the temporary PIN you are given.',
      },
    });
    expect(userRow(w, tomId)).toEqual({ role: 'technician', active: 1, must_set_pin: 1 });
    expect(refusals(w, 'pin_change_refused', tomId)).toEqual([{ reason: 'pin_reset' }]);
    expect(await signIn(w, '4826').result).toMatchObject({ ok: true, value: { mustSetPin: true } });
    expect(await signIn(w, '8642').result).toMatchObject({ ok: false, error: { field: 'secret' } });
  });

  it('does not undo a reset made while the change waited its turn, and counts no attempt', async () => {
    const w = await repairsWorld();
    const tomId = w.tom.user!.id;
    // Hold Tom's change, past the door's checks, in the one-attempt-at-a-time queue until the reset is in.
    let release!: () => void;
    void oneAtATime(w.core, tomId, () => new Promise<void>((resolve) => (release = resolve)));
    const changing = w.backend.invoke(w.tom, 'auth.setOwnPin', { currentSecret: '1357', newPin: '8642' });
    expect(await w.backend.invoke(w.admin, 'users.resetPin', { id: tomId, temporaryPin: '4826' })).toMatchObject({ ok: true });
    release();
    expect(await changing).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/^Your PIN was reset by Ada Admin while you were changing it/) } });
    expect(w.core.db.prepare('SELECT must_set_pin, failed_attempts FROM users WHERE id = ?').get(tomId)).toEqual({ must_set_pin: 1, failed_attempts: 0 });
    expect(await signIn(w, '4826').result).toMatchObject({ ok: true, value: { mustSetPin: true } });
  });
});

describe('an account deactivated while its PIN is being checked', () => {
  it('is not signed in, and the trail shows no sign-in after the deactivation', async () => {
    const w = await repairsWorld();
    const tomId = w.tom.user!.id;
    const attempt = signIn(w, '1357');
    const deactivating = w.backend.invoke(w.admin, 'users.setActive', { id: tomId, active: false });
    const [signed, deactivated] = await Promise.all([attempt.result, deactivating]);
    expect(deactivated).toMatchObject({ ok: true, value: { active: false } });
    expect(signed).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: "Tom Tech's account was deactivated while the PIN was being checked, so no one was signed in." },
    });
    expect(attempt.session.user).toBeNull();
    const actions = actionsAbout(w, tomId);
    expect(actions.slice(actions.lastIndexOf('deactivate'))).toEqual(['deactivate', 'sign_in_refused']);
    expect(refusals(w, 'sign_in_refused', tomId)).toEqual([{ reason: 'deactivated' }]);
  });

  it('does not have its PIN changed', async () => {
    const w = await repairsWorld();
    const tomId = w.tom.user!.id;
    const changing = w.backend.invoke(w.tom, 'auth.setOwnPin', { currentSecret: '1357', newPin: '8642' });
    const deactivating = w.backend.invoke(w.admin, 'users.setActive', { id: tomId, active: false });
    const [changed, deactivated] = await Promise.all([changing, deactivating]);
    expect(deactivated).toMatchObject({ ok: true });
    expect(changed).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: 'Your account was deactivated while your PIN was being checked, so your PIN was not changed.' },
    });
    const actions = actionsAbout(w, tomId);
    expect(actions.slice(actions.lastIndexOf('deactivate'))).not.toContain('pin_set');
    // Brought back, Tom signs in with the PIN he had.
    await w.call('users.setActive', { id: tomId, active: true });
    expect(await signIn(w, '1357').result).toMatchObject({ ok: true });
  });
});
