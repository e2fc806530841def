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

export const isoDate = z
  .string()
  .trim()
  .refine(isIsoDate, { message: 'must be a date written YYYY-MM-DD' });

/** A NUL character (pasted from elsewhere): the hospital's hub cannot store one, so no text field takes it. */
export const noNul = (s: string) => !s.includes('\u0000');
export const NUL_MESSAGE = { message: 'must not hold a NUL character (pasted from elsewhere?)' };

/** An optional text field: blank becomes null so the database never stores "". */
export const optionalText = (max: number) =>
  z
    .string()
    .max(max, { message: `must be at most ${max} characters` })
    .refine(noNul, NUL_MESSAGE)
    .transform((s) => s.trim())
    .transform((s) => (s === '' ? null : s))
    .nullable()
    .optional()
    .transform((s) => s ?? null);

export const requiredText = (max: number) =>
  z
    .string({ message: 'is required' })
    .max(max, { message: `must be at most ${max} characters` })
    .refine(noNul, NUL_MESSAGE)
    .transform((s) => s.trim())
    .refine((s) => s.length > 0, { message: 'is required' });

export const optionalDate = isoDate
  .or(z.literal(''))
  .nullable()
  .optional()
  .transform((s) => (s === '' || s === undefined ? null : s));

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
