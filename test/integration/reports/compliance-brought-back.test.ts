import { describe, expect, it } from 'vitest';
import { appendAudit } from '../../../main/core/audit';
import type { Core } from '../../../main/core/context';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { complianceReport } from '../../../main/core/reports/compliance';
import { recordCompletion } from '../../../main/core/completions/record';
import { deactivatePlan, reactivatePlan } from '../../../main/core/plans/service';
import { DECIDED_SQL, SWITCHES_SQL } from '../../../main/core/reports/plan-in-use';
import { resolveConflict } from '../../../main/core/sync/conflicts';
import { ComplianceParams } from '../../../shared/domain/report-compliance';
import type { Outcome } from '../../../shared/scheduling';
import { fixedClock, testActor, testCore } from '../../helpers/core';
import { device, plan } from '../plans/fixtures';
import { queryPlan } from '../../helpers/query-plan';

// The integration tests run in America/New_York: 15:00Z is 10:00 or 11:00 there, the same local day.
function setup(now = '2025-06-01T12:00:00Z') {
  const clock = fixedClock('2024-11-01T12:00:00Z');
  const core = testCore({ clock });
  const at = <T>(instant: string, run: () => T): T => {
    clock.set(instant);
    try {
      return run();
    } finally {
      clock.set(now);
    }
  };
  const log = (planId: string, day: string, outcome: Outcome = 'pass') =>
    at(`${day}T18:00:00Z`, () =>
      inTransaction(core, (c) => recordCompletion(c, testActor, { planId, performedAt: `${day}T15:00:00Z`, outcome, source: 'app' })),
    );
  /** "Take out of use" on a day, at 10:00 or 11:00 local. */
  const off = (planId: string, day: string) =>
    at(`${day}T15:00:00Z`, () => inTransaction(core, (c) => deactivatePlan(c, testActor, planId)));
  /** "Bring back…" on a day, at noon or 13:00 local. */
  const on = (planId: string, day: string) =>
    at(`${day}T17:00:00Z`, () => inTransaction(core, (c) => reactivatePlan(c, testActor, planId)));
  /** A supervisor's "Use the other" on a conflict, on a day, at 10:00 or 11:00 local. */
  const useOther = (id: string, day: string) =>
    at(`${day}T15:00:00Z`, () => inTransaction(core, (c) => resolveConflict(c, { ...testActor, role: 'supervisor' }, { id, choice: 'used_other' })));
  /**
   * "Use the other" on whether a plan is in use as Wardkeep recorded it before such a decision went
   * through the plan's own switches, and as one still arrives from a PC not yet upgraded: the value
   * written back with the plan row left unstamped, and one `resolve_conflict` entry about `plans`.
   */
  const decidedAsBefore = (planId: string, active: 0 | 1, day: string) =>
    at(`${day}T15:00:00Z`, () =>
      inTransaction(core, (c) => {
        c.db.prepare('UPDATE plans SET active = ? WHERE id = ?').run(active, planId);
        appendAudit(c, { ...testActor, role: 'supervisor' }, {
          action: 'resolve_conflict',
          entity: 'plans',
          entityId: planId,
          old: { active: 1 - active },
          new: { conflict: '00000000-0000-4000-8000-999999999999', choice: 'used_other', fields: 'active', active },
        });
      }),
    );
  return { core, clock, log, off, on, useOther, decidedAsBefore, now };
}

let conflicts = 0;
const hlc = (iso: string, pc: string) => `${String(Date.parse(iso)).padStart(15, '0')}.000000.${pc}`;
/**
 * A conflict about whether a plan is in use, as the hub writes it into the conflict log (see
 * test/integration/sync/conflict-words.test.ts): `winner` stands, `loser` is the other PC's value.
 */
function logActiveConflict(core: Core, planId: string, winner: 0 | 1, loser: 0 | 1): string {
  conflicts += 1;
  const id = `00000000-0000-4000-8000-${String(conflicts).padStart(12, '0')}`;
  core.db
    .prepare(
      `INSERT INTO sync_conflicts (id, tbl, pk, fields, winner_value, winner_hlc, winner_pc, loser_value, loser_hlc, loser_pc, rule, detected_at)
       VALUES (?, 'plans', ?, 'active', ?, ?, 'Emergency PC', ?, ?, 'Ward 4B PC', 'latest', '2025-01-20T10:00:00.000Z')`,
    )
    .run(id, JSON.stringify([planId]), JSON.stringify({ active: winner }), hlc('2025-01-20T09:59:00Z', 'pc-b'), JSON.stringify({ active: loser }), hlc('2025-01-20T09:58:00Z', 'pc-a'));
  return id;
}
const P = (from: string, to: string, extra: object = {}) => ComplianceParams.parse({ from, to, ...extra });
type Counts = { due: number; onTime: number; late: number; missed: number; exempt: number; open: number };
const v = (r: Counts) => [r.due, r.onTime, r.late, r.missed, r.exempt, r.open];
const listed = (r: ReturnType<typeof complianceReport>) => r.highRisk.exceptions.map((x) => `${x.dueOn} ${x.verdict}`);

