import { describe, expect, it } from 'vitest';
import { OUTCOMES, exempts, occurrenceVerdicts, summarise, type CompletionFact, type Verdict } from '../../../shared/scheduling';
import { done, plan } from './helpers';

/** The rows as `dueOn verdict [satisfied on]`, easy to read in a table. */
function rows(list: ReturnType<typeof occurrenceVerdicts>): string[] {
  return list.map((o) => [o.dueOn, o.verdict, o.satisfiedBy?.performedOn].filter(Boolean).join(' '));
}

describe('rule 13: compliance of a fixed plan', () => {
  const monthly = plan('1m', '2026-01-01', { mode: 'fixed', windowDays: 7 });
  const spring = { from: '2026-01-01', to: '2026-04-30' };

  it('judges each occurrence by the completion that counted for it (rule 7) and misses the ones passed over', () => {
    const completions = [done('2026-01-02'), done('2026-02-25'), done('2026-03-26')];
    const list = occurrenceVerdicts(monthly, completions, spring);
    expect(rows(list)).toEqual([
      '2026-01-01 late 2026-01-02',
      '2026-02-01 missed',
      '2026-03-01 on_time 2026-02-25',
      '2026-04-01 on_time 2026-03-26',
    ]);
    expect(list[2]?.satisfiedBy).toBe(completions[1]);
    expect(summarise(list)).toEqual({ due: 4, onTime: 2, late: 1, missed: 1, exempt: 0, open: 0, completionRate: 0.5 });
  });

  it.each([
    [[done('2026-02-25')], 0, ['2026-01-01 missed', '2026-02-01 missed', '2026-03-01 on_time 2026-02-25', '2026-04-01 missed']],
    [[done('2026-03-05')], 0, ['2026-01-01 missed', '2026-02-01 missed', '2026-03-01 late 2026-03-05', '2026-04-01 missed']],
    [[done('2026-03-05')], 7, ['2026-01-01 missed', '2026-02-01 missed', '2026-03-01 on_time 2026-03-05', '2026-04-01 missed']],
    [[done('2026-03-26')], 0, ['2026-01-01 missed', '2026-02-01 missed', '2026-03-01 missed', '2026-04-01 on_time 2026-03-26']],
    [[done('2026-03-08')], 7, ['2026-01-01 missed', '2026-02-01 missed', '2026-03-01 on_time 2026-03-08', '2026-04-01 missed']],
    [[done('2026-03-09')], 7, ['2026-01-01 missed', '2026-02-01 missed', '2026-03-01 late 2026-03-09', '2026-04-01 missed']],
    [[done('2026-03-24')], 0, ['2026-01-01 missed', '2026-02-01 missed', '2026-03-01 late 2026-03-24', '2026-04-01 missed']],
  ])('the spec example, done %j with grace %i', (completions: CompletionFact[], graceDays, expected) => {
    expect(rows(occurrenceVerdicts({ ...monthly, graceDays }, completions, spring))).toEqual(expected);
  });

  it('a completion before the period can satisfy an occurrence in it', () => {
    expect(rows(occurrenceVerdicts(monthly, [done('2026-02-25')], { from: '2026-03-01', to: '2026-03-31' }))).toEqual([
      '2026-03-01 on_time 2026-02-25',
    ]);
  });

  it('an occurrence not yet overdue at the end of the period is open; overdue, it is missed', () => {
    const completions = [done('2026-01-01'), done('2026-02-01'), done('2026-03-01')];
    const through = (to: string, graceDays = 0, asOf?: string) =>
      rows(occurrenceVerdicts({ ...monthly, graceDays }, completions, { from: '2026-03-01', to }, asOf === undefined ? {} : { asOf })).at(
        -1,
      );
    expect(through('2026-04-01')).toBe('2026-04-01 open');
    expect(through('2026-04-02')).toBe('2026-04-01 missed');
    expect(through('2026-04-03', 2)).toBe('2026-04-01 open');
    expect(through('2026-04-04', 2)).toBe('2026-04-01 missed');
    expect(through('2026-04-30', 0, '2026-03-15')).toBe('2026-04-01 open'); // judged today, mid-period
    expect(through('2026-04-30', 0, '2026-04-02')).toBe('2026-04-01 missed');
    expect(through('2026-04-30', 0, '2026-06-01')).toBe('2026-04-01 missed'); // asOf after the period: the period's end
  });

  it('ignores completions after the end of the period, so a past report stays put', () => {
    const completions = [done('2026-03-01'), done('2026-04-05')];
    expect(rows(occurrenceVerdicts(monthly, completions, { from: '2026-03-01', to: '2026-04-03' }))).toEqual([
      '2026-03-01 on_time 2026-03-01',
      '2026-04-01 missed',
    ]);
    expect(rows(occurrenceVerdicts(monthly, completions, { from: '2026-03-01', to: '2026-04-30' }))).toEqual([
      '2026-03-01 on_time 2026-03-01',
      '2026-04-01 late 2026-04-05',
    ]);
    expect(rows(occurrenceVerdicts(monthly, completions, { from: '2026-03-01', to: '2026-04-30' }, { asOf: '2026-04-03' }))).toEqual([
      '2026-03-01 on_time 2026-03-01',
      '2026-04-01 missed',
    ]);
  });

  it('not_done_in_use and not_done_not_located exempt the occurrence they belong to; fail and not_done_other do not', () => {
    const base = [done('2026-01-01'), done('2026-02-01')];
    const list = occurrenceVerdicts(
      monthly,
      [
        ...base,
        done('2026-03-01', 'not_done_in_use'),
        done('2026-03-03'),
        done('2026-04-01', 'fail'),
        done('2026-04-02', 'not_done_other'),
      ],
      spring,
    );
    expect(rows(list)).toEqual([
      '2026-01-01 on_time 2026-01-01',
      '2026-02-01 on_time 2026-02-01',
      '2026-03-01 exempt 2026-03-03',
      '2026-04-01 missed',
    ]);
    expect(list[3]?.entries.map((e) => e.outcome)).toEqual(['fail', 'not_done_other']);
    expect(summarise(list)).toEqual({ due: 4, onTime: 2, late: 0, missed: 1, exempt: 1, open: 0, completionRate: 2 / 3 });

    const notLocated = occurrenceVerdicts(monthly, [...base, done('2026-03-02', 'not_done_not_located')], spring);
    expect(rows(notLocated)).toEqual([
      '2026-01-01 on_time 2026-01-01',
      '2026-02-01 on_time 2026-02-01',
      '2026-03-01 exempt',
      '2026-04-01 missed',
    ]);
  });

  it('an entry goes to the open occurrence, never to one already satisfied', () => {
    const list = occurrenceVerdicts(monthly, [done('2026-02-25'), done('2026-03-02', 'not_done_in_use'), done('2026-02-27')], spring);
    expect(rows(list)).toEqual(['2026-01-01 missed', '2026-02-01 missed', '2026-03-01 on_time 2026-02-25', '2026-04-01 exempt']);
    expect(list[2]?.entries.map((e) => e.performedOn)).toEqual(['2026-02-27']); // done again: listed, counts for nothing new
  });

  it('an entry in the next occurrence’s window goes to that occurrence (as a completion would)', () => {
    const list = occurrenceVerdicts(monthly, [done('2026-02-01'), done('2026-03-26', 'not_done_in_use')], spring);
    expect(rows(list)).toEqual(['2026-01-01 missed', '2026-02-01 on_time 2026-02-01', '2026-03-01 missed', '2026-04-01 exempt']);
  });

  it('a daily plan: a skipped day is missed', () => {
    const daily = plan('1d', '2026-03-01', { mode: 'fixed' });
    const list = occurrenceVerdicts(
      daily,
      [done('2026-03-01'), done('2026-03-02'), done('2026-03-04')],
      { from: '2026-03-01', to: '2026-03-05' },
      { asOf: '2026-03-05' },
    );
    expect(rows(list)).toEqual([
      '2026-03-01 on_time 2026-03-01',
      '2026-03-02 on_time 2026-03-02',
      '2026-03-03 missed',
      '2026-03-04 on_time 2026-03-04',
      '2026-03-05 open',
    ]);
  });

  it('lists month-end occurrences as rule 3 makes them', () => {
    const endOfMonth = plan('1m', '2025-01-31', { mode: 'fixed', windowDays: 3 });
    expect(
      occurrenceVerdicts(endOfMonth, [], { from: '2025-02-01', to: '2025-05-31' }, { asOf: '2025-01-01' }).map((o) => o.dueOn),
    ).toEqual(['2025-02-28', '2025-03-31', '2025-04-30', '2025-05-31']);
  });

  it('lists nothing before the start date and nothing for an empty period', () => {
    expect(occurrenceVerdicts(monthly, [], { from: '2025-01-01', to: '2025-12-31' })).toEqual([]);
    expect(occurrenceVerdicts(monthly, [], { from: '2026-03-02', to: '2026-03-31' })).toEqual([]);
    expect(occurrenceVerdicts(monthly, [], { from: '2026-04-01', to: '2026-03-01' })).toEqual([]);
  });
});

