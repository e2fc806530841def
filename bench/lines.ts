import { median } from './timing';

/** One line of the bench's table: a median beside its floor (measured in the same rounds) and its target. */
export interface Line {
  /** Which part of the table it answers. */
  group: string;
  what: string;
  unit: 'ms' | 'KB' | 'frames' | 'MB' | 'count';
  value: number;
  /** The floor, in the same unit, measured in the same run; null when the line has none. */
  floor: number | null;
  floorWhat: string;
  /** The target in words, and whether this run met it (null: reported, not judged). */
  target: string;
  ok: boolean | null;
  rows?: number;
}

export function line(l: Line): Line {
  return l;
}

/** The longest stall of the event loop of the thread that serves the window, while a piece of work ran (median of `stalls`, ms). */
export function stallLine(group: string, what: string, stalls: number[]): Line {
  const value = median(stalls);
  return { group, what, unit: 'ms', value, floor: null, floorWhat: '', target: '≤ 50 ms', ok: value <= 50 };
}

/** ≤ 2× its floor and under `max` (ms). */
export function judged(value: number, floor: number | null, max: number | null, ratio: number | null = 2): boolean {
  return (max === null || value < max) && (ratio === null || floor === null || value <= floor * ratio);
}
