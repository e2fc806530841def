import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../main/core/ids';
import { testBackend } from '../../helpers/core';
import { changeRole } from '../../helpers/users';
import { caller } from '../../helpers/invoke';

async function fixture() {
  const b = testBackend('supervisor');
  const call = caller(b.backend, b.session);
  const site = await call('locations.create', { name: 'General Hospital' });
  const category = await call('categories.create', { name: 'Infusion pump' });
  const device = await call('equipment.create', { assetTag: 'IP-1', name: 'Pump', locationId: site.id, categoryId: category.id });
  // A plan row as the plans service would write it (the plans service is tested on its own).
  const planId = uuidv7();
  const now = new Date().toISOString();
  b.core.db
    .prepare(
      `INSERT INTO plans (id, equipment_id, task, interval_n, interval_unit, mode, start_date, window_days, grace_days, next_due, due_from, created_at, updated_at, pc_id)
       VALUES (?, ?, 'calibration', 1, 'year', 'floating', '2026-01-01', 30, 0, '2026-01-01', '2025-12-02', ?, ?, ?)`,
    )
    .run(planId, device.id, now, now, b.core.pcId);
  return { ...b, call, category, device, planId };
}

const points = (nominal: number) => ({
  kind: 'measurements' as const,
  points: [{ label: `Flow ${nominal} ml/h`, unit: 'ml/h', nominal, toleranceKind: 'percent' as const, tolerance: 5 }],
});

describe('procedures', () => {
  it('are versioned: saving again adds version 2 and leaves version 1 as it was', async () => {
    const f = await fixture();
    const v1 = await f.call('procedures.save', { owner: { kind: 'category', categoryId: f.category.id }, task: 'calibration', definition: points(50) });
    const v2 = await f.call('procedures.save', { owner: { kind: 'category', categoryId: f.category.id }, task: 'calibration', definition: points(100) });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    const current = await f.call('procedures.forCategory', { categoryId: f.category.id, task: 'calibration' });
    expect(current).toMatchObject({ version: 2, definition: { points: [{ nominal: 100 }] } });
    const first = f.core.db.prepare('SELECT definition FROM procedures WHERE id = ?').get(v1.id) as { definition: string };
    expect(JSON.parse(first.definition)).toMatchObject({ points: [{ nominal: 50 }] });
    expect(() => f.core.db.prepare("UPDATE procedures SET definition = '{}'").run()).toThrow(/permanent/);
    expect(() => f.core.db.prepare('DELETE FROM procedures').run()).toThrow(/permanent/);
  });

  it('apply to a plan through its device\'s category, unless the plan has its own', async () => {
    const f = await fixture();
    expect((await f.call('log.form', { planId: f.planId })).procedure).toBeNull();
    await f.call('procedures.save', { owner: { kind: 'category', categoryId: f.category.id }, task: 'calibration', definition: points(50) });
    expect((await f.call('log.form', { planId: f.planId })).procedure).toMatchObject({ owner: { kind: 'category' }, version: 1 });
    await f.call('procedures.save', { owner: { kind: 'plan', planId: f.planId }, task: 'calibration', definition: points(75) });
    expect((await f.call('log.form', { planId: f.planId })).procedure).toMatchObject({ owner: { kind: 'plan', planId: f.planId }, definition: { points: [{ nominal: 75 }] } });
  });

  it('refuse a definition of the wrong kind for the task, naming the field', async () => {
    const f = await fixture();
    const res = await f.backend.invoke(f.session, 'procedures.save', {
      owner: { kind: 'category', categoryId: f.category.id },
      task: 'calibration',
      definition: { kind: 'checklist', steps: [{ text: 'Check the casing' }] },
    });
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'definition', message: 'A calibration is defined by measurement points.' } });
    const cleaning = await f.backend.invoke(f.session, 'procedures.save', {
      owner: { kind: 'category', categoryId: f.category.id },
      task: 'cleaning',
      definition: { kind: 'checklist', steps: [{ text: 'Wipe' }] },
    });
    expect(cleaning).toMatchObject({ ok: false, error: { field: 'task' } });
    const wrongPlanTask = await f.backend.invoke(f.session, 'procedures.save', {
      owner: { kind: 'plan', planId: f.planId },
      task: 'inspection',
      definition: { kind: 'checklist', steps: [{ text: 'Check the casing' }] },
    });
    expect(wrongPlanTask).toMatchObject({ ok: false, error: { message: 'That plan is a calibration, not an inspection.' } });
  });

  it('are for supervisors to define; technicians may read them', async () => {
    const f = await fixture();
    changeRole(f.core, f.session.user!, 'technician');
    expect(await f.backend.invoke(f.session, 'procedures.save', { owner: { kind: 'category', categoryId: f.category.id }, task: 'calibration', definition: points(50) })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await f.backend.invoke(f.session, 'procedures.forCategory', { categoryId: f.category.id, task: 'calibration' })).toMatchObject({ ok: true, value: null });
  });
});
