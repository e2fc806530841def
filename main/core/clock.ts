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

/** The last instant written and its text: a transaction writes the same moment on many rows (an import on hundreds of thousands, issue 17). */
let lastTime = Number.NaN;
let lastText = '';

export function isoInstant(instant: Date): string {
  const time = instant.getTime();
  if (time === lastTime) return lastText;
  // An invalid date throws here, as it always did (NaN never equals lastTime).
  lastText = instant.toISOString();
  lastTime = time;
  return lastText;
}
