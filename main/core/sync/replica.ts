import { appendAudit } from '../audit';
import type { Head } from '../anchors/chain';
import { chainBranch, chainId, startNewChain } from '../anchors/chain';
import type { Actor, WriteCore } from '../context';
import { withTriggerAside } from '../db/trigger-aside';
import { uuidv7 } from '../ids';
import { command, query } from '../sql/query';
import type { AuditRow } from '../sql/rows';
import { captureAgain, captureUsersAgain } from './capture';

/**
 * A PC's history at the hub is its audit chain (anchors/chain.ts): the changes it sends are
 * numbered per chain (`replica` in the protocol is the chain's id), and its audit entries are that
 * chain. A restore through Wardkeep starts a new chain, so nothing the old history published is
 * ever written a second time with other content.
 *
 * A database copied back over the live one by hand (not through Wardkeep's restore) continues a
 * history the hub already has further: the changes it made since collide with the ones the hub
 * holds under the same numbers. `forkHistory` makes them a new chain, branching from the entry
 * before the first of them (the entries keep their hashes, which never covered the chain's id), and
 * records that it did, in the new chain and in the head log (like a restore); the hub then sends
 * back what the PC had written before the copy.
 */

const movedAudit = query<{ seq: number }, { replica: string; from: number }>(
  `SELECT json_extract(data, '$.seq') AS seq FROM sync_outbox
   WHERE replica = @replica AND seq >= @from AND tbl = 'audit_log' AND json_extract(data, '$.chain_id') = @replica ORDER BY seq`,
);
const moveOutbox = command<{ replica: string; to: string; from: number }>('UPDATE sync_outbox SET replica = @to WHERE replica = @replica AND seq >= @from');
const relabelOutbox = command<{ replica: string; to: string }>(
  "UPDATE sync_outbox SET data = json_set(data, '$.chain_id', @to) WHERE replica = @to AND tbl = 'audit_log' AND json_extract(data, '$.chain_id') = @replica",
);
const entryAt = query<Pick<AuditRow, 'seq' | 'prev_hash'>, { chain: string; seq: number }>('SELECT seq, prev_hash FROM audit_log WHERE chain_id = @chain AND seq = @seq');
const headOf = query<Pick<AuditRow, 'seq' | 'hash'>, { chain: string }>('SELECT seq, hash FROM audit_log WHERE chain_id = @chain ORDER BY seq DESC LIMIT 1');
const relabelEntries = command<{ chain: string; to: string; from: number }>('UPDATE audit_log SET chain_id = @to WHERE chain_id = @chain AND seq >= @from');

export interface Fork {
  /** The new chain. */
  chain: string;
  /** What it continues from; null for a chain that started nothing yet. */
  from: Head | null;
  /** Whether this database now writes the new chain (the history forked was its current one). */
  current: boolean;
}

const COPIED_BACK = 'This database was copied back over a newer one outside Wardkeep: the hub holds the newer history, which comes back at this sync.';

/**
 * Makes the changes of `replica` from outbox number `fromSeq` on a new history. Call inside the
 * transaction of the check-in that found the collision. `auditFrom`: the chain's entries from that
 * number on move too, whether or not they wait in the outbox (those the hub lost).
 */
export function forkHistory(
  core: WriteCore,
  actor: Actor,
  replica: string,
  fromSeq: number,
  options: { auditFrom?: number; reason?: string } = {},
): Fork {
  const seqs = movedAudit.all(core, { replica, from: fromSeq }).map((r) => r.seq);
  const held = options.auditFrom === undefined ? undefined : entryAt.get(core, { chain: replica, seq: options.auditFrom });
  if (held) seqs.push(held.seq);
  const firstMoved = seqs.length > 0 ? Math.min(...seqs) : null;
  const entry = firstMoved === null ? undefined : entryAt.get(core, { chain: replica, seq: firstMoved });
  const head = headOf.get(core, { chain: replica });
  // The new chain continues from the entry before the first one it takes, or from the head of the old one.
  const from: Head | null = entry
    ? entry.seq > 1
      ? { chain: replica, seq: entry.seq - 1, hash: entry.prev_hash }
      : null
    : head
      ? { chain: replica, seq: head.seq, hash: head.hash }
      : chainBranch(core.db);
  const current = chainId(core.db) === replica;
  const chain = current ? startNewChain(core, from).chain : uuidv7();
  moveOutbox.run(core, { replica, to: chain, from: fromSeq });
  relabelOutbox.run(core, { replica, to: chain });
  if (firstMoved !== null) {
    // The permanence trigger stands aside for this one relabelling (the entries' hashes do not cover the chain), then is put back as it was.
    withTriggerAside(core, 'audit_log_no_update', () => relabelEntries.run(core, { chain: replica, to: chain, from: firstMoved }));
  }
  if (current) {
    appendAudit(core, actor, {
      action: 'branch',
      entity: 'database',
      entityId: chain,
      new: {
        continues: from,
        reason: options.reason ?? COPIED_BACK,
      },
    });
  }
  return { chain, from, current };
}

const waitingOf = query<{ from: number | null; to: number | null }, { replica: string }>('SELECT min(seq) AS "from", max(seq) AS "to" FROM sync_outbox WHERE replica = @replica');
const requeue = command<{ replica: string; from: number; to: number }>(
  `INSERT INTO sync_outbox (replica, hlc, tbl, pk, op, data, base)
   SELECT replica, hlc, tbl, pk, op, data, base FROM sync_outbox WHERE replica = @replica AND seq BETWEEN @from AND @to ORDER BY seq`,
);
const dropRange = command<{ replica: string; from: number; to: number }>('DELETE FROM sync_outbox WHERE replica = @replica AND seq BETWEEN @from AND @to');

const HUB_WENT_BACK =
  "The hub's database was put back from an older copy (a backup): it lost changes it had confirmed from this PC, which this PC sends again from what it holds.";

/**
 * The hub holds less of `replica` than it confirmed to this PC (IT restored its database from a
 * backup): what it lost cannot be sent again under the old numbers (this PC dropped those changes
 * once confirmed, and the hub takes a history only from its head on). The history's entries the
 * hub does not hold (after `hubAuditSeq`, the head of the chain the hub has) and its waiting
 * changes become a new history, as when the hub holds more (forkHistory), and the entries go out
 * again under it with (`rows`) every row this PC holds, before the waiting changes (its users
 * after them, once every entry that records them is sent): the hub skips what it holds unchanged
 * and takes the rest. Call inside the check-in's transaction, with capture
 * installed.
 */
export function resendHistory(core: WriteCore, actor: Actor, replica: string, hubAuditSeq: number, rows: boolean): Fork {
  const firstWaiting = waitingOf.get(core, { replica })?.from ?? Number.MAX_SAFE_INTEGER;
  const fork = forkHistory(core, actor, replica, firstWaiting, { auditFrom: hubAuditSeq + 1, reason: HUB_WENT_BACK });
  const waiting = waitingOf.get(core, { replica: fork.chain });
  captureAgain(core, fork.chain, rows);
  // What waited goes last, as it was written: an edit of a row the hub lost comes after the row.
  if (waiting && waiting.from !== null && waiting.to !== null) {
    const range = { replica: fork.chain, from: waiting.from, to: waiting.to };
    requeue.run(core, range);
    dropRange.run(core, range);
  }
  // Its users last, after every entry that records them (the hub takes a user only with one).
  if (rows) captureUsersAgain(core, fork.chain);
  return fork;
}
