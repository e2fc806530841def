import type BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { checkHeads } from '../../../main/core/permanent/heads';
import type { Session } from '../../../main/core/session';
import { recomputeAllDerived } from '../../../main/core/sync/derived';
import { repairsWorld } from './fixture';

/**
 * When a work order a failed test opened closes by itself (rule 12's retest, docs/records.md
 * "Passed on retest"), and when it waits for its own return through the post-repair checks.
 */

type World = Awaited<ReturnType<typeof repairsWorld>>;

/** Moves the clock on; everyone was active meanwhile (the idle lock is not what is tested). */
function later(w: World, iso: string, ...active: Session[]) {
  w.clock.set(iso);
  for (const s of [w.admin, w.tom, w.nia, w.sue, ...active]) s.lastActivityMs = w.clock.now().getTime();
}

const device = async (w: World) => {
  const e = await w.call('equipment.get', { id: w.pump.id });
  return { status: e.status, statusReason: e.statusReason };
};

/** What a PC of a hub derives from the same records and decisions is what was written. */
function derivedAgrees(w: World) {
  const held = () => (w.core.db as BetterSqlite3.Database).prepare('SELECT status, status_reason, tagged_out_by_plan_id FROM equipment WHERE id = ?').get(w.pump.id);
  const before = held();
  inTransaction(w.core, (core) => recomputeAllDerived(core));
  expect(held()).toEqual(before);
}

