import type { BackupName } from './names';
import { parseBackupFileName } from './names';

export interface RetentionPolicy {
  /** Every backup younger than this is kept, whatever the day buckets say. */
  recentHours: number;
  daily: number;
  weekly: number;
  monthly: number;
  /** Backups taken before an upgrade or a restore are the way back from it: kept this long. */
  safetyDays: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { recentHours: 48, daily: 7, weekly: 4, monthly: 12, safetyDays: 30 };

const DAY_MS = 86_400_000;

/** Monday-based week number counted from the epoch, in UTC like the names. */
function weekKey(at: Date): string {
  const days = Math.floor(at.getTime() / DAY_MS);
  // 1970-01-01 was a Thursday: shift so weeks start on Monday.
  return String(Math.floor((days + 3) / 7));
}
const dayKey = (at: Date) => at.toISOString().slice(0, 10);
const monthKey = (at: Date) => at.toISOString().slice(0, 7);

/**
 * Which backups to keep: every backup of the last `recentHours`; the newest of each of the last
 * `daily` days that have backups, of the last `weekly` weeks and of the last `monthly` months
 * (days with no backup do not use up a slot, so a PC left off for a month still keeps a week of
 * dailies); backups taken before a migration or a restore for `safetyDays`; and always the
 * newest. Names that are not backup names are in neither list: they are never deleted.
 */
export function selectBackupsToKeep(
  fileNames: readonly string[],
  now: Date,
  policy: RetentionPolicy = DEFAULT_RETENTION,
): { keep: string[]; remove: string[] } {
  const backups = fileNames
    .map(parseBackupFileName)
    .filter((b): b is BackupName => b !== null)
    .sort((a, b) => b.at.getTime() - a.at.getTime() || (a.fileName < b.fileName ? 1 : -1));
  const keep = new Set<string>();
  if (backups[0]) keep.add(backups[0].fileName);
  for (const b of backups) {
    const age = now.getTime() - b.at.getTime();
    if (age <= policy.recentHours * 3_600_000) keep.add(b.fileName);
    if ((b.reason === 'pre-migration' || b.reason === 'pre-restore') && age <= policy.safetyDays * DAY_MS) keep.add(b.fileName);
  }
  const bucket = (count: number, key: (at: Date) => string) => {
    const seen = new Set<string>();
    for (const b of backups) {
      const k = key(b.at);
      if (seen.has(k)) continue;
      if (seen.size >= count) break;
      seen.add(k);
      keep.add(b.fileName);
    }
  };
  bucket(policy.daily, dayKey);
  bucket(policy.weekly, weekKey);
  bucket(policy.monthly, monthKey);
  return {
    keep: backups.filter((b) => keep.has(b.fileName)).map((b) => b.fileName),
    remove: backups.filter((b) => !keep.has(b.fileName)).map((b) => b.fileName),
  };
}
