import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../main/core/backend';
import { newSession } from '../../../main/core/session';
import { fixedClock, testCore } from '../../helpers/core';

async function ward() {
  const clock = fixedClock('2026-11-25T07:00:00Z');
  const core = testCore({ clock });
  const backend = createBackend(core);
  const admin = newSession(clock.now().getTime());
  expect(await backend.invoke(admin, 'auth.setupFirstAdmin', { name: 'Ada Admin', password: 'correct horse battery', pin: '2468' })).toMatchObject({ ok: true });
  expect(await backend.invoke(admin, 'users.create', { name: 'Tom Tech', role: 'technician', temporaryPin: '2580' })).toMatchObject({ ok: true });
  const tom = newSession(clock.now().getTime());
  expect(await backend.invoke(tom, 'auth.signIn', { name: 'Tom Tech', secret: '2580' })).toMatchObject({ ok: true });
  expect(await backend.invoke(tom, 'auth.setOwnPin', { currentSecret: '2580', newPin: '1357' })).toMatchObject({ ok: true });
  const audit = (action: string) => core.db.prepare('SELECT count(*) FROM audit_log WHERE action = ?').pluck().get(action) as number;
  return { clock, core, backend, admin, tom, audit };
}

/**
 * Issue 13, item 7: sign-in cannot be raced. Forty attempts sent at once, as a script at the
 * shared PC (or a second window) would, must get no more PINs tried than the lockout allows;
 * changing one's PIN is under the same count and audited; guessable PINs are refused.
 */
describe('sign-in that cannot be raced (item 7)', () => {
  it('lets no more than the configured number of forty simultaneous attempts be tried', async () => {
    const w = await ward();
    const guesses = Array.from({ length: 40 }, (_, i) => String(2000 + i * 7).padStart(4, '0'));
    const results = await Promise.all(guesses.map((secret) => w.backend.invoke(newSession(), 'auth.signIn', { name: 'Tom Tech', secret })));
    const tried = w.audit('sign_in_failed');
    expect(tried).toBeLessThanOrEqual(5);
    expect(tried).toBe(5);
    expect(w.audit('account_locked')).toBe(1);
    expect(results.filter((r) => !r.ok && r.error.code === 'locked')).toHaveLength(36);
    expect(results.filter((r) => r.ok)).toHaveLength(0);
    // Locked: even the right PIN waits out the lockout.
    expect(await w.backend.invoke(newSession(), 'auth.signIn', { name: 'Tom Tech', secret: '1357' })).toMatchObject({ ok: false, error: { code: 'locked' } });
  });

  it('puts changing one\'s own PIN under the same count and lockout, and audits every try', async () => {
    const w = await ward();
    const tries = await Promise.all(
      Array.from({ length: 12 }, (_, i) => w.backend.invoke(w.tom, 'auth.setOwnPin', { currentSecret: String(3000 + i * 11), newPin: '8642' })),
    );
    expect(tries.every((r) => !r.ok)).toBe(true);
    expect(w.audit('pin_change_failed')).toBe(5);
    expect(w.audit('account_locked')).toBe(1);
    expect(await w.backend.invoke(w.tom, 'auth.setOwnPin', { currentSecret: '1357', newPin: '8642' })).toMatchObject({ ok: false, error: { code: 'locked' } });
  });

  it('refuses a repeated or sequential PIN wherever one is set', async () => {
    const w = await ward();
    for (const pin of ['0000', '1111', '1234', '4321', '98765', '123456']) {
      expect(await w.backend.invoke(w.admin, 'users.create', { name: `User ${pin}`, role: 'technician', temporaryPin: pin }), pin).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', field: 'temporaryPin' },
      });
      expect(await w.backend.invoke(w.tom, 'auth.setOwnPin', { currentSecret: '1357', newPin: pin }), pin).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', field: 'newPin' },
      });
    }
    expect(await w.backend.invoke(w.admin, 'users.create', { name: 'Sam', role: 'technician', temporaryPin: '2580' })).toMatchObject({ ok: true });
  });
});
