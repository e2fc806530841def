import { hash as oneShotHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { isoInstant } from './clock';
import type { Actor, WriteCore } from './context';
import { chainBranch, chainHoldingEntry, chainId } from './anchors/chain';
import { CheckStoppedError } from './errors';
import { uuidv7 } from './ids';
import { builtQuery, builtTuples, positionalCommand, query, scalar } from './sql/query';
import type { AuditRow } from './sql/rows';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level, so the same value always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (flatInOrder(value)) return JSON.stringify(value);
  const sorted = sortedPlainCopy(value);
  return sorted === null ? JSON.stringify(sortKeys(value)) : JSON.stringify(sorted);
}

/** The value as a plain object (an object literal, a row), or null for anything else (an array, a Date, a class instance). */
function plainRecord(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype
    ? (value as Record<string, unknown>)
    : null;
}

/**
 * The common case, a plain object of strings, numbers, booleans, nulls and plain objects of
 * those (a row), copied with its keys in sorted order, for one JSON.stringify to write: the same
 * text sortKeys's copy gives (issue 17: one native call per entry instead of one per key and value,
 * test/unit/core/canonical-json.test.ts compares the two). Null for anything else (an array, a
 * Date, a class instance: sortKeys then does it).
 */
const INDEX_KEY = /^(?:0|[1-9][0-9]*)$/;

function sortedPlainCopy(value: unknown): Record<string, unknown> | null {
  const record = plainRecord(value);
  if (record === null) return null;
  const keys = Object.keys(record).sort();
  const copy: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const v = record[key];
    if (v === undefined) continue; // JSON.stringify leaves such a key out
    if (key === '__proto__') return null; // sortKeys's copy cannot hold it as a key
    // An index-like key ("9", "10") comes first in any object's own order, in number order: the sorted copy writes it so.
    if (INDEX_KEY.test(key) && Number(key) < 2 ** 32 - 1) return null;
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') copy[key] = v;
    else {
      const nested = sortedPlainCopy(v); // a nested plain object (a record's details), else null
      if (nested === null) return null;
      copy[key] = nested;
    }
  }
  return copy;
}

/**
 * A plain object of strings, numbers, booleans and nulls whose keys are already in sorted order
 * (an entry's object written so, as a device's in an import is): JSON.stringify writes it as it
 * is, with no sorted copy (issue 17: about 45 ms of a 50,000-row import). Index-like keys ("9",
 * "10") come first in any object's own order, in number order: when that is not also their sorted
 * order, the keys are not in order and the copy writes them. A `__proto__` key, which the copy
 * cannot hold, and anything nested are left to the copy. An undefined value is left out by
 * JSON.stringify, as by the copy.
 */
function flatInOrder(value: unknown): boolean {
  const record = plainRecord(value);
  if (record === null) return false;
  const keys = Object.keys(record);
  let before = '';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (i > 0 && !(before < key)) return false;
    if (key === '__proto__') return false;
    const v = record[key];
    if (v !== null && v !== undefined && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return false;
    before = key;
  }
  return true;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** The entry's hash: every field but the chain it belongs to (a relabelled branch keeps its hashes; the seq and pc_id are hashed). */
export function hashEntry(row: Omit<AuditRow, 'hash' | 'chain_id'>): string {
  const fields = [
    row.seq,
    row.id,
    row.at,
    row.actor_user_id,
    row.actor_name,
    row.via,
    row.pc_id,
    row.action,
    row.entity,
    row.entity_id,
    row.old_value,
    row.new_value,
    row.prev_hash,
  ];
  // Every field is a string, a number or null: JSON.stringify writes the array as canonicalJson does.
  return oneShotHash('sha256', JSON.stringify(fields), 'hex');
}

export interface AuditEntry {
  action: string;
  entity: string;
  entityId: string | null;
  old?: unknown;
  new?: unknown;
}

/**
 * The columns an update changes, as the audit trail records them: their values before and after.
 * Null when nothing changes (the update is then skipped, and nothing is audited).
 */
export function changedColumns(before: object, next: Record<string, unknown>): { old: Record<string, unknown>; new: Record<string, unknown> } | null {
  const was = before as Record<string, unknown>;
  const old: Record<string, unknown> = {};
  const changed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(next)) {
    if (was[key] !== value) {
      old[key] = was[key];
      changed[key] = value;
    }
  }
  return Object.keys(changed).length === 0 ? null : { old, new: changed };
}

