import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../main/core/backend';
import { complianceCsv, complianceDocument } from '../../../main/core/reports/compliance';
import { dueExport, dueListDocument } from '../../../main/core/reports/due-export';
import { downtimeCsv, downtimeDocument } from '../../../main/core/reports/downtime';
import { failuresCsv, failuresDocument } from '../../../main/core/reports/failures';
import { openWorkOrdersCsv, openWorkOrdersDocument } from '../../../main/core/reports/open-work-orders';
import { listLocations } from '../../../main/core/locations/service';
import { newSession } from '../../../main/core/session';
import type { ComplianceParamsValue } from '../../../shared/domain/report-compliance';
import { ComplianceParams } from '../../../shared/domain/report-compliance';
import { DueListParams } from '../../../shared/domain/report-due';
import { fixedClock, testActor, testCore } from '../../helpers/core';
import { signedInUser } from '../../helpers/users';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { amendCompletion } from '../../../main/core/completions/logging';
import { AmendFields } from '../../../shared/domain/completion';
import { userRowById } from '../../../main/core/users/service';
import { device, done, plan } from '../plans/fixtures';
import { filterLines } from '../../helpers/print-header';

/**
 * What a supervisor hands an auditor, read as the auditor reads it: CSV files saved side by side,
 * the due list's header, a device's history of one task.
 */

const params = (p: Partial<ComplianceParamsValue> & { from: string; to: string }): ComplianceParamsValue => ComplianceParams.parse(p);

function hospital() {
  const clock = fixedClock('2025-06-01T12:00:00Z');
  const core = testCore({ clock });
  const hr = device(core, 'HR-1', { name: 'Defibrillator', location: 'General Hospital > Ward 4B > Bay 1', risk: 'high' });
  const lr = device(core, 'LR-1', { name: 'Patient scale', location: 'General Hospital > Ward 4A > Bay 1', risk: 'low' });
  const cal = plan(core, hr, 'calibration', '1m', '2025-01-01', { mode: 'fixed', windowDays: 3, graceDays: 3 });
  const insp = plan(core, hr, 'inspection', '1m', '2025-01-01', { mode: 'fixed', windowDays: 3, graceDays: 3 });
  plan(core, lr, 'cleaning', '1w', '2025-01-01', { mode: 'fixed' });
  const ward4b = listLocations(core).find((l) => l.path === 'General Hospital > Ward 4B')!.id;
  return { core, clock, ward4b, hr, cal, insp };
}

describe('the compliance summary CSV of a filtered report', () => {
  it('of one ward and one task: its total rows say what they cover, not "All tasks", and the file name names the filter', () => {
    const { core, ward4b } = hospital();
    const whole = complianceCsv(core, params({ from: '2025-01-01', to: '2025-03-31' }), 'summary');
    const narrow = complianceCsv(core, params({ from: '2025-01-01', to: '2025-03-31', locationIds: [ward4b], tasks: ['calibration'], risks: ['high'] }), 'summary');
    const rows = Papa.parse<Record<string, string>>(narrow.content, { header: true, skipEmptyLines: true }).data;
    expect(rows.filter((r) => r.task === 'all').map((r) => [r.task_label, r.risk])).toEqual([
      ['Calibration only, in General Hospital > Ward 4B', 'high'],
      ['Calibration only, high risk only, in General Hospital > Ward 4B', 'all'],
    ]);
    expect(narrow.fileName).toBe('compliance-2025-01-01-to-2025-03-31-ward-4b-calibration-risk-high.csv');
    expect(whole.fileName).toBe('compliance-2025-01-01-to-2025-03-31.csv');
    const wholeRows = Papa.parse<Record<string, string>>(whole.content, { header: true, skipEmptyLines: true }).data;
    expect(wholeRows.filter((r) => r.task === 'all').map((r) => r.task_label)).toEqual(['All tasks', 'All tasks']);
    // The high-risk exceptions' file names the same filter.
    const x = complianceCsv(core, params({ from: '2025-01-01', to: '2025-03-31', locationIds: [ward4b], tasks: ['calibration'] }), 'high_risk');
    expect(x.fileName).toBe('compliance-2025-01-01-to-2025-03-31-ward-4b-calibration-high-risk.csv');
  });
});

