import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core/context';
import { migrate } from '../../../main/core/db/migrate';
import { applyPragmas, DB_FILE } from '../../../main/core/db/open';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { migrations } from '../../../main/core/migrations';
import { builtinCodeId, migration0010 } from '../../../main/core/migrations/0010-sync-repairs';
import { openCore } from '../../../main/core/open-core';
import { checkPermanentRows } from '../../../main/core/permanent/check';
import { listRepairCodes } from '../../../main/core/repairs/codes';
import { listWorkOrders, getWorkOrder } from '../../../main/core/repairs/views';
import { openWorkOrderOf } from '../../../main/core/repairs/store';
import { reportFault, retireWorkOrder, takeWorkOrder, waitWorkOrder } from '../../../main/core/repairs/work-orders';
import { captureProblems, installCapture, storedTriggers } from '../../../main/core/sync/capture';
import { listConflicts } from '../../../main/core/sync/conflicts';
import { syncTable } from '../../../main/core/sync/tables';
import { insertUser, userRowByName } from '../../../main/core/users/service';
import { tempDir, testActor } from '../../helpers/core';
import { device } from '../plans/fixtures';
import { testHub, testPc } from './harness';

/**
 * Work orders across a hospital (issues 19 and 20): a work order opened on one PC is on every
 * PC after a sync, any PC can step it, steps two PCs made at once end the same everywhere, and
 * numbers two PCs gave offline both stand.
 */

type Pc = Awaited<ReturnType<typeof testPc>>;

function person(core: Core, name: string, role: 'ward_staff' | 'technician' | 'supervisor') {
  inTransaction(core, (w) => insertUser(w, testActor, { name, role, homeLocationId: null, pinHash: null, passwordHash: null, mustSetPin: true }));
}
const signer = (pc: Pc, name: string) => userRowByName(pc.core, name)!;
const stateOf = (pc: Pc, id: string) =>
  pc.core.db.prepare('SELECT number, state, assigned_name, waiting_for, closed_at IS NOT NULL AS closed FROM work_orders WHERE id = ?').get(id);
const stepsOf = (pc: Pc, id: string) => getWorkOrder(pc.core, id).steps.map((s) => `${s.action} by ${s.userName}`);

async function hospital() {
  const hub = await testHub();
  const a = await testPc(hub, 'Ward 4B');
  const b = await testPc(hub, 'Emergency');
  const pump = device(a.core, 'IP-7', { name: 'Infusion pump', location: 'General Hospital > Ward 4B > Bay 1' });
  const monitor = device(a.core, 'MON-2', { name: 'Monitor', location: 'General Hospital > Emergency > Resus' });
  person(a.core, 'Nia Nurse', 'ward_staff');
  person(a.core, 'Tom Tech', 'technician');
  person(a.core, 'Eve Tech', 'technician');
  person(a.core, 'Sue Super', 'supervisor');
  await a.sync();
  await b.sync();
  return { hub, a, b, pump, monitor };
}

