import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { complianceDocument, complianceReport } from '../../../main/core/reports/compliance';
import { recordCompletion } from '../../../main/core/completions/record';
import { listLocations } from '../../../main/core/locations/service';
import { updateEquipment, getEquipment } from '../../../main/core/equipment/service';
import { ComplianceParams } from '../../../shared/domain/report-compliance';
import { addDaysTo, occurrence, type Interval, type Outcome } from '../../../shared/scheduling';
import { fixedClock, testActor, testCore } from '../../helpers/core';
import { device, place, plan } from '../plans/fixtures';
import { filterLines } from '../../helpers/print-header';

function setup(now = '2025-06-01T12:00:00Z') {
  const clock = fixedClock('2024-11-01T12:00:00Z');
  const core = testCore({ clock });
  const log = (planId: string, at: string, outcome: Outcome = 'pass') => {
    clock.set(at);
    const r = inTransaction(core, (c) => recordCompletion(c, testActor, { planId, performedAt: at, outcome, source: 'app' }));
    clock.set(now);
    return r;
  };
  return { core, clock, log };
}
const P = (from: string, to: string, extra: object = {}) => ComplianceParams.parse({ from, to, ...extra });
const v = (r: { due: number; onTime: number; late: number; missed: number; exempt: number; open: number }) => [r.due, r.onTime, r.late, r.missed, r.exempt, r.open];
const loc = (core: Parameters<typeof listLocations>[0], path: string) => listLocations(core).find((l) => l.path === path)!.id;