describe('a ward’s files are not named as the whole hospital’s', () => {
  // A supervisor saves the hospital's report and then Ward 4B's beside it, or hands the auditor one:
  // each CSV and each PDF's suggested name says what it was limited to; unfiltered, the names are as before.
  const period = { from: '2025-05-01', to: '2025-05-31' };
  it('downtime and failures: the CSV files and the PDF name the wards ticked', () => {
    const { core, ward4b } = hospital();
    const ward4a = listLocations(core).find((l) => l.path === 'General Hospital > Ward 4A')!.id;
    const ward = { ...period, locationIds: [ward4b] };
    expect(downtimeCsv(core, period).fileName).toBe('downtime-2025-05-01-to-2025-05-31.csv');
    expect(downtimeCsv(core, ward).fileName).toBe('downtime-2025-05-01-to-2025-05-31-ward-4b.csv');
    expect(downtimeDocument(core, testActor, ward).header.fileName).toBe('downtime-2025-05-01-to-2025-05-31-ward-4b');
    expect(failuresCsv(core, period, 'summary').fileName).toBe('failures-2025-05-01-to-2025-05-31.csv');
    expect(failuresCsv(core, { ...period, locationIds: [ward4b, ward4a] }, 'summary').fileName).toBe(
      'failures-2025-05-01-to-2025-05-31-ward-4b-ward-4a.csv',
    );
    expect(failuresCsv(core, ward, 'work_orders').fileName).toBe('failures-2025-05-01-to-2025-05-31-ward-4b-work-orders.csv');
    expect(failuresDocument(core, testActor, ward).header.fileName).toBe('failures-2025-05-01-to-2025-05-31-ward-4b');
  });
  it('compliance: the PDF names the filter as its CSV files do', () => {
    const { core, ward4b } = hospital();
    expect(complianceDocument(core, testActor, params(period)).header.fileName).toBe('compliance-2025-05-01-to-2025-05-31');
    const narrow = params({ ...period, locationIds: [ward4b], tasks: ['calibration'] });
    expect(complianceDocument(core, testActor, narrow).header.fileName).toBe('compliance-2025-05-01-to-2025-05-31-ward-4b-calibration');
    expect(complianceCsv(core, narrow, 'summary').fileName).toBe('compliance-2025-05-01-to-2025-05-31-ward-4b-calibration.csv');
  });
  it('the due list (PDF, CSV, calendar) and the open work orders (PDF, CSV) name the ward and tasks', () => {
    const { core, ward4b } = hospital();
    const ward = DueListParams.parse({ locationIds: [ward4b], tasks: ['calibration'] });
    expect(dueListDocument(core, testActor, DueListParams.parse({})).header.fileName).toBe('due-list-2025-06-01');
    expect(dueListDocument(core, testActor, ward).header.fileName).toBe('due-list-2025-06-01-ward-4b-calibration');
    expect(dueExport(core, ward, 'csv').fileName).toBe('due-list-2025-06-01-ward-4b-calibration.csv');
    expect(dueExport(core, ward, 'ics').fileName).toBe('due-list-2025-06-01-ward-4b-calibration.ics');
    expect(openWorkOrdersDocument(core, testActor, {}).header.fileName).toBe('open-work-orders-2025-06-01');
    expect(openWorkOrdersCsv(core, testActor, { locationId: ward4b }).fileName).toBe('open-work-orders-2025-06-01-ward-4b.csv');
  });
});

describe('the due list header names every criterion', () => {
  it('"Scheduled" alone with no number of days, or 0: the Status line says none are listed rather than nothing', () => {
    const { core } = hospital();
    const status = (p: object) => filterLines(dueListDocument(core, testActor, DueListParams.parse(p)).header).find((l) => l.startsWith('Status:'));
    expect(status({ statuses: ['scheduled'] })).toBe('Status: scheduled (none listed: no number of days was given)');
    expect(status({ statuses: ['scheduled'], withinDays: 0 })).toBe('Status: scheduled within 0 days (none listed)');
    expect(status({ statuses: ['overdue', 'scheduled'], withinDays: 7 })).toBe('Status: overdue, scheduled within 7 days');
    expect(status({})).toBe('Status: overdue, due');
  });
});

describe('the device history printout of one task', () => {
  it('"every calibration of this defibrillator": only its calibrations, with the amendment that corrects one, named in the header', async () => {
    const { core, clock, hr, cal, insp } = hospital();
    clock.set('2025-02-01T12:00:00Z');
    const first = done(core, cal.id, '2025-02-01T10:00:00Z');
    done(core, insp.id, '2025-02-01T11:00:00Z');
    clock.set('2025-02-02T12:00:00Z');
    const backend = createBackend(core);
    const session = newSession(clock.now().getTime());
    const sam = signedInUser(core, 'supervisor', { name: 'Sam Supervisor', session });
    inTransaction(core, (core) =>
      amendCompletion(core, userRowById(core, sam.id)!, AmendFields.parse({ amendsId: first.id, reason: 'It failed: the reading was off', result: { kind: 'outcome', outcome: 'fail' }, secret: '1357' })),
    );
    const res = await backend.invoke(session, 'reports.history', { equipmentId: hr, tasks: ['calibration'] });
    if (!res.ok) throw new Error(res.error.message);
    expect(res.value.records.map((r) => r.task)).toEqual(['calibration', 'calibration']);
    expect(res.value.records.some((r) => r.amendsId === first.id)).toBe(true);
    expect(filterLines(res.value.header)).toContain('Tasks: Calibration (1 record of other tasks left out)');
    expect(res.value.header.fileName).toBe('history-HR-1-calibration');
    const all = await backend.invoke(session, 'reports.history', { equipmentId: hr });
    if (!all.ok) throw new Error(all.error.message);
    expect(all.value.records).toHaveLength(3);
  });
});
