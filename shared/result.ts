/**
 * Errors cross the IPC boundary as values, never as thrown exceptions or stack traces.
 * Codes are stable: the UI and other callers branch on them.
 */
export type ErrorCode =
  | 'invalid_input' // the input failed its schema or a domain rule; `field` names the culprit
  | 'not_found'
  | 'conflict' // e.g. a duplicate asset tag
  | 'unauthenticated' // nobody is signed in
  | 'forbidden' // signed in, but the role does not allow this
  | 'locked' // account locked after too many wrong PINs
  | 'storage' // the database could not write (disk full, read-only)
  | 'internal';

export interface AppErrorValue {
  code: ErrorCode;
  message: string;
  /** Dotted path of the input field the error belongs to, when there is one. */
  field?: string;
  /** Further problems, e.g. every invalid row of an import. */
  details?: { message: string; field?: string; row?: number }[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorValue };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (error: AppErrorValue): Result<never> => ({ ok: false, error });
