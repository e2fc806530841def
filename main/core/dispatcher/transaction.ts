import type { Database } from 'better-sqlite3';
import type { Actor, Core } from '../context';
import { systemActor } from '../context';
import { chainId } from '../anchors/chain';
import { query } from '../sql/query';
import type { CountRow } from '../sql/rows';

/**
 * One committed write, as the rest of the app may learn of it: what asked for it, who, and the
 * audit entries it appended (every write appends at least one, in the same transaction), which say
 * what changed. A sync engine reads the entries in `audit` to know what to send.
 */
export interface Commit {
  /** The channel (`equipment.create`), or the job or command that wrote (`cli:import plans`). */
  origin: string;
  actor: Actor;
  /** The audit entries the write appended to this database's own chain (anchors/chain.ts), by sequence number; null when it appended none. */
  audit: { from: number; to: number } | null;
  /** The whole database was replaced (a restore): nothing before it can be trusted to be the same. */
  replaced?: true;
}

export type CommitListener = (commit: Commit) => void;

/** Listeners per connection: a worker's connection has its own, the main connection its own. */
const listeners = new WeakMap<Database, Set<CommitListener>>();

/**
 * Calls `listener` after every transaction committed on this core's connection (and every
 * commit a worker reports for it). Returns the function that stops it.
 */
export function onCommit(core: Pick<Core, 'db'>, listener: CommitListener): () => void {
  let set = listeners.get(core.db);
  if (!set) listeners.set(core.db, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

/** Tells this core's listeners of a commit made elsewhere (a worker's connection, a restore). */
export function announceCommit(core: Pick<Core, 'db'>, commit: Commit): void {
  for (const l of listeners.get(core.db) ?? []) l(commit);
}

const headOf = query<CountRow, { chain: string }>('SELECT coalesce(max(seq), 0) AS n FROM audit_log WHERE chain_id = @chain');
const firstOf = query<CountRow, { chain: string }>('SELECT coalesce(min(seq), 0) AS n FROM audit_log WHERE chain_id = @chain');
/** This database's own chain and its newest entry: entries of other chains (other PCs', arriving from a hub) are not this PC's writes. */
const auditHead = (db: Database): { chain: string; seq: number } => {
  const chain = chainId(db);
  return { chain, seq: headOf.get({ db }, { chain })?.n ?? 0 };
};

/** What each outermost transaction on a connection does first (atEveryWrite). */
const firsts = new WeakMap<Database, () => void>();

/**
 * Runs `first` at the start of every outermost transaction on this connection, inside it, before
 * its work: openCore makes the sync capture's triggers there once capture is on (sync/capture.ts).
 * Inside the transaction, so no other connection can turn capture on between the look and the write.
 */
export function atEveryWrite(db: Database, first: () => void): void {
  firsts.set(db, first);
}

export interface TransactionOrigin {
  origin: string;
  actor: Actor;
}

const SYSTEM: TransactionOrigin = { origin: 'system', actor: systemActor };

/**
 * THE way anything writes: `fn` runs as one IMMEDIATE transaction, which takes the write lock up
 * front (so two processes wait for each other instead of failing mid-way) and commits only if
 * `fn` returns. Nested calls join the outer transaction (better-sqlite3 makes them savepoints).
 * After the outermost commit, the connection's commit listeners hear of it.
 *
 * Called by the dispatcher for every `writes: true` channel, by the worker for its jobs, and by
 * the command line and the shell for their own writes; never by a handler or a service (ESLint
 * refuses the import there).
 */
export function inTransaction<C extends Pick<Core, 'db'>, T>(
  core: C,
  fn: (core: C & { readonly writable: true }) => T,
  origin: TransactionOrigin = SYSTEM,
): T {
  const db = core.db;
  const writable = { ...core, writable: true as const };
  if (db.inTransaction) return db.transaction(() => fn(writable))();
  let from = 0;
  const result = db
    .transaction(() => {
      firsts.get(db)?.();
      const before = auditHead(db);
      const value = fn(writable);
      if (value instanceof Promise) throw new Error('A transaction cannot wait: do the asynchronous work before it.');
      const after = auditHead(db);
      // A write that started a new chain (a restore's copy, a fork found by the sync) reports the new chain's entries.
      from = after.chain === before.chain ? before.seq + 1 : (firstOf.get({ db }, { chain: after.chain })?.n ?? 1);
      return { value, to: after.seq };
    })
    .immediate();
  if (listeners.get(db)?.size) {
    announceCommit(core, {
      origin: origin.origin,
      actor: origin.actor,
      audit: result.to >= from && result.to > 0 ? { from, to: result.to } : null,
    });
  }
  return result.value;
}
