import { describe, expect, it } from 'vitest';
import { planStartDateQuestion } from '../../../shared/plausible-dates';
import { parseInterval } from '../../../shared/scheduling/interval';

const TODAY = '2026-11-25';
const ask = (start: string, every: string) => planStartDateQuestion(start, parseInterval(every)!, TODAY, 'yyyy-MM-dd');

/** A plan's start date most likely mistyped: more than one interval and a year ahead, or before 1970. */
describe('planStartDateQuestion', () => {
  it.each([
    ['2062-11-01', '1y', 'a year typed 2062 for 2026'],
    ['2028-11-26', '1y', 'a day past one interval and a year'],
    ['2027-12-26', '1m', 'a monthly plan starting more than 13 months ahead'],
    ['1926-11-01', '1y', 'a year typed 1926 for 2026'],
    ['1969-12-31', '7d', 'the last day before 1970'],
  ])('asks about %s every %s (%s)', (start, every) => {
    const q = ask(start, every);
    expect(q).toMatchObject({ field: 'startDate' });
    expect(q!.message).toMatch(/^Start date is /);
    expect(q!.message).toContain(start);
    expect(q!.message).toMatch(/tick “The dates are right: save them as they are”/);
  });

  it.each([
    ['2026-11-25', '1y', 'today'],
    ['2028-11-25', '1y', 'exactly one interval and a year ahead'],
    ['2027-12-25', '1m', 'a monthly plan starting 13 months ahead'],
    ['2026-01-01', '1y', 'a plan under way since January'],
    ['1970-01-01', '1d', 'the first day of 1970'],
    ['2035-01-01', '10y', 'a ten-yearly plan starting in nine years'],
  ])('does not ask about %s every %s (%s)', (start, every) => {
    expect(ask(start, every)).toBeNull();
  });

  it('says how far ahead, in the Settings date format', () => {
    expect(planStartDateQuestion('2062-11-01', { n: 1, unit: 'year' }, TODAY, 'dd/MM/yyyy')?.message).toMatch(/^Start date is 13,125 days from today, more than one interval and a year ahead: nothing would be due until then \(01\/11\/2062\)\./);
  });
});
