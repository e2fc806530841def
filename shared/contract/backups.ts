import { z } from 'zod';
import { channel } from './channel';

/** One backup file in the backup folder. */
export interface BackupEntry {
  /** e.g. `wardkeep-20261125-061908000Z-auto.sqlite3`: the name is the handle for every action. */
  fileName: string;
  /** When it was taken (ISO-8601 UTC). */
  createdAt: string;
  /** auto, start, manual, cli, pre-migration or pre-restore. */
  reason: string;
  sizeBytes: number;
  /**
   * Whether its check (the restore's own) has been made: `done` (then `verified` and `problem` say
   * what it found), `waiting` (not checked yet: after a restart, or a file copied in by hand) or
   * `checking` (the worker is reading it now). The list never waits for a check (minutes at 5 GB):
   * the worker checks each backup in turn, on its own thread beside the other jobs, and the screen
   * reads the list again until none is left.
   */
  check: BackupCheckState;
  /** Integrity check and audit chain both pass. False until checked (`check` is not `done`). */
  verified: boolean;
  /** Why it does not verify, in a sentence; null when it does, or before it is checked. */
  problem: string | null;
  schemaVersion: number | null;
}

export type BackupCheckState = 'done' | 'waiting' | 'checking';

export interface BackupStatus {
  folder: string;
  defaultFolder: string;
  isDefault: boolean;
  /** A backup is being written now. */
  running: boolean;
  /** The newest backup checked and found to verify; a newer one not checked yet is not counted (`check`). */
  lastBackupAt: string | null;
  /** The last backup into the folder that failed since this app started, until one succeeds. */
  lastFailure: { at: string; reason: string; message: string } | null;
  /** Newest first. */
  backups: BackupEntry[];
  retention: { recentHours: number; daily: number; weekly: number; monthly: number; safetyDays: number };
}

/** What the restore screen shows before anyone confirms. */
export interface BackupDetails extends BackupEntry {
  counts: { equipment: number; completions: number; users: number } | null;
  /** The last change the backup holds. */
  lastChangeAt: string | null;
  /** The schema version of the running app. */
  currentSchemaVersion: number;
  /** `older`: it is upgraded before it is restored; `newer`: refused. */
  compatibility: 'same' | 'older' | 'newer' | 'unknown';
  restorable: boolean;
  problems: string[];
}

export interface RestoreResult {
  restoredFrom: string;
  /** The backup of the database as it was just before the restore. */
  safetyBackup: string;
  schemaVersion: number;
  migratedFrom: number | null;
}

/** A backup's name, never a path: only files in the backup folder can be inspected or restored. */
export const BackupFileName = z
  .string()
  .max(120)
  .regex(/^wardkeep-[0-9]{8}-[0-9]{6,9}Z-[a-z-]{1,20}\.sqlite3$/, { message: 'is not the name of a Wardkeep backup' });

const none = z.object({}).strict();

export const backupChannels = {
  'backups.status': channel<BackupStatus>()({ input: none, access: 'admin', writes: false }),
  /** "Back up now": progress arrives as 'backup.progress' events. */
  'backups.run': channel<BackupEntry>()({ input: none, access: 'admin', writes: false }),
  /**
   * Opens the desktop app's folder dialog, run by the main process (a USB stick, another disk): the
   * page never gives a path, so a script in it cannot point the backups at a share of its choosing.
   * `chosen` is false when the person cancelled.
   */
  'backups.chooseFolder': channel<{ chosen: boolean; status: BackupStatus }>()({ input: none, access: 'admin', writes: true }),
  /** Back to the default folder beside the database. */
  'backups.useDefaultFolder': channel<BackupStatus>()({ input: none, access: 'admin', writes: true }),
  'backups.inspect': channel<BackupDetails>()({ input: z.object({ fileName: BackupFileName }).strict(), access: 'admin', writes: false }),
  /** Backs up the current database, then puts the backup in its place; everyone is signed out. */
  'backups.restore': channel<RestoreResult>()({
    input: z.object({ fileName: BackupFileName, confirm: z.literal(true, { message: 'must be confirmed' }) }).strict(),
    access: 'admin',
    writes: true,
  }),
};
