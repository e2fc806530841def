import { describe, expect, it } from 'vitest';
import { recordCompletion } from '../../../main/core/completions/record';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { fixedClock, testActor, testBackend } from '../../helpers/core';
import { caller } from '../../helpers/invoke';
import { device, plan } from '../plans/fixtures';

/**
 * Devices chosen by tag for a calibration sticker that cannot have one: the refusal says why in
 * truth (the record of a calibration is never denied), and names what to do.
 */
async function world() {
  const { core, backend, session } = testBackend('supervisor', { clock: fixedClock('2026-03-10T10:00:00Z') });
  const call = caller(backend, session);
  const pump = device(core, 'IP-0001', { name: 'Infusion pump', location: 'General Hospital > Ward 1 > Bay 1', risk: 'high' });
  const cal = plan(core, pump, 'calibration', '1y', '2026-03-01');
  // Calibrated yesterday by Grace Hopper; the supervisor has since switched the plan off.
  inTransaction(core, (c) =>
    recordCompletion(c, testActor, {
      planId: cal.id,
      performedAt: '2026-03-09T09:00:00Z',
      outcome: 'pass',
      performedByName: 'Grace Hopper',
      source: 'app',
    }),
  );
  await call('plans.deactivate', { id: cal.id });
  const stickers = (equipmentIds: string[]) =>
    backend.invoke(session, 'reports.stickers', { equipmentIds, stock: 'a4-3x8', symbology: 'code128' });
  return { core, call, pump, cal, stickers };
}

describe('stickers for a chosen device whose calibration plan is switched off, or that has none', () => {
  it('a device calibrated yesterday, its plan switched off since, is refused for its plan, not as having no calibration; with the plan back, its sticker prints', async () => {
    const w = await world();
    expect(await w.stickers([w.pump])).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        field: 'equipmentIds',
        message:
          "IP-0001 Infusion pump's calibration plan is switched off: a sticker shows the next due date, so bring the plan back first, or remove the device from the list.",
      },
    });
    await w.call('plans.reactivate', { id: w.cal.id });
    expect(await w.stickers([w.pump])).toMatchObject({
      ok: true,
      value: { stickers: [{ assetTag: 'IP-0001', kind: 'calibrated', calibratedOn: '2026-03-09', nextDue: '2027-03-09', initials: 'GH' }] },
    });
  });

  it('each chosen device without a sticker is named with its own reason, all at once', async () => {
    const w = await world();
    const monitor = device(w.core, 'MON-7', { name: 'Patient monitor' });
    const scale = device(w.core, 'SC-1', { name: 'Patient scale' });
    plan(w.core, scale, 'calibration', '1y', '2026-06-01');
    expect(await w.stickers([w.pump, monitor, scale])).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        field: 'equipmentIds',
        message:
          "IP-0001 Infusion pump's calibration plan is switched off: a sticker shows the next due date, so bring the plan back first, or remove the device from the list. " +
          'MON-7 Patient monitor has no calibration plan: a sticker shows the next due date, so add one first, or remove it from the list. ' +
          'SC-1 Patient scale has no calibration on record, so there is no calibration sticker to print: remove it from the list.',
      },
    });
  });
});
