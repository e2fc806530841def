import type { Database } from 'better-sqlite3';
import type { Core } from '../context';
import { onCommit } from '../dispatcher/transaction';
import type { KeyProtector } from '../ports';
import { fileKeyProtector } from '../ports';
import type { Head } from './chain';
import { chainId, currentHead, entryHash } from './chain';
import type { HeadLine } from './head-log';
import { appendHeadLine, coveredOfChain, ensureHeadLog } from './head-log';
import type { KeyRing, RingMaterial } from './key';
import { loadKeyRing, ringFromSecret } from './key';

/**
 * The anchors of a core's database (issue 13, item 3), attached when the core is opened: the key
 * ring, and the head log written after every commit that added audit entries (the dispatcher's,
 * a worker's reported to it, the command line's). See docs/security.md for what each protects.
 */
export interface Anchors {
  dataDir: string;
  ring: KeyRing;
  /** Why the last head could not be recorded (a read-only folder, a full disk); null while all is well. */
  problem: string | null;
}

const attached = new WeakMap<Database, Anchors>();

export function anchorsOf(core: Pick<Core, 'db'>): Anchors | null {
  return attached.get(core.db) ?? null;
}

function record(anchors: Anchors, line: Omit<HeadLine, 'v' | 'key' | 'mac'>): void {
  try {
    appendHeadLine(anchors.dataDir, line, anchors.ring.signing);
    anchors.problem = null;
  } catch (err) {
    // The write itself has committed: it stays. The head is simply not anchored; the check says so.
    anchors.problem = `The head log could not be written (${(err as { code?: string }).code ?? (err as Error).message}).`;
  }
}

/**
 * Loads (or makes) the key, takes on entries no head covers yet (written by an older Wardkeep, an
 * upgrade, or a commit a crash cut off before its head was recorded), and records a head after
 * every commit from now on.
 */
export function attachAnchors(core: Core, protectors: readonly KeyProtector[] = [fileKeyProtector], options: { secret?: Buffer; keys?: RingMaterial } = {}): Anchors {
  const existing = attached.get(core.db);
  if (existing) return existing;
  const ring = options.secret ? ringFromSecret(options.secret, options.keys) : loadKeyRing(core.dataDir, protectors);
  const anchors: Anchors = { dataDir: core.dataDir, ring, problem: null };
  attached.set(core.db, anchors);
  // The worker thread signs (backups, a restore's line) with the main thread's key; its commits are announced
  // to the main thread, whose listener records their heads.
  if (options.secret) return anchors;
  try {
    ensureHeadLog(anchors.dataDir);
  } catch (err) {
    anchors.problem = `The head log could not be made (${(err as { code?: string }).code ?? (err as Error).message}).`;
  }
  adoptTail(core, anchors);
  onCommit(core, (commit) => {
    if (!commit.audit) return;
    const chain = chainId(core.db);
    const hash = entryHash(core.db, chain, commit.audit.to);
    if (hash === null) return;
    record(anchors, { kind: 'head', chain, seq: commit.audit.to, hash, from: commit.audit.from, at: new Date().toISOString() });
  });
  return anchors;
}

function adoptTail(core: Core, anchors: Anchors): void {
  const head = currentHead(core.db);
  if (!head) return;
  // Read from the log's end only: this runs before the window opens, and the log grows by a line per commit.
  const covered = coveredOfChain(anchors.dataDir, head.chain) ?? 0;
  if (head.seq > covered) record(anchors, { kind: 'adopt', chain: head.chain, seq: head.seq, hash: head.hash, from: covered + 1, at: new Date().toISOString() });
}

/**
 * After a restore has put a backup in place (its new chain's first entry, the restore's own, is the
 * head now): the line that tells every later check the database went back to `base` on purpose.
 */
export function recordRestore(core: Core, base: Head | null, backup: string): void {
  const anchors = anchorsOf(core);
  const head = currentHead(core.db);
  if (!anchors || !head) return;
  record(anchors, { kind: 'restore', chain: head.chain, seq: head.seq, hash: head.hash, from: (base?.seq ?? head.seq - 1) + 1, base, backup, at: new Date().toISOString() });
}

/**
 * After a sync found this database was copied back by hand over a newer one and moved what it wrote
 * since onto a new chain (sync/replica.ts): the line that tells later checks it continues from `base`.
 */
export function recordBranch(core: Core, base: Head | null, what: string): void {
  const anchors = anchorsOf(core);
  const head = currentHead(core.db);
  if (!anchors || !head) return;
  record(anchors, { kind: 'branch', chain: head.chain, seq: head.seq, hash: head.hash, from: (base?.seq ?? 0) + 1, base, backup: what, at: new Date().toISOString() });
}
