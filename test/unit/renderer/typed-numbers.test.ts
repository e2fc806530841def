import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { numberText, readCount, readNumber } from '../../../renderer/src/lib/numbers';
import { issueProblems } from '../../../shared/validation';

/** What a form field of numbers makes of a text: its value, or the sentence the person reads. */
function typed(text: string, field = 'points.1.nominal'): number | null | string {
  const schema = z.object({ points: z.array(z.object({ nominal: numberText() })) });
  const values = { points: [{ nominal: '0' }, { nominal: text }] };
  const r = schema.safeParse(values);
  if (r.success) return r.data.points[1]!.nominal;
  const p = issueProblems(r.error.issues)[0]!;
  expect(p.field).toBe(field);
  return p.message;
}

describe('a number typed in a field', () => {
  it.each([
    ['1000', 1000],
    ['0.1', 0.1],
    ['0,5', 0.5],
    ['0,500', 0.5],
    ['1,5', 1.5],
    ['1,00', 1],
    ['1234,567', 1234.567],
    [' -2.5 ', -2.5],
    ['.5', 0.5],
    ['1e3', 1000],
    ['1.000', 1],
    ['', null],
    ['   ', null],
  ] as const)('%j reads as %s', (text, value) => {
    expect(typed(text)).toBe(value);
  });

  it("that is not a number goes on as NaN, for the field's own rule to name", () => {
    for (const text of ['abc', '1.2.3', '1,2,3', '12 kg', 'Infinity']) expect(readNumber(text)).toEqual({ value: Number.NaN });
  });

  it('with a thousands separator is refused, naming the field, never read 1000 times smaller', () => {
    expect(typed('1,000')).toBe('Point 2 nominal value is unclear: write 1000 or 1.0, without a thousands separator.');
    expect(typed('12,500')).toBe('Point 2 nominal value is unclear: write 12500 or 12.5, without a thousands separator.');
    expect(typed('-1,000')).toBe('Point 2 nominal value is unclear: write -1000 or -1.0, without a thousands separator.');
    expect(typed('1,000,000')).toBe('Point 2 nominal value is unclear: write 1000000, without a thousands separator.');
    expect(typed('1,234.5')).toBe('Point 2 nominal value is unclear: write 1234.5, without a thousands separator.');
    expect(typed('1.234,5')).toBe('Point 2 nominal value is unclear: write 1234.5, without a thousands separator.');
  });

  it("says the same of a plan's day count and of a limit (one reader for every number field)", () => {
    const plan = z.object({ windowDays: numberText() }).safeParse({ windowDays: '1,000' });
    expect(issueProblems(plan.error!.issues)).toEqual([
      { field: 'windowDays', message: 'Window (days) is unclear: write 1000 or 1.0, without a thousands separator.' },
    ]);
    expect(readNumber('2,000').problem).toMatch(/without a thousands separator/);
  });
});

describe('a count typed (stock, par levels)', () => {
  it.each([
    ['1,000', 'is unclear: write 1000 or 1, without a thousands separator'],
    ['1,500', 'is unclear: write 1500, without a thousands separator'],
    ['12,000,000', 'is unclear: write 12000000, without a thousands separator'],
    ['1e3', 'is unclear: write 1000 in plain digits'],
  ])('%s is refused in words: %s', (text, problem) => {
    expect(readCount(text)).toEqual({ value: Number.NaN, problem });
  });
  it('a count in plain digits is read', () => {
    expect(readCount(' 12 ')).toEqual({ value: 12 });
    expect(readCount('')).toEqual({ value: null });
  });
});
