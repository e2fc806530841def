import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../main/core/ids';
import { newSession } from '../../../main/core/session';
import { fixedClock, testBackend } from '../../helpers/core';
import { changeRole, signedInUser } from '../../helpers/users';
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

/**
 * Two supervisors editing one category's points: Ada (an administrator) opens version 1, Sue saves
 * version 2 meanwhile. The PCs' clock stands still at 10:15 New York time; dates are dd/mm/yyyy.
 */
async function twoEditors() {
  const clock = fixedClock('2026-12-03T15:15:00Z');
  const b = testBackend('admin', { clock });
  const ada = caller(b.backend, b.session);
  await ada('settings.update', { dateFormat: 'dd/MM/yyyy' });
  const sueSession = newSession(clock.now().getTime());
  signedInUser(b.core, 'supervisor', { name: 'Sue Super', session: sueSession });
  const sue = caller(b.backend, sueSession);
  const category = await ada('categories.create', { name: 'Infusion pump' });
  const owner = { kind: 'category' as const, categoryId: category.id };
  return { ...b, clock, ada, sue, sueSession, category, owner };
}

const versionsOf = (f: Awaited<ReturnType<typeof twoEditors>>) =>
  (f.core.db.prepare("SELECT version, definition FROM procedures WHERE task = 'calibration' ORDER BY version").all() as { version: number; definition: string }[]).map(
    (r) => [r.version, (JSON.parse(r.definition) as { points: { nominal: number }[] }).points[0]!.nominal],
  );

describe('a procedure saved on top of the version its editor opened', () => {
  it('is refused when someone saved another version since, naming who saved which version and when; nothing is written', async () => {
    const f = await twoEditors();
    const v1 = await f.ada('procedures.save', { owner: f.owner, task: 'calibration', definition: points(50), baseVersion: null });
    expect(v1.version).toBe(1);
    // Ada opens version 1 in the editor; Sue saves version 2 from her own.
    await f.sue('procedures.save', { owner: f.owner, task: 'calibration', definition: points(75), baseVersion: 1 });
    f.clock.set('2026-12-03T15:20:00Z');

    const res = await f.backend.invoke(f.session, 'procedures.save', { owner: f.owner, task: 'calibration', definition: points(60), baseVersion: 1 });
    expect(res).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        field: 'baseVersion',
        message: 'Version 2 was saved by Sue Super at 03/12/2026 10:15 since you opened this: reload to see it, then make your change again.',
      },
    });
    expect(versionsOf(f), "Sue's version 2 stays the latest").toEqual([
      [1, 50],
      [2, 75],
    ]);
    // Reloaded, Ada's save goes on top of Sue's.
    const v3 = await f.ada('procedures.save', { owner: f.owner, task: 'calibration', definition: points(60), baseVersion: 2 });
    expect(v3.version).toBe(3);
  });

  it('opened before any version existed is refused once one has been saved', async () => {
    const f = await twoEditors();
    await f.sue('procedures.save', { owner: f.owner, task: 'calibration', definition: points(75), baseVersion: null });
    const res = await f.backend.invoke(f.session, 'procedures.save', { owner: f.owner, task: 'calibration', definition: points(60), baseVersion: null });
    expect(res).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/^Version 1 was saved by Sue Super at 03\/12\/2026 10:15 since you opened this/) } });
    expect(versionsOf(f)).toEqual([[1, 75]]);
  });

  it('without a version opened (an import, a script) goes on top of the latest', async () => {
    const f = await twoEditors();
    await f.sue('procedures.save', { owner: f.owner, task: 'calibration', definition: points(75) });
    const v2 = await f.ada('procedures.save', { owner: f.owner, task: 'calibration', definition: points(60) });
    expect(v2.version).toBe(2);
  });
});

describe('the latest version of a procedure', () => {
  /** Two versions 2, made on two PCs at once and met through the hub, arriving in `order`. */
  async function twoVersionsTwo(order: ('early' | 'late')[]) {
    const f = await twoEditors();
    await f.ada('procedures.save', { owner: f.owner, task: 'calibration', definition: points(50) });
    const made = {
      early: { id: uuidv7(), at: '2026-12-03T15:16:00.000Z', nominal: 60 },
      late: { id: uuidv7(), at: '2026-12-03T15:17:00.000Z', nominal: 75 },
    };
    for (const which of order) {
      const v = made[which];
      f.core.db
        .prepare(
          `INSERT INTO procedures (id, category_id, plan_id, task, version, definition, created_at, created_by, pc_id)
           VALUES (?, ?, NULL, 'calibration', 2, ?, ?, 'Sue Super', ?)`,
        )
        .run(v.id, f.category.id, JSON.stringify(points(v.nominal)), v.at, f.core.pcId);
    }
    return { f, made };
  }

  it('is the same on every PC when two PCs made the same version number: the later saved', async () => {
    for (const order of [
      ['early', 'late'],
      ['late', 'early'],
    ] as const) {
      const { f, made } = await twoVersionsTwo([...order]);
      const latest = await f.ada('procedures.forCategory', { categoryId: f.category.id, task: 'calibration' });
      expect(latest, `arriving ${order.join(' then ')}`).toMatchObject({ id: made.late.id, version: 2, definition: { points: [{ nominal: 75 }] } });
    }
  });
});

describe('a checklist', () => {
  it('with the same step twice is refused, naming the step, like points and checks', async () => {
    const f = await fixture();
    const res = await f.backend.invoke(f.session, 'procedures.save', {
      owner: { kind: 'category', categoryId: f.category.id },
      task: 'inspection',
      definition: { kind: 'checklist', steps: [{ text: 'Alarm sounds' }, { text: 'Casing intact' }, { text: ' alarm  SOUNDS ' }] },
    });
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'definition.steps.2', message: 'Step 3 is the same as step 1: list each step once.' },
    });
    expect(f.core.db.prepare('SELECT count(*) AS n FROM procedures').get()).toEqual({ n: 0 });
  });
});
