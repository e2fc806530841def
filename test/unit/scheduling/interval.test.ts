import fc from 'fast-check';
import { addDays, addMonths, addWeeks, addYears } from 'date-fns';
import { describe, expect, it } from 'vitest';
import {
  INTERVAL_MESSAGE,
  addInterval,
  defaultWindowDays,
  describeInterval,
  firstOccurrenceAfter,
  firstOccurrenceOnOrAfter,
  formatInterval,
  intervalProblem,
  intervalText,
  nominalDays,
  occurrence,
  parseInterval,
  planTimingProblem,
  toDate,
  toIsoDate,
} from '../../../shared/scheduling';
import { iv } from './helpers';

describe('rule 2: intervals are a whole number N ≥ 1 of day, week, month or year', () => {
  it.each([
    ['7d', { n: 7, unit: 'day' }],
    ['2w', { n: 2, unit: 'week' }],
    ['6m', { n: 6, unit: 'month' }],
    ['1y', { n: 1, unit: 'year' }],
    ['1D', { n: 1, unit: 'day' }],
    ['12M', { n: 12, unit: 'month' }],
    ['  3w ', { n: 3, unit: 'week' }],
    ['\t10d\n', { n: 10, unit: 'day' }],
    ['999y', { n: 999, unit: 'year' }],
  ])('parses %j', (text, interval) => {
    expect(parseInterval(text)).toEqual(interval);
  });

  it.each(['0d', '1.5m', 'm', '-1d', '1x', '', ' ', '7', 'd7', '7 d', '1dd', '+1d', '1e2d', '1000d', '99999999999999999999d', '６m'])(
    'rejects %j',
    (text) => {
      expect(parseInterval(text)).toBeNull();
    },
  );

  it.each([
    ['7d', '7d', 'every 7 days'],
    ['1d', '1d', 'every day'],
    ['1w', '1w', 'every week'],
    ['2W', '2w', 'every 2 weeks'],
    ['1m', '1m', 'every month'],
    ['6m', '6m', 'every 6 months'],
    ['1y', '1y', 'every year'],
    [' 5Y ', '5y', 'every 5 years'],
  ])('%j is written %j and described %j', (text, compact, words) => {
    expect(formatInterval(iv(text))).toBe(compact);
    expect(describeInterval(iv(text))).toBe(words);
  });

  it('has a zod schema that parses interval text or says how to write it', () => {
    expect(intervalText.parse(' 6M ')).toEqual({ n: 6, unit: 'month' });
    for (const bad of ['1.5m', 'weekly', '7', 'd7', 7, null]) {
      const result = intervalText.safeParse(bad);
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((i) => i.message)).toEqual([INTERVAL_MESSAGE]);
    }
    expect(INTERVAL_MESSAGE).toBe('must be written like 7d, 2w, 6m or 1y');
  });

  it.each([
    ['0d', 'must be at least 1 day'],
    [' 0M ', 'must be at least 1 month'],
    ['000y', 'must be at least 1 year'],
    ['1000y', 'must be at most 999 years'],
    ['1000w', 'must be at most 999 weeks'],
    ['99999999999999999999d', 'must be at most 999 days'],
  ])('%j is written like 6m, so its refusal names the number: %j', (text, message) => {
    expect(intervalProblem(text)).toBe(message);
    expect(intervalText.safeParse(text).error?.issues.map((i) => i.message)).toEqual([message]);
  });

  it.each([
    ['2025-01-31', '1m', '2025-02-28'],
    ['2024-01-31', '1m', '2024-02-29'],
    ['2028-02-29', '1y', '2029-02-28'],
    ['2024-02-29', '1y', '2025-02-28'],
    ['1996-02-29', '4y', '2000-02-29'],
    ['2096-02-29', '4y', '2100-02-28'],
    ['2025-12-31', '1d', '2026-01-01'],
    ['2025-12-29', '1w', '2026-01-05'],
    ['2025-12-31', '2m', '2026-02-28'],
    ['2025-11-30', '3m', '2026-02-28'],
    ['2027-11-30', '3m', '2028-02-29'],
    ['2025-12-31', '1y', '2026-12-31'],
    ['2025-10-31', '6m', '2026-04-30'],
    ['2025-08-31', '18m', '2027-02-28'],
    ['2024-02-28', '1d', '2024-02-29'],
    ['2023-02-28', '1d', '2023-03-01'],
    ['2024-02-29', '2w', '2024-03-14'],
    ['2024-01-01', '365d', '2024-12-31'],
    ['2023-01-01', '365d', '2024-01-01'],
    ['2026-03-29', '1d', '2026-03-30'],
  ])('%s + %s = %s (month and year ends clamp like addMonths/addYears)', (date, interval, expected) => {
    expect(addInterval(date, iv(interval))).toBe(expected);
  });
});

