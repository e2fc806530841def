import { format } from 'date-fns';

/** Time comes from here, never from `new Date()` in services, so tests can move the clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** "Today" is the local calendar date of the PC (docs/scheduling.md, "Dates"). */
export function localDate(instant: Date): string {
  return format(instant, 'yyyy-MM-dd');
}

export function isoInstant(instant: Date): string {
  return instant.toISOString();
}
