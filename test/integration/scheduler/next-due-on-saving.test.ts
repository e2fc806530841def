import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { getPlan, insertPlan, updatePlan } from '../../../main/core/plans/service';
import { PlanUpdate } from '../../../shared/domain/plan';
import type { PlanView } from '../../../shared/domain/plan';
import { addInterval, parseInterval } from '../../../shared/scheduling';
import type { Interval } from '../../../shared/scheduling';
import { nextDueOnSaving } from '../../../shared/scheduling/plan-preview';
import { fixedClock, testActor, testCore } from '../../helpers/core';
import { device, done, plan } from '../plans/fixtures';

// The integration project runs in America/New_York: "today" below is 2025-11-25.
const NOW = '2025-11-25T15:00:00Z';

/** What the plan dialog says before saving (nextDueOnSaving over the plan as it opened), and what main then stores. */
function sayThenSave(core: ReturnType<typeof testCore>, before: PlanView, change: { every: string; mode: 'fixed' | 'floating'; startDate: string; windowDays: number | null }) {
  const every = parseInterval(change.every)!;
  const said = nextDueOnSaving(
    { every, mode: change.mode, startDate: change.startDate, windowDays: change.windowDays, graceDays: null },
    { every: parseInterval(before.every)!, startDate: before.startDate, lastDoneOn: before.lastDoneOn, doneBeforeOn: before.doneBeforeOn },
  );
  const input = PlanUpdate.parse({ id: before.id, ...change, graceDays: null });
  const saved = inTransaction(core, (core) => updatePlan(core, testActor, { ...input, confirmDates: true }));
  return { said, saved: saved.nextDue };
}

describe('the plan dialog says when the plan will next be due before saving, as main then saves it (nextDueOnSaving)', () => {
  it('a new plan: its start date; a window not shorter than the interval (main refuses it): nothing', () => {
    const rule = { every: { n: 6, unit: 'month' } as Interval, mode: 'floating' as const, startDate: '2026-01-14', windowDays: null, graceDays: null };
    expect(nextDueOnSaving(rule, null)).toBe('2026-01-14');
    expect(nextDueOnSaving({ ...rule, every: { n: 1, unit: 'month' }, windowDays: 30 }, null)).toBeNull();
  });

  it('a floating plan done here counts from the day it was last done; a fixed one takes its next fixed date', () => {
    const core = testCore({ clock: fixedClock(NOW) });
    const p = plan(core, device(core, 'IP-1'), 'inspection', '1m', '2025-01-31');
    done(core, p.id, '2025-10-20T14:00:00Z');
    const opened = getPlan(core, p.id);
    expect(sayThenSave(core, opened, { every: '6w', mode: 'floating', startDate: '2025-01-31', windowDays: null })).toEqual({ said: '2025-12-01', saved: '2025-12-01' });
    const now = getPlan(core, p.id);
    expect(sayThenSave(core, now, { every: '1m', mode: 'fixed', startDate: '2025-01-31', windowDays: 7 })).toEqual({ said: '2025-10-31', saved: '2025-10-31' });
  });

  it('a plan started from the day it was last done before Wardkeep, made 6-monthly: last done + 6 months, as saved', () => {
    const core = testCore({ clock: fixedClock(NOW) });
    const id = device(core, 'IP-2');
    const doneBeforeOn = '2025-03-10';
    const yearly: Interval = { n: 1, unit: 'year' };
    const planId = inTransaction(core, (core) =>
      insertPlan(core, testActor, { equipmentId: id, task: 'calibration', interval: yearly, mode: 'floating', startDate: addInterval(doneBeforeOn, yearly), windowDays: 30, graceDays: 0, doneBeforeOn }),
    );
    const opened = getPlan(core, planId);
    expect(sayThenSave(core, opened, { every: '6m', mode: 'floating', startDate: opened.startDate, windowDays: null })).toEqual({
      said: '2025-09-10',
      saved: '2025-09-10',
    });
  });

  it('whatever the rule typed and the history, the date said is the date saved', () => {
    const core = testCore({ clock: fixedClock(NOW) });
    let n = 0;
    fc.assert(
      fc.property(
        fc.constantFrom('7d', '2w', '1m', '3m', '6m', '1y', '2y'),
        fc.constantFrom('1w', '1m', '6m', '1y'),
        fc.constantFrom<'fixed' | 'floating'>('fixed', 'floating'),
        fc.constantFrom('2024-01-31', '2025-02-28', '2025-11-25', '2026-08-15'),
        fc.constantFrom(null, '2025-06-30T14:00:00Z', '2025-11-24T14:00:00Z'),
        fc.constantFrom(null, 0, 3),
        (was, every, mode, startDate, passedAt, windowDays) => {
          const p = plan(core, device(core, `X-${++n}`), 'inspection', was, '2025-01-31');
          if (passedAt) done(core, p.id, passedAt);
          const { said, saved } = sayThenSave(core, getPlan(core, p.id), { every, mode, startDate, windowDays });
          expect(said).toBe(saved);
        },
      ),
      { numRuns: 40 },
    );
  });
});
