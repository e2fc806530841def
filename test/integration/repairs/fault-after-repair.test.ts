import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { checkHeads } from '../../../main/core/permanent/heads';
import type { StepFact } from '../../../main/core/repairs/head';
import { foldSteps, headOf, refreshHead } from '../../../main/core/repairs/head';
import type { Session } from '../../../main/core/session';
import { repairsWorld } from './fixture';

/**
 * A fault found after the repair, while the work order waits for its return (issue 16): the repair
 * does not cover it. The integration project runs in America/New_York.
 */
type World = Awaited<ReturnType<typeof repairsWorld>>;

function later(w: World, iso: string, ...active: Session[]) {
  w.clock.set(iso);
  for (const s of [w.admin, w.tom, w.nia, w.sue, ...active]) s.lastActivityMs = w.clock.now().getTime();
}

const repair = (w: World, id: string, workDone: string) =>
  w.as(w.tom)('workOrders.repair', { id, workDone, failureCodeId: w.code('failure', 'Mechanical'), causeCodeId: w.code('cause', 'Wear'), secret: '1357' });
const safetyPass = (w: World) => w.as(w.tom)('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });

/** Reported by Nia (out of use), taken and repaired by Tom at 11:00Z, its electrical safety check passed at 11:30Z. */
async function repairedAndChecked(w: World): Promise<string> {
  const { workOrder } = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Occlusion alarm', takeOutOfUse: true, secret: '3579' });
  await w.as(w.tom)('workOrders.take', { id: workOrder.id, secret: '1357' });
  later(w, '2026-11-25T11:00:00Z');
  await repair(w, workOrder.id, 'Replaced the occlusion sensor');
  later(w, '2026-11-25T11:30:00Z');
  await safetyPass(w);
  const checked = await w.as(w.tom)('workOrders.get', { id: workOrder.id });
  expect(checked.state).toBe('repaired');
  expect(checked.postRepairChecks.every((c) => c.passedBy !== null)).toBe(true);
  return workOrder.id;
}

describe('a fault reported on a repaired device before its return', () => {
  it('sends the work order back to in progress: the return on the check done before the drop is refused, a new repair and check return it', async () => {
    const w = await repairsWorld();
    const id = await repairedAndChecked(w);
    // Waiting on the ward to be collected, the repaired pump is dropped.
    later(w, '2026-11-25T12:00:00Z');
    const joined = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Dropped: casing cracked, door will not latch', takeOutOfUse: true, secret: '3579' });
    expect(joined.joined).toBe(true);
    expect(joined.message).toContain(
      'WO-0001 goes back to in progress: its repair was logged before your report, so a new repair and its post-repair checks are needed before IP-7 returns to service.',
    );
    expect(joined.workOrder.state).toBe('in_progress');
    expect(joined.workOrder.steps.at(-1)).toMatchObject({ action: 'join', fromState: 'repaired', toState: 'in_progress', userName: 'Nia Nurse' });

    later(w, '2026-11-25T12:05:00Z');
    const refused = await w.backend.invoke(w.tom, 'workOrders.return', { id, secret: '1357' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(refused.ok ? '' : refused.error.message).toContain('WO-0001 cannot be closed: it is in progress');
    expect(await w.status()).toBe('out_of_service');
    // Every PC folds the same steps to the same state, and verify finds the head as its steps leave it.
    expect(headOf(w.core, id)?.state).toBe('in_progress');
    expect(checkHeads(w.core.db)).toEqual([]);

    // A new repair; its checks count from then: the pass of 11:30 is not one of them.
    later(w, '2026-11-25T13:00:00Z');
    const again = await repair(w, id, 'New casing and door latch');
    expect(again.state).toBe('repaired');
    expect(again.postRepairChecks.find((c) => c.task === 'electrical_safety')?.passedBy).toBeNull();
    expect((await w.backend.invoke(w.tom, 'workOrders.return', { id, secret: '1357' })).ok).toBe(false);
    later(w, '2026-11-25T13:30:00Z');
    await safetyPass(w);
    for (const c of (await w.as(w.tom)('workOrders.get', { id })).postRepairChecks) expect(c.passedBy, c.task).not.toBeNull();
    later(w, '2026-11-25T13:35:00Z');
    const returned = await w.as(w.tom)('workOrders.return', { id, secret: '1357' });
    expect(returned.state).toBe('returned');
    expect(await w.status()).toBe('in_service');
    expect(checkHeads(w.core.db)).toEqual([]);
  });

  it('a fault report without "take it out of use" sends it back too: the device stays out, held by the work order', async () => {
    const w = await repairsWorld();
    const id = await repairedAndChecked(w);
    later(w, '2026-11-25T12:00:00Z');
    const joined = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Screen flickers', takeOutOfUse: false, secret: '3579' });
    expect(joined.workOrder.state).toBe('in_progress');
    expect((await w.backend.invoke(w.tom, 'workOrders.return', { id, secret: '1357' })).ok).toBe(false);
    expect(await w.status()).toBe('out_of_service');
  });

  it('a report added before the repair is covered by it: the repair stands', async () => {
    const w = await repairsWorld();
    const { workOrder } = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Alarm', takeOutOfUse: true, secret: '3579' });
    later(w, '2026-11-25T10:00:00Z');
    const joined = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Also the door', takeOutOfUse: true, secret: '3579' });
    expect(joined.message).not.toContain('goes back to in progress');
    await w.as(w.tom)('workOrders.take', { id: workOrder.id, secret: '1357' });
    later(w, '2026-11-25T11:00:00Z');
    expect((await repair(w, workOrder.id, 'Sensor and door')).state).toBe('repaired');
    expect(headOf(w.core, workOrder.id)?.state).toBe('repaired');
  });
});

describe('a fault reported after the repair by a PC whose clock is behind (put back, or a slow ward PC of the hub that has the repair)', () => {
  it('the report is stamped after the repair and its check, so the steps fold to in progress: verify agrees, a sync refresh keeps it, the return on the old check is refused', async () => {
    const w = await repairsWorld();
    const id = await repairedAndChecked(w);
    // The PC's clock is corrected back 40 minutes: the nurse drops the pump after its repair and check, and reports it.
    later(w, '2026-11-25T10:50:00Z');
    const dropped = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Dropped on the floor, door hinge broken', takeOutOfUse: true, secret: '3579' });
    expect(dropped.message).toContain('goes back to in progress');
    // A step is never stamped before the work order's last step (the check of 11:30).
    const stamps = dropped.workOrder.steps.map((s) => s.at);
    expect(stamps).toEqual([...stamps].sort());
    expect(dropped.workOrder.steps.at(-1)).toMatchObject({ action: 'join', at: '2026-11-25T11:30:00.001Z' });

    expect(headOf(w.core, id)?.state).toBe('in_progress');
    expect(checkHeads(w.core.db)).toEqual([]);
    inTransaction(w.core, (core) => refreshHead(core, id));
    expect((await w.as(w.tom)('workOrders.get', { id })).state).toBe('in_progress');
    later(w, '2026-11-25T12:00:00Z');
    expect((await w.backend.invoke(w.tom, 'workOrders.return', { id, secret: '1357' })).ok).toBe(false);
    expect(await w.status()).toBe('out_of_service');
  });
});

describe('the fold rule every PC applies to a fault report joined to a repaired work order', () => {
  const step = (id: string, action: StepFact['action'], to: StepFact['to_state'], at: string): StepFact => ({
    id,
    action,
    to_state: to,
    at,
    user_id: null,
    user_name: 'Someone',
    note: null,
    details: '{}',
  });
  const repaired = [
    step('01', 'report', 'reported', '2026-11-25T09:00:00Z'),
    step('02', 'take', 'in_progress', '2026-11-25T10:00:00Z'),
    step('03', 'repair', 'repaired', '2026-11-25T11:00:00Z'),
  ];

  it('a report after the repair sends it back, whatever state the PC that wrote it knew (it had not yet heard of the repair)', () => {
    expect(foldSteps([...repaired, step('04', 'join', 'in_progress', '2026-11-25T12:00:00Z')])?.state).toBe('in_progress');
    expect(foldSteps([...repaired, step('04', 'join', 'reported', '2026-11-25T12:00:00Z')])?.state).toBe('in_progress');
  });

  it('a report written as leaving it repaired (by a PC before this rule) leaves it repaired, as that PC folded it', () => {
    expect(foldSteps([...repaired, step('04', 'join', 'repaired', '2026-11-25T12:00:00Z')])?.state).toBe('repaired');
  });

  it('a closed work order stays closed, and a report before the repair changes nothing', () => {
    expect(foldSteps([...repaired, step('04', 'return', 'returned', '2026-11-25T12:00:00Z'), step('05', 'join', 'in_progress', '2026-11-25T12:30:00Z')])?.state).toBe('returned');
    const early = [repaired[0]!, repaired[1]!, step('025', 'join', 'in_progress', '2026-11-25T10:30:00Z'), repaired[2]!];
    expect(foldSteps(early)?.state).toBe('repaired');
  });

  it('a returned work order reopens only by the step made on it as returned (a record its return rested on corrected); steps after that fold as on any open one', () => {
    const returned = [...repaired, step('04', 'return', 'returned', '2026-11-25T12:00:00Z')];
    const reopen = { ...step('05', 'check', 'in_progress', '2026-11-25T12:30:00Z'), details: '{"reopens":true}' };
    expect(foldSteps([...returned, step('05', 'check', 'in_progress', '2026-11-25T12:30:00Z')])).toMatchObject({ state: 'returned', closed_at: '2026-11-25T12:00:00Z' });
    expect(foldSteps([...returned, reopen])).toMatchObject({ state: 'in_progress', closed_at: null });
    expect(foldSteps([...returned, reopen, step('06', 'repair', 'repaired', '2026-11-25T13:00:00Z')])?.state).toBe('repaired');
    const retired = [...repaired, step('04', 'retire', 'retired', '2026-11-25T12:00:00Z'), reopen];
    expect(foldSteps(retired)?.state).toBe('retired');
  });
});
