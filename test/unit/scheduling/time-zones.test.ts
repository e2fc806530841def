import { describe, expect, it } from 'vitest';
import {
  daysBetween,
  dueFrom,
  firstOccurrenceAfter,
  localDateOf,
  nextDue,
  occurrence,
  occurrenceVerdicts,
  planStatus,
  type CompletionFact,
} from '../../../shared/scheduling';
import { done, inZone, iv, plan } from './helpers';

/**
 * Calendar dates must not depend on the PC's zone. The key functions run with process.env.TZ
 * switched at runtime between zones with and without daylight saving, including zones whose
 * change happens at midnight (so local midnight is missing or doubled on that day).
 */
const ZONES = [
  'UTC',
  'Europe/London',
  'Pacific/Auckland',
  'America/Santiago',
  'America/Havana',
  'Asia/Beirut',
  'Pacific/Chatham',
  'America/St_Johns',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'Pacific/Apia',
];

/** 2024's changes in these zones (midnight ones: Havana 10 Mar, Beirut 31 Mar, Santiago 7 Apr and 8 Sep). */
const DST_DAYS = [
  '2024-03-10',
  '2024-03-31',
  '2024-04-06',
  '2024-04-07',
  '2024-09-08',
  '2024-09-29',
  '2024-10-26',
  '2024-10-27',
  '2024-11-03',
];

