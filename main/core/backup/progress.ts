import path from 'node:path';
import type { Core } from '../context';
import type { Emit } from '../dispatcher/handler';
import { runJob } from '../worker/run';
import type { BackupProgress, BackupResult } from './create';
import { backupWriteError } from './create';
import { backupFolder, trackBackup } from './folder';

/**
 * A backup into the backup folder, made in the worker thread (the window stays responsive while
 * SQLite copies the pages and the copy is checked), that tells every window how far it is, or why
 * it failed.
 */
export function backupWithProgress(core: Core, backend: { emit: Emit }, reason: 'manual' | 'auto' | 'start' | 'pre-restore'): Promise<BackupResult> {
  const onProgress = (p: BackupProgress) => backend.emit('backup.progress', { ...p, reason, message: null });
  return trackBackup(core, () => runJob(core, 'backup.folder', { reason }, { onProgress })).catch((err: unknown) => {
    const error = backupWriteError(err, path.join(backupFolder(core.dataDir), 'backup'));
    backend.emit('backup.progress', { phase: 'failed', done: 0, total: 0, reason, message: error.message });
    throw error;
  });
}
