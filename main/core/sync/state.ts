import type { Core, WriteCore } from '../context';
import { command, query } from '../sql/query';
import type { SyncStateRow } from '../sql/rows';

/**
 * What this PC knows about its hub, in `sync_state` (one row per key, inside the database, so a
 * backup carries the PC's enrolment with it and a restore keeps it in its hub).
 */
export interface SyncState {
  capture: string;
  hub_url: string;
  hub_id: string;
  hub_fingerprint: string;
  hub_cert: string;
  hub_receipt_key: string;
  pc_name: string;
  pc_key: string;
  pc_public_key: string;
  enrolled_at: string;
  /** The pull cursor: the hub's log position of the last entry received. */
  cursor: string;
  /** '1' once the hospital has been downloaded (a new PC's join is done). */
  joined: string;
  /** A join under way: JSON of JoinProgress. */
  join: string;
  clock_offset_ms: string;
  last_sync_at: string;
  last_attempt_at: string;
  offline_since: string;
  /** The last failed sync's sentence, when it failed (ISO) and its kind (SyncErrorKind, or 'internal'); cleared by a sync that succeeds. */
  last_error: string;
  last_error_at: string;
  last_error_kind: string;
  revoked: string;
  /**
   * JSON `{ at, problems }`: change-counting triggers found removed or altered outside Wardkeep and
   * put back (writes made meanwhile were not counted). Kept for CAPTURE_WARNING_DAYS after it was
   * found, whatever the syncs since (status.ts).
   */
  capture_warning: string;
  /**
   * JSON `{ replica: seq }`: the last change of each of this PC's histories the hub confirmed. A hub
   * that later holds less lost them (its database put back from a backup): they are sent again.
   */
  pushed: string;
  /** JSON: the newest signed receipt for each audit chain of this PC. */
  audit_receipts: string;
  /**
   * JSON: the hub's signed list of revoked enrolments (protocol.ts Revocation), as at the last
   * check-in, shown to the hub at the next: a hub put back from a backup revokes them again.
   */
  revocations: string;
}

export type StateKey = keyof SyncState;

const valueOf = query<Pick<SyncStateRow, 'value'>, { key: string }>('SELECT value FROM sync_state WHERE key = @key');
const put = command<SyncStateRow>('INSERT INTO sync_state (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
const remove = command<{ key: string }>('DELETE FROM sync_state WHERE key = @key');

export function getState(core: Pick<Core, 'db'>, key: StateKey): string | null {
  return valueOf.get(core, { key })?.value ?? null;
}

/** Call inside a transaction (every write is in one). */
export function setState(core: Pick<WriteCore, 'db' | 'writable'>, key: StateKey, value: string | null): void {
  if (value === null) remove.run(core, { key });
  else put.run(core, { key, value });
}

export function setStates(core: Pick<WriteCore, 'db' | 'writable'>, values: Partial<Record<StateKey, string | null>>): void {
  for (const [k, v] of Object.entries(values)) setState(core, k as StateKey, v ?? null);
}

export function isEnrolled(core: Pick<Core, 'db'>): boolean {
  return getState(core, 'hub_url') !== null && getState(core, 'pc_key') !== null;
}
