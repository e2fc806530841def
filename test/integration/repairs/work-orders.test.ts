import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import type { Session } from '../../../main/core/session';
import { recomputeAllDerived } from '../../../main/core/sync/derived';
import { cli, tamperedCopy } from '../trust/helpers';
import { repairsWorld } from './fixture';

type World = Awaited<ReturnType<typeof repairsWorld>>;

/** Moves the clock on; the people named were active meanwhile (the idle lock is not what is tested). */
function later(w: World, iso: string, ...active: Session[]) {
  w.clock.set(iso);
  for (const s of [w.admin, w.tom, ...active]) s.lastActivityMs = w.clock.now().getTime();
}

const rows = (w: World, sql: string, ...args: unknown[]) => w.core.db.prepare(sql).all(...args) as Record<string, unknown>[];

describe('a fault reported from the ward (issue 16)', () => {
  it('ward staff report with their PIN: the pump is out of service at once, a work order opens, both recorded', async () => {
    const w = await repairsWorld();
    const nia = w.as(w.nia);
    const res = await nia('workOrders.report', { equipmentId: w.pump.id, problem: 'Occlusion alarm with the line clear', takeOutOfUse: true, secret: '3579' });
    expect(res.joined).toBe(false);
    expect(res.message).toBe('Reported: work order WO-0001 is open for IP-7. IP-7 is out of service: do not use it.');
    expect(res.workOrder).toMatchObject({ ref: 'WO-0001', state: 'reported', reportedByName: 'Nia Nurse', tookOutOfService: true, problem: 'Occlusion alarm with the line clear' });
    expect(await w.status()).toBe('out_of_service');
    const history = await nia('equipment.statusHistory', { equipmentId: w.pump.id });
    expect(history).toMatchObject([{ fromStatus: 'in_service', toStatus: 'out_of_service', cause: 'fault', workOrderRef: 'WO-0001', userName: 'Nia Nurse' }]);
    // The device page shows it on top; Today lists the pump on the ward, with the work order's state and age.
    expect((await nia('workOrders.ofEquipment', { equipmentId: w.pump.id })).open?.ref).toBe('WO-0001');
    later(w, '2026-11-25T10:45:00Z', w.nia);
    const today = await nia('due.today', {});
    expect(today.outOfService).toMatchObject([{ assetTag: 'IP-7', wardPath: expect.stringContaining('Ward 4B'), workOrder: { ref: 'WO-0001', state: 'reported', ageMinutes: 45 } }]);
  });

  it("Today sends the first devices out of service that it shows, and how many there are (issue 17: a hospital has hundreds)", async () => {
    const w = await repairsWorld();
    for (let i = 1; i <= 7; i++) {
      const made = await w.call('equipment.create', { assetTag: `OOS-${i}`, name: 'Suction unit', locationId: w.ward.id });
      await w.call('equipment.setStatus', { id: made.id, status: 'out_of_service', reason: `Broken ${i}` });
    }
    const first = await w.call('due.today', { locationId: null, limit: 3 });
    expect(first.outOfServiceTotal).toBe(7);
    expect(first.outOfService).toHaveLength(3);
    const all = await w.call('due.today', { locationId: null, limit: 100 });
    expect(all.outOfServiceTotal).toBe(7);
    expect(all.outOfService.map((r) => r.assetTag).sort()).toEqual(['OOS-1', 'OOS-2', 'OOS-3', 'OOS-4', 'OOS-5', 'OOS-6', 'OOS-7']);
    // The first three are the first three of the whole list, in its order (by ward, longest out first).
    expect(first.outOfService).toEqual(all.outOfService.slice(0, 3));
    // Each list has its own "Show more": more devices out of service, and the due rows stay as they were.
    for (const tag of ['DUE-1', 'DUE-2']) {
      const made = await w.call('equipment.create', { assetTag: tag, name: 'Patient monitor', locationId: w.ward.id });
      await w.call('plans.create', { equipmentId: made.id, task: 'inspection', every: '1y', startDate: '2025-01-01' });
    }
    const moreOut = await w.call('due.today', { locationId: null, limit: 1, outOfServiceLimit: 5 });
    expect(moreOut.total).toBeGreaterThanOrEqual(2);
    expect(moreOut.rows).toHaveLength(1);
    expect(moreOut.outOfService).toEqual(all.outOfService.slice(0, 5));
    const moreDue = await w.call('due.today', { locationId: null, limit: 100, outOfServiceLimit: 3 });
    expect(moreDue.rows).toHaveLength(moreOut.total);
    expect(moreDue.outOfService).toEqual(first.outOfService);
  });

  it("Today's devices out of service: by ward, longest out first, then by tag; a page cut inside a run stays in that order", async () => {
    const w = await repairsWorld();
    const ward4a = await w.call('locations.create', { name: 'Ward 4A', parentId: w.site.id });
    const out = async (tag: string, locationId: string, at: string) => {
      later(w, at);
      const made = await w.call('equipment.create', { assetTag: tag, name: 'Suction unit', locationId });
      await w.call('equipment.setStatus', { id: made.id, status: 'out_of_service', reason: 'Broken' });
    };
    await out('S-9', w.ward.id, '2026-11-20T09:00:00Z');
    await out('S-3', w.ward.id, '2026-11-22T09:00:00Z');
    await out('S-1', w.ward.id, '2026-11-22T09:00:00Z');
    await out('S-2', w.ward.id, '2026-11-22T09:00:00Z');
    await out('T-5', ward4a.id, '2026-11-24T09:00:00Z');
    await out('T-4', ward4a.id, '2026-11-21T09:00:00Z');
    const order = ['T-4', 'T-5', 'S-9', 'S-1', 'S-2', 'S-3'];
    for (const limit of [1, 2, 3, 4, 5, 6]) {
      const page = await w.call('due.today', { locationId: null, limit: 1, outOfServiceLimit: limit });
      expect(page.outOfService.map((r) => r.assetTag)).toEqual(order.slice(0, limit));
      expect(page.outOfServiceTotal).toBe(6);
    }
    const ward = await w.call('due.today', { locationId: w.ward.id, outOfServiceLimit: 2 });
    expect(ward.outOfService.map((r) => r.assetTag)).toEqual(['S-9', 'S-1']);
    expect(ward.outOfServiceTotal).toBe(4);
  });

  it('a second fault joins the open work order and says so; a retired device is refused; unticked leaves it in service', async () => {
    const w = await repairsWorld();
    const nia = w.as(w.nia);
    const first = await nia('workOrders.report', { equipmentId: w.pump.id, problem: 'Screen flickers', takeOutOfUse: false, secret: '3579' });
    expect(first.message).toBe('Reported: work order WO-0001 is open for IP-7. IP-7 stays in service.');
    expect(await w.status()).toBe('in_service');
    const second = await w.as(w.tom)('workOrders.report', { equipmentId: w.pump.id, problem: 'Now it will not start', takeOutOfUse: true, secret: '1357' });
    expect(second.joined).toBe(true);
    expect(second.message).toMatch(/^IP-7 already has an open work order, WO-0001 \(reported .* by Nia Nurse, reported\): your report was added to it\. IP-7 is out of service: do not use it\.$/);
    expect(second.workOrder.steps.map((s) => s.action)).toEqual(['report', 'join']);
    expect(rows(w, 'SELECT number FROM work_orders')).toHaveLength(1);

    const old = await w.call('equipment.create', { assetTag: 'IP-OLD', name: 'Old pump', locationId: w.ward.id });
    await w.call('equipment.setStatus', { id: old.id, status: 'retired', reason: 'Replaced' });
    const before = rows(w, 'SELECT count(*) AS n FROM work_orders');
    expect(await w.backend.invoke(w.nia, 'workOrders.report', { equipmentId: old.id, problem: 'Broken', takeOutOfUse: true, secret: '3579' })).toEqual({
      ok: false,
      error: { code: 'conflict', field: 'equipmentId', message: 'IP-OLD is retired, so a fault cannot be reported on it: it is no longer in use.' },
    });
    expect(rows(w, 'SELECT count(*) AS n FROM work_orders')).toEqual(before);
  });

  it('no step without the signer’s own PIN: a wrong PIN writes no work order, no status and no step', async () => {
    const w = await repairsWorld();
    const counts = () => ['work_orders', 'work_order_steps', 'status_changes'].map((t) => w.count(t));
    const before = counts();
    expect(await w.backend.invoke(w.nia, 'workOrders.report', { equipmentId: w.pump.id, problem: 'Alarm', takeOutOfUse: true, secret: '1357' })).toMatchObject({
      ok: false,
      error: { field: 'secret' },
    });
    expect(await w.backend.invoke(w.nia, 'workOrders.report', { equipmentId: w.pump.id, problem: 'Alarm', takeOutOfUse: true } as never)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'secret' },
    });
    expect(counts()).toEqual(before);
    expect(await w.status()).toBe('in_service');
  });

  it('ward staff can do nothing else: taking, repairing, returning, the lists and codes are refused and change nothing', async () => {
    const w = await repairsWorld();
    const { workOrder } = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Alarm', takeOutOfUse: true, secret: '3579' });
    const before = JSON.stringify(['work_orders', 'work_order_steps', 'status_changes', 'completions', 'stock_transactions', 'repair_codes'].map((t) => w.count(t)));
    const attempts = [
      w.backend.invoke(w.nia, 'workOrders.take', { id: workOrder.id, secret: '3579' }),
      w.backend.invoke(w.nia, 'workOrders.return', { id: workOrder.id, secret: '3579' }),
      w.backend.invoke(w.nia, 'workOrders.retire', { id: workOrder.id, reason: 'x', secret: '3579' }),
      w.backend.invoke(w.nia, 'workOrders.list', {}),
      w.backend.invoke(w.nia, 'workOrders.get', { id: workOrder.id }),
      w.backend.invoke(w.nia, 'workOrders.codes.add', { kind: 'failure', label: 'Mine' }),
      w.backend.invoke(w.nia, 'equipment.setStatus', { id: w.pump.id, status: 'in_service', reason: 'fine' }),
      w.backend.invoke(w.nia, 'completions.log', { equipmentId: w.pump.id, task: 'inspection', result: { kind: 'outcome', outcome: 'pass' }, secret: '3579' }),
      w.backend.invoke(w.nia, 'stock.use', { stockLocationId: w.store.id, itemId: w.sensor.id, quantity: 1 }),
    ];
    for (const res of await Promise.all(attempts)) expect(res).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(JSON.stringify(['work_orders', 'work_order_steps', 'status_changes', 'completions', 'stock_transactions', 'repair_codes'].map((t) => w.count(t)))).toBe(before);
    expect(await w.status()).toBe('out_of_service');
  });
});

