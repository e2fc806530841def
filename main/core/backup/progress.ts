import path from 'node:path';
import type { Core } from '../context';
import type { Emit } from '../dispatcher/handler';
import type { BackupResult } from './create';
import { backupWriteError } from './create';
import { backupFolder, backupToFolder } from './folder';

/** A backup into the backup folder that tells every window how far it is, or why it failed. */
export function backupWithProgress(core: Core, backend: { emit: Emit }, reason: 'manual' | 'auto' | 'start' | 'pre-restore'): Promise<BackupResult> {
  return backupToFolder(core, reason, (p) => backend.emit('backup.progress', { ...p, reason, message: null })).catch((err: unknown) => {
    const error = backupWriteError(err, path.join(backupFolder(core.dataDir), 'backup'));
    backend.emit('backup.progress', { phase: 'failed', done: 0, total: 0, reason, message: error.message });
    throw error;
  });
}