describe('a failed test’s work order closes by its retest only while no person has acted on it', () => {
  it('nobody has taken it: the retest pass closes it, “passed on retest”, and the pump is back in service', async () => {
    const w = await repairsWorld();
    const tom = w.as(w.tom);
    const failed = await tom('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'fail' }, notes: 'Earth leakage high', secret: '1357' });
    const { open } = await tom('workOrders.ofEquipment', { equipmentId: w.pump.id });
    expect(open).toMatchObject({ ref: 'WO-0001', state: 'reported', openedByCompletionId: failed.id });
    later(w, '2026-11-25T12:00:00Z');
    const pass = await tom('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
    const wo = await tom('workOrders.get', { id: open!.id });
    expect(wo.state).toBe('returned');
    expect(wo.steps.at(-1)).toMatchObject({
      action: 'return',
      bySystem: true,
      completionId: pass.id,
      note: `Passed its electrical safety test on ${pass.performedOn}: back in service by that record.`,
    });
    expect(await device(w)).toEqual({ status: 'in_service', statusReason: null });
  });

  it('the failed record corrected to “not done” (the wrong pump was tested) closes it with a note that says so', async () => {
    const w = await repairsWorld();
    const tom = w.as(w.tom);
    const failed = await tom('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'fail' }, notes: 'Earth leakage high', secret: '1357' });
    const { open } = await tom('workOrders.ofEquipment', { equipmentId: w.pump.id });
    later(w, '2026-11-25T12:00:00Z');
    await tom('completions.amend', {
      amendsId: failed.id,
      reason: 'The wrong pump was tested: it was IP-8',
      result: { kind: 'not_done', reason: 'other', explanation: 'Wrong pump' },
      secret: '1357',
    });
    // The correction returns the pump (completions/record.ts follows corrections, rule 8), and the
    // work order's note says what happened: no pass is claimed.
    const wo = await tom('workOrders.get', { id: open!.id });
    expect(wo.state).toBe('returned');
    expect(wo.steps.at(-1)).toMatchObject({
      action: 'return',
      bySystem: true,
      note: 'Its failed electrical safety test was corrected: back in service by that correction.',
    });
    expect(await device(w)).toEqual({ status: 'in_service', statusReason: null });
    expect(wo.steps.map((s) => s.note)).not.toContainEqual(expect.stringMatching(/^Passed its/));
  });

  it('a nurse’s “take it out of use now” added to it stands: the retest pass leaves the dropped pump out and the work order open', async () => {
    const w = await repairsWorld();
    const tom = w.as(w.tom);
    const failed = await tom('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'fail' }, notes: 'Earth leakage high', secret: '1357' });
    expect(await device(w)).toEqual({ status: 'out_of_service', statusReason: `Tagged out: failed electrical safety test on ${failed.performedOn}. Do not use.` });

    later(w, '2026-11-25T11:00:00Z');
    const joined = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Dropped on the floor, case cracked', takeOutOfUse: true, secret: '3579' });
    expect(joined.joined).toBe(true);
    expect(joined.message).toMatch(
      /^IP-7 already has an open work order, WO-0001 \(reported .* by Tom Tech, reported\): your report was added to it\. IP-7 was already out of service, and stays out until WO-0001 returns it to service: do not use it\.$/,
    );
    // The nurse's decision is the reason shown now; no change of status, so no new row of the history.
    expect(await device(w)).toEqual({ status: 'out_of_service', statusReason: 'Fault reported (WO-0001): Dropped on the floor, case cracked. Do not use.' });
    expect((await tom('equipment.statusHistory', { equipmentId: w.pump.id })).map((h) => [h.toStatus, h.cause])).toEqual([['out_of_service', 'rule_12']]);
    derivedAgrees(w);

    // A retest of the safety test alone (the leakage was a bad lead) passes.
    later(w, '2026-11-25T12:00:00Z');
    await tom('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
    const wo = await tom('workOrders.get', { id: joined.workOrder.id });
    expect(wo.state).toBe('reported');
    expect(wo.steps.map((s) => [s.action, s.userName, s.note])).toEqual([
      ['report', 'Tom Tech', `Failed electrical safety test on ${failed.performedOn}. Earth leakage high`],
      ['join', 'Nia Nurse', 'Dropped on the floor, case cracked'],
    ]);
    expect(await device(w)).toEqual({ status: 'out_of_service', statusReason: 'Fault reported (WO-0001): Dropped on the floor, case cracked. Do not use.' });
    derivedAgrees(w);

    // The case is repaired and checked after the repair: only the work order's own return puts the pump back.
    later(w, '2026-11-25T13:00:00Z');
    await tom('workOrders.take', { id: wo.id, secret: '1357' });
    await tom('workOrders.repair', { id: wo.id, workDone: 'Replaced the cracked case', failureCodeId: w.code('failure', 'Mechanical'), causeCodeId: w.code('cause', 'Wear'), secret: '1357' });
    expect(await w.backend.invoke(w.tom, 'workOrders.return', { id: wo.id, secret: '1357' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('cannot be closed without its post-repair check: the electrical safety test since the repair has not passed') },
    });
    later(w, '2026-11-25T13:30:00Z');
    await tom('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
    expect(await device(w)).toMatchObject({ status: 'out_of_service' });
    const returned = await tom('workOrders.return', { id: wo.id, secret: '1357' });
    expect(returned.state).toBe('returned');
    expect(returned.steps.at(-1)).toMatchObject({ action: 'return', userName: 'Tom Tech', bySystem: false });
    expect(await device(w)).toEqual({ status: 'in_service', statusReason: null });
    derivedAgrees(w);
  });

  it('a fault report added without the tick still waits for the work order: the retest pass does not close a report no one has looked at', async () => {
    const w = await repairsWorld();
    const tom = w.as(w.tom);
    await tom('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'fail' }, notes: 'Earth leakage high', secret: '1357' });
    later(w, '2026-11-25T11:00:00Z');
    const joined = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Door latch loose', takeOutOfUse: false, secret: '3579' });
    expect(joined.message).toMatch(/your report was added to it\. IP-7 was already out of service\.$/);
    later(w, '2026-11-25T12:00:00Z');
    await tom('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
    expect((await tom('workOrders.get', { id: joined.workOrder.id })).state).toBe('reported');
    expect(await device(w)).toMatchObject({ status: 'out_of_service' });
    derivedAgrees(w);
  });
});

describe('every test that failed on a work order is passed again before the device returns', () => {
  it('a calibration failed while the taken work order had the pump out: the return is refused until it passes again', async () => {
    const w = await repairsWorld();
    const tom = w.as(w.tom);
    const calPlan = await w.call('plans.create', { equipmentId: w.pump.id, task: 'calibration', every: '1y', startDate: '2026-12-01' });
    const { workOrder } = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Flow looks wrong', takeOutOfUse: true, secret: '3579' });
    later(w, '2026-11-25T10:30:00Z');
    await tom('workOrders.take', { id: workOrder.id, secret: '1357' });
    // As found, 10 ml/h reads 12 and cannot be adjusted: the calibration fails. The pump is out already, so it is not tagged out again.
    const failed = await tom('completions.log', {
      planId: calPlan.id,
      result: { kind: 'measurements', procedureId: w.calibration.id, referenceEquipmentId: w.analyser.id, readings: [{ asFound: 12, asLeft: 12 }, { asFound: 100, asLeft: null }, { asFound: 500, asLeft: null }] },
      secret: '1357',
    });
    expect(failed.outcome).toBe('fail');
    const afterFail = await tom('workOrders.get', { id: workOrder.id });
    expect(afterFail.steps.at(-1)).toMatchObject({ action: 'join', bySystem: true, completionId: failed.id, note: `Failed calibration on ${failed.performedOn}.` });

    later(w, '2026-11-25T11:00:00Z');
    const repaired = await tom('workOrders.repair', { id: workOrder.id, workDone: 'Cleaned the pumping mechanism', failureCodeId: w.code('failure', 'Mechanical'), causeCodeId: w.code('cause', 'Wear'), secret: '1357' });
    expect(repaired.postRepairChecks.map((c) => [c.task, c.planId, c.passedBy])).toEqual([
      ['calibration', calPlan.id, null],
      ['electrical_safety', w.safetyPlan.id, null],
    ]);

    later(w, '2026-11-25T11:30:00Z');
    await tom('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
    expect(await w.backend.invoke(w.tom, 'workOrders.return', { id: workOrder.id, secret: '1357' })).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        field: 'id',
        // The calibration that failed before the repair still holds the pump (rule 12): the refusal names its day.
        message:
          'WO-0001 cannot be closed without its post-repair check: the calibration since the repair has not passed (the calibration of 11/25/2026 failed). Log it, signed, from the work order; then return the device to service.',
      },
    });
    expect(await device(w)).toMatchObject({ status: 'out_of_service' });
    expect((await tom('workOrders.get', { id: workOrder.id })).state).toBe('repaired');

    // Calibrated again after the repair, all in tolerance: now the work order returns the pump.
    later(w, '2026-11-25T12:00:00Z');
    const passed = await tom('completions.log', {
      planId: calPlan.id,
      result: { kind: 'measurements', procedureId: w.calibration.id, referenceEquipmentId: w.analyser.id, readings: [{ asFound: 10, asLeft: null }, { asFound: 100, asLeft: null }, { asFound: 500, asLeft: null }] },
      secret: '1357',
    });
    expect(passed.outcome).toBe('pass');
    const checked = await tom('workOrders.get', { id: workOrder.id });
    expect(checked.postRepairChecks.map((c) => [c.task, c.passedBy?.signedBy ?? null])).toEqual([
      ['calibration', 'Tom Tech'],
      ['electrical_safety', 'Tom Tech'],
    ]);
    later(w, '2026-11-25T12:05:00Z');
    expect((await tom('workOrders.return', { id: workOrder.id, secret: '1357' })).state).toBe('returned');
    expect(await device(w)).toEqual({ status: 'in_service', statusReason: null });
  });

  it('a failed calibration corrected to “not done” (the wrong pump) asks for no calibration after the repair', async () => {
    const w = await repairsWorld();
    const tom = w.as(w.tom);
    const calPlan = await w.call('plans.create', { equipmentId: w.pump.id, task: 'calibration', every: '1y', startDate: '2026-12-01' });
    const { workOrder } = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Flow looks wrong', takeOutOfUse: true, secret: '3579' });
    later(w, '2026-11-25T10:30:00Z');
    await tom('workOrders.take', { id: workOrder.id, secret: '1357' });
    const failed = await tom('completions.log', {
      planId: calPlan.id,
      result: { kind: 'measurements', procedureId: w.calibration.id, referenceEquipmentId: w.analyser.id, readings: [{ asFound: 12, asLeft: 12 }, { asFound: 100, asLeft: null }, { asFound: 500, asLeft: null }] },
      secret: '1357',
    });
    await tom('completions.amend', { amendsId: failed.id, reason: 'The wrong pump was calibrated', result: { kind: 'not_done', reason: 'other', explanation: 'Wrong pump' }, secret: '1357' });
    later(w, '2026-11-25T11:00:00Z');
    const repaired = await tom('workOrders.repair', { id: workOrder.id, workDone: 'Cleaned the pumping mechanism', failureCodeId: w.code('failure', 'Mechanical'), causeCodeId: w.code('cause', 'Wear'), secret: '1357' });
    expect(repaired.postRepairChecks.map((c) => c.task)).toEqual(['electrical_safety']);
  });
});

/** A hospital's own test whose fail takes the device out of service, but opens no work order (the admin's choice). */
async function leakTest(w: World) {
  const leak = await w.call('taskTypes.create', { label: 'Leak test', formKind: 'plain', failTakesOutOfService: true, overdueMeansDoNotUse: false, failOpensWorkOrder: false });
  const plan = await w.call('plans.create', { equipmentId: w.pump.id, task: leak.code, every: '1y', startDate: '2026-11-01' });
  return { leak, plan };
}

const repairCase = (w: World, id: string) =>
  w.as(w.tom)('workOrders.repair', { id, workDone: 'New case', failureCodeId: w.code('failure', 'Mechanical'), causeCodeId: w.code('cause', 'Wear'), secret: '1357' });

describe('a failed test that holds the device is passed again before its work order returns it (rule 12)', () => {
  it('a leak test failed (tagged out, no work order of its own), then a cracked case reported: the return is refused naming the leak test until it passes again', async () => {
    const w = await repairsWorld();
    const tom = w.as(w.tom);
    const { leak, plan } = await leakTest(w);
    const failed = await tom('completions.log', { planId: plan.id, result: { kind: 'outcome', outcome: 'fail' }, notes: 'Drips at the door seal', secret: '1357' });
    expect(await w.status()).toBe('out_of_service');
    const { workOrder } = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Cracked case', takeOutOfUse: true, secret: '3579' });
    later(w, '2026-11-25T11:00:00Z');
    await tom('workOrders.take', { id: workOrder.id, secret: '1357' });
    const repaired = await repairCase(w, workOrder.id);
    expect(repaired.postRepairChecks.map((c) => [c.taskLabel, c.passedBy])).toEqual([
      ['Electrical safety test', null],
      ['Leak test', null],
    ]);
    later(w, '2026-11-25T11:30:00Z');
    await tom('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
    later(w, '2026-11-25T11:40:00Z');
    expect(await w.backend.invoke(w.tom, 'workOrders.return', { id: workOrder.id, secret: '1357' })).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        field: 'id',
        message: `WO-0001 cannot be closed without its post-repair check: the leak test since the repair has not passed (the leak test of 11/25/2026 failed). Log it, signed, from the work order; then return the device to service.`,
      },
    });
    expect(failed.performedOn).toBe('2026-11-25');
    expect(await w.status()).toBe('out_of_service');

    // The leak test passes again: it stays on the list, passed, and the work order returns the pump.
    later(w, '2026-11-25T12:00:00Z');
    const pass = await tom('completions.log', { planId: plan.id, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
    expect(await w.status()).toBe('out_of_service');
    const checked = await tom('workOrders.get', { id: workOrder.id });
    expect(checked.postRepairChecks.map((c) => [c.task, c.passedBy?.completionId ?? null])).toEqual([
      ['electrical_safety', expect.any(String)],
      [leak.code, pass.id],
    ]);
    later(w, '2026-11-25T12:05:00Z');
    expect((await tom('workOrders.return', { id: workOrder.id, secret: '1357' })).state).toBe('returned');
    expect(await device(w)).toEqual({ status: 'in_service', statusReason: null });
    derivedAgrees(w);
  });

  it('a leak test failed while the taken work order had the pump out: it is one of the post-repair checks, and the return waits for its pass', async () => {
    const w = await repairsWorld();
    const tom = w.as(w.tom);
    const { plan } = await leakTest(w);
    const { workOrder } = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Cracked case', takeOutOfUse: true, secret: '3579' });
    later(w, '2026-11-25T10:30:00Z');
    await tom('workOrders.take', { id: workOrder.id, secret: '1357' });
    await tom('completions.log', { planId: plan.id, result: { kind: 'outcome', outcome: 'fail' }, notes: 'Drips at the door seal', secret: '1357' });
    later(w, '2026-11-25T11:00:00Z');
    await repairCase(w, workOrder.id);
    later(w, '2026-11-25T11:30:00Z');
    await tom('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
    const view = await tom('workOrders.get', { id: workOrder.id });
    expect(view.postRepairChecks.map((c) => [c.taskLabel, c.passedBy === null])).toEqual([
      ['Electrical safety test', false],
      ['Leak test', true],
    ]);
    later(w, '2026-11-25T11:40:00Z');
    const refused = await w.backend.invoke(w.tom, 'workOrders.return', { id: workOrder.id, secret: '1357' });
    expect(refused.ok ? '' : refused.error.message).toContain('the leak test since the repair has not passed');
    expect(await w.status()).toBe('out_of_service');
    later(w, '2026-11-25T12:00:00Z');
    await tom('completions.log', { planId: plan.id, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
    later(w, '2026-11-25T12:05:00Z');
    expect((await tom('workOrders.return', { id: workOrder.id, secret: '1357' })).state).toBe('returned');
    expect(await w.status()).toBe('in_service');
  });
});

describe('the repair record corrected', () => {
  it('corrected to "not done" (logged on the wrong pump): the work order goes back to in progress with a step saying why, and the return waits for a new repair', async () => {
    const w = await repairsWorld();
    const tom = w.as(w.tom);
    const { workOrder } = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Occlusion alarm', takeOutOfUse: true, secret: '3579' });
    later(w, '2026-11-25T11:00:00Z');
    await tom('workOrders.take', { id: workOrder.id, secret: '1357' });
    const repaired = await tom('workOrders.repair', {
      id: workOrder.id,
      workDone: 'Replaced the occlusion sensor',
      failureCodeId: w.code('failure', 'Mechanical'),
      causeCodeId: w.code('cause', 'Wear'),
      secret: '1357',
    });
    later(w, '2026-11-25T11:10:00Z');
    const corrected = await tom('completions.amend', {
      amendsId: repaired.repairCompletionId!,
      result: { kind: 'not_done', reason: 'other', explanation: 'Logged on the wrong pump: IP-8 was repaired, not IP-7' },
      reason: 'Wrong pump',
      secret: '1357',
    });
    const sentBack = await tom('workOrders.get', { id: workOrder.id });
    expect(sentBack.state).toBe('in_progress');
    expect(sentBack.steps.at(-1)).toMatchObject({
      action: 'check',
      fromState: 'repaired',
      toState: 'in_progress',
      bySystem: true,
      completionId: corrected.id,
      note: 'Its repair record was corrected to "not done: other reason": a new repair is logged, and its post-repair checks pass, before the device is used.',
    });
    // No repair stands: its codes and work done are not given as the work order's (the page says what it was corrected to, from the step).
    expect([sentBack.failureCode, sentBack.causeCode, sentBack.workDone, sentBack.repairCompletionId]).toEqual([null, null, null, repaired.repairCompletionId]);
    expect(checkHeads(w.core.db)).toEqual([]);

    // The safety test passes, but no repair stands: the return is refused.
    later(w, '2026-11-25T11:30:00Z');
    await tom('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
    later(w, '2026-11-25T11:40:00Z');
    const refused = await w.backend.invoke(w.tom, 'workOrders.return', { id: workOrder.id, secret: '1357' });
    expect(refused.ok ? '' : refused.error.message).toContain('WO-0001 cannot be closed: it is in progress');
    expect(await w.status()).toBe('out_of_service');

    // The real repair, then its check: returned.
    later(w, '2026-11-25T12:00:00Z');
    const again = await tom('workOrders.repair', { id: workOrder.id, workDone: 'Replaced the occlusion sensor', failureCodeId: w.code('failure', 'Mechanical'), causeCodeId: w.code('cause', 'Wear'), secret: '1357' });
    expect([again.failureCode?.label, again.causeCode?.label, again.workDone]).toEqual(['Mechanical', 'Wear', 'Replaced the occlusion sensor']);
    later(w, '2026-11-25T12:30:00Z');
    await tom('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
    later(w, '2026-11-25T12:35:00Z');
    expect((await tom('workOrders.return', { id: workOrder.id, secret: '1357' })).state).toBe('returned');
    expect(await w.status()).toBe('in_service');
  });

  it('a correction of the repair record that keeps it a pass (a typo in the work done) leaves the work order repaired', async () => {
    const w = await repairsWorld();
    const tom = w.as(w.tom);
    const { workOrder } = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Occlusion alarm', takeOutOfUse: true, secret: '3579' });
    later(w, '2026-11-25T11:00:00Z');
    await tom('workOrders.take', { id: workOrder.id, secret: '1357' });
    const repaired = await tom('workOrders.repair', { id: workOrder.id, workDone: 'Replaced the ocllusion sensor', failureCodeId: w.code('failure', 'Mechanical'), causeCodeId: w.code('cause', 'Wear'), secret: '1357' });
    later(w, '2026-11-25T11:10:00Z');
    const first = await tom('completions.amend', { amendsId: repaired.repairCompletionId!, result: { kind: 'outcome', outcome: 'pass' }, notes: 'Replaced the occlusion sensor', reason: 'Typo', secret: '1357' });
    const wo = await tom('workOrders.get', { id: workOrder.id });
    expect(wo.state).toBe('repaired');
    // The repair stands: its codes are still the work order's, and its work done reads as corrected.
    expect([wo.failureCode?.label, wo.causeCode?.label, wo.workDone]).toEqual(['Mechanical', 'Wear', 'Replaced the occlusion sensor']);
    // Corrected again, the notes as the repair wrote them ("WO-0001: " and the work done).
    later(w, '2026-11-25T11:20:00Z');
    const typo = await tom('completions.amend', { amendsId: first.id, result: { kind: 'outcome', outcome: 'pass' }, notes: 'WO-0001: Replaced the occlusion sensor and its seal', reason: 'Seal too', secret: '1357' });
    expect(typo.outcome).toBe('pass');
    expect((await tom('workOrders.get', { id: workOrder.id })).workDone).toBe('Replaced the occlusion sensor and its seal');
  });
});

describe('a check signed before the repair while the PC’s clock ran ahead, then put right', () => {
  it('is not the post-repair check: the return is refused until a check signed after the repair passes', async () => {
    const w = await repairsWorld();
    const tom = w.as(w.tom);
    const { workOrder } = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Occlusion alarm', takeOutOfUse: true, secret: '3579' });
    later(w, '2026-11-25T10:30:00Z');
    await tom('workOrders.take', { id: workOrder.id, secret: '1357' });
    // The PC's clock runs four hours ahead: a safety test done before the repair is signed at "14:00".
    later(w, '2026-11-25T14:00:00Z');
    await tom('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
    // IT puts the clock right; the repair is logged at 10:40, after that test, though its time reads earlier.
    later(w, '2026-11-25T10:40:00Z');
    const repaired = await tom('workOrders.repair', { id: workOrder.id, workDone: 'New occlusion sensor', failureCodeId: w.code('failure', 'Mechanical'), causeCodeId: w.code('cause', 'Wear'), secret: '1357' });
    expect(repaired.postRepairChecks.map((c) => [c.task, c.passedBy])).toEqual([['electrical_safety', null]]);
    later(w, '2026-11-25T10:45:00Z');
    expect(await w.backend.invoke(w.tom, 'workOrders.return', { id: workOrder.id, secret: '1357' })).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        field: 'id',
        message:
          'WO-0001 cannot be closed without its post-repair check: the electrical safety test since the repair has not passed. Log it, signed, from the work order; then return the device to service.',
      },
    });
    expect(await w.status()).toBe('out_of_service');

    // The safety test done after the repair returns it.
    later(w, '2026-11-25T10:50:00Z');
    const check = await tom('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
    expect((await tom('workOrders.get', { id: workOrder.id })).postRepairChecks.map((c) => c.passedBy?.completionId ?? null)).toEqual([check.id]);
    later(w, '2026-11-25T10:55:00Z');
    expect((await tom('workOrders.return', { id: workOrder.id, secret: '1357' })).state).toBe('returned');
    expect(await device(w)).toEqual({ status: 'in_service', statusReason: null });
  });
});

describe('a check signed after the repair while the PC’s clock ran ahead at the repair, then put back', () => {
  /** WO-0001 taken at 10:30; the PC's clock runs four hours ahead when the repair is logged ("14:00"); IT puts it back to 10:50. */
  async function repairedAhead(w: World) {
    const tom = w.as(w.tom);
    const { workOrder } = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Occlusion alarm', takeOutOfUse: true, secret: '3579' });
    later(w, '2026-11-25T10:30:00Z');
    await tom('workOrders.take', { id: workOrder.id, secret: '1357' });
    later(w, '2026-11-25T14:00:00Z');
    await tom('workOrders.repair', { id: workOrder.id, workDone: 'New occlusion sensor', failureCodeId: w.code('failure', 'Mechanical'), causeCodeId: w.code('cause', 'Wear'), secret: '1357' });
    later(w, '2026-11-25T10:50:00Z');
    return workOrder.id;
  }

  it('a pass counts though its time reads before the repair’s: the check is passed, and the return puts the pump back in service', async () => {
    const w = await repairsWorld();
    const tom = w.as(w.tom);
    const id = await repairedAhead(w);
    const check = await tom('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
    const wo = await tom('workOrders.get', { id });
    expect(wo.postRepairChecks.map((c) => [c.task, c.passedBy?.completionId ?? null])).toEqual([['electrical_safety', check.id]]);
    expect(wo.steps.at(-1)).toMatchObject({ action: 'check', toState: 'repaired', completionId: check.id, note: 'Electrical safety test: pass on 2026-11-25.' });
    later(w, '2026-11-25T10:55:00Z');
    const back = await w.backend.invoke(w.tom, 'workOrders.return', { id, secret: '1357' });
    expect(back.ok ? back.value.state : back.error.message).toBe('returned');
    expect(await device(w)).toEqual({ status: 'in_service', statusReason: null });
    expect(checkHeads(w.core.db)).toEqual([]);
  });

  it('a fail sends the work order back to in progress, as any failed check does, and the return is refused', async () => {
    const w = await repairsWorld();
    const tom = w.as(w.tom);
    const id = await repairedAhead(w);
    const check = await tom('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'fail' }, secret: '1357' });
    const wo = await tom('workOrders.get', { id });
    expect(wo.state).toBe('in_progress');
    expect(wo.steps.at(-1)).toMatchObject({ action: 'check', toState: 'in_progress', completionId: check.id, note: 'Electrical safety test failed on 2026-11-25: the device needs more work before it is used.' });
    expect(checkHeads(w.core.db)).toEqual([]);
    later(w, '2026-11-25T10:55:00Z');
    const refused = await w.backend.invoke(w.tom, 'workOrders.return', { id, secret: '1357' });
    expect(refused.ok ? '' : refused.error.message).toContain('WO-0001 cannot be closed: it is in progress');
    expect(await w.status()).toBe('out_of_service');
  });

  it('a check typed as done before the repair, on a PC whose clock agrees, still counts for none', async () => {
    const w = await repairsWorld();
    const tom = w.as(w.tom);
    const { workOrder } = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Occlusion alarm', takeOutOfUse: true, secret: '3579' });
    later(w, '2026-11-25T10:30:00Z');
    await tom('workOrders.take', { id: workOrder.id, secret: '1357' });
    later(w, '2026-11-25T11:00:00Z');
    await tom('workOrders.repair', { id: workOrder.id, workDone: 'New occlusion sensor', failureCodeId: w.code('failure', 'Mechanical'), causeCodeId: w.code('cause', 'Wear'), secret: '1357' });
    later(w, '2026-11-25T11:20:00Z');
    // Entered after the repair, but the work was done at 10:40, before it.
    await tom('completions.log', { planId: w.safetyPlan.id, performedAt: '2026-11-25T10:40:00Z', result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
    const wo = await tom('workOrders.get', { id: workOrder.id });
    expect(wo.postRepairChecks.map((c) => [c.task, c.passedBy])).toEqual([['electrical_safety', null]]);
    expect(wo.state).toBe('repaired');
  });
});

describe('a record the return rested on, corrected after the return', () => {
  /** WO-0001: the occlusion sensor replaced at 11:00, the safety test passed at 11:30, returned at 11:40. */
  async function returned() {
    const w = await repairsWorld();
    const tom = w.as(w.tom);
    const { workOrder } = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Occlusion alarm', takeOutOfUse: true, secret: '3579' });
    later(w, '2026-11-25T11:00:00Z');
    await tom('workOrders.take', { id: workOrder.id, secret: '1357' });
    const repaired = await tom('workOrders.repair', { id: workOrder.id, workDone: 'Replaced the occlusion sensor', failureCodeId: w.code('failure', 'Mechanical'), causeCodeId: w.code('cause', 'Wear'), secret: '1357' });
    later(w, '2026-11-25T11:30:00Z');
    const check = await tom('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
    later(w, '2026-11-25T11:40:00Z');
    expect((await tom('workOrders.return', { id: workOrder.id, secret: '1357' })).state).toBe('returned');
    expect(await w.status()).toBe('in_service');
    later(w, '2026-11-25T12:00:00Z');
    return { w, tom, workOrder, repairId: repaired.repairCompletionId!, check };
  }

  /** A new repair and its check return the reopened work order, and the pump, to service. */
  async function repairAgain(w: World, id: string) {
    const tom = w.as(w.tom);
    later(w, '2026-11-25T13:00:00Z');
    await tom('workOrders.repair', { id, workDone: 'Replaced the occlusion sensor', failureCodeId: w.code('failure', 'Mechanical'), causeCodeId: w.code('cause', 'Wear'), secret: '1357' });
    later(w, '2026-11-25T13:30:00Z');
    await tom('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
    later(w, '2026-11-25T13:40:00Z');
    expect((await tom('workOrders.return', { id, secret: '1357' })).state).toBe('returned');
    expect(await device(w)).toEqual({ status: 'in_service', statusReason: null });
    expect(checkHeads(w.core.db)).toEqual([]);
    derivedAgrees(w);
  }

  it('the repair record corrected to "not done" (logged on the wrong pump): the work order reopens, in progress, and the pump is out of service until a new repair and its check', async () => {
    const { w, tom, workOrder, repairId } = await returned();
    const corrected = await tom('completions.amend', {
      amendsId: repairId,
      result: { kind: 'not_done', reason: 'other', explanation: 'Logged on the wrong pump: IP-8 was repaired, not IP-7' },
      reason: 'Wrong pump',
      secret: '1357',
    });
    const wo = await tom('workOrders.get', { id: workOrder.id });
    expect(wo.state).toBe('in_progress');
    expect(wo.closedAt).toBeNull();
    expect([wo.failureCode, wo.causeCode, wo.workDone]).toEqual([null, null, null]);
    expect(wo.steps.at(-1)).toMatchObject({
      action: 'check',
      fromState: 'returned',
      toState: 'in_progress',
      bySystem: true,
      completionId: corrected.id,
      note: 'Reopened: its repair record was corrected to "not done: other reason". A new repair is logged, and its post-repair checks pass, before the device is used.',
    });
    expect(await device(w)).toEqual({ status: 'out_of_service', statusReason: 'Reopened (WO-0001): its repair record was corrected to "not done: other reason". Do not use.' });
    expect((await tom('workOrders.ofEquipment', { equipmentId: w.pump.id })).open?.id).toBe(workOrder.id);
    // Every PC folds the steps alike, and verify finds the head as its steps leave it.
    expect(checkHeads(w.core.db)).toEqual([]);
    derivedAgrees(w);
    await repairAgain(w, workOrder.id);
  });

  it('the post-repair check corrected to a fail: the same work order reopens (no second one), and the pump is out of service', async () => {
    const { w, tom, workOrder, check } = await returned();
    const corrected = await tom('completions.amend', { amendsId: check.id, reason: 'Earth leakage was misread', result: { kind: 'outcome', outcome: 'fail' }, secret: '1357' });
    const wo = await tom('workOrders.get', { id: workOrder.id });
    expect(wo.state).toBe('in_progress');
    expect(wo.steps.at(-1)).toMatchObject({
      action: 'check',
      fromState: 'returned',
      toState: 'in_progress',
      completionId: corrected.id,
      note: 'Reopened: its post-repair electrical safety test was corrected to "fail". A new repair is logged, and its post-repair checks pass, before the device is used.',
    });
    expect(await w.status()).toBe('out_of_service');
    expect((await tom('workOrders.list', { status: 'all' })).map((r) => [r.ref, r.state])).toEqual([['WO-0001', 'in_progress']]);
    expect(checkHeads(w.core.db)).toEqual([]);
    derivedAgrees(w);
    await repairAgain(w, workOrder.id);
  });

  it('the check corrected after a later pass of it, or corrected keeping its pass, leaves the work order returned', async () => {
    const { w, tom, workOrder, check } = await returned();
    const typo = await tom('completions.amend', { amendsId: check.id, reason: 'Typo', result: { kind: 'outcome', outcome: 'pass' }, notes: 'Lead 2', secret: '1357' });
    expect((await tom('workOrders.get', { id: workOrder.id })).state).toBe('returned');
    // The annual safety test, passed since: the correction of the post-repair one leaves nothing unchecked.
    later(w, '2026-11-25T12:30:00Z');
    await tom('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
    later(w, '2026-11-25T12:40:00Z');
    await tom('completions.amend', { amendsId: typo.id, reason: 'Misread', result: { kind: 'outcome', outcome: 'fail' }, secret: '1357' });
    expect((await tom('workOrders.get', { id: workOrder.id })).state).toBe('returned');
    expect(await w.status()).toBe('in_service');
  });
});
