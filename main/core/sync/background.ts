import type { Core } from '../context';
import { onCommit } from '../dispatcher/transaction';
import type { SyncWorkerEvent } from '../worker/jobs';
import { runJob, stopWorker, tellWorker, workerRunning } from '../worker/run';
import { SYNC_ORIGIN } from './engine';
import { isEnrolled } from './state';

/**
 * The app's sync with the hospital's hub, off the thread that serves the window: the 'sync'
 * worker (worker/run.ts), the same worker code as the jobs' with its own connection, runs the
 * sync loop (loop.ts) until stopped. Its commits are announced to this core's commit listeners
 * like the jobs' (so the head log records them); what it tells as it goes comes to `onEvent`
 * (the shell turns rows that arrived into a data.changed event, issue 20's header reads the rest).
 * Every commit made here with audit entries (a change to send) nudges it, so the change leaves at
 * once rather than at the next interval.
 *
 * The app calls `start` at launch (it does nothing on a PC in no hub) and again after joining;
 * `stop` when it quits or leaves the hub.
 */
export interface BackgroundSync {
  /** Starts the sync worker if this PC is in a hub and it is not running. */
  start(): void;
  stop(): Promise<void>;
  running(): boolean;
  /** Resolves when the running sync ends (asked to stop, revoked at the hub, or left it). */
  ended(): Promise<'asked' | 'revoked' | 'not_enrolled' | null>;
}

export function backgroundSync(
  core: Core,
  options: { intervalMs?: number; onEvent?: (e: SyncWorkerEvent) => void; log?: (line: string) => void } = {},
): BackgroundSync {
  const log = options.log ?? ((line: string) => console.error(line));
  let current: Promise<'asked' | 'revoked' | 'not_enrolled' | null> | null = null;
  let stopNudges: (() => void) | null = null;
  return {
    start() {
      if (current || !isEnrolled(core)) return;
      stopNudges = onCommit(core, (commit) => {
        if (commit.audit && commit.origin !== SYNC_ORIGIN) tellWorker(core, 'sync', 'nudge');
      });
      current = runJob(core, 'sync.run', options.intervalMs ? { intervalMs: options.intervalMs } : {}, { lane: 'sync', ...(options.onEvent ? { onEvent: options.onEvent } : {}) })
        .then(
          (r) => r.stopped,
          (err: unknown) => {
            log(`[sync] the sync stopped: ${err instanceof Error ? err.message : String(err)}`);
            return null;
          },
        )
        .finally(() => {
          stopNudges?.();
          stopNudges = null;
          current = null;
          // The worker is ended with its sync, so a later start begins with a fresh one.
          void stopWorker(core, 'sync');
        });
    },
    async stop() {
      const running = current;
      if (!running) return;
      await stopWorker(core, 'sync');
      await running;
    },
    running: () => current !== null && workerRunning(core, 'sync'),
    ended: () => current ?? Promise.resolve(null),
  };
}
