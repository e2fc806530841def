import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import { anchorsOf } from '../anchors';
import { signingSecret } from '../anchors/key';
import type { BackupProgress } from '../backup/create';
import type { Core } from '../context';
import { announceCommit } from '../dispatcher/transaction';
import type { JobArgs, JobName, JobResult } from './jobs';
import type { ToMain, ToWorker, WorkerData } from './protocol';
import { deserializeError } from './protocol';

/**
 * Runs the jobs of jobs.ts (imports, backups, restore, verify) in a worker thread with its own
 * connection to the same database, so the thread that serves the window stays free: each job's
 * progress is passed on, and its commits are announced to this core's commit listeners as if they
 * had been made here. One worker per open database, started on the first job, kept while the
 * database is open (it does not keep the process alive when idle), stopped by stopWorker.
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
  onProgress: ((p: BackupProgress) => void) | undefined;
}

interface Pool {
  worker: Worker;
  pending: Map<number, Pending>;
}

const pools = new WeakMap<Database, Pool>();
let nextId = 1;

function poolFor(core: Core): Pool {
  const pool = pools.get(core.db);
  if (pool) return pool;
  const anchors = anchorsOf(core);
  const secret = anchors ? signingSecret(anchors.ring) : null;
  const worker = startWorker({ dataDir: core.dataDir, nativeBinding: core.nativeBinding, anchors: anchors ? { secret: secret ? new Uint8Array(secret) : null } : false });
  const created: Pool = { worker, pending: new Map() };
  const fail = (err: Error) => {
    for (const p of created.pending.values()) p.reject(err);
    created.pending.clear();
    if (pools.get(core.db) === created) pools.delete(core.db);
  };
  worker.on('message', (message: ToMain) => {
    const job = created.pending.get(message.id);
    if (message.type === 'commit') {
      announceCommit(core, message.commit);
      return;
    }
    if (!job) return;
    if (message.type === 'progress') job.onProgress?.(message.progress);
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
  pools.set(core.db, created);
  return created;
}

export function runJob<K extends JobName>(
  core: Core,
  job: K,
  args: JobArgs<K>,
  options: { onProgress?: (p: BackupProgress) => void } = {},
): Promise<JobResult<K>> {
  const pool = poolFor(core);
  const id = nextId++;
  return new Promise<JobResult<K>>((resolve, reject) => {
    // The worker answers with the job's own result (jobs.ts types it per job).
    pool.pending.set(id, { resolve: (v) => resolve(v as JobResult<K>), reject, onProgress: options.onProgress });
    pool.worker.ref();
    const message: ToWorker = { id, job, args, nowMs: core.clock.now().getTime() };
    pool.worker.postMessage(message);
  });
}

/** Stops the database's worker once the jobs it was given are done; its connection closes first. */
export function stopWorker(core: Pick<Core, 'db'>): Promise<void> {
  const pool = pools.get(core.db);
  if (!pool) return Promise.resolve();
  pools.delete(core.db);
  const exited = new Promise<void>((resolve) => pool.worker.once('exit', () => resolve()));
  pool.worker.postMessage('stop');
  return exited;
}
