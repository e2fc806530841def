import type { EquipmentImportInputValue, ImportResult } from '../../../shared/contract/equipment-import';
import type { ChainCheck } from '../audit';
import { verifyAuditChain } from '../audit';
import type { BackupProgress, BackupResult } from '../backup/create';
import { createBackup } from '../backup/create';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { backupFolder, backupToFolder, rotateBackups } from '../backup/folder';
import { backupFileName } from '../backup/names';
import type { BackupReason } from '../backup/names';
import type { RestoreOutcome } from '../backup/restore';
import { restoreBackup } from '../backup/restore';
import { commitHistoryImport } from '../completions/history-import';
import type { Actor, Core } from '../context';
import type { Commit } from '../dispatcher/transaction';
import { inTransaction } from '../dispatcher/transaction';
import { commitEquipmentImport } from '../equipment/import/service';
import type { FullHealthReport } from '../health';
import { fullHealth } from '../health';
import { commitPlanImport } from '../plans/import';

/**
 * The heavy work that runs in the worker thread, on the worker's own connection to the same WAL
 * database, so the thread that serves the window stays free. Each write job commits through the
 * dispatcher's one transaction function (inTransaction), so its commit is announced like any other.
 */

interface Writer {
  /** What the commit is announced as: the channel, or the command. */
  origin: string;
  actor: Actor;
}

export interface JobSpecs {
  'equipment.import': { args: Writer & { input: EquipmentImportInputValue; fileName?: string }; result: ImportResult };
  'plans.import': { args: Writer & { bytes: Uint8Array; fileName: string }; result: { created: number } };
  'history.import': { args: Writer & { bytes: Uint8Array; fileName: string }; result: { created: number; failedLast: string[] } };
  /** A backup into the backup folder (the Backups screen, the schedule). */
  'backup.folder': { args: { reason: BackupReason }; result: BackupResult };
  /** A backup to a file the administrator names (`wardkeep backup FILE`). */
  'backup.file': { args: { dest: string }; result: BackupResult };
  /** A backup put in place of the database, after a safety backup of it. */
  restore: { args: Writer & { file: string }; result: RestoreOutcome };
  /** `wardkeep verify`: integrity, foreign keys and the audit chain. */
  verify: { args: Record<string, never>; result: FullHealthReport };
  /** The audit chain alone: the start-up check. */
  'verify.chain': { args: Record<string, never>; result: ChainCheck };
}

export type JobName = keyof JobSpecs;
export type JobArgs<K extends JobName> = JobSpecs[K]['args'];
export type JobResult<K extends JobName> = JobSpecs[K]['result'];

export interface JobTools {
  progress(p: BackupProgress): void;
  /** Tells the main thread of a change that was not one transaction (a restore replaces the file). */
  announce(commit: Commit): void;
}

type JobFn<K extends JobName> = (core: Core, args: JobArgs<K>, tools: JobTools) => JobResult<K> | Promise<JobResult<K>>;

export const JOBS: { [K in JobName]: JobFn<K> } = {
  'equipment.import': (core, { origin, actor, input, fileName }) =>
    inTransaction(core, (writable) => commitEquipmentImport(writable, actor, input, fileName ? { fileName } : undefined), {
      origin,
      actor,
    }),
  'plans.import': (core, { origin, actor, bytes, fileName }) =>
    inTransaction(core, (writable) => commitPlanImport(writable, actor, bytes, { fileName }), { origin, actor }),
  'history.import': (core, { origin, actor, bytes, fileName }) =>
    inTransaction(core, (writable) => commitHistoryImport(writable, actor, bytes, { fileName }), { origin, actor }),
  'backup.folder': (core, { reason }, tools) => backupToFolder(core, reason, tools.progress),
  'backup.file': (core, { dest }) => createBackup(core, dest),
  restore: async (core, { origin, actor, file }, tools) => {
    // The safety backup is taken under the restore's write lock (restoreBackup), into the backup folder.
    const folder = backupFolder(core.dataDir);
    mkdirSync(folder, { recursive: true });
    let at = core.clock.now();
    while (existsSync(path.join(folder, backupFileName(at, 'pre-restore')))) at = new Date(at.getTime() + 1);
    const outcome = await restoreBackup(core, actor, file, { safetyBackupFile: path.join(folder, backupFileName(at, 'pre-restore')) });
    tools.progress({ phase: 'done', done: 1, total: 1 });
    rotateBackups(folder, core.clock.now());
    tools.announce({ origin, actor, audit: null, replaced: true });
    return outcome;
  },
  verify: (core) => fullHealth(core.db),
  'verify.chain': (core) => verifyAuditChain(core.db),
};
