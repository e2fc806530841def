import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * PINs and passwords are stored only as salted scrypt hashes: `scrypt$N$r$p$salt$hash` (base64).
 * The parameters travel with the hash so they can be raised later without breaking old ones: a
 * hash made with less than today's cost is made again at its owner's next successful sign-in.
 * N = 2^17, r = 8, p = 1: the OWASP minimum for scrypt (issue 13, item 7), 128 MiB a hash.
 */
export const HASH_COST = { N: 1 << 17, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
/** Hashes claiming more cost than this are refused unread: a tampered row must not make sign-in take a gigabyte. */
const MAX_N = 1 << 18;

let cost: { N: number; r: number; p: number } = { ...HASH_COST };

/**
 * For the test suites only (test/helpers/hash-cost.ts): hundreds of sign-ins at 2^17 would take
 * minutes on a CI machine. The app and the command line never call it; a unit test checks the
 * real cost.
 */
export function useHashCostForTests(n: number): void {
  cost = { ...HASH_COST, N: n };
}

export function currentHashCost(): { N: number; r: number; p: number } {
  return { ...cost };
}

function derive(secret: string, salt: Buffer, n: number, r: number, p: number, keyLength: number): Promise<Buffer> {
  // Node refuses to use more than `maxmem` (32 MiB by default); scrypt needs 128·N·r bytes.
  const maxmem = 128 * n * r + 16 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(secret.normalize('NFKC'), salt, keyLength, { N: n, r, p, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashSecret(secret: string): Promise<string> {
  const { N, r, p } = cost;
  const salt = randomBytes(16);
  const key = await derive(secret, salt, N, r, p, KEY_LENGTH);
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/**
 * A password someone else chose for the user (an administrator adding them, users.create) is
 * temporary, like a temporary PIN: its hash is stored marked, `temporary$scrypt$…`. The mark
 * travels with the hash (a hospital's PCs sync the hash as it is), so every PC knows the password
 * for what it is. Unmarked hashes are the user's own (the first administrator's password).
 */
export const TEMPORARY_MARK = 'temporary$';

/** The stored form of a password someone else chose for the user. */
export function markTemporary(hash: string): string {
  return hash.startsWith(TEMPORARY_MARK) ? hash : TEMPORARY_MARK + hash;
}

/** Whether a stored password hash is of a password someone else chose (see markTemporary). */
export function isTemporaryHash(stored: string | null): boolean {
  return stored !== null && stored.startsWith(TEMPORARY_MARK);
}

function parse(stored: string): { n: number; r: number; p: number; salt: Buffer; expected: Buffer } | null {
  const parts = (isTemporaryHash(stored) ? stored.slice(TEMPORARY_MARK.length) : stored).split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![n, r, p].every((x) => Number.isInteger(x) && x > 0) || n > MAX_N || r > 32 || p > 16) return null;
  const expected = Buffer.from(parts[5]!, 'base64');
  if (expected.length < 16) return null;
  return { n, r, p, salt: Buffer.from(parts[4]!, 'base64'), expected };
}

/** Constant-time comparison; a malformed stored hash never matches. */
export async function verifySecret(secret: string, stored: string | null): Promise<boolean> {
  if (!stored) return false;
  const h = parse(stored);
  if (!h) return false;
  const actual = await derive(secret, h.salt, h.n, h.r, h.p, h.expected.length);
  return timingSafeEqual(actual, h.expected);
}

/** Whether a stored hash was made with less than today's cost, and should be made again. */
export function needsRehash(stored: string | null): boolean {
  if (!stored) return false;
  const h = parse(stored);
  return h !== null && (h.n < cost.N || h.r < cost.r || h.p < cost.p);
}
