import type { Database } from 'better-sqlite3';
import { uuidv7 } from '../ids';

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

/** The chain this database appends to: named after the PC until a restore starts a new one. */
export function chainId(db: Database): string {
  const row = db.prepare("SELECT value FROM meta WHERE key IN ('audit_chain', 'pc_id') ORDER BY key = 'audit_chain' DESC LIMIT 1").pluck().get() as string | undefined;
  return row ?? '';
}

/** A trail keyed by chain (a hub's) finds entries by chain and number; a single trail by number. */
function chained(db: Database): boolean {
  return (db.prepare("SELECT count(*) FROM pragma_table_info('audit_log') WHERE name = 'chain_id'").pluck().get() as number) > 0;
}

/** The newest entry of this database's chain, or null before the first. */
export function currentHead(db: Database): Head | null {
  const chain = chainId(db);
  const row = (
    chained(db)
      ? db.prepare('SELECT seq, hash FROM audit_log WHERE chain_id = ? ORDER BY seq DESC LIMIT 1').get(chain)
      : db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get()
  ) as { seq: number; hash: string } | undefined;
  return row ? { chain, seq: row.seq, hash: row.hash } : null;
}

/** The hash of entry `seq` as this database holds it (of `chain`, where the trail is keyed by chain), or null. */
export function entryHash(db: Database, chain: string, seq: number): string | null {
  const row = chained(db)
    ? db.prepare('SELECT hash FROM audit_log WHERE chain_id = ? AND seq = ?').pluck().get(chain, seq)
    : db.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck().get(seq);
  return (row as string | undefined) ?? null;
}

/**
 * Starts a new chain continuing from the current head. Call inside the transaction that writes the
 * restored database's first entry, before it. Returns the head it continues from.
 */
export function startNewChain(db: Database): { chain: string; from: Head | null } {
  const from = currentHead(db);
  const chain = uuidv7();
  db.prepare("INSERT INTO meta (key, value) VALUES ('audit_chain', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(chain);
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