describe('rule 13: compliance of a floating plan (occurrences are the due dates it actually had)', () => {
  const floating = plan('1m', '2026-01-10', { windowDays: 3, graceDays: 2 });
  const history = [
    done('2026-01-12'), // due 10 Jan: on time (within grace) → due 12 Feb
    done('2026-02-20'), // late → due 20 Mar
    done('2026-03-01'), // early, before the window: still on time → due 1 Apr
    done('2026-04-01', 'not_done_in_use'), // exempts 1 Apr
    done('2026-04-05'), // satisfies 1 Apr (exempt stands) → due 5 May
  ];

  it('judges each due date by the completion that ended it', () => {
    const list = occurrenceVerdicts(floating, history, { from: '2026-01-01', to: '2026-05-31' });
    expect(rows(list)).toEqual([
      '2026-01-10 on_time 2026-01-12',
      '2026-02-12 late 2026-02-20',
      '2026-03-20 on_time 2026-03-01',
      '2026-04-01 exempt 2026-04-05',
      '2026-05-05 missed',
    ]);
    expect(list[3]?.entries.map((e) => e.outcome)).toEqual(['not_done_in_use']);
    expect(summarise(list)).toEqual({ due: 5, onTime: 2, late: 1, missed: 1, exempt: 1, open: 0, completionRate: 0.5 });
  });

  it('the current due date is open until it is overdue', () => {
    expect(rows(occurrenceVerdicts(floating, history, { from: '2026-05-01', to: '2026-05-31' }, { asOf: '2026-05-07' }))).toEqual([
      '2026-05-05 open',
    ]);
    expect(rows(occurrenceVerdicts(floating, history, { from: '2026-05-01', to: '2026-05-31' }, { asOf: '2026-05-08' }))).toEqual([
      '2026-05-05 missed',
    ]);
  });

  it('only knows the due dates up to the end of judgement', () => {
    expect(rows(occurrenceVerdicts(floating, history, { from: '2026-01-01', to: '2026-05-31' }, { asOf: '2026-02-15' }))).toEqual([
      '2026-01-10 on_time 2026-01-12',
      '2026-02-12 missed',
    ]);
  });

  it('a fail does not satisfy the due date; the pass after it does', () => {
    const list = occurrenceVerdicts(floating, [done('2026-01-10', 'fail'), done('2026-01-15')], { from: '2026-01-01', to: '2026-01-31' });
    expect(rows(list)).toEqual(['2026-01-10 late 2026-01-15']);
    expect(list[0]?.entries.map((e) => e.outcome)).toEqual(['fail']);
  });

  it('within the window and grace is on time, after grace is late', () => {
    const at = (on: string) => occurrenceVerdicts(floating, [done(on)], { from: '2026-01-10', to: '2026-01-31' })[0]?.verdict;
    expect(at('2026-01-07')).toBe('on_time');
    expect(at('2026-01-12')).toBe('on_time');
    expect(at('2026-01-13')).toBe('late');
  });
});

