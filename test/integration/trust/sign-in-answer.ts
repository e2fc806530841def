import type { Result } from '../../../shared/result';

/**
 * What a sign-in attempt came to: `tried` (the PIN was hashed and did not match, including the
 * attempt that reached the limit and locked the account), `refused` (the account was already
 * locked: nothing hashed), `ok`, or another error code.
 */
export function answer(r: Result<unknown>): string {
  if (r.ok) return 'ok';
  if (r.error.code === 'invalid_input' && /^Wrong PIN/.test(r.error.message)) return 'tried';
  if (r.error.code === 'locked') return /^Wrong PIN or password \d+ times/.test(r.error.message) ? 'tried' : 'refused';
  return r.error.code;
}
