import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Head } from './chain';
import type { LogCheckpoint } from './check';
import type { AnchorKey, KeyRing } from './key';

/**
 * The last position of the trail a full check found sound (`<data folder>/audit-verified.json`,
 * signed): a later start (issue 17's incremental check) verifies only the entries after it, having
 * confirmed that the entry at this position still has this hash. It also holds how far the head
 * log was checked (`log`), so a start checks only the lines written since.
 */
export const VERIFIED_FILE = 'audit-verified.json';

export interface VerifiedPosition extends Head {
  at: string;
  /** When the deep check (quick_check and the whole trail re-hashed) last passed; absent before the first. */
  deepAt?: string;
  /** How far the head log was checked, and what the next check goes on from; absent when it was not (a power cut part-way through its last line). */
  log?: LogCheckpoint;
}

const head = z.object({ chain: z.string(), seq: z.number().int(), hash: z.string() });
const checkpoint: z.ZodType<LogCheckpoint> = z.object({
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  lines: z.number().int().nonnegative(),
  chain: z.string(),
  heads: z.number().int().nonnegative(),
  unsigned: z.number().int().nonnegative(),
  foreign: z.number().int().nonnegative(),
  abandoned: z.number().int().nonnegative(),
  signers: z.array(z.string()),
  foreignSigners: z.array(z.string()),
  parents: z.array(z.object({ chain: z.string(), base: head })),
  lastRestoreChain: z.string().nullable(),
  lastChain: z.string().nullable(),
  tops: z.array(head.extend({ at: z.string() })),
  coveredTo: z.number().int().nonnegative(),
  adopted: z.number().int().nonnegative(),
  lastAdopted: z.array(z.object({ from: z.number().int(), seq: z.number().int(), at: z.string() })),
});

export function recordVerifiedPosition(
  dataDir: string,
  at: Head,
  key: AnchorKey | null,
  now: Date = new Date(),
  deepAt?: string,
  log?: LogCheckpoint | null,
): void {
  const unsigned: VerifiedPosition = { chain: at.chain, seq: at.seq, hash: at.hash, at: now.toISOString(), ...(deepAt ? { deepAt } : {}), ...(log ? { log } : {}) };
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
    const unsigned: VerifiedPosition = {
      chain: v.chain,
      seq: v.seq,
      hash: v.hash,
      at: v.at,
      ...(typeof v.deepAt === 'string' ? { deepAt: v.deepAt } : {}),
      ...(v.log !== undefined ? { log: v.log } : {}),
    };
    if (!key || !v.mac || !key.verify(unsigned, v.mac)) return null;
    // Signed by this folder's key, so written by Wardkeep: a checkpoint of another shape is an older one's, not used.
    const log = checkpoint.safeParse(v.log);
    const { log: _log, ...position } = unsigned;
    return log.success ? { ...position, log: log.data } : position;
  } catch {
    return null;
  }
}
