import { expect } from 'vitest';
import { newSession } from '../../../main/core/session';
import { loggingWorld } from '../completions/fixture';

/**
 * The logging world (an admin, technician Tom with PIN 1357) plus pump IP-7 on Ward 4B with an
 * electrical safety plan, ward staff Nia (PIN 3579) whose home is that ward, supervisor Sue
 * (PIN 2468), and the ward store with two occlusion sensors.
 */
export async function repairsWorld() {
  const w = await loggingWorld();
  const ward = await w.call('locations.create', { name: 'Ward 4B', parentId: w.site.id });
  const pump = await w.call('equipment.create', { assetTag: 'IP-7', name: 'Infusion pump', locationId: ward.id, categoryId: w.pumps.id, risk: 'high' });
  const safetyPlan = await w.call('plans.create', { equipmentId: pump.id, task: 'electrical_safety', every: '1y', startDate: '2026-12-01' });
  const nia = newSession(w.clock.now().getTime());
  await w.call('users.create', { name: 'Nia Nurse', role: 'ward_staff', temporaryPin: '2580', homeLocationId: ward.id });
  await w.as(nia)('auth.signIn', { name: 'Nia Nurse', secret: '2580' });
  await w.as(nia)('auth.setOwnPin', { currentSecret: '2580', newPin: '3579' });
  const sue = newSession(w.clock.now().getTime());
  await w.call('users.create', { name: 'Sue Super', role: 'supervisor', temporaryPin: '2580' });
  await w.as(sue)('auth.signIn', { name: 'Sue Super', secret: '2580' });
  await w.as(sue)('auth.setOwnPin', { currentSecret: '2580', newPin: '2468' });
  const store = await w.call('stock.locations.create', { name: 'Ward 4B store', kind: 'store', locationId: ward.id });
  const sensor = await w.call('stock.items.create', { name: 'Occlusion sensor', code: 'OCC-S', unit: 'piece' });
  await w.call('stock.levels.set', { stockLocationId: store.id, itemId: sensor.id, par: 2, minimum: 1 });
  await w.call('stock.restock', { stockLocationId: store.id, itemId: sensor.id, quantity: 2, lot: 'L1', expiresOn: '2028-01-31' });
  const codes = await w.as(w.tom)('workOrders.codes', {});
  const code = (kind: 'failure' | 'cause', label: string) => {
    const c = codes.find((x) => x.kind === kind && x.label === label);
    expect(c, `${kind} code ${label}`).toBeDefined();
    return c!.id;
  };
  const status = async () => (await w.call('equipment.get', { id: pump.id })).status;
  return { ...w, ward, pump, safetyPlan, nia, sue, store, sensor, code, status };
}

/**
 * Work orders around the local days 2026-11-25 and 2026-11-26 (the integration tests run in
 * America/New_York: those days are 2026-11-25T05:00Z to 2026-11-27T05:00Z):
 * - WO-0001 on IP-12 at 04:59Z on the 25th: the day before, outside;
 * - WO-0002 on IP-7 (Ward 4B, no model), repaired Mechanical / Wear, and Mechanical deleted since;
 * - WO-0003 on IP-8 (Ward 4B, Baxter Sigma), repaired No fault found / Use error;
 * - WO-0004 on IP-9 (Ward 4C, Baxter Sigma), not yet diagnosed;
 * - WO-0005 on IP-10 (Ward 4B, no category, Philips MX450) at 04:59Z on the 27th: the last minute, inside, not diagnosed;
 * - WO-0006 on IP-11 at 05:00Z on the 27th: outside, and IP-11 is not a device of the period either.
 * REF-1 and IP-1 (the site) are devices of the period with no work order.
 */
export async function failuresWorld() {
  const w = await repairsWorld();
  const at = (iso: string) => {
    w.clock.set(iso);
    for (const s of [w.tom, w.sue, w.admin]) s.lastActivityMs = w.clock.now().getTime();
  };
  const ward4c = await w.call('locations.create', { name: 'Ward 4C', parentId: w.site.id });
  const report = async (equipmentId: string, problem: string) =>
    (await w.as(w.tom)('workOrders.report', { equipmentId, problem, takeOutOfUse: false, secret: '1357' })).workOrder;
  const repair = async (id: string, failure: string, cause: string) => {
    await w.as(w.tom)('workOrders.take', { id, secret: '1357' });
    await w.as(w.tom)('workOrders.repair', { id, workDone: 'Looked at it', failureCodeId: w.code('failure', failure), causeCodeId: w.code('cause', cause), secret: '1357' });
  };
  at('2026-11-25T04:59:00Z');
  const ip12 = await w.call('equipment.create', { assetTag: 'IP-12', name: 'Infusion pump', locationId: w.ward.id, categoryId: w.pumps.id });
  await report(ip12.id, 'Before the period');
  at('2026-11-25T10:00:00Z');
  const ip8 = await w.call('equipment.create', { assetTag: 'IP-8', name: 'Infusion pump', locationId: w.ward.id, categoryId: w.pumps.id, manufacturer: 'Baxter', model: 'Sigma' });
  const ip9 = await w.call('equipment.create', { assetTag: 'IP-9', name: 'Infusion pump', locationId: ward4c.id, categoryId: w.pumps.id, manufacturer: 'Baxter', model: 'Sigma' });
  const wo2 = await report(w.pump.id, 'Alarm');
  const wo3 = await report(ip8.id, 'Will not start');
  await report(ip9.id, 'Cracked case');
  at('2026-11-26T10:00:00Z');
  await repair(wo2.id, 'Mechanical', 'Wear');
  await repair(wo3.id, 'No fault found', 'Use error');
  await w.as(w.sue)('workOrders.codes.remove', { id: w.code('failure', 'Mechanical') });
  at('2026-11-27T04:59:00Z');
  const ip10 = await w.call('equipment.create', { assetTag: 'IP-10', name: 'Patient monitor', locationId: w.ward.id, manufacturer: 'Philips', model: 'MX450' });
  await report(ip10.id, 'Last minute of the period');
  at('2026-11-27T05:00:00Z');
  const ip11 = await w.call('equipment.create', { assetTag: 'IP-11', name: 'Infusion pump', locationId: w.ward.id, categoryId: w.pumps.id });
  await report(ip11.id, 'After the period');
  return { ...w, ward4c };
}
