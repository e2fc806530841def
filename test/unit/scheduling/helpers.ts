import type { IsoDate } from '../../../shared/domain/common';
import type { CompletionFact, Outcome, PlanRule } from '../../../shared/scheduling';
import { parseInterval, type Interval } from '../../../shared/scheduling';

/** An interval from its compact text; throws on a typo so tables stay honest. */
export function iv(text: string): Interval {
  const interval = parseInterval(text);
  if (interval === null) throw new Error(`bad interval in test: ${text}`);
  return interval;
}

/**
 * A completion performed on `on` (its local date, as the caller computes it: rule 1). The instant
 * is `on` at `time` UTC; tests that care about zones set both explicitly.
 */
export function done(on: IsoDate, outcome: Outcome = 'pass', time = '10:00'): CompletionFact {
  return { performedAt: `${on}T${time}:00.000Z`, performedOn: on, outcome };
}

export function plan(
  interval: string,
  startDate: IsoDate,
  options: Partial<Pick<PlanRule, 'mode' | 'windowDays' | 'graceDays'>> = {},
): PlanRule {
  return {
    interval: iv(interval),
    startDate,
    mode: options.mode ?? 'floating',
    windowDays: options.windowDays ?? 0,
    graceDays: options.graceDays ?? 0,
  };
}

/** Runs `fn` with the process in time zone `zone` (Node honours runtime TZ changes), then restores it. */
export function inZone<T>(zone: string, fn: () => T): T {
  const before = process.env.TZ;
  process.env.TZ = zone;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}
