import { copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { DB_FILE } from '../db/open';
import { DatabaseRefusedError } from '../errors';
import type { BackupFile } from './folder';
import { backupFolder, checkBackupFile, listBackupFiles, rotateBackups } from './folder';
import { createBackupSync } from './create';
import { backupFileName } from './names';
import { openFile } from './sqlite';

/**
 * The `beforeMigrate` hook of openDatabase, for the app and the command line alike: an upgrade
 * always leaves a verified backup of the database as it was. If that backup cannot be made, the
 * upgrade does not happen.
 */
export function preMigrationBackup(dataDir: string): (db: Database, from: number, to: number) => void {
  return (db, from, to) => {
    if (from === 0) return; // a new, empty database: nothing to keep
    const folder = backupFolder(dataDir);
    try {
      mkdirSync(folder, { recursive: true });
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

/** The newest backup that passes its check and this version can open, or null. */
export function newestGoodBackup(dataDir: string): BackupFile | null {
  for (const b of listBackupFiles(backupFolder(dataDir))) {
    const check = checkBackupFile(b.file);
    if (check.ok && check.compatibility !== 'newer') return b;
  }
  return null;
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
