import { parentPort, workerData } from 'node:worker_threads';
import { setBackupNativeBinding } from '../backup/sqlite';
import { onCommit } from '../dispatcher/transaction';
import { openCore } from '../open-core';
import type { JobTools } from './jobs';
import { transfersOf } from './packed';
import { JOBS } from './jobs';
import type { ToMain, ToWorker, ToWorkerControl, WorkerData } from './protocol';
import { serializeError } from './protocol';

/**
 * The worker thread: its own connection to the database the main thread has open (WAL lets it
 * read while the main thread reads, and wait its turn to write), running the jobs it is sent one
 * at a time and reporting their progress, commits and results. In the 'jobs' worker the clock
 * stands at the instant each job was asked for, so a job's timestamps are the main thread's (the
 * tests move that clock), and so in the 'checks' worker (the Backups screen's checks,
 * backup/list-checks.ts) and the 'reports' worker (a report's "today" is the main thread's); in
 * the 'sync' worker it runs on from there, for a sync that lasts.
 */
const data = workerData as WorkerData;
const port = parentPort!;
// `transfer`: the buffers moved with the message rather than copied (packed.ts).
const post = (message: ToMain, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

setBackupNativeBinding(data.nativeBinding);
let nowMs = Date.now();
let offsetMs = 0;
const core = openCore({
  dataDir: data.dataDir,
  // The database the main thread has open: never one made afresh in its place. Were its file moved
  // or deleted while Wardkeep runs, a worker that made a new, empty one would answer a report with
  // nothing due, and a check with a sound trail.
  mustExist: `The database is no longer in ${data.dataDir}: it was moved or deleted while Wardkeep was open. Nothing was read or made in its place; close Wardkeep and put the folder back, or restore a backup.`,
  nativeBinding: data.nativeBinding,
  clock: { now: () => new Date(data.lane === 'sync' ? Date.now() + offsetMs : nowMs) },
  // The main thread's anchors, or none; a main thread without a key leaves the worker unsigned too.
  anchors: data.anchors === false ? false : data.anchors.secret ? { secret: Buffer.from(data.anchors.secret), keys: data.anchors.keys } : false,
});
let current = 0;
onCommit(core, (commit) => post({ id: current, type: 'commit', commit }));

const stopping = new AbortController();
const stopFlag = new Int32Array(data.stopFlag);
const wakers = new Set<() => void>();

async function run(message: ToWorker): Promise<void> {
  current = message.id;
  nowMs = message.nowMs;
  offsetMs = message.nowMs - Date.now();
  const tools: JobTools = {
    progress: (progress) => post({ id: message.id, type: 'progress', progress }),
    announce: (commit) => post({ id: message.id, type: 'commit', commit }),
    event: (event) => post({ id: message.id, type: 'event', event }),
    signal: stopping.signal,
    stopped: () => Atomics.load(stopFlag, 0) === 1,
    nudges: (wake) => {
      wakers.add(wake);
      return () => wakers.delete(wake);
    },
  };
  try {
    // Each job's arguments and result are typed in jobs.ts; the message carries them as sent.
    const job = JOBS[message.job] as (c: typeof core, args: unknown, t: JobTools) => unknown;
    const value = await job(core, message.args, tools);
    // A packed result (a report's share) is moved to the main thread, not copied.
    post({ id: message.id, type: 'done', value }, transfersOf(value));
  } catch (err) {
    post({ id: message.id, type: 'error', error: serializeError(err) });
  }
}

// One job at a time, in the order asked: a restore never runs under an import.
let queue = Promise.resolve();
port.on('message', (message: ToWorker | ToWorkerControl) => {
  if (message === 'nudge') {
    for (const wake of wakers) wake();
    return;
  }
  if (message === 'stop') {
    // A job that runs until stopped (the sync) ends; then, after the jobs already asked for,
    // the connection closes and the thread ends.
    stopping.abort();
    queue = queue.then(() => {
      core.close();
      port.close();
    });
    return;
  }
  queue = queue.then(() => run(message));
});
