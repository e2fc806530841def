import { describe, expect, it } from 'vitest';
import { recordCompletion } from '../../../main/core/completions/record';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import {
  addCategoryPlan,
  applyCategoryDefaults,
  applyCategoryDefaultsToAll,
  listCategoryPlans,
  removeCategoryPlan,
} from '../../../main/core/plans/category-plans';
import { CategoryPlanFields } from '../../../shared/domain/plan';
import { fixedClock, testActor, testBackend, testCore } from '../../helpers/core';
import { category, device, plan, planRow } from './fixtures';
import { formatDate } from '../../../shared/date-format';

const NOW = '2025-11-25T15:00:00Z';

describe('plan channels', () => {
  it('creates a plan with the defaults of rule 9 shown, lists it with its status today, updates and deactivates it', async () => {
    const { backend, session, core } = testBackend('supervisor', { clock: fixedClock(NOW) });
    const id = device(core, 'IP-0001');
    const created = await backend.invoke(session, 'plans.create', { equipmentId: id, task: 'Calibration', every: '6m', startDate: '2025-11-01' });
    expect(created).toMatchObject({
      ok: true,
      value: { task: 'calibration', taskLabel: 'Calibration', every: '6m', everyText: 'every 6 months', mode: 'floating', windowDays: 18, graceDays: 0, defaultWindowDays: 18, nextDue: '2025-11-01', dueFrom: '2025-10-14', status: 'overdue', daysOverdue: 24, doNotUse: true },
    });
    const planId = (created as { value: { id: string } }).value.id;
    const list = await backend.invoke(session, 'plans.list', { equipmentId: id });
    expect(list).toMatchObject({
      ok: true,
      value: { equipmentId: id, today: '2025-11-25', equipmentStatus: 'in_service', doNotUse: true, doNotUseReasons: [`Calibration is 24 days overdue (due ${formatDate('2025-11-01', 'locale')}).`], plans: [{ id: planId }] },
    });
    const updated = await backend.invoke(session, 'plans.update', { id: planId, every: '1y', mode: 'fixed', startDate: '2025-12-01', windowDays: 10, graceDays: 2 });
    expect(updated).toMatchObject({ ok: true, value: { every: '1y', mode: 'fixed', nextDue: '2025-12-01', windowDays: 10, graceDays: 2, status: 'due' } });
    expect(planRow(core, planId)).toEqual({ next_due: '2025-12-01', due_from: '2025-11-21', last_done_on: null });
    const deactivated = await backend.invoke(session, 'plans.deactivate', { id: planId });
    expect(deactivated).toMatchObject({ ok: true, value: { active: false, status: 'suspended' } });
    expect(await backend.invoke(session, 'plans.deactivate', { id: planId })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    // Never deleted: the row and its audit trail stay.
    expect(core.db.prepare('SELECT active FROM plans WHERE id = ?').get(planId)).toEqual({ active: 0 });
    expect(core.db.prepare("SELECT action FROM audit_log WHERE entity = 'plan' ORDER BY seq").all()).toEqual([
      { action: 'create' },
      { action: 'update' },
      { action: 'deactivate' },
    ]);
  });

  it('a change made on the rule the dialog opened with, after someone else changed the plan, is refused naming what changed; nothing is put back', async () => {
    const { backend, session, core } = testBackend('supervisor', { clock: fixedClock(NOW) });
    const id = device(core, 'IP-0001');
    const created = await backend.invoke(session, 'plans.create', { equipmentId: id, task: 'Calibration', every: '6m', startDate: '2025-11-01' });
    const planId = (created as { value: { id: string } }).value.id;
    const opened = { every: '6m', mode: 'floating' as const, startDate: '2025-11-01', windowDays: 18, graceDays: 0 };
    // Another supervisor (another window, or another PC through the hub) makes it 3-monthly with a grace of 5 days.
    await backend.invoke(session, 'plans.update', { id: planId, every: '3m', startDate: '2025-11-01', windowDays: 10, graceDays: 5, expected: opened });
    // The first dialog, opened on 6 months, saves a longer window over it.
    expect(await backend.invoke(session, 'plans.update', { id: planId, every: '6m', startDate: '2025-11-01', windowDays: 20, graceDays: 0, expected: opened })).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        field: 'every',
        message: 'The calibration plan was changed by someone else since you opened this (now every 3 months, window now 10 days, grace now 5 days): check and save again.',
      },
    });
    expect(core.db.prepare('SELECT interval_n, interval_unit, window_days, grace_days FROM plans WHERE id = ?').get(planId)).toEqual({
      interval_n: 3,
      interval_unit: 'month',
      window_days: 10,
      grace_days: 5,
    });
    expect(core.db.prepare("SELECT count(*) AS n FROM audit_log WHERE entity = 'plan' AND action = 'update'").get()).toEqual({ n: 1 });
    // Made on the plan as it now is, the change goes through.
    const now = { every: '3m', mode: 'floating' as const, startDate: '2025-11-01', windowDays: 10, graceDays: 5 };
    expect(await backend.invoke(session, 'plans.update', { id: planId, every: '3m', startDate: '2025-11-01', windowDays: 10, graceDays: 7, expected: now })).toMatchObject({ ok: true, value: { graceDays: 7 } });
  });

  it('refuses bad input with a sentence naming the field', async () => {
    const { backend, session, core } = testBackend('supervisor', { clock: fixedClock(NOW) });
    const id = device(core, 'IP-0001');
    const base = { equipmentId: id, task: 'inspection', every: '1m', startDate: '2025-11-01' };
    expect(await backend.invoke(session, 'plans.create', { ...base, every: 'monthly' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'every', message: 'Every must be written like 7d, 2w, 6m or 1y.' },
    });
    // Written like 6m and 1y: the number is what is wrong, and the sentence says so.
    expect(await backend.invoke(session, 'plans.create', { ...base, every: '0m' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'every', message: 'Every must be at least 1 month.' },
    });
    expect(await backend.invoke(session, 'plans.create', { ...base, every: '1000y' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'every', message: 'Every must be at most 999 years.' },
    });
    expect(await backend.invoke(session, 'plans.create', { ...base, windowDays: 30 })).toMatchObject({
      ok: false,
      error: { field: 'windowDays', message: 'Window (30 days) must be shorter than the interval (30 days).' },
    });
    expect(await backend.invoke(session, 'plans.create', { ...base, task: 'polishing' })).toMatchObject({
      ok: false,
      error: { field: 'task', message: '"polishing" is not a task; choose one of calibration, electrical_safety, inspection, cleaning, acceptance, repair.' },
    });
    expect(await backend.invoke(session, 'plans.create', { ...base, task: 'stock_check' })).toMatchObject({ ok: false, error: { field: 'task' } });
    expect(await backend.invoke(session, 'plans.create', { ...base, startDate: '2025-02-30' })).toMatchObject({ ok: false, error: { field: 'startDate' } });
    expect(await backend.invoke(session, 'plans.create', { ...base, mode: 'sometimes' })).toMatchObject({ ok: false, error: { field: 'mode' } });
    expect(await backend.invoke(session, 'plans.create', base)).toMatchObject({ ok: true });
    expect(await backend.invoke(session, 'plans.create', base)).toMatchObject({
      ok: false,
      error: { code: 'conflict', field: 'task', message: 'IP-0001 already has an active inspection plan; change that one instead.' },
    });
  });

  it('lets a technician read plans and log work, but not change plans', async () => {
    const { backend, session, core } = testBackend('technician', { clock: fixedClock(NOW) });
    const id = device(core, 'IP-0001');
    expect(await backend.invoke(session, 'plans.create', { equipmentId: id, task: 'inspection', every: '1m', startDate: '2025-11-01' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await backend.invoke(session, 'plans.list', { equipmentId: id })).toMatchObject({ ok: true, value: { plans: [] } });
    expect(await backend.invoke(session, 'due.today', {})).toMatchObject({ ok: true, value: { rows: [], total: 0, asOf: '2025-11-25' } });
  });

  it('records a completion in the core, refusing the future and a date that is not one', () => {
    const core = testCore({ clock: fixedClock(NOW) });
    const id = device(core, 'IP-0001');
    const planId = plan(core, id, 'calibration', '1y', '2025-11-01').id;
    const record = (performedAt: string) =>
      inTransaction(core, (core) => recordCompletion(core, testActor, { planId, performedAt, outcome: 'pass', notes: 'All points in tolerance', source: 'app' }));
    expect(() => record('2025-11-26T00:00:00Z')).toThrow('Performed at is in the future: record work once it is done.');
    expect(() => record('yesterday')).toThrow('Performed at must be a date and time');
    expect(record('2025-11-25T09:00:00-05:00')).toMatchObject({ performedOn: '2025-11-25', plan: { nextDue: '2026-11-25', status: 'scheduled', doNotUse: false }, service: null });
    expect(core.db.prepare('SELECT performed_by_name, source, notes FROM completions').get()).toEqual({
      performed_by_name: 'Test Runner',
      source: 'app',
      notes: 'All points in tolerance',
    });
  });
});

