import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BackupDetails, BackupEntry, BackupStatus, backupChannels } from '../../../shared/contract/backups';
import type { BackupFile } from './folder';
import { checkBackupFile } from './checks';
import { backupFolder, backupRunning, defaultBackupFolder, listBackupFiles, setBackupFolder } from './folder';
import { parseBackupFileName } from './names';
import { backupWithProgress, lastBackupFailure } from './progress';
import { DEFAULT_RETENTION } from './retention';
import type { Core } from '../context';
import { schemaVersion } from '../db/migrate';
import { AppError } from '../errors';
import { runJob } from '../worker/run';
import type { BackupProgress } from './create';
import type { DatabaseCheck } from './inspect';
import type { HandlersFor } from '../dispatcher/handler';
import { job, steps } from '../dispatcher/handler';

/**
 * A backup as the list shows it: "Verifies" when the file passes the restore's own check of it
 * (integrity, trail, its stored head signed with this data folder's keys). The list does not read
 * the head log (a line per commit: seconds at a hospital's size, on the window's thread after every
 * write); the restore dialog and the restore check against it too.
 */
function entryOf(core: Core, b: Pick<BackupFile, 'fileName' | 'file' | 'at' | 'reason' | 'sizeBytes'>, check: DatabaseCheck = checkBackupFile(b.file, core)): BackupEntry {
  return {
    fileName: b.fileName,
    createdAt: b.at.toISOString(),
    reason: b.reason,
    sizeBytes: b.sizeBytes,
    verified: check.ok,
    problem: check.ok ? null : (check.problems[0] ?? 'It does not pass its check.'),
    schemaVersion: check.schemaVersion,
  };
}

function status(core: Core): BackupStatus {
  const folder = backupFolder(core.dataDir);
  const backups = listBackupFiles(folder).map((b) => entryOf(core, b));
  const defaultFolder = defaultBackupFolder(core.dataDir);
  return {
    folder,
    defaultFolder,
    isDefault: path.resolve(folder) === path.resolve(defaultFolder),
    running: backupRunning(core),
    // The newest backup that could be restored: a newer file that does not verify is listed, with why, not counted.
    lastBackupAt: backups.find((b) => b.verified)?.createdAt ?? null,
    lastFailure: lastBackupFailure(core),
    backups,
    retention: { ...DEFAULT_RETENTION },
  };
}

/** Only a backup file of the backup folder, by name: never a path from the renderer. */
function backupInFolder(core: Core, fileName: string): BackupFile {
  const parsed = parseBackupFileName(fileName);
  const file = path.join(backupFolder(core.dataDir), fileName);
  if (!parsed || !existsSync(file))
    throw new AppError('not_found', `There is no backup called ${fileName} in the backup folder.`, { field: 'fileName' });
  return { ...parsed, file, sizeBytes: 0 };
}

export const backupHandlers: HandlersFor<keyof typeof backupChannels> = {
  'backups.status': (_input, { core }) => status(core),
  'backups.run': async (_input, { core, emit }) => {
    const result = await backupWithProgress(core, { emit }, 'manual');
    const parsed = parseBackupFileName(path.basename(result.file));
    if (!parsed) throw new AppError('internal', 'The backup was written under an unexpected name.');
    return entryOf(core, { ...parsed, file: result.file, sizeBytes: result.sizeBytes });
  },
  'backups.chooseFolder': steps({
    // The dialog is slow (a person choosing): before the transaction, which only records the choice.
    prepare: async (_input, { core, ports }) => {
      if (!ports.folders) throw new AppError('internal', 'Choosing the backup folder needs the Wardkeep desktop app.');
      return ports.folders.choose({ title: 'Choose the backup folder', current: backupFolder(core.dataDir) });
    },
    run: (_input, { core, actor }, folder) => {
      if (folder === null) return { chosen: false, status: status(core) };
      setBackupFolder(core, actor, folder);
      return { chosen: true, status: status(core) };
    },
  }),
  'backups.useDefaultFolder': (_input, { core, actor }) => {
    setBackupFolder(core, actor, null);
    return status(core);
  },
  'backups.inspect': ({ fileName }, { core }) => {
    const b = backupInFolder(core, fileName);
    // The check the restore makes (against this data folder's anchors too): what the dialog offers is what a restore does.
    const check = checkBackupFile(b.file, core, { againstLog: true });
    const details: BackupDetails = {
      ...entryOf(core, { ...b, sizeBytes: check.sizeBytes }, check),
      counts: check.counts,
      lastChangeAt: check.lastChangeAt,
      currentSchemaVersion: schemaVersion(core.db),
      compatibility: check.compatibility,
      restorable: check.ok && check.compatibility !== 'newer' && check.compatibility !== 'unknown',
      problems: check.compatibility === 'newer' ? [...check.problems, 'It was written by a newer version of Wardkeep.'] : check.problems,
    };
    return details;
  },
  /**
   * In the worker thread, and not one transaction on this connection: the safety backup, then
   * SQLite's backup API puts the backup in place (see restoreBackup).
   */
  'backups.restore': job(async ({ fileName }, { core, actor, session, emit }) => {
    if (backupRunning(core)) throw new AppError('conflict', 'A backup is running. Wait for it to finish, then restore.');
    const b = backupInFolder(core, fileName);
    const onProgress = (p: BackupProgress) => emit('backup.progress', { ...p, reason: 'pre-restore', message: null });
    const outcome = await runJob(core, 'restore', { origin: 'backups.restore', actor, file: b.file }, { onProgress });
    // The users may differ in the restored data: everyone signs in again (the dispatcher signs
    // out every other session on its next call, this one now).
    session.user = null;
    session.lockedUserId = null;
    emit('database.restored', { fileName: outcome.restoredFrom });
    return outcome;
  }),
};
