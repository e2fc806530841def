import { createPublicKey, verify } from 'node:crypto';
import { z } from 'zod';
import { recordBranch } from '../anchors';
import { chainId } from '../anchors/chain';
import { appendAudit } from '../audit';
import type { Actor, Core, WriteCore } from '../context';
import { systemActor } from '../context';
import { inTransaction } from '../dispatcher/transaction';
import { countArrivalsFromNow, joinedHub } from '../hospital/changes';
import { command, query } from '../sql/query';
import type { SyncOutboxRow } from '../sql/rows';
import type { ApplyStats } from './apply';
import { applyEntries } from './apply';
import { captureExistingRows, captureProblems, installCapture, removeCapture, takeForeignWrites, withoutCapture } from './capture';
import { changeHash } from './change-hash';
import { recomputeAllDerived } from './derived';
import { codeId, codeKey, enrolProof, normaliseCode, proofsMatch } from './enrol-code';
import type { Change, LogEntry, Receipt, Taken } from './protocol';
import {
  EnrolResponse,
  MAX_REFUSED,
  MAX_REVOCATIONS,
  PullResponse,
  PushResponse,
  receiptText,
  Revocation,
  SnapshotPageResponse,
  SnapshotStartResponse,
  StatusResponse,
} from './protocol';
import type { Fork } from './replica';
import { forkHistory, resendHistory } from './replica';
import { restampAhead } from './restamp';
import { newKeyPair } from './signing';
import type { StateKey } from './state';
import { getState, isEnrolled, setState, setStates } from './state';
import { SYNC_TABLES } from './tables';
import type { Transport } from './transport';
import { HttpsTransport, HubRequestError, peekCertificate } from './transport';

/**
 * The PC's side of a sync: push what this PC changed (oldest first, in batches, each taken by the
 * hub exactly once however often it is sent), then pull what the hub has that this PC has not
 * (applied field by field, derived state recomputed). A new PC first downloads the hospital as it
 * stands, page by page (resumable), then follows the log from where that download began.
 *
 * The engine writes on its own, like the worker's jobs and the command line: each step is one
 * transaction through inTransaction (origin `sync`), so its commits are announced like any other.
 */

export const PUSH_BATCH = 5000;
export const PULL_BATCH = 5000;
/**
 * Rows per page of the hospital's download, each page written in one transaction when the PC can
 * in JOIN_TRANSACTION_MS: a big table's indexes then take many rows for each of their pages a
 * commit writes, which is what a download of millions of records spends its time on (pages of
 * 10,000 took twice as long). The app's own writes meanwhile wait for one transaction, well inside
 * the five seconds a write waits before it gives up (db/open.ts).
 */
export const SNAPSHOT_PAGE = 50_000;
/** The most a hub before SNAPSHOT_PAGE was raised answers with. */
const OLD_SNAPSHOT_PAGE = 20_000;
const JOIN_TRANSACTION_MS = 2000;
const MIN_JOIN_ROWS = 2000;
/** A clock further than this from the hub's is shown as a warning (it never stops a sync). */
export const CLOCK_WARNING_MS = 60_000;

export interface JoinProgress {
  phase: 'download' | 'recompute' | 'done';
  cursor: string;
  table: number;
  after: string | null;
  done: number;
  total: number;
}

export interface SyncReport {
  pushed: number;
  pulled: number;
  quarantined: number;
  foreignWrites: number;
  clockOffsetMs: number | null;
}

export type SyncEvent = { kind: 'join'; progress: JoinProgress } | { kind: 'pushed'; count: number } | { kind: 'pulled'; count: number; applied: number };

export type SyncErrorKind = 'not_enrolled' | 'unreachable' | 'refused' | 'certificate' | 'revoked' | 'fork' | 'bad_code' | 'already_enrolled' | 'unknown_pc';

export class SyncError extends Error {
  constructor(
    readonly kind: SyncErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'SyncError';
  }
}

/**
 * A failed sync in a sentence for people: the engine's own refusals as they are worded, anything
 * else (an answer this PC cannot apply, a row it cannot write, a busy database) as "The last sync
 * stopped: …", never a stack or a schema dump.
 */
