import type { z } from 'zod';
import { issueProblems } from '../../../shared/validation';
import type { AppErrorValue } from '../../../shared/result';
import { AppError } from '../errors';

/** Turns the first schema problem into a sentence naming the field, e.g. "Asset tag is required." */
export function schemaError(error: z.ZodError): AppErrorValue {
  // The renderer's forms word their own checks with the same function: one sentence either way.
  const details = issueProblems(error.issues);
  const first = details[0] ?? { message: 'The input is not valid.' };
  const value: AppErrorValue = { code: 'invalid_input', message: first.message };
  if (first.field) value.field = first.field;
  if (details.length > 1) value.details = details;
  return value;
}

/** SQLite failures a user can do something about get a plain sentence; the rest are internal. */
export function storageError(err: unknown): AppErrorValue | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (code === 'SQLITE_FULL') {
    return { code: 'storage', message: 'The disk is full, so nothing was saved. Free some space on this PC and try again.' };
  }
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY')) {
    return { code: 'storage', message: "The database is read-only, so nothing was saved. Check the data folder's permissions." };
  }
  // The database file or its -wal/-shm cannot be opened or made: a data folder that is read-only (a
  // share IT made read-only) or that this account may not use.
  if (code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_CANTOPEN_')) {
    return { code: 'storage', message: "The database cannot be opened: the data folder is read-only or this account may not use it, so nothing was saved. Check the data folder's permissions." };
  }
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY')) {
    return { code: 'storage', message: 'The database is busy with another program, so nothing was saved. Try again in a moment.' };
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return { code: 'storage', message: 'The disk could not be written, so nothing was saved. Check the disk and try again.' };
  }
  return null;
}

/** What the caller is told of a failure it can act on; null for an internal one (logged, never shown). */
export function errorValue(err: unknown): AppErrorValue | null {
  if (err instanceof AppError) return err.toValue();
  return storageError(err);
}
