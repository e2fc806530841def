import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { setEquipmentStatus } from '../../../main/core/equipment/service';
import { checkPermanentRows } from '../../../main/core/permanent/check';
import { deactivatePlan, listTaskTypes } from '../../../main/core/plans/service';
import { updateTaskType } from '../../../main/core/plans/task-types';
import { deriveServiceState } from '../../../main/core/sync/service-status';
import type { Core } from '../../../main/core/context';
import { testActor } from '../../helpers/core';
import { device, done, plan } from '../plans/fixtures';
import { testHub, testPc } from './harness';

/**
 * Taking a plan out of use, or a task's "a fail takes the device out of service" changed: the PC that
 * makes the change shows at once the status every PC of the hub derives when the change arrives
 * (rule 12 counts the fails of active plans of tasks that take devices out), `verify` finds nothing
 * amiss, and no device held out by a failed test goes back in service without a person deciding it.
 */

type Pc = Awaited<ReturnType<typeof testPc>>;
const statusOf = (core: Core, id: string) =>
  core.db.prepare('SELECT status, status_reason, tagged_out_by_plan_id FROM equipment WHERE id = ?').get(id) as Record<string, unknown>;
const ago = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
const calibration = (core: Core) => listTaskTypes(core).find((x) => x.code === 'calibration')!;
const setFailTakesOut = (core: Core, on: boolean) => {
  const t = calibration(core);
  return inTransaction(core, (w) =>
    updateTaskType(w, testActor, { code: 'calibration', label: t.label, failTakesOutOfService: on, overdueMeansDoNotUse: t.overdueBlocksUse, failOpensWorkOrder: t.failOpensWorkOrder, active: true, formKind: 'measurements' }),
  );
};
/** Fails that open no work order, so a person's decision alone puts the device back (the work orders have tests of their own). */
function noWorkOrders(core: Core) {
  for (const t of listTaskTypes(core).filter((x) => x.failOpensWorkOrder)) {
    inTransaction(core, (w) =>
      updateTaskType(w, testActor, { code: t.code, label: t.label, failTakesOutOfService: t.failTagsOut, overdueMeansDoNotUse: t.overdueBlocksUse, failOpensWorkOrder: false, active: true, formKind: t.formKind }),
    );
  }
}
const agrees = (pc: Pc, id: string) => {
  expect(statusOf(pc.core, id).status).toBe(deriveServiceState(pc.core, id)?.status);
  expect(checkPermanentRows(pc.core.db).findings).toEqual([]);
};

describe('a plan taken out of use while its failed test holds the device', () => {
  it('is refused, naming the device and the fail; once a person puts the device back in service, it goes, and every PC agrees', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    noWorkOrders(a.core);
    const id = device(a.core, 'DF-10');
    const safety = plan(a.core, id, 'electrical_safety', '1y', '2025-01-01');
    done(a.core, safety.id, ago(30), 'fail');
    await a.sync();
    await b.sync();
    expect(statusOf(b.core, id).status).toBe('out_of_service');

    // Before, the plan went and A still showed DO NOT USE while B (on pulling it) showed the
    // defibrillator in service, and verify on A called A's own status tampering.
    expect(() => inTransaction(a.core, (w) => deactivatePlan(w, testActor, safety.id))).toThrow(
      /^DF-10 is held out of service by this plan's failed test \("Tagged out: failed electrical safety test on \d{4}-\d{2}-\d{2}\. Do not use\."\)\. Put it back in service first \(on its page with the reason, or through its work order\), or log a pass\.$/,
    );
    expect(a.core.db.prepare('SELECT active FROM plans WHERE id = ?').pluck().get(safety.id)).toBe(1);
    agrees(a, id);

    inTransaction(a.core, (w) => setEquipmentStatus(w, testActor, { id, status: 'in_service', reason: 'Plan made in error: this model has no mains part.' }));
    inTransaction(a.core, (w) => deactivatePlan(w, testActor, safety.id));
    agrees(a, id);
    for (const pc of [a, b, a]) await pc.sync();
    expect(statusOf(a.core, id)).toEqual(statusOf(b.core, id));
    expect(statusOf(a.core, id).status).toBe('in_service');
    agrees(a, id);
    agrees(b, id);
  });

  it('with a second failed test holding the device too, the plan goes and the device stays out, now for the other fail', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    const id = device(a.core, 'DF-11');
    const safety = plan(a.core, id, 'electrical_safety', '1y', '2025-01-01');
    const cal = plan(a.core, id, 'calibration', '1y', '2025-01-01');
    done(a.core, safety.id, ago(60), 'fail');
    done(a.core, cal.id, ago(30), 'fail');
    expect(statusOf(a.core, id).tagged_out_by_plan_id).toBe(safety.id);
    inTransaction(a.core, (w) => deactivatePlan(w, testActor, safety.id));
    expect(statusOf(a.core, id)).toMatchObject({ status: 'out_of_service', tagged_out_by_plan_id: cal.id, status_reason: expect.stringMatching(/^Tagged out: failed calibration on /) });
    agrees(a, id);
    for (const pc of [a, b]) await pc.sync();
    expect(statusOf(b.core, id)).toEqual(statusOf(a.core, id));
  });
});

describe("a task's \"a fail takes the device out of service\" changed", () => {
  it('turning it off is refused while its fails hold devices, naming them; turned on, devices whose last calibration failed go out at once, as on every PC', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    noWorkOrders(a.core);
    const held = device(a.core, 'DF-12');
    const cal = plan(a.core, held, 'calibration', '1y', '2025-01-01');
    done(a.core, cal.id, ago(30), 'fail');
    await a.sync();
    await b.sync();
    expect(() => setFailTakesOut(a.core, false)).toThrow(
      "DF-12 is out of service because of a failed calibration. Put it back in service first (on the device's page with the reason, or through the work order), or keep this ticked.",
    );
    expect(calibration(a.core).failTagsOut).toBe(true);

    inTransaction(a.core, (w) => setEquipmentStatus(w, testActor, { id: held, status: 'in_service', reason: 'Reference meter was faulty; checked by hand.' }));
    setFailTakesOut(a.core, false);
    // A fail now leaves the device in service.
    const other = device(a.core, 'DF-13');
    const otherCal = plan(a.core, other, 'calibration', '1y', '2025-01-01');
    done(a.core, otherCal.id, ago(20), 'fail');
    expect(statusOf(a.core, other).status).toBe('in_service');

    // Turned on again: DF-13, whose latest calibration failed, goes out at once on A; DF-12 stays
    // in service (a person's decision overrides that fail).
    setFailTakesOut(a.core, true);
    expect(statusOf(a.core, other)).toMatchObject({ status: 'out_of_service', tagged_out_by_plan_id: otherCal.id });
    expect(statusOf(a.core, held).status).toBe('in_service');
    agrees(a, other);
    for (const pc of [a, b, a]) await pc.sync();
    for (const id of [held, other]) expect(statusOf(b.core, id)).toEqual(statusOf(a.core, id));
    agrees(b, other);
  });
});