export function failureSentence(err: unknown): string {
  if (err instanceof SyncError) return err.message;
  const code = (err as { code?: unknown } | null)?.code;
  const again = 'Nothing is lost: it is tried again at the next sync.';
  if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) return `The last sync stopped: the database was busy with another program. ${again}`;
  if (typeof code === 'string' && code.startsWith('SQLITE_FULL')) return `The last sync stopped: the disk of this PC is full. Free some space; ${again.charAt(0).toLowerCase()}${again.slice(1)}`;
  if (err instanceof z.ZodError) return `The last sync stopped: this PC could not read the hub's answer (is the hub a different version of Wardkeep?). ${again}`;
  const detail = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim().replace(/\.$/, '').slice(0, 300);
  if (typeof code === 'string' && code.startsWith('SQLITE_')) return `The last sync stopped: a row from the hub could not be written on this PC (${detail}). ${again}`;
  return `The last sync stopped: ${detail || 'an unexpected error'}. ${again}`;
}

/** What syncStatus shows of change-counting triggers put back (sync_state.capture_warning). */
export interface CaptureWarning {
  at: string;
  problems: string[];
}

/** What a commit of the sync is announced as (dispatcher/transaction.ts). */
export const SYNC_ORIGIN = 'sync';
const origin = (actor: Actor = systemActor) => ({ origin: SYNC_ORIGIN, actor });

function asSyncError(err: unknown): unknown {
  if (!(err instanceof HubRequestError)) return err;
  if (err.code === 'revoked') return new SyncError('revoked', err.message);
  if (err.code === 'fork') return new SyncError('fork', err.message);
  if (err.code === 'bad_code') return new SyncError('bad_code', err.message);
  if (err.code === 'unknown_pc') return new SyncError('unknown_pc', err.message);
  return new SyncError(err.kind, err.message);
}

/** The transport for an enrolled PC, from what it pinned and its key. */
export function transportFor(core: Core): HttpsTransport {
  const url = getState(core, 'hub_url');
  const cert = getState(core, 'hub_cert');
  const key = getState(core, 'pc_key');
  if (!url || !cert || !key) throw new SyncError('not_enrolled', 'This PC is not in a hub: enrol it first (wardkeep sync enrol --hub URL --code CODE).');
  return new HttpsTransport(url, cert, { pcId: core.pcId, privateKey: key });
}

/** The certificate a hub shows, for a person to compare with the one the hub printed before joining (issue 20's join screen). */
export async function hubFingerprint(hubUrl: string): Promise<string> {
  try {
    return (await peekCertificate(new URL(hubUrl).origin)).fingerprint;
  } catch (err) {
    throw asSyncError(err);
  }
}

/**
 * Joins this PC to a hub with a one-time code: pins the hub's certificate, registers this PC's new
 * key, and turns on change capture (with this PC's existing rows as its first changes). Audited.
 */
