import { powerMonitor } from 'electron';

export const DEFAULT_BACKUP_INTERVAL_MS = 4 * 60 * 60 * 1000;
/** The start-up backup waits a moment, so the window is up first. */
export const START_BACKUP_DELAY_MS = 10_000;
/** How often the schedule looks whether a backup is due. */
export const DUE_CHECK_EVERY_MS = 10 * 60 * 1000;

export interface BackupScheduleOptions {
  /** Takes one backup; rejects when it fails. */
  run: (reason: 'start' | 'auto') => Promise<unknown>;
  intervalMs?: number;
  startDelayMs?: number;
  checkEveryMs?: number;
  /**
   * When the newest backup in the backup folder was made (ms), or null for none. No backup is taken
   * while it is younger than the interval: a PC restarted every hour does not make (and keep for
   * 48 hours) a full copy at every start. At 50,000 devices one copy is 5 GB and takes minutes.
   */
  newestBackupMs?: () => number | null;
  /** A failed automatic backup is logged (and shown on the Backups screen by its event). */
  onError?: (err: unknown) => void;
  now?: () => number;
}

export interface BackupSchedule {
  stop(): void;
  /** The last time a scheduled backup succeeded (ms), or null. */
  lastSuccessMs(): number | null;
}

/**
 * Automatic backups while the app is open: shortly after start, then whenever the newest backup
 * (this schedule's, one made by hand, before an upgrade or a restore) is older than the interval,
 * looked at every few minutes and when the PC wakes. A failed backup is tried again an interval
 * later, not at every look. Never two at once: a look that finds one still running does nothing.
 */
export function startBackupSchedule(options: BackupScheduleOptions): BackupSchedule {
  const intervalMs = options.intervalMs ?? DEFAULT_BACKUP_INTERVAL_MS;
  const now = options.now ?? Date.now;
  let running = false;
  let stopped = false;
  let lastSuccess: number | null = null;
  let lastAttempt: number | null = null;

  const due = (): boolean => {
    const t = now();
    let newest: number | null = null;
    try {
      newest = options.newestBackupMs?.() ?? null;
    } catch {
      newest = null; // the folder cannot be read: the backup itself will say why
    }
    // A backup dated ahead of the clock (the clock was wrong, or put back) does not hold the schedule back.
    const last = Math.max(newest !== null && newest <= t ? newest : Number.NEGATIVE_INFINITY, lastAttempt ?? Number.NEGATIVE_INFINITY);
    return t - last >= intervalMs;
  };

  const tick = (reason: 'start' | 'auto') => {
    if (running || stopped || !due()) return;
    running = true;
    lastAttempt = now();
    void options
      .run(reason)
      .then(
        () => {
          lastSuccess = now();
        },
        (err: unknown) => options.onError?.(err),
      )
      .finally(() => {
        running = false;
      });
  };

  const startTimer = setTimeout(() => tick('start'), options.startDelayMs ?? START_BACKUP_DELAY_MS);
  const interval = setInterval(() => tick('auto'), options.checkEveryMs ?? DUE_CHECK_EVERY_MS);
  const onResume = () => tick('auto');
  powerMonitor.on('resume', onResume);

  return {
    stop() {
      stopped = true;
      clearTimeout(startTimer);
      clearInterval(interval);
      powerMonitor.removeListener('resume', onResume);
    },
    lastSuccessMs: () => lastSuccess,
  };
}
