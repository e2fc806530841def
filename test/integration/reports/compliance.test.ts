import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { complianceCsv, complianceDocument, complianceReport } from '../../../main/core/reports/compliance';
import { recordCompletion } from '../../../main/core/completions/record';
import { listLocations } from '../../../main/core/locations/service';
import { deactivatePlan } from '../../../main/core/plans/service';
import { changeServiceStatus } from '../../../main/core/status/history';
import { updateSettings } from '../../../main/core/settings/service';
import type { ComplianceParamsValue } from '../../../shared/domain/report-compliance';
import { ComplianceParams } from '../../../shared/domain/report-compliance';
import type { Outcome } from '../../../shared/scheduling';
import { bulkPlans } from '../../helpers/bulk-plans';
import { fixedClock, testActor, testCore } from '../../helpers/core';
import { device, plan } from '../plans/fixtures';
import { filterLines } from '../../helpers/print-header';

const Q1 = { from: '2025-01-01', to: '2025-03-31' };
const at = (day: string) => `${day}T10:00:00Z`;

/**
 * The hand-computed fixture (docs/scheduling.md, "Compliance"), Q1 2025 judged on 1 June 2025:
 * A  HR-1 high   calibration   fixed 1m from 2024-12-01, window 3: done 30 Dec (Jan 1 on time),
 *    10 Feb (Feb 1 late), 30 Mar (counts for Apr 1, so Mar 1 is passed over: missed).
 * B  HR-1 high   electrical    floating 1m from 2025-01-10, grace 2: done 11 Jan (on time); not done,
 *    in use, 12 Feb and done 20 Feb (Feb 11 exempt); Mar 20 never done (missed).
 * G  HR-1 high   inspection    fixed 1m from 2025-01-01, deactivated 15 Feb: Jan 1 and Feb 1 missed.
 * C  MR-1 medium calibration   floating 3m from 2025-01-15: done 5 Jan, amended to 20 Jan: late.
 * D  LR-1 low    inspection    fixed 1m from 2025-01-01, never done: Jan 1, Feb 1, Mar 1 missed.
 * E  NR-1 none   cleaning      fixed 1w from 2025-03-17, window 0, grace 1: 18 Mar on time; fail 24 Mar,
 *    done 26 Mar (Mar 24 late); Mar 31 still in its grace at the end: not yet due.
 * F  HR-2 high   calibration   in Clinic Nord, fixed 1m from 2025-01-01, never done (outside General Hospital).
 */
function fixture() {
  const clock = fixedClock('2025-02-15T12:00:00Z');
  const core = testCore({ clock });
  const gh = 'General Hospital > Ward 4B > Bay 1';
  const hr1 = device(core, 'HR-1', { name: 'Defibrillator', location: gh, risk: 'high' });
  const mr1 = device(core, 'MR-1', { name: 'Infusion pump', location: gh, risk: 'medium' });
  const lr1 = device(core, 'LR-1', { name: 'Patient scale', location: 'General Hospital > Ward 4A', risk: 'low' });
  const nr1 = device(core, 'NR-1', { name: 'Suction unit', location: gh });
  const hr2 = device(core, 'HR-2', { name: 'Ventilator', location: 'Clinic Nord > Room 1', risk: 'high' });
  const a = plan(core, hr1, 'calibration', '1m', '2024-12-01', { mode: 'fixed' }).id;
  const b = plan(core, hr1, 'electrical_safety', '1m', '2025-01-10', { graceDays: 2 }).id;
  const g = plan(core, hr1, 'inspection', '1m', '2025-01-01', { mode: 'fixed' }).id;
  const c = plan(core, mr1, 'calibration', '3m', '2025-01-15').id;
  plan(core, lr1, 'inspection', '1m', '2025-01-01', { mode: 'fixed' });
  const e = plan(core, nr1, 'cleaning', '1w', '2025-03-17', { mode: 'fixed', windowDays: 0, graceDays: 1 }).id;
  plan(core, hr2, 'calibration', '1m', '2025-01-01', { mode: 'fixed' });
  inTransaction(core, (core) => deactivatePlan(core, testActor, g));
  clock.set('2025-06-01T12:00:00Z');
  // Each record entered on the day of the work, as a technician would; the correction later.
  const log = (planId: string, day: string, outcome: Outcome = 'pass', extra: { amendsId?: string; amendReason?: string } = {}) => {
    if (!extra.amendsId) clock.set(`${day}T18:00:00Z`);
    const done = inTransaction(core, (core) => recordCompletion(core, testActor, { planId, performedAt: at(day), outcome, source: 'app', ...extra }));
    clock.set('2025-06-01T12:00:00Z');
    return done;
  };
  log(a, '2024-12-30');
  log(a, '2025-02-10');
  log(a, '2025-03-30');
  log(b, '2025-01-11');
  log(b, '2025-02-12', 'not_done_in_use');
  log(b, '2025-02-20');
  const wrong = log(c, '2025-01-05');
  clock.set('2025-06-01T12:05:00Z');
  log(c, '2025-01-20', 'pass', { amendsId: wrong.id, amendReason: 'Typed the wrong date.' });
  log(e, '2025-03-18');
  log(e, '2025-03-24', 'fail');
  log(e, '2025-03-26');
  const generalHospital = listLocations(core).find((l) => l.path === 'General Hospital')!.id;
  return { core, generalHospital };
}

