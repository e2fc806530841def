import type { IsoDate } from './domain/common';
import { addDaysTo } from './scheduling/dates';

/**
 * iCalendar (RFC 5545) output, just what a due list needs: all-day events. Pure, so the app's
 * export and the CLI write the same bytes.
 */

const encoder = new TextEncoder();

/** TEXT values (§3.3.11): backslash, semicolon and comma escaped; line breaks as `\n`. */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * Folds a content line (§3.1): no line longer than 75 octets, continuation lines starting with one
 * space. Splits only between characters, never inside a UTF-8 sequence or a surrogate pair.
 */
export function foldLine(line: string): string {
  if (encoder.encode(line).length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = 74; // the leading space takes one octet
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** `YYYYMMDD` of a calendar date (DATE, §3.3.4). */
export function icsDate(date: IsoDate): string {
  return date.replace(/-/g, '');
}

/** `YYYYMMDDTHHMMSSZ` of an instant, in UTC (DATE-TIME form 2, §3.3.5). */
export function icsInstant(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

export interface AllDayEvent {
  /** Globally unique and stable: the same event gets the same UID in every export. */
  uid: string;
  date: IsoDate;
  summary: string;
  location?: string | undefined;
  description?: string | undefined;
  categories?: readonly string[] | undefined;
}

export interface CalendarOptions {
  /** PRODID (§3.7.3), e.g. `-//Wardkeep//Due list//EN`. */
  prodId: string;
  /** DTSTAMP of every event: when the calendar was written. */
  stamp: Date;
  name?: string | undefined;
}

/** A VCALENDAR with one all-day VEVENT per event (DTSTART;VALUE=DATE, DTEND the next day), CRLF throughout. */
export function buildCalendar(events: readonly AllDayEvent[], options: CalendarOptions): string {
  const lines: string[] = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${options.prodId}`, 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH'];
  if (options.name) lines.push(`X-WR-CALNAME:${escapeText(options.name)}`);
  const stamp = icsInstant(options.stamp);
  for (const event of events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${event.uid}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${icsDate(event.date)}`,
      `DTEND;VALUE=DATE:${icsDate(addDaysTo(event.date, 1))}`,
      `SUMMARY:${escapeText(event.summary)}`,
    );
    if (event.location) lines.push(`LOCATION:${escapeText(event.location)}`);
    if (event.description) lines.push(`DESCRIPTION:${escapeText(event.description)}`);
    if (event.categories && event.categories.length > 0) lines.push(`CATEGORIES:${event.categories.map(escapeText).join(',')}`);
    lines.push('TRANSP:TRANSPARENT', 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