const lastOfChain = query<Pick<AuditRow, 'seq' | 'hash'>, { chain: string }>('SELECT seq, hash FROM audit_log WHERE chain_id = @chain ORDER BY seq DESC LIMIT 1');
type A = AuditRow;
/** Positional (issue 17: an import inserts one entry per device, 50,000 in one transaction); writeEntry binds an entry in its order. */
const insertEntry = positionalCommand<
  [
    chain_id: A['chain_id'],
    seq: A['seq'],
    id: A['id'],
    at: A['at'],
    actor_user_id: A['actor_user_id'],
    actor_name: A['actor_name'],
    via: A['via'],
    pc_id: A['pc_id'],
    action: A['action'],
    entity: A['entity'],
    entity_id: A['entity_id'],
    old_value: A['old_value'],
    new_value: A['new_value'],
    prev_hash: A['prev_hash'],
    hash: A['hash'],
  ]
>(
  `INSERT INTO audit_log (chain_id, seq, id, at, actor_user_id, actor_name, via, pc_id, action, entity, entity_id, old_value, new_value, prev_hash, hash)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);
function writeEntry(core: WriteCore, e: AuditRow): void {
  insertEntry.run(
    core,
    e.chain_id,
    e.seq,
    e.id,
    e.at,
    e.actor_user_id,
    e.actor_name,
    e.via,
    e.pc_id,
    e.action,
    e.entity,
    e.entity_id,
    e.old_value,
    e.new_value,
    e.prev_hash,
    e.hash,
  );
}
const hashAt = query<Pick<AuditRow, 'hash'>, { chain: string; seq: number }>('SELECT hash FROM audit_log WHERE chain_id = @chain AND seq = @seq');
const chainAfter = query<AuditRow, { chain: string; after: number }>('SELECT * FROM audit_log WHERE chain_id = @chain AND seq > @after ORDER BY seq');

/**
 * Appends one entry to this database's chain of the audit trail, inside the transaction of the
 * change it records (refused outside one: a change and its entry commit together or not at all).
 * A database holds other chains too (every PC's, once it syncs with a hub; its own earlier ones
 * after a restore); it only ever appends to its own, which continues from the head of the chain
 * it branched from until it has an entry of its own (anchors/chain.ts).
 */
export function appendAudit(core: WriteCore, actor: Actor, entry: AuditEntry): void {
  if (!core.db.inTransaction) throw new Error(`An audit entry (${entry.action} ${entry.entity}) was written outside a transaction.`);
  const bulk = bulkWriters.get(core.db);
  const chain = bulk ? bulk.chain : chainId(core.db);
  const last = bulk ? bulk.last : (lastOfChain.get(core, { chain }) ?? chainBranch(core.db));
  // One object, hashed and inserted as it is (hashEntry reads only the fields it hashes).
  const entryRow: { -readonly [K in keyof AuditRow]: AuditRow[K] } = {
    chain_id: chain,
    seq: (last?.seq ?? 0) + 1,
    id: uuidv7(),
    at: isoInstant(core.clock.now()),
    actor_user_id: actor.userId,
    actor_name: actor.name,
    via: actor.via,
    pc_id: core.pcId,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId,
    old_value: entry.old === undefined ? null : canonicalJson(entry.old),
    new_value: entry.new === undefined ? null : canonicalJson(entry.new),
    prev_hash: last?.hash ?? GENESIS_HASH,
    hash: '',
  };
  entryRow.hash = hashEntry(entryRow);
  if (!bulk) {
    writeEntry(core, entryRow);
    return;
  }
  bulk.last = { seq: entryRow.seq, hash: entryRow.hash };
  bulk.pending.push(entryRow);
  if (bulk.pending.length >= BULK_FLUSH_AT) flushBulk(core, bulk);
}

/**
 * A run of entries written by one bulk change (an import of thousands of devices): the chain's
 * head is held here instead of read from the table for every entry, and the entries, each hashed
 * as it is made (in order, each naming the hash of the one before), are inserted a thousand at a
 * time. Every entry is exactly the one appendAudit writes alone: the same seq, content and hash.
 */
interface BulkWriter {
  chain: string;
  last: { seq: number; hash: string } | null;
  pending: AuditRow[];
}
const bulkWriters = new WeakMap<Database, BulkWriter>();
const BULK_FLUSH_AT = 1000;

function flushBulk(core: WriteCore, bulk: BulkWriter): void {
  for (const row of bulk.pending) writeEntry(core, row);
  bulk.pending = [];
}

/**
 * Runs `fn` (inside the caller's transaction) with its audit entries written in bulk (BulkWriter).
 * Entries not yet inserted are not in `audit_log` until `fn` returns: `fn` must not read the
 * trail, nor catch the failure of a nested transaction (its entries would stay queued). If `fn`
 * throws, the queued entries are dropped with the transaction that is rolled back.
 */
export function withBulkAudit<T>(core: WriteCore, fn: () => T): T {
  if (!core.db.inTransaction) throw new Error('Audit entries are written in bulk only inside a transaction.');
  if (bulkWriters.has(core.db)) return fn();
  const chain = chainId(core.db);
  const bulk: BulkWriter = { chain, last: lastOfChain.get(core, { chain }) ?? chainBranch(core.db), pending: [] };
  bulkWriters.set(core.db, bulk);
  try {
    const value = fn();
    flushBulk(core, bulk);
    return value;
  } finally {
    bulkWriters.delete(core.db);
  }
}

export type ChainCheck =
  | { ok: true; entries: number; chains: number }
  | { ok: false; entries: number; chains: number; seq: number; chain: string; message: string };

/** A trail written before chains (schema version 6 and older: a backup being checked) is one chain, keyed by seq alone. */
const chainColumn = scalar<number>("SELECT count(*) FROM pragma_table_info('audit_log') WHERE name = 'chain_id'");
const isChained = (db: Database) => (chainColumn.get({ db }) ?? 0) > 0;
/** Whether entries of more than one chain are held (a PC in a hub, a restored database): only then does a finding name its chain. */
const severalChains = scalar<number>('SELECT count(*) FROM (SELECT DISTINCT chain_id FROM audit_log LIMIT 2)');

/**
 * Checks entries in (chain, seq) order, one chain after another: each chain starts at seq 1 from
 * the genesis hash, or (a chain a restore or a hand-copied file started) continues from an entry
 * of another chain this database holds, with the seq before its first; then each entry links to
 * the one before it and hashes to its hash.
 */
class ChainWalker {
  entries = 0;
  chains = 0;
  private chain: string | null = null;
  private prev = GENESIS_HASH;
  private expectedSeq = 1;
  private readonly named: boolean;

  constructor(
    private readonly db: Database,
    private readonly chained: boolean,
  ) {
    // One chain (a PC alone, as before hubs): the sentence says "audit entry 3", as it always did.
    this.named = chained && (severalChains.get({ db }) ?? 0) > 1;
  }

  /** Null while the chain holds, else the first problem. */
  step(row: AuditRow): ChainCheck | null {
    // hashEntry reads only the hashed fields: the row is given as it is, not copied without its hash and chain.
    return this.check(row.seq, row.chain_id, row.prev_hash, row.hash, () => hashEntry(row));
  }

  /** `step` for an entry read as a tuple (ENTRY_COLUMNS): no object per entry, its hashed fields stringified as they come. */
  stepTuple(row: EntryTuple): ChainCheck | null {
    const hash = row[13];
    const chain = row[14];
    return this.check(row[0], chain, row[12], hash, () => {
      // The first 13 columns are hashEntry's fields, in its order: the same text, hashed once.
      (row as unknown[]).length = 13;
      return oneShotHash('sha256', JSON.stringify(row), 'hex');
    });
  }

  private check(seq: number, chain: string, prevHash: string, hash: string, hashed: () => string): ChainCheck | null {
    this.entries++;
    const fail = (message: string): ChainCheck => ({ ok: false, entries: this.entries, chains: this.chains, seq, chain, message });
    const of = this.named ? ` of chain ${chain}` : '';
    if (chain !== this.chain) {
      this.chain = chain;
      this.chains++;
      if (seq !== 1) {
        if (!this.chained || chainHoldingEntry(this.db, { seq: seq - 1, hash: prevHash, chain }) === null) {
          return fail(`audit entry ${seq}${of} is the first of its chain but follows no entry this database holds (entries 1 to ${seq - 1} are missing)`);
        }
      } else if (prevHash !== GENESIS_HASH) {
        return fail(`audit entry 1${of} does not start from the beginning of a chain`);
      }
      this.prev = prevHash;
      this.expectedSeq = seq;
    }
    if (seq !== this.expectedSeq) return fail(`audit entry ${this.expectedSeq}${of} is missing (the next entry is ${seq})`);
    if (prevHash !== this.prev) return fail(`audit entry ${seq}${of} does not link to the entry before it`);
    if (hashed() !== hash) return fail(`audit entry ${seq}${of} was changed after it was written`);
    this.prev = hash;
    this.expectedSeq++;
    return null;
  }

  done(): ChainCheck {
    return { ok: true, entries: this.entries, chains: this.chains };
  }
}

/** An entry as a tuple: hashEntry's fields in its order, then the hash and the chain. */
export type EntryTuple = [
  seq: number,
  id: string,
  at: string,
  actor_user_id: string | null,
  actor_name: string,
  via: string,
  pc_id: string,
  action: string,
  entity: string,
  entity_id: string | null,
  old_value: string | null,
  new_value: string | null,
  prev_hash: string,
  hash: string,
  chain_id: string,
];
const ENTRY_COLUMNS = 'seq, id, at, actor_user_id, actor_name, via, pc_id, action, entity, entity_id, old_value, new_value, prev_hash, hash';

function entryQueries(db: Database) {
  const chained = isChained(db);
  const select = chained ? '*' : "'' AS chain_id, *";
  const order = chained ? 'chain_id, seq' : 'seq';
  return {
    chained,
    all: builtTuples<EntryTuple>(`SELECT ${ENTRY_COLUMNS}, ${chained ? 'chain_id' : "''"} FROM audit_log ORDER BY ${order}`),
    first: builtQuery<AuditRow, { limit: number }>(`SELECT ${select} FROM audit_log ORDER BY ${order} LIMIT @limit`),
    after: builtQuery<AuditRow, { chain: string; seq: number; limit: number }>(
      chained
        ? `SELECT ${select} FROM audit_log WHERE (chain_id, seq) > (@chain, @seq) ORDER BY ${order} LIMIT @limit`
        : `SELECT ${select} FROM audit_log WHERE @chain IS NOT NULL AND seq > @seq ORDER BY ${order} LIMIT @limit`,
    ),
  };
}

/**
 * Walks every chain of the trail and names the first entry whose hash or link does not hold;
 * `onProgress` every 50,000 entries. Given `counts`, it also counts the entries by entity and
 * action as it goes (key `entity action`), for the records check (permanent/check.ts). Given
 * `each`, it hands it every entry that held, as it reads it (the records check's pass over the
 * trail, permanent/check.ts recordsPass): the tuple's first 13 fields, hashEntry's, in its order.
 */
export function verifyAuditChain(
  db: Database,
  onProgress?: (entries: number) => void,
  options: { counts?: Map<string, number>; stopped?: () => boolean; each?: (entry: Readonly<EntryTuple>) => void } = {},
): ChainCheck {
  const q = entryQueries(db);
  const walker = new ChainWalker(db, q.chained);
  const counts = options.counts;
  const stopped = options.stopped;
  const each = options.each;
  if (stopped?.()) throw new CheckStoppedError();
  for (const row of q.all.iterate({ db })) {
    // Asked every 10,000 entries (a read of shared memory): a quit does not wait for the whole trail.
    if (stopped && walker.entries % 10_000 === 9_999 && stopped()) throw new CheckStoppedError();
    if (counts) {
      const key = `${row[8]} ${row[7]}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const problem = walker.stepTuple(row);
    if (problem) return problem;
    if (each) each(row);
    if (onProgress && walker.entries % 50_000 === 0) onProgress(walker.entries);
  }
  return walker.done();
}

