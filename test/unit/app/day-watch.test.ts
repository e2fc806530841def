import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localDate } from '../../../main/core/clock';
import { testBackend } from '../../helpers/core';

/** A stand-in for Electron's powerMonitor: the test fires 'resume' itself. */
const fake = vi.hoisted(() => ({ resume: new Set<() => void>() }));
vi.mock('electron', () => ({
  powerMonitor: {
    on: (event: string, listener: () => void) => event === 'resume' && fake.resume.add(listener),
    removeListener: (event: string, listener: () => void) => event === 'resume' && fake.resume.delete(listener),
  },
}));

const { DAY_CHECK_EVERY_MS, msUntilNextMidnight, startDayWatch } = await import('../../../main/app/day-watch');

function watched() {
  const { backend, core } = testBackend();
  const events: string[] = [];
  backend.onEvent((event, payload) => {
    if (event === 'data.changed') events.push((payload as { channel: string }).channel);
  });
  const stop = startDayWatch(backend);
  return { core, events, stop };
}

beforeEach(() => {
  fake.resume.clear();
  // Local time, whatever the zone the suite runs in (Europe/London and Pacific/Auckland).
  vi.useFakeTimers({ now: new Date(2025, 10, 25, 23, 59, 0) });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the next local midnight', () => {
  it('is the start of the next calendar day, also on the days daylight saving starts and ends', () => {
    const lengths = new Set<number>();
    // Every 7 h 13 min through a year: every day of the year, DST changes included, at many hours.
    for (let t = new Date(2025, 0, 1, 0, 30).getTime(); t < new Date(2026, 0, 1).getTime(); t += (7 * 60 + 13) * 60_000) {
      const now = new Date(t);
      const ms = msUntilNextMidnight(now);
      const at = new Date(t + ms);
      expect([at.getHours(), at.getMinutes(), at.getSeconds()]).toEqual([0, 0, 0]);
      expect(localDate(new Date(t + ms - 1))).toBe(localDate(now));
      expect(localDate(at)).not.toBe(localDate(now));
      const midnight = new Date(now);
      midnight.setHours(0, 0, 0, 0);
      lengths.add((t + ms - midnight.getTime()) / 3_600_000);
    }
    // Both zones change clocks twice a year: days of 23, 24 and 25 hours were all seen.
    expect([...lengths].sort()).toEqual([23, 24, 25]);
  });
});

describe('the day watch', () => {
  it('tells every screen to re-read just after midnight, and again the next midnight', () => {
    const { events } = watched();
    vi.advanceTimersByTime(59_000);
    expect(events).toEqual([]);
    vi.advanceTimersByTime(2_000);
    expect(events).toEqual(['day.changed']);
    vi.advanceTimersByTime(23 * 3_600_000);
    expect(events).toEqual(['day.changed']);
    vi.advanceTimersByTime(3_600_000);
    expect(events).toEqual(['day.changed', 'day.changed']);
  });

  it('re-reads when the PC wakes from sleep', () => {
    const { events } = watched();
    expect(fake.resume.size).toBe(1);
    for (const listener of fake.resume) listener();
    expect(events).toEqual(['system.resume']);
  });

  it('notices a clock moved to another day within a minute', () => {
    const { events } = watched();
    vi.advanceTimersByTime(10_000);
    vi.setSystemTime(new Date(2025, 10, 28, 10, 0, 0));
    vi.advanceTimersByTime(DAY_CHECK_EVERY_MS);
    expect(events).toEqual(['day.changed']);
    // Set back to the same day later: nothing more.
    vi.advanceTimersByTime(5 * DAY_CHECK_EVERY_MS);
    expect(events).toEqual(['day.changed']);
  });

  it('a midnight timer that fires early, because the clock went back, waits for the real midnight', () => {
    const { events } = watched();
    vi.setSystemTime(new Date(2025, 10, 25, 20, 0, 0));
    vi.advanceTimersByTime(61_000);
    expect(events).toEqual([]);
    vi.advanceTimersByTime(4 * 3_600_000);
    expect(events).toEqual(['day.changed']);
  });

  it('stops by itself once the database is closed, and when told to', () => {
    const { core, events } = watched();
    core.close();
    vi.advanceTimersByTime(2 * DAY_CHECK_EVERY_MS);
    expect(events).toEqual([]);
    expect(fake.resume.size).toBe(0);
    const second = watched();
    second.stop();
    expect(fake.resume.size).toBe(0);
    vi.advanceTimersByTime(3 * 24 * 3_600_000);
    expect(second.events).toEqual([]);
  });
});