describe('work orders across a hub', () => {
  it('a fault reported on one PC is a work order on the other, which takes it; the first sees who has it', async () => {
    const { a, b, pump } = await hospital();
    const { workOrder } = inTransaction(a.core, (w) =>
      reportFault(w, signer(a, 'Nia Nurse'), { equipmentId: pump, problem: 'Occlusion alarm with the line clear', takeOutOfUse: true, secret: '' }),
    );
    await a.sync();
    await b.sync();
    const seen = listWorkOrders(b.core, { status: 'open' });
    expect(seen.map((w) => [w.ref, w.assetTag, w.state, w.problem, w.reportedByName, w.wardPath])).toEqual([
      ['WO-0001', 'IP-7', 'reported', 'Occlusion alarm with the line clear', 'Nia Nurse', 'General Hospital > Ward 4B'],
    ]);
    // Ward 4B's open work orders, made on the Emergency PC (the printed list of one ward reads the same).
    const ward4B = b.core.db.prepare("SELECT id FROM locations WHERE name = 'Ward 4B'").pluck().get() as string;
    expect(listWorkOrders(b.core, { status: 'open', locationId: ward4B }).map((w) => w.ref)).toEqual(['WO-0001']);
    inTransaction(b.core, (w) => takeWorkOrder(w, signer(b, 'Tom Tech'), { id: workOrder.id, note: 'On my way' }));
    await b.sync();
    await a.sync();
    expect(stateOf(a, workOrder.id)).toEqual({ number: 1, state: 'in_progress', assigned_name: 'Tom Tech', waiting_for: null, closed: 0 });
    expect(stepsOf(a, workOrder.id)).toEqual(['report by Nia Nurse', 'take by Tom Tech']);
    // Every step and every status change is bound to the audit trail of the PC that made it: verify holds on both.
    expect(checkPermanentRows(a.core.db).findings).toEqual([]);
    expect(checkPermanentRows(b.core.db).findings).toEqual([]);
    // The next work order on either PC follows the hospital's numbers.
    const next = inTransaction(a.core, (w) => reportFault(w, signer(a, 'Nia Nurse'), { equipmentId: device(a.core, 'IP-9'), problem: 'Cracked door', takeOutOfUse: true, secret: '' }));
    expect(next.workOrder.ref).toBe('WO-0002');
  });

  it('steps two PCs made offline at once end the same on both: a closed work order stays closed, both steps kept', async () => {
    const { hub, a, b, pump } = await hospital();
    const { workOrder } = inTransaction(a.core, (w) => reportFault(w, signer(a, 'Nia Nurse'), { equipmentId: pump, problem: 'Dropped', takeOutOfUse: true, secret: '' }));
    inTransaction(a.core, (w) => takeWorkOrder(w, signer(a, 'Tom Tech'), { id: workOrder.id, note: null }));
    await a.sync();
    await b.sync();
    // Offline: Ward 4B retires the pump as beyond repair; a minute later Emergency, not knowing, puts it to wait for parts.
    inTransaction(a.core, (w) => retireWorkOrder(w, signer(a, 'Sue Super'), { id: workOrder.id, reason: 'Cracked casing' }));
    b.clockAhead(60_000);
    inTransaction(b.core, (w) => waitWorkOrder(w, signer(b, 'Eve Tech'), { id: workOrder.id, waitingFor: 'parts', note: 'Door latch ordered', vendor: null, vendorTicket: null }));
    expect(stateOf(b, workOrder.id)).toMatchObject({ state: 'waiting' });
    for (const pc of [b, a, b]) await pc.sync();
    for (const pc of [a, b]) {
      expect(stateOf(pc, workOrder.id)).toEqual({ number: 1, state: 'retired', assigned_name: 'Tom Tech', waiting_for: null, closed: 1 });
      expect(stepsOf(pc, workOrder.id)).toEqual(['report by Nia Nurse', 'take by Tom Tech', 'retire by Sue Super', 'wait by Eve Tech']);
      expect(pc.core.db.prepare('SELECT status FROM equipment WHERE id = ?').pluck().get(pump)).toBe('retired');
      expect(openWorkOrderOf(pc.core, pump)).toBeUndefined();
      expect(checkPermanentRows(pc.core.db).findings).toEqual([]);
    }
    // The hub holds both steps, readable with SQL; where the work order stands is each PC's to derive.
    const { rows } = await hub.pool.query<{ action: string }>('SELECT action FROM work_order_steps WHERE work_order_id = $1 ORDER BY at, id', [workOrder.id]);
    expect(rows.map((r) => r.action)).toEqual(['report', 'take', 'retire', 'wait']);
  });

  it('numbers given offline on two PCs both stand and are told apart by ward; a device may have two open work orders', async () => {
    const { hub, a, b, pump, monitor } = await hospital();
    const first = inTransaction(a.core, (w) => reportFault(w, signer(a, 'Nia Nurse'), { equipmentId: pump, problem: 'Screen blank', takeOutOfUse: true, secret: '' }));
    const second = inTransaction(b.core, (w) => reportFault(w, signer(b, 'Nia Nurse'), { equipmentId: monitor, problem: 'No ECG trace', takeOutOfUse: true, secret: '' }));
    // The same pump, reported on the other PC too before either synced.
    const third = inTransaction(b.core, (w) => reportFault(w, signer(b, 'Tom Tech'), { equipmentId: pump, problem: 'Battery swollen', takeOutOfUse: true, secret: '' }));
    expect([first.workOrder.ref, second.workOrder.ref, third.workOrder.ref]).toEqual(['WO-0001', 'WO-0001', 'WO-0002']);
    for (const pc of [a, b, a]) await pc.sync();
    for (const pc of [a, b]) {
      const refs = listWorkOrders(pc.core, { status: 'open' })
        .map((w) => `${w.ref} ${w.assetTag}`)
        .sort();
      expect(refs).toEqual(['WO-0001 (Emergency) MON-2', 'WO-0001 (Ward 4B) IP-7', 'WO-0002 IP-7']);
      // The pump's open work order is the older one; the other is listed with the rest.
      expect(openWorkOrderOf(pc.core, pump)?.id).toBe(first.workOrder.id);
      expect(checkPermanentRows(pc.core.db).findings).toEqual([]);
    }
    const { rows } = await hub.pool.query<{ number: string; problem: string }>('SELECT number, problem FROM work_orders ORDER BY problem');
    expect(rows.map((r) => [Number(r.number), r.problem])).toEqual([
      [2, 'Battery swollen'],
      [1, 'No ECG trace'],
      [1, 'Screen blank'],
    ]);
    const next = inTransaction(b.core, (w) => reportFault(w, signer(b, 'Nia Nurse'), { equipmentId: device(b.core, 'IP-11', { location: 'General Hospital > Emergency > Resus' }), problem: 'Alarm', takeOutOfUse: false, secret: '' }));
    expect(next.workOrder.ref).toBe('WO-0003');
    // The one clash is real: both PCs took the pump out of service at once, each with its own reason (the later one stands).
    expect(listConflicts(a.core).map((c) => `${c.table} ${c.row} ${c.fields.join(',')}`)).toEqual([
      'equipment IP-7 Infusion pump manual_status,manual_status_reason,manual_overrides',
    ]);
  });

  it('the codes every PC starts with are one list across the hospital, with the same ids', async () => {
    const { a, b } = await hospital();
    await b.sync();
    await a.sync();
    const ids = (pc: Pc) => listRepairCodes(pc.core).map((c) => `${c.kind}:${c.label}:${c.id}`);
    expect(ids(a)).toEqual(ids(b));
    expect(listRepairCodes(a.core)).toHaveLength(18);
    // Both PCs made them before joining, at their own upgrade: one list, and nothing for a supervisor to resolve.
    expect(listConflicts(a.core)).toEqual([]);
    expect(listRepairCodes(a.core).find((c) => c.label === 'No fault found' && c.kind === 'failure')?.id).toBe(builtinCodeId('failure', 'no fault found'));
  });
});

