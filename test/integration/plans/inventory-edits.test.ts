import { describe, expect, it } from 'vitest';
import { analysePlanImport } from '../../../main/core/plans/import';
import { fixedClock, testBackend } from '../../helpers/core';
import { caller } from '../../helpers/invoke';

/**
 * Keeping the inventory and its plans: a device moved into a category, a task type no longer in
 * use, a location renamed to the name of one taken off the list, text pasted with a NUL in it.
 */

const NOW = '2026-11-25T15:00:00Z';

async function world() {
  const clock = fixedClock(NOW);
  const b = testBackend('admin', { clock });
  const call = caller(b.backend, b.session);
  const site = await call('locations.create', { name: 'General Hospital' });
  const ward = await call('locations.create', { name: 'Ward 4B', parentId: site.id });
  const room = await call('locations.create', { name: 'Bay 1', parentId: ward.id });
  return { ...b, clock, call, site, ward, room };
}
type World = Awaited<ReturnType<typeof world>>;

async function stopTask(w: World, code: string) {
  const t = (await w.call('taskTypes.list', {})).find((x) => x.code === code)!;
  return w.call('taskTypes.update', {
    code,
    label: t.label,
    formKind: t.formKind,
    active: false,
    failTakesOutOfService: t.failTagsOut,
    overdueMeansDoNotUse: t.overdueBlocksUse,
    failOpensWorkOrder: t.failOpensWorkOrder,
  });
}

describe('a device moved into a category', () => {
  it('gets its default plans, due from today, as a new device of it does; a task it already has is skipped', async () => {
    const w = await world();
    const defib = await w.call('categories.create', { name: 'Defibrillator' });
    await w.call('categoryPlans.add', { categoryId: defib.id, task: 'calibration', every: '1y' });
    await w.call('categoryPlans.add', { categoryId: defib.id, task: 'electrical_safety', every: '1y' });
    const d = await w.call('equipment.create', { assetTag: 'DF-1', name: 'Defib', locationId: w.room.id });
    await w.call('plans.create', { equipmentId: d.id, task: 'electrical_safety', every: '6m', startDate: '2026-06-01' });
    await w.call('equipment.update', { id: d.id, assetTag: d.assetTag, name: d.name, locationId: d.locationId, categoryId: defib.id });
    const plans = (await w.call('plans.list', { equipmentId: d.id })).plans;
    expect(plans.map((p) => [p.task, p.every, p.nextDue]).sort()).toEqual([
      ['calibration', '1y', '2026-11-25'],
      ['electrical_safety', '6m', '2026-06-01'],
    ]);
    // An edit that leaves the category as it is adds nothing.
    await w.call('equipment.update', { id: d.id, assetTag: d.assetTag, name: 'Defibrillator 1', locationId: d.locationId, categoryId: defib.id });
    expect((await w.call('plans.list', { equipmentId: d.id })).plans).toHaveLength(2);
  });
});

describe('a task type no longer in use', () => {
  it('is offered for no new plan: by hand, as a category default, or from a plans file', async () => {
    const w = await world();
    const pumps = await w.call('categories.create', { name: 'Pump' });
    await w.call('categoryPlans.add', { categoryId: pumps.id, task: 'cleaning', every: '1w' });
    const old = await w.call('equipment.create', { assetTag: 'IP-1', name: 'Pump', locationId: w.room.id, categoryId: pumps.id });
    expect((await w.call('plans.list', { equipmentId: old.id })).plans.map((p) => p.task)).toEqual(['cleaning']);
    await stopTask(w, 'cleaning');

    const byHand = await w.backend.invoke(w.session, 'plans.create', { equipmentId: old.id, task: 'cleaning', every: '1w', startDate: '2026-11-20' });
    expect(byHand).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'task', message: 'Cleaning is no longer in use; choose another task.' } });
    const asDefault = await w.backend.invoke(w.session, 'categoryPlans.add', { categoryId: pumps.id, task: 'cleaning', every: '2w' });
    expect(asDefault).toMatchObject({ ok: false, error: { field: 'task' } });

    const added = await w.call('equipment.create', { assetTag: 'IP-2', name: 'Pump', locationId: w.room.id, categoryId: pumps.id });
    expect((await w.call('plans.list', { equipmentId: added.id })).plans).toEqual([]);

    const file = analysePlanImport(w.core, new TextEncoder().encode('asset_tag,task,every,start\nIP-2,cleaning,1w,2026-11-20\n'));
    expect(file.problems).toEqual([expect.objectContaining({ row: 2, message: expect.stringContaining('Cleaning is no longer in use') })]);

    // The plan it already had is kept, with its history.
    expect((await w.call('plans.list', { equipmentId: old.id })).plans.map((p) => p.task)).toEqual(['cleaning']);
  });
});

describe('a location named like one taken off the list', () => {
  it('is refused with a sentence that says the name is a deactivated location, and how to bring it back', async () => {
    const w = await world();
    await w.call('locations.deactivate', { id: w.room.id });
    const bay3 = await w.call('locations.create', { name: 'Bay 3', parentId: w.ward.id });
    expect((await w.call('locations.list', {})).map((l) => l.path)).not.toContain('General Hospital > Ward 4B > Bay 1');
    const res = await w.backend.invoke(w.session, 'locations.rename', { id: bay3.id, name: 'bay 1' });
    expect(res).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        field: 'name',
        message: '"Bay 1" is the name of a deactivated location here: add a location called "Bay 1" here to bring it back, or choose another name.',
      },
    });
    // Added again, it comes back (not a second one).
    const back = await w.call('locations.create', { name: 'Bay 1', parentId: w.ward.id });
    expect(back.id).toBe(w.room.id);
    const again = await w.backend.invoke(w.session, 'locations.rename', { id: bay3.id, name: 'Bay 1' });
    expect(again).toMatchObject({ ok: false, error: { message: 'There is already a location called "Bay 1" here.' } });
  });
});

describe('text pasted with a NUL character', () => {
  it('is refused in a task type name, naming the field (the hospital hub cannot store it)', async () => {
    const w = await world();
    const res = await w.backend.invoke(w.session, 'taskTypes.create', {
      label: 'Leak\u0000test',
      formKind: 'plain',
      failTakesOutOfService: false,
      overdueMeansDoNotUse: false,
      failOpensWorkOrder: false,
    });
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'label' } });
  });
});
