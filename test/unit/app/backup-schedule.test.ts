import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const power = vi.hoisted(() => {
  const listeners = new Map<string, () => void>();
  return {
    listeners,
    powerMonitor: {
      on: (event: string, l: () => void) => listeners.set(event, l),
      removeListener: (event: string) => listeners.delete(event),
    },
  };
});
vi.mock('electron', () => ({ powerMonitor: power.powerMonitor }));

const { startBackupSchedule, DEFAULT_BACKUP_INTERVAL_MS, DUE_CHECK_EVERY_MS, START_BACKUP_DELAY_MS } = await import('../../../main/app/backup-schedule');

const HOUR = 3_600_000;

beforeEach(() => {
  vi.useFakeTimers();
  power.listeners.clear();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the automatic backup schedule', () => {
  it('backs up shortly after start, then whenever the last is four hours old, looked at every ten minutes', async () => {
    const run = vi.fn((_reason: 'start' | 'auto') => Promise.resolve());
    const schedule = startBackupSchedule({ run });
    expect(DEFAULT_BACKUP_INTERVAL_MS).toBe(4 * HOUR);
    expect(DUE_CHECK_EVERY_MS).toBe(HOUR / 6);
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(START_BACKUP_DELAY_MS);
    expect(run.mock.calls).toEqual([['start']]);
    // Four hours after the first: at the first look after that, within ten minutes.
    await vi.advanceTimersByTimeAsync(4 * HOUR - 1);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(DUE_CHECK_EVERY_MS);
    expect(run.mock.calls).toEqual([['start'], ['auto']]);
    await vi.advanceTimersByTimeAsync(8 * HOUR + DUE_CHECK_EVERY_MS);
    expect(run).toHaveBeenCalledTimes(4);
    schedule.stop();
    await vi.advanceTimersByTimeAsync(24 * HOUR);
    expect(run).toHaveBeenCalledTimes(4);
    expect(power.listeners.has('resume')).toBe(false);
  });

  it('takes no backup at start when the newest in the folder is younger than four hours, and the next four hours after that one', async () => {
    const newest = Date.now() - HOUR; // made an hour before this start (the last session's, or by hand)
    const run = vi.fn((_reason: 'start' | 'auto') => Promise.resolve());
    const schedule = startBackupSchedule({ run, newestBackupMs: () => newest });
    await vi.advanceTimersByTimeAsync(START_BACKUP_DELAY_MS);
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(3 * HOUR - START_BACKUP_DELAY_MS - 1);
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(DUE_CHECK_EVERY_MS);
    expect(run.mock.calls).toEqual([['auto']]);
    schedule.stop();
  });

  it('restarted every hour for a day, makes a backup every four hours, not one at every start', async () => {
    const made: number[] = [];
    const run = vi.fn((_reason: 'start' | 'auto') => {
      made.push(Date.now());
      return Promise.resolve();
    });
    for (let hour = 0; hour < 24; hour++) {
      const schedule = startBackupSchedule({ run, newestBackupMs: () => made.at(-1) ?? null });
      await vi.advanceTimersByTimeAsync(HOUR);
      schedule.stop();
    }
    expect(made).toHaveLength(6);
    for (let i = 1; i < made.length; i++) expect(made[i]! - made[i - 1]!).toBeLessThanOrEqual(4 * HOUR + DUE_CHECK_EVERY_MS);
  });

  it('is not held back by a backup dated ahead of the clock', async () => {
    const ahead = Date.now() + 30 * 24 * HOUR; // made while the clock was a month fast
    const run = vi.fn((_reason: 'start' | 'auto') => Promise.resolve());
    const schedule = startBackupSchedule({ run, newestBackupMs: () => ahead });
    await vi.advanceTimersByTimeAsync(START_BACKUP_DELAY_MS);
    expect(run.mock.calls).toEqual([['start']]);
    schedule.stop();
  });

  it('never runs two at once: a tick during a slow backup is skipped', async () => {
    let finish: () => void = () => undefined;
    const run = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const schedule = startBackupSchedule({ run, intervalMs: HOUR, startDelayMs: 0 });
    await vi.advanceTimersByTimeAsync(0);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(3 * HOUR); // still running: three ticks skipped
    expect(run).toHaveBeenCalledTimes(1);
    finish();
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(run).toHaveBeenCalledTimes(2);
    schedule.stop();
  });

  it('a failed backup is reported and the schedule carries on', async () => {
    const errors: unknown[] = [];
    const run = vi.fn().mockRejectedValueOnce(new Error('USB stick unplugged')).mockResolvedValue(undefined);
    const schedule = startBackupSchedule({ run, intervalMs: HOUR, startDelayMs: 0, onError: (e) => errors.push(e) });
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toEqual([new Error('USB stick unplugged')]);
    expect(schedule.lastSuccessMs()).toBeNull();
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(run).toHaveBeenCalledTimes(2);
    expect(schedule.lastSuccessMs()).not.toBeNull();
    schedule.stop();
  });

  it('a PC waking from sleep takes the backup it slept through, but not one it does not need', async () => {
    let now = 0;
    const run = vi.fn(() => Promise.resolve());
    const schedule = startBackupSchedule({ run, intervalMs: 4 * HOUR, startDelayMs: 0, now: () => now });
    await vi.advanceTimersByTimeAsync(0);
    expect(run).toHaveBeenCalledTimes(1);
    now = HOUR;
    power.listeners.get('resume')!();
    await vi.advanceTimersByTimeAsync(0);
    expect(run).toHaveBeenCalledTimes(1); // backed up an hour ago
    now = 9 * HOUR; // slept for eight hours: the timers did not fire meanwhile
    power.listeners.get('resume')!();
    await vi.advanceTimersByTimeAsync(0);
    expect(run.mock.calls.at(-1)).toEqual(['auto']);
    expect(run).toHaveBeenCalledTimes(2);
    schedule.stop();
  });
});