/**
 * The start-up check (issue 17): the entries written since the last position a check verified.
 * That entry must still be there with the hash it had then, so no rewrite at or before it (which
 * changes every later hash) and no deletion back past it goes unseen; from it the walk goes on as
 * verifyAuditChain's. An entry before it whose content was edited with its stored hash left alone
 * is the one thing only the full walk finds: the deep check runs it in the worker on a schedule.
 * The position is in this PC's own chain: in a hub, the chains other PCs' entries arrive in are
 * checked by the hub before it takes them, and here by the deep check and `wardkeep verify`.
 */
export function verifyAuditChainAfter(
  db: Database,
  verified: { seq: number; hash: string } | null,
  options: { stopped?: () => boolean } = {},
): ChainCheck & { from: number; last: { seq: number; hash: string } | null } {
  const chain = chainId(db);
  if (!verified) {
    // No position yet: every chain this database holds, and this PC's head as the position to keep.
    const whole = verifyAuditChain(db, undefined, options);
    const head = lastOfChain.get({ db }, { chain }) ?? null;
    return { ...whole, from: 1, last: whole.ok && head ? { seq: head.seq, hash: head.hash } : null };
  }
  const from = verified.seq + 1;
  const fail = (entries: number, seq: number, last: { seq: number; hash: string } | null, message: string) =>
    ({ ok: false as const, entries, chains: 1, seq, chain, from, last, message });
  const at = hashAt.get({ db }, { chain, seq: verified.seq });
  if (!at) return fail(0, verified.seq, null, `audit entry ${verified.seq}, which an earlier check verified, is missing: entries were deleted`);
  if (at.hash !== verified.hash) return fail(0, verified.seq, null, `audit entry ${verified.seq} is not the one an earlier check verified: the trail was rewritten at or before it`);
  let prev = verified.hash;
  let expectedSeq = from;
  let entries = 0;
  let last = { seq: verified.seq, hash: verified.hash };
  const stopped = options.stopped;
  if (stopped?.()) throw new CheckStoppedError();
  for (const row of chainAfter.iterate({ db }, { chain, after: verified.seq })) {
    // As verifyAuditChain: a quit does not wait for a long stretch written since (a big import).
    if (stopped && entries % 10_000 === 9_999 && stopped()) throw new CheckStoppedError();
    entries++;
    if (row.seq !== expectedSeq) return fail(entries, row.seq, last, `audit entry ${expectedSeq} is missing (the next entry is ${row.seq})`);
    if (row.prev_hash !== prev) return fail(entries, row.seq, last, `audit entry ${row.seq} does not link to the entry before it`);
    if (hashEntry(row) !== row.hash) return fail(entries, row.seq, last, `audit entry ${row.seq} was changed after it was written`);
    prev = row.hash;
    last = { seq: row.seq, hash: row.hash };
    expectedSeq++;
  }
  return { ok: true, entries, chains: 1, from, last };
}

/**
 * The same walk as verifyAuditChain, in batches that give the event loop back between them, so
 * the app stays responsive while it checks millions of entries at start.
 */
export async function verifyAuditChainAsync(db: Database, options: { batch?: number } = {}): Promise<ChainCheck> {
  const batch = options.batch ?? 5000;
  const q = entryQueries(db);
  const walker = new ChainWalker(db, q.chained);
  let rows = q.first.all({ db }, { limit: batch });
  for (;;) {
    for (const row of rows) {
      const problem = walker.step(row);
      if (problem) return problem;
    }
    if (rows.length < batch) return walker.done();
    const last = rows[rows.length - 1]!;
    await new Promise<void>((resolve) => setImmediate(resolve));
    rows = q.after.all({ db }, { chain: last.chain_id, seq: last.seq, limit: batch });
  }
}