export async function enrolPc(
  core: Core,
  hubUrl: string,
  typedCode: string,
  options: {
    actor?: Actor;
    transport?: (certPem: string) => Transport;
    peek?: () => Promise<{ fingerprint: string; pem: string }>;
    /** The fingerprint a person read off the hub: refused before anything is sent when the hub shows another. */
    expectFingerprint?: string;
  } = {},
): Promise<{ pcName: string; fingerprint: string }> {
  const code = normaliseCode(typedCode);
  if (!code) throw new SyncError('bad_code', 'The enrolment code should be 16 letters and digits, as the hub printed it (XXXX-XXXX-XXXX-XXXX).');
  // A PC its hub said it does not know (the hub's database put back from before it joined) joins
  // again in place: the hub holds nothing of it, and this PC sends everything it holds.
  const rejoin = isEnrolled(core) && getState(core, 'last_error_kind') === 'unknown_pc';
  if (isEnrolled(core) && !rejoin) {
    throw new SyncError('already_enrolled', `This PC is already in a hub (${getState(core, 'hub_url') ?? ''}, as "${getState(core, 'pc_name') ?? ''}").`);
  }
  let url: URL;
  try {
    url = new URL(hubUrl);
  } catch {
    throw new SyncError('refused', `"${hubUrl}" is not an address: give the hub's address as https://HOST:PORT.`);
  }
  if (url.protocol !== 'https:') throw new SyncError('refused', `The hub's address must start with https:// (it was ${hubUrl}).`);
  const cert = await (options.peek ?? (() => peekCertificate(url.origin)))().catch((e: unknown) => {
    throw asSyncError(e);
  });
  if (options.expectFingerprint && cert.fingerprint.replace(/:/g, '').toUpperCase() !== options.expectFingerprint.replace(/[:\s]/g, '').toUpperCase()) {
    throw new SyncError(
      'certificate',
      `The server at ${url.origin} shows the certificate ${cert.fingerprint}, not the one given (${options.expectFingerprint}): it may not be your hospital's hub. Nothing was sent.`,
    );
  }
  const keys = newKeyPair();
  const replica = chainId(core.db);
  const facts = { fingerprint: cert.fingerprint, publicKey: keys.publicKey, pcId: core.pcId, replica };
  const transport = options.transport?.(cert.pem) ?? new HttpsTransport(url.origin, cert.pem, null);
  const t0 = core.clock.now().getTime();
  let answer: EnrolResponse;
  try {
    answer = EnrolResponse.parse(
      await transport.post('/v1/enrol', { codeId: codeId(code), pcId: core.pcId, replica, publicKey: keys.publicKey, proof: enrolProof(codeKey(code), 'pc', facts) }),
    );
  } catch (err) {
    throw asSyncError(err);
  } finally {
    if (transport instanceof HttpsTransport) transport.close();
  }
  if (!proofsMatch(enrolProof(codeKey(code), 'hub', facts), answer.proof)) {
    throw new SyncError('certificate', `The server at ${url.origin} could not show it holds this code: it may not be your hospital's hub. Nothing was kept.`);
  }
  const t1 = core.clock.now().getTime();
  const actor = options.actor ?? systemActor;
  inTransaction(
    core,
    (w) => {
      if (rejoin) leaveHub(w, actor);
      setStates(w, {
        hub_url: url.origin,
        hub_id: answer.hubId,
        hub_fingerprint: cert.fingerprint,
        hub_cert: cert.pem,
        hub_receipt_key: answer.receiptKey,
        pc_name: answer.pcName,
        pc_key: keys.privateKey,
        pc_public_key: keys.publicKey,
        enrolled_at: new Date(t1).toISOString(),
        clock_offset_ms: String(Math.round(answer.hubTime - (t0 + t1) / 2)),
        revoked: null,
        joined: null,
        join: null,
        cursor: null,
      });
      installCapture(w);
      captureExistingRows(w);
      // Captured like any write, so the hub and every PC see when and by whom this PC joined.
      appendAudit(w, actor, { action: 'join', entity: 'hub', entityId: answer.hubId, new: { hub: url.origin, pc_name: answer.pcName, fingerprint: cert.fingerprint } });
    },
    origin(actor),
  );
  return { pcName: answer.pcName, fingerprint: cert.fingerprint };
}

const clearOutbox = command('DELETE FROM sync_outbox');
const clearClocks = command('DELETE FROM sync_row_clock');
const clearState = command('DELETE FROM sync_state');

/**
 * Leaves the hub (the PC keeps all its data and works on its own; the hub's side is `hub revoke`).
 * Changes not yet sent are dropped from the outbox: say so to the person first (`pendingOut`).
 * Joining again sends everything this PC holds, as a new PC would. In the caller's transaction.
 * Left part-way through the download of the hospital, what it wrote has no derived state yet (the
 * download works it out at its end): it is worked out here, so a device a failed test it holds
 * tagged out is out of service, and every plan has its due date.
 */
export function leaveHub(core: WriteCore, actor: Actor): { hub: string | null; unsent: number } {
  const hub = getState(core, 'hub_url');
  const downloading = getState(core, 'joined') !== '1';
  const unsent = clearOutbox.run(core).changes;
  removeCapture(core);
  clearClocks.run(core);
  clearState.run(core);
  if (downloading) recomputeAllDerived(core);
  appendAudit(core, actor, { action: 'leave', entity: 'hub', entityId: null, new: { hub, unsent } });
  return { hub, unsent };
}

type OutboxRow = SyncOutboxRow;

