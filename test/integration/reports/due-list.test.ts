import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/index';
import { dueList } from '../../../main/core/due/service';
import { listLocations } from '../../../main/core/locations/service';
import type { ExportFile } from '../../../shared/domain/report';
import type { DueListDocument } from '../../../shared/domain/report-due';
import { fixedClock, tempDir, testBackend, testCore } from '../../helpers/core';
import { device, plan } from '../plans/fixtures';
import { signedInUser } from '../../helpers/users';
import { filterLines } from '../../helpers/print-header';

const AS_OF = '2025-11-25';

/** The hospital of the CLI's due-list tests, plus a device far in the future. */
function hospital(core: ReturnType<typeof testCore>) {
  const pump = device(core, 'IP-0002', {
    name: 'Infusion pump, "volumetric"',
    location: 'General Hospital > Ward 4B > Bay 2',
    risk: 'high',
  });
  const defib = device(core, 'DF-0001', { name: 'Defibrillator', location: 'General Hospital > Ward 4B > Bay 1', risk: 'high' });
  const scale = device(core, 'SC-0003', { name: 'Patient scale', location: 'General Hospital > Ward 4A > Bay 1', risk: 'low' });
  const ecg = device(core, 'EC-0004', { name: 'ECG', location: 'Clinic Nord' });
  plan(core, pump, 'calibration', '1y', '2025-11-15');
  plan(core, defib, 'inspection', '1m', '2025-11-22');
  plan(core, defib, 'electrical_safety', '1y', '2025-11-15');
  plan(core, scale, 'calibration', '1y', '2025-12-10');
  plan(core, ecg, 'cleaning', '1d', '2025-11-25');
  plan(core, scale, 'cleaning', '1w', '2025-12-02');
  plan(core, ecg, 'inspection', '1y', '2026-02-01', { windowDays: 0 });
}

const tags = (rows: { assetTag: string | null; task: string }[]) => rows.map((r) => `${r.assetTag} ${r.task}`);

