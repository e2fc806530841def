import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../main/core/audit';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { recordCompletion } from '../../../main/core/completions/record';
import { dueList } from '../../../main/core/due/service';
import { setEquipmentStatus } from '../../../main/core/equipment/service';
import { deactivatePlan, getPlan, listPlansForEquipment, updatePlan } from '../../../main/core/plans/service';
import { recomputePlan } from '../../../main/core/plans/scheduler';
import { PlanUpdate } from '../../../shared/domain/plan';
import type { Outcome } from '../../../shared/scheduling';
import { fixedClock, testActor, testCore } from '../../helpers/core';
import { device, done, equipmentRow, plan, planRow } from '../plans/fixtures';

// The integration project runs in America/New_York: "today" below is 2025-11-25.
const NOW = '2025-11-25T15:00:00Z';
const setup = () => testCore({ clock: fixedClock(NOW) });

describe('next due is kept current in the database', () => {
  it('a new plan is due on its start date; due_from opens the window', () => {
    const core = setup();
    const p = plan(core, device(core, 'IP-1'), 'calibration', '1y', '2025-12-15');
    expect(planRow(core, p.id)).toEqual({ next_due: '2025-12-15', due_from: '2025-11-15', last_done_on: null });
    expect(p).toMatchObject({ windowDays: 30, graceDays: 0, status: 'due', daysOverdue: 0, every: '1y', mode: 'floating' });
  });

  it('a pass advances a floating plan from its date; a fail and not-done are recorded but do not', () => {
    const core = setup();
    const p = plan(core, device(core, 'IP-1'), 'inspection', '1m', '2025-01-31');
    done(core, p.id, '2025-10-01T14:00:00Z', 'fail');
    done(core, p.id, '2025-10-02T14:00:00Z', 'not_done_in_use');
    expect(planRow(core, p.id)).toEqual({ next_due: '2025-01-31', due_from: '2025-01-28', last_done_on: null });
    const r = done(core, p.id, '2025-10-31T14:00:00Z', 'pass_adjusted');
    expect(planRow(core, p.id)).toEqual({ next_due: '2025-11-30', due_from: '2025-11-27', last_done_on: '2025-10-31' });
    expect(r.plan).toMatchObject({ nextDue: '2025-11-30', lastDoneOn: '2025-10-31', status: 'scheduled' });
    expect(core.db.prepare('SELECT count(*) AS n FROM completions WHERE plan_id = ?').get(p.id)).toEqual({ n: 3 });
  });

  it('dates a completion by the local calendar day of its instant (rule 1)', () => {
    const core = setup();
    const p = plan(core, device(core, 'IP-1'), 'cleaning', '7d', '2025-03-01');
    // 03:30 UTC on the 10th is 23:30 on the 9th in New York.
    const r = done(core, p.id, '2025-03-10T03:30:00Z');
    expect(r.performedOn).toBe('2025-03-09');
    expect(planRow(core, p.id).next_due).toBe('2025-03-16');
    // An offset is accepted and stored as UTC.
    const r2 = done(core, p.id, '2025-03-20T09:00:00+01:00');
    expect(r2.performedAt).toBe('2025-03-20T08:00:00.000Z');
  });

  it('recomputes when the plan is edited, in the same transaction, from the history', () => {
    const core = setup();
    const p = plan(core, device(core, 'IP-1'), 'inspection', '1m', '2025-01-01');
    done(core, p.id, '2025-02-25T15:00:00Z');
    expect(planRow(core, p.id).next_due).toBe('2025-03-25');
    // Rule 7's example: monthly from 1 Jan, window 7, done 25 Feb → next due 1 Apr.
    const fixed = PlanUpdate.parse({ id: p.id, every: '1m', mode: 'fixed', startDate: '2025-01-01', windowDays: 7, graceDays: 0 });
    const updated = inTransaction(core, (core) => updatePlan(core, testActor, fixed));
    expect(updated.nextDue).toBe('2025-04-01');
    expect(planRow(core, p.id)).toEqual({ next_due: '2025-04-01', due_from: '2025-03-25', last_done_on: '2025-02-25' });
    const audit = core.db.prepare("SELECT old_value, new_value FROM audit_log WHERE entity = 'plan' AND action = 'update'").get() as {
      old_value: string;
      new_value: string;
    };
    expect(JSON.parse(audit.old_value)).toMatchObject({ mode: 'floating', window_days: 3, next_due: '2025-03-25' });
    expect(JSON.parse(audit.new_value)).toMatchObject({ mode: 'fixed', window_days: 7, next_due: '2025-04-01' });
  });

  it('refuses a window or grace not shorter than the interval, with planTimingProblem\'s sentence, and changes nothing', () => {
    const core = setup();
    const p = plan(core, device(core, 'IP-1'), 'cleaning', '1w', '2025-01-01');
    const bad = PlanUpdate.parse({ id: p.id, every: '1w', startDate: '2025-01-01', windowDays: 7 });
    expect(() => inTransaction(core, (core) => updatePlan(core, testActor, bad))).toThrow('Window (7 days) must be shorter than the interval (7 days).');
    expect(() => plan(core, device(core, 'IP-2'), 'cleaning', '1d', '2025-01-01', { graceDays: 1 })).toThrow(
      'Grace (1 day) must be shorter than the interval (1 day).',
    );
    expect(getPlan(core, p.id).windowDays).toBe(0);
  });

  it('rule 8: completions recorded in any order give the same next due, through the database', () => {
    const history: [string, Outcome][] = [
      ['2025-01-03T10:00:00Z', 'pass'],
      ['2025-02-02T10:00:00Z', 'fail'],
      ['2025-02-06T10:00:00Z', 'pass_adjusted'],
      ['2025-03-01T10:00:00Z', 'not_done_other'],
      ['2025-03-08T10:00:00Z', 'pass'],
      ['2025-03-08T22:00:00Z', 'fail'],
    ];
    const outcomeOf = (order: number[], mode: 'fixed' | 'floating') => {
      const core = setup();
      const p = plan(core, device(core, 'IP-1'), 'inspection', '1m', '2025-01-01', { mode, windowDays: 7 });
      for (const i of order) done(core, p.id, history[i]![0], history[i]![1]);
      const row = planRow(core, p.id);
      core.close();
      return row;
    };
    const inOrder = { floating: outcomeOf([0, 1, 2, 3, 4, 5], 'floating'), fixed: outcomeOf([0, 1, 2, 3, 4, 5], 'fixed') };
    expect(inOrder.floating).toEqual({ next_due: '2025-04-08', due_from: '2025-04-01', last_done_on: '2025-03-08' });
    expect(inOrder.fixed).toEqual({ next_due: '2025-04-01', due_from: '2025-03-25', last_done_on: '2025-03-08' });
    fc.assert(
      fc.property(
        fc.shuffledSubarray([0, 1, 2, 3, 4, 5], { minLength: 6, maxLength: 6 }),
        fc.constantFrom<'fixed' | 'floating'>('fixed', 'floating'),
        (order, mode) => {
          expect(outcomeOf(order, mode)).toEqual(inOrder[mode]);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('an amended completion is replaced by its amendment; the newest in a chain wins', () => {
    const core = setup();
    const p = plan(core, device(core, 'IP-1'), 'inspection', '1m', '2025-01-01');
    const a = done(core, p.id, '2025-10-20T10:00:00Z');
    expect(planRow(core, p.id).next_due).toBe('2025-11-20');
    // The logging issue writes amendments; here they are inserted as it will, then recomputed.
    const amend = (id: string, amendsId: string, performedAt: string, outcome: Outcome, createdAt: string) =>
      core.db
        .prepare(
          `INSERT INTO completions (id, plan_id, equipment_id, task, performed_at, performed_on, outcome, amends_id, amend_reason,
             performed_by_name, source, created_at, pc_id)
           SELECT ?, plan_id, equipment_id, task, ?, substr(?, 1, 10), ?, ?, 'typo', 'Test', 'app', ?, 'pc' FROM completions WHERE id = ?`,
        )
        .run(id, performedAt, performedAt, outcome, amendsId, createdAt, amendsId);
    const b = '01900000-0000-7000-8000-00000000000b';
    const c = '01900000-0000-7000-8000-00000000000c';
    amend(b, a.id, '2025-10-10T10:00:00Z', 'pass', '2025-11-01T00:00:00Z');
    expect(inTransaction(core, (core) => recomputePlan(core, p.id))).toMatchObject({ nextDue: '2025-11-10', changed: true });
    amend(c, b, '2025-10-12T10:00:00Z', 'fail', '2025-11-02T00:00:00Z');
    expect(inTransaction(core, (core) => recomputePlan(core, p.id))).toMatchObject({ nextDue: '2025-01-01', lastDoneOn: null });
    expect(planRow(core, p.id).next_due).toBe('2025-01-01');
    // Two amendments of one record: only the newer counts.
    amend('01900000-0000-7000-8000-00000000000d', c, '2025-10-14T10:00:00Z', 'pass', '2025-11-03T00:00:00Z');
    amend('01900000-0000-7000-8000-00000000000e', c, '2025-10-16T10:00:00Z', 'pass', '2025-11-04T00:00:00Z');
    expect(inTransaction(core, (core) => recomputePlan(core, p.id))).toMatchObject({ nextDue: '2025-11-16', lastDoneOn: '2025-10-16' });
  });

  it('refuses work logged in the future or against an inactive plan, writing nothing', () => {
    const core = setup();
    const p = plan(core, device(core, 'IP-1'), 'inspection', '1m', '2025-01-01');
    expect(() => done(core, p.id, '2025-11-25T15:00:01Z')).toThrow('Performed at is in the future');
    inTransaction(core, (core) => deactivatePlan(core, testActor, p.id));
    expect(() => done(core, p.id, '2025-11-20T15:00:00Z')).toThrow('no longer active');
    expect(core.db.prepare('SELECT count(*) AS n FROM completions').get()).toEqual({ n: 0 });
  });

  it('writes the completion, its audit entry and the new dates in one transaction', () => {
    const core = setup();
    const p = plan(core, device(core, 'IP-1'), 'calibration', '1y', '2025-01-01');
    const before = (core.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    // A failure inside the transaction (the audit insert refused) leaves no completion and the old dates.
    core.db.exec("CREATE TEMP TRIGGER refuse_audit BEFORE INSERT ON audit_log WHEN NEW.entity = 'completion' BEGIN SELECT RAISE(ABORT, 'no'); END");
    expect(() => done(core, p.id, '2025-11-01T10:00:00Z')).toThrow('no');
    expect(core.db.prepare('SELECT count(*) AS n FROM completions').get()).toEqual({ n: 0 });
    expect(planRow(core, p.id).next_due).toBe('2025-01-01');
    core.db.exec('DROP TRIGGER refuse_audit');
    done(core, p.id, '2025-11-01T10:00:00Z');
    expect((core.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n).toBe(before + 1);
    expect(verifyAuditChain(core.db)).toMatchObject({ ok: true });
  });
});

describe('rule 11: equipment out of service suspends its plans', () => {
  it('drops them from every due list; back in service they are evaluated again, overdue at once', () => {
    const core = setup();
    const id = device(core, 'DF-1');
    const p = plan(core, id, 'inspection', '1m', '2025-10-01');
    const list = () => dueList(core, { asOf: '2025-11-25', sort: 'status' }).map((r) => [r.assetTag, r.status, r.daysOverdue]);
    expect(list()).toEqual([['DF-1', 'overdue', 55]]);
    inTransaction(core, (core) => setEquipmentStatus(core, testActor, { id, status: 'out_of_service', reason: 'Sent for repair' }));
    expect(list()).toEqual([]);
    expect(listPlansForEquipment(core, id).plans[0]).toMatchObject({ status: 'suspended', daysOverdue: 0, doNotUse: false });
    for (const status of ['retired', 'missing'] as const) {
      inTransaction(core, (core) => setEquipmentStatus(core, testActor, { id, status, reason: 'x' }));
      expect(list()).toEqual([]);
    }
    inTransaction(core, (core) => setEquipmentStatus(core, testActor, { id, status: 'in_service', reason: 'Repaired' }));
    expect(list()).toEqual([['DF-1', 'overdue', 55]]);
    expect(getPlan(core, p.id)).toMatchObject({ status: 'overdue', nextDue: '2025-10-01' });
  });
});

describe('rule 12: a failed calibration or safety test tags the device out', () => {
  it('takes it out of service at once, and a later pass of the same plan returns it', () => {
    const core = setup();
    const id = device(core, 'DF-1');
    const cal = plan(core, id, 'calibration', '1y', '2025-01-01');
    const insp = plan(core, id, 'inspection', '1m', '2025-11-20');
    const failed = done(core, cal.id, '2025-11-24T10:00:00Z', 'fail');
    expect(failed.service).toBe('tagged_out');
    expect(equipmentRow(core, id)).toEqual({
      status: 'out_of_service',
      status_reason: 'Tagged out: failed calibration on 2025-11-24. Do not use.',
      tagged_out_by_plan_id: cal.id,
    });
    expect(listPlansForEquipment(core, id)).toMatchObject({ doNotUse: true, taggedOutByPlanId: cal.id });
    expect(dueList(core, { asOf: '2025-11-25', sort: 'status' })).toEqual([]);
    // Another plan's pass does not return it.
    expect(done(core, insp.id, '2025-11-24T11:00:00Z').service).toBeNull();
    expect(equipmentRow(core, id).status).toBe('out_of_service');
    // A pass typed in late, performed before the fail, does not either.
    expect(done(core, cal.id, '2025-11-23T11:00:00Z').service).toBeNull();
    expect(equipmentRow(core, id).status).toBe('out_of_service');
    const back = done(core, cal.id, '2025-11-25T09:00:00Z');
    expect(back.service).toBe('returned_to_service');
    expect(equipmentRow(core, id)).toEqual({ status: 'in_service', status_reason: null, tagged_out_by_plan_id: null });
    expect(listPlansForEquipment(core, id).doNotUse).toBe(false);
    const statusAudits = core.db.prepare("SELECT count(*) AS n FROM audit_log WHERE entity = 'equipment' AND action = 'status'").get();
    expect(statusAudits).toEqual({ n: 2 });
  });

  it('a fail of a task that does not tag out changes nothing; electrical safety does', () => {
    const core = setup();
    const id = device(core, 'IP-1');
    const insp = plan(core, id, 'inspection', '1m', '2025-11-01');
    expect(done(core, insp.id, '2025-11-24T10:00:00Z', 'fail').service).toBeNull();
    expect(equipmentRow(core, id).status).toBe('in_service');
    const es = plan(core, id, 'electrical_safety', '1y', '2025-11-01');
    expect(done(core, es.id, '2025-11-24T10:00:00Z', 'fail').service).toBe('tagged_out');
  });

  it('stays out while another failed test still holds it', () => {
    const core = setup();
    const id = device(core, 'DF-1');
    const cal = plan(core, id, 'calibration', '1y', '2025-01-01');
    const es = plan(core, id, 'electrical_safety', '1y', '2025-01-01');
    done(core, cal.id, '2025-11-20T10:00:00Z', 'fail');
    done(core, es.id, '2025-11-21T10:00:00Z', 'fail');
    expect(done(core, cal.id, '2025-11-22T10:00:00Z').service).toBeNull();
    expect(equipmentRow(core, id)).toMatchObject({ status: 'out_of_service', tagged_out_by_plan_id: es.id });
    expect(done(core, es.id, '2025-11-23T10:00:00Z').service).toBe('returned_to_service');
    expect(equipmentRow(core, id).status).toBe('in_service');
  });

  it('a status a person set stands, whatever is logged', () => {
    const core = setup();
    const id = device(core, 'DF-1');
    const cal = plan(core, id, 'calibration', '1y', '2025-01-01');
    inTransaction(core, (core) => setEquipmentStatus(core, testActor, { id, status: 'out_of_service', reason: 'Cracked case' }));
    expect(done(core, cal.id, '2025-11-20T10:00:00Z', 'fail').service).toBeNull();
    expect(done(core, cal.id, '2025-11-21T10:00:00Z').service).toBeNull();
    expect(equipmentRow(core, id)).toEqual({ status: 'out_of_service', status_reason: 'Cracked case', tagged_out_by_plan_id: null });
  });

  it('a fail typed in late, before a pass already logged, does not tag out', () => {
    const core = setup();
    const id = device(core, 'DF-1');
    const cal = plan(core, id, 'calibration', '1y', '2025-01-01');
    done(core, cal.id, '2025-11-20T10:00:00Z');
    expect(inTransaction(core, (core) => recordCompletion(core, testActor, { planId: cal.id, performedAt: '2025-06-01T10:00:00Z', outcome: 'fail', source: 'import' })).service).toBeNull();
    expect(equipmentRow(core, id).status).toBe('in_service');
  });
});