const params = (p: Partial<ComplianceParamsValue> = {}): ComplianceParamsValue => ComplianceParams.parse({ ...Q1, ...p });
const counts = (s: {
  due: number;
  onTime: number;
  late: number;
  missed: number;
  exempt: number;
  open: number;
  completionRate: number | null;
}) => [
  s.due,
  s.onTime,
  s.late,
  s.missed,
  s.exempt,
  s.open,
  s.completionRate === null ? null : Math.round(s.completionRate * 10_000) / 10_000,
];

describe('the compliance report (rule 13)', () => {
  it('counts each task type and risk class of General Hospital as computed by hand', () => {
    const { core, generalHospital } = fixture();
    const report = complianceReport(core, params({ locationIds: [generalHospital] }));
    expect(report.judgedOn).toBe('2025-03-31');
    // [due, on time, late, missed, exempt, not yet due, rate]
    expect(report.rows.map((r) => [r.task, r.risk, r.plans, ...counts(r)])).toEqual([
      ['calibration', 'high', 1, 3, 1, 1, 1, 0, 0, 0.3333],
      ['calibration', 'medium', 1, 1, 0, 1, 0, 0, 0, 0],
      ['electrical_safety', 'high', 1, 3, 1, 0, 1, 1, 0, 0.5],
      ['inspection', 'high', 1, 2, 0, 0, 2, 0, 0, 0],
      ['inspection', 'low', 1, 3, 0, 0, 3, 0, 0, 0],
      ['cleaning', 'none', 1, 2, 1, 1, 0, 0, 1, 0.5],
    ]);
    expect(counts(report.highRisk.summary)).toEqual([8, 2, 1, 4, 1, 0, 0.2857]);
    expect(report.highRisk.devices).toBe(1);
    expect(counts(report.total)).toEqual([14, 3, 3, 7, 1, 1, 0.2308]);
    expect(report.highRisk.exceptions.map((x) => [x.assetTag, x.task, x.dueOn, x.verdict, x.doneOn, x.note])).toEqual([
      ['HR-1', 'calibration', '2025-02-01', 'late', '2025-02-10', null],
      ['HR-1', 'calibration', '2025-03-01', 'missed', null, null],
      ['HR-1', 'electrical_safety', '2025-02-11', 'exempt', '2025-02-20', 'Not done: in use (2025-02-12)'],
      ['HR-1', 'electrical_safety', '2025-03-20', 'missed', null, null],
      ['HR-1', 'inspection', '2025-01-01', 'missed', null, null],
      ['HR-1', 'inspection', '2025-02-01', 'missed', null, null],
    ]);
  });

  it('lists occurrences due while a device was out of service as exempt ("out of service"), keeping it in the high-risk table (issue 16)', () => {
    const { core } = fixture();
    const clock = core.clock as ReturnType<typeof fixedClock>;
    const hr2 = (core.db.prepare("SELECT id FROM equipment WHERE asset_tag = 'HR-2'").get() as { id: string }).id;
    // Out of service from 25 January (a fault) to 5 March: its Feb 1 and Mar 1 calibrations fell in that spell.
    clock.set('2025-01-25T09:00:00Z');
    inTransaction(core, (core) => changeServiceStatus(core, testActor, hr2, { status: 'out_of_service', reason: 'Fan noise' }, { cause: 'fault' }));
    clock.set('2025-03-05T09:00:00Z');
    inTransaction(core, (core) => changeServiceStatus(core, testActor, hr2, { status: 'in_service', reason: null }, { cause: 'work_order' }));
    clock.set('2025-06-01T12:00:00Z');
    const report = complianceReport(core, params({ risks: ['high'], tasks: ['calibration'] }));
    const hr2Rows = report.highRisk.exceptions.filter((x) => x.assetTag === 'HR-2').map((x) => [x.dueOn, x.verdict, x.outOfService, x.note]);
    expect(hr2Rows).toEqual([
      ['2025-01-01', 'missed', false, null],
      ['2025-02-01', 'exempt', true, 'Out of service on the due date: Fan noise'],
      ['2025-03-01', 'exempt', true, 'Out of service on the due date: Fan noise'],
    ]);
    expect(report.highRisk.devices).toBe(2);
    expect(report.rows.find((r) => r.task === 'calibration' && r.risk === 'high')).toMatchObject({ plans: 2, missed: 2, exempt: 2 });
  });

  it('takes every location when none is named, and narrows by task and risk', () => {
    const { core } = fixture();
    const all = complianceReport(core, params());
    expect(all.rows.find((r) => r.task === 'calibration' && r.risk === 'high')).toMatchObject({ plans: 2, due: 6, onTime: 1, missed: 4 });
    expect(all.highRisk.devices).toBe(2);
    const high = complianceReport(core, params({ risks: ['high'], tasks: ['calibration'] }));
    expect(high.rows.map((r) => [r.task, r.risk])).toEqual([['calibration', 'high']]);
    expect(high.highRisk.exceptions.map((x) => x.assetTag)).toEqual(['HR-2', 'HR-2', 'HR-2', 'HR-1', 'HR-1']);
  });

  it('judges a period that is not over on today, leaving what is still within its grace as not yet due', () => {
    const { core, generalHospital } = fixture();
    const report = complianceReport(core, params({ locationIds: [generalHospital], from: '2025-05-01', to: '2025-12-31' }));
    expect(report.judgedOn).toBe('2025-06-01');
    const cleaning = report.rows.find((r) => r.task === 'cleaning')!;
    // Weekly from 17 Mar: May 5 … Jun 2 fall in the judged part (May 5–26 missed, Jun 2 not yet due), the rest not yet due.
    expect(cleaning.missed).toBe(4);
    expect(cleaning.onTime + cleaning.late + cleaning.exempt).toBe(0);
    expect(cleaning.open).toBeGreaterThan(20);
  });

  it('prints the filter in words and writes both CSVs', () => {
    const { core, generalHospital } = fixture();
    inTransaction(core, (core) => updateSettings(core, testActor, { dateFormat: 'yyyy-MM-dd' }));
    const doc = complianceDocument(
      core,
      { ...testActor, name: 'Sam Supervisor' },
      params({ locationIds: [generalHospital], risks: ['high'] }),
    );
    expect(doc.header).toMatchObject({
      title: 'Compliance report',
      printedBy: 'Sam Supervisor',
      // The PDF names its filter as the CSV files do.
      fileName: 'compliance-2025-01-01-to-2025-03-31-general-hospital-risk-high',
    });
    expect(filterLines(doc.header)).toEqual([
      'Period: 2025-01-01 to 2025-03-31',
      'Locations: General Hospital',
      'Tasks: all',
      'Risk: high',
      // Narrowed to a place: the page says that a device counts where it is now (docs/scheduling.md, rule 13).
      'Equipment and stock counted where they are on 2025-06-01: one moved since the period counts, with all its occurrences in it, under its new place',
    ]);

    const summary = complianceCsv(core, params({ locationIds: [generalHospital] }), 'summary');
    expect(summary.fileName).toBe('compliance-2025-01-01-to-2025-03-31-general-hospital.csv');
    const rows = Papa.parse<Record<string, string>>(summary.content, { header: true, skipEmptyLines: true }).data;
    expect(rows[0]).toEqual({
      task: 'calibration',
      task_label: 'Calibration',
      risk: 'high',
      plans: '1',
      due: '3',
      on_time: '1',
      late: '1',
      missed: '1',
      exempt: '0',
      open: '0',
      completion_rate_percent: '33.33',
      imported_unsigned: '0',
      entered_late: '0',
    });
    expect(rows.at(-2)).toMatchObject({ task: 'all', risk: 'high', due: '8', completion_rate_percent: '28.57' });
    expect(rows.at(-1)).toMatchObject({ task: 'all', risk: 'all', due: '14', completion_rate_percent: '23.07' });
    expect(summary.content.endsWith('\r\n')).toBe(true);

    const exceptions = complianceCsv(core, params({ locationIds: [generalHospital] }), 'high_risk');
    expect(exceptions.fileName).toBe('compliance-2025-01-01-to-2025-03-31-general-hospital-high-risk.csv');
    const x = Papa.parse<Record<string, string>>(exceptions.content, { header: true, skipEmptyLines: true }).data;
    expect(x).toHaveLength(6);
    expect(x[2]).toEqual({
      asset_tag: 'HR-1',
      name: 'Defibrillator',
      location: 'General Hospital > Ward 4B > Bay 1',
      task: 'electrical_safety',
      due_on: '2025-02-11',
      verdict: 'exempt',
      done_on: '2025-02-20',
      note: 'Not done: in use (2025-02-12)',
      imported_unsigned: 'no',
      entered_on: '',
      out_of_service: 'no',
    });
  });

  it('refuses a period that ends before it starts', () => {
    expect(ComplianceParams.safeParse({ from: '2025-03-31', to: '2025-01-01' }).error?.issues[0]).toMatchObject({ path: ['to'] });
  });

  it('reads thousands of plans and their history with a fixed number of statements', () => {
    const clock = fixedClock('2025-06-01T12:00:00Z');
    const core = testCore({ clock });
    const first = device(core, 'BULK-00000', { location: 'General Hospital > Ward 1', risk: 'high' });
    plan(core, first, 'cleaning', '1w', '2024-01-01', { mode: 'fixed', windowDays: 0 });
    // 2,000 devices with a weekly plan each and 60 weeks of history: 120,000 completions, written directly.
    bulkPlans(core, {
      count: 2000,
      like: first,
      plan: { task: 'cleaning', interval: [1, 'week'], startDate: '2024-01-01', windowDays: 0, graceDays: 0, nextDue: '2025-06-02', dueFrom: '2025-06-02' },
      time: '10:00',
      // Every third week a day late.
      days: () => Array.from({ length: 60 }, (_, w) => new Date(Date.UTC(2024, 0, 1 + w * 7 + (w % 3 === 0 ? 1 : 0))).toISOString().slice(0, 10)),
    });
    // Statements are prepared once per connection and cached: each run is counted on a connection
    // of its own, so the count is of the distinct statements the report needs.
    const statementsOf = <T>(run: (c: typeof core) => T): { value: T; statements: number } => {
      const fresh = testCore({ clock, dataDir: core.dataDir });
      let statements = 0;
      const prepare = fresh.db.prepare.bind(fresh.db);
      fresh.db.prepare = ((sql: string) => {
        statements += 1;
        return prepare(sql);
      }) as typeof fresh.db.prepare;
      const value = run(fresh);
      fresh.close();
      return { value, statements };
    };
    const { value: report, statements: statementsForAll } = statementsOf((c) => complianceReport(c, params({ from: '2024-01-01', to: '2025-03-31' })));
    expect(report.rows).toEqual([expect.objectContaining({ task: 'cleaning', risk: 'high', plans: 2001 })]);
    // Every 3rd week done a day late (grace 0), the rest on time, nothing after 17 Feb 2025; the
    // template plan never done. 31 March is still in its day at the end of the period.
    const cleaning = report.rows[0]!;
    expect(counts(cleaning).slice(1, 6)).toEqual([2000 * 40, 2000 * 20, 2000 * 5 + 65, 0, 2001]);
    // The statements do not grow with the number of plans (no query per plan or occurrence).
    const { statements } = statementsOf((c) => complianceReport(c, params({ from: '2024-01-01', to: '2025-03-31', tasks: ['cleaning'] })));
    expect(statements).toBe(statementsForAll);
    expect(statements).toBeLessThan(12);
  }, 120_000);
});
