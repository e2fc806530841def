import type { Migration } from './types';

/**
 * Covering indexes for the due list and the counts per ward (the scheduler issue). Both read the
 * plans due up to a day, a range of `plans_due`, and each plan's target. With the index holding
 * every column they read, neither the plans table nor the equipment table is touched: at 150,000
 * plans and 50,000 devices this makes today's list several times faster. `plans_due` keeps its
 * name, its leading column and its condition, so queries naming it are unchanged.
 */
const sql = `
DROP INDEX plans_due;
CREATE INDEX plans_due ON plans (due_from, next_due, window_days, grace_days, task, equipment_id, stock_location_id, id)
  WHERE active = 1;
CREATE INDEX equipment_due_target ON equipment (id, status, location_id, asset_tag, name, risk);
`;

export const migration0003: Migration = {
  version: 3,
  name: 'due list covering indexes',
  up(db) {
    db.exec(sql);
  },
};
