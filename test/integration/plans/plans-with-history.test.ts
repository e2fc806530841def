import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { addCategoryPlan } from '../../../main/core/plans/category-plans';
import { analysePlanImport, commitPlanImport } from '../../../main/core/plans/import';
import { updateTaskType } from '../../../main/core/plans/task-types';
import { listTaskTypes } from '../../../main/core/plans/service';
import { updateSettings } from '../../../main/core/settings/service';
import { createStockLocation } from '../../../main/core/stock/catalog';
import { CategoryPlanFields } from '../../../shared/domain/plan';
import { StockLocationFields } from '../../../shared/domain/stock-catalog';
import type { Core } from '../../../main/core/context';
import { fixedClock, testActor, testBackend } from '../../helpers/core';
import { category, device, done, place, plan, planRow } from './fixtures';

/**
 * A plan changed, taken out of use or brought back after the device has history (the day it was
 * last done before Wardkeep, or records signed here): its next due date keeps following that
 * history (docs/scheduling.md rule 6, docs/records.md).
 */

const NOW = '2025-11-25T15:00:00Z';

/** The administrator takes a task type out of use (Settings → Task types). */
function stopTask(core: Core, code: string) {
  const t = listTaskTypes(core).find((x) => x.code === code)!;
  inTransaction(core, (core) =>
    updateTaskType(core, testActor, {
      code: t.code,
      label: t.label,
      formKind: t.formKind,
      failTakesOutOfService: t.failTagsOut,
      overdueMeansDoNotUse: t.overdueBlocksUse,
      failOpensWorkOrder: t.failOpensWorkOrder,
      active: false,
    }),
  );
}

const auditOf = (core: Core, id: string, action: string) =>
  core.db.prepare("SELECT old_value, new_value FROM audit_log WHERE entity = 'plan' AND entity_id = ? AND action = ?").all(id, action) as {
    old_value: string;
    new_value: string;
  }[];

describe('a plan started from the day it was last done before Wardkeep', () => {
  async function pumpCalibratedBefore() {
    const t = testBackend('supervisor', { clock: fixedClock(NOW) });
    const cat = category(t.core, 'Infusion pump');
    inTransaction(t.core, (core) => addCategoryPlan(core, testActor, CategoryPlanFields.parse({ categoryId: cat, task: 'calibration', every: '1y' })));
    const created = await t.backend.invoke(t.session, 'equipment.create', {
      assetTag: 'IP-0100',
      name: 'Infusion pump',
      locationId: place(t.core, 'General Hospital > Ward 4B > Bay 1'),
      categoryId: cat,
      lastDone: { calibration: '2025-06-01' },
    });
    expect(created).toMatchObject({ ok: true });
    const pumpId = (created as { value: { id: string } }).value.id;
    const list = await t.backend.invoke(t.session, 'plans.list', { equipmentId: pumpId });
    const cal = (list as { value: { plans: { id: string; startDate: string; nextDue: string; doneBeforeOn: string | null }[] } }).value.plans[0]!;
    expect(cal).toMatchObject({ nextDue: '2026-06-01', doneBeforeOn: '2025-06-01', startDate: '2026-06-01' });
    return { ...t, pumpId, cal };
  }

  it('yearly made 6-monthly in the plan dialog (start date sent unchanged): next due is last done + 6 months, on the device page, the due list and in the trail', async () => {
    const { backend, session, core, pumpId, cal } = await pumpCalibratedBefore();
    const updated = await backend.invoke(session, 'plans.update', { id: cal.id, every: '6m', mode: 'floating', startDate: cal.startDate, windowDays: null, graceDays: null });
    expect(updated).toMatchObject({ ok: true, value: { doneBeforeOn: '2025-06-01', everyText: 'every 6 months', startDate: '2025-12-01', nextDue: '2025-12-01', status: 'due' } });
    // The device page reads the same.
    expect(await backend.invoke(session, 'plans.list', { equipmentId: pumpId })).toMatchObject({
      ok: true,
      value: { plans: [{ id: cal.id, nextDue: '2025-12-01', lastDoneOn: null, doneBeforeOn: '2025-06-01' }] },
    });
    // Due from 13.11 (an 18-day window): on today's list.
    expect(await backend.invoke(session, 'due.today', {})).toMatchObject({ ok: true, value: { total: 1, rows: [{ planId: cal.id, dueDate: '2025-12-01', status: 'due' }] } });
    const [entry] = auditOf(core, cal.id, 'update');
    expect(JSON.parse(entry!.old_value)).toMatchObject({ interval_n: 1, interval_unit: 'year', start_date: '2026-06-01', next_due: '2026-06-01' });
    expect(JSON.parse(entry!.new_value)).toMatchObject({ interval_n: 6, interval_unit: 'month', start_date: '2025-12-01', next_due: '2025-12-01' });
  });

  it('a start date the supervisor types stays as typed; once a pass is signed here, the start date is left alone', async () => {
    const { backend, session, cal } = await pumpCalibratedBefore();
    expect(
      await backend.invoke(session, 'plans.update', { id: cal.id, every: '6m', startDate: '2025-12-20', windowDays: null, graceDays: null }),
    ).toMatchObject({ ok: true, value: { startDate: '2025-12-20', nextDue: '2025-12-20' } });

    const other = await pumpCalibratedBefore();
    done(other.core, other.cal.id, '2025-11-20T10:00:00Z');
    expect(
      await other.backend.invoke(other.session, 'plans.update', { id: other.cal.id, every: '6m', startDate: other.cal.startDate, windowDays: null, graceDays: null }),
    ).toMatchObject({ ok: true, value: { startDate: '2026-06-01', lastDoneOn: '2025-11-20', nextDue: '2026-05-20' } });
  });
});

