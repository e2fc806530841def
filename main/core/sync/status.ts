import type { Core } from '../context';
import { query } from '../sql/query';
import type { CountRow } from '../sql/rows';
import { captureProblems } from './capture';
import type { JoinProgress } from './engine';
import { CLOCK_WARNING_MS } from './engine';
import { listClashes } from './keys';
import { getState, isEnrolled } from './state';

/**
 * What the PC knows about its sync, for `wardkeep sync status` and for the app's header and sync
 * details (issue 20). Read from the database, so any process (the app, the worker, the command
 * line) sees the same; `activity` is what the running sync is doing right now, when one runs.
 */

export type SyncState = 'not_enrolled' | 'joining' | 'syncing' | 'synced' | 'offline' | 'revoked' | 'error' | 'never_synced';

export interface SyncStatus {
  /** The hub's address, or null when this PC is in no hub. */
  hub: string | null;
  hubFingerprint: string | null;
  pcName: string | null;
  state: SyncState;
  lastSyncAt: string | null;
  lastAttemptAt: string | null;
  /** Since when the hub could not be reached (null when it could at the last attempt). */
  offlineSince: string | null;
  lastError: string | null;
  /** Changes made on this PC the hub does not have yet. */
  pendingOut: number;
  /** Concurrent edits the hub resolved that no supervisor has looked at yet. */
  conflicts: number;
  /** Names two PCs gave two rows at once (asset tags, user names, …). */
  clashes: number;
  /** Changes the hub refused, and rows changed outside Wardkeep that were not sent. */
  quarantined: number;
  /** Hub time minus this PC's time at the last contact (ms); null before any. */
  clockOffsetMs: number | null;
  clockWarning: string | null;
  /** A new PC's download of the hospital, while it runs. */
  join: JoinProgress | null;
  /** Problems with change capture (triggers removed outside Wardkeep). */
  captureProblems: string[];
}

export function clockWarning(offsetMs: number | null): string | null {
  if (offsetMs === null || Math.abs(offsetMs) < CLOCK_WARNING_MS) return null;
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  const amount = minutes >= 120 ? `${Math.round(minutes / 60)} hours` : `${minutes} minutes`;
  return `This PC's clock is ${amount} ${offsetMs > 0 ? 'behind' : 'ahead of'} the hub's. Syncing goes on (the hub's time is used), but set the PC's clock right.`;
}

const counts = query<{ pending: number; conflicts: number; quarantined: number }>(
  `SELECT (SELECT count(*) FROM sync_outbox) AS pending,
          (SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL) AS conflicts,
          (SELECT count(*) FROM sync_quarantine) AS quarantined`,
);

/** What is waiting to be sent, cheaply: the header asks often. */
const pending = query<CountRow>('SELECT count(*) AS n FROM sync_outbox');
export function pendingOut(core: Pick<Core, 'db'>): number {
  return pending.get(core)?.n ?? 0;
}

export function syncStatus(core: Pick<Core, 'db'>, activity: 'syncing' | null = null): SyncStatus {
  const get = (k: Parameters<typeof getState>[1]) => getState(core, k);
  const enrolled = isEnrolled(core);
  const offset = get('clock_offset_ms');
  const clockOffsetMs = offset === null ? null : Number(offset);
  const join = JSON.parse(get('join') ?? 'null') as JoinProgress | null;
  const n = counts.get(core)!;
  let state: SyncState;
  if (!enrolled) state = 'not_enrolled';
  else if (get('revoked')) state = 'revoked';
  else if (get('joined') !== '1') state = 'joining';
  else if (activity) state = activity;
  else if (get('offline_since')) state = 'offline';
  else if (get('last_error')) state = 'error';
  else if (!get('last_sync_at')) state = 'never_synced';
  else state = 'synced';
  return {
    hub: get('hub_url'),
    hubFingerprint: get('hub_fingerprint'),
    pcName: get('pc_name'),
    state,
    lastSyncAt: get('last_sync_at'),
    lastAttemptAt: get('last_attempt_at'),
    offlineSince: get('offline_since'),
    lastError: get('last_error') ?? get('revoked'),
    pendingOut: n.pending,
    conflicts: n.conflicts,
    clashes: enrolled ? listClashes(core).length : 0,
    quarantined: n.quarantined,
    clockOffsetMs,
    clockWarning: clockWarning(clockOffsetMs),
    join: enrolled && get('joined') !== '1' ? join : null,
    captureProblems: enrolled ? captureProblems(core) : [],
  };
}
