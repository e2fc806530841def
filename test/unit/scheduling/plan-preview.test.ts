import { describe, expect, it } from 'vitest';
import { fromToday } from '../../../shared/scheduling/plan-preview';

describe('the plan dialog says how far the next due date is from today', () => {
  it('in days, then weeks, months and years, rounded; before today as so long ago', () => {
    const today = '2026-12-04';
    const cases: [string, string][] = [
      ['2026-12-04', 'today'],
      ['2026-12-05', 'tomorrow'],
      ['2026-12-03', 'yesterday'],
      ['2026-12-11', 'in 7 days'],
      ['2026-12-18', 'in 2 weeks'],
      ['2027-01-14', 'in 6 weeks'],
      ['2027-06-04', 'in 6 months'],
      ['2027-12-04', 'in 1 year'],
      ['2028-06-04', 'in 18 months'],
      ['2028-12-04', 'in 2 years'],
      ['2026-11-22', '12 days ago'],
      ['2026-06-04', '6 months ago'],
    ];
    for (const [date, words] of cases) expect(fromToday(today, date), date).toBe(words);
  });
});
