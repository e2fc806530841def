/**
 * Hybrid logical clock (Kulkarni et al., as Actual Budget uses it): wall-clock milliseconds, a
 * counter for events within one millisecond or while the wall clock lags, and the id of the
 * writer, so every stamp is unique and stamps compare as plain strings. A stamp is never lower
 * than one the writer has already given or seen, so a clock stepping backwards cannot reorder a
 * PC's own edits, and a clock days off still orders an edit after everything its writer had seen.
 */

const WALL_DIGITS = 15;
const COUNTER_DIGITS = 6;
const MAX_COUNTER = 10 ** COUNTER_DIGITS - 1;

export interface HlcParts {
  wall: number;
  counter: number;
  node: string;
}

export function formatHlc(p: HlcParts): string {
  return `${String(p.wall).padStart(WALL_DIGITS, '0')}.${String(p.counter).padStart(COUNTER_DIGITS, '0')}.${p.node}`;
}

const PATTERN = /^(\d{15})\.(\d{6})\.(.+)$/;

export function isHlc(value: unknown): value is string {
  return typeof value === 'string' && PATTERN.test(value);
}

export function parseHlc(stamp: string): HlcParts {
  const m = PATTERN.exec(stamp);
  if (!m) throw new Error(`Not a clock stamp: ${stamp}`);
  return { wall: Number(m[1]), counter: Number(m[2]), node: m[3]! };
}

/** The wall-clock time of a stamp, for people ("changed at 09:12"). */
export function hlcTime(stamp: string): Date {
  return new Date(parseHlc(stamp).wall);
}

export function maxHlc(a: string | null | undefined, b: string | null | undefined): string | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return a > b ? a : b;
}

/**
 * Whether a field's value stamped `incoming` replaces the one this PC holds stamped `held`: only a
 * later stamp does. This is what makes applying the hub's entries idempotent and free of order (an
 * entry applied twice, or after a newer one, changes nothing).
 */
export function replacesHeld(incoming: string | undefined, held: string | undefined): boolean {
  return incoming !== undefined && (held === undefined || incoming > held);
}

/** The newest stamp among a row's field clocks (a JSON object of field → stamp), or null. */
export function newestClock(clocksJson: string | null | undefined): string | null {
  if (!clocksJson) return null;
  let best: string | null = null;
  for (const v of Object.values(JSON.parse(clocksJson) as Record<string, unknown>)) {
    if (typeof v === 'string' && (best === null || v > best)) best = v;
  }
  return best;
}

/**
 * One writer's clock. `now` is the local wall clock; `offsetMs` corrects it by the hub's time
 * when known. `tick` makes a new stamp later than anything this clock gave or `atLeast`.
 */
export class HybridClock {
  private wall = 0;
  private counter = 0;

  constructor(private readonly now: () => number) {}

  tick(node: string, offsetMs = 0, atLeast: string | null = null): string {
    if (atLeast) this.observe(atLeast);
    const physical = Math.floor(this.now() + offsetMs);
    if (physical > this.wall) {
      this.wall = physical;
      this.counter = 0;
    } else if (this.counter < MAX_COUNTER) {
      this.counter++;
    } else {
      // A million stamps in one millisecond of a stuck clock: move the clock on rather than repeat.
      this.wall++;
      this.counter = 0;
    }
    return formatHlc({ wall: this.wall, counter: this.counter, node });
  }

  /** Takes in a stamp seen elsewhere, so the next tick is later than it. */
  observe(stamp: string): void {
    const p = parseHlc(stamp);
    if (p.wall > this.wall || (p.wall === this.wall && p.counter > this.counter)) {
      this.wall = p.wall;
      this.counter = p.counter;
    }
  }
}