describe('compliance of a plan taken out of use and brought back', () => {
  it("a past quarter's figures do not change when a plan switched off in it is brought back months later", () => {
    const { core, clock, log, off, on } = setup();
    const d = device(core, 'RB-1', { risk: 'high' });
    const p = plan(core, d, 'inspection', '1m', '2025-01-01', { mode: 'fixed', windowDays: 3, graceDays: 0 }).id;
    log(p, '2025-01-01');
    // Switched off on 15 February: nothing was due on any list from then on.
    off(p, '2025-02-15');
    clock.set('2025-04-10T12:00:00Z');
    const printedInApril = complianceReport(core, P('2025-01-01', '2025-03-31'));
    // 1 January on time, 1 February missed; 1 March, when the plan was off, not counted.
    expect(v(printedInApril.total)).toEqual([2, 1, 0, 1, 0, 0]);
    expect(listed(printedInApril)).toEqual(['2025-02-01 missed']);

    // Brought back on 1 June ("Bring back…"): the same plan, in use again.
    on(p, '2025-06-01');
    clock.set('2025-06-01T12:00:00Z');
    const askedAgain = complianceReport(core, P('2025-01-01', '2025-03-31'));
    // The auditor's Q1 report says what it said in April: 1 March was never due on any list.
    expect(v(askedAgain.total)).toEqual([2, 1, 0, 1, 0, 0]);
    expect(listed(askedAgain)).toEqual(['2025-02-01 missed']);
  });

  it('counts nothing due on the day it was switched off, and again from the day it was brought back', () => {
    const { core, log, off, on } = setup('2025-06-05T12:00:00Z');
    const d = device(core, 'RB-2', { risk: 'high' });
    const p = plan(core, d, 'inspection', '1m', '2025-01-01', { mode: 'fixed', windowDays: 3, graceDays: 0 }).id;
    log(p, '2025-01-01');
    log(p, '2025-02-01');
    off(p, '2025-03-01'); // on the morning 1 March was due: off every list that day
    on(p, '2025-04-01'); // back on the morning 1 April was due: on the lists again that day
    log(p, '2025-04-01');
    const r = complianceReport(core, P('2025-01-01', '2025-05-31'));
    // January, February and April on time; 1 March not counted; 1 May, in use and not done, missed.
    expect(v(r.total)).toEqual([4, 3, 0, 1, 0, 0]);
    expect(listed(r)).toEqual(['2025-05-01 missed']);
  });

  it('leaves out every spell of a plan switched off and brought back several times, and no day of one switched off and on the same day', () => {
    const { core, log, off, on } = setup('2025-07-05T12:00:00Z');
    const d = device(core, 'RB-3', { risk: 'high' });
    const p = plan(core, d, 'inspection', '1m', '2025-01-01', { mode: 'fixed', windowDays: 3, graceDays: 0 }).id;
    log(p, '2025-01-01');
    off(p, '2025-02-10');
    on(p, '2025-03-10'); // 1 March left out
    log(p, '2025-04-01');
    off(p, '2025-04-20');
    on(p, '2025-06-01'); // 1 May left out; 1 June counts
    log(p, '2025-06-01');
    off(p, '2025-06-10');
    on(p, '2025-06-10'); // a slip of the hand, put right the same day: no day out of use
    const r = complianceReport(core, P('2025-01-01', '2025-06-30'));
    // January, April and June on time; 1 February missed (the plan was in use then).
    expect(v(r.total)).toEqual([4, 3, 0, 1, 0, 0]);
    expect(listed(r)).toEqual(['2025-02-01 missed']);
    // The months asked about one at a time say the same.
    const ends = ['2025-01-31', '2025-02-28', '2025-03-31', '2025-04-30', '2025-05-31', '2025-06-30'];
    const months = ends.map((to) => v(complianceReport(core, P(`${to.slice(0, 8)}01`, to)).total));
    expect(months).toEqual([
      [1, 1, 0, 0, 0, 0],
      [1, 0, 0, 1, 0, 0],
      [0, 0, 0, 0, 0, 0],
      [1, 1, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0],
      [1, 1, 0, 0, 0, 0],
    ]);
  });

  it('a plan brought back and switched off again counts only the days between', () => {
    const { core, log, off, on } = setup();
    const d = device(core, 'RB-4', { risk: 'high' });
    const p = plan(core, d, 'inspection', '1m', '2025-01-01', { mode: 'fixed', windowDays: 3, graceDays: 0 }).id;
    log(p, '2025-01-01');
    off(p, '2025-01-15');
    on(p, '2025-02-15'); // 1 February left out
    off(p, '2025-03-15'); // out of use to this day: nothing after
    const r = complianceReport(core, P('2025-01-01', '2025-06-30'));
    // 1 January on time; 1 March, in use and not done, missed.
    expect(v(r.total)).toEqual([2, 1, 0, 1, 0, 0]);
    expect(listed(r)).toEqual(['2025-03-01 missed']);
  });

  it('an occurrence within its grace when the plan was switched off stays as it was printed once the plan is brought back', () => {
    const { core, clock, log, off, on } = setup();
    const d = device(core, 'RB-5', { risk: 'high' });
    const p = plan(core, d, 'inspection', '1m', '2025-01-01', { mode: 'fixed', windowDays: 3, graceDays: 10 }).id;
    log(p, '2025-01-01');
    off(p, '2025-02-05'); // 1 February not done, its grace running to 11 February
    clock.set('2025-04-10T12:00:00Z');
    const printedInApril = complianceReport(core, P('2025-01-01', '2025-03-31'));
    expect(v(printedInApril.total)).toEqual([1, 1, 0, 0, 0, 1]);
    expect(listed(printedInApril)).toEqual(['2025-02-01 open']);

    on(p, '2025-05-20');
    log(p, '2025-05-22');
    clock.set('2025-06-01T12:00:00Z');
    const askedAgain = complianceReport(core, P('2025-01-01', '2025-03-31'));
    expect(v(askedAgain.total)).toEqual([1, 1, 0, 0, 0, 1]);
    expect(listed(askedAgain)).toEqual(['2025-02-01 open']);
    // What has happened to it since is told as of the day the report is made, as for any occurrence open at the end.
    expect(askedAgain.highRisk.exceptions[0]!.since?.asOf).toBe('2025-06-01');
  });

  it('a floating plan counts no due date that fell while it was off, and the next from the work done once it was back', () => {
    const { core, log, off, on } = setup();
    const d = device(core, 'RB-6', { risk: 'high' });
    const p = plan(core, d, 'inspection', '1m', '2025-01-01', { mode: 'floating', windowDays: 3, graceDays: 3 }).id;
    log(p, '2025-01-03'); // due 1 January: on time; next due 3 February
    off(p, '2025-01-20');
    on(p, '2025-03-10'); // 3 February fell while it was off: not counted
    log(p, '2025-03-12'); // next due 12 April
    const r = complianceReport(core, P('2025-01-01', '2025-04-30'));
    // 1 January on time; 12 April, not done by 15 April, missed.
    expect(v(r.total)).toEqual([2, 1, 0, 1, 0, 0]);
    expect(listed(r)).toEqual(['2025-04-12 missed']);
  });

  it('a plan switched back on by "Use the other" on a sync conflict counts nothing due while it was off', () => {
    const { core, log, off, useOther } = setup('2025-07-01T12:00:00Z');
    const d = device(core, 'UO-1', { risk: 'high' });
    const p = plan(core, d, 'inspection', '1m', '2025-01-01', { mode: 'fixed', windowDays: 3, graceDays: 0 }).id;
    log(p, '2025-01-01');
    log(p, '2025-02-01');
    off(p, '2025-02-15');
    // Another PC had it in use: on 10 April the supervisor uses that value, and the plan is in use again.
    useOther(logActiveConflict(core, p, 0, 1), '2025-04-10');
    log(p, '2025-05-01');
    const r = complianceReport(core, P('2025-01-01', '2025-06-30'));
    // 1 January, 1 February and 1 May on time; 1 March and 1 April, while it was off, not counted; 1 June missed.
    expect(v(r.total)).toEqual([4, 3, 0, 1, 0, 0]);
    expect(listed(r)).toEqual(['2025-06-01 missed']);
  });

  it('a plan switched off by "Use the other" on a sync conflict still counts the months it was in use, and nothing after', () => {
    const { core, log, useOther } = setup('2025-07-01T12:00:00Z');
    const d = device(core, 'UO-2', { risk: 'high' });
    const p = plan(core, d, 'inspection', '1m', '2025-01-01', { mode: 'fixed', windowDays: 3, graceDays: 0 }).id;
    log(p, '2025-01-01');
    // Another PC had taken it out of use: on 15 March the supervisor uses that value.
    useOther(logActiveConflict(core, p, 1, 0), '2025-03-15');
    const r = complianceReport(core, P('2025-01-01', '2025-06-30'));
    // 1 January on time; 1 February and 1 March, in use and not done, missed; off from 15 March.
    expect(v(r.total)).toEqual([3, 1, 0, 2, 0, 0]);
    expect(listed(r)).toEqual(['2025-02-01 missed', '2025-03-01 missed']);
  });

  it('a plan switched back on by "Use the other" as recorded before (the row unstamped) counts nothing due while it was off', () => {
    const { core, log, off, decidedAsBefore } = setup('2025-07-01T12:00:00Z');
    const d = device(core, 'UO-4', { risk: 'high' });
    const p = plan(core, d, 'inspection', '1m', '2025-01-01', { mode: 'fixed', windowDays: 3, graceDays: 0 }).id;
    log(p, '2025-01-01');
    log(p, '2025-02-01');
    off(p, '2025-02-15');
    decidedAsBefore(p, 1, '2025-04-10');
    log(p, '2025-05-01');
    const r = complianceReport(core, P('2025-01-01', '2025-06-30'));
    // 1 March and 1 April, while it was off, not counted (they were counted as missed).
    expect(v(r.total)).toEqual([4, 3, 0, 1, 0, 0]);
    expect(listed(r)).toEqual(['2025-06-01 missed']);
  });

  it('a plan switched off by "Use the other" as recorded before (the row unstamped) still counts the months it was in use', () => {
    const { core, log, decidedAsBefore } = setup('2025-07-01T12:00:00Z');
    const d = device(core, 'UO-5', { risk: 'high' });
    const p = plan(core, d, 'inspection', '1m', '2025-01-01', { mode: 'fixed', windowDays: 3, graceDays: 0 }).id;
    log(p, '2025-01-01');
    decidedAsBefore(p, 0, '2025-03-15');
    const r = complianceReport(core, P('2025-01-01', '2025-06-30'));
    // The plan did not vanish from the report: 1 February and 1 March, in use and not done, missed.
    expect(v(r.total)).toEqual([3, 1, 0, 2, 0, 0]);
    expect(listed(r)).toEqual(['2025-02-01 missed', '2025-03-01 missed']);
  });

  it('a plan switched off, then restamped by another PC\'s edit merged later, counts nothing from the day it was switched off', () => {
    const { core, log, off } = setup('2025-07-01T12:00:00Z');
    const d = device(core, 'UO-3', { risk: 'high' });
    const p = plan(core, d, 'inspection', '1m', '2025-01-01', { mode: 'fixed', windowDays: 3, graceDays: 0 }).id;
    log(p, '2025-01-01');
    off(p, '2025-02-15');
    // Another PC's change of its grace, made before it heard of the switch, arrives in May: the
    // merge stamps the row with that change's time, as sync/apply.ts does for any change of a plan.
    core.db.prepare("UPDATE plans SET grace_days = 1, updated_at = '2025-05-10T12:00:00.000Z' WHERE id = ?").run(p);
    const r = complianceReport(core, P('2025-01-01', '2025-06-30'));
    // 1 January on time, 1 February missed; nothing from 15 February on.
    expect(v(r.total)).toEqual([2, 1, 0, 1, 0, 0]);
    expect(listed(r)).toEqual(['2025-02-01 missed']);
  });

  it('finds the plans switched by a conflict decision from the decisions about plans alone', () => {
    const { core } = setup();
    const steps = queryPlan(core.db, DECIDED_SQL, { since: '2025-01-01T00:00:00.000Z' });
    expect(steps).toEqual(['SEARCH a USING INDEX audit_log_entity (entity=?)']);
  });

  it("reads the audit trail one plan at a time, never every plan's entries (issue 17)", () => {
    const { core } = setup();
    const d = device(core, 'RB-7');
    const p = plan(core, d, 'inspection', '1m', '2025-01-01').id;
    const steps = queryPlan(core.db, SWITCHES_SQL, { plans: JSON.stringify([p]) });
    expect(steps[0]).toMatch(/^SCAN j\b/);
    expect(steps[1]).toBe('SEARCH a USING INDEX audit_log_entity (entity=? AND entity_id=?)');
  });
});
