import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { isoInstant } from './clock';
import type { Actor, WriteCore } from './context';
import { uuidv7 } from './ids';
import { command, query } from './sql/query';
import type { AuditRow } from './sql/rows';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level, so the same value always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
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

export function hashEntry(row: Omit<AuditRow, 'hash'>): string {
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
  return createHash('sha256').update(canonicalJson(fields)).digest('hex');
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

const lastEntry = query<Pick<AuditRow, 'seq' | 'hash'>>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
const insertEntry = command<AuditRow>(
  `INSERT INTO audit_log (seq, id, at, actor_user_id, actor_name, via, pc_id, action, entity, entity_id, old_value, new_value, prev_hash, hash)
   VALUES (@seq, @id, @at, @actor_user_id, @actor_name, @via, @pc_id, @action, @entity, @entity_id, @old_value, @new_value, @prev_hash, @hash)`,
);
const allEntries = query<AuditRow>('SELECT * FROM audit_log ORDER BY seq');
const entriesAfter = query<AuditRow, { after: number; limit: number }>('SELECT * FROM audit_log WHERE seq > @after ORDER BY seq LIMIT @limit');

/**
 * Appends one entry to the audit trail, inside the transaction of the change it records (refused
 * outside one: a change and its entry commit together or not at all).
 */
export function appendAudit(core: WriteCore, actor: Actor, entry: AuditEntry): void {
  if (!core.db.inTransaction) throw new Error(`An audit entry (${entry.action} ${entry.entity}) was written outside a transaction.`);
  const last = lastEntry.get(core);
  const row: Omit<AuditRow, 'hash'> = {
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
  };
  insertEntry.run(core, { ...row, hash: hashEntry(row) });
}

export type ChainCheck = { ok: true; entries: number } | { ok: false; entries: number; seq: number; message: string };

/** Walks the whole trail and names the first entry whose hash or link does not hold. */
export function verifyAuditChain(db: Database): ChainCheck {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let entries = 0;
  for (const row of allEntries.iterate({ db })) {
    entries++;
    if (row.seq !== expectedSeq) {
      return { ok: false, entries, seq: row.seq, message: `audit entry ${expectedSeq} is missing (the next entry is ${row.seq})` };
    }
    if (row.prev_hash !== prev) {
      return { ok: false, entries, seq: row.seq, message: `audit entry ${row.seq} does not link to the entry before it` };
    }
    const { hash, ...rest } = row;
    if (hashEntry(rest) !== hash) {
      return { ok: false, entries, seq: row.seq, message: `audit entry ${row.seq} was changed after it was written` };
    }
    prev = hash;
    expectedSeq++;
  }
  return { ok: true, entries };
}

/**
 * The same walk as verifyAuditChain, in batches that give the event loop back between them, so
 * the app stays responsive while it checks millions of entries at start.
 */
export async function verifyAuditChainAsync(db: Database, options: { batch?: number } = {}): Promise<ChainCheck> {
  const batch = options.batch ?? 5000;
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let entries = 0;
  let after = 0;
  for (;;) {
    const rows = entriesAfter.all({ db }, { after, limit: batch });
    for (const row of rows) {
      entries++;
      if (row.seq !== expectedSeq) return { ok: false, entries, seq: row.seq, message: `audit entry ${expectedSeq} is missing (the next entry is ${row.seq})` };
      if (row.prev_hash !== prev) return { ok: false, entries, seq: row.seq, message: `audit entry ${row.seq} does not link to the entry before it` };
      const { hash, ...rest } = row;
      if (hashEntry(rest) !== hash) return { ok: false, entries, seq: row.seq, message: `audit entry ${row.seq} was changed after it was written` };
      prev = hash;
      expectedSeq++;
    }
    if (rows.length < batch) return { ok: true, entries };
    after = rows[rows.length - 1]!.seq;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
