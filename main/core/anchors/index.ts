import type { Database } from 'better-sqlite3';
import type { Core } from '../context';
import { onCommit } from '../dispatcher/transaction';
import type { KeyProtector } from '../ports';
import { fileKeyProtector } from '../ports';
import type { Head } from './chain';
import { chainId, chainLineage, currentHead, entryHash } from './chain';
import type { HeadLine } from './head-log';
import { appendHeadLine, coveredOfChain, ensureHeadLog } from './head-log';
import type { KeyRing, RingMaterial } from './key';
import { loadKeyRing, ringFromSecret } from './key';
import type { ReadRun } from './runs';
import { endRun, readRuns, runExplains, runOver, startRun } from './runs';

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
  /**
   * This process's run marker (anchors/runs.ts), removed when the database is closed properly;
   * null in the worker thread, or where it could not be written.
   */
  run: ReadRun | null;
  /** A head this process could not record: its run marker then stays at close, so the next start takes those entries on. */
  missed: boolean;
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
    anchors.missed = true;
    // The write itself has committed: it stays. The head is simply not anchored; the check says so.
    anchors.problem = `The head log could not be written (${(err as { code?: string }).code ?? (err as Error).message}).`;
  }
}

/**
 * Loads (or makes) the key, records that this process has the database open (its run marker,
 * removed when the database is closed properly), takes on entries no head covers yet when a run
 * that did not close explains them (a commit a crash cut off before its head was recorded) or no
 * head names the chain at all (an older Wardkeep), and records a head after every commit from now on.
 */
export function attachAnchors(core: Core, protectors: readonly KeyProtector[] = [fileKeyProtector], options: { secret?: Buffer; keys?: RingMaterial } = {}): Anchors {
  const existing = attached.get(core.db);
  if (existing) return existing;
  const ring = options.secret ? ringFromSecret(options.secret, options.keys) : loadKeyRing(core.dataDir, protectors);
  const anchors: Anchors = { dataDir: core.dataDir, ring, problem: null, run: null, missed: false };
  attached.set(core.db, anchors);
  // The worker thread signs (backups, a restore's line) with the main thread's key; its commits are announced
  // to the main thread, whose listener records their heads.
  if (options.secret) return anchors;
  try {
    ensureHeadLog(anchors.dataDir);
  } catch (err) {
    anchors.problem = `The head log could not be made (${(err as { code?: string }).code ?? (err as Error).message}).`;
  }
  startRunOf(core, anchors);
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

/**
 * Writes this process's run marker, and removes it when the database is closed properly: by the
 * core's close, the app's shutdown or a command's end (every one closes the connection). A run
 * that could not record a head keeps its marker, so the next start takes those entries on.
 */
function startRunOf(core: Core, anchors: Anchors): void {
  try {
    const head = currentHead(core.db);
    anchors.run = startRun(anchors.dataDir, core.db, { chain: chainId(core.db), seq: head?.seq ?? 0 }, anchors.ring.signing);
  } catch (err) {
    // A read-only folder or a full disk: no head can be recorded either, and the check says so.
    anchors.problem ??= `The data folder could not be written (${(err as { code?: string }).code ?? (err as Error).message}).`;
    return;
  }
  const db = core.db;
  const close = db.close.bind(db);
  db.close = () => {
    close();
    if (anchors.run && !anchors.missed) endRun(anchors.run);
    return db;
  };
}

/**
 * Entries no head covers at start are taken on (an `adopt` line) only when something honest
 * explains them: a run that did not close properly and began before them (a crash between a
 * commit and its head line, a power cut), or a chain no head names yet (written by a Wardkeep
 * from before the anchors). Otherwise they were written while every Wardkeep was closed: they stay
 * uncovered, and the start-up check and `wardkeep verify` name them. Markers of runs that are over
 * are removed after (their entries, if any, are taken on by then).
 */
function adoptTail(core: Core, anchors: Anchors): void {
  const head = currentHead(core.db);
  const runs = readRuns(anchors.dataDir, anchors.ring);
  const over = runs.filter((r) => r.id !== anchors.run?.id && runOver(r));
  if (head) {
    // Read from the log's end only: this runs before the window opens, and the log grows by a line per commit.
    const covered = coveredOfChain(anchors.dataDir, head.chain);
    const lineage = covered === null || head.seq <= covered ? [] : chainLineage(core.db);
    if (head.seq > (covered ?? 0) && (covered === null || runExplains(runs, head.chain, covered + 1, (c) => lineage.includes(c)))) {
      record(anchors, { kind: 'adopt', chain: head.chain, seq: head.seq, hash: head.hash, from: (covered ?? 0) + 1, at: new Date().toISOString() });
    }
  }
  if (anchors.problem === null) for (const r of over) endRun(r);
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
