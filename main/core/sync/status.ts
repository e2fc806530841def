import type { Core } from '../context';
import { query } from '../sql/query';
import type { CountRow } from '../sql/rows';
import { captureProblems } from './capture';
import { localDay } from '../../../shared/date-format';
import type { CaptureWarning, JoinProgress } from './engine';
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
  /** Problems with change capture (triggers removed outside Wardkeep), and for a week those found and put back. */
  captureProblems: string[];
  /** Whether this PC has downloaded the hospital (a new PC's join is done); false on a PC in no hub. */
  joined: boolean;
  /** What the hub refused, and rows changed outside Wardkeep that were not sent: the newest QUARANTINE_SHOWN, newest first. */
  quarantine: QuarantineItem[];
}

export interface QuarantineItem {
  table: string;
  /** The row's key as the sync writes it (JSON of its key columns). */
  rowKey: string;
  reason: string;
  /** When the hub refused it, or the write outside Wardkeep was found (ISO). */
  at: string;
}

/** How many refused changes `sync status` and the app list (the count covers all). */
export const QUARANTINE_SHOWN = 20;
/**
 * How long a change-counting trigger found removed (and put back) stays reported, whatever the
 * syncs since: writes made while it was gone were not counted and may never reach the hub, which a
 * person must hear of even when the next sync succeeds; a week covers a weekend away from the PC.
 */
export const CAPTURE_WARNING_DAYS = 7;

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

const newestQuarantine = query<{ tbl: string; pk: string; reason: string; reported_at: string }, { limit: number }>(
  'SELECT tbl, pk, reason, reported_at FROM sync_quarantine ORDER BY reported_at DESC, id DESC LIMIT @limit',
);

export function listQuarantine(core: Pick<Core, 'db'>, limit = QUARANTINE_SHOWN): QuarantineItem[] {
  return newestQuarantine.all(core, { limit }).map((r) => ({ table: r.tbl, rowKey: r.pk, reason: r.reason, at: r.reported_at }));
}

/** The triggers put back at a sync, in sentences naming the day (YYYY-MM-DD, the PC's own), for CAPTURE_WARNING_DAYS. */
function keptCaptureWarning(kept: string | null, now: Date): string[] {
  if (!kept) return [];
  let w: CaptureWarning;
  try {
    w = JSON.parse(kept) as CaptureWarning;
  } catch {
    return [];
  }
  const found = new Date(w.at);
  if (Number.isNaN(found.getTime()) || now.getTime() - found.getTime() > CAPTURE_WARNING_DAYS * 86_400_000) return [];
  const names = w.problems.map((p) => /trigger (\S+)/.exec(p)?.[1] ?? p);
  const which = names.length === 1 ? `the change-counting trigger ${names[0]!} was` : `the change-counting triggers ${names.join(', ')} were`;
  const gone = names.length === 1 ? 'it was' : 'they were';
  return [
    `On ${localDay(found)} ${which} found removed or altered outside Wardkeep and put back: writes made while ${gone} missing were not counted, so they were neither sent to the hub nor listed as changed outside Wardkeep.`,
  ];
}

/** What is waiting to be sent, cheaply: the header asks often. */
const pending = query<CountRow>('SELECT count(*) AS n FROM sync_outbox');
export function pendingOut(core: Pick<Core, 'db'>): number {
  return pending.get(core)?.n ?? 0;
}

/**
 * Where the PC stands. A failed sync (last_error newer than the last success) is `offline` when the
 * hub could not be reached and `error` for anything else, whether or not the PC has downloaded the
 * hospital yet: a new PC whose hub is out of reach says so, not "joining" for ever.
 */
export function syncStatus(core: Pick<Core, 'db'> & Partial<Pick<Core, 'clock'>>, activity: 'syncing' | null = null): SyncStatus {
  const get = (k: Parameters<typeof getState>[1]) => getState(core, k);
  const enrolled = isEnrolled(core);
  const now = core.clock?.now() ?? new Date();
  const offset = get('clock_offset_ms');
  const clockOffsetMs = offset === null ? null : Number(offset);
  const join = JSON.parse(get('join') ?? 'null') as JoinProgress | null;
  const n = counts.get(core)!;
  const joined = enrolled && get('joined') === '1';
  const lastSyncAt = get('last_sync_at');
  const lastError = get('last_error');
  const lastErrorAt = get('last_error_at');
  const offlineSince = get('offline_since');
  // A database from before last_error_at: its last_error stands until a sync succeeds (which clears it).
  const failing = lastError !== null && (lastSyncAt === null || lastErrorAt === null || lastErrorAt >= lastSyncAt);
  const kind = get('last_error_kind');
  let state: SyncState;
  if (!enrolled) state = 'not_enrolled';
  else if (get('revoked')) state = 'revoked';
  else if (activity) state = activity;
  else if (failing) state = kind === 'unreachable' || (kind === null && offlineSince !== null) ? 'offline' : 'error';
  else if (offlineSince) state = 'offline';
  else if (!joined) state = 'joining';
  else if (!lastSyncAt) state = 'never_synced';
  else state = 'synced';
  return {
    hub: get('hub_url'),
    hubFingerprint: get('hub_fingerprint'),
    pcName: get('pc_name'),
    state,
    lastSyncAt,
    lastAttemptAt: get('last_attempt_at'),
    offlineSince: state === 'offline' ? offlineSince : null,
    lastError: lastError ?? get('revoked'),
    pendingOut: n.pending,
    conflicts: n.conflicts,
    clashes: enrolled ? listClashes(core).length : 0,
    quarantined: n.quarantined,
    clockOffsetMs,
    clockWarning: clockWarning(clockOffsetMs),
    join: enrolled && !joined ? join : null,
    captureProblems: enrolled ? [...captureProblems(core), ...keptCaptureWarning(get('capture_warning'), now)] : [],
    joined,
    quarantine: n.quarantined > 0 ? listQuarantine(core) : [],
  };
}