describe('a plan taken out of use and brought back', () => {
  async function calibratedLastWeek() {
    const t = testBackend('supervisor', { clock: fixedClock(NOW) });
    const pumpId = device(t.core, 'IP-0200');
    const first = plan(t.core, pumpId, 'calibration', '1y', '2025-01-01');
    done(t.core, first.id, '2025-11-18T10:00:00Z', 'pass');
    expect(planRow(t.core, first.id)).toMatchObject({ next_due: '2026-11-18', last_done_on: '2025-11-18' });
    expect(await t.backend.invoke(t.session, 'plans.deactivate', { id: first.id })).toMatchObject({ ok: true });
    return { ...t, pumpId, first };
  }

  it('"Add plan…" of its task does not start afresh without the records: refused, pointing at "Bring back…"', async () => {
    const { backend, session, core, pumpId } = await calibratedLastWeek();
    inTransaction(core, (core) => updateSettings(core, testActor, { dateFormat: 'dd.MM.yyyy' }));
    const again = await backend.invoke(session, 'plans.create', { equipmentId: pumpId, task: 'calibration', every: '1y', startDate: '2025-11-25' });
    expect(again).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        field: 'task',
        message:
          `IP-0200's calibration plan taken out of use holds its records (last done 18.11.2025): bring it back ("Bring back…" under "Inactive plans") rather than start a new one without them.`,
      },
    });
    expect(core.db.prepare("SELECT count(*) AS n FROM plans WHERE task = 'calibration'").get()).toEqual({ n: 1 });
  });

  it('a plans file giving the device that task again is refused the same way, naming the row and column; nothing is written', async () => {
    const { core } = await calibratedLastWeek();
    inTransaction(core, (core) => updateSettings(core, testActor, { dateFormat: 'dd.MM.yyyy' }));
    const bytes = new TextEncoder().encode('asset_tag,Task Type,every,start\nip-0200,Calibration,1y,2025-11-25\n');
    const sentence =
      `Row 2, column "Task Type": IP-0200's calibration plan taken out of use holds its records (last done 18.11.2025): bring it back on the device's page ("Bring back…" under "Inactive plans") rather than start a new one without them.`;
    const analysis = analysePlanImport(core, bytes);
    expect(analysis.problems).toEqual([{ row: 2, column: 'Task Type', message: sentence }]);
    expect(analysis.plans).toEqual([]);
    expect(() => inTransaction(core, (core) => commitPlanImport(core, testActor, bytes, { fileName: 'plans.csv' }))).toThrow(sentence);
    expect(core.db.prepare("SELECT count(*) AS n FROM plans WHERE task = 'calibration'").get()).toEqual({ n: 1 });
  });

  it('brought back, it keeps the signed history: last done and next due follow the last pass; audited; the due list follows', async () => {
    const { backend, session, core, pumpId, first } = await calibratedLastWeek();
    const back = await backend.invoke(session, 'plans.reactivate', { id: first.id });
    expect(back).toMatchObject({ ok: true, value: { id: first.id, active: true, lastDoneOn: '2025-11-18', nextDue: '2026-11-18', status: 'scheduled' } });
    const list = await backend.invoke(session, 'plans.list', { equipmentId: pumpId });
    expect((list as { value: { plans: { active: boolean }[] } }).value.plans).toHaveLength(1);
    const [entry] = auditOf(core, first.id, 'reactivate');
    expect(JSON.parse(entry!.old_value)).toEqual({ active: 0, next_due: '2026-11-18' });
    expect(JSON.parse(entry!.new_value)).toEqual({ active: 1, next_due: '2026-11-18' });
    // Calibrated a week ago: not on today's due list (a plan started afresh would be due today).
    expect(await backend.invoke(session, 'due.today', {})).toMatchObject({ ok: true, value: { total: 0 } });
    expect(planRow(core, first.id)).toEqual({ next_due: '2026-11-18', due_from: '2026-10-19', last_done_on: '2025-11-18' });
    // Once is enough.
    expect(await backend.invoke(session, 'plans.reactivate', { id: first.id })).toMatchObject({ ok: false, error: { code: 'conflict', message: 'This plan is already in use.' } });
  });

  it('is refused while another plan of the task is in use on the device, and for a task taken out of use; nothing is written', async () => {
    const { backend, session, core } = testBackend('supervisor', { clock: fixedClock(NOW) });
    const pumpId = device(core, 'IP-0300');
    const old = plan(core, pumpId, 'inspection', '1m', '2025-01-01');
    await backend.invoke(session, 'plans.deactivate', { id: old.id });
    // No records on the old plan: nothing to forget, a new plan may start.
    const fresh = plan(core, pumpId, 'inspection', '6m', '2025-11-25');
    expect(await backend.invoke(session, 'plans.reactivate', { id: old.id })).toMatchObject({
      ok: false,
      error: { code: 'conflict', field: 'id', message: 'IP-0300 already has an active inspection plan: take that one out of use first to bring this one back.' },
    });
    const cleaning = plan(core, pumpId, 'cleaning', '1w', '2025-11-25');
    await backend.invoke(session, 'plans.deactivate', { id: cleaning.id });
    stopTask(core, 'cleaning');
    expect(await backend.invoke(session, 'plans.reactivate', { id: cleaning.id })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'id', message: 'Cleaning is no longer in use, so its plan cannot be brought back.' },
    });
    expect(core.db.prepare('SELECT id, active FROM plans ORDER BY id').all()).toEqual(
      [
        { id: old.id, active: 0 },
        { id: fresh.id, active: 1 },
        { id: cleaning.id, active: 0 },
      ].sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
    expect(auditOf(core, old.id, 'reactivate')).toEqual([]);
  });

  it('a technician cannot bring a plan back', async () => {
    const { backend, session, core } = testBackend('technician', { clock: fixedClock(NOW) });
    const pumpId = device(core, 'IP-0400');
    const p = plan(core, pumpId, 'calibration', '1y', '2025-11-01');
    core.db.prepare('UPDATE plans SET active = 0 WHERE id = ?').run(p.id);
    expect(await backend.invoke(session, 'plans.reactivate', { id: p.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(core.db.prepare('SELECT active FROM plans WHERE id = ?').get(p.id)).toEqual({ active: 0 });
  });
});

describe('task types taken out of use', () => {
  it('a stock check stopped by the administrator is refused for a new stock-location plan, as for a device', async () => {
    const { backend, session, core } = testBackend('admin', { clock: fixedClock(NOW) });
    const ward = place(core, 'General Hospital > Ward 4B');
    const cart = inTransaction(core, (core) => createStockLocation(core, testActor, StockLocationFields.parse({ name: 'Crash cart 1', kind: 'crash_cart', locationId: ward })));
    const stock = listTaskTypes(core).find((t) => t.target === 'stock_location')!;
    stopTask(core, stock.code);
    const res = await backend.invoke(session, 'plans.create', { stockLocationId: cart.id, task: stock.code, every: '1d', startDate: '2025-11-25' });
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'task', message: `${stock.label} is no longer in use; choose another task.` } });
    expect(core.db.prepare('SELECT count(*) AS n FROM plans').get()).toEqual({ n: 0 });
  });
});