describe('migration 10 on a PC already in a hub', () => {
  it('turns on change counting for work orders, the status history and the codes, and sends the ones it already had', () => {
    const before = migrations.indexOf(migration0010);
    const dir = tempDir();
    const file = path.join(dir, DB_FILE);
    const db = new BetterSqlite3(file);
    applyPragmas(db);
    migrate(db, { migrations: migrations.slice(0, before) });
    db.prepare("INSERT INTO meta (key, value) VALUES ('pc_id', 'pc-nine') ON CONFLICT (key) DO NOTHING").run();
    // A PC of version 9 with a work order, whose failure code was chosen on it; then in a hub.
    const v9: Core = { db, pcId: 'pc-nine', clock: { now: () => new Date() }, file, dataDir: dir };
    expect(db.pragma('user_version', { simple: true })).toBe(9);
    const pump = device(v9, 'IP-7');
    person(v9, 'Nia Nurse', 'ward_staff');
    const wo = inTransaction(v9, (w) => reportFault(w, userRowByName(w, 'Nia Nurse')!, { equipmentId: pump, problem: 'Alarm', takeOutOfUse: true, secret: '' })).workOrder;
    const oldCode = v9.db.prepare("SELECT id FROM repair_codes WHERE kind = 'failure' AND label_key = 'alarm'").pluck().get() as string;
    v9.db.prepare('UPDATE work_orders SET failure_code_id = ? WHERE id = ?').run(oldCode, wo.id);
    inTransaction(v9, (w) => installCapture(w));
    // Version 9 counted no writes to the tables it did not sync.
    for (const t of ['repair_codes', 'work_orders', 'work_order_steps', 'status_changes']) {
      for (const trigger of storedTriggers(syncTable(t)!)) v9.db.exec(`DROP TRIGGER IF EXISTS "${trigger.name}"`);
    }
    v9.db.exec('DELETE FROM sync_outbox');
    db.close();

    const core = openCore({ dataDir: dir, anchors: false });
    expect(core.db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    expect(captureProblems(core)).toEqual([]);
    const sent = core.db.prepare('SELECT tbl, count(*) AS n FROM sync_outbox GROUP BY tbl ORDER BY tbl').all();
    expect(sent).toEqual([
      { tbl: 'repair_codes', n: 18 },
      { tbl: 'status_changes', n: 1 },
      { tbl: 'work_order_steps', n: 1 },
      { tbl: 'work_orders', n: 1 },
    ]);
    const alarm = builtinCodeId('failure', 'alarm');
    expect(core.db.prepare('SELECT failure_code_id FROM work_orders WHERE id = ?').pluck().get(wo.id)).toBe(alarm);
    expect(core.db.prepare('SELECT count(*) FROM repair_codes WHERE id = ?').pluck().get(alarm)).toBe(1);
    expect(core.db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    // The number is no longer unique on its own: a second WO-0001 can arrive from another PC.
    expect(core.db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'work_orders' AND sql LIKE '%UNIQUE%'").pluck().get()).toBe(0);
    expect(checkPermanentRows(core.db).findings).toEqual([]);
    core.close();
  });
});
