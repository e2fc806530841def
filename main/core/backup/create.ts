import { closeSync, existsSync, fsyncSync, openSync, renameSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Core } from '../context';
import { AppError } from '../errors';
import { BACKUP_HEAD_KEY, backupAnchorOf } from '../anchors/backup-anchor';
import type { AnchorKey } from '../anchors/key';
import { withKeysNow } from '../anchors/key';
import { readHeadLog } from '../anchors/head-log';
import { anchorsOf } from '../anchors';
import type { BackupAnchors, DatabaseCheck } from './inspect';
import { inspectDatabaseFile } from './inspect';

/** This data folder's head log and keys (with any key another account made since the app started), when the core has its anchors attached. */
export function backupAnchors(core: Pick<Core, 'db'>): BackupAnchors | null {
  const anchors = anchorsOf(core);
  if (!anchors) return null;
  const ring = withKeysNow(anchors.ring, anchors.dataDir);
  return { log: readHeadLog(anchors.dataDir, ring.known), ring };
}
import { openFile } from './sqlite';

export interface BackupProgress {
  phase: 'copying' | 'verifying' | 'done';
  /** Pages copied so far, of `total`. */
  done: number;
  total: number;
}

export interface BackupResult {
  file: string;
  sizeBytes: number;
  check: DatabaseCheck;
  /** How many times the online backup's copy started again (another connection wrote): at most once. */
  restarts?: number;
}

/** A write error as a sentence naming the place, e.g. a full or unplugged USB stick. */
export function backupWriteError(err: unknown, dest: string): AppError {
  if (err instanceof AppError) return err;
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  const dir = path.dirname(dest);
  if (code === 'ENOSPC' || code === 'SQLITE_FULL') return new AppError('storage', `There is not enough space in ${dir} for the backup. Free some space or choose another backup folder.`);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN') {
    return new AppError('storage', `Wardkeep may not write to ${dir}. Choose another backup folder or check its permissions.`);
  }
  if (code === 'ENOENT' || (err instanceof TypeError && /directory does not exist/.test(err.message))) {
    return new AppError('storage', `The folder ${dir} does not exist (is the disk or USB stick plugged in?).`);
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return new AppError('storage', `The backup could not be written to ${dir}: the disk reported an error.`);
  return new AppError('internal', `The backup to ${dest} failed: ${(err as Error)?.message ?? String(err)}`);
}

function isLiveFile(core: Core, dest: string): boolean {
  const live = path.resolve(core.file);
  const target = path.resolve(dest);
  return [live, `${live}-wal`, `${live}-shm`, `${live}-journal`].some((f) => (process.platform === 'win32' ? f.toLowerCase() === target.toLowerCase() : f === target));
}

