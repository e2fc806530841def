import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import { anchorsOf } from '../anchors';
import { ringMaterial, signingSecret } from '../anchors/key';
import type { BackupProgress } from '../backup/create';
import type { CheckProgress } from '../health';
import type { Core } from '../context';
import { announceCommit } from '../dispatcher/transaction';
import type { JobArgs, JobName, JobResult, SyncWorkerEvent } from './jobs';
import type { Lane, ToMain, ToWorker, ToWorkerControl, WorkerData } from './protocol';
import { deserializeError } from './protocol';
import { transfersOf } from './packed';

/**
 * Runs the jobs of jobs.ts (imports, backups, restore, verify) in a worker thread with its own
 * connection to the same database, so the thread that serves the window stays free: each job's
 * progress is passed on, and its commits are announced to this core's commit listeners as if they
 * had been made here. One worker per open database and lane, started on the first job, kept while
 * the database is open (it does not keep the process alive when idle), stopped by stopWorker. The
 * 'sync' lane is a second worker of the same code for the background sync with a hub
 * (sync/background.ts), so a sync waiting on the network never holds up an import or a backup.
 *
 * Where the worker's code is: the built app and the built CLI say so at start (setWorkerEntry,
 * with electron-vite's `?modulePath` import, which emits the worker as its own bundle); run from
 * the sources (the tests, the benchmarks), it is thread.ts beside this file, loaded through tsx.
 */
let entry: string | null = null;

/** The worker's built file; null goes back to the source file beside this one. */
export function setWorkerEntry(file: string | null): void {
  entry = file;
}

function workerEntry(): string {
  if (entry) return entry;
  const source = fileURLToPath(new URL('./thread.ts', import.meta.url));
  if (existsSync(source)) return source;
  throw new Error('The Wardkeep worker thread was not found: the entry point that started Wardkeep must call setWorkerEntry.');
}

