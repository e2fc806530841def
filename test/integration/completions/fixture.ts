import { expect } from 'vitest';
import type { Backend } from '../../../main/core/backend';
import { createBackend } from '../../../main/core/backend';
import type { Session } from '../../../main/core/session';
import { newSession } from '../../../main/core/session';
import { fixedClock, testCore } from '../../helpers/core';
import { caller } from '../../helpers/invoke';
import { seedRecord } from '../../helpers/records';

export const NOW = '2026-11-25T10:00:00Z';

/** A ward with an admin (PIN 2468), a technician Tom (PIN 1357), a reference analyser and an infusion pump. */
export async function loggingWorld() {
  const clock = fixedClock(NOW);
  const core = testCore({ clock });
  const backend: Backend = createBackend(core, {
    logError: (e) => {
      throw e;
    },
  });
  const admin = newSession(clock.now().getTime());
  expect(await backend.invoke(admin, 'auth.setupFirstAdmin', { name: 'Ada Admin', password: 'correct horse battery', pin: '2468' })).toMatchObject({ ok: true });
  const as = (session: Session) => caller(backend, session);
  const call = as(admin);
  const tom = newSession(clock.now().getTime());
  await call('users.create', { name: 'Tom Tech', role: 'technician', temporaryPin: '2580' });
  await as(tom)('auth.signIn', { name: 'Tom Tech', secret: '2580' });
  await as(tom)('auth.setOwnPin', { currentSecret: '2580', newPin: '1357' });

  const site = await call('locations.create', { name: 'General Hospital' });
  const pumps = await call('categories.create', { name: 'Infusion pump', defaultRisk: 'high' });
  const calibration = await call('procedures.save', {
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
  const analyser = await call('equipment.create', { assetTag: 'REF-1', name: 'Flow analyser', locationId: site.id, referenceStandard: true });
  const analyserPlan = await call('plans.create', { equipmentId: analyser.id, task: 'calibration', every: '1y', startDate: '2026-01-10' });
  seedRecord(core, analyserPlan.id, '2026-01-10T09:00:00Z');
  const pump = await call('equipment.create', { assetTag: 'IP-1', name: 'Infusion pump', locationId: site.id, categoryId: pumps.id, risk: 'high' });
  const pumpPlan = await call('plans.create', { equipmentId: pump.id, task: 'calibration', every: '1y', startDate: '2026-11-01' });
  const count = (table: string) => (core.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { clock, core, backend, admin, tom, as, call, site, pumps, calibration, analyser, analyserPlan, pump, pumpPlan, count };
}

export const threePoints = (readings: [number, number | null][], referenceEquipmentId: string, procedureId: string) => ({
  kind: 'measurements' as const,
  procedureId,
  referenceEquipmentId,
  readings: readings.map(([asFound, asLeft]) => ({ asFound, asLeft })),
});