function fsyncPath(p: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(p, 'r');
    fsyncSync(fd);
  } catch {
    // Folders cannot be opened for fsync on Windows; the rename is durable enough there.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

const tempName = (dest: string) => `${dest}.partial-${process.pid}-${Date.now()}`;

/**
 * Turns a fresh copy into a self-contained file (no -wal beside it), checks it, and only then
 * puts it in place under its final name: a backup that exists under its name has been verified.
 */
function finish(
  temp: string,
  dest: string,
  onProgress?: (p: BackupProgress) => void,
  anchors: BackupAnchors | null = null,
  key: AnchorKey | null = anchors?.ring.signing ?? null,
  outsideEdits = true,
): BackupResult {
  let copy: Database | null = null;
  try {
    copy = openFile(temp);
    copy.pragma('journal_mode = DELETE');
    // The head the backup ends on, signed: an edit to it later is found (see anchors/backup-anchor.ts).
    const anchor = backupAnchorOf(copy, key);
    if (anchor) copy.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(BACKUP_HEAD_KEY, anchor);
    copy.close();
    copy = null;
    // Checked against the head log too: a backup of a trail someone rewrote is not made. Nor one a
    // restore would refuse for users' rights or triggers edited outside Wardkeep (inspect.ts).
    const check = inspectDatabaseFile(temp, { anchors, outsideEdits });
    if (!check.ok) {
      throw new AppError('storage', `The backup copy did not pass its check, so it was not kept: ${check.problems[0] ?? 'unknown problem'} Run "wardkeep verify" on the database.`);
    }
    fsyncPath(temp);
    renameSync(temp, dest);
    fsyncPath(path.dirname(dest));
    const sizeBytes = statSync(dest).size;
    onProgress?.({ phase: 'done', done: 1, total: 1 });
    return { file: dest, sizeBytes, check: { ...check, sizeBytes } };
  } finally {
    copy?.close();
  }
}

function removeQuietly(file: string): void {
  for (const f of [file, `${file}-journal`, `${file}-wal`, `${file}-shm`]) {
    try {
      if (existsSync(f)) unlinkSync(f);
    } catch {
      // best effort: a leftover .partial file is cleaned up by the next rotation
    }
  }
}

/** Pages per step of the online backup while no other connection writes (better-sqlite3's default). */
const PAGES_PER_STEP = 100;
/** "Every page left", in one step (better-sqlite3 caps the rate it is given at this). */
const ALL_PAGES = 0x7fffffff;

/**
 * A consistent copy of the live database with SQLite's online backup (never a copy of the file,
 * which could catch a write half-way), then verified: integrity check and audit chain, on the
 * copy opened read-only. Writes carry on meanwhile; the copy is of one moment.
 *
 * The copy runs on a connection of its own (the worker thread's), so to SQLite every write the app
 * makes meanwhile is another connection's, and the next step starts the copy again from its first
 * page: on a busy ward, with a write every few seconds and a copy of minutes, it might never end.
 * So the copy goes 100 pages a step (other work on this connection goes on between steps) until it
 * has to start again once; then the rest is copied in one step. In WAL mode that step holds only a
 * read snapshot: the ward's writes go on into the WAL meanwhile, and the copy is of that moment.
 * The progress reported never goes back: it stays where it was while the copy starts again.
 */
export async function createBackup(core: Core, destFile: string, onProgress?: (p: BackupProgress) => void): Promise<BackupResult> {
  const dest = path.resolve(destFile);
  if (isLiveFile(core, dest)) throw new AppError('invalid_input', 'A backup cannot be written over the database itself. Choose another file.');
  const temp = tempName(dest);
  let restarts = 0;
  let copied = -1;
  let shown = 0;
  try {
    await core.db.backup(temp, {
      progress: ({ totalPages, remainingPages }) => {
        const done = totalPages - remainingPages;
        // Between two steps of one pass, the pages copied only grow: fewer (or as many) is a new pass.
        if (done <= copied) restarts++;
        copied = done;
        shown = Math.max(shown, done);
        onProgress?.({ phase: 'copying', done: Math.min(shown, totalPages), total: totalPages });
        return restarts === 0 ? PAGES_PER_STEP : ALL_PAGES;
      },
    });
    onProgress?.({ phase: 'verifying', done: 0, total: 1 });
    return { ...finish(temp, dest, onProgress, backupAnchors(core)), restarts };
  } catch (err) {
    removeQuietly(temp);
    throw backupWriteError(err, dest);
  }
}

/**
 * The same, synchronously, for the one place that cannot wait: just before a migration, inside
 * opening the database. `VACUUM INTO` is SQLite's other consistent online copy.
 */
export function createBackupSync(db: Database, liveFile: string, destFile: string, key: AnchorKey | null = null): BackupResult {
  const dest = path.resolve(destFile);
  if (path.resolve(liveFile) === dest) throw new AppError('invalid_input', 'A backup cannot be written over the database itself.');
  const temp = tempName(dest);
  try {
    db.prepare('VACUUM INTO ?').run(temp);
    // A copy of whatever is there, kept as the way back: not refused for disagreeing with the head
    // log, nor for users or triggers edited outside Wardkeep (the restore that would put them right
    // takes this copy first).
    return finish(temp, dest, undefined, null, key, false);
  } catch (err) {
    removeQuietly(temp);
    throw backupWriteError(err, dest);
  }
}
