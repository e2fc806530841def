import { describe, expect, it } from 'vitest';
import { hashSecret } from '../../../main/core/auth/passwords';
import { finishSignature, oneAtATime } from '../../../main/core/auth/service';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { newSession } from '../../../main/core/session';
import { userRowById } from '../../../main/core/users/service';
import { repairsWorld } from '../repairs/fixture';

/**
 * A signature checks the signer's rights at the door, then hashes their PIN (slow on purpose).
 * Rights an administrator withdraws in the meantime (from another window, or another PC's sync)
 * are read again in the transaction that would write the record: nothing is signed, the caller is
 * told why, and the checked attempt is still recorded.
 */

type World = Awaited<ReturnType<typeof repairsWorld>>;

const audits = (w: World, action: string, userId: string) =>
  (w.core.db.prepare('SELECT new_value FROM audit_log WHERE action = ? AND entity_id = ? ORDER BY seq').all(action, userId) as { new_value: string | null }[]).map((r) =>
    r.new_value ? (JSON.parse(r.new_value) as unknown) : null,
  );
const attempts = (w: World, userId: string) => w.core.db.prepare('SELECT failed_attempts, locked_until FROM users WHERE id = ?').get(userId);

describe('rights withdrawn while a signature is being checked', () => {
  it('writes nothing signed by a user deactivated before it commits, and records the checked attempt', async () => {
    const w = await repairsWorld();
    const tomId = w.tom.user!.id;
    const workOrders = w.count('work_orders');
    // Tom signs a fault report; while his PIN is hashed, the admin deactivates him in another window.
    const signing = w.backend.invoke(w.tom, 'workOrders.report', { equipmentId: w.pump.id, problem: 'Late signature', takeOutOfUse: true, secret: '1357' });
    const deactivating = w.backend.invoke(w.admin, 'users.setActive', { id: tomId, active: false });
    const [signed, deactivated] = await Promise.all([signing, deactivating]);
    expect(deactivated).toMatchObject({ ok: true, value: { active: false } });
    expect(signed).toMatchObject({ ok: false, error: { code: 'forbidden', message: 'Your account was deactivated while your PIN was being checked, so nothing was signed.' } });
    expect(w.count('work_orders')).toBe(workOrders);
    expect(await w.status()).toBe('in_service');
    // The PIN was right: the attempt is recorded as a good one (the count cleared), then the refusal.
    expect(audits(w, 'signature', tomId)).toEqual([{ with: 'pin' }]);
    expect(audits(w, 'signature_refused', tomId)).toEqual([{ reason: 'deactivated' }]);
    expect(attempts(w, tomId)).toEqual({ failed_attempts: 0, locked_until: null });
  });

  it('still counts a wrong PIN from a user deactivated meanwhile, as any wrong PIN', async () => {
    const w = await repairsWorld();
    const tomId = w.tom.user!.id;
    const signing = w.backend.invoke(w.tom, 'workOrders.report', { equipmentId: w.pump.id, problem: 'Late signature', takeOutOfUse: true, secret: '9999' });
    const deactivating = w.backend.invoke(w.admin, 'users.setActive', { id: tomId, active: false });
    const [signed] = await Promise.all([signing, deactivating]);
    expect(signed).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'secret' } });
    expect(audits(w, 'signature_failed', tomId)).toEqual([{ attempt: 1 }]);
    expect(attempts(w, tomId)).toMatchObject({ failed_attempts: 1 });
  });

  it('does not let a supervisor demoted to technician meanwhile retire a device (a supervisor-only act)', async () => {
    const w = await repairsWorld();
    const report = await w.as(w.tom)('workOrders.report', { equipmentId: w.pump.id, problem: 'Cracked', takeOutOfUse: true, secret: '1357' });
    const sueId = w.sue.user!.id;
    const retiring = w.backend.invoke(w.sue, 'workOrders.retire', { id: report.workOrder.id, reason: 'Beyond repair', secret: '2468' });
    const demoting = w.backend.invoke(w.admin, 'users.update', { id: sueId, name: 'Sue Super', role: 'technician', homeLocationId: null });
    const [retired, demoted] = await Promise.all([retiring, demoting]);
    expect(demoted).toMatchObject({ ok: true, value: { role: 'technician' } });
    expect(retired).toMatchObject({
      ok: false,
      error: {
        code: 'forbidden',
        message: 'Your role was changed to technician while your PIN was being checked: this needs a supervisor or above, so nothing was signed.',
      },
    });
    expect(await w.status()).toBe('out_of_service');
    expect(await w.as(w.tom)('workOrders.get', { id: report.workOrder.id })).toMatchObject({ state: 'reported' });
    expect(audits(w, 'signature_refused', sueId)).toEqual([{ reason: 'role' }]);
  });

  it('signs nothing with a PIN an administrator reset meanwhile', async () => {
    const w = await repairsWorld();
    const tomId = w.tom.user!.id;
    const workOrders = w.count('work_orders');
    // The reset hashes its temporary PIN too, so which hash ends first is left to chance: hold Tom's
    // signature, past the door's checks, in the one-attempt-at-a-time queue until the reset is in.
    let release!: () => void;
    void oneAtATime(w.core, tomId, () => new Promise<void>((resolve) => (release = resolve)));
    const signing = w.backend.invoke(w.tom, 'workOrders.report', { equipmentId: w.pump.id, problem: 'Late signature', takeOutOfUse: false, secret: '1357' });
    expect(await w.backend.invoke(w.admin, 'users.resetPin', { id: tomId, temporaryPin: '4826' })).toMatchObject({ ok: true, value: { mustSetPin: true } });
    release();
    const signed = await signing;
    expect(signed).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/^Your PIN was reset by an administrator/) } });
    expect(w.count('work_orders')).toBe(workOrders);
    expect(audits(w, 'signature_refused', tomId)).toEqual([{ reason: 'pin_reset' }]);
  });

  it('signs nothing with the PIN its owner has just replaced in another window, and counts it as a wrong PIN', async () => {
    const w = await repairsWorld();
    const tomId = w.tom.user!.id;
    const workOrders = w.count('work_orders');
    // Tom is signed in on two windows. In one he changes his PIN; in the other, left open, someone
    // who saw his old PIN signs a fault report (taking the pump out of use) with it.
    const other = newSession(w.clock.now().getTime());
    other.user = { ...w.tom.user! };
    const changing = w.backend.invoke(w.tom, 'auth.setOwnPin', { currentSecret: '1357', newPin: '8642' });
    const signing = w.backend.invoke(other, 'workOrders.report', { equipmentId: w.pump.id, problem: 'Signed with the old PIN', takeOutOfUse: true, secret: '1357' });
    const [changed, signed] = await Promise.all([changing, signing]);
    expect(changed).toMatchObject({ ok: true });
    expect(signed).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'secret', message: 'Wrong PIN or password. 4 tries left before the account locks.' } });
    expect(w.count('work_orders')).toBe(workOrders);
    expect(await w.status()).toBe('in_service');
    expect(audits(w, 'signature', tomId)).toEqual([]);
    expect(audits(w, 'signature_failed', tomId)).toEqual([{ attempt: 1 }]);
  });

  it('signs nothing with a PIN replaced on another PC while it was being checked (the new one arriving by sync)', async () => {
    const w = await repairsWorld();
    const tomId = w.tom.user!.id;
    // What the slow half found: the PIN typed matched the hash Tom had when the attempt was counted.
    const check = { row: userRowById(w.core, tomId)!, attempt: 1, matched: 'pin' as const, rehash: null };
    // Meanwhile his new PIN, chosen on another PC, arrives.
    w.core.db.prepare('UPDATE users SET pin_hash = ?, updated_at = ? WHERE id = ?').run(await hashSecret('8642'), '2026-11-25T10:00:00.000Z', tomId);
    const refusal = inTransaction(w.core, (core) => {
      try {
        finishSignature(core, check, 'technician');
        return null;
      } catch (err) {
        return err;
      }
    });
    expect(refusal).toMatchObject({
      code: 'conflict',
      field: 'secret',
      message: 'Your PIN or password was changed while it was being checked, so nothing was signed: sign with your current one.',
    });
  });

  it('signs when the rights changed meanwhile still allow it (a technician promoted)', async () => {
    const w = await repairsWorld();
    const tomId = w.tom.user!.id;
    const signing = w.backend.invoke(w.tom, 'workOrders.report', { equipmentId: w.pump.id, problem: 'Alarm', takeOutOfUse: true, secret: '1357' });
    const promoting = w.backend.invoke(w.admin, 'users.update', { id: tomId, name: 'Tom Tech', role: 'supervisor', homeLocationId: null });
    const [signed, promoted] = await Promise.all([signing, promoting]);
    expect(promoted).toMatchObject({ ok: true, value: { role: 'supervisor' } });
    expect(signed).toMatchObject({ ok: true, value: { workOrder: { state: 'reported' } } });
    expect(await w.status()).toBe('out_of_service');
    expect(audits(w, 'signature_refused', tomId)).toEqual([]);
  });
});
