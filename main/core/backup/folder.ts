import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { appendAudit } from '../audit';
import type { Actor, Core, WriteCore } from '../context';
import { AppError } from '../errors';
import type { BackupProgress, BackupResult } from './create';
import { createBackup } from './create';
import { backupCounts, forgetBackupCheck, rememberBackupCheck } from './checks';
export { checkBackupFile } from './checks';
import type { BackupReason } from './names';
import { backupFileName, parseBackupFileName } from './names';
import type { RetentionPolicy } from './retention';
import { DEFAULT_RETENTION, selectBackupsToKeep } from './retention';

/**
 * The backup folder belongs to this PC (a USB stick plugged into it), not to the data, so it is
 * kept in a small file beside the database rather than in it: a restore does not change it, and
 * it can still be read when the database itself is damaged. Changes are audited in the database.
 */
export const BACKUP_SETTINGS_FILE = 'backup-settings.json';

export const defaultBackupFolder = (dataDir: string) => path.join(path.resolve(dataDir), 'backups');

export function backupFolder(dataDir: string): string {
  try {
    const raw = JSON.parse(readFileSync(path.join(dataDir, BACKUP_SETTINGS_FILE), 'utf8')) as { folder?: unknown };
    if (typeof raw.folder === 'string' && path.isAbsolute(raw.folder)) return raw.folder;
  } catch {
    // no file yet, or unreadable: the default folder
  }
  return defaultBackupFolder(dataDir);
}

function writeFolderProbe(folder: string): void {
  const probe = path.join(folder, `.wardkeep-write-test-${process.pid}`);
  writeFileSync(probe, 'ok');
  unlinkSync(probe);
}

/** Call inside a transaction. `null` goes back to the default folder. */
export function setBackupFolder(core: WriteCore, actor: Actor, folder: string | null): string {
  const before = backupFolder(core.dataDir);
  const next = folder === null ? defaultBackupFolder(core.dataDir) : path.resolve(folder);
  if (folder !== null && !path.isAbsolute(folder)) {
    throw new AppError('invalid_input', 'Give the full path of the folder, e.g. E:\\Wardkeep backups.', { field: 'folder' });
  }
  if (path.resolve(next) === path.resolve(core.dataDir)) {
    throw new AppError('invalid_input', 'Choose a folder other than the data folder itself.', { field: 'folder' });
  }
  // Before making it: mkdirSync refuses a file in its place with EEXIST, which says nothing to a person.
  if (isFile(next)) {
    const what = folder === null ? 'move it away so that Wardkeep can make its backup folder there' : 'choose a folder';
    throw new AppError('invalid_input', `${next} is a file, not a folder: ${what}.`, { field: 'folder' });
  }
  try {
    mkdirSync(next, { recursive: true });
    writeFolderProbe(next);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('invalid_input', `Wardkeep cannot write to ${next} (${(err as { code?: string }).code ?? 'error'}). Is the disk plugged in and writable?`, {
      field: 'folder',
    });
  }
  if (next === before) return next;
  appendAudit(core, actor, { action: 'update', entity: 'setting', entityId: `pc:${core.pcId}:backupFolder`, old: before, new: next });
  const file = path.join(core.dataDir, BACKUP_SETTINGS_FILE);
  const temp = `${file}.tmp`;
  writeFileSync(temp, JSON.stringify({ folder: folder === null ? null : next }, null, 2));
  renameSync(temp, file);
  return next;
}

/**
 * The backup folder, ready to write to, for every backup into it (the Backups screen, the schedule,
 * before an upgrade, before a restore). A folder an administrator chose was made when it was chosen:
 * if it is gone, the disk or stick is, and the backup is refused. A stick unmounted leaves its empty
 * mount point, and a folder made again there would put the backups on the PC's own disk, beside the
 * database they are meant to outlive (hidden again once the stick is mounted over it). The default
 * folder, in the data folder, is made whenever it is missing. A file in the folder's place is said
 * as such: it is no unplugged stick, and for the default folder no stick is involved at all.
 */
export function ensureBackupFolder(dataDir: string): string {
  const folder = backupFolder(dataDir);
  const chosen = folder !== defaultBackupFolder(dataDir);
  // A file where the folder should be is not an unplugged stick: it is said as it is, wherever the folder is.
  if (isFile(folder)) {
    const move = chosen ? 'move it away and make the folder, or choose another backup folder' : 'move it away so that Wardkeep can make its backup folder there';
    throw new AppError('storage', `${folder} is a file, not a folder: ${move}.`);
  }
  const missing = missingBackupFolder(dataDir);
  if (missing !== null) throw new AppError('storage', `The backup folder ${missing} is not there. Is the disk or USB stick plugged in?`);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (err) {
    // Only the default folder is made here, in the data folder on the PC's own disk: no stick is involved.
    const code = (err as { code?: string }).code ?? 'error';
    throw new AppError('storage', `The backup folder ${folder} cannot be created (${code}). Check that Wardkeep may write to ${path.dirname(folder)}.`);
  }
  return folder;
}

