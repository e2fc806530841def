import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import type { ComplianceShare, PlanRows, ReportReads } from '../../../main/core/reports/compliance';
import { complianceFromShares, complianceReport, complianceShare } from '../../../main/core/reports/compliance';
import { planCuts } from '../../../main/core/reports/compliance-shares';
import type { ComplianceParamsValue } from '../../../shared/domain/report-compliance';
import { recordCompletion } from '../../../main/core/completions/record';
import { deactivatePlan } from '../../../main/core/plans/service';
import type { Outcome } from '../../../shared/scheduling';
import { addDaysTo, OUTCOMES } from '../../../shared/scheduling';
import { fixedClock, testActor, testCore } from '../../helpers/core';
import { device, done, plan } from '../plans/fixtures';

/**
 * Issue 17: the report reads each plan's records from about an interval before the period, not its
 * whole history, and no records at all of a floating plan with nothing due in the period. On a seeded hospital of plans of every kind (fixed and floating, days to years,
 * kept up, late, abandoned for years, started in the period, with amendments) the report must be
 * exactly the one the whole history gives, for periods of a month, a quarter and a year.
 */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seeded() {
  const clock = fixedClock('2020-01-01T12:00:00Z');
  const core = testCore({ clock });
  const rand = random(17);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const everies = [
    { every: '2w', days: 14 },
    { every: '1m', days: 30 },
    { every: '1m', days: 30 },
    { every: '3m', days: 91 },
    { every: '6m', days: 182 },
    { every: '1y', days: 365 },
  ];
  const tasks = ['calibration', 'inspection', 'cleaning', 'electrical_safety'];
  const records: { planId: string; at: string; outcome: Outcome }[] = [];
  for (let d = 0; d < 24; d++) {
    const id = device(core, `S-${d}`, { risk: pick(['high', 'medium', 'low', undefined] as const) });
    for (let p = 0; p < 2; p++) {
      const { every, days } = pick(everies);
      const start = addDaysTo('2021-06-01', Math.floor(rand() * 1600));
      const window = Math.min(Math.floor(rand() * 8), days - 1);
      const created = plan(core, id, tasks[(d + p) % tasks.length]!, every, start, {
        mode: rand() < 0.4 ? 'fixed' : 'floating',
        windowDays: window,
        graceDays: Math.floor(rand() * Math.min(5, days)),
      });
      // A history: kept up, with drifts, gaps of years, fails and not-dones, up to the end of 2025.
      let on = addDaysTo(start, Math.floor(rand() * 10) - 5);
      const style = rand();
      while (on < '2025-12-31') {
        records.push({
          planId: created.id,
          at: `${on}T${String(6 + Math.floor(rand() * 14)).padStart(2, '0')}:${String(Math.floor(rand() * 60)).padStart(2, '0')}:00Z`,
          outcome: rand() < 0.85 ? 'pass' : pick(OUTCOMES),
        });
        const gap =
          style < 0.2 && rand() < 0.15
            ? days * (2 + Math.floor(rand() * 12))
            : days + Math.floor(rand() * 2 * window + 1) - window - (rand() < 0.2 ? 6 : 0);
        on = addDaysTo(on, Math.max(1, gap));
      }
    }
  }
  records.sort((a, b) => (a.at < b.at ? -1 : 1));
  const done: string[] = [];
  for (const r of records) {
    clock.set(r.at);
    const made = inTransaction(core, (w) =>
      recordCompletion(w, testActor, { planId: r.planId, performedAt: r.at, outcome: r.outcome, source: 'app' }),
    );
    done.push(made.id);
    // Now and then a correction, entered a few days later.
    if (rand() < 0.02) {
      clock.set(`${addDaysTo(r.at.slice(0, 10), 3)}T08:00:00Z`);
      inTransaction(core, (w) =>
        recordCompletion(w, testActor, {
          planId: r.planId,
          performedAt: r.at,
          outcome: pick(OUTCOMES),
          source: 'app',
          amendsId: made.id,
          amendReason: 'Typed the wrong result.',
        }),
      );
    }
  }
  // A high-risk device's calibration plan stopped, and another started in its place on the same
  // grid: their exceptions up to the first one's last day tie on place, tag, task and day, the
  // first's missed, the second's late where it was done late (5 October 2025, done on the 10th).
  const twin = device(core, 'S-TWIN', { risk: 'high' });
  const stopped = plan(core, twin, 'calibration', '1m', '2023-01-05', { mode: 'fixed', windowDays: 2, graceDays: 2 });
  inTransaction(core, (w) => deactivatePlan(w, testActor, stopped.id));
  const again = plan(core, twin, 'calibration', '1m', '2023-01-05', { mode: 'fixed', windowDays: 2, graceDays: 2 });
  for (const day of ['2024-12-09', '2025-10-10'])
    inTransaction(core, (w) => recordCompletion(w, testActor, { planId: again.id, performedAt: `${day}T10:00:00Z`, outcome: 'pass', source: 'app' }));
  clock.set('2026-01-15T12:00:00Z');
  return { core, records: records.length };
}

