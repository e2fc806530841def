import { describe, expect, it } from 'vitest';
import { taskTypeExpected } from '../../../shared/domain/plan';
import { newSession } from '../../../main/core/session';
import { testBackend } from '../../helpers/core';
import { caller } from '../../helpers/invoke';
import { signedInUser } from '../../helpers/users';
import { repairsWorld } from './fixture';

describe('task types of the hospital’s own (issue 16)', () => {
  it('an administrator adds one without code changes; it is logged on any device without a plan, and a fail takes the device out of service and opens a work order', async () => {
    const w = await repairsWorld();
    const leak = await w.call('taskTypes.create', {
      label: 'Leak test',
      formKind: 'plain',
      failTakesOutOfService: true,
      overdueMeansDoNotUse: false,
      failOpensWorkOrder: true,
    });
    expect(leak).toMatchObject({ label: 'Leak test', formKind: 'plain', failTagsOut: true, failOpensWorkOrder: true, active: true, builtin: false });
    expect((await w.as(w.tom)('taskTypes.list', {})).map((t) => t.code)).toContain(leak.code);
    expect(await w.backend.invoke(w.admin, 'taskTypes.create', { label: 'leak TEST', formKind: 'plain', failTakesOutOfService: false, overdueMeansDoNotUse: false, failOpensWorkOrder: false })).toMatchObject({
      ok: false,
      error: { code: 'conflict', field: 'label' },
    });
    expect(await w.backend.invoke(w.tom, 'taskTypes.create', { label: 'Mine', formKind: 'plain', failTakesOutOfService: false, overdueMeansDoNotUse: false, failOpensWorkOrder: false })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });

    const form = await w.as(w.tom)('log.form', { equipmentId: w.pump.id, task: leak.code });
    expect(form).toMatchObject({ plan: null, resultKind: 'outcome', task: { label: 'Leak test' } });
    await w.as(w.tom)('completions.log', { equipmentId: w.pump.id, task: leak.code, result: { kind: 'outcome', outcome: 'fail' }, notes: 'Drips at the door seal', secret: '1357' });
    expect(await w.status()).toBe('out_of_service');
    expect((await w.as(w.tom)('workOrders.ofEquipment', { equipmentId: w.pump.id })).open).toMatchObject({ state: 'reported', problem: expect.stringContaining('Drips at the door seal') });

    // A built-in type keeps its form; a stopped type is offered for no new work but its history stays.
    const types = await w.call('taskTypes.list', {});
    const calibration = types.find((t) => t.code === 'calibration')!;
    expect(
      await w.backend.invoke(w.admin, 'taskTypes.update', {
        code: 'calibration',
        label: calibration.label,
        formKind: 'plain',
        active: true,
        failTakesOutOfService: true,
        overdueMeansDoNotUse: true,
        failOpensWorkOrder: true,
      }),
    ).toMatchObject({ ok: false, error: { field: 'formKind' } });
    const stopped = await w.call('taskTypes.update', { code: leak.code, label: 'Leak test', formKind: 'plain', active: false, failTakesOutOfService: true, overdueMeansDoNotUse: false, failOpensWorkOrder: true });
    expect(stopped.active).toBe(false);
    expect((await w.as(w.tom)('completions.history', { equipmentId: w.pump.id })).map((c) => c.task)).toContain(leak.code);
  });

  it('the repair and the inspection a repaired device falls back on cannot be stopped (Settings → Tasks and codes offers it); other built-in tasks can, and come back', async () => {
    const w = await repairsWorld();
    const types = await w.call('taskTypes.list', {});
    const stop = (code: string) => {
      const t = types.find((x) => x.code === code)!;
      return w.backend.invoke(w.admin, 'taskTypes.update', {
        code,
        label: t.label,
        formKind: t.formKind,
        active: false,
        failTakesOutOfService: t.failTagsOut,
        overdueMeansDoNotUse: t.overdueBlocksUse,
        failOpensWorkOrder: t.failOpensWorkOrder,
      });
    };
    expect(await stop('repair')).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'active', message: 'Repair stays in use: every repair on a work order is recorded as one.' },
    });
    expect(await stop('inspection')).toMatchObject({
      ok: false,
      error: { field: 'active', message: 'Inspection stays in use: a device back from repair is inspected before use when it has no electrical safety test.' },
    });
    expect((await w.call('taskTypes.list', {})).filter((t) => ['repair', 'inspection'].includes(t.code)).map((t) => t.active)).toEqual([true, true]);

    // Any other built-in task may be stopped, and brought back.
    expect(await stop('cleaning')).toMatchObject({ ok: true, value: { code: 'cleaning', active: false } });
    const cleaning = types.find((t) => t.code === 'cleaning')!;
    expect(
      await w.call('taskTypes.update', {
        code: 'cleaning',
        label: cleaning.label,
        formKind: cleaning.formKind,
        active: true,
        failTakesOutOfService: cleaning.failTagsOut,
        overdueMeansDoNotUse: cleaning.overdueBlocksUse,
        failOpensWorkOrder: cleaning.failOpensWorkOrder,
      }),
    ).toMatchObject({ code: 'cleaning', active: true });
  });

  it('a device moved to another ward while its work order is open: the order keeps where the fault was found, Today shows the device where it is', async () => {
    const w = await repairsWorld();
    const { workOrder } = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Alarm', takeOutOfUse: true, secret: '3579' });
    const workshop = await w.call('locations.create', { name: 'Workshop', parentId: w.site.id });
    const device = await w.call('equipment.get', { id: w.pump.id });
    await w.call('equipment.update', {
      id: device.id,
      assetTag: device.assetTag,
      name: device.name,
      locationId: workshop.id,
      categoryId: device.categoryId,
      risk: device.risk,
    });
    const moved = await w.as(w.tom)('workOrders.get', { id: workOrder.id });
    expect(moved).toMatchObject({ reportedLocationPath: 'General Hospital > Ward 4B', equipment: { locationPath: 'General Hospital > Workshop' } });
    const today = await w.as(w.tom)('due.today', { locationId: null });
    expect(today.outOfService.map((r) => [r.assetTag, r.wardPath])).toEqual([['IP-7', 'General Hospital > Workshop']]);
    // The work order is still listed for the ward it came from.
    expect((await w.as(w.tom)('workOrders.list', { locationId: w.ward.id })).map((r) => r.ref)).toEqual(['WO-0001']);
  });
});