describe('changes refused or recomputed (kept from the review)', () => {
  it('a technician can neither change nor take a plan out of use; nothing is written', async () => {
    const { backend, session, core } = testBackend('technician', { clock: fixedClock(NOW) });
    const id = device(core, 'IP-0500');
    const p = plan(core, id, 'calibration', '1y', '2025-11-01');
    expect(await backend.invoke(session, 'plans.update', { id: p.id, every: '5y', startDate: '2025-11-01' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await backend.invoke(session, 'plans.deactivate', { id: p.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await backend.invoke(session, 'categoryPlans.applyToDevices', { categoryId: category(core, 'X') })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(core.db.prepare('SELECT interval_n, interval_unit, active FROM plans WHERE id = ?').get(p.id)).toEqual({ interval_n: 1, interval_unit: 'year', active: 1 });
    expect(core.db.prepare("SELECT count(*) AS n FROM audit_log WHERE entity = 'plan'").get()).toEqual({ n: 1 });
  });

  it('bad window and grace are named by field, nothing half-written', async () => {
    const { backend, session, core } = testBackend('supervisor', { clock: fixedClock(NOW) });
    const id = device(core, 'IP-0600');
    const p = plan(core, id, 'inspection', '1m', '2025-11-01');
    const base = { id: p.id, every: '1m', startDate: '2025-11-01' };
    for (const bad of [{ windowDays: -1 }, { windowDays: 1.5 }, { graceDays: '3' }, { graceDays: 1e9 }, { every: '1.5m' }, { every: 6 }, { startDate: '25/11/2025' }]) {
      const res = await backend.invoke(session, 'plans.update', { ...base, ...bad } as never);
      expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input', field: Object.keys(bad)[0] } });
    }
    expect(core.db.prepare('SELECT interval_n, window_days, grace_days, start_date FROM plans WHERE id = ?').get(p.id)).toEqual({
      interval_n: 1,
      window_days: 3,
      grace_days: 0,
      start_date: '2025-11-01',
    });
  });

  it('a change to a plan with signed records: next due recomputed by the rules; the trail keeps who, old and new', async () => {
    const { backend, session, core } = testBackend('supervisor', { clock: fixedClock(NOW) });
    const id = device(core, 'IP-0700');
    const p = plan(core, id, 'inspection', '1m', '2025-01-01', { mode: 'fixed', windowDays: 7 });
    done(core, p.id, '2025-02-25T10:00:00Z');
    expect(planRow(core, p.id).next_due).toBe('2025-04-01');
    expect(await backend.invoke(session, 'plans.update', { id: p.id, every: '1m', mode: 'floating', startDate: '2025-01-01', windowDays: 7 })).toMatchObject({
      ok: true,
      value: { nextDue: '2025-03-25', status: 'overdue' },
    });
    const entry = core.db.prepare("SELECT actor_name, actor_user_id, old_value, new_value FROM audit_log WHERE entity = 'plan' AND action = 'update'").get() as {
      actor_name: string;
      actor_user_id: string | null;
      old_value: string;
      new_value: string;
    };
    expect(entry.actor_name).toBe('Test supervisor');
    expect(entry.actor_user_id).not.toBeNull();
    expect(JSON.parse(entry.old_value)).toEqual({ mode: 'fixed', next_due: '2025-04-01' });
    expect(JSON.parse(entry.new_value)).toEqual({ mode: 'floating', next_due: '2025-03-25' });
    expect(await backend.invoke(session, 'due.today', {})).toMatchObject({ ok: true, value: { total: 1 } });
  });

  it('a second active plan of the same task on one device is refused, through every door', async () => {
    const { backend, session, core } = testBackend('supervisor', { clock: fixedClock(NOW) });
    const cat = category(core, 'Pumps');
    const id = device(core, 'IP-0800', { categoryId: cat });
    plan(core, id, 'Calibration', '1y', '2025-11-01');
    expect(await backend.invoke(session, 'plans.create', { equipmentId: id, task: 'CALIBRATION', every: '6m', startDate: '2025-11-01' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', field: 'task' },
    });
    await backend.invoke(session, 'categoryPlans.add', { categoryId: cat, task: 'calibration', every: '1y' });
    expect(await backend.invoke(session, 'categoryPlans.applyToDevices', { categoryId: cat })).toMatchObject({ ok: true, value: { created: 0 } });
    expect(core.db.prepare("SELECT count(*) AS n FROM plans WHERE task = 'calibration' AND active = 1").get()).toEqual({ n: 1 });
  });
});
