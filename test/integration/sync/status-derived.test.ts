import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { recomputeAllDerived } from '../../../main/core/sync/derived';
import { deriveServiceState } from '../../../main/core/sync/service-status';
import { fixedClock, testCore } from '../../helpers/core';
import { device, done, plan } from '../plans/fixtures';

/**
 * Rule 12's reason as logging writes it must be the one every PC of a hub derives from the merged
 * data (sync/service-status.ts), or a PC's derived state drifts from what it holds. Found by the
 * convergence property test: a fail released by a later pass still named the reason, and a fail
 * logged with the PC's clock put back did not.
 */
describe("a tagged-out device's reason, logged and derived", () => {
  const stored = (core: ReturnType<typeof testCore>, id: string) =>
    core.db
      .prepare('SELECT status, status_reason AS statusReason, tagged_out_by_plan_id AS taggedOutByPlanId FROM equipment WHERE id = ?')
      .get(id);
  /** Out of service by rule 12, the reason naming the failed safety test of `day`. */
  const taggedOut = (planId: string, day: string) => ({
    status: 'out_of_service',
    statusReason: `Tagged out: failed electrical safety test on ${day}. Do not use.`,
    taggedOutByPlanId: planId,
  });

  it('names the fail since the last pass, not one the pass released', () => {
    const clock = fixedClock('2025-01-10T12:00:00Z');
    const core = testCore({ clock });
    const pump = device(core, 'ST-1');
    const safety = plan(core, pump, 'electrical_safety', '1m', '2025-01-01');
    done(core, safety.id, '2025-01-10T10:00:00Z', 'fail');
    clock.set('2025-02-10T12:00:00Z');
    done(core, safety.id, '2025-02-10T10:00:00Z', 'pass');
    expect(stored(core, pump)).toMatchObject({ status: 'in_service' });
    clock.set('2025-03-10T12:00:00Z');
    done(core, safety.id, '2025-03-10T10:00:00Z', 'fail');
    const expected = taggedOut(safety.id, '2025-03-10');
    expect(stored(core, pump)).toEqual(expected);
    expect(deriveServiceState(core, pump)).toEqual(expected);
  });

  it('names the fail entered first when a second fail is logged with the clock put back, on the PC that logs it and after recomputing', () => {
    const clock = fixedClock('2025-03-10T12:00:00Z');
    const core = testCore({ clock });
    const pump = device(core, 'ST-2');
    const safety = plan(core, pump, 'electrical_safety', '1m', '2025-03-01');
    done(core, safety.id, '2025-03-10T10:00:00Z', 'fail');
    // The PC's clock is put back a day: the next fail is entered "before" the first.
    clock.set('2025-03-09T12:00:00Z');
    done(core, safety.id, '2025-03-09T10:00:00Z', 'fail');
    const expected = taggedOut(safety.id, '2025-03-09');
    expect(stored(core, pump)).toEqual(expected);
    inTransaction(core, (w) => recomputeAllDerived(w));
    expect(stored(core, pump)).toEqual(expected);
  });
});
