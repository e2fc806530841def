import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BackupDetails, BackupEntry, BackupStatus, backupChannels } from '../../../shared/contract/backups';
import type { BackupFile } from './folder';
import type { BackupCheckParts } from './checks';
import { keptBackupCheck } from './checks';
import type { ListedCheck } from './list-checks';
import { listCheckRunning, listedCheck } from './list-checks';
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
import { job } from '../dispatcher/handler';

/**
 * The check a restore of `file` would make, as kept (backup/checks.ts), else made in the worker
 * thread ('backup.check', on the checks' own worker: list-checks.ts): the head log is read again
 * after every commit (seconds at a hospital's size), a backup not kept is read whole (minutes at
 * 5 GB), and on this thread the window would freeze meanwhile. When the list's check of the same
 * file is running, it is waited for rather than the file read twice.
 */
async function checkBackup(core: Core, file: string, options: { againstLog?: boolean } = {}): Promise<DatabaseCheck> {
  const running = listCheckRunning(core, file);
  if (running) await running;
  const kept = keptBackupCheck(file, core, options);
  if ('check' in kept) return kept.check;
  const found: BackupCheckParts = await runJob(core, 'backup.check', kept.ask, { lane: 'checks' });
  return kept.keep(found);
}

/**
 * A backup as the list shows it: "Verifies" when the file passes the restore's own check of it
 * (integrity, trail, its stored head signed with this data folder's keys: in the worker thread
 * unless kept), "Not checked yet" or "Checking…" until then (list-checks.ts). The list does not
 * read the head log (a line per commit: seconds at a hospital's size, after every write); the
 * restore dialog and the restore check against it too.
 */
function entryOf(b: Pick<BackupFile, 'fileName' | 'at' | 'reason' | 'sizeBytes'>, listed: ListedCheck): BackupEntry {
  const base = { fileName: b.fileName, createdAt: b.at.toISOString(), reason: b.reason, sizeBytes: b.sizeBytes };
  if (listed.state !== 'done') return { ...base, check: listed.state, verified: false, problem: null, schemaVersion: null };
  const { check } = listed;
  return {
    ...base,
    check: 'done',
    verified: check.ok,
    problem: check.ok ? null : (check.problems[0] ?? 'It does not pass its check.'),
    schemaVersion: check.schemaVersion,
  };
}

/**
 * The Backups screen, at once: a backup with no kept check (after a restart, or one put in the
 * folder by hand) is listed as not checked yet, and checked in the worker meanwhile, one at a time
 * (list-checks.ts); the screen reads the list again until every backup is checked.
 */
function status(core: Core): BackupStatus {
  const folder = backupFolder(core.dataDir);
  const backups: BackupEntry[] = [];
  for (const b of listBackupFiles(folder)) backups.push(entryOf(b, listedCheck(core, b.file)));
  const defaultFolder = defaultBackupFolder(core.dataDir);
  return {
    folder,
    defaultFolder,
    isDefault: path.resolve(folder) === path.resolve(defaultFolder),
    running: backupRunning(core),
    // The newest backup that could be restored: a newer file that does not verify, or is not checked yet, is listed, not counted.
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
    return entryOf({ ...parsed, sizeBytes: result.sizeBytes }, { state: 'done', check: await checkBackup(core, result.file) });
  },
  /**
   * The dialog is slow (a person choosing): before the transaction, which only records the choice.
   * The new folder's list after it, its backups not checked yet checked in the worker meanwhile (status).
   */
  'backups.chooseFolder': job(async (_input, { core, ports, write }) => {
    if (!ports.folders) throw new AppError('internal', 'Choosing the backup folder needs the Wardkeep desktop app.');
    const folder = await ports.folders.choose({ title: 'Choose the backup folder', current: backupFolder(core.dataDir) });
    if (folder === null) return { chosen: false, status: status(core) };
    write(({ core: writable, actor }) => setBackupFolder(writable, actor, folder));
    return { chosen: true, status: status(core) };
  }),
  'backups.useDefaultFolder': job(async (_input, { core, write }) => {
    write(({ core: writable, actor }) => setBackupFolder(writable, actor, null));
    return status(core);
  }),
  'backups.inspect': async ({ fileName }, { core }) => {
    const b = backupInFolder(core, fileName);
    // The check the restore makes (against this data folder's anchors too): what the dialog offers is what a restore does.
    // In the worker: the head log is read again after every commit (seconds at a hospital's size), the file whole when not kept.
    const check = await checkBackup(core, b.file, { againstLog: true });
    const details: BackupDetails = {
      ...entryOf({ ...b, sizeBytes: check.sizeBytes }, { state: 'done', check }),
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
