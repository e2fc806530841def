import type { Backend } from '../../main/core/backend';
import { createBackend } from '../../main/core/backend';
import type { Clock } from '../../main/core/clock';
import { openCore } from '../../main/core/open-core';
import type { Session } from '../../main/core/session';
import { newSession } from '../../main/core/session';
import { caller as typedCaller } from '../helpers/invoke';
import { inInventorySince, seedRecord } from '../helpers/records';

/** Calls channels as a signed-in user, through the same backend the app uses; throws on an error. */
export function caller(backend: Backend, session: Session) {
  return typedCaller(backend, session);
}

/**
 * A ward as a technician finds it in the morning: Ada Admin (PIN 2468), Tom Tech (PIN 1357), a
 * flow analyser (a reference standard, calibrated), and an infusion pump whose yearly calibration
 * is overdue and whose weekly cleaning is due, with three calibration points on its category.
 */
export async function seedWard(dataDir: string, options: { clock?: Clock } = {}) {
  const core = openCore({ dataDir, ...(options.clock ? { clock: options.clock } : {}) });
  const backend = createBackend(core);
  const now = () => core.clock.now().getTime();
  const admin = newSession(now());
  await caller(backend, admin)('auth.setupFirstAdmin', { name: 'Ada Admin', password: 'correct horse battery', pin: '2468' });
  const call = caller(backend, admin);
  await call('users.create', { name: 'Tom Tech', role: 'technician', temporaryPin: '2580' });
  const tom = newSession(now());
  await caller(backend, tom)('auth.signIn', { name: 'Tom Tech', secret: '2580' });
  await caller(backend, tom)('auth.setOwnPin', { currentSecret: '2580', newPin: '1357' });

  const site = await call('locations.create', { name: 'General Hospital' });
  const ward = await call('locations.create', { name: 'Ward 4B', parentId: site.id });
  const pumps = await call('categories.create', { name: 'Infusion pump', defaultRisk: 'high' });
  await call('procedures.save', {
    owner: { kind: 'category', categoryId: pumps.id },
    task: 'calibration',
    definition: {
      kind: 'measurements',
      points: [
        { label: 'Flow 10 ml/h', unit: 'ml/h', nominal: 10, toleranceKind: 'percent', tolerance: 5 },
        { label: 'Flow 100 ml/h', unit: 'ml/h', nominal: 100, toleranceKind: 'percent', tolerance: 5 },
        { label: 'Occlusion pressure', unit: 'mmHg', nominal: 500, toleranceKind: 'absolute', tolerance: 50 },
      ],
    },
  });
  const today = new Date(now());
  const daysAgo = (n: number) => new Date(today.getTime() - n * 86_400_000).toISOString().slice(0, 10);
  const analyser = await call('equipment.create', { assetTag: 'REF-7', name: 'Flow analyser', locationId: ward.id, referenceStandard: true });
  const analyserPlan = await call('plans.create', { equipmentId: analyser.id, task: 'calibration', every: '1y', startDate: daysAgo(60) });
  seedRecord(core, analyserPlan.id, new Date(today.getTime() - 60 * 86_400_000).toISOString());
  const pump = await call('equipment.create', { assetTag: 'IP-0042', name: 'Infusion pump', locationId: ward.id, categoryId: pumps.id, risk: 'high' });
  const calibration = await call('plans.create', { equipmentId: pump.id, task: 'calibration', every: '1y', startDate: daysAgo(12) });
  const cleaning = await call('plans.create', { equipmentId: pump.id, task: 'cleaning', every: '1w', startDate: daysAgo(7) });
  // Last week's cleaning, so the form remembers the method and agent (the pump has been on the ward for months).
  inInventorySince(core, pump.id, daysAgo(90));
  await caller(backend, tom)('completions.log', {
    planId: cleaning.id,
    performedAt: new Date(today.getTime() - 7 * 86_400_000).toISOString(),
    lateReason: 'Entered from the paper log.',
    result: { kind: 'cleaning', method: 'Wipe with disinfectant', agent: '70% isopropyl alcohol', outcome: 'pass' },
    secret: '1357',
  });
  core.close();
  return { pumpId: pump.id, calibrationPlanId: calibration.id, cleaningPlanId: cleaning.id, analyserId: analyser.id };
}
