import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { relevantFacts } from '../../../main/core/reports/compliance';
import type { CompletionFact, Outcome, PlanRule } from '../../../shared/scheduling';
import { addDaysTo, OUTCOMES, occurrenceVerdicts } from '../../../shared/scheduling';

/**
 * The report hands occurrenceVerdicts only the completions that can matter for the period
 * (relevantFacts). On random plans, histories and periods the verdicts must be exactly those of
 * the whole history.
 */
const day = (offset: number) => addDaysTo('2024-01-01', offset);

const ruleArb: fc.Arbitrary<PlanRule> = fc
  .record({
    n: fc.integer({ min: 1, max: 3 }),
    unit: fc.constantFrom('day', 'week', 'month', 'year' as const),
    mode: fc.constantFrom('fixed', 'floating' as const),
    start: fc.integer({ min: -200, max: 400 }),
    window: fc.integer({ min: 0, max: 6 }),
    grace: fc.integer({ min: 0, max: 6 }),
  })
  .map(({ n, unit, mode, start, window, grace }) => {
    const nominal = { day: 1, week: 7, month: 30, year: 365 }[unit] * n;
    return {
      interval: { n, unit },
      mode,
      startDate: day(start),
      windowDays: Math.min(window, Math.max(0, nominal - 1)),
      graceDays: Math.min(grace, Math.max(0, nominal - 1)),
    };
  });

const factsArb = fc.array(
  fc.record({
    offset: fc.integer({ min: -250, max: 700 }),
    minute: fc.integer({ min: 0, max: 1439 }),
    outcome: fc.constantFrom<Outcome>(...OUTCOMES),
  }),
  { maxLength: 60 },
);

const withIds = (facts: { offset: number; minute: number; outcome: Outcome }[]): (CompletionFact & { id: string })[] =>
  facts.map((f, i) => {
    const on = day(f.offset);
    const hh = String(Math.floor(f.minute / 60)).padStart(2, '0');
    const mm = String(f.minute % 60).padStart(2, '0');
    return { id: `f${i}`, performedAt: `${on}T${hh}:${mm}:00.000Z`, performedOn: on, outcome: f.outcome };
  });

/** A history crowded around the start of the period, where what is dropped and what is kept meet. */
const caseArb = fc.tuple(ruleArb, fc.integer({ min: -100, max: 600 }), fc.integer({ min: 0, max: 200 })).chain(([rule, from, length]) => {
  const nominal = { day: 1, week: 7, month: 30, year: 365 }[rule.interval.unit] * rule.interval.n;
  const spread = Math.min(3 * nominal + 12, 900);
  const fact = fc.record({
    offset: fc.integer({ min: from - spread, max: from + Math.min(spread, length + 10) }),
    minute: fc.integer({ min: 0, max: 1439 }),
    outcome: fc.constantFrom<Outcome>(...OUTCOMES),
  });
  return fc.record({
    rule: fc.constant(rule),
    from: fc.constant(from),
    length: fc.constant(length),
    asOf: fc.integer({ min: from - 10, max: from + length + 30 }),
    raw: fc.oneof(fc.array(fact, { maxLength: 25 }), factsArb),
  });
});

describe('relevantFacts', () => {
  it('gives the verdicts of the whole history, for any plan, history and period', () => {
    fc.assert(
      fc.property(caseArb, ({ rule, raw, from, length, asOf }) => {
        const facts = withIds(raw);
        const period = { from: day(from), to: day(from + length) };
        const options = { asOf: day(asOf) };
        const whole = occurrenceVerdicts(rule, facts, period, options);
        const kept = relevantFacts(rule, facts, period);
        const pruned = occurrenceVerdicts(rule, kept, period, options);
        const show = (v: typeof whole) => v.map((o) => [o.dueOn, o.verdict, o.satisfiedBy?.id ?? null, o.entries.map((e) => e.id)]);
        expect(show(pruned)).toEqual(show(whole));
      }),
      { numRuns: 5000 },
    );
  });

  it('drops most of a long history before a quarter', () => {
    const rule: PlanRule = { interval: { n: 1, unit: 'week' }, mode: 'fixed', startDate: '2020-01-06', windowDays: 0, graceDays: 0 };
    const facts = withIds(Array.from({ length: 270 }, (_, w) => ({ offset: -1456 + w * 7, minute: 600, outcome: 'pass' as const })));
    expect(relevantFacts(rule, facts, { from: '2025-01-01', to: '2025-03-31' }).length).toBeLessThan(20);
    const floating: PlanRule = { ...rule, mode: 'floating' };
    expect(relevantFacts(floating, facts, { from: '2025-01-01', to: '2025-03-31' }).length).toBeLessThan(20);
  });
});
