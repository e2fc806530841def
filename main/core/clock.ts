import { toIsoDate } from '../../shared/scheduling/dates';

/** Time comes from here, never from `new Date()` in services, so tests can move the clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** "Today" is the local calendar date of the PC (docs/scheduling.md, "Dates"). */
export function localDate(instant: Date): string {
  // format(instant, 'yyyy-MM-dd') without its cost: the compliance report dates every record it reads.
  return toIsoDate(instant);
}

export function isoInstant(instant: Date): string {
  return instant.toISOString();
}
