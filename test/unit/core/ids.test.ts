import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../main/core/ids';

describe('uuidv7', () => {
  it('is a version 7, variant 10 UUID', () => {
    expect(uuidv7()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('carries the millisecond timestamp in its first 48 bits, so ids sort by time', () => {
    const t = Date.UTC(2026, 10, 25, 7, 0, 0);
    const id = uuidv7(t);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(t);
    expect(uuidv7(t) < uuidv7(t + 1)).toBe(true);
  });

  it('does not repeat in 20,000 draws', () => {
    const ids = new Set(Array.from({ length: 20_000 }, () => uuidv7(0)));
    expect(ids.size).toBe(20_000);
  });

  it('sorts ids made in one millisecond in the order they were made, even with ids for other moments between them', () => {
    const t = Date.UTC(2026, 11, 1, 9, 0, 0);
    const made: string[] = [];
    for (let i = 0; i < 500; i++) {
      made.push(uuidv7(t));
      if (i % 7 === 0) uuidv7(t - 86_400_000 * (i + 1));
    }
    expect([...made].sort()).toEqual(made);
    for (const id of made) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('keeps a moment in use in order after ids for hundreds of other moments (a fixed clock between real ones)', () => {
    // Each trial has a 1 in 2 chance of passing by luck if the counter restarts: 20 trials leave 1 in a million.
    for (let trial = 0; trial < 20; trial++) {
      const t = Date.UTC(2026, 10, 26, 9, 0, trial);
      const first = uuidv7(t);
      for (let k = 1; k <= 1_000; k++) uuidv7(t + 1_000_000 + trial * 10_000 + k);
      expect(uuidv7(t) > first).toBe(true);
    }
  });
});