/** Whether a file (anything but a folder) stands where the folder `p` should be. */
const isFile = (p: string) => statOrNull(p)?.isDirectory() === false;

/** What is at `p`, or null when nothing is (nor can be: a file on its path, ENOTDIR) or it cannot be looked at. */
function statOrNull(p: string): Stats | null {
  try {
    return statSync(p, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}

/** A chosen backup folder that is not there (the stick unplugged), or null. */
export function missingBackupFolder(dataDir: string): string | null {
  const folder = backupFolder(dataDir);
  return folder !== defaultBackupFolder(dataDir) && !statOrNull(folder)?.isDirectory() ? folder : null;
}

export interface BackupFile {
  fileName: string;
  file: string;
  at: Date;
  reason: BackupReason;
  sizeBytes: number;
}

/** Backups in the folder, newest first; other files are ignored. */
export function listBackupFiles(folder: string): BackupFile[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const out: BackupFile[] = [];
  for (const name of names) {
    const parsed = parseBackupFileName(name);
    if (!parsed) continue;
    const file = path.join(folder, name);
    try {
      out.push({ ...parsed, file, sizeBytes: statSync(file).size });
    } catch {
      // removed meanwhile
    }
  }
  return out.sort((a, b) => b.at.getTime() - a.at.getTime());
}

/**
 * The newest backup in the folder that counts for the schedule (backupCounts: the cached check, or
 * a look at a few pages): a newer file that does not verify (cut short on a failing stick, edited)
 * does not put the next automatic backup off. Null when none does.
 */
export function newestCountedBackup(core: Core): BackupFile | null {
  return listBackupFiles(backupFolder(core.dataDir)).find((b) => backupCounts(b.file, core)) ?? null;
}

/** Deletes backups the retention policy no longer keeps, and copies a crash left half-written. */
export function rotateBackups(folder: string, now: Date, policy: RetentionPolicy = DEFAULT_RETENTION): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const { remove } = selectBackupsToKeep(names, now, policy);
  for (const name of names) {
    // With the files SQLite keeps beside it while the copy is finished (its journal, WAL and shared memory).
    const m = /\.partial-\d+-(\d+)(?:-journal|-wal|-shm)?$/.exec(name);
    if (m && parseBackupFileName(name.slice(0, m.index)) && Date.now() - Number(m[1]) > 3_600_000) remove.push(name);
  }
  const removed: string[] = [];
  for (const name of remove) {
    try {
      unlinkSync(path.join(folder, name));
      forgetBackupCheck(path.join(folder, name));
      removed.push(name);
    } catch {
      // in use or already gone: tried again next time
    }
  }
  return removed;
}

/** Backups under way, by database file. */
const running = new Map<string, Promise<BackupResult>>();

export function backupRunning(core: Core): boolean {
  return running.has(core.file);
}

/**
 * Marks a backup made by the worker thread as running here until it settles, so this thread
 * refuses a second one (and a restore) meanwhile, as it does for its own.
 */
export async function trackBackup(core: Core, task: () => Promise<BackupResult>): Promise<BackupResult> {
  if (running.has(core.file)) throw new AppError('conflict', 'A backup is already running. Wait for it to finish.');
  const promise = task();
  running.set(core.file, promise);
  try {
    return await promise;
  } finally {
    running.delete(core.file);
  }
}

/**
 * A backup into the backup folder under a time-stamped name, then rotation. One at a time: a
 * second request while one runs is refused with a sentence rather than queued.
 */
export async function backupToFolder(core: Core, reason: BackupReason, onProgress?: (p: BackupProgress) => void): Promise<BackupResult> {
  if (running.has(core.file)) throw new AppError('conflict', 'A backup is already running. Wait for it to finish.');
  const task = (async () => {
    const folder = ensureBackupFolder(core.dataDir);
    const now = core.clock.now();
    let at = now;
    while (existsSync(path.join(folder, backupFileName(at, reason)))) at = new Date(at.getTime() + 1);
    const result = await createBackup(core, path.join(folder, backupFileName(at, reason)), onProgress);
    rememberBackupCheck(result.file, result.check, core);
    rotateBackups(folder, now);
    return result;
  })();
  running.set(core.file, task);
  try {
    return await task;
  } finally {
    running.delete(core.file);
  }
}
