import { describe, expect, it } from 'vitest';
import { checkHeads } from '../../../main/core/permanent/heads';
import type { Session } from '../../../main/core/session';
import { deriveServiceState } from '../../../main/core/sync/service-status';
import { repairsWorld } from './fixture';

/**
 * Return to service restores service only for what the work order held the device out for (its
 * fault reports, its failed tests): a decision made apart from it stands (issue 16).
 */
type World = Awaited<ReturnType<typeof repairsWorld>>;

function later(w: World, iso: string, ...active: Session[]) {
  w.clock.set(iso);
  for (const s of [w.admin, w.tom, w.nia, w.sue, ...active]) s.lastActivityMs = w.clock.now().getTime();
}

const RECALL = 'Manufacturer recall FSN-2026-11: do not use until the firmware is updated';

/** Nia reports a fault, Tom takes it, repairs it at 11:00Z and passes its safety check at 11:30Z; returned at 11:35Z. */
async function reportRepairReturn(w: World, problem: string) {
  later(w, '2026-11-25T10:30:00Z');
  const { workOrder } = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem, takeOutOfUse: true, secret: '3579' });
  const tom = w.as(w.tom);
  await tom('workOrders.take', { id: workOrder.id, secret: '1357' });
  later(w, '2026-11-25T11:00:00Z');
  await tom('workOrders.repair', { id: workOrder.id, workDone: 'New door', failureCodeId: w.code('failure', 'Mechanical'), causeCodeId: w.code('cause', 'Wear'), secret: '1357' });
  later(w, '2026-11-25T11:30:00Z');
  await tom('completions.log', { planId: w.safetyPlan.id, result: { kind: 'outcome', outcome: 'pass' }, secret: '1357' });
  later(w, '2026-11-25T11:35:00Z');
  return tom('workOrders.return', { id: workOrder.id, secret: '1357' });
}

describe('a supervisor’s decision made apart from the work order', () => {
  it('a recall stands when a later fault work order is returned: the work order closes, the pump stays out, and the return says why and who set it', async () => {
    const w = await repairsWorld();
    await w.as(w.sue)('equipment.setStatus', { id: w.pump.id, status: 'out_of_service', reason: RECALL });
    // A technician may not put it back in service by hand.
    expect(await w.backend.invoke(w.tom, 'equipment.setStatus', { id: w.pump.id, status: 'in_service', reason: 'fine' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const returned = await reportRepairReturn(w, 'Door cracked');
    expect(returned.state).toBe('returned');
    const sentence = `IP-7 stays out of service: ${RECALL}, set by Sue Super; a supervisor puts it back in service.`;
    expect(returned.steps.at(-1)).toMatchObject({ action: 'return', userName: 'Tom Tech', details: { stillOut: sentence } });
    expect(returned.equipment).toMatchObject({ status: 'out_of_service', statusReason: RECALL });
    const pump = await w.call('equipment.get', { id: w.pump.id });
    expect({ status: pump.status, reason: pump.statusReason }).toEqual({ status: 'out_of_service', reason: RECALL });
    // No change of status was recorded by the return, and every PC of a hub derives the same status.
    const history = await w.call('equipment.statusHistory', { equipmentId: w.pump.id });
    expect(history.map((c) => [c.toStatus, c.cause])).toEqual([['out_of_service', 'person']]);
    expect(deriveServiceState(w.core, w.pump.id)).toMatchObject({ status: 'out_of_service', statusReason: RECALL });
    expect(checkHeads(w.core.db)).toEqual([]);

    // The work order is closed, so the supervisor now puts it back in service herself.
    later(w, '2026-11-26T09:00:00Z');
    await w.as(w.sue)('equipment.setStatus', { id: w.pump.id, status: 'in_service', reason: 'Firmware 4.2 installed' });
    expect(await w.status()).toBe('in_service');
  });

  it('a device the fault report took out goes back in service on the return, as before', async () => {
    const w = await repairsWorld();
    const returned = await reportRepairReturn(w, 'Door cracked');
    expect(returned.steps.at(-1)?.details.stillOut).toBeUndefined();
    expect(await w.status()).toBe('in_service');
    expect(checkHeads(w.core.db)).toEqual([]);
  });

  it('a recall lifted before the fault was reported holds nothing: the return puts the pump back in service', async () => {
    const w = await repairsWorld();
    const sue = w.as(w.sue);
    await sue('equipment.setStatus', { id: w.pump.id, status: 'out_of_service', reason: 'Recall A' });
    later(w, '2026-11-24T09:00:00Z');
    await sue('equipment.setStatus', { id: w.pump.id, status: 'in_service', reason: 'Recall A closed' });
    // In service when the fault is reported: the report takes it out, and the return puts it back.
    await reportRepairReturn(w, 'Door cracked');
    expect(await w.status()).toBe('in_service');
  });
});
