import { describe, expect, it } from 'vitest';
import { readReading } from '../../../renderer/src/features/log/log-form';
import { fromLocalInput, toLocalInput } from '../../../renderer/src/lib/inputs';

describe('typed readings', () => {
  it.each([
    ['10.2', 10.2],
    ['10,2', 10.2],
    [' 100 ', 100],
    ['-0.5', -0.5],
    ['.5', 0.5],
    ['1e3', 1000],
    ['', null],
    ['abc', null],
    ['10.2.3', null],
    ['Infinity', null],
    ['1e400', null],
  ] as const)('%s reads as %s', (text, value) => {
    expect(readReading(text)).toEqual({ value });
  });

  it.each([
    ['1,000', 'is unclear: write 1000 or 1.0, without a thousands separator'],
    ['1,000.5', 'is unclear: write 1000.5, without a thousands separator'],
    ['12,345,678', 'is unclear: write 12345678, without a thousands separator'],
  ] as const)('%s is refused as unclear, never read as a smaller number', (text, problem) => {
    expect(readReading(text)).toEqual({ value: null, problem });
  });
});

describe('the performed-at field', () => {
  it('round-trips an instant through local time, to the minute', () => {
    const at = new Date('2026-03-29T00:30:00Z'); // the night the clocks change in London
    expect(fromLocalInput(toLocalInput(at))).toBe('2026-03-29T00:30:00.000Z');
    expect(fromLocalInput('yesterday')).toBeNull();
  });
});
