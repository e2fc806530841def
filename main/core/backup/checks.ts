import { statSync } from 'node:fs';
import type { Core } from '../context';
import { anchorsOf } from '../anchors';
import type { Anchors } from '../anchors';
import { headLogPath, readHeadLog } from '../anchors/head-log';
import type { KeyRing, RingMaterial } from '../anchors/key';
import { ringMaterial, withKeysNow } from '../anchors/key';
import type { DatabaseCheck } from './inspect';
import { inspectAgainstLog, inspectBackupQuickly, inspectDatabaseFile } from './inspect';

/**
 * Whether each backup in the folder would be restored, for the Backups screen, the restore dialog
 * and the schedule: the restore's own check (the file, its signed stored head, and the head log
 * with this data folder's keys: restore.ts), kept while nothing it depends on has changed.
 *
 * Checking a backup reads it whole (integrity_check, the whole trail, every permanent row: two
 * minutes at 5 GB), and that part depends only on the file and the keys that can check its stored
 * head. The head log gets a line at every commit, so the part against it is kept apart, by the log's
 * size and time and the key files: a write to the database re-runs only that part, never the
 * integrity check of every backup.
 *
 * Both parts run in the worker thread (the 'backup.check' job), never on the thread that serves the
 * window: reading the head log takes seconds at a hospital's size (docs/performance.md), the
 * integrity check minutes, and the window would freeze meanwhile. This thread keeps what the worker
 * found, under the file and the anchors as they were before the worker read them.
 */

interface Kept {
  /** The file as it was checked: an edit (even with its time put back) changes its ctime. */
  identity: string;
  /** The file's own check, with the keys that checked its stored head (`keys`). */
  own?: { keys: string; check: DatabaseCheck };
  /** Its problems against the head log, with the anchors as they were (`anchors`). */
  log?: { anchors: string; problems: string[] };
  /** The schedule's quick look (no integrity check, no head log), when nothing better is kept. */
  quick?: { keys: string; ok: boolean };
}

const kept = new Map<string, Kept>();

/** The file as it is now (device, inode, size, times): a check is kept under it. */
export function identityOf(file: string): string | null {
  const s = statSync(file, { throwIfNoEntry: false });
  return s ? `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}` : null;
}

const idsOf = (ring: KeyRing | null) => (ring ? [...ring.known.keys()].sort().join(',') : 'no keys');

function keptFor(file: string, identity: string): Kept {
  const k = kept.get(file);
  if (k && k.identity === identity) return k;
  const fresh: Kept = { identity };
  kept.set(file, fresh);
  return fresh;
}

/** The head log and the key files as they are now (a few stats, the log not read): what a check against the log is kept under. */
function anchorState(attached: Anchors, ring: KeyRing): string {
  const log = statSync(headLogPath(attached.dataDir), { throwIfNoEntry: false });
  return [log ? `${log.ino}:${log.size}:${log.mtimeMs}:${log.ctimeMs}` : 'no log', idsOf(ring), [...ring.foreign].sort().join(',')].join('|');
}

/** What the worker found of a backup (the parts it was asked for): this thread keeps them. */
export interface BackupCheckParts {
  own: DatabaseCheck | null;
  /** Its problems against the head log; null when not asked, or when its own check failed. */
  log: string[] | null;
}

/**
 * The worker's side ('backup.check'): the file's own check with `ring`'s keys (`own`), and its
 * check against the head log of `dataDir` (`againstLog`), read now, after the main thread took the
 * state it keeps the answer under. A file that fails its own check is not checked against the log:
 * it is not restored whatever the log says. Nothing is kept here: the main thread keeps the answers.
 */
export function checkBackupParts(file: string, ask: { own: boolean; againstLog: boolean }, anchors: { dataDir: string; ring: KeyRing | null }): BackupCheckParts {
  const own = ask.own ? inspectDatabaseFile(file, { backup: true, ring: anchors.ring }) : null;
  if (!ask.againstLog || !anchors.ring || (own && !own.ok)) return { own, log: null };
  return { own, log: inspectAgainstLog(file, { log: readHeadLog(anchors.dataDir, anchors.ring.known), ring: anchors.ring }) };
}

