import { describe, expect, it } from 'vitest';
import { daysBetween, dueFrom, nextDue, planStatus } from '../../../shared/scheduling';
import { done, plan } from './helpers';

describe('rule 10: status on day T of a plan whose target is in service', () => {
  it.each([
    ['2026-03-01', 'scheduled', 0],
    ['2026-03-06', 'scheduled', 0],
    ['2026-03-07', 'due', 0], // next due − window
    ['2026-03-10', 'due', 0],
    ['2026-03-12', 'due', 0], // next due + grace
    ['2026-03-13', 'overdue', 3], // days overdue count from the due date, grace included
    ['2026-04-10', 'overdue', 31],
    ['2027-03-10', 'overdue', 365],
  ] as const)('due 10 Mar, window 3, grace 2, on %s: %s (%i days overdue)', (today, status, daysOverdue) => {
    expect(planStatus({ nextDue: '2026-03-10', windowDays: 3, graceDays: 2 }, today, true)).toEqual({ status, daysOverdue });
  });

  it.each([
    ['2026-03-09', 'scheduled', 0],
    ['2026-03-10', 'due', 0],
    ['2026-03-11', 'overdue', 1],
  ] as const)('window 0, grace 0, on %s: %s', (today, status, daysOverdue) => {
    expect(planStatus({ nextDue: '2026-03-10', windowDays: 0, graceDays: 0 }, today, true)).toEqual({ status, daysOverdue });
  });

  it.each([
    ['2025-12-31', '2026-01-01', 1],
    ['2024-02-28', '2024-03-01', 2],
    ['2023-02-28', '2023-03-01', 1],
    ['2026-03-28', '2026-03-30', 2],
    ['2026-10-24', '2026-10-26', 2],
  ])('due %s is overdue on %s by %i days (month, year and DST ends)', (due, today, days) => {
    expect(planStatus({ nextDue: due, windowDays: 0, graceDays: 0 }, today, true)).toEqual({ status: 'overdue', daysOverdue: days });
    expect(daysBetween(due, today)).toBe(days);
  });

  it('a 30-day window opens exactly 30 days ahead', () => {
    const p = { nextDue: '2026-03-01', windowDays: 30, graceDays: 0 };
    expect(dueFrom(p.nextDue, p.windowDays)).toBe('2026-01-30');
    expect(planStatus(p, '2026-01-29', true).status).toBe('scheduled');
    expect(planStatus(p, '2026-01-30', true).status).toBe('due');
  });

  it('works from a computed next due (the fixed-mode example)', () => {
    const p = plan('1m', '2026-01-01', { mode: 'fixed', windowDays: 7, graceDays: 0 });
    const due = nextDue(p, [done('2026-02-25')]).nextDue;
    expect(planStatus({ ...p, nextDue: due }, '2026-03-24', true).status).toBe('scheduled');
    expect(planStatus({ ...p, nextDue: due }, '2026-03-25', true).status).toBe('due');
    expect(planStatus({ ...p, nextDue: due }, '2026-04-02', true)).toEqual({ status: 'overdue', daysOverdue: 1 });
  });
});

describe('rule 11: a plan whose target is not in service is suspended', () => {
  it.each(['2026-01-01', '2026-03-07', '2026-03-10', '2026-03-13', '2030-01-01'])(
    'on %s it is suspended, never due or overdue',
    (today) => {
      expect(planStatus({ nextDue: '2026-03-10', windowDays: 3, graceDays: 2 }, today, false)).toEqual({
        status: 'suspended',
        daysOverdue: 0,
      });
    },
  );

  it('back in service it is judged by the same rules, so may be overdue at once', () => {
    const p = { nextDue: '2026-03-10', windowDays: 3, graceDays: 2 };
    expect(planStatus(p, '2026-05-01', false).status).toBe('suspended');
    expect(planStatus(p, '2026-05-01', true)).toEqual({ status: 'overdue', daysOverdue: 52 });
  });
});
