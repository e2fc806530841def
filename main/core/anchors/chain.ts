import type { Database } from 'better-sqlite3';
import type { WriteCore } from '../context';
import { uuidv7 } from '../ids';
import { command, query, scalar } from '../sql/query';

/**
 * Where this database's audit trail stands: a head is a chain, the sequence number of its newest
 * entry and that entry's hash. A database appends to one chain, named after the PC. A restore
 * (and a database copied back over a newer one by hand, found at the next sync with a hub) starts
 * a new chain that continues from the restored head, so heads recorded before stay true of the
 * chain they named, and nothing a hub already holds is ever written again with other content.
 * The chain is also what names a PC's history at the hub (`replica` in main/core/sync/): the
 * audit entries and the changes a PC sends are one history. A database in a hub holds every PC's
 * chains (`audit_log` is keyed by `(chain_id, seq)`); `verify` checks each.
 */
export interface Head {
  chain: string;
  seq: number;
  hash: string;
}

/** The chain this database writes, as SQL (the sync's capture triggers name a change's history with it). */
export const CHAIN_SQL = "SELECT value FROM meta WHERE key IN ('audit_chain', 'pc_id') ORDER BY key = 'audit_chain' DESC LIMIT 1";
const chainMeta = scalar<string>(CHAIN_SQL);
const branchMeta = scalar<string>("SELECT value FROM meta WHERE key = 'audit_chain_branch'");
const hasChainColumn = scalar<number>("SELECT count(*) FROM pragma_table_info('audit_log') WHERE name = 'chain_id'");
const newestOfChain = query<{ seq: number; hash: string }, { chain: string }>('SELECT seq, hash FROM audit_log WHERE chain_id = @chain ORDER BY seq DESC LIMIT 1');
const newest = query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
const hashInChain = scalar<string, { chain: string; seq: number }>('SELECT hash FROM audit_log WHERE chain_id = @chain AND seq = @seq');
const hashAt = scalar<string, { seq: number }>('SELECT hash FROM audit_log WHERE seq = @seq');
const setMeta = command<{ key: string; value: string }>('INSERT INTO meta (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
const deleteMeta = command<{ key: string }>('DELETE FROM meta WHERE key = @key');

/** The chain this database appends to: named after the PC until a restore starts a new one. */
export function chainId(db: Database): string {
  return chainMeta.get({ db }) ?? '';
}

/** The head this database's chain continues from while it has no entry of its own yet (just after it was started), or null. */
export function chainBranch(db: Database): Head | null {
  const text = branchMeta.get({ db });
  return text ? (JSON.parse(text) as Head) : null;
}

/** A trail keyed by chain finds entries by chain and number; a single trail (a backup from before version 7) by number. */
function chained(db: Database): boolean {
  return (hasChainColumn.get({ db }) ?? 0) > 0;
}

/** The newest entry of this database's chain, or null before the first. */
export function currentHead(db: Database): Head | null {
  const chain = chainId(db);
  const row = chained(db) ? newestOfChain.get({ db }, { chain }) : newest.get({ db });
  return row ? { chain, seq: row.seq, hash: row.hash } : null;
}

/** The hash of entry `seq` as this database holds it (of `chain`, where the trail is keyed by chain), or null. */
export function entryHash(db: Database, chain: string, seq: number): string | null {
  return entryHashes(db)(chain, seq);
}

/**
 * `entryHash` for many entries of one database: whether its trail is keyed by chain is asked once,
 * not per entry (asked per entry, it was 60% of comparing 200,000 recorded heads).
 */
export function entryHashes(db: Database): (chain: string, seq: number) => string | null {
  return chained(db) ? (chain, seq) => hashInChain.get({ db }, { chain, seq }) ?? null : (_chain, seq) => hashAt.get({ db }, { seq }) ?? null;
}

/**
 * Starts a new chain continuing from the current head (or from where the current chain branched,
 * when it has no entry of its own yet). Call inside the transaction that writes the new chain's
 * first entry, before it. Returns the head it continues from.
 */
export function startNewChain(core: Pick<WriteCore, 'db' | 'writable'>, from: Head | null = currentHead(core.db) ?? chainBranch(core.db)): { chain: string; from: Head | null } {
  const chain = uuidv7();
  setMeta.run(core, { key: 'audit_chain', value: chain });
  if (from) setMeta.run(core, { key: 'audit_chain_branch', value: JSON.stringify({ chain: from.chain, seq: from.seq, hash: from.hash }) });
  else deleteMeta.run(core, { key: 'audit_chain_branch' });
  return { chain, from };
}

const firstOfChain = query<{ seq: number; prev_hash: string }, { chain: string }>('SELECT seq, prev_hash FROM audit_log WHERE chain_id = @chain ORDER BY seq LIMIT 1');
/**
 * The chain other than `chain` holding the entry `seq` with `hash`: each chain's entry at `seq` by its
 * primary key (chain_id, seq), the chains found by seeking past each in turn (a few: this PC's own,
 * those it continues from, other PCs' in a hub), never by reading the trail.
 */
export const CHAIN_HOLDING_SQL = `WITH RECURSIVE chains (id) AS (
     SELECT (SELECT chain_id FROM audit_log ORDER BY chain_id LIMIT 1)
     UNION ALL
     SELECT (SELECT chain_id FROM audit_log WHERE chain_id > chains.id ORDER BY chain_id LIMIT 1) FROM chains WHERE chains.id IS NOT NULL
   )
   SELECT a.chain_id FROM chains CROSS JOIN audit_log a ON a.chain_id = chains.id AND a.seq = @seq
   WHERE a.hash = @hash AND a.chain_id <> @chain LIMIT 1`;
const otherChainHolding = scalar<string, { seq: number; hash: string; chain: string }>(CHAIN_HOLDING_SQL);

/** Which chain, other than `chain`, holds the entry `seq` whose hash is `hash`; null when none does. */
export function chainHoldingEntry(db: Database, entry: { seq: number; hash: string; chain: string }): string | null {
  return otherChainHolding.get({ db }, entry) ?? null;
}

/**
 * This database's own history: its chain and every chain it continues from (a restore's, a
 * hand-copied file's), oldest first. Other chains it holds are other PCs' (from a hub).
 */
export function chainLineage(db: Database): string[] {
  const out: string[] = [];
  let chain: string | null = chainId(db);
  while (chain !== null && !out.includes(chain)) {
    out.unshift(chain);
    const first = firstOfChain.get({ db }, { chain });
    const from: { seq: number; hash: string } | null = first ? (first.seq > 1 ? { seq: first.seq - 1, hash: first.prev_hash } : null) : out.length === 1 ? chainBranch(db) : null;
    chain = from ? chainHoldingEntry(db, { ...from, chain }) : null;
  }
  return out;
}

/** 16 hex digits of the hash: what is printed, and enough that no one can make another entry match it. */
export const SHORT_HASH = 16;

/** `4521:9f3a61c2d07e5b18`, the head as a printout shows it. */
export function shortHead(head: Pick<Head, 'seq' | 'hash'>): string {
  return `${head.seq}:${head.hash.slice(0, SHORT_HASH)}`;
}

/** The chain's first 8 characters, printed beside the head when a PC holds several. */
export const shortChain = (chain: string) => chain.replace(/-/g, '').slice(0, 8);

/**
 * A head typed in from paper: `SEQ:HASH` or `CHAIN:SEQ:HASH` (CHAIN may be its first 8 or more
 * characters, HASH its first 8 or more hex digits). Null when it is not one.
 */
export function parseHead(text: string): { chain: string | null; seq: number; hash: string } | null {
  const parts = text.trim().toLowerCase().split(':');
  if (parts.length !== 2 && parts.length !== 3) return null;
  const [chain, seqText, hash] = parts.length === 3 ? parts : [null, parts[0]!, parts[1]!];
  if (!/^\d{1,12}$/.test(seqText!) || !/^[0-9a-f]{8,64}$/.test(hash!)) return null;
  if (chain !== null && !/^[0-9a-f-]{8,40}$/.test(chain)) return null;
  return { chain: chain === null ? null : chain.replace(/-/g, ''), seq: Number(seqText), hash: hash! };
}
