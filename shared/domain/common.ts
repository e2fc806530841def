import { z } from 'zod';

/** A calendar date with no time and no zone, as SQLite stores it: `YYYY-MM-DD`. */
export type IsoDate = string & { readonly __isoDate?: never };

export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // A day that exists in the calendar (date-fns' parser gave the same answer, at the cost of
  // bringing its whole parser into the renderer's first chunk).
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

const DATE_MESSAGE = { message: 'must be a date written YYYY-MM-DD' };

export const isoDate = z.string().trim().refine(isIsoDate, DATE_MESSAGE);

/** A NUL character (pasted from elsewhere): the hospital's hub cannot store one, so no text field takes it. */
export const noNul = (s: string) => !s.includes('\u0000');
export const NUL_MESSAGE = { message: 'must not hold a NUL character (pasted from elsewhere?)' };

/** Trimmed, and null when blank or absent. */
const trimmedOrNull = (s: string | null | undefined): string | null => {
  if (s == null) return null;
  const t = s.trim();
  return t === '' ? null : t;
};

/**
 * An optional text field: blank becomes null so the database never stores "". Trimmed and made
 * null in one step at the end, not a transform each: every answer and refusal is the same
 * (test/unit/core/field-schemas.test.ts), in about half the time. A 50,000-row import checks
 * fourteen fields a row (issue 17).
 */
export const optionalText = (max: number) =>
  z
    .string()
    .max(max, { message: `must be at most ${max} characters` })
    .refine(noNul, NUL_MESSAGE)
    .nullable()
    .optional()
    .transform(trimmedOrNull);

export const requiredText = (max: number) =>
  z
    .string({ message: 'is required' })
    .max(max, { message: `must be at most ${max} characters` })
    .refine(noNul, NUL_MESSAGE)
    .transform((s) => s.trim())
    .refine((s) => s.length > 0, { message: 'is required' });

/**
 * An optional date: a date as `isoDate` takes it, or "" (none). One string read and one check,
 * not a union of the two: the same answers and refusals, but a value that is not text at all is
 * now refused as such ("expected string") rather than as "Invalid input"
 * (test/unit/core/field-schemas.test.ts).
 */
export const optionalDate = z
  .string()
  .refine((s) => s === '' || isIsoDate(s.trim()), DATE_MESSAGE)
  .nullable()
  .optional()
  .transform(trimmedOrNull);

/** Row ids are UUIDv7 strings generated in main. */
export const id = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, {
  message: 'is not a valid id',
});

/** Least to most: ward staff (nurses, healthcare assistants) report faults; technicians do the work. */
export const ROLES = ['ward_staff', 'technician', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Case- and width-folded form of a name, for uniqueness checks that ignore case. */
export function nameKey(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Letters NFKD leaves whole that read as plain ones ("Øyvind" beside "Oscar", "Łukasz" beside "Lucy"). */
const PLAIN_LETTERS: Readonly<Record<string, string>> = { ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', đ: 'd', ð: 'd', ł: 'l', þ: 'th', ı: 'i', ħ: 'h' };
const NOT_DECOMPOSED = /[øæœßđðłþıħ]/g;
const MARKS = /\p{M}+/gu;
const ASCII = /^[\x00-\x7f]*$/;

/** Whether every character of the text is ASCII (the common case, which the folds and sorts take a shortcut for). */
export function isPlainAscii(text: string): boolean {
  return ASCII.test(text);
}

/**
 * Where a name sorts: as a person reads a list, case, accents and width aside, so "Élodie" and
 * "émile" come with "Eve", before "Zoe" (SQLite's NOCASE, and a plain compare of `nameKey`, put
 * them after "z"). It is the same on every PC, whatever its locale, so a list printed on two PCs is
 * in one order. Lists that sort in SQL call it as `name_sort(…)` (registered on every connection,
 * db/open.ts); ties are broken by the name as written, or by a tag or code.
 */
export function sortKey(name: string): string {
  // Most names are plain ASCII: lower-cased only (a list of 50,000 devices sorts by it in SQL).
  if (isPlainAscii(name)) return name.toLowerCase();
  return name
    .normalize('NFKD')
    .replace(MARKS, '')
    .toLowerCase()
    .replace(NOT_DECOMPOSED, (c) => PLAIN_LETTERS[c] ?? c);
}
