import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  INTERVAL_UNITS,
  OUTCOMES,
  addDaysTo,
  addInterval,
  advances,
  daysBetween,
  formatInterval,
  nextDue,
  occurrence,
  occurrenceVerdicts,
  parseInterval,
  planStatus,
  summarise,
  type CompletionFact,
  type Interval,
  type Outcome,
  type PlanRule,
} from '../../../shared/scheduling';

const DAY_MS = 86_400_000;
const BASE = Date.UTC(2000, 0, 1);

/** Calendar dates built without the code under test. */
const isoDate = (min = 0, max = 40_000) => fc.integer({ min, max }).map((n) => new Date(BASE + n * DAY_MS).toISOString().slice(0, 10));
const interval: fc.Arbitrary<Interval> = fc.record({ n: fc.integer({ min: 1, max: 24 }), unit: fc.constantFrom(...INTERVAL_UNITS) });
const outcome = fc.constantFrom<Outcome>(...OUTCOMES);
const nonAdvancing = fc.constantFrom<Outcome>(...OUTCOMES.filter((o) => !advances(o)));

/** Completions within ~10 years of 2000 (performedOn is the UTC date of the instant here). */
const completion = (outcomes: fc.Arbitrary<Outcome> = outcome): fc.Arbitrary<CompletionFact> =>
  fc
    .record({ day: fc.integer({ min: 0, max: 4_000 }), minute: fc.integer({ min: 0, max: 1439 }), outcome: outcomes })
    .map(({ day, minute, outcome: o }) => {
      const at = new Date(BASE + day * DAY_MS + minute * 60_000).toISOString();
      return { performedAt: at, performedOn: at.slice(0, 10), outcome: o };
    });

const planRule = (mode?: PlanRule['mode']): fc.Arbitrary<PlanRule> =>
  fc
    .record({
      interval,
      mode: mode === undefined ? fc.constantFrom<PlanRule['mode']>('fixed', 'floating') : fc.constant(mode),
      startDate: isoDate(0, 3_000),
      windowFraction: fc.double({ min: 0, max: 0.999, noNaN: true }),
      graceFraction: fc.double({ min: 0, max: 0.999, noNaN: true }),
    })
    .map(({ interval: i, mode: m, startDate, windowFraction, graceFraction }) => {
      const nominal = { day: 1, week: 7, month: 30, year: 365 }[i.unit] * i.n;
      return {
        interval: i,
        mode: m,
        startDate,
        windowDays: Math.floor(windowFraction * nominal),
        graceDays: Math.floor(graceFraction * nominal),
      };
    });

/** Reference month arithmetic in UTC: clamp to the month end (rule 2). */
function referenceAddMonths(date: string, months: number): string {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  const firstOfTarget = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(firstOfTarget.getUTCFullYear(), firstOfTarget.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(firstOfTarget.getUTCFullYear(), firstOfTarget.getUTCMonth(), Math.min(d, lastDay))).toISOString().slice(0, 10);
}

function referenceOccurrence(start: string, i: Interval, k: number): string {
  const [y = 0, m = 1, d = 1] = start.split('-').map(Number);
  switch (i.unit) {
    case 'day':
    case 'week':
      return new Date(Date.UTC(y, m - 1, d + k * i.n * (i.unit === 'week' ? 7 : 1))).toISOString().slice(0, 10);
    case 'month':
      return referenceAddMonths(start, k * i.n);
    case 'year':
      return referenceAddMonths(start, 12 * k * i.n);
  }
}

/** The k with occurrence(start, i, k) === date, found without the code under test, or null. */
function referenceIndex(start: string, i: Interval, date: string): number | null {
  const [y1 = 0, m1 = 1] = start.split('-').map(Number);
  const [y2 = 0, m2 = 1] = date.split('-').map(Number);
  const units =
    i.unit === 'day' || i.unit === 'week'
      ? (Date.parse(date) - Date.parse(start)) / DAY_MS / (i.unit === 'week' ? 7 : 1)
      : ((y2 - y1) * 12 + (m2 - m1)) / (i.unit === 'year' ? 12 : 1);
  const k = units / i.n;
  return Number.isInteger(k) && k >= 0 && referenceOccurrence(start, i, k) === date ? k : null;
}

/** Property runs build many dates; give them room on a slow CI machine. */
const SLOW = 30_000;

