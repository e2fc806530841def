/**
 * Backup file names carry their own time stamp (UTC, no colons, so they are valid on Windows)
 * and why they were taken: `wardkeep-20261125-061908Z-auto.sqlite3`. Rotation and the list
 * read only names of this form; any other file in the folder is never touched.
 */
export const BACKUP_REASONS = ['auto', 'start', 'manual', 'cli', 'pre-migration', 'pre-restore'] as const;
export type BackupReason = (typeof BACKUP_REASONS)[number];

const NAME = /^wardkeep-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(\d{3})?Z-([a-z-]+)\.sqlite3$/;

export interface BackupName {
  fileName: string;
  /** When it was taken. */
  at: Date;
  reason: BackupReason;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function backupFileName(at: Date, reason: BackupReason): string {
  const d = `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}`;
  const t = `${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}${pad(at.getUTCMilliseconds(), 3)}`;
  return `wardkeep-${d}-${t}Z-${reason}.sqlite3`;
}

export function parseBackupFileName(fileName: string): BackupName | null {
  const m = NAME.exec(fileName);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, ms, reason] = m;
  if (!(BACKUP_REASONS as readonly string[]).includes(reason!)) return null;
  const at = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms ?? 0)));
  // Reject impossible dates that Date.UTC would roll over (e.g. 20260231).
  if (at.getUTCDate() !== Number(d) || at.getUTCMonth() !== Number(mo) - 1 || at.getUTCHours() !== Number(h)) return null;
  return { fileName, at, reason: reason as BackupReason };
}
