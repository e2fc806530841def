import type { HubPcView, SyncStatusView, syncChannels } from '../../../shared/contract/sync';
import type { Actor, Core } from '../context';
import type { HandlersFor } from '../dispatcher/handler';
import { job } from '../dispatcher/handler';
import { AppError } from '../errors';
import { getConflict, listConflicts, resolveConflict } from '../sync/conflicts';
import { enrolPc, hubFingerprint, leaveHub, SyncError, transportFor } from '../sync/engine';
import { PcsResponse } from '../sync/protocol';
import { isEnrolled } from '../sync/state';
import { syncStatus } from '../sync/status';
import { HubRequestError } from '../sync/transport';
import { markChangesSeen, remoteChanges } from './changes';
import { clashItems, toConflictItems } from './conflict-views';

/**
 * The app's side of the hospital's hub (docs/sync.md): the engine (main/core/sync) does the work;
 * these channels let an administrator join and leave, everyone see whether the PC is current, and
 * a supervisor resolve conflicts.
 */

function statusView(core: Core): SyncStatusView {
  const s = syncStatus(core);
  return {
    hub: s.hub,
    hubFingerprint: s.hubFingerprint,
    pcName: s.pcName,
    state: s.state,
    lastSyncAt: s.lastSyncAt,
    lastAttemptAt: s.lastAttemptAt,
    offlineSince: s.offlineSince,
    lastError: s.lastError,
    pendingOut: s.pendingOut,
    conflicts: s.conflicts,
    clashes: s.clashes,
    quarantined: s.quarantined,
    clockOffsetMs: s.clockOffsetMs,
    clockWarning: s.clockWarning,
    join: s.join ? { phase: s.join.phase, done: s.join.done, total: s.join.total } : null,
    captureProblems: s.captureProblems,
    joined: s.joined,
    quarantine: s.quarantine.map((q) => ({ table: q.table, rowKey: q.rowKey, reason: q.reason, at: q.at })),
  };
}

/**
 * What ward staff read of it: where the PC stands (the header's line, the counts, why the last
 * sync failed), not the pinned certificate, the rows refused with their keys, nor what was done to
 * the database outside Wardkeep, which are for the technicians and IT who can act on them.
 */
function forRole(view: SyncStatusView, actor: Actor): SyncStatusView {
  if (actor.role !== 'ward_staff') return view;
  return { ...view, hubFingerprint: null, quarantine: [], captureProblems: [] };
}

/** The engine's refusals as the app's: the sentence stays, the field it is about is named. */
function asAppError(err: unknown): unknown {
  if (err instanceof SyncError) {
    const field = err.kind === 'bad_code' ? 'code' : err.kind === 'unreachable' ? 'hub' : undefined;
    const code = err.kind === 'already_enrolled' || err.kind === 'revoked' ? 'conflict' : 'invalid_input';
    return new AppError(code, err.message, field ? { field } : {});
  }
  if (err instanceof HubRequestError) return new AppError('invalid_input', err.message, err.kind === 'unreachable' ? { field: 'hub' } : {});
  return err;
}

/** The hub's origin; an address no URL can be made of is refused beside the field (the schema already words it so). */
function origin(hub: string): string {
  try {
    return new URL(hub).origin;
  } catch {
    throw new AppError('invalid_input', `"${hub}" is not an address: give it as https://HOST:PORT, for example https://hub.hospital.local:8443.`, { field: 'hub' });
  }
}

export const hospitalHandlers: HandlersFor<keyof typeof syncChannels> = {
  'sync.status': (_input, { core, actor }) => forRole(statusView(core), actor),

  'sync.peek': async ({ hub }) => {
    const address = origin(hub);
    try {
      return { hub: address, fingerprint: await hubFingerprint(address) };
    } catch (err) {
      throw asAppError(err);
    }
  },

  /**
   * Not one transaction on this connection: the engine talks to the hub, then pins its certificate,
   * turns capture on and audits the join in its own transaction. The certificate must still be the
   * one the administrator compared, or nothing is sent.
   */
  'sync.join': job(async ({ hub, code, fingerprint }, { core, actor, ports }) => {
    const address = origin(hub);
    try {
      const joined = await enrolPc(core, address, code, {
        actor,
        expectFingerprint: fingerprint,
      });
      ports.sync?.start();
      return {
        hub: address,
        pcName: joined.pcName,
        fingerprint: joined.fingerprint,
      };
    } catch (err) {
      throw asAppError(err);
    }
  }),

  /** Syncing stops first; then the engine forgets the hub and turns capture off, audited, in one transaction. The data stays. */
  'sync.leave': job(async (_input, { core, write, ports }) => {
    if (!isEnrolled(core)) throw new AppError('conflict', 'This PC is in no hub.');
    await ports.sync?.stop();
    write(({ core: w, actor }) => leaveHub(w, actor));
    return statusView(core);
  }),

  'sync.pcs': async (_input, { core }) => {
    let transport;
    try {
      transport = transportFor(core);
    } catch (err) {
      throw asAppError(err);
    }
    try {
      const answer = PcsResponse.parse(await transport.post('/v1/pcs', {}));
      return answer.pcs.map((p): HubPcView => ({
        ...p,
        thisPc: p.pcId === core.pcId,
      }));
    } catch (err) {
      throw asAppError(err);
    } finally {
      transport.close();
    }
  },

  'sync.conflicts': ({ all }, { core }) => toConflictItems(core, listConflicts(core, all ? { all } : {})),

  'sync.clashes': (_input, { core }) => clashItems(core),

  'sync.resolveConflict': ({ changedSince, ...input }, { core, actor }) => {
    // "Keep" keeps what the page showed in force: a later edit's value only when the page showed that same value.
    const listed = changedSince === undefined ? null : getConflict(core, input.id);
    const now = listed && !listed.resolvedAt ? toConflictItems(core, [listed])[0]!.changedSince : null;
    const keepChanged = changedSince === undefined ? undefined : changedSince !== null && changedSince === now;
    return toConflictItems(core, [resolveConflict(core, actor, { ...input, ...(keepChanged === undefined ? {} : { keepChanged }) })])[0]!;
  },

  'sync.changes': (_input, { core }) => remoteChanges(core),

  'sync.changesSeen': (_input, { core }) => {
    markChangesSeen(core);
    return remoteChanges(core);
  },
};
