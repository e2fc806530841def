import { powerMonitor } from 'electron';

export const DEFAULT_BACKUP_INTERVAL_MS = 4 * 60 * 60 * 1000;
/** The start-up backup waits a moment, so the window is up first. */
export const START_BACKUP_DELAY_MS = 10_000;

export interface BackupScheduleOptions {
  /** Takes one backup; rejects when it fails. */
  run: (reason: 'start' | 'auto') => Promise<unknown>;
  intervalMs?: number;
  startDelayMs?: number;
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
 * Automatic backups while the app is open: one shortly after start, then every few hours. A PC
 * that slept through a due backup takes it when it wakes. Never two at once: a tick that finds
 * one still running is skipped.
 */
export function startBackupSchedule(options: BackupScheduleOptions): BackupSchedule {
  const intervalMs = options.intervalMs ?? DEFAULT_BACKUP_INTERVAL_MS;
  const now = options.now ?? Date.now;
  let running = false;
  let stopped = false;
  let lastSuccess: number | null = null;

  const tick = (reason: 'start' | 'auto') => {
    if (running || stopped) return;
    running = true;
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
  const interval = setInterval(() => tick('auto'), intervalMs);
  const onResume = () => {
    if (lastSuccess === null || now() - lastSuccess >= intervalMs) tick('auto');
  };
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
