import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../main/core/backend';
import { complianceCsv } from '../../../main/core/reports/compliance';
import { dueListDocument } from '../../../main/core/reports/due-export';
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

describe('the due list header names every criterion', () => {
  it('"Scheduled" alone with no number of days, or 0: the Status line says none are listed rather than nothing', () => {
    const { core } = hospital();
    const status = (p: object) => dueListDocument(core, testActor, DueListParams.parse(p)).header.filter.find((l) => l.startsWith('Status:'));
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
    expect(res.value.header.filter).toContain('Tasks: Calibration (1 record of other tasks left out)');
    expect(res.value.header.fileName).toBe('history-HR-1-calibration');
    const all = await backend.invoke(session, 'reports.history', { equipmentId: hr });
    if (!all.ok) throw new Error(all.error.message);
    expect(all.value.records).toHaveLength(3);
  });
});
