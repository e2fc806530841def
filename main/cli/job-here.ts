import type { Core } from '../core/context';
import { announceCommit } from '../core/dispatcher/transaction';
import type { JobArgs, JobName, JobResult, JobTools } from '../core/worker/jobs';
import { JOBS } from '../core/worker/jobs';

/** The jobs a command runs on its own thread: they report no progress and are never stopped part-way. */
type HereJob = Extract<JobName, 'equipment.import.checked' | 'plans.import' | 'history.import'>;

/**
 * Runs one of the worker's import jobs (core/worker/jobs.ts) on the command line's own connection and
 * thread. The app runs them in its worker thread so that its window stays free; a command has no
 * window, and a worker of its own loads the whole core a second time and opens a second connection
 * before the job starts: about 0.45 s of `wardkeep import equipment` with 50,000 rows (issue 17,
 * docs/performance.md). The job is the worker's, unchanged: the same transaction, the same checks.
 * As in the worker, the clock stands at the instant the job was asked for.
 */
export async function runJobHere<K extends HereJob>(core: Core, job: K, args: JobArgs<K>): Promise<JobResult<K>> {
  const at = core.clock.now().getTime();
  const asked: Core = { ...core, clock: { now: () => new Date(at) } };
  const tools: JobTools = {
    progress: () => undefined,
    announce: (commit) => announceCommit(core, commit),
    event: () => undefined,
    signal: new AbortController().signal,
    stopped: () => false,
    nudges: () => () => undefined,
  };
  // Each job's arguments and result are typed in jobs.ts, as the worker runs them (thread.ts).
  const run = JOBS[job] as (c: Core, a: JobArgs<K>, t: JobTools) => JobResult<K> | Promise<JobResult<K>>;
  return run(asked, args, tools);
}