describe('rule 3: occurrences are start + k·interval, each added at once', () => {
  it('start 31 Jan, monthly: 31 Jan, 28 Feb, 31 Mar, 30 Apr, 31 May', () => {
    expect([0, 1, 2, 3, 4].map((k) => occurrence('2025-01-31', iv('1m'), k))).toEqual([
      '2025-01-31',
      '2025-02-28',
      '2025-03-31',
      '2025-04-30',
      '2025-05-31',
    ]);
  });

  it('never chains additions (chaining would drift to the 28th)', () => {
    const chained = toIsoDate(addMonths(addMonths(toDate('2025-01-31'), 1), 1));
    expect(chained).toBe('2025-03-28');
    expect(occurrence('2025-01-31', iv('1m'), 2)).toBe('2025-03-31');
    expect(addInterval(addInterval('2028-02-29', iv('1y')), iv('1y'))).toBe('2030-02-28');
  });

  it.each([
    ['2024-01-31', '1m', 1, '2024-02-29'],
    ['2024-01-31', '1m', 13, '2025-02-28'],
    ['2026-01-31', '1m', 12, '2027-01-31'],
    ['2028-02-29', '1y', 1, '2029-02-28'],
    ['2028-02-29', '1y', 2, '2030-02-28'],
    ['2028-02-29', '1y', 4, '2032-02-29'],
    ['2028-02-29', '1y', 72, '2100-02-28'],
    ['2025-08-31', '3m', 1, '2025-11-30'],
    ['2025-08-31', '3m', 2, '2026-02-28'],
    ['2025-08-31', '3m', 3, '2026-05-31'],
    ['2024-01-01', '1d', 366, '2025-01-01'],
    ['2025-12-22', '1w', 2, '2026-01-05'],
    ['2024-02-29', '2w', 26, '2025-02-27'],
    ['2026-01-15', '6m', 0, '2026-01-15'],
  ])('occurrence(%s, %s, %i) = %s', (start, interval, k, expected) => {
    expect(occurrence(start, iv(interval), k)).toBe(expected);
  });

  it('refuses a negative or fractional k and a malformed interval', () => {
    expect(() => occurrence('2026-01-01', iv('1m'), -1)).toThrow(RangeError);
    expect(() => occurrence('2026-01-01', iv('1m'), 1.5)).toThrow(RangeError);
    expect(() => occurrence('2026-01-01', { n: 0, unit: 'day' }, 1)).toThrow(RangeError);
    expect(() => occurrence('2026-01-01', { n: 1.5, unit: 'month' }, 1)).toThrow(RangeError);
  });

  it.each([
    ['2026-01-01', '1m', '2026-03-04', 3, '2026-04-01'],
    ['2026-01-01', '1m', '2026-03-01', 3, '2026-04-01'],
    ['2026-01-01', '1m', '2026-02-28', 2, '2026-03-01'],
    ['2026-01-01', '1m', '2025-06-01', 0, '2026-01-01'],
    ['2026-01-01', '1m', '2026-01-01', 1, '2026-02-01'],
    ['2025-01-31', '1m', '2025-02-27', 1, '2025-02-28'],
    ['2025-01-31', '1m', '2025-02-28', 2, '2025-03-31'],
    ['2028-02-29', '1y', '2029-03-03', 2, '2030-02-28'],
    ['2026-01-05', '1w', '2026-01-14', 2, '2026-01-19'],
    ['2026-01-05', '1w', '2026-01-12', 2, '2026-01-19'],
    ['2026-01-01', '1d', '2036-01-01', 3653, '2036-01-02'],
    ['2000-01-31', '1m', '2099-12-31', 1200, '2100-01-31'],
  ])('first occurrence of (%s, %s) after %s is #%i, %s', (start, interval, after, k, date) => {
    expect(firstOccurrenceAfter(start, iv(interval), after)).toEqual({ k, date });
  });

  it('adds as date-fns adds calendar fields, for any start, interval and k (the arithmetic is integer, date-fns is the oracle)', () => {
    const add = { day: addDays, week: addWeeks, month: addMonths, year: addYears };
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 999 }),
        fc.constantFrom('day', 'week', 'month', 'year'),
        fc.integer({ min: 0, max: 60 }),
        (at, n, unit, k) => {
          const start = at.toISOString().slice(0, 10);
          const interval = { n, unit };
          const expected = toIsoDate(add[unit](toDate(start), k * n));
          fc.pre(/^\d{4}-/.test(expected));
          expect(occurrence(start, interval, k)).toBe(expected);
          // The first occurrence after the day before k's is k's own (k's is the smallest that late).
          const found = firstOccurrenceOnOrAfter(start, interval, expected);
          expect(found.date).toBe(expected);
          expect(occurrence(start, interval, found.k)).toBe(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('finds the first occurrence on or after a date', () => {
    expect(firstOccurrenceOnOrAfter('2026-01-01', iv('1m'), '2026-03-01')).toEqual({ k: 2, date: '2026-03-01' });
    expect(firstOccurrenceOnOrAfter('2026-01-01', iv('1m'), '2026-03-02')).toEqual({ k: 3, date: '2026-04-01' });
  });
});

describe('rule 9: window and grace', () => {
  it.each([
    ['1d', 1, 0],
    ['1w', 7, 0],
    ['2w', 14, 1],
    ['1m', 30, 3],
    ['3m', 90, 9],
    ['6m', 180, 18],
    ['1y', 365, 30],
    ['2y', 730, 30],
    ['100d', 100, 10],
    ['299d', 299, 29],
    ['300d', 300, 30],
    ['43w', 301, 30],
  ])('%s: nominal %i days, default window %i', (interval, nominal, window) => {
    expect(nominalDays(iv(interval))).toBe(nominal);
    expect(defaultWindowDays(iv(interval))).toBe(window);
  });

  it.each([
    ['1m', 40, 0, { field: 'windowDays', message: 'Window (40 days) must be shorter than the interval (30 days).' }],
    ['1m', 30, 0, { field: 'windowDays', message: 'Window (30 days) must be shorter than the interval (30 days).' }],
    ['1m', 29, 29, null],
    ['1m', 3, 30, { field: 'graceDays', message: 'Grace (30 days) must be shorter than the interval (30 days).' }],
    ['1d', 1, 0, { field: 'windowDays', message: 'Window (1 day) must be shorter than the interval (1 day).' }],
    ['1d', 0, 1, { field: 'graceDays', message: 'Grace (1 day) must be shorter than the interval (1 day).' }],
    ['1d', 0, 0, null],
    ['1w', 6, 6, null],
    ['1w', 0, 7, { field: 'graceDays', message: 'Grace (7 days) must be shorter than the interval (7 days).' }],
    ['1y', 364, 364, null],
    ['1y', 365, 0, { field: 'windowDays', message: 'Window (365 days) must be shorter than the interval (365 days).' }],
    ['1m', -1, 0, { field: 'windowDays', message: 'Window must be a whole number of days, 0 or more (not -1).' }],
    ['1m', 0, 1.5, { field: 'graceDays', message: 'Grace must be a whole number of days, 0 or more (not 1.5).' }],
    ['1m', Number.NaN, 0, { field: 'windowDays', message: 'Window must be a whole number of days, 0 or more (not NaN).' }],
    ['1m', 31, 31, { field: 'windowDays', message: 'Window (31 days) must be shorter than the interval (30 days).' }],
  ])('%s with window %d and grace %d → %j', (interval, windowDays, graceDays, problem) => {
    expect(planTimingProblem({ interval: iv(interval), windowDays, graceDays })).toEqual(problem);
  });

  it('accepts the default window and grace of every interval', () => {
    for (const unit of ['d', 'w', 'm', 'y']) {
      for (const n of [1, 2, 3, 6, 12, 52, 999]) {
        const interval = iv(`${n}${unit}`);
        expect(planTimingProblem({ interval, windowDays: defaultWindowDays(interval), graceDays: 0 })).toBeNull();
      }
    }
  });
});
