import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { complianceCsv, complianceReport } from '../../../main/core/reports/compliance';
import { recordCompletion } from '../../../main/core/completions/record';
import { deactivatePlan } from '../../../main/core/plans/service';
import { changeServiceStatus } from '../../../main/core/status/history';
import { ComplianceParams } from '../../../shared/domain/report-compliance';
import type { Outcome } from '../../../shared/scheduling';
import { fixedClock, testActor, testCore } from '../../helpers/core';
import { device, plan } from '../plans/fixtures';

function setup(now = '2025-06-01T12:00:00Z') {
  const clock = fixedClock('2024-11-01T12:00:00Z');
  const core = testCore({ clock });
  const log = (planId: string, day: string, outcome: Outcome = 'pass', source: 'app' | 'import' = 'app', enteredAt?: string) => {
    clock.set(enteredAt ?? `${day}T18:00:00Z`);
    const r = inTransaction(core, (c) => recordCompletion(c, testActor, { planId, performedAt: `${day}T15:00:00Z`, outcome, source }));
    clock.set(now);
    return r;
  };
  const status = (id: string, at: string, status: 'in_service' | 'out_of_service' | 'retired' | 'missing') => {
    clock.set(at);
    inTransaction(core, (c) => changeServiceStatus(c, testActor, id, { status, reason: `to ${status}` }, { cause: 'person' }));
    clock.set(now);
  };
  return { core, clock, log, status, now };
}
const P = (from: string, to: string, extra: object = {}) => ComplianceParams.parse({ from, to, ...extra });
const v = (r: { due: number; onTime: number; late: number; missed: number; exempt: number; open: number }) => [r.due, r.onTime, r.late, r.missed, r.exempt, r.open];

