import { addDays, startOfDay } from 'date-fns';
import { powerMonitor } from 'electron';
import type { Backend } from '../core/backend';
import { localDate } from '../core/clock';

/** How often the local date is compared with the last one seen, to catch a clock moved by hand. */
export const DAY_CHECK_EVERY_MS = 60_000;
/** The midnight timer fires this long after midnight, so the new date has surely begun. */
const AFTER_MIDNIGHT_MS = 1_000;

/** Milliseconds from `now` to the next local midnight (23, 24 or 25 hours a day with daylight saving). */
export function msUntilNextMidnight(now: Date): number {
  return startOfDay(addDays(now, 1)).getTime() - now.getTime();
}

/**
 * Statuses are computed for "today" at read time, so a ward PC that never closes must re-read
 * when the date changes: at the next local midnight (re-armed each day), when the PC wakes from
 * sleep, and when a periodic check sees the local date changed (a clock moved by hand or by
 * time sync). Each emits 'data.changed', on which every screen refetches. Stops by itself once the
 * database is closed; the returned function stops it sooner.
 */
export function startDayWatch(backend: Backend, options: { checkEveryMs?: number } = {}): () => void {
  const clock = backend.core.clock;
  let day = localDate(clock.now());
  let midnight: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  const refresh = (channel: 'day.changed' | 'system.resume') => {
    day = localDate(clock.now());
    backend.emit('data.changed', { channel });
    arm();
  };
  const check = () => {
    if (stopped) return;
    if (!backend.core.db.open) return stop();
    if (localDate(clock.now()) !== day) refresh('day.changed');
  };
  function arm() {
    if (midnight) clearTimeout(midnight);
    midnight = setTimeout(() => {
      midnight = null;
      check();
      // A timer that fired early (the clock was set back) waits for the real midnight.
      if (!stopped && midnight === null) arm();
    }, msUntilNextMidnight(clock.now()) + AFTER_MIDNIGHT_MS);
    midnight.unref?.();
  }
  const onResume = () => {
    if (stopped) return;
    if (!backend.core.db.open) return stop();
    refresh('system.resume');
  };
  const interval = setInterval(check, options.checkEveryMs ?? DAY_CHECK_EVERY_MS);
  interval.unref?.();
  powerMonitor.on('resume', onResume);
  arm();

  function stop() {
    if (stopped) return;
    stopped = true;
    clearInterval(interval);
    if (midnight) clearTimeout(midnight);
    powerMonitor.removeListener('resume', onResume);
  }
  return stop;
}
