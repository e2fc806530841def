import { isIsoDate } from './domain/common';
import type { DateFormatSetting } from './domain/settings';

/**
 * One way to write a date, everywhere: on screen, on paper, in messages and in date fields. The
 * setting names a numeric pattern (dd/MM/yyyy…); 'locale' takes the order and separator the
 * operating system's locale uses for numeric dates (en-GB 31/01/2026, en-US 01/31/2026,
 * de 31.01.2026), so what a person reads is what they type.
 *
 * Formatting rearranges the digits of a `YYYY-MM-DD` string through a formatter compiled once per
 * setting: no Date, no Intl call per date (a scrolling list formats two dates a row, and building
 * an Intl.DateTimeFormat per call was a third of the renderer's time). Parsing uses the same
 * compiled pattern.
 */

type Token = { part: 'y' | 'M' | 'd' } | { literal: string };

interface Compiled {
  /** date-fns style, e.g. dd/MM/yyyy. */
  pattern: string;
  /** For people: dd/mm/yyyy. */
  hint: string;
  order: ('y' | 'M' | 'd')[];
  format: (y: string, m: string, d: string) => string;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})/;

function tokensOf(pattern: string): Token[] {
  const out: Token[] = [];
  const re = /(yyyy|MM|dd)/g;
  let last = 0;
  for (let m = re.exec(pattern); m; m = re.exec(pattern)) {
    if (m.index > last) out.push({ literal: pattern.slice(last, m.index) });
    out.push({ part: m[1]!.charAt(0) as 'y' | 'M' | 'd' });
    last = m.index + m[1]!.length;
  }
  if (last < pattern.length) out.push({ literal: pattern.slice(last) });
  return out;
}

/**
 * The locale 'locale' follows; undefined is the process's own (`Intl`'s default). The renderer's is
 * Chromium's, the app's locale; main's `Intl` is Node's, which on Windows follows the regional format
 * and can differ from it, so main sets the app's (`setDateLocale(app.getLocale())`, lifecycle.ts): a
 * message from main ("due 31.01.2026") then writes a date as the screen beside it does.
 */
let dateLocale: string | undefined;

/** Makes 'locale' follow `locale` (undefined: the process's own); the next date is written that way. */
export function setDateLocale(locale: string | undefined): void {
  const next = locale?.trim() || undefined;
  if (next === dateLocale) return;
  dateLocale = next;
  compiled.delete('locale');
}

function numericParts(locale: string | undefined): Intl.DateTimeFormatPart[] {
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(2026, 0, 31, 12));
}

/** The OS locale's numeric date as a pattern, e.g. dd/MM/yyyy; ISO when the locale says nothing usable. */
function localePattern(): string {
  try {
    let parts: Intl.DateTimeFormatPart[];
    try {
      parts = numericParts(dateLocale);
    } catch {
      // A locale Intl does not take (RangeError): the process's own rather than none.
      parts = numericParts(undefined);
    }
    let pattern = '';
    for (const p of parts) {
      if (p.type === 'year') pattern += 'yyyy';
      else if (p.type === 'month') pattern += 'MM';
      else if (p.type === 'day') pattern += 'dd';
      else if (p.type === 'literal') pattern += p.value.replace(/[\u200e\u200f]/g, '');
      else return 'yyyy-MM-dd';
    }
    return /yyyy/.test(pattern) && /MM/.test(pattern) && /dd/.test(pattern) ? pattern.trim() : 'yyyy-MM-dd';
  } catch {
    return 'yyyy-MM-dd';
  }
}

function compile(pattern: string): Compiled {
  const tokens = tokensOf(pattern);
  const order = tokens.flatMap((t) => ('part' in t ? [t.part] : []));
  return {
    pattern,
    hint: pattern.toLowerCase(),
    order,
    format: (y, m, d) => {
      let s = '';
      for (const t of tokens) s += 'literal' in t ? t.literal : t.part === 'y' ? y : t.part === 'M' ? m : d;
      return s;
    },
  };
}

const compiled = new Map<DateFormatSetting, Compiled>();

function formatter(setting: DateFormatSetting): Compiled {
  let c = compiled.get(setting);
  if (!c) {
    c = compile(setting === 'locale' ? localePattern() : setting);
    compiled.set(setting, c);
  }
  return c;
}

