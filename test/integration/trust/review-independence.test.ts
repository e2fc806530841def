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
});
