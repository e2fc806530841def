import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Head } from './chain';
import type { LogCheckpoint } from './check';
import type { AnchorKey, KeyRing } from './key';

/**
 * The last position of the trail a full check found sound, signed: a later start (issue 17's
 * incremental check) verifies only the entries after it, having confirmed that the entry at this
 * position still has this hash. It also holds how far the head log was checked (`log`), so a
 * start checks only the lines written since.
 *
 * One file per key (`<data folder>/audit-verified-<key id>.json`): the data folder is shared by
 * every account on the PC, and each account's key is its own (wrapped by its safeStorage), so a
 * position one account signed cannot be checked by another. In one file, each start by another
 * account than the last found a position it could not check, and ran the deep check (every page,
 * the whole trail) as on a first start.
 */
export const VERIFIED_FILE_PREFIX = 'audit-verified';

/** The one file every account shared before (Wardkeep of 2 December 2026 and earlier): still read, never written. */
export const LEGACY_VERIFIED_FILE = `${VERIFIED_FILE_PREFIX}.json`;

/** The file of the position `keyId` signs. */
export function verifiedFile(dataDir: string, keyId: string): string {
  return path.join(dataDir, `${VERIFIED_FILE_PREFIX}-${keyId}.json`);
}

/** Every position file in the data folder, whoever signed it (the files no output may be written over). */
export function verifiedFiles(dataDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dataDir);
  } catch {
    return [];
  }
  return names.filter((n) => n === LEGACY_VERIFIED_FILE || /^audit-verified-[0-9a-f]+\.json$/.test(n)).map((n) => path.join(dataDir, n));
}

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

/** Records the position, signed with `key`, in that key's own file. */
export function recordVerifiedPosition(dataDir: string, at: Head, key: AnchorKey, now: Date = new Date(), deepAt?: string, log?: LogCheckpoint | null): void {
  const unsigned: VerifiedPosition = { chain: at.chain, seq: at.seq, hash: at.hash, at: now.toISOString(), ...(deepAt ? { deepAt } : {}), ...(log ? { log } : {}) };
  const file = verifiedFile(dataDir, key.id);
  const temp = `${file}.tmp-${process.pid}`;
  writeFileSync(temp, JSON.stringify({ ...unsigned, key: key.id, mac: key.sign(unsigned) }, null, 2));
  renameSync(temp, file);
}

/**
 * The newest position signed by a key this process holds (its account's own, or the command
 * line's file key), or null when there is none. A file whose signature does not hold, or signed
 * by another account's key, is not used.
 */
export function lastVerifiedPosition(dataDir: string, ring: KeyRing): VerifiedPosition | null {
  const files = [path.join(dataDir, LEGACY_VERIFIED_FILE), ...[...ring.known.keys()].map((id) => verifiedFile(dataDir, id))];
  let newest: VerifiedPosition | null = null;
  for (const file of files) {
    const position = readPosition(file, ring);
    if (position && (!newest || position.at > newest.at)) newest = position;
  }
  return newest;
}

function readPosition(file: string, ring: KeyRing): VerifiedPosition | null {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as VerifiedPosition & { key: string | null; mac: string | null };
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
