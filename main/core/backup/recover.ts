import { copyFileSync, existsSync, renameSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Head } from '../anchors/chain';
import { currentHead } from '../anchors/chain';
import { chainStarts, readHeadLog } from '../anchors/head-log';
import { loadKeyRing } from '../anchors/key';
import type { KeyProtector } from '../ports';
import { inspectDatabaseFile } from './inspect';
import { DB_FILE } from '../db/open';
import { DatabaseRefusedError } from '../errors';
import type { BackupFile } from './folder';
import { backupFolder, ensureBackupFolder, listBackupFiles, missingBackupFolder, rotateBackups } from './folder';
import { createBackupSync } from './create';
import { backupFileName } from './names';
import { openFile } from './sqlite';
import { scalar } from '../sql/query';
import type { DateFormatSetting } from '../../../shared/domain/settings';
import { DATE_FORMATS, DEFAULT_SETTINGS } from '../../../shared/domain/settings';

/**
 * The `beforeMigrate` hook of openDatabase, for the app and the command line alike: an upgrade
 * always leaves a verified backup of the database as it was. If that backup cannot be made, the
 * upgrade does not happen.
 */
export function preMigrationBackup(dataDir: string): (db: Database, from: number, to: number) => void {
  return (db, from, to) => {
    if (from === 0) return; // a new, empty database: nothing to keep
    try {
      // Refused, like every backup into the folder, when a folder an administrator chose is not there (the stick unplugged).
      const folder = ensureBackupFolder(dataDir);
      const now = new Date();
      createBackupSync(db, path.join(dataDir, DB_FILE), path.join(folder, backupFileName(now, 'pre-migration')));
      rotateBackups(folder, now);
    } catch (err) {
      throw new DatabaseRefusedError(
        `Before upgrading the database from schema version ${from} to ${to}, Wardkeep backs it up, and that backup failed: ${(err as Error).message} Nothing was changed.`,
      );
    }
  };
}

/** The head a backup ends on, or null (no entries yet, or the file cannot be read: its check will say). */
function headOf(file: string): Head | null {
  try {
    const db = openFile(file, { readonly: true });
    try {
      return currentHead(db);
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

/**
 * The backups in the order they were taken, newest first, by what they hold rather than by the
 * dates in their names: a backup named by a clock that ran a year fast would otherwise stay
 * "newest" over every backup made after the clock was put right. The head log (outside the
 * database, a line per commit) tells the order: a chain that began later in it (after a restore)
 * is later, and within a chain a higher entry number is later. Backups whose chain the log does
 * not name (no log, no entries, a file from elsewhere) follow, newest name first.
 */
export function backupsNewestFirst(dataDir: string): BackupFile[] {
  const files = listBackupFiles(backupFolder(dataDir));
  if (files.length < 2) return files;
  const heads = files.map((b) => headOf(b.file));
  const starts = chainStarts(dataDir, new Set(heads.flatMap((h) => (h ? [h.chain] : []))));
  const rank = files.map((b, i) => {
    const h = heads[i];
    const start = h ? starts.get(h.chain) : undefined;
    return { b, i, start, seq: h?.seq ?? 0 };
  });
  rank.sort((x, y) => {
    if ((x.start === undefined) !== (y.start === undefined)) return x.start === undefined ? 1 : -1;
    if (x.start !== undefined && y.start !== undefined && x.start !== y.start) return y.start - x.start;
    if (x.start !== undefined && x.seq !== y.seq) return y.seq - x.seq;
    return x.i - y.i;
  });
  return rank.map((r) => r.b);
}

/**
 * The newest backup (by what it holds: backupsNewestFirst) that passes its check, as a restore in
 * the app checks it, and this version can open; otherwise why the newest did not. The check is
 * against this data folder's anchors too (the head the backup stored, signed with the PC's key, and
 * the head log): a backup edited since it was made, its trail hashed again, is never offered.
 * `folderMissing`: the backup folder an administrator chose is not there (the disk or stick).
 */
export function newestGoodBackup(dataDir: string, protectors?: readonly KeyProtector[]): BackupFile | { none: string | null } | { folderMissing: string } {
  // The backups on a stick that is not plugged in are not "none": plugging it in would offer them.
  const missing = missingBackupFolder(dataDir);
  if (missing !== null) return { folderMissing: missing };
  const ring = loadKeyRing(dataDir, protectors, { create: false });
  const anchors = { ring, log: readHeadLog(dataDir, ring.known) };
  let refused: string | null = null;
  for (const b of backupsNewestFirst(dataDir)) {
    const check = inspectDatabaseFile(b.file, { anchors, backup: true });
    if (check.ok && check.compatibility !== 'newer') return b;
    refused ??= `${b.fileName}: ${check.compatibility === 'newer' && check.ok ? 'it was written by a newer version of Wardkeep.' : (check.problems[0] ?? 'it does not pass its check.')}`;
  }
  return { none: refused };
}

/**
 * For a damaged database, with no connection open: the damaged file (and its -wal, -shm) is
 * kept aside for inspection, and a copy of the backup is put in its place. The copy is made to
 * a temporary name and renamed into place, so a crash leaves the damaged file or a whole copy.
 */
export async function replaceDamagedDatabase(dataDir: string, backupFile: string, now: Date = new Date()): Promise<{ damagedKeptAs: string }> {
  const live = path.join(dataDir, DB_FILE);
  const stamp = backupFileName(now, 'pre-restore').replace(/^wardkeep-|-pre-restore\.sqlite3$/g, '');
  const damaged = `${live}.damaged-${stamp}`;
  const temp = `${live}.restoring`;
  const source = openFile(backupFile, { readonly: true });
  try {
    await source.backup(temp);
  } finally {
    source.close();
  }
  // The damaged file is copied aside, its -wal and -shm moved aside (they must never be applied
  // to the restored file), then the copy replaces it in one rename. A crash before the rename
  // leaves the damaged file, which the next start finds damaged again.
  if (existsSync(live)) copyFileSync(live, damaged);
  for (const suffix of ['-wal', '-shm', '-journal']) {
    if (existsSync(live + suffix)) renameSync(live + suffix, damaged + suffix);
  }
  renameSync(temp, live);
  return { damagedKeptAs: damaged };
}

const storedDateFormat = scalar<string>("SELECT value FROM settings WHERE key = 'dateFormat'");

/**
 * The date format the Settings of a backup's database say (read-only; the recovery dialog names
 * the backup's date as every screen of that database did). The default when none was chosen;
 * `yyyy-MM-dd` when the file cannot say.
 */
export function backupDateFormat(file: string): DateFormatSetting {
  try {
    const db = openFile(file, { readonly: true });
    try {
      const text = storedDateFormat.get({ db });
      if (text === undefined) return DEFAULT_SETTINGS.dateFormat;
      const value: unknown = JSON.parse(text);
      return DATE_FORMATS.find((f) => f === value) ?? 'yyyy-MM-dd';
    } finally {
      db.close();
    }
  } catch {
    return 'yyyy-MM-dd';
  }
}
