import { createPublicKey, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type pg from 'pg';
import { GENESIS_HASH, hashEntry } from '../core/audit';
import { hlcTime, HybridClock, isHlc, parseHlc } from '../core/sync/hlc';
import type {
  Change,
  LogEntry,
  PcsResponse,
  PullRequest,
  PullResponse,
  PushRequest,
  PushResponse,
  Quarantined,
  Receipt,
  Revocation,
  SnapshotPageRequest,
  SnapshotPageResponse,
  StatusRequest,
  StatusResponse,
  Taken,
} from '../core/sync/protocol';
import { Change as ChangeSchema, MAX_KNOWN, PROTOCOL_VERSION, receiptText, revocationText } from '../core/sync/protocol';
import type { SyncTable } from '../core/sync/tables';
import { groupOf, pkText, sameUserValue, SYNC_TABLES, syncTable, userFieldWords, vouchesFor } from '../core/sync/tables';
import { localDay } from '../../shared/date-format';
import { isRetryable } from './db';
import { HubHttpError } from './errors';
import type { ConflictRecord, StoredRow } from './merge';
import { isLive, keepHeld, mergeChange, missingRequired, wouldReplace } from './merge';
import { changeHash } from '../core/sync/change-hash';
import { appendHash, bulkInsertSql, entryOfAppend, entryOfStored, pcData, pgRow, snapshotPageSql, storedRow } from './rows';
import { changeProblem } from './validate';

/**
 * The hub's work on PostgreSQL, with no state of its own outside it: any number of hub processes
 * may serve one hospital from one database. A push is one transaction: the PC's history row is
 * locked first (a batch sent twice at once is taken once), then the rows it touches, in key order.
 */

/** JSON already written out, sent as it is. */
export class RawJson {
  constructor(readonly text: string) {}
}

export interface Pc {
  pcId: string;
  name: string;
}

const q = (name: string) => `"${name}"`;

/** Held while a push moves locations: a move is checked against the whole tree (a cycle two moves make). */
const LOCATION_TREE_LOCK = 0x4c4f4354; // 'LOCT'

/** The node of the hub's own clock stamps: no PC's history may take the name. */
export const HUB_NODE = 'hub';

/** A revoked PC's refusal. No instruction: the PC says how to join again where it shows this (the app, `wardkeep sync`). */
export function revokedError(name: string, revokedAt: Date): HubHttpError {
  // The hospital's own day (the hub's local day), as YYYY-MM-DD: each PC writes it in its own date format (formatDaysIn).
  return new HubHttpError(403, 'revoked', `This PC ("${name}") was revoked at the hub on ${localDay(revokedAt)}: it keeps its data but no longer syncs.`);
}

/**
 * The entries the hub took before about some users ($1: their ids), read at a join's or a resend's
 * push: found through the index audit_log_entity (schema.ts, hub schema version 3), never by reading
 * the whole audit log, the hub's biggest table. Its plan is tested (test/integration/sync/hub-audit-index.test.ts).
 */
export const USER_ENTRIES_SQL = "SELECT entity_id, action, new_value, at FROM audit_log WHERE entity IN ('user', 'users') AND entity_id = ANY($1)";

/** Permanent rows that are parts of a record (its checklist results and readings): only the record's PC adds them. */
const RECORD_PARTS: ReadonlySet<string> = new Set(['completion_steps', 'completion_readings']);

interface LogRow {
  tbl: string;
  pk: string;
  entry: LogEntry;
  origin_replica: string | null;
  origin_seq: number | null;
  echo: boolean;
}

export class HubStore {
  private readonly clock = new HybridClock(() => Date.now());
  private publicKey: KeyObject | null = null;

  constructor(
    readonly pool: pg.Pool,
    private readonly receiptKey: KeyObject,
    readonly hubId: string,
  ) {}

  /** Runs `fn` in a transaction, again (a few times) when PostgreSQL chose it to break a deadlock. */
  async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const c = await this.pool.connect();
      try {
        await c.query('BEGIN');
        const result = await fn(c);
        await c.query('COMMIT');
        return result;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        if (attempt < 5 && isRetryable(err)) continue;
        throw err;
      } finally {
        c.release();
      }
    }
  }

  private fresh(atLeast: string): string {
    return this.clock.tick('hub', 0, atLeast);
  }

  private receipt(chain: string, seq: number, hash: string): Receipt {
    const body = { chain, seq, hash, hubTime: new Date().toISOString() };
    return { ...body, signature: sign('sha256', Buffer.from(receiptText(body)), this.receiptKey).toString('base64') };
  }

  // -------------------------------------------------------------------------------------------
  // Push

  async push(pc: Pc, req: PushRequest): Promise<PushResponse> {
    const changes = [...req.changes].sort((a, b) => a.seq - b.seq);
    for (let i = 1; i < changes.length; i++) {
      if (changes[i]!.seq !== changes[i - 1]!.seq + 1)
        throw new HubHttpError(400, 'bad_request', 'The changes of a push must be numbered one after another.');
    }
    const result = await this.tx((c) => this.pushIn(c, pc, req.replica, changes));
    await this.pool.query('UPDATE hub_pcs SET last_push_at = now(), last_seen_at = now() WHERE pc_id = $1', [pc.pcId]);
    return result;
  }

  private async pushIn(c: pg.PoolClient, pc: Pc, replica: string, changes: Change[]): Promise<PushResponse> {
    // The hub's own stamps say "hub": a history of that name would be credited with the hub's decisions.
    if (replica === HUB_NODE) throw new HubHttpError(403, 'forbidden', 'A history cannot be called "hub": that name is the hub\'s own.');
    // Revoked since the request was let in (`hub revoke` between the check and this push): nothing
    // is taken. The row is held so that a revocation waits for a push under way, or the push sees it.
    const held = (
      await c.query<{ name: string; revoked_at: Date | null }>('SELECT name, revoked_at FROM hub_pcs WHERE pc_id = $1 FOR SHARE', [pc.pcId])
    ).rows[0];
    if (held?.revoked_at) throw revokedError(held.name, held.revoked_at);
    // A new history is this PC's, unless it is named after another PC (a PC's first history is:
    // enrol reserves it, and this covers PCs enrolled before it did).
    await c.query(
      `INSERT INTO hub_replicas (replica, pc_id) SELECT $1, $2
       WHERE NOT EXISTS (SELECT 1 FROM hub_pcs WHERE pc_id = $1 AND pc_id <> $2) ON CONFLICT (replica) DO NOTHING`,
      [replica, pc.pcId],
    );
    const rep = (
      await c.query<{ pc_id: string; head_seq: number; head_hash: string }>(
        'SELECT pc_id, head_seq, head_hash FROM hub_replicas WHERE replica = $1 FOR UPDATE',
        [replica],
      )
    ).rows[0];
    if (rep?.pc_id !== pc.pcId) throw new HubHttpError(403, 'forbidden', 'That history belongs to another PC.');
    // By seq: a push of thousands of changes looks each one up several times.
    const hashes = new Map(changes.map((ch) => [ch.seq, changeHash(ch)]));
    // Changes the hub already has: the same change sent again is fine; another one under the same number is a rewrite.
    const seen = changes.filter((ch) => ch.seq <= rep.head_seq);
    if (seen.length > 0) {
      const had = new Map(
        (
          await c.query<{ seq: number; hash: string }>(
            'SELECT seq, hash FROM hub_received WHERE replica = $1 AND seq = ANY($2::bigint[])',
            [replica, seen.map((s) => s.seq)],
          )
        ).rows.map((r) => [r.seq, r.hash]),
      );
      for (const ch of seen) {
        const h = had.get(ch.seq);
        if (h !== undefined && h !== hashes.get(ch.seq)) {
          throw new HubHttpError(
            409,
            'fork',
            `This PC's change ${ch.seq} differs from the one the hub already has under that number: its database was put back from an older copy. The hub has its changes up to ${rep.head_seq}.`,
          );
        }
      }
    }
    const fresh = changes.filter((ch) => ch.seq > rep.head_seq);
    if (fresh.length === 0) return { acceptedThrough: rep.head_seq, quarantined: [], receipts: [], hubTime: Date.now() };
    if (rep.head_seq > 0 && fresh[0]!.seq !== rep.head_seq + 1) {
      throw new HubHttpError(409, 'gap', `The hub has this PC's changes up to ${rep.head_seq}; send from ${rep.head_seq + 1}.`);
    }
    const now = Date.now();
    const quarantined: Quarantined[] = [];
    const quarantine = (ch: Change, reason: string) => quarantined.push({ seq: ch.seq, tbl: ch.tbl, pk: ch.pk, reason });
    // This push's user changes refused for want of their audit entry: kept whole, to be taken once it arrives.
    const awaiting = new Set<number>();
    const valid: Change[] = [];
    const othersHistories = await this.othersHistories(
      c,
      pc,
      fresh.filter((ch) => isHlc(ch.hlc)).map((ch) => parseHlc(ch.hlc).node),
    );
    for (const ch of fresh) {
      const problem =
        changeProblem(ch, now) ??
        (othersHistories.has(parseHlc(ch.hlc).node)
          ? `its clock stamp names another PC's history (${parseHlc(ch.hlc).node}): a PC stamps its changes with its own`
          : null);
      if (problem) quarantine(ch, problem);
      else valid.push(ch);
    }
    const byTable = new Map<SyncTable, Change[]>();
    for (const t of SYNC_TABLES) {
      const list = valid.filter((ch) => ch.tbl === t.name);
      if (list.length) byTable.set(t, list);
    }
    const log: LogRow[] = [];
    const conflicts: ConflictRecord[] = [];
    const receipts: Receipt[] = [];
    const dataWrites: { t: SyncTable; rows: Record<string, unknown>[]; mode: 'nothing' | 'update'; own: string[] }[] = [];
    // The PC each record of this push was made on (records come before their parts in the table list).
    const recordsMadeOn = new Map<string, string>();
    // Users last: a user, new or changed, is taken only with an audit entry of it, this push's once that entry is taken.
    for (const [t, list] of [...byTable].filter(([t]) => t.name !== 'users')) {
      if (t.kind === 'append') {
        const rows = await this.pushAppend(c, t, replica, list, quarantine, log, receipts, pc, recordsMadeOn);
        if (rows.length) dataWrites.push({ t, rows, mode: 'nothing', own: ['_hash'] });
      } else {
        const rows = await this.pushMerge(c, t, replica, list, quarantine, log, conflicts);
        if (rows.length) dataWrites.push({ t, rows, mode: 'update', own: ['_clocks', '_exists'] });
      }
    }
    // The user changes refused before for want of an entry this push brings (this PC's or another's)
    // go first, as they were made first; then this push's. The same checks and merge for both: what
    // is still not vouched for stays refused as it was, and the field clocks decide the rest.
    const usersTable = syncTable('users')!;
    const retakes = await this.awaitingEntries(c, valid, quarantined);
    const users = [...retakes.keys(), ...(byTable.get(usersTable) ?? [])];
    const retaken = new Set<Change>();
    if (users.length) {
      const refuse = (ch: Change, reason: string) => {
        if (retakes.has(ch)) return;
        quarantine(ch, reason);
        awaiting.add(ch.seq);
      };
      const taken = await this.auditedUserChanges(c, usersTable, users, valid, quarantined, refuse);
      for (const ch of taken) if (retakes.has(ch)) retaken.add(ch);
      const origins = new Map([...retakes].map(([ch, r]) => [ch, r.replica]));
      const rows =
        taken.length === 0
          ? []
          : await this.pushMerge(c, usersTable, replica, taken, (ch, reason) => (retakes.has(ch) ? retaken.delete(ch) : quarantine(ch, reason)), log, conflicts, origins);
      if (rows.length) dataWrites.push({ t: usersTable, rows, mode: 'update', own: ['_clocks', '_exists'] });
    }
    if (conflicts.length) {
      const t = syncTable('sync_conflicts')!;
      const names = await this.pcNames(
        c,
        conflicts.flatMap((k) => [k.winner_hlc, k.loser_hlc]),
      );
      const rows: Record<string, unknown>[] = [];
      for (const k of conflicts) {
        const stamp = this.fresh(k.winner_hlc > k.loser_hlc ? k.winner_hlc : k.loser_hlc);
        const data: Record<string, unknown> = {
          tbl: k.tbl,
          pk: k.pk,
          fields: k.fields,
          winner_value: k.winner_value,
          winner_hlc: k.winner_hlc,
          winner_pc: names(k.winner_hlc),
          loser_value: k.loser_value,
          loser_hlc: k.loser_hlc,
          loser_pc: names(k.loser_hlc),
          rule: k.rule,
          detected_at: new Date(now).toISOString(),
          resolved_at: null,
          resolved_by: null,
          resolution: null,
          _exists: 1,
        };
        const clocks = Object.fromEntries(Object.keys(data).map((f) => [f, stamp]));
        const pk = JSON.stringify([k.id]);
        const existing = (await c.query('SELECT 1 FROM sync_conflicts WHERE _pk = $1', [pk])).rowCount;
        if (existing) continue;
        rows.push(pgRow(t, pk, data, { _clocks: clocks, _exists: true }));
        log.push({ tbl: t.name, pk, entry: { tbl: t.name, pk, data, clocks }, origin_replica: null, origin_seq: null, echo: true });
      }
      if (rows.length) dataWrites.push({ t, rows, mode: 'nothing', own: ['_clocks', '_exists'] });
    }
    // The log first, for each row's position; then the rows.
    const positions = new Map<string, number>();
    if (log.length) {
      const inserted = await c.query<{ pos: number; tbl: string; pk: string }>(
        `INSERT INTO hub_log (tbl, pk, entry, origin_replica, origin_seq, echo)
         SELECT tbl, pk, entry, origin_replica, origin_seq, echo FROM json_to_recordset($1)
           AS x(tbl text, pk text, entry text, origin_replica text, origin_seq bigint, echo boolean)
         RETURNING pos, tbl, pk`,
        [JSON.stringify(log.map((l) => ({ ...l, entry: JSON.stringify(l.entry) })))],
      );
      for (const r of inserted.rows) positions.set(`${r.tbl}\u0000${r.pk}`, r.pos);
    }
    for (const w of dataWrites) {
      for (const row of w.rows) row._pos = positions.get(`${w.t.name}\u0000${String(row._pk)}`) ?? null;
      await c.query(bulkInsertSql(w.t, [...w.own, '_pos'], w.mode), [JSON.stringify(w.rows)]);
    }
    const quarantinedSeqs = new Set(quarantined.map((x) => x.seq));
    await c.query(
      `INSERT INTO hub_received (replica, seq, hash, quarantined) SELECT $1, seq, hash, quarantined FROM json_to_recordset($2) AS x(seq bigint, hash text, quarantined boolean)`,
      [replica, JSON.stringify(fresh.map((ch) => ({ seq: ch.seq, hash: hashes.get(ch.seq), quarantined: quarantinedSeqs.has(ch.seq) })))],
    );
    if (quarantined.length) {
      // PostgreSQL's text cannot hold a NUL: a key or table name holding one is kept with U+FFFD in its place.
      const storable = (text: string) => text.replace(/\u0000/g, '\ufffd');
      await c.query(
        `INSERT INTO hub_quarantine (replica, seq, tbl, pk, op, data, reason, hlc, base, awaits_entry)
         SELECT $1, seq, tbl, pk, op, data, reason, hlc, base, awaits_entry FROM json_to_recordset($2)
           AS x(seq bigint, tbl text, pk text, op text, data text, reason text, hlc text, base text, awaits_entry boolean)`,
        [
          replica,
          JSON.stringify(
            quarantined.map((x) => {
              const ch = fresh.find((f) => f.seq === x.seq)!;
              const waits = awaiting.has(x.seq);
              return {
                ...x,
                tbl: storable(x.tbl),
                pk: storable(x.pk),
                reason: storable(x.reason),
                op: ch.op,
                data: JSON.stringify(ch.data),
                // Only a change awaiting its entry is kept whole: it is taken once the entry arrives.
                hlc: waits ? ch.hlc : null,
                base: waits && ch.base ? JSON.stringify(ch.base) : null,
                awaits_entry: waits,
              };
            }),
          ),
        ],
      );
    }
    // This PC's refused changes taken now, named in the answer (another PC's learns at its next check-in: status).
    const taken: Taken[] = [];
    if (retaken.size) {
      // Taken now: no longer refused, at the hub or in what it says it received; kept in
      // hub_quarantine_taken (hub schema version 5) to tell the PC that sent it.
      const ids = [...retaken].map((ch) => retakes.get(ch)!.id);
      await c.query(
        `UPDATE hub_received r SET quarantined = false FROM hub_quarantine q
         WHERE q.id = ANY($1) AND r.replica = q.replica AND r.seq = q.seq`,
        [ids],
      );
      await c.query(
        `INSERT INTO hub_quarantine_taken (replica, seq, tbl, pk, hlc, reason, refused_at)
         SELECT replica, seq, tbl, pk, hlc, reason, at FROM hub_quarantine WHERE id = ANY($1) ON CONFLICT (replica, seq) DO NOTHING`,
        [ids],
      );
      await c.query('DELETE FROM hub_quarantine WHERE id = ANY($1)', [ids]);
      for (const ch of retaken) {
        const from = retakes.get(ch)!;
        if (from.pcId === pc.pcId) taken.push({ replica: from.replica, seq: ch.seq, tbl: ch.tbl, pk: ch.pk });
      }
    }
    const last = fresh[fresh.length - 1]!;
    await c.query('UPDATE hub_replicas SET head_seq = $2, head_hash = $3 WHERE replica = $1', [replica, last.seq, hashes.get(last.seq)]);
    return { acceptedThrough: last.seq, quarantined, receipts, hubTime: Date.now(), ...(taken.length ? { taken } : {}) };
  }

  /**
   * The user changes the hub refused before for want of their audit entry (kept whole:
   * `awaits_entry`) about the users this push's audit entries are about, oldest first, each with
   * its quarantine row and the history that sent it: taken through the same checks as this push's
   * own (pushIn). A revoked PC's stay refused (it no longer syncs). Locked, so two pushes bringing
   * entries about one user take a refused change once.
   */
  private async awaitingEntries(
    c: pg.PoolClient,
    valid: Change[],
    quarantined: Quarantined[],
  ): Promise<Map<Change, { id: number; replica: string; pcId: string }>> {
    const refused = new Set(quarantined.map((x) => x.seq));
    const pks = [
      ...new Set(
        valid
          .filter((ch) => ch.tbl === 'audit_log' && !refused.has(ch.seq) && (ch.data.entity === 'user' || ch.data.entity === 'users'))
          .map((ch) => pkText([String(ch.data.entity_id)])),
      ),
    ];
    const retakes = new Map<Change, { id: number; replica: string; pcId: string }>();
    if (pks.length === 0) return retakes;
    const rows = (
      await c.query<{ id: string; replica: string; pc_id: string; seq: string; pk: string; op: string; data: string; hlc: string; base: string | null }>(
        `SELECT q.id, q.replica, r.pc_id, q.seq, q.pk, q.op, q.data, q.hlc, q.base FROM hub_quarantine q
           JOIN hub_replicas r ON r.replica = q.replica JOIN hub_pcs p ON p.pc_id = r.pc_id
         WHERE q.awaits_entry AND q.pk = ANY($1) AND q.tbl = 'users' AND q.hlc IS NOT NULL AND p.revoked_at IS NULL
         ORDER BY q.id FOR UPDATE OF q`,
        [pks],
      )
    ).rows;
    const json = (text: string | null): unknown => {
      try {
        return text === null ? null : (JSON.parse(text) as unknown);
      } catch {
        return undefined;
      }
    };
    for (const r of rows) {
      // Kept as the push gave it; a row someone altered since, no longer a change, stays where it is.
      const parsed = ChangeSchema.safeParse({ seq: Number(r.seq), hlc: r.hlc, tbl: 'users', pk: r.pk, op: r.op, data: json(r.data), base: json(r.base) });
      if (parsed.success) retakes.set(parsed.data, { id: Number(r.id), replica: r.replica, pcId: r.pc_id });
    }
    return retakes;
  }

  /**
   * Of the changes to users, those the hub takes: a user new to the hub comes with the `create`
   * entry Wardkeep writes when it adds one, and a change of a user the hub holds (a role, a PIN
   * hash, a name, whether they may sign in…) with the audit entry Wardkeep writes of it, about that
   * user, recording the value it would write (tables.ts, vouchesFor: a new user's entry is no
   * warrant for a later role or PIN). The entry is in the same push (Wardkeep writes the row, then
   * the entry, in one transaction, and a batch keeps them together: engine.ts), or the hub took it
   * before: a PC
   * joining, or sending again what a restored hub lost, sends its chain's entries first and its
   * users after them, in as many pushes as it takes. An entry taken before vouches for a change
   * only if it is not older than the value the hub holds (an old entry cannot bring back a role
   * someone changed since; one older than a value it would lose to is enough). Without one, an
   * enrolled PC's key holder could give every PC a new administrator, or a user another role or a
   * PIN of their choosing, with no trace in any trail: quarantined, naming the user and what it
   * would change, and kept whole to be taken once a later push brings the entry (awaitingEntries).
   * A field sent with the value the hub holds (a PC joining again sends every row it holds) changes
   * nothing and passes.
   */
  private async auditedUserChanges(
    c: pg.PoolClient,
    t: SyncTable,
    list: Change[],
    valid: Change[],
    quarantined: Quarantined[],
    quarantine: (ch: Change, reason: string) => void,
  ): Promise<Change[]> {
    const pks = [...new Set(list.map((ch) => ch.pk))];
    const held = new Map(
      (await c.query(`SELECT * FROM ${q(t.name)} WHERE _pk = ANY($1)`, [pks])).rows.map((r: Record<string, unknown>) => [String(r._pk), storedRow(t, r)]),
    );
    const idOf = (pk: string) => String((JSON.parse(pk) as unknown[])[0]);
    const refused = new Set(quarantined.map((x) => x.seq));
    const entries = valid.filter((ch) => ch.tbl === 'audit_log' && !refused.has(ch.seq)).map((ch) => ch.data);
    // The entries the hub took before, read only for a change this push's entries do not vouch for
    // (the hub's audit log is its biggest table, and a push's users usually come with theirs).
    let earlier: Promise<{ entity_id: string; action: string; new_value: string | null; at: string }[]> | null = null;
    const entriesBefore = async (id: string) =>
      (
        await (earlier ??= c
          .query<{ entity_id: string; action: string; new_value: string | null; at: string }>(
            USER_ENTRIES_SQL,
            [pks.map(idOf)],
          )
          .then((r) => r.rows))
      ).filter((e) => e.entity_id === id);
    const taken: Change[] = [];
    for (const ch of list) {
      const row = held.get(ch.pk);
      const id = idOf(ch.pk);
      const about = entries.filter((e) => (e.entity === 'user' || e.entity === 'users') && e.entity_id === id);
      if (!row || !isLive(row)) {
        // A change that cannot make a row (a name alone) is refused by the merge, naming what it lacks.
        const cannotMake = missingRequired(t, { data: ch.data, clocks: {} }) !== null;
        if (cannotMake || about.some((e) => e.action === 'create') || (await entriesBefore(id)).some((e) => e.action === 'create')) taken.push(ch);
        else {
          quarantine(
            ch,
            `users ${ch.pk} ("${typeof ch.data.name === 'string' ? ch.data.name : ''}"): this push adds a new user without the audit entry Wardkeep writes when it adds one: a user is added only through Wardkeep, which records who added them`,
          );
        }
        continue;
      }
      const changed = Object.keys(ch.data).filter((f) => f !== '_exists' && !sameUserValue(f, ch.data[f], row.data[f]));
      // A value that would replace the one held needs an entry recording it; one that would lose to
      // it changes nothing here (a PC joining again sends the PIN it was created with, older than
      // the reset another PC made since), and the entry of the user's creation or of a decision
      // about them is enough for it, as before the hub held their later values.
      const vouches = (e: { action?: unknown; new_value?: unknown }, f: string) =>
        vouchesFor(e, f, ch.data[f]) || (!wouldReplace(t, row, ch, f) && (e.action === 'create' || e.action === 'resolve_conflict'));
      // An entry taken before, for a value that would replace the one held, is not older than it.
      const current = (f: string, at: string) => !wouldReplace(t, row, ch, f) || !row.clocks[f] || Date.parse(at) >= hlcTime(row.clocks[f]).getTime();
      const pending = changed.filter((f) => !about.some((e) => vouches(e, f)));
      const before = pending.length > 0 ? await entriesBefore(id) : [];
      const unvouched = pending.filter((f) => !before.some((e) => current(f, e.at) && vouches(e, f)));
      if (unvouched.length === 0) taken.push(ch);
      else {
        quarantine(
          ch,
          `users ${ch.pk} ("${String(row.data.name)}"): this push changes ${userFieldWords(unvouched)} without the audit entry Wardkeep writes of it: a user is changed only through Wardkeep, which records who changed what`,
        );
      }
    }
    return taken;
  }

  /**
   * Of the histories clock stamps name, those that are not this PC's to stamp: another PC's (its
   * histories at the hub, and any named after its id) and the hub's own. A history the hub has
   * never seen is the PC's new one (a restore's, a fork's).
   */
  private async othersHistories(c: pg.PoolClient, pc: Pc, nodes: string[]): Promise<Set<string>> {
    const unique = [...new Set(nodes)];
    const rows = (
      await c.query<{ node: string }>(
        `SELECT replica AS node FROM hub_replicas WHERE replica = ANY($1) AND pc_id <> $2
         UNION SELECT pc_id FROM hub_pcs WHERE pc_id = ANY($1) AND pc_id <> $2`,
        [unique.filter((n) => !n.includes('\u0000')), pc.pcId],
      )
    ).rows;
    return new Set([HUB_NODE, ...rows.map((r) => r.node)]);
  }

  /** Names of the PCs behind clock stamps (the hub's own stamps say "hub"). */
  private async pcNames(c: pg.PoolClient, stamps: string[]): Promise<(stamp: string) => string> {
    const nodes = [...new Set(stamps.map((s) => parseHlc(s).node))];
    const rows = (
      await c.query<{ replica: string; name: string }>(
        'SELECT r.replica, p.name FROM hub_replicas r JOIN hub_pcs p ON p.pc_id = r.pc_id WHERE r.replica = ANY($1)',
        [nodes],
      )
    ).rows;
    const map = new Map(rows.map((r) => [r.replica, r.name]));
    return (stamp) => {
      const node = parseHlc(stamp).node;
      // The hub's first: a history a PC named "hub" (refused since) never takes its decisions.
      return node === HUB_NODE ? HUB_NODE : (map.get(node) ?? node);
    };
  }

  private async pushMerge(
    c: pg.PoolClient,
    t: SyncTable,
    replica: string,
    list: Change[],
    quarantine: (ch: Change, reason: string) => void,
    log: LogRow[],
    conflicts: ConflictRecord[],
    // The history each change came from, where not this push's (a user change refused before).
    origins: ReadonlyMap<Change, string> = new Map(),
  ): Promise<Record<string, unknown>[]> {
    const pks = [...new Set(list.map((ch) => ch.pk))].sort();
    // Moves are checked against the whole tree, which no row lock covers: one push that moves locations at a time.
    const moves = t.name === 'locations' && list.some((ch) => Object.hasOwn(ch.data, 'parent_id'));
    if (moves) await c.query('SELECT pg_advisory_xact_lock($1)', [LOCATION_TREE_LOCK]);
    // A row the hub does not have yet is made empty first, so two pushes of the same new row wait for each other.
    await c.query(
      `INSERT INTO ${q(t.name)} (_pk, ${t.key.map(q).join(', ')}) SELECT _pk, ${t.key.map(q).join(', ')} FROM json_populate_recordset(NULL::${q(t.name)}, $1) ON CONFLICT (_pk) DO NOTHING`,
      [JSON.stringify(pks.map((pk) => pgRow(t, pk, {}, {})))],
    );
    const current = (await c.query(`SELECT * FROM ${q(t.name)} WHERE _pk = ANY($1) ORDER BY _pk FOR UPDATE`, [pks])).rows as Record<
      string,
      unknown
    >[];
    const state = new Map<string, StoredRow | null>(current.map((r) => [String(r._pk), storedRow(t, r)]));
    const touched = new Map<string, { echo: boolean; seq: number; replica: string }>();
    const fresh = (atLeast: string) => this.fresh(atLeast);
    // The conflicts of moves the hub refused in this push, by row: the PC's next write of the same
    // place in this push (a move is written in steps) loses to that decision too, and replaces it.
    const refusedMoves = new Map<string, ConflictRecord>();
    for (const ch of list) {
      const before = state.get(ch.pk) ?? null;
      let result = mergeChange(t, before, ch, fresh);
      // A row the hub did not hold, made by a change of some of its fields (an update): every PC
      // would refuse it on arrival, stopping its pull, and a new PC its download.
      const missing = !isLive(before) && isLive(result.row) ? missingRequired(t, result.row) : null;
      if (missing) {
        quarantine(
          ch,
          `${t.name} ${ch.pk} would have no ${missing}, which every PC requires: the hub holds no such row, and a change of some of its fields cannot make one`,
        );
        continue;
      }
      if (moves && result.row.data.parent_id !== before?.data.parent_id && (await this.insideItself(c, state, ch.pk, result.row))) {
        if (!isLive(before)) {
          quarantine(ch, `locations ${ch.pk} would be inside itself: its parent ${String(result.row.data.parent_id)} is in its own branch`);
          continue;
        }
        // Two moves made apart (North under South on one PC, South under North on another): the later keeps the place it had.
        result = keepHeld(t, before, result, ch, groupOf(t, 'parent_id'), fresh);
        conflicts.push(...result.conflicts);
        refusedMoves.set(ch.pk, result.conflicts[result.conflicts.length - 1]!);
      } else {
        const refused = refusedMoves.get(ch.pk);
        for (const k of result.conflicts) {
          if (refused && k.fields === refused.fields && k.winner_hlc === refused.winner_hlc) {
            conflicts.splice(conflicts.indexOf(refused), 1, k);
            refusedMoves.set(ch.pk, k);
          } else conflicts.push(k);
        }
      }
      state.set(ch.pk, result.row);
      const prev = touched.get(ch.pk);
      const origin = origins.get(ch) ?? replica;
      // A row two histories wrote in this push goes back to both: each lacks the other's values.
      touched.set(ch.pk, { echo: (prev?.echo ?? false) || result.echo || (prev !== undefined && prev.replica !== origin), seq: ch.seq, replica: origin });
    }
    const rows: Record<string, unknown>[] = [];
    for (const [pk, info] of touched) {
      const row = state.get(pk)!;
      log.push({ tbl: t.name, pk, entry: entryOfStored(t, pk, row), origin_replica: info.replica, origin_seq: info.seq, echo: info.echo });
      rows.push(pgRow(t, pk, row.data, { _clocks: row.clocks, _exists: Number(row.data._exists ?? 1) !== 0 }));
    }
    return rows;
  }

  /**
   * Whether a location, with `row` as its new place, would be in its own branch: its parents are
   * walked up, each as this push leaves it (`state`) or as the hub holds it. Called with the
   * location tree lock held, so no other push moves a location meanwhile.
   */
  private async insideItself(c: pg.PoolClient, state: Map<string, StoredRow | null>, pk: string, row: StoredRow): Promise<boolean> {
    if (!isLive(row)) return false;
    const id = (JSON.parse(pk) as unknown[])[0];
    const seen = new Set<unknown>();
    let cur: unknown = row.data.parent_id;
    while (typeof cur === 'string' && !seen.has(cur)) {
      if (cur === id) return true;
      seen.add(cur);
      const at = pkText([cur]);
      if (state.has(at)) {
        const held = state.get(at) ?? null;
        cur = isLive(held) ? held.data.parent_id : null;
      } else {
        const r = (await c.query<{ parent_id: string | null; _exists: boolean }>('SELECT parent_id, _exists FROM locations WHERE _pk = $1', [at])).rows[0];
        cur = r?._exists ? r.parent_id : null;
      }
    }
    return false;
  }

  private async pushAppend(
    c: pg.PoolClient,
    t: SyncTable,
    replica: string,
    list: Change[],
    quarantine: (ch: Change, reason: string) => void,
    log: LogRow[],
    receipts: Receipt[],
    pc: Pc,
    recordsMadeOn: Map<string, string>,
  ): Promise<Record<string, unknown>[]> {
    const existing = new Map(
      (
        await c.query<{ _pk: string; _hash: string }>(`SELECT _pk, _hash FROM ${q(t.name)} WHERE _pk = ANY($1)`, [list.map((ch) => ch.pk)])
      ).rows.map((r) => [r._pk, r._hash]),
    );
    const heads = new Map<string, { seq: number; hash: string }>();
    if (t.name === 'audit_log') {
      const chains = [...new Set(list.map((ch) => String(ch.data.chain_id)))];
      const rows = (
        await c.query<{ chain_id: string; seq: number; hash: string }>(
          'SELECT chain_id, seq, hash FROM hub_audit_heads WHERE chain_id = ANY($1) FOR UPDATE',
          [chains],
        )
      ).rows;
      for (const r of rows) heads.set(r.chain_id, { seq: r.seq, hash: r.hash });
    }
    const advanced = new Set<string>();
    const rows: Record<string, unknown>[] = [];
    // The PCs the hub knows (revoked or not), read once, when a row says it was made on another PC.
    let pcs: Promise<Set<string>> | null = null;
    const knownPcs = () =>
      (pcs ??= c.query<{ pc_id: string }>('SELECT pc_id FROM hub_pcs').then((r) => new Set(r.rows.map((x) => x.pc_id))));
    // For a record's parts: the PC each record they belong to was made on, from this push or as the hub holds it.
    if (RECORD_PARTS.has(t.name)) {
      const ids = [...new Set(list.map((ch) => String((JSON.parse(ch.pk) as unknown[])[0])))].filter((id) => !recordsMadeOn.has(id));
      const held = (await c.query<{ id: string; pc_id: string | null }>('SELECT id, pc_id FROM completions WHERE id = ANY($1)', [ids])).rows;
      for (const r of held) if (r.pc_id !== null) recordsMadeOn.set(r.id, r.pc_id);
    }
    for (const ch of list) {
      const hash = appendHash(t, ch.data);
      const had = existing.get(ch.pk);
      if (had !== undefined) {
        if (had !== hash)
          quarantine(ch, `${t.name} ${ch.pk} is already at the hub with other content: a permanent row cannot be rewritten`);
        continue;
      }
      // A row new to the hub comes from the PC it was made on: it cannot say another PC made it.
      const madeOn = ch.data.pc_id;
      if (typeof madeOn === 'string' && madeOn !== pc.pcId && (await knownPcs()).has(madeOn)) {
        quarantine(ch, `${t.name} ${ch.pk} says it was made on another PC (pc_id ${madeOn}): a PC sends only what was made on it`);
        continue;
      }
      // A record's checklist results and readings are signed with it, on the PC it was made on: another PC cannot add to them.
      const record = RECORD_PARTS.has(t.name) ? String((JSON.parse(ch.pk) as unknown[])[0]) : null;
      const recordOn = record === null ? undefined : recordsMadeOn.get(record);
      if (recordOn !== undefined && recordOn !== pc.pcId && (await knownPcs()).has(recordOn)) {
        quarantine(
          ch,
          `${t.name} ${ch.pk} adds to record ${record}, which was made on another PC (pc_id ${recordOn}): a record's checklist results and readings come only from the PC it was made on`,
        );
        continue;
      }
      if (t.name === 'audit_log') {
        const problem = await this.auditProblem(c, replica, ch, heads);
        if (problem) {
          quarantine(ch, problem);
          continue;
        }
        const chain = String(ch.data.chain_id);
        heads.set(chain, { seq: Number(ch.data.seq), hash: String(ch.data.hash) });
        advanced.add(chain);
      }
      existing.set(ch.pk, hash);
      if (t.name === 'completions' && typeof madeOn === 'string') recordsMadeOn.set(String((JSON.parse(ch.pk) as unknown[])[0]), madeOn);
      rows.push(pgRow(t, ch.pk, ch.data, { _hash: hash }));
      log.push({
        tbl: t.name,
        pk: ch.pk,
        entry: entryOfAppend(t, ch.pk, ch.data),
        origin_replica: replica,
        origin_seq: ch.seq,
        echo: false,
      });
    }
    for (const chain of advanced) {
      const h = heads.get(chain)!;
      await c.query(
        `INSERT INTO hub_audit_heads (chain_id, seq, hash, pc_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (chain_id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash, updated_at = now()`,
        [chain, h.seq, h.hash, pc.pcId],
      );
      receipts.push(this.receipt(chain, h.seq, h.hash));
    }
    return rows;
  }

  /** An audit entry must be the PC's own, correctly hashed, and follow its chain's head without a gap. */
  private async auditProblem(
    c: pg.PoolClient,
    replica: string,
    ch: Change,
    heads: Map<string, { seq: number; hash: string }>,
  ): Promise<string | null> {
    const d = ch.data;
    const chain = String(d.chain_id);
    const seq = Number(d.seq);
    if (chain !== replica) return `audit entry ${seq} belongs to chain ${chain}, not to this PC's chain`;
    const { hash, chain_id: _chain, ...rest } = d as Record<string, string | number | null>;
    const id = (JSON.parse(ch.pk) as string[])[0];
    const computed = hashEntry({ ...rest, id } as unknown as Parameters<typeof hashEntry>[0]);
    if (computed !== hash) return `audit entry ${seq} of chain ${chain} does not hash to its hash: it was changed after it was written`;
    const head = heads.get(chain);
    if (head) {
      if (seq !== head.seq + 1)
        return `audit entry ${seq} of chain ${chain} does not follow the hub's entry ${head.seq}: entries are missing or written twice`;
      if (d.prev_hash !== head.hash)
        return `audit entry ${seq} of chain ${chain} does not link to entry ${head.seq}: the chain was rewritten`;
      return null;
    }
    if (seq === 1) return d.prev_hash === GENESIS_HASH ? null : `audit entry 1 of chain ${chain} does not start a chain`;
    const branch = await c.query('SELECT 1 FROM audit_log WHERE seq = $1 AND hash = $2 LIMIT 1', [seq - 1, d.prev_hash]);
    return branch.rowCount
      ? null
      : `audit entry ${seq} of chain ${chain} is the first the hub sees and follows no entry it has: entries 1 to ${seq - 1} are missing`;
  }

  // -------------------------------------------------------------------------------------------
  // Pull and snapshot

  async pull(pc: Pc, req: PullRequest): Promise<PullResponse> {
    return JSON.parse((await this.pullRaw(pc, req)).text) as PullResponse;
  }

  /**
   * The pull's answer as JSON text, the log's entries copied in as they are stored: a PC catching
   * up on a hundred thousand entries costs the hub no parsing.
   */
  async pullRaw(pc: Pc, req: PullRequest): Promise<RawJson> {
    const [xid, pos] = req.cursor ? req.cursor.split(':') : ['0', '0'];
    if (!/^\d+$/.test(xid ?? '') || !/^\d+$/.test(pos ?? ''))
      throw new HubHttpError(400, 'bad_request', 'The cursor is not one the hub gave.');
    // Only entries of transactions older than every transaction of this database still running:
    // one that commits late can then never be passed over by a cursor that moved on. The key and
    // the horizon both carry the hub's offset (schema.ts, migrations 2 and 6). The horizon is read
    // in a statement of its own, before the log's (schema.ts, 6), on the same connection: a pull
    // waits its turn for one once, not twice, while PCs are pushing.
    type LogRow = { xid: string; pos: number; entry: string; origin_replica: string | null; echo: boolean };
    const c = await this.pool.connect();
    let rows: LogRow[];
    try {
      const horizon = (await c.query<{ h: string }>('SELECT hub_log_pull_horizon()::text AS h')).rows[0]!.h;
      rows = (
        await c.query<LogRow>(
          // Ordered by the log's own columns, not the text `xid` the answer carries (a bare name in
          // ORDER BY is the output column's): the index's order, read from the cursor on.
          `SELECT l.xid::text AS xid, l.pos, l.entry, l.origin_replica, l.echo FROM hub_log l
           WHERE (l.xid, l.pos) > ($1::text::xid8, $2::bigint) AND l.xid < $4::text::xid8
           ORDER BY l.xid, l.pos LIMIT $3`,
          [xid, pos, req.limit, horizon],
        )
      ).rows;
    } finally {
      c.release();
    }
    const entries = rows.filter((r) => !(r.origin_replica === req.replica && !r.echo)).map((r) => r.entry);
    const last = rows[rows.length - 1];
    await this.pool.query('UPDATE hub_pcs SET last_pull_at = now(), last_seen_at = now() WHERE pc_id = $1', [pc.pcId]);
    const cursor = last ? `${last.xid}:${last.pos}` : req.cursor;
    return new RawJson(
      `{"entries":[${entries.join(',')}],"cursor":${JSON.stringify(cursor)},"more":${rows.length === req.limit},"hubTime":${Date.now()}}`,
    );
  }

  /** Where a new PC starts following the log: before anything its snapshot may miss. */
  async snapshotStart(): Promise<{ cursor: string; counts: Record<string, number>; hubTime: number }> {
    const r = await this.pool.query<{ xid: string }>('SELECT (hub_log_pull_horizon()::text::bigint - 1)::text AS xid');
    const counts: Record<string, number> = {};
    for (const t of SYNC_TABLES) {
      counts[t.name] = (await this.pool.query<{ n: number }>(`SELECT count(*)::bigint AS n FROM ${q(t.name)}`)).rows[0]!.n;
    }
    // Every entry below the horizon is of a transaction that has ended, so it is in the tables the
    // download reads after this; entries from the horizon on follow in the log.
    return { cursor: `${r.rows[0]!.xid}:${Number.MAX_SAFE_INTEGER}`, counts, hubTime: Date.now() };
  }

  async snapshotPage(req: SnapshotPageRequest): Promise<SnapshotPageResponse> {
    return JSON.parse((await this.snapshotPageRaw(req)).text) as SnapshotPageResponse;
  }

  /** A page of the snapshot as JSON text written by PostgreSQL: a new PC downloads millions of rows, the hub reads none of them. */
  async snapshotPageRaw(req: SnapshotPageRequest): Promise<RawJson> {
    const t = syncTable(req.tbl);
    if (!t) throw new HubHttpError(404, 'not_found', `The hub keeps no table called ${req.tbl}.`);
    const rows = (await this.pool.query<{ _pk: string; entry: string | null }>(snapshotPageSql(t), [req.after ?? '', req.limit])).rows;
    const entries: string[] = [];
    for (const r of rows) if (r.entry !== null) entries.push(r.entry);
    const after = rows.length === req.limit ? rows[rows.length - 1]!._pk : null;
    return new RawJson(`{"rows":[${entries.join(',')}],"after":${JSON.stringify(after)},"hubTime":${Date.now()}}`);
  }

  async status(pc: Pc, req: StatusRequest): Promise<StatusResponse> {
    await this.revokeAgain(req.revocations ?? []);
    const rows = (
      await this.pool.query<{ replica: string; head_seq: number; head_hash: string }>(
        'SELECT replica, head_seq, head_hash FROM hub_replicas WHERE pc_id = $1',
        [pc.pcId],
      )
    ).rows;
    const replicas: StatusResponse['replicas'] = Object.fromEntries(
      rows.map((r) => [r.replica, { seq: r.head_seq, hash: r.head_hash, known: {} }]),
    );
    for (const range of req.ranges) {
      const mine = replicas[range.replica];
      if (!mine) continue;
      const to = Math.min(range.to, range.from + MAX_KNOWN - 1);
      const known = (
        await this.pool.query<{ seq: number; hash: string }>(
          'SELECT seq, hash FROM hub_received WHERE replica = $1 AND seq BETWEEN $2 AND $3',
          [range.replica, range.from, to],
        )
      ).rows;
      mine.known = Object.fromEntries(known.map((k) => [String(k.seq), k.hash]));
    }
    const heads = (
      await this.pool.query<{ chain_id: string; seq: number }>('SELECT chain_id, seq FROM hub_audit_heads WHERE pc_id = $1', [pc.pcId])
    ).rows;
    const audit = Object.fromEntries(heads.map((h) => [h.chain_id, Number(h.seq)]));
    const taken = req.refused ? await this.takenSince(pc, req.refused) : undefined;
    await this.pool.query('UPDATE hub_pcs SET last_seen_at = now() WHERE pc_id = $1', [pc.pcId]);
    return {
      hubId: this.hubId,
      pcName: pc.name,
      protocol: PROTOCOL_VERSION,
      hubTime: Date.now(),
      replicas,
      audit,
      revocations: await this.revocations(),
      ...(taken ? { taken } : {}),
    };
  }

  /**
   * Of the refusals a PC lists (its history and the change's number), those the hub has since
   * taken (hub_quarantine_taken), with the table and key it refused them under: a PC whose push
   * answer named them was lost, or whose refusal another PC's push had taken, learns of it here.
   * Only its own histories' (the PC's other histories included).
   */
  private async takenSince(pc: Pc, refused: NonNullable<StatusRequest['refused']>): Promise<Taken[]> {
    if (refused.length === 0) return [];
    const rows = (
      await this.pool.query<{ replica: string; seq: number; tbl: string; pk: string }>(
        `SELECT t.replica, t.seq, t.tbl, t.pk FROM hub_quarantine_taken t
           JOIN hub_replicas r ON r.replica = t.replica AND r.pc_id = $1
         WHERE (t.replica, t.seq) IN (SELECT replica, seq FROM json_to_recordset($2) AS x(replica text, seq bigint))
         ORDER BY t.replica, t.seq`,
        [pc.pcId, JSON.stringify(refused)],
      )
    ).rows;
    return rows.map((r) => ({ replica: r.replica, seq: Number(r.seq), tbl: r.tbl, pk: r.pk }));
  }

  /** Every enrolment the hub holds as revoked, each signed with its key: every PC keeps the list. */
  private async revocations(): Promise<Revocation[]> {
    const rows = (
      await this.pool.query<{ pc_id: string; public_key: string; revoked_at: Date }>(
        'SELECT pc_id, public_key, revoked_at FROM hub_pcs WHERE revoked_at IS NOT NULL ORDER BY pc_id',
      )
    ).rows;
    return rows.map((r) => {
      const body = { pcId: r.pc_id, publicKey: r.public_key, revokedAt: r.revoked_at.toISOString() };
      return { ...body, signature: sign('sha256', Buffer.from(revocationText(body, this.hubId)), this.receiptKey).toString('base64') };
    });
  }

  /**
   * Revocations a PC shows that this hub signed but no longer holds (its database was put back from a
   * backup made before them): the enrolment they name (its key, so not the same PC joined again
   * since) is revoked again, as of when it was first revoked. One signed by another key, or naming
   * an enrolment the hub does not hold, changes nothing.
   */
  private async revokeAgain(shown: readonly Revocation[]): Promise<void> {
    if (shown.length === 0) return;
    const key = (this.publicKey ??= createPublicKey(this.receiptKey));
    const signed = shown.filter((r) => {
      const { signature, ...body } = r;
      try {
        return verify('sha256', Buffer.from(revocationText(body, this.hubId)), key, Buffer.from(signature, 'base64'));
      } catch {
        return false;
      }
    });
    for (const r of signed) {
      const at = new Date(r.revokedAt);
      if (Number.isNaN(at.getTime())) continue;
      await this.pool.query('UPDATE hub_pcs SET revoked_at = $3 WHERE pc_id = $1 AND public_key = $2 AND revoked_at IS NULL', [r.pcId, r.publicKey, at]);
    }
  }

  async pcs(): Promise<PcsResponse> {
    const rows = (
      await this.pool.query<{
        name: string;
        pc_id: string;
        enrolled_at: Date;
        last_seen_at: Date | null;
        last_push_at: Date | null;
        revoked_at: Date | null;
      }>('SELECT name, pc_id, enrolled_at, last_seen_at, last_push_at, revoked_at FROM hub_pcs ORDER BY name, enrolled_at')
    ).rows;
    const iso = (d: Date | null) => (d ? d.toISOString() : null);
    return {
      pcs: rows.map((r) => ({
        name: r.name,
        pcId: r.pc_id,
        enrolledAt: r.enrolled_at.toISOString(),
        lastSeenAt: iso(r.last_seen_at),
        lastPushAt: iso(r.last_push_at),
        revokedAt: iso(r.revoked_at),
      })),
      hubTime: Date.now(),
    };
  }

  /** The PC's own changes as the hub holds them (its row data), for tests and the oracle. */
  async rowData(tbl: string): Promise<Map<string, Record<string, unknown>>> {
    const t = syncTable(tbl)!;
    const rows = (await this.pool.query(`SELECT * FROM ${q(t.name)} ORDER BY _pk`)).rows as Record<string, unknown>[];
    return new Map(
      rows
        .filter((r) => t.kind === 'append' || (Object.keys((r._clocks ?? {}) as object).length > 0 && r._exists !== false))
        .map((r) => [String(r._pk), pcData(t, r)]),
    );
  }
}