describe('rule 13: the summary', () => {
  it.each<[Verdict[], ReturnType<typeof summarise>]>([
    [[], { due: 0, onTime: 0, late: 0, missed: 0, exempt: 0, open: 0, completionRate: null }],
    [['exempt', 'exempt'], { due: 2, onTime: 0, late: 0, missed: 0, exempt: 2, open: 0, completionRate: null }],
    [['open'], { due: 0, onTime: 0, late: 0, missed: 0, exempt: 0, open: 1, completionRate: null }],
    [['on_time', 'open'], { due: 1, onTime: 1, late: 0, missed: 0, exempt: 0, open: 1, completionRate: 1 }],
    [['on_time', 'late', 'missed', 'exempt'], { due: 4, onTime: 1, late: 1, missed: 1, exempt: 1, open: 0, completionRate: 1 / 3 }],
    [['missed', 'late'], { due: 2, onTime: 0, late: 1, missed: 1, exempt: 0, open: 0, completionRate: 0 }],
  ])('%j → %j', (verdicts, summary) => {
    expect(summarise(verdicts)).toEqual(summary);
  });

  it('only the two not-done-for-a-reason outcomes exempt', () => {
    expect(OUTCOMES.filter(exempts)).toEqual(['not_done_in_use', 'not_done_not_located']);
  });
});
