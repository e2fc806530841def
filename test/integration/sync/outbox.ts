import { expect } from 'vitest';
import { z } from 'zod';
import type { Core } from '../../../main/core/context';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import type { SyncOutboxRow } from '../../../main/core/sql/rows';

/**
 * A PC's outbox reordered as a PC of the previous version sent it: users before their audit entries
 * (the hub then refuses a user change for want of its entry, and takes it when a later push brings
 * the entry). Used by the tests of users whose entry comes later.
 */

/** The outbox numbered again without gaps from `from`, in the order `orderBy` gives: sent in that order. */
export function renumber(core: Core, from: number, orderBy = 'seq'): void {
  const db = core.db;
  inTransaction(core, () => {
    db.prepare('UPDATE sync_outbox SET seq = seq + 1000000000').run();
    const seqs = db.prepare(`SELECT seq FROM sync_outbox ORDER BY ${orderBy}`).pluck().all() as number[];
    const move = db.prepare('UPDATE sync_outbox SET seq = ? WHERE seq = ?');
    seqs.forEach((s, i) => move.run(from + i, s));
    db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'sync_outbox'").run(from + seqs.length - 1);
  });
}

/** What the hub has confirmed of this PC's history: its next change must follow it. */
export function pushedHead(core: Core): number {
  const pushed = z.record(z.string(), z.number()).parse(JSON.parse(String(core.db.prepare("SELECT value FROM sync_state WHERE key = 'pushed'").pluck().get() ?? '{}')));
  return Math.max(0, ...Object.values(pushed));
}

/** Takes the audit entries of `action` about a user out of the outbox (the rest follows on without a gap): a later push sends them. */
export function holdBackEntries(core: Core, userId: string, action = 'update'): SyncOutboxRow[] {
  const where = "tbl = 'audit_log' AND json_extract(data, '$.entity') = 'user' AND json_extract(data, '$.entity_id') = ? AND json_extract(data, '$.action') = ?";
  const rows = core.db.prepare(`SELECT * FROM sync_outbox WHERE ${where} ORDER BY seq`).all(userId, action) as SyncOutboxRow[];
  expect(rows.length).toBeGreaterThan(0);
  core.db.prepare(`DELETE FROM sync_outbox WHERE ${where}`).run(userId, action);
  renumber(core, pushedHead(core) + 1);
  return rows;
}

/** Puts them back after whatever waits: sent in the next push. */
export function sendLater(core: Core, rows: readonly SyncOutboxRow[]): void {
  const insert = core.db.prepare('INSERT INTO sync_outbox (seq, replica, hlc, tbl, pk, op, data, base) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  for (const r of rows) insert.run(r.seq + 1000000000, r.replica, r.hlc, r.tbl, r.pk, r.op, r.data, r.base);
  renumber(core, pushedHead(core) + 1);
}
