import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../main/core/backend';
import { newSession } from '../../../main/core/session';
import { testBackend } from '../../helpers/core';
import { caller } from '../../helpers/invoke';
import { signedInUser } from '../../helpers/users';
import { AppError } from '../../../main/core/errors';
import { device } from '../plans/fixtures';
import { importText } from '../equipment/fixtures';
import { previewEquipmentImport } from '../../../main/core/equipment/import/service';
import { testHub, testPc } from '../sync/harness';

/**
 * A category can be taken out of use (no longer offered for devices, kept by those that have it)
 * and brought back; one nothing uses can be deleted, and on a PC of a hospital hub, where rows are
 * never deleted, deleting it takes it out of use instead.
 */

const actions = (b: ReturnType<typeof testBackend>, id: string) =>
  b.core.db.prepare("SELECT action, actor_name FROM audit_log WHERE entity = 'category' AND entity_id = ? ORDER BY seq").all(id);

describe('a category taken out of use', () => {
  it('is taken out of use and brought back by a supervisor, each audited; its devices keep it', async () => {
    const b = testBackend('supervisor');
    const call = caller(b.backend, b.session);
    const cat = await call('categories.create', { name: 'Suction unit', defaultRisk: 'medium' });
    device(b.core, 'SU-1', { categoryId: cat.id });
    const out = await call('categories.update', { id: cat.id, name: 'Suction unit', defaultRisk: 'medium', active: false });
    expect(out).toMatchObject({ active: false, equipmentCount: 1, name: 'Suction unit' });
    expect((await call('categories.list', {})).find((c) => c.id === cat.id)).toMatchObject({ active: false });
    const back = await call('categories.update', { id: cat.id, name: 'Suction unit', defaultRisk: 'medium', active: true });
    expect(back).toMatchObject({ active: true });
    expect(actions(b, cat.id)).toEqual([
      { action: 'create', actor_name: 'Test supervisor' },
      { action: 'deactivate', actor_name: 'Test supervisor' },
      { action: 'reactivate', actor_name: 'Test supervisor' },
    ]);
  });

  it('is refused to a technician, as deleting is', async () => {
    const b = testBackend('supervisor');
    const call = caller(b.backend, b.session);
    const cat = await call('categories.create', { name: 'Suction unit' });
    const session = newSession(b.core.clock.now().getTime());
    signedInUser(b.core, 'technician', { name: 'Tess Technician', session });
    const res = await b.backend.invoke(session, 'categories.update', { id: cat.id, name: 'Suction unit', active: false });
    expect(res).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await call('categories.list', {}))[0]).toMatchObject({ active: true });
  });

  it('keeps its name: a new category of that name is refused with a sentence saying how to bring it back', async () => {
    const b = testBackend('supervisor');
    const call = caller(b.backend, b.session);
    const cat = await call('categories.create', { name: 'Suction unit' });
    await call('categories.update', { id: cat.id, name: 'Suction unit', active: false });
    expect(await b.backend.invoke(b.session, 'categories.create', { name: 'suction UNIT' })).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        field: 'name',
        message: expect.stringMatching(/"Suction unit" is a category taken out of use: bring it back/),
      },
    });
  });

  it('is not given to devices an import brings: the import is refused naming it, and writes nothing', async () => {
    const b = testBackend('supervisor');
    const call = caller(b.backend, b.session);
    const cat = await call('categories.create', { name: 'Suction unit' });
    await call('categories.update', { id: cat.id, name: 'Suction unit', active: false });
    let err: unknown = null;
    try {
      importText(b.core, 'Tag,Name,Location,Category\nSU-7,Suction unit,General Hospital,Suction unit');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(/"Suction unit" is a category taken out of use/);
    expect(b.core.db.prepare('SELECT count(*) AS n FROM equipment').get()).toEqual({ n: 0 });
    // The preview says so by row, before Import is pressed (it listed the category as new).
    const preview = previewEquipmentImport(b.core, { source: { text: 'Tag,Name,Location,Category\nSU-7,Suction unit,General Hospital,Suction unit' } });
    expect(preview.problems.map((p) => p.message)).toEqual([
      'Row 2, column "Category": "Suction unit" is a category taken out of use: bring it back on the Categories screen (Bring back…), or choose another name.',
    ]);
  });

  it('is not offered to a new device, nor given on an edit, but a device that has it keeps it through an edit', async () => {
    const b = testBackend('supervisor');
    const call = caller(b.backend, b.session);
    const cat = await call('categories.create', { name: 'Suction unit' });
    const ward = await call('locations.create', { name: 'Ward 4B' });
    const other = await call('locations.create', { name: 'Ward 5' });
    const su = await call('equipment.create', { assetTag: 'SU-1', name: 'Suction unit', locationId: ward.id, categoryId: cat.id });
    const plain = await call('equipment.create', { assetTag: 'SU-2', name: 'Suction unit', locationId: ward.id });
    await call('categories.update', { id: cat.id, name: 'Suction unit', active: false });
    const refusal = {
      ok: false,
      error: {
        code: 'invalid_input',
        field: 'categoryId',
        message: '"Suction unit" is taken out of use: it is not given to devices. Choose another category, or bring it back on the Categories screen.',
      },
    };
    expect(await b.backend.invoke(b.session, 'equipment.create', { assetTag: 'SU-3', name: 'Suction unit', locationId: ward.id, categoryId: cat.id })).toMatchObject(refusal);
    expect(await b.backend.invoke(b.session, 'equipment.update', { id: plain.id, assetTag: 'SU-2', name: 'Suction unit', locationId: ward.id, categoryId: cat.id })).toMatchObject(refusal);
    // The device that has it is moved to another ward and keeps its category.
    const moved = await call('equipment.update', { id: su.id, assetTag: 'SU-1', name: 'Suction unit', locationId: other.id, categoryId: cat.id });
    expect(moved).toMatchObject({ categoryId: cat.id, locationId: other.id });
  });
});

