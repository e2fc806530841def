import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { createCategory } from '../../../main/core/categories/service';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { commitEquipmentImport, previewEquipmentImport } from '../../../main/core/equipment/import/service';
import { addCategoryPlan } from '../../../main/core/plans/category-plans';
import { CategoryPlanFields } from '../../../shared/domain/plan';
import { fixedClock, testActor, testCore } from '../../helpers/core';
import { ewhBytes } from './fixtures';
import { loggingWorld } from '../completions/fixture';

/**
 * Issue 16: a fleet imported in the morning must not all be due that day. The real EWH inventory
 * with a category and a `last_calibration` column added: each device's calibration plan starts a
 * year after its last calibration; a device with no date is due on the day of the import.
 */
function ewhWithLastCalibration(dates: (row: number) => string): string {
  const parsed = Papa.parse<string[]>(new TextDecoder().decode(ewhBytes()), { skipEmptyLines: true }).data;
  const [header, ...rows] = parsed;
  const lines = [[...header!, 'Category', 'last_calibration'], ...rows.map((r, i) => [...r, 'Theatre kit', dates(i + 2)])];
  return Papa.unparse(lines);
}

function world() {
  const core = testCore({ clock: fixedClock('2026-11-25T09:00:00Z') });
  inTransaction(core, (core) => {
    const category = createCategory(core, testActor, { name: 'Theatre kit', defaultRisk: 'medium', notes: null });
    addCategoryPlan(core, testActor, CategoryPlanFields.parse({ categoryId: category.id, task: 'calibration', every: '1y' }));
  });
  return core;
}

describe('last done when a device arrives (issue 16)', () => {
  it('starts each default plan from the last-done column of the real hospital file, and the preview says when each will be due', () => {
    const core = world();
    const text = ewhWithLastCalibration((row) => (row % 2 === 0 ? '2026-03-15' : ''));
    const preview = previewEquipmentImport(core, { source: { text }, generateTagsPrefix: 'EWH' });
    expect(preview.problems).toEqual([]);
    expect(preview.columns.find((c) => c.header === 'last_calibration')).toMatchObject({ lastDoneTask: 'calibration' });
    expect(preview.rows[0]).toMatchObject({ row: 2, lastDone: { calibration: '2026-03-15' }, nextDue: [{ task: 'calibration', dueDate: '2027-03-15', lastDone: '2026-03-15' }] });
    expect(preview.rows[1]).toMatchObject({ row: 3, nextDue: [{ task: 'calibration', dueDate: '2026-11-25', lastDone: null }] });

    inTransaction(core, (core) => commitEquipmentImport(core, testActor, { source: { text }, generateTagsPrefix: 'EWH' }));
    const plans = core.db.prepare('SELECT next_due, done_before_on FROM plans ORDER BY next_due').all() as { next_due: string; done_before_on: string | null }[];
    expect(plans).toHaveLength(23);
    expect(plans.filter((p) => p.next_due === '2027-03-15' && p.done_before_on === '2026-03-15')).toHaveLength(12);
    expect(plans.filter((p) => p.next_due === '2026-11-25' && p.done_before_on === null)).toHaveLength(11);
  });

  it('refuses a last-done date that is not a date or is after today, by row and column, and imports nothing', () => {
    const core = world();
    const text = ewhWithLastCalibration((row) => (row === 4 ? '31/02/2026' : row === 5 ? '2027-01-01' : ''));
    const preview = previewEquipmentImport(core, { source: { text }, generateTagsPrefix: 'EWH' });
    expect(preview.problems.map((p) => [p.row, p.column])).toEqual([
      [4, 'last_calibration'],
      [5, 'last_calibration'],
    ]);
    expect(preview.problems.map((p) => p.message).join('\n')).toMatch(/^Row 4, column "last_calibration": .*\nRow 5, column "last_calibration": .*$/);
    expect(() => inTransaction(core, (core) => commitEquipmentImport(core, testActor, { source: { text }, generateTagsPrefix: 'EWH' }))).toThrow();
    expect(core.db.prepare('SELECT count(*) AS n FROM equipment').get()).toEqual({ n: 0 });
  });
});

describe('the add-device form’s last-done dates (issue 16)', () => {
  it('start the category’s default plan from the date given; a date after today or for a task without a default plan is refused, naming the field', async () => {
    const w = await loggingWorld();
    await w.call('categoryPlans.add', { categoryId: w.pumps.id, task: 'calibration', every: '1y' });
    const pump = await w.call('equipment.create', { assetTag: 'IP-9', name: 'Pump', locationId: w.site.id, categoryId: w.pumps.id, lastDone: { calibration: '2026-05-02' } });
    expect((await w.call('plans.list', { equipmentId: pump.id })).plans).toMatchObject([{ task: 'calibration', nextDue: '2027-05-02', doneBeforeOn: '2026-05-02' }]);
    expect(await w.backend.invoke(w.admin, 'equipment.create', { assetTag: 'IP-10', name: 'Pump', locationId: w.site.id, categoryId: w.pumps.id, lastDone: { calibration: '2026-12-24' } })).toMatchObject({
      ok: false,
      error: { field: 'lastDone.calibration', message: expect.stringContaining('after today') },
    });
    expect(await w.backend.invoke(w.admin, 'equipment.create', { assetTag: 'IP-11', name: 'Pump', locationId: w.site.id, categoryId: w.pumps.id, lastDone: { cleaning: '2026-05-02' } })).toMatchObject({
      ok: false,
      error: { field: 'lastDone.cleaning' },
    });
    expect(w.count('equipment')).toBe(3);
  });
});
