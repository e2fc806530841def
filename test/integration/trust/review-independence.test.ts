import { describe, expect, it } from 'vitest';
import { newSession } from '../../../main/core/session';
import { loggingWorld, threePoints } from '../completions/fixture';

/**
 * Issue 13, item 8: review is independent. A supervisor who amended a technician's failed
 * calibration into a pass must not then be the one who reviews it: the reviewer signed neither the
 * record nor any record it amends.
 */
describe('an independent review (item 8)', () => {
  it('refuses a review by whoever signed the record or any record it corrects', async () => {
    const w = await loggingWorld();
    await w.call('users.create', { name: 'Sam Supervisor', role: 'supervisor', temporaryPin: '2580' });
    const sam = newSession(w.clock.now().getTime());
    await w.as(sam)('auth.signIn', { name: 'Sam Supervisor', secret: '2580' });
    await w.as(sam)('auth.setOwnPin', { currentSecret: '2580', newPin: '8642' });

    const fail = await w.as(w.tom)('completions.log', {
      planId: w.pumpPlan.id,
      performedAt: '2026-11-25T09:00:00Z',
      result: threePoints([[10, null], [120, null], [500, null]], w.analyser.id, w.calibration.id),
      secret: '1357',
    });
    expect(fail.outcome).toBe('fail');
    const amended = await w.as(sam)('completions.amend', {
      amendsId: fail.id,
      reason: 'Read the wrong channel.',
      result: threePoints([[10, null], [100, null], [500, null]], w.analyser.id, w.calibration.id),
      secret: '8642',
    });
    expect(amended.outcome).toBe('pass');

    const own = await w.backend.invoke(sam, 'completions.review', { completionId: amended.id, secret: '8642' });
    expect(own).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // The technician who did the work cannot review it either (and is no supervisor); Ada, who had no hand in it, can.
    expect(await w.backend.invoke(w.tom, 'completions.review', { completionId: amended.id, secret: '1357' })).toMatchObject({ ok: false });
    expect(await w.backend.invoke(w.admin, 'completions.review', { completionId: amended.id, secret: '2468' })).toMatchObject({
      ok: true,
      value: { signatures: expect.arrayContaining([expect.objectContaining({ meaning: 'reviewed_by', name: 'Ada Admin' })]) },
    });
  });

  it('refuses a review of another supervisor\'s amendment by the supervisor who signed the original record', async () => {
    const w = await loggingWorld();
    const supervisor = async (name: string, temporaryPin: string, pin: string) => {
      await w.call('users.create', { name, role: 'supervisor', temporaryPin });
      const session = newSession(w.clock.now().getTime());
      await w.as(session)('auth.signIn', { name, secret: temporaryPin });
      await w.as(session)('auth.setOwnPin', { currentSecret: temporaryPin, newPin: pin });
      return session;
    };
    const sue = await supervisor('Sue Supervisor', '2580', '9753');
    const sam = await supervisor('Sam Supervisor', '2580', '8642');

    // Sue calibrates the pump herself and signs it: a fail.
    const original = await w.as(sue)('completions.log', {
      planId: w.pumpPlan.id,
      performedAt: '2026-11-25T09:00:00Z',
      result: threePoints([[10, null], [120, null], [500, null]], w.analyser.id, w.calibration.id),
      secret: '9753',
    });
    expect(original.outcome).toBe('fail');
    expect(original.signatures).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Sue Supervisor' })]));
    // Sam amends it into a pass; Sue had no hand in the amendment itself.
    const amended = await w.as(sam)('completions.amend', {
      amendsId: original.id,
      reason: 'Read the wrong channel.',
      result: threePoints([[10, null], [100, null], [500, null]], w.analyser.id, w.calibration.id),
      secret: '8642',
    });
    expect(amended.outcome).toBe('pass');
    expect(amended.signatures.map((s) => s.name)).not.toContain('Sue Supervisor');

    const bySue = await w.backend.invoke(sue, 'completions.review', { completionId: amended.id, secret: '9753' });
    expect(bySue).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/neither did the work nor signed it or any record it corrects/) } });
    expect(await w.backend.invoke(sam, 'completions.review', { completionId: amended.id, secret: '8642' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // No reviewed_by signature was written by either refusal; Ada, who signed neither, can review.
    expect(w.count("signatures WHERE meaning = 'reviewed_by'")).toBe(0);
    expect(await w.backend.invoke(w.admin, 'completions.review', { completionId: amended.id, secret: '2468' })).toMatchObject({ ok: true });
  });

  it('refuses a review of an amendment by the supervisor who reviewed the original record', async () => {
    const w = await loggingWorld();
    await w.call('users.create', { name: 'Sue Supervisor', role: 'supervisor', temporaryPin: '2580' });
    const sue = newSession(w.clock.now().getTime());
    await w.as(sue)('auth.signIn', { name: 'Sue Supervisor', secret: '2580' });
    await w.as(sue)('auth.setOwnPin', { currentSecret: '2580', newPin: '9753' });

    const original = await w.as(w.tom)('completions.log', {
      planId: w.pumpPlan.id,
      performedAt: '2026-11-25T09:00:00Z',
      result: threePoints([[10, null], [120, null], [500, null]], w.analyser.id, w.calibration.id),
      secret: '1357',
    });
    // Sue signs the original as its reviewer; then Ada, an administrator, amends it.
    expect(await w.backend.invoke(sue, 'completions.review', { completionId: original.id, secret: '9753' })).toMatchObject({ ok: true });
    const amended = await w.as(w.admin)('completions.amend', {
      amendsId: original.id,
      reason: 'Read the wrong channel.',
      result: threePoints([[10, null], [100, null], [500, null]], w.analyser.id, w.calibration.id),
      secret: '2468',
    });
    expect(await w.backend.invoke(sue, 'completions.review', { completionId: amended.id, secret: '9753' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringMatching(/neither did the work nor signed it or any record it corrects/) },
    });
  });
});
