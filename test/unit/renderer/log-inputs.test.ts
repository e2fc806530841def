import { describe, expect, it } from 'vitest';
import { fromLocalInput, parseDecimal, toLocalInput } from '../../../renderer/src/lib/inputs';

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
    ['1,000.5', null],
    ['Infinity', null],
  ] as const)('%s reads as %s', (text, value) => {
    expect(parseDecimal(text)).toBe(value);
  });
});

describe('the performed-at field', () => {
  it('round-trips an instant through local time, to the minute', () => {
    const at = new Date('2026-03-29T00:30:00Z'); // the night the clocks change in London
    expect(fromLocalInput(toLocalInput(at))).toBe('2026-03-29T00:30:00.000Z');
    expect(fromLocalInput('yesterday')).toBeNull();
  });
});