describe('the compliance report by hand: its scope', () => {
  it('sub-locations are included; a device moved counts where it is now', () => {
    const { core, clock, log } = setup();
    const d = device(core, 'MV-1', { risk: 'high', location: 'GH > Ward A > Bay 1' });
    device(core, 'X-1', { risk: 'high', location: 'GH > Ward B' });
    const p = plan(core, d, 'inspection', '1m', '2025-01-01', { mode: 'fixed', windowDays: 3, graceDays: 0 }).id;
    log(p, '2025-01-01T15:00:00Z');
    clock.set('2025-02-15T12:00:00Z');
    const e = getEquipment(core, d);
    inTransaction(core, (c) => updateEquipment(c, testActor, { id: d, assetTag: 'MV-1', name: e.name, locationId: place(core, 'GH > Ward B'), risk: 'high', categoryId: null } as never));
    clock.set('2025-06-01T12:00:00Z');
    const a = complianceReport(core, P('2025-01-01', '2025-03-31', { locationIds: [loc(core, 'GH > Ward A')] }));
    const b = complianceReport(core, P('2025-01-01', '2025-03-31', { locationIds: [loc(core, 'GH > Ward B')] }));
    const gh = complianceReport(core, P('2025-01-01', '2025-03-31', { locationIds: [loc(core, 'GH')] }));
    expect([v(a.total), v(b.total), v(gh.total)]).toEqual([[0, 0, 0, 0, 0, 0], [3, 1, 0, 2, 0, 0], [3, 1, 0, 2, 0, 0]]);
  });

  it("a ward's printed report says that a device moved since the period counts under its new place, with its misses", () => {
    const { core, clock } = setup();
    const d = device(core, 'MV-2', { risk: 'high', location: 'GH > Ward A' });
    plan(core, d, 'inspection', '1m', '2025-01-01', { mode: 'fixed', windowDays: 3, graceDays: 0 });
    // Moved to Ward B in May, after the quarter in which its three inspections were missed in Ward A.
    clock.set('2025-05-10T12:00:00Z');
    const e = getEquipment(core, d);
    inTransaction(core, (c) => updateEquipment(c, testActor, { id: d, assetTag: 'MV-2', name: e.name, locationId: place(core, 'GH > Ward B'), risk: 'high', categoryId: null } as never));
    clock.set('2025-06-01T12:00:00Z');
    const wardA = complianceDocument(core, testActor, P('2025-01-01', '2025-03-31', { locationIds: [loc(core, 'GH > Ward A')] }));
    const wardB = complianceDocument(core, testActor, P('2025-01-01', '2025-03-31', { locationIds: [loc(core, 'GH > Ward B')] }));
    // The misses went with the device (the place on each due date is not read): each ward's page says so.
    expect([v(wardA.report.total), v(wardB.report.total)]).toEqual([[0, 0, 0, 0, 0, 0], [3, 0, 0, 3, 0, 0]]);
    // The day YYYY-MM-DD: the print window writes it the Settings way (print-date-columns.e2e.test.ts).
    const rule = 'Equipment and stock counted where they are on 2025-06-01: one moved since the period counts, with all its occurrences in it, under its new place';
    expect(filterLines(wardA.header)).toContain(rule);
    expect(filterLines(wardB.header)).toContain(rule);
    // The whole hospital's figures do not depend on where a device is: no such line.
    const all = complianceDocument(core, testActor, P('2025-01-01', '2025-03-31'));
    expect(filterLines(all.header).some((l) => l.startsWith('Equipment and stock counted where'))).toBe(false);
  });

  it('a plan whose task or risk the app does not know (the file edited with sqlite3) is counted under its own words', () => {
    const { core, log } = setup();
    const d = device(core, 'HW-1', { risk: 'high' });
    const p = plan(core, d, 'inspection', '1m', '2025-01-01', { mode: 'fixed', windowDays: 3, graceDays: 0 }).id;
    log(p, '2025-01-01T15:00:00Z');
    log(p, '2025-02-01T15:00:00Z');
    // The report reads a plan's task, unit, mode and risk as their places in the app's lists; a value
    // outside them comes as its text, not as another's name nor dropped.
    core.db.pragma('foreign_keys = OFF');
    core.db.prepare("UPDATE plans SET task = 'hand_written', target_risk = 'extreme' WHERE id = ?").run(p);
    core.db.pragma('foreign_keys = ON');
    // A task type whose code is not the app's kind of code (a quote in it): counted under its label.
    const odd = "o'clock check";
    core.db
      .prepare("INSERT INTO task_types (code, label, target, sort_order) VALUES (?, 'O''Clock check', 'equipment', 99)")
      .run(odd);
    const q = plan(core, device(core, 'HW-2', { risk: 'low' }), 'inspection', '1m', '2025-01-01', { mode: 'fixed', windowDays: 3, graceDays: 0 }).id;
    core.db.prepare('UPDATE plans SET task = ? WHERE id = ?').run(odd, q);
    const r = complianceReport(core, P('2025-01-01', '2025-03-31'));
    expect(r.rows.map((row) => [row.task, row.taskLabel, row.risk, row.plans, row.due, row.onTime, row.missed])).toEqual([
      [odd, 'O\'Clock check', 'low', 1, 3, 0, 3],
      ['hand_written', 'hand_written', 'extreme', 1, 3, 2, 1],
    ]);
  });

  it('a fixed plan by months or years is judged in exactly the periods its grid falls in', () => {
    // The report reads only the fixed plans whose grid has a month in the period (plansInScope):
    // each month of five years, and periods across a quarter, a year's end and a month's middle,
    // against the occurrences counted here from the rule (31 Jan + 3 months is 30 April; 29 Feb
    // + 1 year is 28 Feb).
    const { core, clock } = setup('2027-06-01T12:00:00Z');
    clock.set('2022-01-01T12:00:00Z');
    const grids: [every: string, interval: Interval, start: string][] = [
      ['1y', { n: 1, unit: 'year' }, '2024-02-29'],
      ['2y', { n: 2, unit: 'year' }, '2023-05-31'],
      ['3y', { n: 3, unit: 'year' }, '2022-11-15'],
      ['3m', { n: 3, unit: 'month' }, '2024-01-31'],
      ['5m', { n: 5, unit: 'month' }, '2023-12-31'],
      ['18m', { n: 18, unit: 'month' }, '2023-07-10'],
    ];
    grids.forEach(([every, , start], i) => plan(core, device(core, `GR-${i}`, { risk: 'high' }), 'inspection', every, start, { mode: 'fixed', windowDays: 3, graceDays: 0 }));
    clock.set('2027-06-01T12:00:00Z');
    const dueIn = (from: string, to: string, of = grids) =>
      of.reduce((n, [, interval, start]) => {
        let k = 0;
        for (let on = start; on <= to; on = occurrence(start, interval, ++k)) if (on >= from) n++;
        return n;
      }, 0);
    const periods: [string, string][] = [];
    for (let y = 2022; y <= 2026; y++)
      for (let m = 1; m <= 12; m++) {
        const from = `${y}-${String(m).padStart(2, '0')}-01`;
        periods.push([from, addDaysTo(m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`, -1)]);
      }
    periods.push(['2024-12-15', '2025-01-14'], ['2025-04-01', '2025-06-30'], ['2024-02-28', '2024-03-01'], ['2022-11-15', '2022-11-15']);
    // Due in the period: counted, or open at its end (an occurrence due on its last day).
    const plansRead: number[] = [];
    const counted = periods.map(([from, to]) => {
      const reads = { plans: 0, records: 0 };
      const { total } = complianceReport(core, P(from, to), { reads });
      plansRead.push(reads.plans);
      return [from, to, total.due + total.open];
    });
    expect(counted).toEqual(periods.map(([from, to]) => [from, to, dueIn(from, to)]));
    expect(counted.filter((c) => (c[2] as number) > 0).length).toBeGreaterThan(20);
    // And only those plans are read: in a whole month, exactly the plans due in it (the grid's
    // clause is what keeps a month's report from reading every plan of the hospital).
    const dueThere = ([from, to]: [string, string]) => grids.filter((g) => dueIn(from, to, [g]) > 0).length;
    expect(plansRead.slice(0, 60)).toEqual(periods.slice(0, 60).map(dueThere));
    expect(plansRead.slice(0, 60).filter((n) => n < grids.length).length).toBeGreaterThan(30);
  });

  it('a fixed plan whose start is not a real day (the file edited with sqlite3) is refused in every period, never left out', () => {
    const { core, clock } = setup('2027-06-01T12:00:00Z');
    clock.set('2022-01-01T12:00:00Z');
    const p = plan(core, device(core, 'BAD-1', { risk: 'high' }), 'inspection', '1y', '2024-02-28', { mode: 'fixed', windowDays: 3, graceDays: 0 }).id;
    clock.set('2027-06-01T12:00:00Z');
    // The schema's GLOB lets 30 February by; the rule's dates do not.
    core.db.prepare("UPDATE plans SET start_date = '2024-02-30' WHERE id = ?").run(p);
    // In its grid's month and in a month its grid misses alike: the report says the date is wrong.
    for (const [from, to] of [
      ['2025-02-01', '2025-02-28'],
      ['2025-07-01', '2025-07-31'],
    ])
      expect(() => complianceReport(core, P(from!, to!)), `${from} to ${to}`).toThrow('Not a calendar date written YYYY-MM-DD: "2024-02-30"');
  });

  it('a completion at 23:30 local on the DST day counts for that local day', () => {
    const { core, log } = setup();
    const d = device(core, 'DS-1', { risk: 'high' });
    const p = plan(core, d, 'inspection', '1d', '2025-03-08', { mode: 'fixed', windowDays: 0, graceDays: 0 }).id;
    log(p, '2025-03-09T04:30:00Z'); // 23:30 EST on 8 Mar
    log(p, '2025-03-10T03:30:00Z'); // 23:30 EDT on 9 Mar
    log(p, '2025-11-02T05:30:00Z'); // unrelated
    const r = complianceReport(core, P('2025-03-08', '2025-03-09'));
    expect(v(r.total)).toEqual([2, 2, 0, 0, 0, 0]);
  });
});
