import { describe, expect, it } from 'vitest';
import { OUTCOMES, advances, dueFrom, inPerformedOrder, latestAdvancing, nextDue, type Outcome } from '../../../shared/scheduling';
import { done, plan } from './helpers';

describe('rule 4: only pass and pass_adjusted advance a plan', () => {
  it.each([
    ['pass', true],
    ['pass_adjusted', true],
    ['fail', false],
    ['not_done_in_use', false],
    ['not_done_not_located', false],
    ['not_done_other', false],
  ] as const)('%s advances: %s', (outcome, expected) => {
    expect(advances(outcome)).toBe(expected);
  });

  it('lists every outcome once', () => {
    expect([...OUTCOMES].sort()).toEqual(['fail', 'not_done_in_use', 'not_done_not_located', 'not_done_other', 'pass', 'pass_adjusted']);
  });

  it.each(OUTCOMES.map((o) => [o]))('a lone %s completion on 10 Jan, monthly floating from 1 Jan', (outcome: Outcome) => {
    const result = nextDue(plan('1m', '2026-01-01'), [done('2026-01-10', outcome)]);
    expect(result).toEqual(
      advances(outcome) ? { nextDue: '2026-02-10', lastDoneOn: '2026-01-10' } : { nextDue: '2026-01-01', lastDoneOn: null },
    );
  });

  it('a fail after a pass leaves the next due where the pass put it', () => {
    const completions = [done('2026-01-10'), done('2026-02-08', 'fail'), done('2026-02-09', 'not_done_other')];
    expect(nextDue(plan('1m', '2026-01-01'), completions)).toEqual({ nextDue: '2026-02-10', lastDoneOn: '2026-01-10' });
    expect(nextDue(plan('1m', '2026-01-01', { mode: 'fixed', windowDays: 3 }), completions)).toEqual({
      nextDue: '2026-02-01',
      lastDoneOn: '2026-01-10',
    });
  });
});

describe('rule 5: with no advancing completion a plan is due on its start date', () => {
  it.each([
    ['floating', []],
    ['fixed', []],
    ['floating', [done('2026-03-01', 'fail'), done('2026-03-02', 'not_done_in_use')]],
    ['fixed', [done('2026-03-01', 'not_done_not_located')]],
  ] as const)('%s with %j', (mode, completions) => {
    expect(nextDue(plan('6m', '2026-02-15', { mode, windowDays: 18 }), completions)).toEqual({ nextDue: '2026-02-15', lastDoneOn: null });
  });
});

describe('rule 6: floating next due = latest advancing completion + interval', () => {
  it.each([
    ['1m', '2026-01-31', '2026-02-28'],
    ['1m', '2024-01-31', '2024-02-29'],
    ['1y', '2028-02-29', '2029-02-28'],
    ['1d', '2025-12-31', '2026-01-01'],
    ['2w', '2026-03-20', '2026-04-03'],
    ['6m', '2025-08-31', '2026-02-28'],
    ['3m', '2026-11-30', '2027-02-28'],
  ])('%s done %s → %s', (interval, on, expected) => {
    expect(nextDue(plan(interval, '2025-01-01'), [done(on)])).toEqual({ nextDue: expected, lastDoneOn: on });
  });

  it('counts from the completion, not the due date it answered (early or late)', () => {
    const p = plan('1m', '2026-01-10', { windowDays: 3 });
    expect(nextDue(p, [done('2026-01-02')]).nextDue).toBe('2026-02-02');
    expect(nextDue(p, [done('2026-01-25')]).nextDue).toBe('2026-02-25');
  });

  it('uses the latest advancing completion even when it is before the start date', () => {
    expect(nextDue(plan('1m', '2026-06-01'), [done('2026-01-10')]).nextDue).toBe('2026-02-10');
  });

  it('pass_adjusted advances like pass', () => {
    expect(nextDue(plan('1y', '2026-01-01'), [done('2026-01-01'), done('2026-01-20', 'pass_adjusted')]).nextDue).toBe('2027-01-20');
  });
});