describe('category default plans', () => {
  const template = (categoryId: string, task: string, every: string, extra: Record<string, unknown> = {}) =>
    CategoryPlanFields.parse({ categoryId, task, every, ...extra });

  it("gives a device its category's plans, skipping tasks it already has, starting today", () => {
    const core = testCore({ clock: fixedClock(NOW) });
    const defibs = category(core, 'Defibrillator');
    // A device of the category from before it had defaults (a new one gets them when added).
    const id = device(core, 'DF-1', { categoryId: defibs });
    inTransaction(core, (core) => {
      addCategoryPlan(core, testActor, template(defibs, 'inspection', '1m'));
      addCategoryPlan(core, testActor, template(defibs, 'calibration', '1y', { mode: 'fixed', graceDays: 7 }));
      addCategoryPlan(core, testActor, template(defibs, 'electrical_safety', '1y', { windowDays: 14 }));
    });
    expect(listCategoryPlans(core, defibs).map((t) => [t.task, t.every, t.mode, t.windowDays, t.graceDays, t.defaultWindowDays])).toEqual([
      ['calibration', '1y', 'fixed', null, 7, 30],
      ['electrical_safety', '1y', 'floating', 14, null, 30],
      ['inspection', '1m', 'floating', null, null, 3],
    ]);
    const row = (t: string) => core.db.prepare('SELECT * FROM plans WHERE equipment_id = ? AND task = ?').get(id, t) as Record<string, unknown>;
    // The device already has a weekly inspection of its own: the category's monthly one is skipped.
    plan(core, id, 'inspection', '1w', '2025-01-01');
    const created = inTransaction(core, (core) => applyCategoryDefaults(core, testActor, id));
    expect(created).toHaveLength(2);
    expect(row('calibration')).toMatchObject({ mode: 'fixed', window_days: 30, grace_days: 7, start_date: '2025-11-25', next_due: '2025-11-25', template_id: expect.any(String) });
    expect(row('electrical_safety')).toMatchObject({ window_days: 14, grace_days: 0 });
    expect(row('inspection')).toMatchObject({ interval_unit: 'week' });
    // Applied again: nothing new.
    expect(inTransaction(core, (core) => applyCategoryDefaults(core, testActor, id))).toEqual([]);
    // A device with no category gets nothing.
    expect(inTransaction(core, (core) => applyCategoryDefaults(core, testActor, device(core, 'X-1')))).toEqual([]);
  });

  it('applies to every existing device of the category in one step (retired ones left out), and removal keeps plans made', () => {
    const core = testCore({ clock: fixedClock(NOW) });
    const pumps = category(core, 'Infusion pump');
    const ids = ['P-1', 'P-2', 'P-3'].map((tag) => device(core, tag, { categoryId: pumps }));
    device(core, 'P-OLD', { categoryId: pumps, status: 'retired' });
    const t = inTransaction(core, (core) => addCategoryPlan(core, testActor, template(pumps, 'calibration', '1y')));
    expect(inTransaction(core, (core) => applyCategoryDefaultsToAll(core, testActor, pumps))).toEqual({ devices: 3, created: 3 });
    expect(inTransaction(core, (core) => applyCategoryDefaultsToAll(core, testActor, pumps))).toEqual({ devices: 0, created: 0 });
    inTransaction(core, (core) => removeCategoryPlan(core, testActor, t.id));
    expect(listCategoryPlans(core, pumps)).toEqual([]);
    expect(core.db.prepare('SELECT count(*) AS n FROM plans WHERE equipment_id IN (?, ?, ?) AND active = 1').get(...ids)).toEqual({ n: 3 });
  });

  it('refuses a second default for one task, a bad timing and an unknown category', async () => {
    const { backend, session, core } = testBackend('supervisor', { clock: fixedClock(NOW) });
    const cat = category(core, 'Scale');
    expect(await backend.invoke(session, 'categoryPlans.add', { categoryId: cat, task: 'cleaning', every: '1w' })).toMatchObject({ ok: true, value: { windowDays: null, defaultWindowDays: 0 } });
    expect(await backend.invoke(session, 'categoryPlans.add', { categoryId: cat, task: 'cleaning', every: '1m' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await backend.invoke(session, 'categoryPlans.add', { categoryId: cat, task: 'inspection', every: '1w', graceDays: 7 })).toMatchObject({
      ok: false,
      error: { field: 'graceDays', message: 'Grace (7 days) must be shorter than the interval (7 days).' },
    });
    expect(await backend.invoke(session, 'categoryPlans.list', { categoryId: '01900000-0000-7000-8000-000000000999' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await backend.invoke(session, 'categoryPlans.applyToDevices', { categoryId: cat })).toMatchObject({ ok: true, value: { devices: 0, created: 0 } });
  });
});
