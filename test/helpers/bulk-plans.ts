import type { Core } from '../../main/core/context';
import { inTransaction } from '../../main/core/dispatcher/transaction';

/** The one plan each bulk device has (fixed mode: occurrences fall on the start date's grid). */
export interface BulkPlan {
  task: string;
  interval: [number, 'day' | 'week' | 'month' | 'year'];
  startDate: string;
  windowDays: number;
  graceDays: number;
  nextDue: string;
  dueFrom: string;
}

const id = (group: string, kind: string, n: number) => `00000000-${group}-7000-${kind}-${String(n).padStart(12, '0')}`;

/**
 * `count` high-risk devices in service in the place of device `like`, made when it was, numbered
 * from 1, each with one plan and the passes `days(n)` gives device n (performed at `time`, UTC, on
 * each day), written directly in one transaction: a hospital's worth of plans through the services
 * would take minutes. Their ids follow their number (devices …-8000-n, plans …-9000-n), their tags
 * `${tagPrefix}00001` on ("Bulk device", BULK-00001 unless named).
 */
export function bulkPlans(
  core: Core,
  o: {
    count: number;
    like: string;
    name?: string;
    tagPrefix?: string;
    plan: BulkPlan;
    time: string;
    days: (n: number) => string[];
  },
): void {
  const p = o.plan;
  const { name = 'Bulk device', tagPrefix = 'BULK-' } = o;
  const { location_id: locationId, created_at: createdAt } = core.db
    .prepare('SELECT location_id, created_at FROM equipment WHERE id = ?')
    .get(o.like) as {
    location_id: string;
    created_at: string;
  };
  inTransaction(core, (w) => {
    const insertDevice = w.db.prepare(
      `INSERT INTO equipment (id, asset_tag, asset_tag_key, name, location_id, risk, status, created_at, updated_at, pc_id)
       VALUES (?, ?, ?, ?, ?, 'high', 'in_service', ?, ?, 'pc')`,
    );
    const insertPlan = w.db.prepare(
      `INSERT INTO plans (id, equipment_id, task, interval_n, interval_unit, mode, start_date, window_days, grace_days, next_due, due_from, created_at, updated_at, pc_id)
       VALUES (?, ?, ?, ?, ?, 'fixed', ?, ?, ?, ?, ?, ?, ?, 'pc')`,
    );
    const insertRecord = w.db.prepare(
      `INSERT INTO completions (id, plan_id, equipment_id, task, performed_at, performed_on, outcome, performed_by_name, source, created_at, pc_id)
       VALUES (?, ?, ?, ?, ?, ?, 'pass', 'Bulk', 'import', ?, 'pc')`,
    );
    for (let n = 1; n <= o.count; n++) {
      const deviceId = id('0000', '8000', n);
      const planId = id('0000', '9000', n);
      const tag = `${tagPrefix}${String(n).padStart(5, '0')}`;
      insertDevice.run(deviceId, tag, tag, name, locationId, createdAt, createdAt);
      insertPlan.run(
        planId,
        deviceId,
        p.task,
        p.interval[0],
        p.interval[1],
        p.startDate,
        p.windowDays,
        p.graceDays,
        p.nextDue,
        p.dueFrom,
        createdAt,
        createdAt,
      );
      o.days(n).forEach((on, i) => {
        const at = `${on}T${o.time}:00.000Z`;
        insertRecord.run(id(String(i).padStart(4, '0'), 'a000', n), planId, deviceId, p.task, at, on, at);
      });
    }
  });
}
