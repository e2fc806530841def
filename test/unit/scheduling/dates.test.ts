import { parseISO } from 'date-fns';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareDates, daysBetween, instantOf, localDateOf, toDate, toIsoDate, addDaysTo } from '../../../shared/scheduling';
import { inZone } from './helpers';

describe('rule 1: due dates are calendar dates with no time and no zone', () => {
  it.each(['2026-01-01', '2024-02-29', '2025-12-31', '2024-03-31', '2024-09-08', '2024-10-27', '1999-12-31', '2100-02-28'])(
    '%s round-trips through a Date at local noon',
    (iso) => {
      const date = toDate(iso);
      expect(toIsoDate(date)).toBe(iso);
      expect([date.getHours(), date.getMinutes(), date.getSeconds(), date.getMilliseconds()]).toEqual([12, 0, 0, 0]);
    },
  );

  it.each([
    '2026-02-29',
    '2100-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-04-31',
    '2026-2-3',
    '20260101',
    '2026-01-01T00:00',
    ' 2026-01-01',
    '',
  ])('refuses %j', (text) => {
    expect(() => toDate(text)).toThrow(RangeError);
  });

  it.each([
    ['2026-03-28', '2026-03-30', 2], // London and Beirut spring forward in between
    ['2026-10-24', '2026-10-26', 2],
    ['2025-12-31', '2026-01-01', 1],
    ['2024-02-28', '2024-03-01', 2],
    ['2023-02-28', '2023-03-01', 1],
    ['2024-01-01', '2025-01-01', 366],
    ['2025-01-01', '2026-01-01', 365],
    ['2026-03-10', '2026-03-01', -9],
    ['2026-03-10', '2026-03-10', 0],
  ])('daysBetween(%s, %s) = %i', (from, to, days) => {
    expect(daysBetween(from, to)).toBe(days);
  });

  it('adds days across month, year and leap-day ends', () => {
    expect(addDaysTo('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDaysTo('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDaysTo('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDaysTo('2023-03-01', -1)).toBe('2023-02-28');
  });

  it('day sums agree with calendar arithmetic in UTC for any date from year 1 to 9999, and refuse dates that do not exist', () => {
    // Independent of the code under test: the UTC calendar (setUTCFullYear keeps years 1–99 as written).
    const utc = (iso: string) => {
      const [y = 0, m = 1, d = 1] = iso.split('-').map(Number);
      const at = new Date(0);
      at.setUTCFullYear(y, m - 1, d);
      return at;
    };
    const iso = (at: Date) => at.toISOString().slice(0, 10).padStart(10, '0');
    const dayMs = 86_400_000;
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: -4000, max: 4000 }),
        (at, days) => {
          const from = at.toISOString().slice(0, 10);
          const moved = new Date(utc(from).getTime() + days * dayMs);
          fc.pre(moved.getUTCFullYear() >= 1 && moved.getUTCFullYear() <= 9999);
          expect(addDaysTo(from, days)).toBe(iso(moved));
          expect(daysBetween(from, iso(moved))).toBe(days);
        },
      ),
      { numRuns: 2000 },
    );
    for (const bad of ['2023-02-29', '2024-02-30', '2025-04-31', '2025-13-01', '2025-00-10', '2025-01-00', '25-01-01'])
      expect(() => addDaysTo(bad, 1), bad).toThrow(`Not a calendar date written YYYY-MM-DD: "${bad}"`);
    expect(() => daysBetween('2024-02-29', '2100-02-29')).toThrow('"2100-02-29"');
  });

  it('compares dates as calendar dates', () => {
    expect(compareDates('2026-01-02', '2026-01-10')).toBe(-1);
    expect(compareDates('2026-01-10', '2026-01-10')).toBe(0);
    expect(compareDates('2027-01-01', '2026-12-31')).toBe(1);
  });

  it("a completion's date is the local calendar date of its instant, in the PC's zone", () => {
    const instant = '2026-03-28T23:30:00Z';
    expect(inZone('Europe/London', () => localDateOf(instant))).toBe('2026-03-28');
    expect(inZone('Pacific/Auckland', () => localDateOf(instant))).toBe('2026-03-29');
    expect(inZone('America/Santiago', () => localDateOf(instant))).toBe('2026-03-28');
    expect(inZone('UTC', () => localDateOf(new Date(instant)))).toBe('2026-03-28');
    expect(() => localDateOf('yesterday')).toThrow(RangeError);
  });

  it('orders instants by the moment, not by the text', () => {
    expect(instantOf('2026-03-01T01:00:00+02:00')).toBeLessThan(instantOf('2026-02-28T23:30:00Z'));
    expect(() => instantOf('not a time')).toThrow(RangeError);
  });

  it("reads a stored instant as date-fns' parseISO does, on every day of every month, and refuses a day the month lacks", () => {
    expect(instantOf('2024-02-29T10:00:00Z')).toBe(Date.UTC(2024, 1, 29, 10));
    expect(instantOf('2025-12-31T23:59:59.999Z')).toBe(Date.UTC(2025, 11, 31, 23, 59, 59, 999));
    for (const noDay of ['2025-02-29T10:00:00Z', '2026-04-31T10:00:00Z', '2100-02-29T10:00:00.000Z', '2025-13-30T10:00:00Z', '2025-01-32T10:00:00Z'])
      expect(() => instantOf(noDay), noDay).toThrow(RangeError);
    const two = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(
        fc.record({
          year: fc.integer({ min: 1890, max: 2110 }),
          month: fc.integer({ min: 0, max: 13 }),
          day: fc.integer({ min: 0, max: 32 }),
          hour: fc.integer({ min: 0, max: 25 }),
          minute: fc.integer({ min: 0, max: 60 }),
          second: fc.integer({ min: 0, max: 60 }),
          ms: fc.option(fc.integer({ min: 0, max: 999 })),
        }),
        ({ year, month, day, hour, minute, second, ms }) => {
          const text = `${year}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}${ms === null ? '' : `.${String(ms).padStart(3, '0')}`}Z`;
          const expected = parseISO(text).getTime();
          if (Number.isNaN(expected)) expect(() => instantOf(text), text).toThrow(RangeError);
          else expect(instantOf(text), text).toBe(expected);
        },
      ),
      { numRuns: 5000 },
    );
  });
});