/** The pattern a setting stands for, date-fns style (dd/MM/yyyy). */
export function datePattern(setting: DateFormatSetting): string {
  return formatter(setting).pattern;
}

/** How to write a date, for help text and messages: "dd/mm/yyyy". */
export function dateHint(setting: DateFormatSetting): string {
  return formatter(setting).hint;
}

/** A calendar date (`YYYY-MM-DD`, or the day of an ISO instant as written) in the setting's format; "—" for none. */
export function formatDate(iso: string | null | undefined, setting: DateFormatSetting): string {
  if (!iso) return '—';
  const m = ISO_DAY.exec(iso);
  if (!m) return iso;
  return formatter(setting).format(m[1]!, m[2]!, m[3]!);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The local calendar date of an instant, `YYYY-MM-DD`. */
export function localDay(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The local time of an instant, 24-hour `HH:mm`. */
export function localTime(d: Date): string {
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** An instant (ISO-8601) as local date and 24-hour time: "31/01/2026 07:52". */
export function formatDateTime(iso: string | null | undefined, setting: DateFormatSetting): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${formatDate(localDay(d), setting)} ${localTime(d)}`;
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** A `YYYY-MM-DD` standing alone in text: not part of an asset tag, a file name or an instant. */
const DAY_IN_TEXT = /(?<![\w/-])(\d{4})-(\d{2})-(\d{2})(?![\w/-])/g;

/**
 * Text kept as written (a status reason, a work order's problem or note) with each calendar day
 * in it written the setting's way. Wardkeep writes the days in such text as `YYYY-MM-DD`, the one
 * form every PC of a hospital reads alike ("Tagged out: failed electrical safety test on
 * 2026-11-25"), so the stored text is the same everywhere and each screen shows its own format. A
 * day a person typed that way is shown the same way: the form is unambiguous, so nothing is lost.
 * Anything that is not a real calendar day is left as it is. Not for words that hold names (a
 * location "Ward 2026-01-05 surge" would be rewritten): a printout's header marks its days instead
 * (HeaderLine, shared/domain/report.ts).
 */
export function formatDaysIn(text: string, setting: DateFormatSetting): string {
  if (!text.includes('-')) return text;
  return text.replace(DAY_IN_TEXT, (whole: string, y: string, m: string, d: string) => (isIsoDate(whole) ? formatter(setting).format(y, m, d) : whole));
}

export type ParsedDate = { ok: true; value: string } | { ok: false; reason: 'format' | 'calendar' };

/**
 * A date as a person typed it, in the setting's order (day and month may have one digit; any of
 * / . - or a space between them), or as `YYYY-MM-DD`. The year has four digits: "26" is refused
 * rather than guessed.
 */
export function parseDate(text: string, setting: DateFormatSetting): ParsedDate {
  const t = text.trim();
  let y: number;
  let m: number;
  let d: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (iso) {
    [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else {
    const groups = /^(\d{1,4})[\s./-]+(\d{1,4})[\s./-]+(\d{1,4})$/.exec(t);
    if (!groups) return { ok: false, reason: 'format' };
    const { order } = formatter(setting);
    const value = { y: 0, M: 0, d: 0 };
    for (let i = 0; i < 3; i++) {
      const g = groups[i + 1]!;
      const part = order[i]!;
      if (part === 'y' ? g.length !== 4 : g.length > 2) return { ok: false, reason: 'format' };
      value[part] = Number(g);
    }
    [y, m, d] = [value.y, value.M, value.d];
  }
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m) || y < 1000) return { ok: false, reason: 'calendar' };
  return { ok: true, value: `${y}-${pad(m)}-${pad(d)}` };
}

/** "must be written dd/mm/yyyy, for example 31/01/2026": the sentence's tail for a date that does not parse. */
export function dateFormatProblem(reason: 'format' | 'calendar', text: string, setting: DateFormatSetting): string {
  return reason === 'calendar'
    ? `${text.trim()} is not a date in the calendar`
    : `must be written ${dateHint(setting)}, for example ${formatDate('2026-01-31', setting)}`;
}

/** A time typed as "7:05", "07:05" or "07.05"; null when it is not one. */
export function parseTime(text: string): string | null {
  const m = /^(\d{1,2})[:.](\d{2})$/.exec(text.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h <= 23 && min <= 59 ? `${pad(h)}:${pad(min)}` : null;
}
