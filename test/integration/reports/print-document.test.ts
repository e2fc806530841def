import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../main/core/backend';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import type { PrintPort } from '../../../main/core/ports';
import { recordCompletion } from '../../../main/core/completions/record';
import { setEquipmentStatus } from '../../../main/core/equipment/service';
import { updateSettings } from '../../../main/core/settings/service';
import { newSession } from '../../../main/core/session';
import type { PrintJob } from '../../../shared/domain/report';
import type { PrintJobData } from '../../../shared/domain/report-documents';
import type { HistoryDocument } from '../../../shared/domain/report-history';
import type { StickersDocument } from '../../../shared/domain/report-stickers';
import type { Result } from '../../../shared/result';
import { fixedClock, testActor, testCore } from '../../helpers/core';
import { device, plan } from '../plans/fixtures';
import { signedInUser } from '../../helpers/users';
import { formatDate } from '../../../shared/date-format';
import { filterLines } from '../../helpers/print-header';

type Role = 'technician' | 'supervisor' | 'admin';

/** A backend whose print port records its jobs and, like the hidden window, fetches each job's document with no one signed in. */
function setup(role: Role = 'supervisor') {
  const core = testCore({ clock: fixedClock('2025-11-25T14:00:00Z') });
  const jobs: { job: PrintJob; fetched: Result<unknown> }[] = [];
  const port: PrintPort = {
    async run(job) {
      const token = /job=([0-9a-f-]{36})/.exec(job.route)?.[1];
      const window = newSession();
      const fetched = await backend.invoke(window, 'print.job', { token });
      jobs.push({ job, fetched });
      // Anything but its job is closed to the print window.
      expect(await backend.invoke(window, 'reports.dueList', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
      return job.action === 'pdf' ? { status: 'saved', path: `/tmp/${job.fileName}` } : { status: 'printed' };
    },
  };
  const backend = createBackend(core, {
    logError: (err) => {
      throw err;
    },
    ports: { print: port },
  });
  const session = newSession(core.clock.now().getTime());
  signedInUser(core, role, { name: `Pat ${role}`, session });
  return { core, backend, session, jobs };
}

function calibrated(core: ReturnType<typeof testCore>) {
  const pump = device(core, 'IP-0001', { name: 'Infusion pump', location: 'General Hospital > Ward 4B > Bay 1', risk: 'high' });
  const defib = device(core, 'DF-0002', { name: 'Defibrillator', location: 'General Hospital > Ward 4A > Bay 2', risk: 'high' });
  const scale = device(core, 'SC-0003', { name: 'Scale', location: 'General Hospital > Ward 4A > Bay 1' });
  const pumpCal = plan(core, pump, 'calibration', '1y', '2025-11-01').id;
  const defibCal = plan(core, defib, 'calibration', '6m', '2025-11-01').id;
  const scaleCal = plan(core, scale, 'calibration', '1y', '2025-11-01').id;
  inTransaction(core, (core) => recordCompletion(core, testActor, {
    planId: pumpCal,
    performedAt: '2025-11-25T09:00:00Z',
    outcome: 'pass',
    performedByName: 'Grace Hopper',
    source: 'app',
  }));
  inTransaction(core, (core) => recordCompletion(core, testActor, {
    planId: defibCal,
    performedAt: '2025-11-25T10:00:00Z',
    outcome: 'fail',
    performedByName: 'Alan Turing',
    source: 'app',
  }));
  inTransaction(core, (core) => recordCompletion(core, testActor, {
    planId: scaleCal,
    performedAt: '2025-11-24T10:00:00Z',
    outcome: 'pass_adjusted',
    performedByName: 'Ada King-Lovelace',
    source: 'app',
  }));
  return { pump, defib, scale };
}

describe('print.document and the print job', () => {
  it("builds the document with the caller's session, hands it to the port by a token that dies with the job", async () => {
    const { core, backend, session, jobs } = setup();
    calibrated(core);
    const res = await backend.invoke(session, 'print.document', {
      view: 'stickers',
      params: { calibratedOn: '2025-11-25', stock: 'a4-3x8', symbology: 'qr' },
      paper: 'letter',
      action: 'pdf',
    });
    expect(res).toEqual({ ok: true, value: { status: 'saved', path: '/tmp/stickers-2025-11-25.pdf' } });
    expect(jobs).toHaveLength(1);
    const { job, fetched } = jobs[0]!;
    expect(job).toMatchObject({ action: 'pdf', pageSize: { widthMm: 210, heightMm: 297 }, fileName: 'stickers-2025-11-25.pdf' });
    expect(job.route).toMatch(/^\/print\/stickers\?job=[0-9a-f-]{36}&paper=letter$/);
    expect(fetched.ok).toBe(true);
    const data = (fetched as { value: PrintJobData }).value;
    expect(data.paper).toBe('letter');
    const doc = data.document as StickersDocument;
    expect(doc.view).toBe('stickers');
    expect(doc.header.printedBy).toBe('Pat supervisor');
    expect(doc.stickers.map((s) => [s.assetTag, s.kind])).toEqual([
      ['DF-0002', 'do_not_use'],
      ['IP-0001', 'calibrated'],
    ]);
    // The job is over: its token fetches nothing.
    const token = /job=([0-9a-f-]{36})/.exec(job.route)![1];
    expect(await backend.invoke(newSession(), 'print.job', { token })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await backend.invoke(newSession(), 'print.job', { token: 'not-a-token' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });

  it("checks the view's own access and parameters before any window opens", async () => {
    const { core, backend, session, jobs } = setup('technician');
    calibrated(core);
    const stickers = await backend.invoke(session, 'print.document', {
      view: 'stickers',
      params: { calibratedOn: '2025-11-25', stock: 'a4-3x8', symbology: 'qr' },
      action: 'print',
    });
    expect(stickers).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const bad = await backend.invoke(session, 'print.document', { view: 'due-list', params: { withinDays: 'soon' }, action: 'print' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'params.withinDays' } });
    expect(jobs).toHaveLength(0);
    const list = await backend.invoke(session, 'print.document', { view: 'due-list', params: {}, action: 'print' });
    expect(list).toEqual({ ok: true, value: { status: 'printed' } });
    expect(jobs[0]!.job.pageSize).toEqual({ paper: 'a4' });
  });

  it('without a print port (the CLI, the browser tests) says the desktop app is needed', async () => {
    const core = testCore();
    const backend = createBackend(core);
    const session = newSession();
    signedInUser(core, 'technician', { name: 'Sam', session });
    expect(await backend.invoke(session, 'print.document', { view: 'due-list', params: {}, action: 'pdf' })).toEqual({
      ok: false,
      error: { code: 'internal', message: 'Printing and saving as PDF need the Wardkeep desktop app.' },
    });
  });
});

describe('calibration stickers', () => {
  it('calibrated on, next due and the initials of the calibration that counts; DO NOT USE for a device that must not be used', async () => {
    const { core, backend, session } = setup();
    const { pump, defib, scale } = calibrated(core);
    inTransaction(core, (core) =>
      setEquipmentStatus(core, testActor, { id: scale, status: 'missing', reason: 'Not found on the ward round.' }),
    );
    const res = await backend.invoke(session, 'reports.stickers', {
      equipmentIds: [scale, pump, defib],
      stock: 'roll-62x29',
      symbology: 'code128',
    });
    const doc = (res as { value: StickersDocument }).value;
    expect(doc.stickers).toEqual([
      expect.objectContaining({
        assetTag: 'SC-0003',
        kind: 'do_not_use',
        calibratedOn: '2025-11-24',
        initials: 'AKL',
        reason: 'Missing. Not found on the ward round.',
      }),
      expect.objectContaining({
        assetTag: 'IP-0001',
        kind: 'calibrated',
        calibratedOn: '2025-11-25',
        nextDue: '2026-11-25',
        initials: 'GH',
        reason: null,
      }),
      expect.objectContaining({
        assetTag: 'DF-0002',
        kind: 'do_not_use',
        calibratedOn: null,
        nextDue: '2025-11-01',
        reason: expect.stringMatching(/^Out of service\. Tagged out: failed calibration on 2025-11-25/),
      }),
    ]);
    expect(doc.skip).toBe(0);
    expect(filterLines(doc.header)).toEqual([
      'Devices chosen: 3',
      'Labels: Label printer roll, 62 × 29 mm; Code 128 barcode',
      'DO NOT USE stickers: 2',
    ]);
    // An overdue calibration on a device in service also means DO NOT USE.
    const late = device(core, 'LT-0004', { location: 'General Hospital > Ward 4A > Bay 1' });
    plan(core, late, 'calibration', '1y', '2025-10-01');
    const overdue = (await backend.invoke(session, 'reports.stickers', {
      equipmentIds: [late],
      stock: 'a4-3x8',
      symbology: 'qr',
      skip: 5,
    })) as { value: StickersDocument };
    expect(overdue.value.stickers[0]).toMatchObject({ kind: 'do_not_use', reason: `Calibration is 55 days overdue (due ${formatDate('2025-10-01', 'locale')}).` });
    expect(overdue.value.skip).toBe(5);
    expect(
      await backend.invoke(session, 'reports.stickers', { calibratedOn: '2025-01-01', stock: 'a4-3x8', symbology: 'qr' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not_found', field: 'calibratedOn' },
    });
    expect(await backend.invoke(session, 'reports.stickers', { stock: 'a4-3x8', symbology: 'qr' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });
});

describe('calibration stickers for every device calibrated on a day', () => {
  it('leaves out a device whose calibration that day was only logged as not done, and says so when no other was calibrated', async () => {
    const { core, backend, session } = setup();
    inTransaction(core, (c) => updateSettings(c, testActor, { dateFormat: 'dd/MM/yyyy' }));
    const pump = device(core, 'IP-0001', { name: 'Infusion pump', location: 'General Hospital > Ward 4B > Bay 1' });
    const monitor = device(core, 'MN-0002', { name: 'Monitor', location: 'General Hospital > Ward 4B > Bay 2' });
    const defib = device(core, 'DF-0003', { name: 'Defibrillator', location: 'General Hospital > Ward 4B > Bay 3' });
    const pumpCal = plan(core, pump, 'calibration', '1y', '2025-11-01').id;
    const monCal = plan(core, monitor, 'calibration', '1y', '2025-01-10').id;
    const defibCal = plan(core, defib, 'calibration', '1y', '2025-11-01').id;
    // The monitor was calibrated in January; today the technician could not find it.
    inTransaction(core, (c) =>
      recordCompletion(c, testActor, { planId: monCal, performedAt: '2025-01-10T10:00:00Z', outcome: 'pass', source: 'app' }),
    );
    inTransaction(core, (c) =>
      recordCompletion(c, testActor, { planId: pumpCal, performedAt: '2025-11-25T09:00:00Z', outcome: 'pass', source: 'app' }),
    );
    inTransaction(core, (c) =>
      recordCompletion(c, testActor, {
        planId: monCal,
        performedAt: '2025-11-25T10:00:00Z',
        outcome: 'not_done_not_located',
        source: 'app',
      }),
    );
    inTransaction(core, (c) =>
      recordCompletion(c, testActor, { planId: defibCal, performedAt: '2025-11-25T11:00:00Z', outcome: 'fail', source: 'app' }),
    );
    const res = await backend.invoke(session, 'reports.stickers', { calibratedOn: '2025-11-25', stock: 'a4-3x8', symbology: 'code128' });
    const doc = (res as { value: StickersDocument }).value;
    // The pump passed (a calibration sticker), the defibrillator failed (DO NOT USE); the monitor was not calibrated.
    expect(doc.stickers.map((s) => [s.assetTag, s.kind, s.calibratedOn])).toEqual([
      ['IP-0001', 'calibrated', '2025-11-25'],
      ['DF-0003', 'do_not_use', null],
    ]);
    // The day marked as one: the print window writes it the Settings way (report.ts, HeaderLine).
    expect(doc.header.filter[0]).toEqual([{ text: 'Devices calibrated on ' }, { day: '2025-11-25' }, { text: ': 2' }]);
    expect(filterLines(doc.header, 'dd/MM/yyyy')[0]).toBe('Devices calibrated on 25/11/2025: 2');

    // A day whose only calibration was logged as not done has no sticker to print.
    inTransaction(core, (c) =>
      recordCompletion(c, testActor, { planId: monCal, performedAt: '2025-11-20T10:00:00Z', outcome: 'not_done_in_use', source: 'app' }),
    );
    expect(
      await backend.invoke(session, 'reports.stickers', { calibratedOn: '2025-11-20', stock: 'a4-3x8', symbology: 'code128' }),
    ).toEqual({
      ok: false,
      error: {
        code: 'not_found',
        field: 'calibratedOn',
        message:
          'No device was calibrated on 20/11/2025: no calibration that day passed or failed (one logged as not done prints no sticker).',
      },
    });
  });
});

describe('a device history for the auditor', () => {
  it('is completions.history with the device and the header, amendments marked', async () => {
    const { core, backend, session } = setup('technician');
    const pump = device(core, 'IP-0001', { name: 'Infusion pump', location: 'General Hospital > Ward 4B > Bay 1', risk: 'high' });
    const cal = plan(core, pump, 'calibration', '1y', '2025-11-01').id;
    const first = inTransaction(core, (core) => recordCompletion(core, testActor, { planId: cal, performedAt: '2025-11-20T09:00:00Z', outcome: 'pass', source: 'app' }));
    inTransaction(core, (core) => recordCompletion(core, testActor, {
      planId: cal,
      performedAt: '2025-11-21T09:00:00Z',
      outcome: 'pass',
      source: 'app',
      amendsId: first.id,
      amendReason: 'Wrong day.',
    }));
    const res = await backend.invoke(session, 'reports.history', { equipmentId: pump });
    expect(res.ok).toBe(true);
    const doc = (res as { value: HistoryDocument }).value;
    expect(doc.equipment).toMatchObject({
      assetTag: 'IP-0001',
      name: 'Infusion pump',
      locationPath: 'General Hospital > Ward 4B > Bay 1',
      risk: 'high',
    });
    expect(doc.header).toMatchObject({ title: 'Equipment history: IP-0001 Infusion pump', fileName: 'history-IP-0001' });
    expect(filterLines(doc.header)[2]).toBe('Records: 2 (1 corrected by a later amending record, shown struck through)');
    expect(doc.records.map((r) => [r.performedOn, r.amendsId === first.id, r.amendedById !== null])).toEqual([
      ['2025-11-21', true, false],
      ['2025-11-20', false, true],
    ]);
    expect(await backend.invoke(session, 'reports.history', { equipmentId: '00000000-0000-7000-8000-00000000ffff' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });
});
