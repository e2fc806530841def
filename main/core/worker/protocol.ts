import type { AppErrorValue } from '../../../shared/result';
import type { RingMaterial } from '../anchors/key';
import type { BackupProgress } from '../backup/create';
import type { CheckProgress } from '../health';
import type { Commit } from '../dispatcher/transaction';
import { AppError, DatabaseRefusedError } from '../errors';
import type { JobName, SyncWorkerEvent } from './jobs';

/** What the worker is started with: the database to open, with which build of better-sqlite3. */
export interface WorkerData {
  dataDir: string;
  nativeBinding: string | undefined;
  /**
   * The audit anchors of the main thread's core: false when it has none (`wardkeep verify` writes
   * nothing beside the database), else the secret of its signing key (null when it has none), so the
   * worker signs backups and a restore's head with the same key (see anchors/index.ts), and every
   * key it checks with (`keys`: its own and other accounts' it knows of), so a backup's check of the
   * head log there judges each line as the main thread's would.
   */
  anchors: false | { secret: Uint8Array | null; keys: RingMaterial };
  /**
   * Which worker: 'jobs' runs the jobs one at a time, each at the main thread's clock when asked
   * for; 'sync' runs the background sync with a hub (one long job that ends when stopped), its
   * clock running on from the main thread's, so a sync never waits for an import or a backup;
   * 'checks' runs the backups' checks ('backup.check') one at a time, as 'jobs' does, so the Backups
   * screen's checks never wait behind an import or the deep check after start (backup/list-checks.ts);
   * 'reports' works out the compliance report (reports/handlers.ts), which reads a period's records
   * for seconds at a hospital's size, so the thread that serves the window is never held by it and a
   * report never waits behind an import, a backup or a check. 'reports-2' is a second worker for
   * it: a report at a hospital's size has its plans shared between the two, one core each
   * (reports/compliance-shares.ts).
   */
  lane: Lane;
  /**
   * One 32-bit flag the main thread sets when it stops the worker (stopWorker), read by the checks
   * as they go (JobTools.stopped): a check runs synchronously, so it cannot hear the 'stop' message
   * until it ends, and a quit would otherwise wait for the whole trail (8 minutes at 200,000 devices).
   */
  stopFlag: SharedArrayBuffer;
}

export type Lane = 'jobs' | 'sync' | 'checks' | 'reports' | 'reports-2';

/** A job for the worker; `nowMs` is the main thread's clock when it was asked for. */
export interface ToWorker {
  id: number;
  job: JobName;
  args: unknown;
  nowMs: number;
}

/** Messages for a running job (`nudge`: the sync has a change to send now). */
export type ToWorkerControl = 'stop' | 'nudge';

/** What the worker tells the main thread about job `id`. */
export type ToMain =
  | { id: number; type: 'progress'; progress: BackupProgress | CheckProgress }
  | { id: number; type: 'event'; event: SyncWorkerEvent }
  | { id: number; type: 'commit'; commit: Commit }
  | { id: number; type: 'done'; value: unknown }
  | { id: number; type: 'error'; error: SerializedError };

/** An error across the thread boundary: an AppError keeps its sentence and field; SQLite's keep their code. */
export type SerializedError =
  | { kind: 'app'; value: AppErrorValue }
  | { kind: 'refused'; message: string }
  | { kind: 'error'; name: string; message: string; code: string | undefined; stack: string | undefined };

export function serializeError(err: unknown): SerializedError {
  if (err instanceof AppError) return { kind: 'app', value: err.toValue() };
  if (err instanceof DatabaseRefusedError) return { kind: 'refused', message: err.message };
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as { code?: unknown }).code;
  return { kind: 'error', name: e.name, message: e.message, code: typeof code === 'string' ? code : undefined, stack: e.stack };
}

export function deserializeError(s: SerializedError): Error {
  if (s.kind === 'app')
    return new AppError(s.value.code, s.value.message, {
      ...(s.value.field ? { field: s.value.field } : {}),
      ...(s.value.details ? { details: s.value.details } : {}),
    });
  if (s.kind === 'refused') return new DatabaseRefusedError(s.message);
  const e = Object.assign(new Error(s.message), s.code ? { code: s.code } : {});
  e.name = s.name;
  if (s.stack) e.stack = `${s.stack}\n    (in the Wardkeep worker thread)`;
  return e;
}