const RANK = { scheduled: 0, due: 1, overdue: 2, suspended: -1 } as const;

describe('properties', () => {
  it(
    'occurrences match reference calendar arithmetic and strictly increase (rules 2–3)',
    () => {
      fc.assert(
        fc.property(isoDate(), interval, fc.integer({ min: 0, max: 200 }), (start, i, k) => {
          expect(occurrence(start, i, k)).toBe(referenceOccurrence(start, i, k));
          expect(occurrence(start, i, k + 1) > occurrence(start, i, k)).toBe(true);
        }),
      );
    },
    SLOW,
  );

  it(
    'interval text round-trips',
    () => {
      fc.assert(
        fc.property(interval, (i) => {
          expect(parseInterval(formatInterval(i))).toEqual(i);
          expect(parseInterval(` ${formatInterval(i).toUpperCase()} `)).toEqual(i);
        }),
      );
    },
    SLOW,
  );

  it(
    'floating next due is the last advancing completion + interval, strictly after it (rule 6)',
    () => {
      fc.assert(
        fc.property(planRule('floating'), fc.array(completion(), { maxLength: 12 }), (p, completions) => {
          const { nextDue: due, lastDoneOn } = nextDue(p, completions);
          const advancing = completions.filter((c) => advances(c.outcome));
          if (advancing.length === 0) {
            expect(due).toBe(p.startDate);
            expect(lastDoneOn).toBeNull();
            return;
          }
          const latest = advancing.reduce((a, b) => (Date.parse(b.performedAt) > Date.parse(a.performedAt) ? b : a));
          expect(lastDoneOn).toBe(latest.performedOn);
          expect(due > latest.performedOn).toBe(true);
          expect(due).toBe(referenceOccurrence(latest.performedOn, p.interval, 1));
        }),
      );
    },
    SLOW,
  );

  it(
    'fixed next due is the earliest occurrence strictly after last done + window (rule 7)',
    () => {
      fc.assert(
        fc.property(planRule('fixed'), fc.array(completion(), { maxLength: 12 }), (p, completions) => {
          const { nextDue: due, lastDoneOn } = nextDue(p, completions);
          const k = referenceIndex(p.startDate, p.interval, due);
          expect(k).not.toBeNull();
          if (lastDoneOn === null) {
            expect(due).toBe(p.startDate);
            return;
          }
          const threshold = addDaysTo(lastDoneOn, p.windowDays);
          expect(daysBetween(threshold, due)).toBe(Math.round((Date.parse(due) - Date.parse(threshold)) / DAY_MS));
          expect(due > threshold).toBe(true);
          expect(due > lastDoneOn).toBe(true);
          if (k !== null && k > 0) expect(referenceOccurrence(p.startDate, p.interval, k - 1) <= threshold).toBe(true);
        }),
      );
    },
    SLOW,
  );

  it(
    'gives the same answers whatever order completions are given in (rule 8)',
    () => {
      fc.assert(
        fc.property(
          planRule(),
          fc
            .array(completion(), { maxLength: 12 })
            .chain((cs) => fc.tuple(fc.constant(cs), fc.shuffledSubarray(cs, { minLength: cs.length, maxLength: cs.length }))),
          (p, [completions, shuffled]) => {
            expect(nextDue(p, shuffled)).toEqual(nextDue(p, completions));
            const period = { from: p.startDate, to: addDaysTo(p.startDate, 2_000) };
            expect(occurrenceVerdicts(p, shuffled, period)).toEqual(occurrenceVerdicts(p, completions, period));
          },
        ),
      );
    },
    SLOW,
  );

  it(
    'non-advancing outcomes never change the next due date (rule 4)',
    () => {
      fc.assert(
        fc.property(
          planRule(),
          fc.array(completion(), { maxLength: 10 }),
          fc.array(completion(nonAdvancing), { minLength: 1, maxLength: 10 }),
          (p, completions, extra) => {
            expect(nextDue(p, [...completions, ...extra])).toEqual(nextDue(p, completions));
          },
        ),
      );
    },
    SLOW,
  );

  it(
    'for a fixed next due, status only moves forward as T grows: scheduled → due → overdue (rule 10)',
    () => {
      fc.assert(
        fc.property(
          planRule('fixed'),
          fc.array(completion(), { maxLength: 6 }),
          isoDate(0, 5_000),
          fc.integer({ min: 0, max: 800 }),
          (p, completions, t1, gap) => {
            const due = { ...p, nextDue: nextDue(p, completions).nextDue };
            const t2 = addDaysTo(t1, gap);
            const s1 = planStatus(due, t1, true);
            const s2 = planStatus(due, t2, true);
            expect(RANK[s1.status]).toBeLessThanOrEqual(RANK[s2.status]);
            expect(s1.daysOverdue).toBeLessThanOrEqual(s2.daysOverdue);
            if (s2.status === 'overdue') expect(s2.daysOverdue).toBe(daysBetween(due.nextDue, t2));
            expect(planStatus(due, t2, false)).toEqual({ status: 'suspended', daysOverdue: 0 });
          },
        ),
      );
    },
    SLOW,
  );

  it(
    'status matches rule 10 computed with reference arithmetic',
    () => {
      fc.assert(
        fc.property(
          isoDate(),
          isoDate(),
          fc.integer({ min: 0, max: 30 }),
          fc.integer({ min: 0, max: 30 }),
          (due, today, windowDays, graceDays) => {
            const t = Math.round((Date.parse(today) - Date.parse(due)) / DAY_MS);
            const expected =
              t > graceDays
                ? { status: 'overdue', daysOverdue: t }
                : t >= -windowDays
                  ? { status: 'due', daysOverdue: 0 }
                  : { status: 'scheduled', daysOverdue: 0 };
            expect(planStatus({ nextDue: due, windowDays, graceDays }, today, true)).toEqual(expected);
          },
        ),
      );
    },
    SLOW,
  );

  it(
    'compliance is consistent with the next due date and the summary adds up (rule 13)',
    () => {
      fc.assert(
        fc.property(planRule(), fc.array(completion(), { maxLength: 12 }), (p, completions) => {
          const period = { from: '2000-01-01', to: '2012-12-31' };
          const list = occurrenceVerdicts(p, completions, period);
          const sorted = list.map((o) => o.dueOn);
          if (p.mode === 'fixed') {
            expect(sorted).toEqual([...sorted].sort());
            for (const o of list) expect(referenceIndex(p.startDate, p.interval, o.dueOn)).not.toBeNull();
            // Every occurrence before the next due is decided; the next due itself is not satisfied.
            const due = nextDue(p, completions).nextDue;
            for (const o of list) if (o.dueOn < due) expect(o.verdict).not.toBe('open');
            expect(list.find((o) => o.dueOn === due)?.satisfiedBy ?? null).toBeNull();
          } else {
            const due = nextDue(p, completions).nextDue;
            const last = list.at(-1);
            if (due >= period.from && due <= period.to) expect(last?.dueOn).toBe(due);
          }
          for (const o of list) {
            if (o.satisfiedBy !== null) expect(advances(o.satisfiedBy.outcome)).toBe(true);
            if (o.verdict === 'on_time' || o.verdict === 'late') expect(o.satisfiedBy).not.toBeNull();
          }
          const summary = summarise(list);
          expect(summary.due + summary.open).toBe(list.length);
          expect(summary.due).toBe(summary.onTime + summary.late + summary.missed + summary.exempt);
          if (summary.completionRate !== null) {
            expect(summary.completionRate).toBeGreaterThanOrEqual(0);
            expect(summary.completionRate).toBeLessThanOrEqual(1);
          }
        }),
      );
    },
    SLOW,
  );

  it(
    'every advancing completion satisfies one floating occurrence (the due dates it actually had)',
    () => {
      fc.assert(
        fc.property(planRule('floating'), fc.array(completion(), { maxLength: 12 }), (p, completions) => {
          const list = occurrenceVerdicts(p, completions, { from: '1990-01-01', to: '2999-12-31' });
          const advancing = completions.filter((c) => advances(c.outcome)).length;
          expect(list.length).toBe(advancing + 1);
          expect(list.filter((o) => o.satisfiedBy !== null).length).toBe(advancing);
          expect(list[0]?.dueOn).toBe(p.startDate);
          for (const o of list.slice(1))
            expect(
              list.some((prev) => prev.satisfiedBy !== null && addInterval(prev.satisfiedBy.performedOn, p.interval) === o.dueOn),
            ).toBe(true);
        }),
      );
    },
    SLOW,
  );
});