describe('a task type changed in a dialog opened before another administrator changed it', () => {
  const leakTest = { label: 'Leak test', formKind: 'plain' as const, failTakesOutOfService: true, overdueMeansDoNotUse: false, failOpensWorkOrder: true };

  async function twoAdmins() {
    const b = testBackend('admin');
    const ada = caller(b.backend, b.session);
    const bobSession = newSession(b.core.clock.now().getTime());
    signedInUser(b.core, 'admin', { name: 'Bob Admin', session: bobSession });
    return { b, ada, bob: caller(b.backend, bobSession) };
  }

  it('is refused in words naming what changed (the task stopped), on the first field changed, and nothing is undone', async () => {
    const { b, ada, bob } = await twoAdmins();
    const leak = await ada('taskTypes.create', leakTest);
    // Ada opens "Change… Leak test".
    const opened = taskTypeExpected((await ada('taskTypes.list', {})).find((t) => t.code === leak.code)!);
    // Bob stops the task and, while at it, a fail no longer takes the device out of service.
    await bob('taskTypes.update', { ...leakTest, code: leak.code, failTakesOutOfService: false, active: false });
    // Ada only corrects the name and saves: the dialog sends its values and what it opened with.
    const res = await b.backend.invoke(b.session, 'taskTypes.update', { ...opened, code: leak.code, label: 'Leak test (door seal)', expected: opened });
    expect(res).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        field: 'expected.failTakesOutOfService',
        message:
          'Leak test was changed by someone else since you opened this (a fail no longer takes the device out of service, now out of use: offered for no new work): check and save again.',
      },
    });
    expect((await ada('taskTypes.list', {})).find((t) => t.code === leak.code)).toMatchObject({ label: 'Leak test', active: false, failTagsOut: false });
    expect(b.core.db.prepare("SELECT actor_name FROM audit_log WHERE entity = 'task_type' AND entity_id = ? ORDER BY seq").all(leak.code)).toEqual([
      { actor_name: 'Test admin' },
      { actor_name: 'Bob Admin' },
    ]);
    // The dialog now holds Bob's values beside Ada's name: saved again, both changes are kept.
    const now = taskTypeExpected((await ada('taskTypes.list', {})).find((t) => t.code === leak.code)!);
    expect(await ada('taskTypes.update', { ...now, code: leak.code, label: 'Leak test (door seal)', expected: now })).toMatchObject({
      label: 'Leak test (door seal)',
      active: false,
      failTagsOut: false,
    });
  });

  it('names each flag changed meanwhile, and a name changed meanwhile on expected.label', async () => {
    const { b, ada, bob } = await twoAdmins();
    const leak = await ada('taskTypes.create', leakTest);
    const opened = taskTypeExpected(leak);
    await bob('taskTypes.update', { ...opened, code: leak.code, label: 'Door seal leak test', overdueMeansDoNotUse: true, failOpensWorkOrder: false });
    expect(await b.backend.invoke(b.session, 'taskTypes.update', { ...opened, code: leak.code, active: false, expected: opened })).toMatchObject({
      ok: false,
      error: {
        field: 'expected.label',
        message:
          'Leak test was changed by someone else since you opened this (now called "Door seal leak test", a fail no longer opens a work order, overdue now means do not use): check and save again.',
      },
    });
    expect((await ada('taskTypes.list', {})).find((t) => t.code === leak.code)).toMatchObject({ label: 'Door seal leak test', active: true });
  });
});