describe('the compliance report by hand: verdicts (rule 13)', () => {
  it('fixed plan: early inside window on time, inside grace on time, after grace late', () => {
    const { core, clock, log, now } = setup();
    const d = device(core, 'F-1', { risk: 'high' });
    const p = plan(core, d, 'calibration', '1m', '2025-01-01', { mode: 'fixed', windowDays: 3, graceDays: 2 }).id;
    clock.set(now);
    log(p, '2024-12-29'); // 1 Jan - 3: on time
    log(p, '2025-02-03'); // 1 Feb + 2: on time
    log(p, '2025-03-04'); // 1 Mar + 3: late
    const r = complianceReport(core, P('2025-01-01', '2025-03-31'));
    expect(v(r.total)).toEqual([3, 2, 1, 0, 0, 0]);
  });

  it('floating plan: on time, late (just after grace), then missed at period end', () => {
    const { core, log } = setup();
    const d = device(core, 'FL-1', { risk: 'high' });
    const p = plan(core, d, 'calibration', '1m', '2025-01-01', { windowDays: 3, graceDays: 2 }).id;
    log(p, '2025-01-03'); // due 1 Jan, +2 grace: on time; next 3 Feb
    log(p, '2025-02-06'); // due 3 Feb, grace to 5 Feb: late; next 6 Mar
    const r = complianceReport(core, P('2025-01-01', '2025-03-31'));
    expect(v(r.total)).toEqual([3, 1, 1, 1, 0, 0]);
  });

  it('fixed from 31 Jan: month-end occurrences; 31 Mar still open at the end of Q1', () => {
    const { core, log } = setup();
    const d = device(core, 'ME-1', { risk: 'high' });
    const p = plan(core, d, 'inspection', '1m', '2025-01-31', { mode: 'fixed', windowDays: 3, graceDays: 0 }).id;
    log(p, '2025-01-31');
    log(p, '2025-02-26'); // 28 Feb - 2: on time
    const q1 = complianceReport(core, P('2025-01-01', '2025-03-31'));
    expect(v(q1.total)).toEqual([2, 2, 0, 0, 0, 1]);
    const feb = complianceReport(core, P('2025-02-01', '2025-02-28'));
    expect(v(feb.total)).toEqual([1, 1, 0, 0, 0, 0]);
  });

  it('not done in use exempts; fail does not', () => {
    const { core, log } = setup();
    const d = device(core, 'ND-1', { risk: 'high' });
    const p = plan(core, d, 'inspection', '1m', '2025-01-01', { mode: 'fixed', windowDays: 3, graceDays: 0 }).id;
    log(p, '2025-01-01', 'not_done_in_use');
    log(p, '2025-02-01', 'not_done_other');
    log(p, '2025-03-01', 'not_done_not_located');
    const r = complianceReport(core, P('2025-01-01', '2025-03-31'));
    expect(v(r.total)).toEqual([3, 0, 0, 1, 2, 0]);
    expect(r.total.completionRate).toBe(0);
  });

  it('imported history counts only if imported before the first signed record', () => {
    const { core, log } = setup();
    const d = device(core, 'IM-1', { risk: 'high' });
    const a = plan(core, d, 'inspection', '1m', '2025-01-01', { mode: 'fixed', windowDays: 3, graceDays: 0 }).id;
    // signed record first (entered 1 Feb), then an import on 10 Feb of work done 1 Jan: does not count
    log(a, '2025-02-01');
    log(a, '2025-01-01', 'pass', 'import', '2025-02-10T12:00:00Z');
    const r = complianceReport(core, P('2025-01-01', '2025-02-28'));
    expect(v(r.total)).toEqual([2, 1, 0, 1, 0, 0]);
    expect(r.total.imported).toBe(0);
  });

  it('imported before the first signed record counts, marked imported', () => {
    const { core, log } = setup();
    const d = device(core, 'IM-2', { risk: 'high' });
    const a = plan(core, d, 'inspection', '1m', '2025-01-01', { mode: 'fixed', windowDays: 3, graceDays: 0 }).id;
    log(a, '2025-01-01', 'pass', 'import', '2025-01-20T12:00:00Z');
    log(a, '2025-02-01');
    const r = complianceReport(core, P('2025-01-01', '2025-02-28'));
    expect(v(r.total)).toEqual([2, 2, 0, 0, 0, 0]);
    expect(r.total.imported).toBe(1);
    expect(r.highRisk.exceptions.map((x) => [x.dueOn, x.verdict, x.imported])).toEqual([['2025-01-01', 'on_time', true]]);
  });

  it('out of service / retired / missing on the due date: exempt', () => {
    const { core, log, status } = setup();
    const a = device(core, 'OS-1', { risk: 'high' });
    const b = device(core, 'OS-2', { risk: 'high' });
    const c = device(core, 'OS-3', { risk: 'high' });
    const pa = plan(core, a, 'inspection', '1m', '2025-01-01', { mode: 'fixed', windowDays: 3, graceDays: 0 }).id;
    plan(core, b, 'inspection', '1m', '2025-01-01', { mode: 'fixed', windowDays: 3, graceDays: 0 });
    plan(core, c, 'inspection', '1m', '2025-01-01', { mode: 'fixed', windowDays: 3, graceDays: 0 });
    log(pa, '2025-01-01');
    status(a, '2025-01-20T15:00:00Z', 'out_of_service');
    status(a, '2025-02-10T15:00:00Z', 'in_service');
    log(pa, '2025-02-12'); // 1 Feb: out of service on the due date -> exempt
    log(pa, '2025-03-01');
    status(b, '2024-12-15T15:00:00Z', 'retired');
    status(c, '2025-01-15T15:00:00Z', 'missing');
    const r = complianceReport(core, P('2025-01-01', '2025-03-31'));
    // a: on time, exempt, on time; b: 3 exempt; c: Jan missed, Feb/Mar exempt
    expect(v(r.total)).toEqual([9, 2, 0, 1, 6, 0]);
  });

  it('plan deactivated mid-period counts until the day before', () => {
    const { core, clock, log } = setup();
    const d = device(core, 'DA-1', { risk: 'high' });
    const p = plan(core, d, 'inspection', '1m', '2025-01-01', { mode: 'fixed', windowDays: 3, graceDays: 0 }).id;
    log(p, '2025-01-01');
    clock.set('2025-02-15T15:00:00Z');
    inTransaction(core, (c) => deactivatePlan(c, testActor, p));
    clock.set('2025-06-01T12:00:00Z');
    const r = complianceReport(core, P('2025-01-01', '2025-03-31'));
    expect(v(r.total)).toEqual([2, 1, 0, 1, 0, 0]);
  });

  it('plan created mid-period (start in period)', () => {
    const { core, log } = setup();
    const d = device(core, 'MP-1', { risk: 'high' });
    const p = plan(core, d, 'inspection', '1m', '2025-02-15', { mode: 'fixed', windowDays: 3, graceDays: 0 }).id;
    log(p, '2025-02-15');
    const r = complianceReport(core, P('2025-01-01', '2025-03-31'));
    expect(v(r.total)).toEqual([2, 1, 0, 1, 0, 0]);
  });

  it('amended record: the correction counts', () => {
    const { core, clock, log } = setup();
    const d = device(core, 'AM-1', { risk: 'high' });
    const p = plan(core, d, 'inspection', '1m', '2025-01-01', { mode: 'fixed', windowDays: 3, graceDays: 0 }).id;
    const wrong = log(p, '2025-01-01'); // pass, corrected to not done other
    clock.set('2025-01-02T12:00:00Z');
    inTransaction(core, (c) => recordCompletion(c, testActor, { planId: p, performedAt: '2025-01-01T15:00:00Z', outcome: 'not_done_other', source: 'app', amendsId: wrong.id, amendReason: 'not done' }));
    clock.set('2025-06-01T12:00:00Z');
    const r = complianceReport(core, P('2025-01-01', '2025-01-31'));
    expect(v(r.total)).toEqual([1, 0, 0, 1, 0, 0]);
  });

  it('empty database: no rate', () => {
    const { core } = setup();
    const r = complianceReport(core, P('2025-01-01', '2025-03-31'));
    expect(r.total.completionRate).toBeNull();
    const csv = Papa.parse<Record<string, string>>(complianceCsv(core, P('2025-01-01', '2025-03-31'), 'summary').content, { header: true, skipEmptyLines: true }).data;
    expect(csv.at(-1)!.completion_rate_percent).toBe('');
  });
});
