import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Head } from './chain';
import type { AnchorKey, KeyRing } from './key';

/**
 * The last position of the trail a full check found sound (`<data folder>/audit-verified.json`,
 * signed): a later start (issue 17's incremental check) verifies only the entries after it, having
 * confirmed that the entry at this position still has this hash.
 */
export const VERIFIED_FILE = 'audit-verified.json';

export interface VerifiedPosition extends Head {
  at: string;
  /** When the deep check (quick_check and the whole trail re-hashed) last passed; absent before the first. */
  deepAt?: string;
}

export function recordVerifiedPosition(dataDir: string, head: Head, key: AnchorKey | null, now: Date = new Date(), deepAt?: string): void {
  const unsigned: VerifiedPosition = { chain: head.chain, seq: head.seq, hash: head.hash, at: now.toISOString(), ...(deepAt ? { deepAt } : {}) };
  const file = path.join(dataDir, VERIFIED_FILE);
  const temp = `${file}.tmp-${process.pid}`;
  writeFileSync(temp, JSON.stringify({ ...unsigned, key: key?.id ?? null, mac: key ? key.sign(unsigned) : null }, null, 2));
  renameSync(temp, file);
}

/** The last verified position, or null when there is none or its signature does not hold with a key this process has. */
export function lastVerifiedPosition(dataDir: string, ring: KeyRing): VerifiedPosition | null {
  try {
    const v = JSON.parse(readFileSync(path.join(dataDir, VERIFIED_FILE), 'utf8')) as VerifiedPosition & { key: string | null; mac: string | null };
    const key = v.key ? ring.known.get(v.key) : undefined;
    const unsigned: VerifiedPosition = { chain: v.chain, seq: v.seq, hash: v.hash, at: v.at, ...(typeof v.deepAt === 'string' ? { deepAt: v.deepAt } : {}) };
    if (!key || !v.mac || !key.verify(unsigned, v.mac)) return null;
    return unsigned;
  } catch {
    return null;
  }
}
