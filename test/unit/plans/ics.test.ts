import fc from 'fast-check';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { buildCalendar, escapeText, foldLine, icsDate, icsInstant } from '../../../shared/ics';

const octets = (s: string) => new TextEncoder().encode(s).length;
const unfold = (s: string) => s.replace(/\r\n /g, '');

describe('iCalendar text', () => {
  it('escapes backslash, semicolon, comma and line breaks (RFC 5545 §3.3.11)', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('folds lines at 75 octets, continuation lines starting with a space, never inside a character', () => {
    expect(foldLine('SUMMARY:short')).toBe('SUMMARY:short');
    const line = `SUMMARY:${'é'.repeat(50)}😀${'x'.repeat(40)}`;
    const folded = foldLine(line);
    for (const part of folded.split('\r\n')) expect(octets(part)).toBeLessThanOrEqual(75);
    expect(folded.split('\r\n').slice(1).every((p) => p.startsWith(' '))).toBe(true);
    expect(unfold(folded)).toBe(line);
    expect(folded).not.toContain('\uFFFD');
  });

  it('folding is lossless for any text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        const folded = foldLine(`DESCRIPTION:${text}`);
        expect(unfold(folded)).toBe(`DESCRIPTION:${text}`);
        for (const part of folded.split('\r\n')) expect(octets(part)).toBeLessThanOrEqual(75);
      }),
    );
  });

  it('writes DATE and UTC DATE-TIME values', () => {
    expect(icsDate('2028-02-29')).toBe('20280229');
    expect(icsInstant(new Date('2025-11-25T09:05:07.123Z'))).toBe('20251125T090507Z');
  });
});

describe('a calendar of all-day events', () => {
  it('parses with ical.js: one event per row, DTEND the next day (across month and year ends), text intact', () => {
    const text = buildCalendar(
      [
        { uid: 'a@x', date: '2025-12-31', summary: 'Overdue; calibration, "pump"', location: 'Site > Ward', description: 'line 1\nline 2', categories: ['calibration'] },
        { uid: 'b@x', date: '2028-02-28', summary: 'Cleaning' },
      ],
      { prodId: '-//Wardkeep//Test//EN', stamp: new Date('2025-11-25T12:00:00Z'), name: 'Due, list' },
    );
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    const calendar = new ICAL.Component(ICAL.parse(text));
    expect(calendar.getFirstPropertyValue('prodid')).toBe('-//Wardkeep//Test//EN');
    // An X- property is TEXT by convention, escaped like any (ical.js leaves unknown ones as written).
    expect(text).toContain('\r\nX-WR-CALNAME:Due\\, list\r\n');
    const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events.map((e) => [e.uid, e.startDate.toString(), e.endDate.toString(), e.summary])).toEqual([
      ['a@x', '2025-12-31', '2026-01-01', 'Overdue; calibration, "pump"'],
      ['b@x', '2028-02-28', '2028-02-29', 'Cleaning'],
    ]);
    expect(events[0]!.description).toBe('line 1\nline 2');
    expect(events[0]!.location).toBe('Site > Ward');
  });
});
