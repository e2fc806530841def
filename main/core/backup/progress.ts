import path from 'node:path';
import type { Core } from '../context';
import type { Emit } from '../dispatcher/handler';
import { runJob } from '../worker/run';
import type { BackupProgress, BackupResult } from './create';
import { backupWriteError } from './create';
import { rememberBackupCheck } from './checks';
import { backupFolder, trackBackup } from './folder';

/**
 * A backup into the backup folder, made in the worker thread (the window stays responsive while
 * SQLite copies the pages and the copy is checked), that tells every window how far it is, or why
 * it failed.
 */
export function backupWithProgress(core: Core, backend: { emit: Emit }, reason: 'manual' | 'auto' | 'start' | 'pre-restore'): Promise<BackupResult> {
  const onProgress = (p: BackupProgress) => backend.emit('backup.progress', { ...p, reason, message: null });
  return trackBackup(core, () => runJob(core, 'backup.folder', { reason }, { onProgress })).then(
    (result) => {
      // Checked in the worker as it was made: this thread's list and schedule need not read it again.
      rememberBackupCheck(result.file, result.check, core);
      lastFailures.delete(core.file);
      return result;
    },
    (err: unknown) => {
      const error = backupWriteError(err, path.join(backupFolder(core.dataDir), 'backup'));
      lastFailures.set(core.file, { at: core.clock.now().toISOString(), reason, message: error.message });
      backend.emit('backup.progress', { phase: 'failed', done: 0, total: 0, reason, message: error.message });
      throw error;
    },
  );
}

/**
 * The last backup into the folder that failed, until one succeeds: the Backups screen opened an
 * hour after the 4-hourly backup failed (a USB stick taken out) still says so, not only a screen
 * that was open at that moment.
 */
const lastFailures = new Map<string, { at: string; reason: string; message: string }>();

export function lastBackupFailure(core: Core): { at: string; reason: string; message: string } | null {
  return lastFailures.get(core.file) ?? null;
}