/** Two supervisors (two windows, or two PCs through the hub) on the same category. */
function twoSupervisors() {
  const b = testBackend('supervisor');
  const ada = caller(b.backend, b.session);
  const sueSession = newSession(b.core.clock.now().getTime());
  signedInUser(b.core, 'supervisor', { name: 'Sue Super', session: sueSession });
  return { b, ada, sue: caller(b.backend, sueSession) };
}

describe('a Categories screen read before someone else changed the category', () => {
  it('"Take out of use…" changes only whether it is in use: the name, risk and notes another supervisor saved meanwhile stay, and the trail records no edit by Ada', async () => {
    const { b, ada, sue } = twoSupervisors();
    await ada('categories.create', { name: 'Infusion pump' });
    // Ada's Categories screen reads the list.
    const row = (await ada('categories.list', {})).find((c) => c.name === 'Infusion pump')!;
    // Sue, elsewhere, corrects the name and sets the default risk and a note.
    await sue('categories.update', { id: row.id, name: 'Infusion pump (volumetric)', defaultRisk: 'high', notes: 'Alaris GP only' });
    // Ada: "Take out of use… Infusion pump" → Take out of use. The screen sends what it changes, and only that.
    const out = await ada('categories.update', { id: row.id, active: false });
    expect(out).toMatchObject({ active: false, name: 'Infusion pump (volumetric)', defaultRisk: 'high', notes: 'Alaris GP only' });
    expect((await ada('categories.list', {})).find((c) => c.id === row.id)).toMatchObject({
      active: false,
      name: 'Infusion pump (volumetric)',
      defaultRisk: 'high',
      notes: 'Alaris GP only',
    });
    expect(actions(b, row.id)).toEqual([
      { action: 'create', actor_name: 'Test supervisor' },
      { action: 'update', actor_name: 'Sue Super' },
      { action: 'deactivate', actor_name: 'Test supervisor' },
    ]);
    // Brought back the same way, still with Sue's name.
    expect(await ada('categories.update', { id: row.id, active: true })).toMatchObject({ active: true, name: 'Infusion pump (volumetric)', defaultRisk: 'high' });
  });

  it('the edit dialog opened before another supervisor\'s change is refused in words naming what changed, on expected.<field>, and nothing is undone', async () => {
    const { b, ada, sue } = twoSupervisors();
    const cat = await ada('categories.create', { name: 'Infusion pump', defaultRisk: 'medium' });
    const opened = { name: cat.name, defaultRisk: cat.defaultRisk, notes: cat.notes };
    await sue('categories.update', { id: cat.id, name: 'Infusion pump (volumetric)', defaultRisk: 'high', notes: 'Alaris GP only' });
    const res = await b.backend.invoke(b.session, 'categories.update', { id: cat.id, name: 'Infusion pump', defaultRisk: 'medium', notes: 'Checked yearly', expected: opened });
    expect(res).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        field: 'expected.name',
        message:
          'Infusion pump was changed by someone else since you opened this (now called "Infusion pump (volumetric)", default risk now high, other notes now): check and save again.',
      },
    });
    expect((await ada('categories.list', {})).find((c) => c.id === cat.id)).toMatchObject({ name: 'Infusion pump (volumetric)', defaultRisk: 'high', notes: 'Alaris GP only' });
    expect(actions(b, cat.id)).toEqual([
      { action: 'create', actor_name: 'Test supervisor' },
      { action: 'update', actor_name: 'Sue Super' },
    ]);
    // Saved again with what the dialog now holds (Sue's values, Ada's notes): both changes kept.
    const now = (await ada('categories.list', {})).find((c) => c.id === cat.id)!;
    expect(
      await ada('categories.update', { id: cat.id, name: now.name, defaultRisk: now.defaultRisk, notes: 'Checked yearly', expected: { name: now.name, defaultRisk: now.defaultRisk, notes: now.notes } }),
    ).toMatchObject({ name: 'Infusion pump (volumetric)', defaultRisk: 'high', notes: 'Checked yearly' });
  });

  it('saving the edit dialog opened before another supervisor took the category out of use does not bring it back', async () => {
    const { ada, sue } = twoSupervisors();
    const cat = await ada('categories.create', { name: 'Suction unit' });
    await sue('categories.update', { id: cat.id, active: false });
    const saved = await ada('categories.update', { id: cat.id, name: 'Suction unit', defaultRisk: 'medium', notes: 'Wall and portable', expected: { name: 'Suction unit', defaultRisk: null, notes: null } });
    expect(saved).toMatchObject({ active: false, defaultRisk: 'medium', notes: 'Wall and portable' });
    expect((await ada('categories.list', {})).find((c) => c.id === cat.id)).toMatchObject({ active: false, defaultRisk: 'medium' });
  });

  it('a change with no name is only "in use or not": risk or notes without the name, or nothing at all, are refused naming the name', async () => {
    const b = testBackend('supervisor');
    const call = caller(b.backend, b.session);
    const cat = await call('categories.create', { name: 'Suction unit', defaultRisk: 'low', notes: 'Portable' });
    for (const input of [{ id: cat.id }, { id: cat.id, notes: 'Wall' }, { id: cat.id, defaultRisk: 'high' as const, active: false }]) {
      expect(await b.backend.invoke(b.session, 'categories.update', input)).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', field: 'name', message: 'Name is required.' },
      });
    }
    expect((await call('categories.list', {}))[0]).toMatchObject({ name: 'Suction unit', defaultRisk: 'low', notes: 'Portable', active: true });
  });
});

