import { createHash, createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * One-time enrolment codes. An administrator makes one at the hub for a named PC; the PC proves it
 * holds the code without sending it, bound to the hub certificate it sees, and the hub proves it
 * holds it too. So someone in the middle who shows the PC another certificate learns nothing it can
 * use, and the PC refuses a hub that cannot answer for the code. Codes are 16 characters of
 * Crockford's base32 (80 bits), shown in groups of four; typing O for 0 or I/L for 1 is forgiven.
 */

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newEnrolCode(): string {
  let code = '';
  for (let i = 0; i < 16; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code.match(/.{4}/g)!.join('-');
}

/** The code as typed, folded to its canonical form, or null when it cannot be one. */
export function normaliseCode(typed: string): string | null {
  const s = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return /^[0-9A-HJKMNP-TV-Z]{16}$/.test(s) ? s : null;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function codeId(code: string): string {
  return sha256(`wardkeep-enrol-id:${code}`).slice(0, 32);
}

/** What the hub keeps of a code: enough to check proofs, not the code itself. */
export function codeKey(code: string): string {
  return sha256(`wardkeep-enrol-key:${code}`);
}

export interface ProofFacts {
  fingerprint: string;
  publicKey: string;
  pcId: string;
  replica: string;
}

export function enrolProof(key: string, side: 'pc' | 'hub', f: ProofFacts): string {
  return createHmac('sha256', key).update([side, f.fingerprint, f.publicKey, f.pcId, f.replica].join('\n')).digest('hex');
}

export function proofsMatch(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