describe('the due list of the builder', () => {
  it('a due-date range narrows the list and, ending later than the horizon, lists what is scheduled up to its end', () => {
    const core = testCore();
    hospital(core);
    const base = { asOf: AS_OF, sort: 'walk' as const };
    // Walk order: locations in path order (Clinic Nord before General Hospital), then due date.
    expect(tags(dueList(core, { ...base, dueOnOrAfter: '2025-11-20', dueOnOrBefore: '2025-11-30' }))).toEqual([
      'EC-0004 cleaning',
      'DF-0001 inspection',
    ]);
    // Scheduled plans up to the range's end are listed, without a `withinDays`.
    expect(tags(dueList(core, { ...base, dueOnOrAfter: '2025-12-01', dueOnOrBefore: '2026-03-01' }))).toEqual([
      'EC-0004 inspection',
      'SC-0003 cleaning',
      'SC-0003 calibration',
    ]);
    // The statuses still apply: only what is due.
    expect(tags(dueList(core, { ...base, statuses: ['due'], dueOnOrBefore: '2026-03-01' }))).toEqual([
      'EC-0004 cleaning',
      'SC-0003 calibration',
    ]);
    // A range in the past of a plan that is overdue now: listed, it is due on that day.
    expect(tags(dueList(core, { ...base, dueOnOrBefore: '2025-11-15' }))).toEqual(['DF-0001 electrical_safety', 'IP-0002 calibration']);
    // No range: as before.
    expect(dueList(core, { ...base })).toHaveLength(5);
  });

  it('reports.dueList: walk order (location path, then due date), the filter in words, the header', async () => {
    const { core, backend, session } = testBackend('technician', { clock: fixedClock('2025-11-25T09:00:00Z') });
    hospital(core);
    const ward4b = listLocations(core).find((l) => l.path === 'General Hospital > Ward 4B')!.id;
    const res = await backend.invoke(session, 'reports.dueList', {
      locationIds: [ward4b],
      withinDays: 30,
      statuses: ['overdue', 'due', 'scheduled'],
    });
    expect(res.ok).toBe(true);
    const doc = (res as { value: DueListDocument }).value;
    expect(doc.rows.map((r) => [r.location, r.assetTag, r.task, r.dueDate])).toEqual([
      ['General Hospital > Ward 4B > Bay 1', 'DF-0001', 'electrical_safety', '2025-11-15'],
      ['General Hospital > Ward 4B > Bay 1', 'DF-0001', 'inspection', '2025-11-22'],
      ['General Hospital > Ward 4B > Bay 2', 'IP-0002', 'calibration', '2025-11-15'],
    ]);
    expect(doc.counts).toEqual({ overdue: 3, due: 0, scheduled: 0 });
    expect(doc.header).toMatchObject({
      title: 'Due list',
      printedBy: 'Test technician',
      hospitalName: '',
      // The ward's list is not named as the whole hospital's.
      fileName: 'due-list-2025-11-25-ward-4b',
    });
    expect(filterLines(doc.header).slice(0, 3)).toEqual([
      'Locations: General Hospital > Ward 4B',
      'Tasks: all',
      'Status: overdue, due, scheduled within 30 days',
    ]);
    const bad = await backend.invoke(session, 'reports.dueList', { dueOnOrAfter: '25/11/2025' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'dueOnOrAfter' } });
  });

  it('exports the same rows as `wardkeep due`: the CLI columns in CSV, and calendar events with the CLI UIDs', async () => {
    const dataDir = tempDir();
    const core = testCore({ dataDir, clock: fixedClock('2025-11-25T09:00:00Z') });
    hospital(core);
    const { createBackend } = await import('../../../main/core/backend');
    const { newSession } = await import('../../../main/core/session');
    const backend = createBackend(core);
    const session = newSession();
    signedInUser(core, 'technician', { name: 'Sam', session });
    const params = { asOf: AS_OF, withinDays: 30, statuses: ['overdue', 'due', 'scheduled'] };
    const csv = (await backend.invoke(session, 'reports.dueExport', { params, format: 'csv' })) as { ok: true; value: ExportFile };
    expect(csv.value).toMatchObject({ fileName: 'due-list-2025-11-25.csv', mimeType: 'text/csv;charset=utf-8' });

    let stdout = '';
    const code = await runCli(['--data-dir', dataDir, 'due', '--as-of', AS_OF, '--within', '30', '--format', 'csv'], {
      stdout: (t) => (stdout += t),
      stderr: () => undefined,
      env: {},
      cwd: dataDir,
    });
    expect(code).toBe(0);
    const lines = (text: string) => text.split('\r\n').filter(Boolean);
    expect(lines(csv.value.content)[0]).toBe(lines(stdout)[0]);
    expect(lines(csv.value.content).slice(1).sort()).toEqual(lines(stdout).slice(1).sort());
    // Walk order here, status order there: the same rows.
    expect(lines(csv.value.content).slice(1)).not.toEqual(lines(stdout).slice(1));

    const ics = (await backend.invoke(session, 'reports.dueExport', { params, format: 'ics' })) as { ok: true; value: ExportFile };
    expect(ics.value).toMatchObject({ fileName: 'due-list-2025-11-25.ics', mimeType: 'text/calendar;charset=utf-8' });
    const events = new ICAL.Component(ICAL.parse(ics.value.content)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const rows = dueList(core, { asOf: AS_OF, withinDays: 30, sort: 'walk' });
    expect(events.map((e) => e.uid)).toEqual(rows.map((r) => `${r.planId}-${r.dueDate}@wardkeep`));
    expect(events.every((e) => e.startDate.isDate && e.endDate.isDate)).toBe(true);
    expect(events.find((e) => e.summary.includes('IP-0002'))!.summary).toBe(
      'DO NOT USE: Overdue Calibration: IP-0002 Infusion pump, "volumetric"',
    );
    core.close();
  });
});