describe('deleting a category', () => {
  it('an unused category whose default plan was removed again can be deleted (nothing uses it)', async () => {
    const b = testBackend('supervisor');
    const call = caller(b.backend, b.session);
    const cat = await call('categories.create', { name: 'Bladder scanner' });
    // The supervisor adds a default plan by mistake, then removes it: the screen lists none.
    const tpl = await call('categoryPlans.add', { categoryId: cat.id, task: 'inspection', every: '1y', mode: 'floating' } as never);
    await call('categoryPlans.remove', { id: tpl.id });
    expect(await call('categoryPlans.list', { categoryId: cat.id })).toEqual([]);
    expect(await b.backend.invoke(b.session, 'categories.delete', { id: cat.id })).toEqual({ ok: true, value: { id: cat.id } });
    expect(await call('categories.list', {})).toEqual([]);
    expect(b.core.db.prepare('SELECT count(*) AS n FROM category_plan_templates').get()).toEqual({ n: 0 });
  });

  it('is not refused over a default plan of a task taken out of use, which its page does not list: that plan goes with it', async () => {
    const b = testBackend('admin');
    const call = caller(b.backend, b.session);
    const scanners = await call('categories.create', { name: 'Bladder scanner' });
    const leak = await call('taskTypes.create', { label: 'Probe leak test', formKind: 'plain', failTakesOutOfService: false, overdueMeansDoNotUse: false, failOpensWorkOrder: false });
    await call('categoryPlans.add', { categoryId: scanners.id, task: leak.code, every: '1y' });
    await call('taskTypes.update', { code: leak.code, label: leak.label, formKind: 'plain', active: false, failTakesOutOfService: false, overdueMeansDoNotUse: false, failOpensWorkOrder: false });
    // The category's page lists no default plan: nothing to remove there.
    expect(await call('categoryPlans.list', { categoryId: scanners.id })).toEqual([]);
    expect(await b.backend.invoke(b.session, 'categories.delete', { id: scanners.id })).toEqual({ ok: true, value: { id: scanners.id } });
    expect(await call('categories.list', {})).toEqual([]);
    expect(b.core.db.prepare('SELECT count(*) AS n FROM category_plan_templates').get()).toEqual({ n: 0 });
    expect(b.core.db.prepare("SELECT action FROM audit_log WHERE entity = 'category_plan_template' ORDER BY seq").all()).toEqual([{ action: 'create' }, { action: 'delete' }]);
  });

  it('a default plan of a task back in use is listed again, and holds the category as before', async () => {
    const b = testBackend('admin');
    const call = caller(b.backend, b.session);
    const scanners = await call('categories.create', { name: 'Bladder scanner' });
    const leak = await call('taskTypes.create', { label: 'Probe leak test', formKind: 'plain', failTakesOutOfService: false, overdueMeansDoNotUse: false, failOpensWorkOrder: false });
    await call('categoryPlans.add', { categoryId: scanners.id, task: leak.code, every: '1y' });
    const change = { code: leak.code, label: leak.label, formKind: 'plain' as const, failTakesOutOfService: false, overdueMeansDoNotUse: false, failOpensWorkOrder: false };
    await call('taskTypes.update', { ...change, active: false });
    await call('taskTypes.update', { ...change, active: true });
    expect((await call('categoryPlans.list', { categoryId: scanners.id })).map((p) => p.taskLabel)).toEqual(['Probe leak test']);
    expect(await b.backend.invoke(b.session, 'categories.delete', { id: scanners.id })).toMatchObject({
      ok: false,
      error: { code: 'conflict', field: 'id', message: '"Bladder scanner" still has its default probe leak test plan: remove it on its page first, or take the category out of use.' },
    });
  });

  it('is refused naming what holds it, on field id: a default plan, a procedure', async () => {
    const b = testBackend('supervisor');
    const call = caller(b.backend, b.session);
    const cat = await call('categories.create', { name: 'Bladder scanner' });
    const tpl = await call('categoryPlans.add', { categoryId: cat.id, task: 'inspection', every: '1y', mode: 'floating' } as never);
    expect(await b.backend.invoke(b.session, 'categories.delete', { id: cat.id })).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        field: 'id',
        message: '"Bladder scanner" still has its default inspection plan: remove it on its page first, or take the category out of use.',
      },
    });
    await call('categoryPlans.remove', { id: tpl.id });
    await call('procedures.save', {
      owner: { kind: 'category', categoryId: cat.id },
      task: 'inspection',
      definition: { kind: 'checklist', steps: [{ text: 'Probe clean' }] },
    });
    expect(await b.backend.invoke(b.session, 'categories.delete', { id: cat.id })).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        field: 'id',
        message: expect.stringMatching(/^"Bladder scanner" has a procedure for inspection .*take it out of use instead\.$/),
      },
    });
  });
});