describe('rule 7: fixed next due = earliest occurrence strictly later than last done + window', () => {
  const monthly = plan('1m', '2026-01-01', { mode: 'fixed', windowDays: 7 });

  it.each([
    ['2026-02-25', '2026-04-01'], // the spec's examples: counted for 1 Mar
    ['2026-03-05', '2026-04-01'],
    ['2026-03-26', '2026-05-01'], // counted for 1 Apr; 1 Mar missed
    ['2026-02-21', '2026-03-01'], // 28 Feb is before 1 Mar's window: it counted for 1 Feb
    ['2026-02-22', '2026-04-01'], // first day of 1 Mar's window
    ['2026-03-24', '2026-04-01'], // last day before 1 Apr's window
    ['2026-03-25', '2026-05-01'], // first day of 1 Apr's window
    ['2026-01-01', '2026-02-01'],
    ['2025-12-24', '2026-01-01'], // before the start's window: the plan is still due on its start
    ['2025-12-25', '2026-02-01'], // in the start's window
    ['2027-12-31', '2028-02-01'],
  ])('monthly from 1 Jan, window 7: done %s → next due %s', (on, expected) => {
    expect(nextDue(monthly, [done(on)])).toEqual({ nextDue: expected, lastDoneOn: on });
  });

  it('the same in a leap year', () => {
    const leap = plan('1m', '2024-01-01', { mode: 'fixed', windowDays: 7 });
    expect(nextDue(leap, [done('2024-02-25')]).nextDue).toBe('2024-04-01');
    expect(nextDue(leap, [done('2024-02-22')]).nextDue).toBe('2024-03-01');
    expect(nextDue(leap, [done('2024-02-23')]).nextDue).toBe('2024-04-01');
  });

  it.each([
    ['1m', '2025-01-31', 3, '2025-02-26', '2025-03-31'],
    ['1m', '2025-01-31', 3, '2025-02-24', '2025-02-28'],
    ['1y', '2028-02-29', 30, '2029-02-01', '2030-02-28'],
    ['1y', '2028-02-29', 30, '2029-01-28', '2029-02-28'],
    ['1w', '2026-01-05', 0, '2026-01-14', '2026-01-19'],
    ['1d', '2026-03-01', 0, '2026-03-10', '2026-03-11'],
    ['1m', '2026-01-01', 0, '2026-03-01', '2026-04-01'],
    ['1m', '2026-01-01', 0, '2026-02-28', '2026-03-01'],
    ['6m', '2026-01-15', 18, '2026-06-28', '2027-01-15'],
    ['6m', '2026-01-15', 18, '2026-06-27', '2027-01-15'],
    ['6m', '2026-01-15', 18, '2026-06-26', '2026-07-15'],
  ])('%s from %s, window %i: done %s → %s', (interval, start, windowDays, on, expected) => {
    expect(nextDue(plan(interval, start, { mode: 'fixed', windowDays }), [done(on)]).nextDue).toBe(expected);
  });

  it('ignores grace', () => {
    const graced = plan('1m', '2026-01-01', { mode: 'fixed', windowDays: 7, graceDays: 10 });
    expect(nextDue(graced, [done('2026-03-05')]).nextDue).toBe('2026-04-01');
  });
});

describe('rule 8: completions apply in performed-at order, whatever order they were entered in', () => {
  const history = [done('2026-01-10'), done('2026-02-12', 'pass_adjusted'), done('2026-03-20', 'fail'), done('2026-01-30')];

  it('late-imported history gives the same answer', () => {
    const expected = { nextDue: '2026-03-12', lastDoneOn: '2026-02-12' };
    expect(nextDue(plan('1m', '2026-01-01'), history)).toEqual(expected);
    expect(nextDue(plan('1m', '2026-01-01'), [...history].reverse())).toEqual(expected);
    expect(
      nextDue(
        plan('1m', '2026-01-01'),
        [history[2], history[0], history[3], history[1]].filter((c) => c !== undefined),
      ),
    ).toEqual(expected);
  });

  it('orders by instant, not by the text of the timestamp', () => {
    const early = { performedAt: '2026-03-01T01:00:00+02:00', performedOn: '2026-02-28', outcome: 'pass' } as const; // 23:00 UTC on 28 Feb
    const later = { performedAt: '2026-02-28T23:30:00Z', performedOn: '2026-03-01', outcome: 'pass' } as const;
    expect(nextDue(plan('1d', '2026-01-01'), [later, early])).toEqual({ nextDue: '2026-03-02', lastDoneOn: '2026-03-01' });
    expect(nextDue(plan('1d', '2026-01-01'), [early, later])).toEqual({ nextDue: '2026-03-02', lastDoneOn: '2026-03-01' });
  });

  it('orders by instant within a day', () => {
    const p = plan('1m', '2026-01-01', { mode: 'fixed', windowDays: 7 });
    const completions = [done('2026-03-05', 'pass', '15:00'), done('2026-03-05', 'fail', '09:00')];
    expect(inPerformedOrder(completions).map((c) => c.outcome)).toEqual(['fail', 'pass']);
    expect(nextDue(p, completions).nextDue).toBe('2026-04-01');
  });

  it('breaks ties on the same instant deterministically', () => {
    const a = { performedAt: '2026-03-05T10:00:00Z', performedOn: '2026-03-05', outcome: 'fail' } as const;
    const b = { performedAt: '2026-03-05T10:00:00Z', performedOn: '2026-03-05', outcome: 'pass' } as const;
    const c = { performedAt: '2026-03-05T10:00:00Z', performedOn: '2026-03-06', outcome: 'pass' } as const;
    expect(inPerformedOrder([a, c, b])).toEqual([b, a, c]);
    expect(inPerformedOrder([c, b, a])).toEqual([b, a, c]);
    expect(latestAdvancing([a, b, c])).toBe(c);
    expect(latestAdvancing([c, b, a])).toBe(c);
  });

  it('does not reorder the caller’s array', () => {
    const given = [done('2026-02-01'), done('2026-01-01')];
    inPerformedOrder(given);
    expect(given.map((c) => c.performedOn)).toEqual(['2026-02-01', '2026-01-01']);
  });

  it('refuses a completion whose instant is not a timestamp', () => {
    expect(() => nextDue(plan('1m', '2026-01-01'), [{ performedAt: 'soon', performedOn: '2026-01-01', outcome: 'pass' }])).toThrow(
      RangeError,
    );
  });
});

describe('dueFrom: the first day a plan is due (next due − window)', () => {
  it.each([
    ['2026-03-10', 3, '2026-03-07'],
    ['2026-03-01', 7, '2026-02-22'],
    ['2024-03-01', 1, '2024-02-29'],
    ['2026-01-15', 30, '2025-12-16'],
    ['2026-03-10', 0, '2026-03-10'],
  ])('%s with window %i → %s', (due, windowDays, expected) => {
    expect(dueFrom(due, windowDays)).toBe(expected);
  });
});