const outboxRanges = query<{ replica: string; from: number; to: number }>('SELECT replica, min(seq) AS "from", max(seq) AS "to" FROM sync_outbox GROUP BY replica');
const outboxUpTo = query<OutboxRow, { replica: string; seq: number }>('SELECT * FROM sync_outbox WHERE replica = @replica AND seq <= @seq ORDER BY seq');
const dropChange = command<{ replica: string; seq: number }>('DELETE FROM sync_outbox WHERE replica = @replica AND seq = @seq');
const dropThrough = command<{ replica: string; seq: number }>('DELETE FROM sync_outbox WHERE replica = @replica AND seq <= @seq');
const highestOutbox = query<{ seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'sync_outbox'");
const oldestReplica = query<Pick<OutboxRow, 'replica'>>('SELECT replica FROM sync_outbox ORDER BY seq LIMIT 1');
const batchOf = query<OutboxRow, { replica: string; limit: number }>('SELECT * FROM sync_outbox WHERE replica = @replica ORDER BY seq LIMIT @limit');
const quarantine = command<{ replica: string; seq: number; tbl: string; pk: string; op: string; data: string; reason: string; at: string }>(
  'INSERT INTO sync_quarantine (replica, seq, tbl, pk, op, data, reason, reported_at) VALUES (@replica, @seq, @tbl, @pk, @op, @data, @reason, @at)',
);
/** The hub's refusals this PC lists (a row changed outside Wardkeep, or another PC's row not applied here, has no number): the newest first. */
const listedRefusals = query<{ replica: string; seq: number }, { limit: number }>(
  'SELECT replica, seq FROM sync_quarantine WHERE seq > 0 ORDER BY id DESC LIMIT @limit',
);
const dropTaken = command<Taken>('DELETE FROM sync_quarantine WHERE replica = @replica AND seq = @seq AND tbl = @tbl AND pk = @pk AND seq > 0');

/**
 * The refusals the hub says it has since taken are listed no more: only a row the hub refused that
 * names the same history, number, table and key (a later refusal of the same row has another
 * number; a row changed outside Wardkeep, or another PC's not applied here, none). Removed rather
 * than marked: the list is of what still waits on a person, and the hub keeps what it took
 * (hub_quarantine_taken) as the trail keeps who changed the user. In the caller's transaction.
 */
function clearTaken(w: WriteCore, taken: readonly Taken[] | undefined): void {
  for (const t of taken ?? []) dropTaken.run(w, t);
}

/** The last change of each of this PC's histories the hub confirmed (sync_state.pushed). */
function pushedOf(core: Core): Record<string, number> {
  return JSON.parse(getState(core, 'pushed') ?? '{}') as Record<string, number>;
}

/** The hub's answer was based on a state of this database that changed meanwhile (a restore): start the step again. */
class Moved extends Error {}

/** Runs syncs for one PC over one transport. Not re-entrant: one sync at a time. */
export class SyncClient {
  private running = false;
  private snapshotPage = SNAPSHOT_PAGE;
  /** Rows of the download written per transaction: from 10,000, up to a page as fast as the PC writes them. */
  private joinRows = 10_000;
  private readonly listeners = new Set<(e: SyncEvent) => void>();

  constructor(
    readonly core: Core,
    readonly transport: Transport,
  ) {}

  onEvent(listener: (e: SyncEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: SyncEvent): void {
    for (const l of this.listeners) l(e);
  }

  private state(key: StateKey): string | null {
    return getState(this.core, key);
  }

  private write<T>(fn: (w: WriteCore) => T): T {
    return inTransaction(this.core, fn, origin());
  }

  private now(): string {
    return this.core.clock.now().toISOString();
  }

  private async post<T>(path: string, body: unknown, schema: { parse(v: unknown): T }): Promise<T> {
    try {
      return schema.parse(await this.transport.post(path, body));
    } catch (err) {
      throw asSyncError(err);
    }
  }

  /**
   * Applies rows from the hub in one transaction, with capture off (they are not this PC's changes)
   * and foreign keys unchecked (a row may arrive before the row it points at); `alongside` runs in
   * the same transaction (moving the cursor with what it covers) and may throw Moved.
   */
  private apply(entries: readonly LogEntry[], options: { derive?: boolean; vouchUsers?: boolean }, alongside: (w: WriteCore) => void): ApplyStats {
    const db = this.core.db;
    const foreignKeys = db.pragma('foreign_keys', { simple: true }) === 1;
    if (foreignKeys) db.pragma('foreign_keys = OFF');
    try {
      return withoutCapture(db, () =>
        this.write((w) => {
          alongside(w);
          return applyEntries(w, entries, options);
        }),
      );
    } finally {
      if (foreignKeys) db.pragma('foreign_keys = ON');
    }
  }

  /** One full sync: push everything, download the hospital if not done yet, pull until caught up. */
  async syncOnce(): Promise<SyncReport> {
    if (this.running) throw new Error('A sync is already running.');
    this.running = true;
    this.write((w) => setState(w, 'last_attempt_at', this.now()));
    try {
      const report: SyncReport = { pushed: 0, pulled: 0, quarantined: 0, foreignWrites: 0, clockOffsetMs: null };
      report.clockOffsetMs = await this.checkIn();
      report.foreignWrites = this.setAsideForeignWrites();
      if (this.state('joined') !== '1') await this.join();
      const pushed = await this.pushAll();
      report.pushed = pushed.count;
      report.quarantined = pushed.quarantined;
      report.pulled = await this.pullAll();
      this.write((w) => setStates(w, { last_sync_at: this.now(), offline_since: null, last_error: null, last_error_at: null, last_error_kind: null }));
      return report;
    } catch (err) {
      this.noteFailure(err);
      throw err;
    } finally {
      this.running = false;
    }
  }

  /**
   * Every failed sync is recorded with its sentence, its kind and when, whatever failed (the hub's
   * refusal, the network, an answer this PC cannot apply, a row it cannot write, a busy database),
   * so the header and `sync status` say it failed rather than "Syncing…" then "Synced". Only an
   * unreachable hub keeps (or starts) "offline since": any other failure means the hub, or
   * something at its address, answered. Recording never hides the failure itself.
   */
  private noteFailure(err: unknown): void {
    const kind = err instanceof SyncError ? err.kind : 'internal';
    const sentence = failureSentence(err);
    try {
      this.write((w) => {
        const at = this.now();
        if (kind === 'unreachable') {
          if (!getState(w, 'offline_since')) setState(w, 'offline_since', at);
        } else setState(w, 'offline_since', null);
        if (kind === 'revoked') setState(w, 'revoked', sentence);
        setStates(w, { last_error: sentence, last_error_at: at, last_error_kind: kind });
      });
    } catch {
      // The database cannot take even this (busy, full, closed): the caller still gets the failure.
    }
  }

  /** Sends what this PC changed, without receiving anything ("send now"). */
  async push(): Promise<{ count: number; quarantined: number }> {
    if (this.running) throw new Error('A sync is already running.');
    this.running = true;
    try {
      await this.checkIn();
      this.setAsideForeignWrites();
      return await this.pushAll();
    } catch (err) {
      this.noteFailure(err);
      throw err;
    } finally {
      this.running = false;
    }
  }

  /**
   * The hub's time (the clock offset), and what it already holds of this PC's histories: changes it
   * has (their answer was lost, or this database came back from a backup) are not sent again; a
   * change it holds differently under the same number means this database was copied back by hand
   * over a newer one, and what it wrote since becomes a new history (replica.ts).
   */
  private async checkIn(): Promise<number> {
    const ranges = outboxRanges.all(this.core);
    const t0 = this.core.clock.now().getTime();
    const refused = listedRefusals.all(this.core, { limit: MAX_REFUSED });
    const status = await this.post('/v1/status', { ranges, revocations: this.revocations(), ...(refused.length ? { refused } : {}) }, StatusResponse);
    const t1 = this.core.clock.now().getTime();
    const offset = Math.round(status.hubTime - (t0 + t1) / 2);
    const forks: { fork: Fork; what: string }[] = [];
    const copiedBack = 'this database was copied back over a newer one outside Wardkeep (found at a sync with the hub)';
    this.write((w) => {
      setStates(w, { clock_offset_ms: String(offset), pc_name: status.pcName, revoked: null, offline_since: null });
      // A refusal the hub has taken since this PC was told of it (a hub before this was added names none: the list stays).
      clearTaken(w, status.taken);
      // The hub's list after it took this PC's (a hub before revocations were kept on the PCs sends none: the list stays).
      if (status.revocations) setState(w, 'revocations', JSON.stringify(status.revocations));
      // The hub answered: a failure that said it could not be reached no longer stands (a new PC's download goes on as "joining").
      if (getState(w, 'last_error_kind') === 'unreachable') setStates(w, { last_error: null, last_error_at: null, last_error_kind: null });
      // A PC that joined under an older Wardkeep: what it pulls from now on counts on Today by when it arrived.
      if (getState(w, 'joined') === '1') countArrivalsFromNow(w);
      const pushed = pushedOf(w);
      for (const [replica, hub] of Object.entries(status.replicas)) {
        let forkAt: number | null = null;
        for (const row of outboxUpTo.all(w, { replica, seq: hub.seq })) {
          const known = hub.known[String(row.seq)];
          if (known === undefined) continue;
          if (known === changeHash(toChange(row))) {
            dropChange.run(w, { replica, seq: row.seq });
            pushed[replica] = Math.max(pushed[replica] ?? 0, row.seq);
          } else if (forkAt === null) forkAt = row.seq;
        }
        if (forkAt !== null) forks.push({ fork: forkHistory(w, systemActor, replica, forkAt), what: copiedBack });
      }
      // A database behind its own history (copied back, and nothing written since): a new history before anything is.
      const current = chainId(w.db);
      const highest = highestOutbox.get(w)?.seq ?? 0;
      if ((status.replicas[current]?.seq ?? 0) > highest) forks.push({ fork: forkHistory(w, systemActor, current, highest + 1), what: copiedBack });
      // The hub holds less than it confirmed (IT put its database back from a backup): what it lost
      // is sent again under a new history, with every row this PC holds (once, with the last; the
      // current history last, so its waiting changes go out after everything).
      const lost = Object.keys(pushed)
        .filter((replica) => (status.replicas[replica]?.seq ?? 0) < pushed[replica]!)
        .sort((a, b) => Number(a === current) - Number(b === current));
      lost.forEach((replica, i) => {
        const fork = resendHistory(w, systemActor, replica, status.audit?.[replica] ?? 0, i === lost.length - 1);
        forks.push({ fork, what: "the hub's database was put back from an older copy: what it lost is sent again (found at a sync with the hub)" });
        const held = status.replicas[replica]?.seq ?? 0;
        if (held > 0) pushed[replica] = held;
        else delete pushed[replica];
      });
      setState(w, 'pushed', JSON.stringify(pushed));
      // Changes made while this PC's clock ran ahead (set wrong since its last contact) carry a time that has not come yet.
      restampAhead(w, status.hubTime, Object.fromEntries(Object.entries(status.replicas).map(([replica, hub]) => [replica, hub.seq])));
    });
    for (const { fork, what } of forks) {
      if (fork.current) recordBranch(this.core, fork.from, what);
    }
    return offset;
  }

  /** The hub's revocations as this PC holds them; none when what it holds cannot be read. */
  private revocations(): Revocation[] {
    try {
      const held = Revocations.safeParse(JSON.parse(this.state('revocations') ?? '[]'));
      return held.success ? held.data : [];
    } catch {
      return [];
    }
  }

  /** Rows written outside Wardkeep are reported and kept from the hub. */
  private setAsideForeignWrites(): number {
    return this.write((w) => {
      const problems = captureProblems(w);
      if (problems.length) {
        // Put them back, and say so: writes made meanwhile were not counted. The warning has its own
        // key (not last_error, which this sync's success clears), shown by syncStatus for a week.
        installCapture(w);
        setState(w, 'capture_warning', JSON.stringify({ at: this.now(), problems } satisfies CaptureWarning));
      }
      const found = takeForeignWrites(w);
      const at = this.now();
      const replica = chainId(w.db);
      for (const f of found) {
        quarantine.run(w, {
          replica,
          seq: 0,
          tbl: f.tbl,
          pk: f.pk,
          op: 'write',
          data: '{}',
          reason: 'changed outside Wardkeep (for example with the sqlite3 command line): not sent to the hub',
          at,
        });
      }
      return found.length;
    });
  }

  /**
   * A batch of the oldest history's changes. A full batch ends after its last audit entry, so every
   * record travels with the entry that holds it (the entry is written after the row): a PC that
   * receives the batch can verify it at once, and a user's change travels with the entry of it,
   * which the hub takes it with (hub/store.ts).
   */
  private nextBatch(): { replica: string; rows: OutboxRow[] } | null {
    const first = oldestReplica.get(this.core)?.replica;
    if (first === undefined) return null;
    const rows = batchOf.all(this.core, { replica: first, limit: PUSH_BATCH });
    if (rows.length === PUSH_BATCH) {
      let lastAudit = -1;
      rows.forEach((r, i) => {
        if (r.tbl === 'audit_log') lastAudit = i;
      });
      if (lastAudit >= 0) rows.splice(lastAudit + 1);
    }
    return { replica: first, rows };
  }

  private async pushAll(): Promise<{ count: number; quarantined: number }> {
    let count = 0;
    let quarantined = 0;
    for (let batch = this.nextBatch(); batch; batch = this.nextBatch()) {
      const { replica, rows } = batch;
      const answer = await this.post('/v1/push', { replica, changes: rows.map(toChange) }, PushResponse);
      this.write((w) => {
        const at = this.now();
        for (const qd of answer.quarantined) {
          const row = rows.find((r) => r.seq === qd.seq);
          quarantine.run(w, { replica, seq: qd.seq, tbl: qd.tbl, pk: qd.pk, op: row?.op ?? '', data: row?.data ?? '{}', reason: qd.reason, at });
        }
        clearTaken(w, answer.taken);
        dropThrough.run(w, { replica, seq: answer.acceptedThrough });
        const pushed = pushedOf(w);
        pushed[replica] = Math.max(pushed[replica] ?? 0, answer.acceptedThrough);
        setState(w, 'pushed', JSON.stringify(pushed));
        this.keepReceipts(w, answer.receipts);
      });
      count += rows.filter((r) => r.seq <= answer.acceptedThrough).length;
      quarantined += answer.quarantined.length;
      this.emit({ kind: 'pushed', count });
      if (!rows.some((r) => r.seq <= answer.acceptedThrough)) {
        throw new SyncError('refused', `The hub took none of this PC's changes from ${rows[0]!.seq}: ${answer.acceptedThrough}.`);
      }
    }
    return { count, quarantined };
  }

  /** Keeps the hub's signed receipt for each audit chain, once its signature checks. */
  private keepReceipts(w: WriteCore, receipts: readonly Receipt[]): void {
    if (receipts.length === 0) return;
    const keyPem = getState(w, 'hub_receipt_key');
    if (!keyPem) return;
    const key = createPublicKey(keyPem);
    const kept = JSON.parse(getState(w, 'audit_receipts') ?? '{}') as Record<string, Receipt>;
    for (const r of receipts) {
      const { signature, ...body } = r;
      if (verify('sha256', Buffer.from(receiptText(body)), key, Buffer.from(signature, 'base64'))) kept[r.chain] = r;
    }
    setState(w, 'audit_receipts', JSON.stringify(kept));
  }

  /**
   * Pulls until caught up. The next batch is asked for as soon as this one arrives, so the hub
   * reads it while this PC writes the last one; the cursor still moves only with what it covers.
   */
  private async pullAll(): Promise<number> {
    let total = 0;
    const fetch = (cursor: string) => {
      const answer = this.post('/v1/pull', { replica: chainId(this.core.db), cursor, limit: PULL_BATCH }, PullResponse);
      answer.catch(() => undefined);
      return { cursor, answer };
    };
    let pending = fetch(this.state('cursor') ?? '');
    for (;;) {
      const { cursor } = pending;
      const answer = await pending.answer;
      const next = answer.more ? fetch(answer.cursor) : null;
      let stats: ApplyStats;
      try {
        stats = this.apply(answer.entries, { vouchUsers: true }, (w) => {
          // The cursor moves with what it covers, and only from where the request started (a restore meanwhile put it back).
          if ((getState(w, 'cursor') ?? '') !== cursor) throw new Moved();
          setState(w, 'cursor', answer.cursor);
        });
      } catch (err) {
        if (err instanceof Moved) {
          pending = fetch(this.state('cursor') ?? '');
          continue;
        }
        throw err;
      }
      total += answer.entries.length;
      this.emit({ kind: 'pulled', count: total, applied: stats.applied });
      if (!next) return total;
      pending = next;
    }
  }

  /** Downloads the hospital as it stands, table by table (resumable), then the log from where it began. */
  private async join(): Promise<void> {
    let progress = JSON.parse(this.state('join') ?? 'null') as JoinProgress | null;
    if (!progress) {
      const start = await this.post('/v1/snapshot/start', {}, SnapshotStartResponse);
      const begun: JoinProgress = {
        phase: 'download',
        cursor: start.cursor,
        table: 0,
        after: null,
        done: 0,
        total: Object.values(start.counts).reduce((a, b) => a + b, 0),
      };
      this.write((w) => setState(w, 'join', JSON.stringify(begun)));
      progress = begun;
    }
    this.emit({ kind: 'join', progress });
    const fetch = async (p: JoinProgress): Promise<SnapshotPageResponse> => {
      const ask = { tbl: SYNC_TABLES[p.table]!.name, after: p.after };
      try {
        return SnapshotPageResponse.parse(await this.transport.post('/v1/snapshot/page', { ...ask, limit: this.snapshotPage }));
      } catch (err) {
        // A hub older than this PC answers at most OLD_SNAPSHOT_PAGE rows a page.
        if (!(err instanceof HubRequestError && err.code === 'bad_request' && this.snapshotPage > OLD_SNAPSHOT_PAGE)) throw asSyncError(err);
        this.snapshotPage = OLD_SNAPSHOT_PAGE;
        return this.post('/v1/snapshot/page', { ...ask, limit: this.snapshotPage }, SnapshotPageResponse);
      }
    };
    let pending = progress.phase === 'download' && progress.table < SYNC_TABLES.length ? fetch(progress) : null;
    while (pending && progress.phase === 'download') {
      const page = await pending;
      const current: JoinProgress = progress;
      const next: JoinProgress =
        page.after === null
          ? { ...current, table: current.table + 1, after: null, done: current.done + page.rows.length }
          : { ...current, after: page.after, done: current.done + page.rows.length };
      // The next page is on its way while this one is written.
      pending = next.table < SYNC_TABLES.length ? fetch(next) : null;
      pending?.catch(() => undefined);
      // Written in one transaction, or in parts on a PC too slow to write the page in JOIN_TRANSACTION_MS
      // (each part moves the download on to its last row, so an interruption resumes after it).
      let from = 0;
      do {
        const to = Math.min(page.rows.length, from + this.joinRows);
        const part = page.rows.slice(from, to);
        const step: JoinProgress =
          to === page.rows.length ? next : { ...progress, after: part[part.length - 1]!.pk, done: progress.done + part.length };
        const was = JSON.stringify(progress);
        const began = performance.now();
        this.apply(part, { derive: false }, (w) => {
          if (getState(w, 'join') !== was) throw new SyncError('refused', 'The download of the hospital was interrupted by a change to this database (a restore): it starts again at the next sync.');
          setState(w, 'join', JSON.stringify(step));
        });
        const took = performance.now() - began;
        if (part.length === this.joinRows || took > JOIN_TRANSACTION_MS) {
          this.joinRows = Math.max(MIN_JOIN_ROWS, Math.min(SNAPSHOT_PAGE, Math.round((part.length * JOIN_TRANSACTION_MS) / Math.max(took, 1))));
        }
        progress = step;
        this.emit({ kind: 'join', progress });
        from = to;
      } while (from < page.rows.length);
    }
    progress = { ...progress, phase: 'recompute', done: progress.total };
    this.emit({ kind: 'join', progress });
    const finished = progress;
    this.write((w) => {
      recomputeAllDerived(w);
      setStates(w, { cursor: finished.cursor, joined: '1', join: null });
      // Today counts what arrives from here on, not the hospital just downloaded.
      joinedHub(w);
    });
    this.emit({ kind: 'join', progress: { ...finished, phase: 'done' } });
  }
}

const Revocations = z.array(Revocation).max(MAX_REVOCATIONS);

function toChange(r: OutboxRow): Change {
  return {
    seq: r.seq,
    hlc: r.hlc,
    tbl: r.tbl,
    pk: r.pk,
    op: r.op,
    data: JSON.parse(r.data) as Record<string, unknown>,
    base: r.base ? (JSON.parse(r.base) as Record<string, string>) : null,
  };
}
