import { describe, expect, it } from 'vitest';
import { dateFormatProblem, datePattern, formatDate, formatDateTime, formatDaysIn, parseDate, parseTime, setDateLocale } from '../../../shared/date-format';

describe('one way to write a date', () => {
  it('writes a calendar date in each format, from its digits', () => {
    expect(formatDate('2026-01-31', 'yyyy-MM-dd')).toBe('2026-01-31');
    expect(formatDate('2026-01-31', 'dd/MM/yyyy')).toBe('31/01/2026');
    expect(formatDate('2026-01-31', 'MM/dd/yyyy')).toBe('01/31/2026');
    expect(formatDate('2026-01-31', 'dd.MM.yyyy')).toBe('31.01.2026');
    expect(formatDate(null, 'dd/MM/yyyy')).toBe('—');
    expect(formatDate('2026-01-31T23:30:00Z', 'dd/MM/yyyy')).toBe('31/01/2026');
  });

  it('writes the days in kept text (a status reason, a work order note) the setting\'s way, and nothing else that looks like one', () => {
    const reason = 'Tagged out: failed electrical safety test on 2026-11-25. Do not use.';
    expect(formatDaysIn(reason, 'MM/dd/yyyy')).toBe('Tagged out: failed electrical safety test on 11/25/2026. Do not use.');
    expect(formatDaysIn(reason, 'dd.MM.yyyy')).toBe('Tagged out: failed electrical safety test on 25.11.2026. Do not use.');
    expect(formatDaysIn(reason, 'yyyy-MM-dd')).toBe(reason);
    expect(formatDaysIn('Checked 2026-01-31 and (2026-02-01): fine', 'dd/MM/yyyy')).toBe('Checked 31/01/2026 and (01/02/2026): fine');
    // Not days: part of an asset tag or a file name, an instant, more digits, or not in the calendar.
    for (const kept of ['Swapped with INF-2024-01-15', 'see scans/2026-11-25.pdf', 'at 2026-11-25T10:00', '12026-11-25', '2026-11-254', 'on 2026-02-30', 'on 2026-13-01', 'no date'])
      expect(formatDaysIn(kept, 'dd/MM/yyyy')).toBe(kept);
  });

  it("follows the locale's numeric order for 'locale', and reads back what it writes", () => {
    const pattern = datePattern('locale');
    expect(pattern).toMatch(/yyyy/);
    const shown = formatDate('2026-01-31', 'locale');
    expect(parseDate(shown, 'locale')).toEqual({ ok: true, value: '2026-01-31' });
  });

  it("follows the locale main is given for 'locale' (the window's), reads it back that way, and keeps the process's own for one Intl does not take", () => {
    try {
      setDateLocale('de-DE');
      expect(datePattern('locale')).toBe('dd.MM.yyyy');
      expect(formatDate('2026-01-31', 'locale')).toBe('31.01.2026');
      expect(parseDate('31.01.2026', 'locale')).toMatchObject({ value: '2026-01-31' });
      setDateLocale('en-US');
      expect(formatDate('2026-01-31', 'locale')).toBe('01/31/2026');
      setDateLocale(undefined);
      const own = formatDate('2026-01-31', 'locale');
      setDateLocale('not a locale!');
      expect(formatDate('2026-01-31', 'locale')).toBe(own);
    } finally {
      setDateLocale(undefined);
    }
  });

  it('reads a typed date in the order of the setting, with one-digit days and months and any separator, or as YYYY-MM-DD', () => {
    expect(parseDate('31/1/2026', 'dd/MM/yyyy')).toEqual({ ok: true, value: '2026-01-31' });
    expect(parseDate('1-31-2026', 'MM/dd/yyyy')).toEqual({ ok: true, value: '2026-01-31' });
    expect(parseDate(' 31.01.2026 ', 'dd.MM.yyyy')).toEqual({ ok: true, value: '2026-01-31' });
    expect(parseDate('2026-01-31', 'dd/MM/yyyy')).toEqual({ ok: true, value: '2026-01-31' });
  });

  it('refuses a two-digit year, a wrong order and a day not in the calendar, saying how to write it in the same format', () => {
    expect(parseDate('31/01/26', 'dd/MM/yyyy')).toEqual({ ok: false, reason: 'format' });
    expect(parseDate('2026/31/01', 'dd/MM/yyyy')).toEqual({ ok: false, reason: 'format' });
    expect(parseDate('31/02/2026', 'dd/MM/yyyy')).toEqual({ ok: false, reason: 'calendar' });
    expect(parseDate('29/02/2028', 'dd/MM/yyyy')).toEqual({ ok: true, value: '2028-02-29' });
    expect(dateFormatProblem('format', '31/01/26', 'dd/MM/yyyy')).toBe('must be written dd/mm/yyyy, for example 31/01/2026');
    expect(dateFormatProblem('format', 'x', 'MM/dd/yyyy')).toBe('must be written mm/dd/yyyy, for example 01/31/2026');
    expect(dateFormatProblem('calendar', '31/02/2026', 'dd/MM/yyyy')).toBe('31/02/2026 is not a date in the calendar');
  });

  it('writes an instant as the local date and a 24-hour time, and reads a typed time', () => {
    const local = new Date(2026, 0, 31, 7, 5);
    expect(formatDateTime(local.toISOString(), 'dd/MM/yyyy')).toBe('31/01/2026 07:05');
    expect(parseTime('7:05')).toBe('07:05');
    expect(parseTime('19.30')).toBe('19:30');
    expect(parseTime('24:00')).toBeNull();
  });
});
