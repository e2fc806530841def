import { describe, expect, it } from 'vitest';
import { fixedClock, testBackend } from '../../helpers/core';
import { caller } from '../../helpers/invoke';

const NOW = '2026-11-25T09:00:00Z';

/** A category's default plans are applied to new equipment of that category. */
describe('category default plans on a new device', () => {
  async function setup() {
    const b = testBackend('supervisor', { clock: fixedClock(NOW) });
    const call = caller(b.backend, b.session);
    const defib = await call('categories.create', { name: 'Defibrillator' });
    await call('categoryPlans.add', { categoryId: defib.id, task: 'inspection', every: '1m' });
    await call('categoryPlans.add', { categoryId: defib.id, task: 'calibration', every: '1y' });
    await call('categoryPlans.add', { categoryId: defib.id, task: 'electrical_safety', every: '1y', mode: 'fixed' });
    const ward = await call('locations.create', { name: 'General Hospital' });
    return { ...b, call, defib, ward };
  }

  const tasksOf = (plans: { plans: { task: string; startDate: string; active: boolean }[] }) =>
    plans.plans.filter((p) => p.active).map((p) => `${p.task} from ${p.startDate}`).sort();

  it('creates them when the device is added by hand, starting today', async () => {
    const s = await setup();
    const d = await s.call('equipment.create', { assetTag: 'DF-1', name: 'Defibrillator', locationId: s.ward.id, categoryId: s.defib.id });
    expect(tasksOf(await s.call('plans.list', { equipmentId: d.id }))).toEqual([
      'calibration from 2026-11-25',
      'electrical_safety from 2026-11-25',
      'inspection from 2026-11-25',
    ]);
  });

  it('creates them for every device of the category an import adds, and none for others', async () => {
    const s = await setup();
    const csv = 'asset_tag,name,location,category\nDF-2,Defib,General Hospital,Defibrillator\nSC-1,Scale,General Hospital,Scale\n';
    await s.call('equipment.import.commit', { source: { text: csv } });
    const df = await s.call('equipment.findByTag', { tag: 'DF-2' });
    const sc = await s.call('equipment.findByTag', { tag: 'SC-1' });
    expect(tasksOf(await s.call('plans.list', { equipmentId: df.id }))).toHaveLength(3);
    expect(tasksOf(await s.call('plans.list', { equipmentId: sc.id }))).toEqual([]);
  });

  it('creates nothing for a device without a category', async () => {
    const s = await setup();
    const d = await s.call('equipment.create', { assetTag: 'X-1', name: 'Thing', locationId: s.ward.id });
    expect(tasksOf(await s.call('plans.list', { equipmentId: d.id }))).toEqual([]);
  });
});