describe('who may do what to a work order, and what its input may be', () => {
  it('a technician cannot retire a device through its work order, nor add or delete codes; ward staff cannot read a work order', async () => {
    const w = await repairsWorld();
    const { workOrder } = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Alarm', takeOutOfUse: true, secret: '3579' });
    const before = JSON.stringify(['work_orders', 'work_order_steps', 'status_changes', 'repair_codes'].map((t) => w.count(t)));
    expect(await w.backend.invoke(w.tom, 'workOrders.retire', { id: workOrder.id, reason: 'Old', secret: '1357' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await w.backend.invoke(w.tom, 'workOrders.codes.add', { kind: 'failure', label: 'Mine' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await w.backend.invoke(w.tom, 'workOrders.codes.remove', { id: w.code('failure', 'Mechanical') })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await w.backend.invoke(w.nia, 'workOrders.get', { id: workOrder.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(JSON.stringify(['work_orders', 'work_order_steps', 'status_changes', 'repair_codes'].map((t) => w.count(t)))).toBe(before);
    expect(await w.status()).toBe('out_of_service');
  });

  it('a problem too long, or with a NUL in it, is refused naming the field, and nothing is written', async () => {
    const w = await repairsWorld();
    const huge = await w.backend.invoke(w.nia, 'workOrders.report', { equipmentId: w.pump.id, problem: 'x'.repeat(2001), takeOutOfUse: true, secret: '3579' });
    expect(huge).toMatchObject({ ok: false, error: { message: expect.stringContaining('What is wrong must be at most 2000 characters') } });
    const nul = await w.backend.invoke(w.nia, 'workOrders.report', { equipmentId: w.pump.id, problem: 'a\u0000b', takeOutOfUse: true, secret: '3579' });
    expect(nul).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(w.count('work_orders')).toBe(0);
    expect(await w.status()).toBe('in_service');
  });

  it('a long problem is given in the device\'s status reason cut at a word with "…", never inside an emoji; the work order keeps it whole', async () => {
    const w = await repairsWorld();
    // 299 characters, then an emoji whose two UTF-16 units are the 300th and 301st, then more words.
    const problem = `${'word '.repeat(59)}abcd🔥 the screen flickers and the alarm sounds twice before it stops`;
    const { workOrder } = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem, takeOutOfUse: true, secret: '3579' });
    expect(workOrder.problem).toBe(problem);
    const pump = await w.as(w.nia)('equipment.get', { id: w.pump.id });
    expect(pump.statusReason).toBe(`Fault reported (WO-0001): ${'word '.repeat(59).trimEnd()}… Do not use.`);
    // A short one is given whole, as a sentence.
    const short = await repairsWorld();
    await short.as(short.nia)('workOrders.report', { equipmentId: short.pump.id, problem: 'Door cracked', takeOutOfUse: true, secret: '3579' });
    expect((await short.as(short.nia)('equipment.get', { id: short.pump.id })).statusReason).toBe('Fault reported (WO-0001): Door cracked. Do not use.');
  });
});

describe('a work order from fault to return to service', () => {
  it('is taken, waits for parts, is repaired with a part from the ward store, checked, and returned; every step signed', async () => {
    const w = await repairsWorld();
    const tom = w.as(w.tom);
    const { workOrder } = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Occlusion alarm', takeOutOfUse: true, secret: '3579' });
    const id = workOrder.id;

    // Closing without a repair or check is refused, saying why.
    expect(await w.backend.invoke(w.tom, 'workOrders.return', { id, secret: '1357' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/^WO-0001 cannot be closed: it is reported, and a device returns to service only after its repair is logged and its post-repair check has passed\.$/) },
    });

    later(w, '2026-11-25T11:00:00Z');
    expect((await tom('workOrders.take', { id, secret: '1357' })).state).toBe('in_progress');
    const waiting = await tom('workOrders.wait', { id, waitingFor: 'parts', note: 'Sensor ordered', vendor: 'Baxter', vendorTicket: 'BX-991', secret: '1357' });
    expect(waiting).toMatchObject({ state: 'waiting', waitingFor: 'parts', vendor: 'Baxter', vendorTicket: 'BX-991' });
    later(w, '2026-11-26T09:00:00Z');
    expect((await tom('workOrders.resume', { id, secret: '1357' })).state).toBe('in_progress');

    // Parts beyond stock on hand are refused with how many there are, and nothing is written.
    const repair = {
      id,
      workDone: 'Replaced the occlusion sensor',
      failureCodeId: w.code('failure', 'Mechanical'),
      causeCodeId: w.code('cause', 'Wear'),
      labourMinutes: 40,
      partsUsed: [{ stockLocationId: w.store.id, itemId: w.sensor.id, quantity: 3 }],
      cost: 85.5,
      secret: '1357',
    };
    const before = w.count('completions');
    const tooMany = await w.backend.invoke(w.tom, 'workOrders.repair', repair);
    expect(tooMany).toMatchObject({ ok: false, error: { message: expect.stringMatching(/2/) } });
    expect(w.count('completions')).toBe(before);

    const repaired = await tom('workOrders.repair', { ...repair, partsUsed: [{ stockLocationId: w.store.id, itemId: w.sensor.id, quantity: 1 }] });
    expect(repaired).toMatchObject({ state: 'repaired', labourMinutes: 40, costCents: 8550, failureCode: { label: 'Mechanical' }, causeCode: { label: 'Wear' } });
    expect(repaired.steps.at(-1)?.details.parts).toEqual([{ item: 'Occlusion sensor', quantity: 1, unit: 'piece', from: 'Ward 4B store' }]);
    expect(rows(w, "SELECT sum(delta) AS n FROM stock_transactions WHERE item_id = ?", w.sensor.id)).toEqual([{ n: 1 }]);
    expect(repaired.postRepairChecks).toMatchObject([{ task: 'electrical_safety', passedBy: null, planId: w.safetyPlan.id }]);
    expect(await w.status()).toBe('out_of_service');

    // Still refused until the post-repair check passes after the repair.
    expect(await w.backend.invoke(w.tom, 'workOrders.return', { id, secret: '1357' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('cannot be closed without its post-repair check: the electrical safety test since the repair has not passed') },
    });
    later(w, '2026-11-26T10:00:00Z');
    await tom('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
    const checked = await tom('workOrders.get', { id });
    expect(checked.postRepairChecks[0]?.passedBy).toMatchObject({ signedBy: 'Tom Tech' });
    later(w, '2026-11-26T10:05:00Z');
    const returned = await tom('workOrders.return', { id, secret: '1357' });
    expect(returned.state).toBe('returned');
    expect(returned.steps.map((s) => [s.action, s.userName])).toEqual([
      ['report', 'Nia Nurse'],
      ['take', 'Tom Tech'],
      ['wait', 'Tom Tech'],
      ['resume', 'Tom Tech'],
      ['repair', 'Tom Tech'],
      ['check', 'Tom Tech'],
      ['return', 'Tom Tech'],
    ]);
    expect(await w.status()).toBe('in_service');
    const history = await tom('equipment.statusHistory', { equipmentId: w.pump.id });
    expect(history.map((h) => [h.toStatus, h.cause, h.at])).toEqual([
      ['out_of_service', 'fault', '2026-11-25T10:00:00.000Z'],
      ['in_service', 'work_order', '2026-11-26T10:05:00.000Z'],
    ]);
    expect((await tom('due.today', { locationId: null })).outOfService).toEqual([]);
  });

  it('a vendor or ticket emptied in a step\'s dialog (which shows what the work order has) is cleared; left out, it is kept', async () => {
    const w = await repairsWorld();
    const tom = w.as(w.tom);
    const { workOrder } = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Alarm', takeOutOfUse: true, secret: '3579' });
    const id = workOrder.id;
    await tom('workOrders.take', { id, secret: '1357' });
    await tom('workOrders.wait', { id, waitingFor: 'vendor', note: 'Baxter to look at it', vendor: 'Baxter', vendorTicket: 'BX-991', secret: '1357' });
    await tom('workOrders.resume', { id, secret: '1357' });
    // Waiting again, the vendor and ticket left out: kept.
    expect(await tom('workOrders.wait', { id, waitingFor: 'parts', note: 'Sensor ordered', secret: '1357' })).toMatchObject({ vendor: 'Baxter', vendorTicket: 'BX-991' });
    await tom('workOrders.resume', { id, secret: '1357' });
    // The ticket was the wrong one: emptied in the wait dialog, it is cleared; the vendor stays.
    expect(await tom('workOrders.wait', { id, waitingFor: 'vendor', note: 'Called back', vendor: 'Baxter', vendorTicket: '', secret: '1357' })).toMatchObject({
      vendor: 'Baxter',
      vendorTicket: null,
    });
    await tom('workOrders.resume', { id, secret: '1357' });
    // In the end it was fixed in house: the repair with the vendor emptied clears it too.
    const repaired = await tom('workOrders.repair', {
      id,
      workDone: 'Cleaned the sensor',
      failureCodeId: w.code('failure', 'Mechanical'),
      causeCodeId: w.code('cause', 'Wear'),
      vendor: '  ',
      vendorTicket: '',
      secret: '1357',
    });
    expect(repaired).toMatchObject({ state: 'repaired', vendor: null, vendorTicket: null });
  });

  it('a failed safety test opens a work order linked to the record by itself', async () => {
    const w = await repairsWorld();
    const failed = await w.as(w.tom)('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'fail' }, notes: 'Earth leakage high', secret: '1357' });
    const mine = await w.as(w.tom)('workOrders.ofEquipment', { equipmentId: w.pump.id });
    expect(mine.open).toMatchObject({ state: 'reported', openedByCompletionId: failed.id, problem: expect.stringContaining('Earth leakage high') });
    expect(await w.status()).toBe('out_of_service');
  });

  it('the day Wardkeep writes into the work order and the status reason is YYYY-MM-DD whatever the date format, so every PC and screen reads it alike', async () => {
    const w = await repairsWorld();
    await w.call('settings.update', { dateFormat: 'dd/MM/yyyy' });
    const failed = await w.as(w.tom)('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'fail' }, notes: 'Earth leakage high', secret: '1357' });
    const { open } = await w.as(w.tom)('workOrders.ofEquipment', { equipmentId: w.pump.id });
    const day = failed.performedOn;
    expect(day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(open!.problem).toBe(`Failed electrical safety test on ${day}. Earth leakage high`);
    const wo = await w.as(w.tom)('workOrders.get', { id: open!.id });
    expect(wo.steps.map((s) => s.note)).toEqual([`Failed electrical safety test on ${day}. Earth leakage high`]);
    expect((await w.as(w.tom)('equipment.get', { id: w.pump.id })).statusReason).toBe(`Tagged out: failed electrical safety test on ${day}. Do not use.`);
  });

  it('a pass logged while its work order is taken keeps the device out, held by the work order as every PC derives it', async () => {
    const w = await repairsWorld();
    const tom = w.as(w.tom);
    await tom('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'fail' }, notes: 'Earth leakage high', secret: '1357' });
    const { open } = await tom('workOrders.ofEquipment', { equipmentId: w.pump.id });
    later(w, new Date(w.clock.now().getTime() + 3_600_000).toISOString());
    expect((await tom('workOrders.take', { id: open!.id, secret: '1357' })).state).toBe('in_progress');
    later(w, new Date(w.clock.now().getTime() + 3_600_000).toISOString());
    await tom('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
    const held = () => rows(w, 'SELECT status, manual_status, tagged_out_by_plan_id FROM equipment WHERE id = ?', w.pump.id)[0];
    // Out until the work order returns it; no plan's fail holds it any longer (the pass released that).
    expect(held()).toEqual({ status: 'out_of_service', manual_status: 'out_of_service', tagged_out_by_plan_id: null });
    // What a PC of a hub derives from the same records and decisions is what was written
    // (a convergence property test found the plan left on the device).
    inTransaction(w.core, (core) => recomputeAllDerived(core));
    expect(held()).toEqual({ status: 'out_of_service', manual_status: 'out_of_service', tagged_out_by_plan_id: null });
  });

  it('a take on top of a colleague\'s take since the dialog opened is refused, naming who took it and when; nothing is written', async () => {
    const w = await repairsWorld();
    const { workOrder } = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Alarm', takeOutOfUse: true, secret: '3579' });
    // Tom opens "Take it…" while it is with no one; Sue takes it meanwhile, in another window.
    const opened = await w.as(w.tom)('workOrders.get', { id: workOrder.id });
    expect(opened.assignedUserId).toBeNull();
    later(w, '2026-12-01T15:20:00.000Z', w.sue);
    await w.as(w.sue)('workOrders.take', { id: workOrder.id, secret: '2468' });
    const steps = w.count('work_order_steps');
    const refused = await w.backend.invoke(w.tom, 'workOrders.take', { id: workOrder.id, secret: '1357', expectedAssigneeId: opened.assignedUserId });
    expect(refused).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'conflict',
        field: 'id',
        message: 'WO-0001 was taken by Sue Super at 12/01/2026 10:20, since you opened this: check with them, then take it over if you still mean to.',
      }),
    });
    expect(w.count('work_order_steps')).toBe(steps);
    expect((await w.as(w.sue)('workOrders.get', { id: workOrder.id })).assignedName).toBe('Sue Super');
    // Having seen it is Sue's, Tom takes it over: the step says from whom.
    const seen = await w.as(w.tom)('workOrders.get', { id: workOrder.id });
    const taken = await w.as(w.tom)('workOrders.take', { id: workOrder.id, secret: '1357', expectedAssigneeId: seen.assignedUserId });
    expect(taken.assignedName).toBe('Tom Tech');
    expect(taken.steps.at(-1)).toMatchObject({ action: 'take', userName: 'Tom Tech', details: { reason: 'from Sue Super' } });
    // A take-over opened on Tom's, after Sue took it back: refused as "taken over".
    const mine = await w.as(w.sue)('workOrders.get', { id: workOrder.id });
    later(w, '2026-12-01T15:45:00.000Z', w.sue);
    await w.as(w.sue)('workOrders.take', { id: workOrder.id, secret: '2468' });
    const again = await w.backend.invoke(w.admin, 'workOrders.take', { id: workOrder.id, secret: '2468', expectedAssigneeId: mine.assignedUserId });
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/^WO-0001 was taken over by Sue Super at 12\/01\/2026 10:45, since you opened this/) } });
  });

  it('a code deleted while in use stays on the work order and can be chosen no more', async () => {
    const w = await repairsWorld();
    const { workOrder } = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Alarm', takeOutOfUse: true, secret: '3579' });
    const code = await w.as(w.sue)('workOrders.codes.add', { kind: 'failure', label: 'Door latch' });
    await w.as(w.tom)('workOrders.take', { id: workOrder.id, secret: '1357' });
    await w.as(w.tom)('workOrders.repair', { id: workOrder.id, workDone: 'Latch', failureCodeId: code.id, causeCodeId: w.code('cause', 'Wear'), secret: '1357' });
    await w.as(w.sue)('workOrders.codes.remove', { id: code.id });
    expect((await w.as(w.tom)('workOrders.get', { id: workOrder.id })).failureCode).toMatchObject({ label: 'Door latch', active: false });
    const other = await w.call('equipment.create', { assetTag: 'IP-8', name: 'Pump', locationId: w.ward.id });
    const next = await w.as(w.tom)('workOrders.report', { equipmentId: other.id, problem: 'x', takeOutOfUse: true, secret: '1357' });
    await w.as(w.tom)('workOrders.take', { id: next.workOrder.id, secret: '1357' });
    expect(await w.backend.invoke(w.tom, 'workOrders.repair', { id: next.workOrder.id, workDone: 'x', failureCodeId: code.id, causeCodeId: w.code('cause', 'Wear'), secret: '1357' })).toMatchObject({
      ok: false,
      error: { field: 'failureCodeId', message: 'The failure code "Door latch" was deleted from the list: choose another one.' },
    });
  });
});

describe('unplanned work', () => {
  it('logs a cleaning after a spill on a device with no plan, signed, counting for no plan', async () => {
    const w = await repairsWorld();
    const bare = await w.call('equipment.create', { assetTag: 'BP-1', name: 'Blood pressure monitor', locationId: w.ward.id });
    const form = await w.as(w.tom)('log.form', { equipmentId: bare.id, task: 'cleaning' });
    expect(form.plan).toBeNull();
    expect(form.task.code).toBe('cleaning');
    const logged = await w.as(w.tom)('completions.log', {
      equipmentId: bare.id,
      task: 'cleaning',
      notes: 'Spill of saline',
      result: { kind: 'cleaning', method: 'Wipe', agent: 'Chlorine 1000 ppm', outcome: 'pass' },
      secret: '1357',
    });
    expect(logged).toMatchObject({ planId: null, task: 'cleaning', outcome: 'pass' });
    expect((await w.as(w.tom)('completions.history', { equipmentId: bare.id })).map((c) => c.task)).toEqual(['cleaning']);
  });
});

describe('tampering found by verify', () => {
  it('finds a signed step changed, a work order head moved on, and a tagged-out device put back in service in the file', async () => {
    const w = await repairsWorld();
    const { workOrder } = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Alarm', takeOutOfUse: true, secret: '3579' });
    const file = w.core.file;
    expect((await cli(['--data-dir', path.dirname(file), 'verify'])).code).toBe(0);
    w.core.close();
    const verifyCopy = (edit: (db: BetterSqlite3.Database) => void) => cli(['--data-dir', tamperedCopy(file, edit), 'verify']);

    const step = await verifyCopy((db) => db.prepare("UPDATE work_order_steps SET user_name = 'Tom Tech' WHERE work_order_id = ?").run(workOrder.id));
    expect(step.code).toBe(1);
    expect(step.stderr).toMatch(/Work order step .* was changed outside Wardkeep: user_name is "Tom Tech" in the database, but audit entry \d+ recorded "Nia Nurse"/);

    const head = await verifyCopy((db) => db.prepare("UPDATE work_orders SET state = 'returned' WHERE id = ?").run(workOrder.id));
    expect(head.code).toBe(1);
    expect(head.stderr).toContain('Work order WO-0001 is "returned" in the database, but its signed steps leave it "reported": it was changed outside Wardkeep.');

    const device = await verifyCopy((db) => db.prepare("UPDATE equipment SET status = 'in_service', status_reason = NULL WHERE id = ?").run(w.pump.id));
    expect(device.code).toBe(1);
    expect(device.stderr).toContain('Device IP-7 is "in service" in the database, but its status history last made it "out of service": its status was changed outside Wardkeep.');

    const history = await verifyCopy((db) => db.prepare('DELETE FROM status_changes WHERE equipment_id = ?').run(w.pump.id));
    expect(history.code).toBe(1);
    expect(history.stderr).toMatch(/Status change .*, recorded by audit entry \d+, is not in the database: it was deleted outside Wardkeep/);
  });
});
