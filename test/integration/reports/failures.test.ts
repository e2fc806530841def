import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { FAILURE_WORK_ORDER_FIELDS, FAILURES_FIELDS } from '../../../main/core/reports/failures';
import { failuresWorld } from '../repairs/fixture';
import { testBackend } from '../../helpers/core';
import { caller } from '../../helpers/invoke';
import { filterLines } from '../../helpers/print-header';

const period = { from: '2026-11-25', to: '2026-11-26' };

describe('the failures report', () => {
  it('counts the work orders reported in the period’s local days by category, model and code, beside the devices of each', async () => {
    const w = await failuresWorld();
    const { report, header } = await w.as(w.tom)('reports.failures', period);
    // WO-0001 (a minute before the first day) and WO-0006 (the first minute after the last) are outside.
    expect(report.workOrders.map((o) => [o.ref, o.kind])).toEqual([
      ['WO-0002', 'failure'],
      ['WO-0003', 'no_fault_found'],
      ['WO-0004', 'not_diagnosed'],
      ['WO-0005', 'not_diagnosed'],
    ]);
    // REF-1, IP-1, IP-7, IP-8, IP-9, IP-10, IP-12; not IP-11, added after the period.
    expect(report.total).toEqual({ devices: 7, workOrders: 4, failures: 1, noFaultFound: 1, notDiagnosed: 2 });
    expect(report.byCategory).toEqual([
      { name: 'Infusion pump', devices: 5, workOrders: 3, failures: 1, noFaultFound: 1, notDiagnosed: 1 },
      { name: null, devices: 2, workOrders: 1, failures: 0, noFaultFound: 0, notDiagnosed: 1 },
    ]);
    expect(report.byModel).toEqual([
      { name: null, devices: 4, workOrders: 1, failures: 1, noFaultFound: 0, notDiagnosed: 0 },
      { name: 'Baxter Sigma', devices: 2, workOrders: 2, failures: 0, noFaultFound: 1, notDiagnosed: 1 },
      { name: 'Philips MX450', devices: 1, workOrders: 1, failures: 0, noFaultFound: 0, notDiagnosed: 1 },
    ]);
    // The deleted code still counts under its name, marked; the undiagnosed ones last, not dropped.
    expect(report.byFailureCode.map((c) => [c.label, c.deleted, c.workOrders])).toEqual([
      ['Mechanical', true, 1],
      ['No fault found', false, 1],
      ['Not yet diagnosed', false, 2],
    ]);
    expect(report.byFailureCode.at(-1)!.codeId).toBeNull();
    expect(report.byCauseCode.map((c) => [c.label, c.workOrders])).toEqual([
      ['Use error', 1],
      ['Wear', 1],
    ]);
    expect(report.workOrders[0]).toMatchObject({
      assetTag: 'IP-7',
      failureCode: { label: 'Mechanical', deleted: true },
      causeCode: { label: 'Wear', deleted: false },
    });
    // Its days marked as days: the print window writes them the Settings way, as it writes the rows (print-date-columns.e2e.test.ts).
    expect(header).toMatchObject({ title: 'Failures report' });
    expect(header.filter[0]).toEqual([{ text: 'Period: ' }, { day: '2026-11-25' }, { text: ' to ' }, { day: '2026-11-26' }]);
    expect(filterLines(header)).toEqual(['Period: 2026-11-25 to 2026-11-26', 'Locations: all']);
  });

  it('counts a work order whose repair record was corrected to "not done" (logged on the wrong pump) as not yet diagnosed, its codes not counted', async () => {
    const w = await failuresWorld();
    const before = await w.as(w.tom)('reports.failures', period);
    const wo2 = before.report.workOrders.find((o) => o.ref === 'WO-0002')!;
    const { repairCompletionId } = await w.as(w.tom)('workOrders.get', { id: wo2.id });
    w.clock.set('2026-11-27T09:00:00Z');
    w.tom.lastActivityMs = w.clock.now().getTime();
    await w.as(w.tom)('completions.amend', {
      amendsId: repairCompletionId!,
      result: { kind: 'not_done', reason: 'other', explanation: 'Logged on the wrong pump' },
      reason: 'Wrong pump',
      secret: '1357',
    });
    const { report } = await w.as(w.tom)('reports.failures', period);
    expect(report.workOrders.find((o) => o.ref === 'WO-0002')).toMatchObject({ kind: 'not_diagnosed', failureCode: null, causeCode: null });
    expect(report.total).toEqual({ devices: 7, workOrders: 4, failures: 0, noFaultFound: 1, notDiagnosed: 3 });
    expect(report.byFailureCode.map((c) => [c.label, c.workOrders])).toEqual([
      ['No fault found', 1],
      ['Not yet diagnosed', 3],
    ]);
    expect(report.byCauseCode.map((c) => [c.label, c.workOrders])).toEqual([['Use error', 1]]);
  });

  it('keeps to a ward: its devices and the work orders on them', async () => {
    const w = await failuresWorld();
    const c = await w.as(w.tom)('reports.failures', { ...period, locationIds: [w.ward4c.id] });
    expect(c.report.total).toEqual({ devices: 1, workOrders: 1, failures: 0, noFaultFound: 0, notDiagnosed: 1 });
    expect(c.report.workOrders.map((o) => o.assetTag)).toEqual(['IP-9']);
    expect(filterLines(c.header)).toContain('Locations: General Hospital > Ward 4C');
    const b = await w.as(w.tom)('reports.failures', { ...period, locationIds: [w.ward.id] });
    expect(b.report.workOrders.map((o) => o.ref)).toEqual(['WO-0002', 'WO-0003', 'WO-0005']);
    expect(b.report.total.devices).toBe(4);
    // One day: the 26th holds only WO-0005 (reported 23:59 local).
    const last = await w.as(w.tom)('reports.failures', { from: '2026-11-26', to: '2026-11-26' });
    expect(last.report.workOrders.map((o) => o.ref)).toEqual(['WO-0005']);
  });

  it('exports the counts and the work orders as CSV, and refuses a period that ends before it starts', async () => {
    const w = await failuresWorld();
    const summary = await w.as(w.tom)('reports.failuresCsv', { params: period, part: 'summary' });
    expect(summary.fileName).toBe('failures-2026-11-25-to-2026-11-26.csv');
    const rows = Papa.parse<Record<string, string>>(summary.content, { header: true, skipEmptyLines: true });
    expect(rows.meta.fields).toEqual([...FAILURES_FIELDS]);
    expect(rows.data.find((r) => r.group === 'category' && r.name === 'Infusion pump')).toMatchObject({
      devices: '5',
      work_orders: '3',
      failures: '1',
      failures_per_device: '0.20',
    });
    expect(rows.data.find((r) => r.group === 'failure_code' && r.name === 'Mechanical')).toMatchObject({
      deleted: 'yes',
      work_orders: '1',
    });
    const orders = await w.as(w.tom)('reports.failuresCsv', { params: period, part: 'work_orders' });
    const list = Papa.parse<Record<string, string>>(orders.content, { header: true, skipEmptyLines: true });
    expect(list.meta.fields).toEqual([...FAILURE_WORK_ORDER_FIELDS]);
    expect(list.data.map((r) => [r.work_order, r.kind, r.failure_code, r.failure_code_deleted])).toEqual([
      ['WO-0002', 'failure', 'Mechanical', 'yes'],
      ['WO-0003', 'no_fault_found', 'No fault found', 'no'],
      ['WO-0004', 'not_diagnosed', '', ''],
      ['WO-0005', 'not_diagnosed', '', ''],
    ]);
    const refused = await w.backend.invoke(w.tom, 'reports.failures', { from: '2026-11-26', to: '2026-11-25' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'to' } });
    const forbidden = await w.backend.invoke(w.nia, 'reports.failures', period);
    expect(forbidden).toMatchObject({ ok: false });
  });

  it('prints the open work orders by ward, oldest first, and the downtime report under a head', async () => {
    const w = await failuresWorld();
    const open = await w.as(w.tom)('reports.openWorkOrders', {});
    expect(open.view).toBe('open-work-orders');
    // WO-0002 and WO-0003 are repaired (still open until returned); the site's none.
    expect(open.rows.map((r) => [r.wardPath, r.ref])).toEqual([
      ['General Hospital > Ward 4B', 'WO-0001'],
      ['General Hospital > Ward 4B', 'WO-0002'],
      ['General Hospital > Ward 4B', 'WO-0003'],
      ['General Hospital > Ward 4B', 'WO-0005'],
      ['General Hospital > Ward 4B', 'WO-0006'],
      ['General Hospital > Ward 4C', 'WO-0004'],
    ]);
    const c = await w.as(w.tom)('reports.openWorkOrders', { locationId: w.ward4c.id });
    expect(c.rows.map((r) => r.ref)).toEqual(['WO-0004']);
    const downtime = await w.as(w.tom)('reports.downtimeDocument', period);
    expect(downtime).toMatchObject({
      view: 'downtime',
      header: { title: 'Downtime report' },
      noEquipment: false,
    });
    expect(filterLines(downtime.header)).toEqual(['Period: 2026-11-25 to 2026-11-26', 'Locations: all']);
    expect(open.noEquipment).toBe(false);
  });

  it('on a database with no equipment, the documents say so, so the paper gives no all-clear', async () => {
    const b = testBackend('supervisor');
    const call = caller(b.backend, b.session);
    expect(await call('reports.downtimeDocument', period)).toMatchObject({ view: 'downtime', noEquipment: true, report: { devices: [] } });
    expect(await call('reports.openWorkOrders', {})).toMatchObject({ view: 'open-work-orders', noEquipment: true, rows: [] });
  });

  it('counts a device retired in the period, and not one retired before it', async () => {
    const w = await failuresWorld();
    w.clock.set('2026-11-27T06:00:00Z');
    w.admin.lastActivityMs = w.clock.now().getTime();
    await w.call('equipment.setStatus', { id: w.analyser.id, status: 'retired', reason: 'Beyond economic repair' });
    const devices = async (from: string, to: string) => (await w.as(w.admin)('reports.failures', { from, to })).report.total.devices;
    // All eight devices, REF-1 retired on the 27th among them.
    expect(await devices('2026-11-27', '2026-11-27')).toBe(8);
    expect(await devices('2026-11-28', '2026-11-30')).toBe(7);
  });
});
