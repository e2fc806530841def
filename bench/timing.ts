import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

/**
 * Timing helpers. The bench machine is shared, so every figure is measured beside its floor in
 * the same round (one, then the other, alternately) and the medians compared: a busy neighbour
 * slows both, and the ratio stays meaningful.
 */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface Pair {
  ms: number;
  floor: number;
}

/**
 * Median times in ms of `fn` and of its floor over `runs` rounds (after warm-up), each round
 * timing one then the other; a round makes `inner` calls of each.
 */
export function timePair(
  fn: (i: number) => unknown,
  floor: (i: number) => unknown,
  runs: number,
  inner = 1,
  warmup = Math.min(5, runs),
): Pair {
  for (let i = 0; i < warmup; i++) {
    fn(i);
    floor(i);
  }
  const a: number[] = [];
  const b: number[] = [];
  let call = 0;
  for (let r = 0; r < runs; r++) {
    const first = call;
    let t0 = performance.now();
    for (let k = 0; k < inner; k++) fn(call++);
    a.push((performance.now() - t0) / inner);
    call = first;
    t0 = performance.now();
    for (let k = 0; k < inner; k++) floor(call++);
    b.push((performance.now() - t0) / inner);
  }
  return { ms: median(a), floor: median(b) };
}

/** timePair for asynchronous work, each measurement returning its own duration (ms). */
export async function timePairAsync(
  fn: (i: number) => Promise<number>,
  floor: (i: number) => Promise<number>,
  runs: number,
  warmup = 1,
): Promise<Pair> {
  for (let i = 0; i < warmup; i++) {
    await fn(-1 - i);
    await floor(-1 - i);
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < runs; r++) {
    a.push(await fn(r));
    b.push(await floor(r));
  }
  return { ms: median(a), floor: median(b) };
}

export async function elapsed(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** The longest stall of this thread's event loop (ms) while `fn` runs: what a window would feel. */
export async function withStallWatch<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; longestStallMs: number }> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const t0 = performance.now();
  try {
    const value = await fn();
    return { value, ms: performance.now() - t0, longestStallMs: h.max / 1e6 };
  } finally {
    h.disable();
  }
}
