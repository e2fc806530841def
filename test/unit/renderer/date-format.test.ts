import { describe, expect, it } from 'vitest';
import { dateFormatProblem, datePattern, formatDate, formatDateTime, parseDate, parseTime } from '../../../shared/date-format';

describe('one way to write a date', () => {
  it('writes a calendar date in each format, from its digits', () => {
    expect(formatDate('2026-01-31', 'yyyy-MM-dd')).toBe('2026-01-31');
    expect(formatDate('2026-01-31', 'dd/MM/yyyy')).toBe('31/01/2026');
    expect(formatDate('2026-01-31', 'MM/dd/yyyy')).toBe('01/31/2026');
    expect(formatDate('2026-01-31', 'dd.MM.yyyy')).toBe('31.01.2026');
    expect(formatDate(null, 'dd/MM/yyyy')).toBe('—');
    expect(formatDate('2026-01-31T23:30:00Z', 'dd/MM/yyyy')).toBe('31/01/2026');
  });

  it("follows the locale's numeric order for 'locale', and reads back what it writes", () => {
    const pattern = datePattern('locale');
    expect(pattern).toMatch(/yyyy/);
    const shown = formatDate('2026-01-31', 'locale');
    expect(parseDate(shown, 'locale')).toEqual({ ok: true, value: '2026-01-31' });
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
