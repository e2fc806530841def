import { statSync } from 'node:fs';
import type { Core } from '../context';
import { anchorsOf } from '../anchors';
import { headLogPath, readHeadLog } from '../anchors/head-log';
import type { KeyRing } from '../anchors/key';
import { withKeysNow } from '../anchors/key';
import type { BackupAnchors, DatabaseCheck } from './inspect';
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

function identityOf(file: string): string | null {
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

/** The anchors a restore checks against, read again only when the head log or the key files changed. */
const anchorsRead = new WeakMap<object, { state: string; anchors: BackupAnchors }>();

function anchorsNow(core: Pick<Core, 'db'>): { state: string; anchors: BackupAnchors | null } {
  const attached = anchorsOf(core);
  if (!attached) return { state: 'no anchors', anchors: null };
  const ring = withKeysNow(attached.ring, attached.dataDir);
  const log = statSync(headLogPath(attached.dataDir), { throwIfNoEntry: false });
  const state = [log ? `${log.ino}:${log.size}:${log.mtimeMs}:${log.ctimeMs}` : 'no log', idsOf(ring), [...ring.foreign].sort().join(',')].join('|');
  const read = anchorsRead.get(attached);
  if (read?.state === state) return { state, anchors: read.anchors };
  // Read after the state was taken: the log read is at least as new as the state it is kept under.
  const anchors: BackupAnchors = { log: readHeadLog(attached.dataDir, ring.known), ring };
  anchorsRead.set(attached, { state, anchors });
  return { state, anchors };
}

/**
 * The check a restore of `file` would make (restore.ts: `inspectDatabaseFile` with
 * `backupAnchors(core)`), kept while the file, the head log and the key files are unchanged: the
 * file's own check with this data folder's keys, and with `againstLog` its check against the head
 * log too. Without a core (a file outside any data folder), the file alone.
 */
export function checkBackupFile(file: string, core?: Pick<Core, 'db'>, options: { againstLog?: boolean } = {}): DatabaseCheck {
  const identity = identityOf(file);
  if (identity === null) return inspectDatabaseFile(file, { backup: true });
  const k = keptFor(file, identity);
  const attached = core ? anchorsOf(core) : null;
  const ring = attached ? withKeysNow(attached.ring, attached.dataDir) : null;
  const keys = idsOf(ring);
  if (k.own?.keys !== keys) k.own = { keys, check: inspectDatabaseFile(file, { backup: true, ring }) };
  const own = k.own.check;
  // A file that fails its own check is not restored whatever the log says: the log is not read for it.
  // The head log is read only when asked (the restore dialog): the list must not read it after every commit.
  if (!own.ok || !core || !options.againstLog) return own;
  const { state, anchors } = anchorsNow(core);
  if (!anchors) return own;
  if (k.log?.anchors !== state) k.log = { anchors: state, problems: inspectAgainstLog(file, anchors) };
  const problems = k.log.problems;
  return problems.length === 0 ? own : { ...own, ok: false, problems: [...own.problems, ...problems] };
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
