import type { Database } from 'better-sqlite3';
import type { BackupCheckState } from '../../../shared/contract/backups';
import type { Core } from '../context';
import { runJob, workerStopMark, workerStopped } from '../worker/run';
import type { BackupCheckParts } from './checks';
import { identityOf, keptBackupCheck } from './checks';
import type { DatabaseCheck } from './inspect';

/**
 * The Backups screen's checks, made in the background so the list never waits for them. A backup
 * with no kept check (after a restart, or a file copied in by hand) is read whole by its check:
 * minutes at 5 GB. The list answers at once with each backup as it stands (checked, `waiting`, or
 * `checking` now) and puts the ones not checked in this queue; the 'checks' worker checks them one
 * at a time, in the order the list asked (newest first), and keeps each answer (backup/checks.ts);
 * the screen reads the list again while any is not checked (BackupsScreen.tsx).
 *
 * The checks have a worker thread of their own (lane 'checks'), so a check never waits behind an
 * import, a backup or the deep check after start in the 'jobs' worker; and only one check at a
 * time is given to it, so the restore dialog's check (checkBackup) waits at most for the one being
 * read, never for the whole list.
 */

interface Queue {
  /** The files the list asked to be checked, not yet started, in the order asked. */
  waiting: Set<string>;
  /** The file the worker is checking now, and when it has ended. */
  current: { file: string; ended: Promise<void> } | null;
  /** A check the worker could not make (an error in it), under the file as it was: not asked again until the file changes. */
  failed: Map<string, { identity: string; check: DatabaseCheck }>;
}

const queues = new WeakMap<Database, Queue>();

function queueOf(core: Pick<Core, 'db'>): Queue {
  let q = queues.get(core.db);
  if (!q) queues.set(core.db, (q = { waiting: new Set(), current: null, failed: new Map() }));
  return q;
}

/** A backup's check as the list shows it: what was found, or that it is not checked yet. */
export type ListedCheck = { state: 'done'; check: DatabaseCheck } | { state: Exclude<BackupCheckState, 'done'> };

/**
 * The list's answer for `file`, at once: its kept check, else it is put in the queue (once) and
 * said to be `waiting`, or `checking` when the worker is reading it now.
 */
export function listedCheck(core: Core, file: string): ListedCheck {
  const kept = keptBackupCheck(file, core);
  if ('check' in kept) return { state: 'done', check: kept.check };
  const q = queueOf(core);
  const failed = q.failed.get(file);
  if (failed && failed.identity === identityOf(file)) return { state: 'done', check: failed.check };
  if (q.current?.file === file) return { state: 'checking' };
  q.waiting.add(file);
  if (!q.current) q.current = next(core, q);
  return { state: q.current?.file === file ? 'checking' : 'waiting' };
}

/** The check of `file` the list is running now, if it is: the restore dialog waits for it rather than read the file twice. */
export function listCheckRunning(core: Pick<Core, 'db'>, file: string): Promise<void> | null {
  const current = queues.get(core.db)?.current;
  return current?.file === file ? current.ended : null;
}

/** Starts the next waiting check in the worker; null when none is left. Ends when Wardkeep stops its workers. */
function next(core: Core, q: Queue): Queue['current'] {
  const file = q.waiting.values().next().value;
  if (file === undefined) return null;
  q.waiting.delete(file);
  const mark = workerStopMark(core);
  const ended = checkOne(core, file, q, mark).then(() => {
    if (workerStopped(core, mark)) {
      // Wardkeep is closing (or the test ended): the rest is checked when the list asks again.
      q.waiting.clear();
      q.current = null;
      return;
    }
    q.current = next(core, q);
  });
  return { file, ended };
}

async function checkOne(core: Core, file: string, q: Queue, mark: number): Promise<void> {
  // Asked again now: the restore dialog may have checked it meanwhile, or the file gone or changed.
  const kept = keptBackupCheck(file, core);
  if ('check' in kept) return;
  const identity = identityOf(file);
  try {
    const found: BackupCheckParts = await runJob(core, 'backup.check', kept.ask, { lane: 'checks' });
    kept.keep(found);
    q.failed.delete(file);
  } catch (err) {
    // Stopped with Wardkeep: no finding, it is checked at the next start.
    if (identity === null || workerStopped(core, mark)) return;
    const message = err instanceof Error ? err.message : String(err);
    q.failed.set(file, {
      identity,
      check: {
        ok: false,
        problems: [`It could not be checked: ${message}`],
        schemaVersion: null,
        auditEntries: 0,
        counts: null,
        lastChangeAt: null,
        sizeBytes: 0,
        compatibility: 'unknown',
      },
    });
  }
}