describe('a category nothing uses, on a PC of a hub', () => {
  it('can be taken off the list (deleted or deactivated), with a sentence if refused, never an internal error', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const errors: unknown[] = [];
    const backend = createBackend(a.core, { logError: (err) => void errors.push(err) });
    const session = newSession(a.core.clock.now().getTime());
    signedInUser(a.core, 'supervisor', { name: 'Sam Supervisor', session });
    const created = await backend.invoke(session, 'categories.create', { name: 'Typo categroy' });
    expect(created.ok).toBe(true);
    const id = (created as { value: { id: string } }).value.id;
    const res = await backend.invoke(session, 'categories.delete', { id });
    // The sync capture trigger refuses a DELETE ("a category is deactivated rather than deleted"): it is taken out of use.
    expect(errors.map(String)).toEqual([]);
    expect(res).toEqual({ ok: true, value: { id, outOfUse: true } });
    const list = await backend.invoke(session, 'categories.list', {});
    expect(list.ok && list.value.filter((c) => c.active).map((c) => c.name)).toEqual([]);
    expect(a.core.db.prepare("SELECT action FROM audit_log WHERE entity = 'category' AND entity_id = ? ORDER BY seq").all(id)).toEqual([
      { action: 'create' },
      { action: 'deactivate' },
    ]);
  });
});
