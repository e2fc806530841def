import type { BackupStatus } from '../../../shared/contract/backups';
import type { Backend } from '../../../main/core/backend';
import type { Session } from '../../../main/core/session';

/** The Backups screen's first answer: at once, a backup with no kept check marked not checked yet. */
export async function backupStatus(backend: Backend, session: Session): Promise<BackupStatus> {
  const res = await backend.invoke(session, 'backups.status', {});
  if (!res.ok) throw new Error(res.error.message);
  return res.value;
}

/**
 * The list once the worker has checked every backup in it, read again as the screen does (it
 * polls while a backup is `waiting` or `checking`): a check that never ends fails the test.
 */
export async function settledBackupStatus(backend: Backend, session: Session, timeoutMs = 20_000): Promise<BackupStatus> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const status = await backupStatus(backend, session);
    if (status.backups.every((b) => b.check === 'done')) return status;
    if (Date.now() > until) throw new Error(`Backups still not checked after ${timeoutMs} ms: ${status.backups.filter((b) => b.check !== 'done').map((b) => b.fileName).join(', ')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
