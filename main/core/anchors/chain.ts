import type { Database } from 'better-sqlite3';
import type { WriteCore } from '../context';
import { uuidv7 } from '../ids';
import { command, query, scalar } from '../sql/query';

/**
 * Where this database's audit trail stands: a head is a chain, the sequence number of its newest
 * entry and that entry's hash. A database writes one chain; a restore starts a new one that
 * continues from the restored head, so heads recorded before the restore stay true of the chain
 * they named (the hospital hub keeps one chain per PC in the same way: its `replica_id` and
 * `audit_log.chain_id`; when both land, `chainId` and `startNewChain` here become that).
 */
export interface Head {
  chain: string;
  seq: number;
  hash: string;
}

const chainMeta = scalar<string>("SELECT value FROM meta WHERE key IN ('audit_chain', 'pc_id') ORDER BY key = 'audit_chain' DESC LIMIT 1");
const hasChainColumn = scalar<number>("SELECT count(*) FROM pragma_table_info('audit_log') WHERE name = 'chain_id'");
const newestOfChain = query<{ seq: number; hash: string }, { chain: string }>('SELECT seq, hash FROM audit_log WHERE chain_id = @chain ORDER BY seq DESC LIMIT 1');
const newest = query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
const hashInChain = scalar<string, { chain: string; seq: number }>('SELECT hash FROM audit_log WHERE chain_id = @chain AND seq = @seq');
const hashAt = scalar<string, { seq: number }>('SELECT hash FROM audit_log WHERE seq = @seq');
const setChain = command<{ chain: string }>("INSERT INTO meta (key, value) VALUES ('audit_chain', @chain) ON CONFLICT (key) DO UPDATE SET value = excluded.value");

/** The chain this database appends to: named after the PC until a restore starts a new one. */
export function chainId(db: Database): string {
  return chainMeta.get({ db }) ?? '';
}

/** A trail keyed by chain (a hub's) finds entries by chain and number; a single trail by number. */
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
  return (chained(db) ? hashInChain.get({ db }, { chain, seq }) : hashAt.get({ db }, { seq })) ?? null;
}

/**
 * Starts a new chain continuing from the current head. Call inside the transaction that writes the
 * restored database's first entry, before it. Returns the head it continues from.
 */
export function startNewChain(core: Pick<WriteCore, 'db' | 'writable'>): { chain: string; from: Head | null } {
  const from = currentHead(core.db);
  const chain = uuidv7();
  setChain.run(core, { chain });
  return { chain, from };
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