/** The plans' rowids in order, where a report can be cut into shares. */
const rowids = (core: ReturnType<typeof seeded>['core']) =>
  core.db.prepare('SELECT rowid FROM plans ORDER BY rowid').pluck().all() as number[];

/** The shares cut at `cuts` (rowids), worked out one by one and given to the merge in `order`. */
function shared(core: ReturnType<typeof seeded>['core'], p: ComplianceParamsValue, cuts: readonly number[], order: 'as cut' | 'reversed' = 'as cut') {
  const runs: PlanRows[] = [...cuts, undefined].map((upTo, i) => ({ above: i === 0 ? undefined : cuts[i - 1], upTo }));
  const shares: ComplianceShare[] = runs.map((rows) => complianceShare(core, p, { rows }));
  return complianceFromShares(core, p, order === 'reversed' ? shares.reverse() : shares);
}

describe('the compliance report reads only what its period needs (issue 17)', () => {
  it("gives exactly the whole history's report for months, quarters and years", () => {
    const { core, records } = seeded();
    expect(records).toBeGreaterThan(500);
    const periods = [
      { from: '2025-10-01', to: '2025-10-31' },
      { from: '2024-02-01', to: '2024-02-29' },
      { from: '2023-07-01', to: '2023-09-30' },
      { from: '2024-11-01', to: '2025-10-31' },
      { from: '2022-01-01', to: '2022-12-31' },
      { from: '2025-12-01', to: '2026-01-31' },
      // Month ends, where a month from the 29th, 30th or 31st is clamped, and two weeks across one.
      { from: '2025-03-01', to: '2025-03-31' },
      { from: '2024-02-29', to: '2024-03-30' },
      { from: '2025-05-26', to: '2025-06-08' },
    ];
    for (const p of periods) {
      const bounded = complianceReport(core, p);
      expect(bounded.total.due, `${p.from}: occurrences judged`).toBeGreaterThan(0);
      expect(bounded).toEqual(complianceReport(core, p, { wholeHistory: true }));
    }
  });

  it('gives the same report shared between workers, however the plans are cut and in whatever order the shares come back', () => {
    const { core } = seeded();
    const ids = rowids(core);
    expect(ids.length).toBe(50);
    const periods: ComplianceParamsValue[] = [
      { from: '2025-10-01', to: '2025-10-31' },
      { from: '2024-11-01', to: '2025-10-31' },
      { from: '2023-07-01', to: '2023-09-30' },
      { from: '2025-12-01', to: '2026-01-31' },
      { from: '2024-11-01', to: '2025-10-31', tasks: ['calibration', 'inspection'] },
      { from: '2024-11-01', to: '2025-10-31', risks: ['high'] },
    ];
    let tied = 0;
    for (const p of periods) {
      const whole = complianceReport(core, p);
      expect(whole.total.due, `${p.from}: occurrences judged`).toBeGreaterThan(0);
      const x = whole.highRisk.exceptions;
      // Exceptions that tie but say different things: which comes first shows.
      tied += x.filter((e, i) => i > 0 && [e.location, e.assetTag, e.task, e.dueOn].join() === [x[i - 1]!.location, x[i - 1]!.assetTag, x[i - 1]!.task, x[i - 1]!.dueOn].join() && e.verdict !== x[i - 1]!.verdict).length;
      // In two at every place between two plans, both ways round; in three; one share per plan.
      for (let at = 0; at < ids.length - 1; at++) {
        expect(shared(core, p, [ids[at]!]), `${p.from}, cut after plan ${at + 1}`).toEqual(whole);
        expect(shared(core, p, [ids[at]!], 'reversed'), `${p.from}, cut after plan ${at + 1}, reversed`).toEqual(whole);
      }
      expect(shared(core, p, [ids[9]!, ids[30]!], 'reversed')).toEqual(whole);
      expect(shared(core, p, ids.slice(0, -1), 'reversed')).toEqual(whole);
      // The whole history read in shares too (the bench's check of the bounded read).
      const cut = ids[24]!;
      const wholeHistory = complianceFromShares(core, p, [
        complianceShare(core, p, { wholeHistory: true, rows: { above: cut } }),
        complianceShare(core, p, { wholeHistory: true, rows: { upTo: cut } }),
      ]);
      expect(wholeHistory).toEqual(whole);
    }
    // The twin plans' exceptions tie: the merge orders them by plan, not by share.
    expect(tied).toBeGreaterThan(0);
  });

  it('cuts the plans into even runs of their rowids, open at both ends, and not at all below a few thousand plans', () => {
    const { core } = seeded();
    const ids = rowids(core);
    expect(planCuts(core, 2)).toBeNull();
    expect(planCuts(core, 1, 10)).toBeNull();
    expect(planCuts(core, 2, 10)).toEqual([{ above: undefined, upTo: ids[0]! + 24 }, { above: ids[0]! + 24, upTo: undefined }]);
    const three = planCuts(core, 3, 10)!;
    expect(three.map((r) => ids.filter((id) => (r.above === undefined || id > r.above) && (r.upTo === undefined || id <= r.upTo)).length)).toEqual([17, 16, 17]);
  });

  it("a month's report on five years of weekly work reads the month's records and those just around it, not the five years", () => {
    // Cost grows with the period's records, not the history's (the words): counted, not timed.
    const clock = fixedClock('2021-01-01T12:00:00Z');
    const core = testCore({ clock });
    const plans = Array.from({ length: 8 }, (_, i) =>
      plan(core, device(core, `W-${i}`, { risk: 'high' }), 'inspection', '1w', '2021-01-04', { mode: i % 2 ? 'fixed' : 'floating', windowDays: 1, graceDays: 2 }),
    );
    const performed: string[] = [];
    for (let on = '2021-01-04'; on < '2026-01-01'; on = addDaysTo(on, 7))
      for (const p of plans) {
        const at = `${on}T10:00:00Z`;
        clock.set(at);
        done(core, p.id, at);
        performed.push(on);
      }
    clock.set('2026-01-15T12:00:00Z');
    const october = { from: '2025-10-01', to: '2025-10-31' };
    const reads: ReportReads = { plans: 0, records: 0 };
    const whole: ReportReads = { plans: 0, records: 0 };
    const report = complianceReport(core, october, { reads });
    expect(report).toEqual(complianceReport(core, october, { wholeHistory: true, reads: whole }));
    // Mondays from 4 January 2021: 6, 13, 20 and 27 October.
    expect(report.total.due).toBe(8 * 4);
    expect(performed.length).toBeGreaterThan(2000);
    // The whole history up to the period's end: five years less November and December.
    expect(whole.records).toBeGreaterThanOrEqual(performed.filter((on) => on <= october.to).length);
    // The month's own records and those of the two weeks either side at most.
    const near = performed.filter((on) => on >= addDaysTo(october.from, -14) && on <= addDaysTo(october.to, 14)).length;
    expect(reads).toEqual({ plans: 8, records: expect.any(Number) });
    expect(reads.records).toBeGreaterThanOrEqual(8 * 4);
    expect(reads.records).toBeLessThanOrEqual(near);
  });

  it('finds a floating plan whose next due date is clamped into the period: a month from 31 January is 28 February', () => {
    const clock = fixedClock('2024-12-01T12:00:00Z');
    const core = testCore({ clock });
    const clamped = plan(core, device(core, 'F-31'), 'calibration', '1m', '2024-12-31', { mode: 'floating' });
    const yearly = plan(core, device(core, 'F-366'), 'inspection', '1y', '2024-02-29', { mode: 'floating' });
    clock.set('2025-02-01T12:00:00Z');
    done(core, clamped.id, '2025-01-31T10:00:00Z');
    done(core, yearly.id, '2024-02-29T10:00:00Z');
    clock.set('2025-03-15T12:00:00Z');
    const february = { from: '2025-02-01', to: '2025-02-28' };
    const report = complianceReport(core, february);
    // The calibration due 28 February (a month from 31 January) and the inspection due 28 February 2025 (a year from 29 February 2024): both still open.
    expect(report.rows.map((r) => [r.task, r.plans, r.open])).toEqual([
      ['calibration', 1, 1],
      ['inspection', 1, 1],
    ]);
    expect(report).toEqual(complianceReport(core, february, { wholeHistory: true }));
  });

  it("counts work done on a past period's last evening behind UTC (its instant on the next UTC day), though each plan is read only a few days past the period", () => {
    // This project runs in America/New_York: 03:00 UTC on 1 November 2025 is 23:00 on 31 October there.
    expect(process.env.TZ).toBe('America/New_York');
    const clock = fixedClock('2025-01-01T12:00:00Z');
    const core = testCore({ clock });
    const monthly = plan(core, device(core, 'E-31', { risk: 'high' }), 'calibration', '1m', '2025-01-31', { mode: 'fixed', windowDays: 0, graceDays: 0 });
    const monthEnds = [
      '2025-01-31T15:00:00Z',
      '2025-02-28T15:00:00Z',
      '2025-03-31T15:00:00Z',
      '2025-04-30T15:00:00Z',
      '2025-05-31T15:00:00Z',
      '2025-06-30T15:00:00Z',
      '2025-07-31T15:00:00Z',
      '2025-08-31T15:00:00Z',
      '2025-09-30T15:00:00Z',
      // Due 31 October, done that evening in New York.
      '2025-11-01T03:00:00Z',
      '2025-11-30T15:00:00Z',
      '2025-12-31T15:00:00Z',
      '2026-01-31T15:00:00Z',
      '2026-02-28T15:00:00Z',
    ];
    for (const at of monthEnds) {
      clock.set(at);
      done(core, monthly.id, at);
    }
    clock.set('2026-03-15T12:00:00Z');
    const october = { from: '2025-10-01', to: '2025-10-31' };
    const report = complianceReport(core, october);
    expect(report.total).toMatchObject({ due: 1, onTime: 1, late: 0, missed: 0 });
    expect(report.highRisk.exceptions).toEqual([]);
    expect(report).toEqual(complianceReport(core, october, { wholeHistory: true }));
  });
});