/** What the worker is asked for ('backup.check'): the parts of a backup's check this thread has not kept. */
export interface BackupCheckAsk {
  file: string;
  /** The main thread's keys, with the key files there now; null when its core has no anchors. */
  keys: RingMaterial | null;
  own: boolean;
  againstLog: boolean;
}

/**
 * The check a restore of `file` would make (restore.ts: `inspectDatabaseFile` with
 * `backupAnchors(core)`), kept while the file, the head log and the key files are unchanged: the
 * file's own check with this data folder's keys, and with `againstLog` its check against the head
 * log too. Either the answer, when all of it is kept, or what to ask the worker for and how to keep
 * its answer (handlers.ts checkBackup runs the job: this file stays out of the worker's imports).
 */
export function keptBackupCheck(
  file: string,
  core: Pick<Core, 'db'>,
  options: { againstLog?: boolean } = {},
): { check: DatabaseCheck } | { ask: BackupCheckAsk; keep(found: BackupCheckParts): DatabaseCheck } {
  const identity = identityOf(file);
  // Not there: the check says so without opening anything.
  if (identity === null) return { check: inspectDatabaseFile(file, { backup: true }) };
  const attached = anchorsOf(core);
  const ring = attached ? withKeysNow(attached.ring, attached.dataDir) : null;
  const keys = idsOf(ring);
  // Taken before the worker reads the log: what it reads is at least as new as the state it is kept under.
  const state = attached && ring && options.againstLog ? anchorState(attached, ring) : null;
  const k = keptFor(file, identity);
  const answer = (): DatabaseCheck => {
    const own = k.own!.check;
    if (!own.ok || state === null || k.log?.anchors !== state) return own;
    const problems = k.log.problems;
    return problems.length === 0 ? own : { ...own, ok: false, problems: [...own.problems, ...problems] };
  };
  const askOwn = k.own?.keys !== keys;
  // The head log is read only when asked (the restore dialog): the list must not read it after every commit.
  const askLog = state !== null && k.log?.anchors !== state && (askOwn || k.own!.check.ok);
  if (!askOwn && !askLog) return { check: answer() };
  return {
    ask: { file, keys: ring ? ringMaterial(ring) : null, own: askOwn, againstLog: askLog },
    // Kept under the file as it was before the worker read it: an edit meanwhile (even with its time put back) is checked again next time.
    keep: (found) => {
      if (found.own) k.own = { keys, check: found.own };
      if (found.log && state !== null) k.log = { anchors: state, problems: found.log };
      return answer();
    },
  };
}

/** A backup file checked without a data folder's anchors: the file alone, on this thread (no cache, no head log). */
export function checkBackupFile(file: string): DatabaseCheck {
  return inspectDatabaseFile(file, { backup: true });
}

/**
 * For the schedule, which looks every ten minutes on the window's thread: whether a backup is one
 * to count. The full answer when one is kept (this app made the backup, or the Backups screen
 * checked it), else a quick look that reads a few pages: a Wardkeep database of the size its header
 * says (not cut short), still ending on the head it stored, signed with this PC's key. It never
 * reads the head log (a line per commit) nor runs the integrity check (minutes at 5 GB).
 */
export function backupCounts(file: string, core: Pick<Core, 'db'>): boolean {
  const identity = identityOf(file);
  if (identity === null) return false;
  const k = keptFor(file, identity);
  const attached = anchorsOf(core);
  const ring = attached ? withKeysNow(attached.ring, attached.dataDir) : null;
  const keys = idsOf(ring);
  if (k.own?.keys === keys) {
    if (!k.own.check.ok) return false;
    if (k.log) return k.log.problems.length === 0;
    return true;
  }
  if (k.quick?.keys !== keys) k.quick = { keys, ok: inspectBackupQuickly(file, ring) };
  return k.quick.ok;
}

/** A backup this process just made and checked (its check passed, with these anchors' keys): not read again. */
export function rememberBackupCheck(file: string, check: DatabaseCheck, core: Pick<Core, 'db'>): void {
  const identity = identityOf(file);
  if (identity === null || !check.ok) return;
  const attached = anchorsOf(core);
  const ring = attached ? withKeysNow(attached.ring, attached.dataDir) : null;
  kept.set(file, { identity, own: { keys: idsOf(ring), check } });
}

export function forgetBackupCheck(file: string): void {
  kept.delete(file);
}
