import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOWNTIME_FIELDS, FAILURES_FIELDS, REPAIRS_FIELDS } from '../../../main/cli/commands/repairs';
import { cli } from '../trust/helpers';
import { testBackend } from '../../helpers/core';
import { stopWorker } from '../../../main/core/worker/run';
import { failuresWorld, repairsWorld } from './fixture';

/** IP-7 out of service from 2026-11-25 10:00 to 2026-11-26 10:05 UTC (the tests run in America/New_York: days start at 05:00 UTC). */
async function oneRepair() {
  const w = await repairsWorld();
  const { workOrder } = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Alarm', takeOutOfUse: true, secret: '3579' });
  const other = await w.call('equipment.create', { assetTag: 'IP-8', name: 'Infusion pump', locationId: w.ward.id });
  await w.as(w.tom)('workOrders.report', { equipmentId: other.id, problem: 'Cracked case', takeOutOfUse: false, secret: '1357' });
  w.clock.set('2026-11-26T10:00:00Z');
  for (const s of [w.tom, w.nia]) s.lastActivityMs = w.clock.now().getTime();
  await w.as(w.tom)('workOrders.take', { id: workOrder.id, secret: '1357' });
  await w.as(w.tom)('workOrders.repair', { id: workOrder.id, workDone: 'Sensor', failureCodeId: w.code('failure', 'Mechanical'), causeCodeId: w.code('cause', 'Wear'), secret: '1357' });
  w.clock.set('2026-11-26T10:05:00Z');
  await w.as(w.tom)('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
  await w.as(w.tom)('workOrders.return', { id: workOrder.id, secret: '1357' });
  return { dir: path.dirname(w.core.file), w };
}

describe('wardkeep repairs and wardkeep report downtime', () => {
  it('list open work orders (or all) as a table, CSV or JSON with the published fields', async () => {
    const { dir } = await oneRepair();
    const open = await cli(['--data-dir', dir, 'repairs']);
    expect(open.code).toBe(0);
    expect(open.stdout).toMatch(/^WORK ORDER +ASSET TAG +NAME +WARD +STATE +AGE +PROBLEM\nWO-0002 +IP-8 +Infusion pump +General Hospital > Ward 4B +Reported +.* +Cracked case\n\n1 work order\.\n$/);
    const all = JSON.parse((await cli(['--data-dir', dir, 'repairs', '--status', 'all', '--format', 'json'])).stdout) as Record<string, unknown>[];
    expect(all.map((r) => [r.work_order, r.state])).toEqual([
      ['WO-0002', 'reported'],
      ['WO-0001', 'returned'],
    ]);
    expect(Object.keys(all[0]!)).toEqual([...REPAIRS_FIELDS]);
    const csv = await cli(['--data-dir', dir, 'repairs', '--format', 'csv', '--location', 'Ward 4B']);
    expect(csv.stdout.split('\r\n')[0]).toBe(REPAIRS_FIELDS.join(','));
    expect(await cli(['--data-dir', dir, 'repairs', '--status', 'closed'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--status "closed" is not open or all.') });
    expect(await cli(['--data-dir', dir, 'repairs', '--location', 'Ward 9'])).toMatchObject({ code: 1, stderr: expect.stringContaining('--location "Ward 9": there is no such location.') });
  });

  it('on a database with no equipment say so, never an all-clear ("No device was out of service", "No work order is open")', async () => {
    const { core } = testBackend('admin');
    const dir = path.dirname(core.file);
    await stopWorker(core);
    core.close();
    const said = `There is no equipment in the database ${path.join(dir, 'wardkeep.sqlite3')}: nothing to report. Import the inventory (wardkeep import equipment FILE).\n`;
    expect(await cli(['--data-dir', dir, 'report', 'downtime', '--from', '2026-11-01', '--to', '2026-11-30'])).toMatchObject({ code: 0, stdout: said });
    expect(await cli(['--data-dir', dir, 'repairs'])).toMatchObject({ code: 0, stdout: said });
  });

  it('give each device’s downtime over local days, to the minute', async () => {
    const { dir, w } = await oneRepair();
    const both = JSON.parse((await cli(['--data-dir', dir, 'report', 'downtime', '--from', '2026-11-25', '--to', '2026-11-26', '--format', 'json'])).stdout) as Record<string, unknown>[];
    expect(both).toEqual([
      {
        asset_tag: 'IP-7',
        name: 'Infusion pump',
        category: 'Infusion pump',
        model: null,
        location: 'General Hospital > Ward 4B',
        minutes: 24 * 60 + 5,
        spells: [{ start: '2026-11-25T10:00:00.000Z', end: '2026-11-26T10:05:00.000Z', minutes: 1445, reason: 'Fault reported (WO-0001): Alarm. Do not use.', work_order: 'WO-0001' }],
        equipment_id: w.pump.id,
      },
    ]);
    expect(Object.keys(both[0]!)).toEqual([...DOWNTIME_FIELDS]);
    // The second local day only: from 05:00 UTC (midnight in New York) to the return.
    const second = JSON.parse((await cli(['--data-dir', dir, 'report', 'downtime', '--from', '2026-11-26', '--to', '2026-11-26', '--format', 'json'])).stdout) as { minutes: number }[];
    expect(second.map((d) => d.minutes)).toEqual([5 * 60 + 5]);
    const table = await cli(['--data-dir', dir, 'report', 'downtime', '--from', '2026-11-25', '--to', '2026-11-26']);
    expect(table.stdout).toContain('IP-7       Infusion pump  Infusion pump  General Hospital > Ward 4B  1 d 5 min  1445     1');
    expect(await cli(['--data-dir', dir, 'report', 'downtime', '--from', '2026-11-27', '--to', '2026-11-26'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--to 2026-11-26 is before --from 2026-11-27.') });
  });

  it('count failures over local days by category, model and failure code as JSON, CSV or a table', async () => {
    const w = await failuresWorld();
    const dir = path.dirname(w.core.file);
    const run = (...args: string[]) => cli(['--data-dir', dir, 'report', 'failures', '--from', '2026-11-25', '--to', '2026-11-26', ...args]);
    const json = JSON.parse((await run('--format', 'json')).stdout) as {
      from: string;
      total: Record<string, unknown>;
      by_category: Record<string, unknown>[];
      by_failure_code: Record<string, unknown>[];
      work_orders: Record<string, unknown>[];
    };
    expect(json.from).toBe('2026-11-25');
    expect(json.total).toEqual({ name: null, devices: 7, work_orders: 4, failures: 1, no_fault_found: 1, not_diagnosed: 2, failures_per_device: 0.14 });
    expect(json.by_category[0]).toEqual({ name: 'Infusion pump', devices: 5, work_orders: 3, failures: 1, no_fault_found: 1, not_diagnosed: 1, failures_per_device: 0.2 });
    expect(json.by_failure_code).toEqual([
      { code: 'Mechanical', deleted: true, work_orders: 1 },
      { code: 'No fault found', deleted: false, work_orders: 1 },
      { code: null, deleted: false, work_orders: 2 },
    ]);
    expect(json.work_orders.map((o) => [o.work_order, o.kind, o.failure_code])).toEqual([
      ['WO-0002', 'failure', 'Mechanical'],
      ['WO-0003', 'no_fault_found', 'No fault found'],
      ['WO-0004', 'not_diagnosed', null],
      ['WO-0005', 'not_diagnosed', null],
    ]);
    const csv = await run('--format', 'csv', '--location', 'Ward 4C');
    expect(csv.code).toBe(0);
    const lines = csv.stdout.split('\r\n');
    expect(lines[0]).toBe(FAILURES_FIELDS.join(','));
    expect(lines).toContain('category,Infusion pump,no,1,1,0,0,1,0.00');
    const table = await run();
    expect(table.stdout).toContain('4 work orders reported from 2026-11-25 to 2026-11-26 on 7 devices: 1 failure, 1 no fault found, 2 not yet diagnosed.');
    expect(table.stdout).toMatch(/Mechanical \(deleted\) +1\n/);
    expect(table.stdout).toMatch(/Not yet diagnosed +2\n/);
    expect(await run('--location', 'Ward 9')).toMatchObject({ code: 1, stderr: expect.stringContaining('--location "Ward 9": there is no such location.') });
    expect(await cli(['--data-dir', dir, 'report', 'failures', '--from', '2026-11-25'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--from and --to are required') });
    expect(await run('--format', 'xml')).toMatchObject({ code: 2, stderr: expect.stringContaining('--format "xml" is not one of table, csv, json.') });
  });
});