function startWorker(data: WorkerData): Worker {
  const file = workerEntry();
  if (!file.endsWith('.ts')) return new Worker(file, { workerData: data });
  // TypeScript from the sources: register tsx in the worker first (a worker does not inherit the
  // loader the tests or `tsx` run with), then load the entry.
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(file).href)}); })`;
  return new Worker(boot, { eval: true, workerData: data });
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  onProgress: ((p: BackupProgress | CheckProgress) => void) | undefined;
  onEvent: ((e: SyncWorkerEvent) => void) | undefined;
}

interface Pool {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Set to 1 by stopWorker (WorkerData.stopFlag). */
  stopFlag: Int32Array;
}

/** Per open database, one worker per lane: the jobs, and the background sync (protocol.ts). */
const pools = new WeakMap<Database, Map<Lane, Pool>>();
let nextId = 1;

function poolFor(core: Core, lane: Lane): Pool {
  let lanes = pools.get(core.db);
  if (!lanes) pools.set(core.db, (lanes = new Map()));
  const pool = lanes.get(lane);
  if (pool) return pool;
  const anchors = anchorsOf(core);
  const secret = anchors ? signingSecret(anchors.ring) : null;
  const stopFlag = new SharedArrayBuffer(4);
  const worker = startWorker({
    dataDir: core.dataDir,
    nativeBinding: core.nativeBinding,
    anchors: anchors ? { secret: secret ? new Uint8Array(secret) : null, keys: ringMaterial(anchors.ring) } : false,
    lane,
    stopFlag,
  });
  const created: Pool = { worker, pending: new Map(), stopFlag: new Int32Array(stopFlag) };
  const owner = lanes;
  const fail = (err: Error) => {
    for (const p of created.pending.values()) p.reject(err);
    created.pending.clear();
    if (owner.get(lane) === created) owner.delete(lane);
  };
  worker.on('message', (message: ToMain) => {
    const job = created.pending.get(message.id);
    if (message.type === 'commit') {
      announceCommit(core, message.commit);
      return;
    }
    if (!job) return;
    if (message.type === 'progress') job.onProgress?.(message.progress);
    else if (message.type === 'event') job.onEvent?.(message.event);
    else {
      created.pending.delete(message.id);
      if (created.pending.size === 0) worker.unref();
      if (message.type === 'done') job.resolve(message.value);
      else job.reject(deserializeError(message.error));
    }
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`The worker thread stopped (exit code ${code}) before it finished.`)));
  worker.unref();
  lanes.set(lane, created);
  return created;
}

/** What a job reports as it goes: `verify` its steps, the backups and restore their pages. */
export type ProgressOf<K extends JobName> = K extends 'verify' ? CheckProgress : BackupProgress;

export function runJob<K extends JobName>(
  core: Core,
  job: K,
  args: JobArgs<K>,
  options: { onProgress?: (p: ProgressOf<K>) => void; onEvent?: (e: SyncWorkerEvent) => void; lane?: Lane } = {},
): Promise<JobResult<K>> {
  const pool = poolFor(core, options.lane ?? 'jobs');
  const id = nextId++;
  return new Promise<JobResult<K>>((resolve, reject) => {
    // The worker answers with the job's own result (jobs.ts types it per job).
    // The worker sends each job only its own kind of progress (ProgressOf).
    pool.pending.set(id, {
      resolve: (v) => resolve(v as JobResult<K>),
      reject,
      onProgress: options.onProgress as ((p: BackupProgress | CheckProgress) => void) | undefined,
      onEvent: options.onEvent,
    });
    pool.worker.ref();
    const message: ToWorker = { id, job, args, nowMs: core.clock.now().getTime() };
    // Packed arguments (a report's shares) are moved to the worker, not copied (packed.ts).
    pool.worker.postMessage(message, transfersOf(args));
  });
}

/** Tells a lane's running job something (the sync: a change to send now); nothing when that worker is not running. */
export function tellWorker(core: Pick<Core, 'db'>, lane: Lane, message: Exclude<ToWorkerControl, 'stop'>): void {
  pools.get(core.db)?.get(lane)?.worker.postMessage(message);
}

/** How many times every worker of this database was stopped (Wardkeep closing, a test ending). */
const stopCounts = new WeakMap<Database, number>();

/**
 * A mark to compare later with workerStopped: a check that runs job after job (the start-up checks)
 * ends when the workers were stopped meanwhile, rather than start a new worker for its next job.
 */
export function workerStopMark(core: Pick<Core, 'db'>): number {
  return stopCounts.get(core.db) ?? 0;
}

export function workerStopped(core: Pick<Core, 'db'>, mark: number): boolean {
  return (stopCounts.get(core.db) ?? 0) !== mark;
}

/** Whether a lane's worker is running for this database. */
export function workerRunning(core: Pick<Core, 'db'>, lane: Lane): boolean {
  return pools.get(core.db)?.has(lane) ?? false;
}

/**
 * Stops the database's workers (or one lane's) once the jobs they were given are done: a job that
 * runs until stopped (the sync) is stopped, a background check (the start-up checks of the
 * trail) stops part-way with CheckStoppedError, so closing Wardkeep never waits for the whole
 * trail to be read, and a report (the 'reports' lane) with ReportStoppedError; writes (an
 * import, a backup, a restore) and `wardkeep verify` run to their end.
 * Each worker's connection closes first.
 */
export function stopWorker(core: Pick<Core, 'db'>, lane?: Lane): Promise<void> {
  if (!lane) stopCounts.set(core.db, (stopCounts.get(core.db) ?? 0) + 1);
  const lanes = pools.get(core.db);
  if (!lanes) return Promise.resolve();
  const stops: Promise<void>[] = [];
  for (const [name, pool] of [...lanes]) {
    if (lane && name !== lane) continue;
    lanes.delete(name);
    Atomics.store(pool.stopFlag, 0, 1);
    stops.push(new Promise<void>((resolve) => pool.worker.once('exit', () => resolve())));
    const stop: ToWorkerControl = 'stop';
    pool.worker.postMessage(stop);
  }
  if (lanes.size === 0) pools.delete(core.db);
  return Promise.all(stops).then(() => undefined);
}
