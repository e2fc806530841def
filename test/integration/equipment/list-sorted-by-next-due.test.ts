import { describe, expect, it } from 'vitest';
import { loggingWorld } from '../completions/fixture';
import { queryPlan } from '../../helpers/query-plan';

/**
 * The equipment list sorted by "Next due" reads in the order of the dates its rows show. The cell
 * shows the most urgent plan (an overdue one before one still within its grace, which may have
 * the earlier date), so the sort follows that plan, not the earliest date of any plan.
 */

async function world() {
  const w = await loggingWorld(); // today is 2026-11-25
  const add = (assetTag: string) => w.call('equipment.create', { assetTag, name: `Monitor ${assetTag}`, locationId: w.site.id });
  const plan = (equipmentId: string, task: 'inspection' | 'calibration', startDate: string, graceDays: number, windowDays?: number) =>
    w.call('plans.create', { equipmentId, task, every: '1y', startDate, graceDays, ...(windowDays === undefined ? {} : { windowDays }) });
  const shown = async (direction: 'asc' | 'desc') =>
    (await w.call('equipment.search', { text: 'SRT', sort: 'nextDue', direction })).rows.map(
      (r) => `${r.assetTag} ${r.nextDue?.dueDate ?? '-'}`,
    );
  return { w, add, plan, shown };
}

describe('the equipment list sorted by next due', () => {
  it('orders rows by the date printed in each row, up and down', async () => {
    const { add, plan, shown } = await world();
    const a = await add('SRT-A');
    const b = await add('SRT-B');
    const c = await add('SRT-C');
    await add('SRT-D'); // no plan: last either way
    // A: an inspection due 2026-11-20 still within 30 days' grace, and a calibration overdue since
    // 2026-11-24 (no grace): the row shows the overdue calibration's 2026-11-24.
    await plan(a.id, 'inspection', '2026-11-20', 30);
    await plan(a.id, 'calibration', '2026-11-24', 0);
    // B: a calibration overdue since 2026-11-22.
    await plan(b.id, 'calibration', '2026-11-22', 0);
    // C: only an inspection within its grace: the row shows its 2026-11-21.
    await plan(c.id, 'inspection', '2026-11-21', 30);
    expect(await shown('asc')).toEqual(['SRT-C 2026-11-21', 'SRT-B 2026-11-22', 'SRT-A 2026-11-24', 'SRT-D -']);
    expect(await shown('desc')).toEqual(['SRT-A 2026-11-24', 'SRT-B 2026-11-22', 'SRT-C 2026-11-21', 'SRT-D -']);
  });

  it('puts a plan due within its window before an earlier one not yet due, and a device out of service by its earliest', async () => {
    const { w, add, plan, shown } = await world();
    const a = await add('SRT-A');
    const b = await add('SRT-B');
    const c = await add('SRT-C');
    // A: an inspection due 2026-12-01 with a 10-day window (due since 2026-11-21), and a
    // calibration due 2026-11-29 with none (not due yet): the row shows the inspection's 2026-12-01.
    await plan(a.id, 'inspection', '2026-12-01', 0, 10);
    await plan(a.id, 'calibration', '2026-11-29', 0, 0);
    // B: a calibration due 2026-11-30, not due yet.
    await plan(b.id, 'calibration', '2026-11-30', 0, 0);
    // C: out of service, so its plans are suspended: the row shows the earliest, 2026-11-10.
    await plan(c.id, 'calibration', '2026-11-10', 0, 0);
    await plan(c.id, 'inspection', '2026-12-05', 0, 10);
    await w.call('equipment.setStatus', { id: c.id, status: 'out_of_service', reason: 'Dropped' });
    expect(await shown('asc')).toEqual(['SRT-C 2026-11-10', 'SRT-B 2026-11-30', 'SRT-A 2026-12-01']);
  });

  it("reads each device's plans through their index, as the earliest date did", async () => {
    const { w } = await world();
    const { searchEquipment } = await import('../../../main/core/equipment/search');
    const plans: string[] = [];
    const db = w.core.db;
    const prepare = db.prepare.bind(db);
    // The list's query as it runs: its plan, not its rows.
    db.prepare = ((sql: string) => {
      if (/FROM equipment e\s/.test(sql) && sql.includes('LIMIT @limit')) plans.push(sql);
      return prepare(sql);
    }) as typeof db.prepare;
    try {
      searchEquipment(w.core, { sort: 'nextDue', direction: 'asc' }, { offset: 0, limit: 100 });
    } finally {
      db.prepare = prepare;
    }
    expect(plans).toHaveLength(1);
    const detail = queryPlan(db, plans[0]!, { limit: 100, offset: 0, today: '2026-11-25' });
    expect(detail.join('\n')).toMatch(/SEARCH p USING INDEX plans_equipment \(equipment_id=\?\)/);
  });
});
