import { query } from '../sql/query';
import type { SyncClient, SyncReport } from './engine';
import { SyncError } from './engine';

/**
 * Syncing in the background: a full sync every `intervalMs`, and sooner when this PC has a change
 * to send, so a status change reaches the other PCs within one interval: at once when told (the
 * app's commits, through `nudge`), and within about a second for a write made by another process
 * (the command line), which the loop notices in the outbox. A hub that cannot be reached is tried
 * again at the next turn, for as long as it takes; a PC revoked at the hub stops. Each turn awaits
 * its requests, so the event loop is never held for long.
 */

export const DEFAULT_INTERVAL_MS = 5_000;
const WATCH_MS = 1_000;

export interface LoopOptions {
  intervalMs?: number;
  signal: AbortSignal;
  onReport?: (report: SyncReport) => void;
  onError?: (error: unknown) => void;
  /** Registers the function that starts the next turn at once (a change to send); returns how to unregister it. */
  nudges?: (wake: () => void) => () => void;
}

const outboxHead = query<{ seq: number | null }>('SELECT max(seq) AS seq FROM sync_outbox');

/** Waits `ms`, or less when the signal aborts or `wake` is called. */
function pause(ms: number, signal: AbortSignal, woken: { wake: (() => void) | null }): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      woken.wake = null;
      resolve();
    }
    woken.wake = done;
    signal.addEventListener('abort', done);
  });
}

/** Runs until the signal aborts or the PC is revoked (then resolves with the error). */
export async function runSyncLoop(client: SyncClient, options: LoopOptions): Promise<SyncError | null> {
  const interval = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const woken: { wake: (() => void) | null; pending: boolean } = { wake: null, pending: false };
  const stopNudges = options.nudges?.(() => {
    woken.pending = true;
    woken.wake?.();
  });
  try {
    while (!options.signal.aborted) {
      woken.pending = false;
      try {
        const report = await client.syncOnce();
        options.onReport?.(report);
      } catch (err) {
        options.onError?.(err);
        if (err instanceof SyncError && (err.kind === 'revoked' || err.kind === 'not_enrolled')) return err;
      }
      const seen = outboxHead.get(client.core)?.seq ?? null;
      const until = Date.now() + interval;
      while (!options.signal.aborted && !woken.pending && Date.now() < until) {
        await pause(Math.min(WATCH_MS, until - Date.now()), options.signal, woken);
        const head = outboxHead.get(client.core)?.seq ?? null;
        if (head !== null && head !== seen) break;
      }
    }
    return null;
  } finally {
    stopNudges?.();
  }
}