/** Independent of the code under test: calendar arithmetic in UTC. */
function utcAddDays(date: string, days: number): string {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Everything the scheduling rules compute, over a year with every kind of change in it. */
function scenario(): unknown {
  const dailyFixed = plan('1d', '2024-03-01', { mode: 'fixed' });
  const dailyFloating = plan('1d', '2024-03-01', { windowDays: 0, graceDays: 0 });
  const monthlyFixed = plan('1m', '2024-01-31', { mode: 'fixed', windowDays: 3, graceDays: 1 });
  const everyOther: CompletionFact[] = [];
  for (let i = 0; i < 280; i += 2) everyOther.push(done(utcAddDays('2024-03-01', i)));
  return {
    dailyOccurrences: Array.from({ length: 300 }, (_, k) => occurrence('2024-03-01', iv('1d'), k)),
    weeklyOccurrences: Array.from({ length: 60 }, (_, k) => occurrence('2024-01-07', iv('1w'), k)),
    monthlyOccurrences: Array.from({ length: 24 }, (_, k) => occurrence('2024-01-31', iv('1m'), k)),
    firstAfter: DST_DAYS.map((day) => firstOccurrenceAfter('2024-01-31', iv('1m'), day)),
    nextDue: DST_DAYS.flatMap((day) =>
      [utcAddDays(day, -1), day].map((on) => [
        nextDue(dailyFixed, [done(on)]),
        nextDue(dailyFloating, [done(on)]),
        nextDue(monthlyFixed, [done(on)]),
        nextDue(plan('1y', '2024-02-29'), [done(on)]),
      ]),
    ),
    status: DST_DAYS.flatMap((day) =>
      [-2, -1, 0, 1, 2].map((offset) => planStatus({ nextDue: day, windowDays: 1, graceDays: 1 }, utcAddDays(day, offset), true)),
    ),
    dueFrom: DST_DAYS.map((day) => dueFrom(day, 1)),
    daysBetween: DST_DAYS.map((day) => [daysBetween(utcAddDays(day, -1), utcAddDays(day, 1)), daysBetween(day, '2025-01-01')]),
    compliance: occurrenceVerdicts(dailyFixed, everyOther, { from: '2024-03-01', to: '2024-11-30' }).map((o) => o.verdict),
  };
}

describe('the same answers in every time zone', () => {
  it('really switches zone at runtime, and the midnight zones really lose a midnight', () => {
    const hourOfMidnight = (zone: string, y: number, m: number, d: number) => inZone(zone, () => new Date(y, m - 1, d).getHours());
    expect(hourOfMidnight('America/Santiago', 2024, 9, 8)).toBe(1);
    expect(hourOfMidnight('America/Havana', 2024, 3, 10)).toBe(1);
    expect(hourOfMidnight('Asia/Beirut', 2024, 3, 31)).toBe(1);
    expect(hourOfMidnight('Europe/London', 2024, 3, 31)).toBe(0);
    expect(inZone('Pacific/Auckland', () => new Date(2024, 0, 1).getTimezoneOffset())).toBe(-780);
    expect(inZone('America/Santiago', () => new Date(2024, 0, 1).getTimezoneOffset())).toBe(180);
  });

  it('computes day arithmetic as calendar arithmetic', () => {
    for (const zone of ZONES) {
      inZone(zone, () => {
        const days = Array.from({ length: 400 }, (_, k) => occurrence('2024-01-01', iv('1d'), k));
        expect(days, zone).toEqual(Array.from({ length: 400 }, (_, k) => utcAddDays('2024-01-01', k)));
        for (const day of DST_DAYS) expect(daysBetween(utcAddDays(day, -1), utcAddDays(day, 1)), `${zone} ${day}`).toBe(2);
      });
    }
  });

  it('gives identical occurrences, next due dates, statuses and verdicts across DST boundaries', () => {
    const reference = inZone('UTC', scenario);
    for (const zone of ZONES) expect(inZone(zone, scenario), zone).toEqual(reference);
  });

  it('keeps the spec examples in every zone', () => {
    for (const zone of ZONES) {
      inZone(zone, () => {
        expect(
          [0, 1, 2, 3, 4].map((k) => occurrence('2025-01-31', iv('1m'), k)),
          zone,
        ).toEqual(['2025-01-31', '2025-02-28', '2025-03-31', '2025-04-30', '2025-05-31']);
        expect(occurrence('2028-02-29', iv('1y'), 1), zone).toBe('2029-02-28');
        const fixed = plan('1m', '2026-01-01', { mode: 'fixed', windowDays: 7 });
        expect(
          ['2026-02-25', '2026-03-05', '2026-03-26'].map((on) => nextDue(fixed, [done(on)]).nextDue),
          zone,
        ).toEqual(['2026-04-01', '2026-04-01', '2026-05-01']);
      });
    }
  });

  it('never shifts a completion near local midnight by a day', () => {
    for (const zone of ZONES) {
      inZone(zone, () => {
        for (const day of DST_DAYS) {
          const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
          // Just after the (possibly missing) local midnight, and just before the next one.
          for (const local of [new Date(y, m - 1, d, 0, 30), new Date(y, m - 1, d, 23, 30)]) {
            const performedAt = local.toISOString();
            const performedOn = localDateOf(performedAt);
            expect(performedOn, `${zone} ${performedAt}`).toBe(day);
            const completion: CompletionFact = { performedAt, performedOn, outcome: 'pass' };
            const daily = plan('1d', '2024-01-01');
            const due = nextDue(daily, [completion]);
            expect(due, `${zone} ${performedAt}`).toEqual({ nextDue: utcAddDays(day, 1), lastDoneOn: day });
            expect(planStatus({ nextDue: due.nextDue, windowDays: 0, graceDays: 0 }, day, true).status).toBe('scheduled');
            expect(planStatus({ nextDue: due.nextDue, windowDays: 0, graceDays: 0 }, utcAddDays(day, 1), true).status).toBe('due');
            expect(planStatus({ nextDue: due.nextDue, windowDays: 0, graceDays: 0 }, utcAddDays(day, 2), true)).toEqual({
              status: 'overdue',
              daysOverdue: 1,
            });
            const fixed = plan('1d', '2024-01-01', { mode: 'fixed' });
            expect(nextDue(fixed, [completion]).nextDue).toBe(utcAddDays(day, 1));
          }
        }
      });
    }
  });

  it('depends on the supplied performedOn, not on the zone of the instant', () => {
    // 23:30 UTC on 7 Sep 2024 is already 8 Sep in Auckland: whoever logged it supplied its date.
    const completion: CompletionFact = { performedAt: '2024-09-07T23:30:00Z', performedOn: '2024-09-08', outcome: 'pass' };
    const results = ZONES.map((zone) => inZone(zone, () => nextDue(plan('1d', '2024-01-01'), [completion])));
    expect(new Set(results.map((r) => JSON.stringify(r)))).toEqual(
      new Set([JSON.stringify({ nextDue: '2024-09-09', lastDoneOn: '2024-09-08' })]),
    );
  });
});
