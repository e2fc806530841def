import type { Migration } from './types';

/**
 * One ward's due list (the home screen on a ward PC) read `plans_due`, led by the due date: it
 * walked the whole hospital's due range and kept one row in forty (issue 17). `plans_ward_due` is
 * the same covering index led by the plan's target location, so a ward's list seeks its rooms and
 * reads only their plans.
 */
const sql = `
CREATE INDEX plans_ward_due ON plans (target_location_id, target_in_service, due_from, next_due, window_days, grace_days, task, target_tag, target_name, target_risk, equipment_id, stock_location_id, id) WHERE active = 1;
`;

export const migration0009: Migration = {
  version: 9,
  name: 'ward due index',
  up(db) {
    db.exec(sql);
  },
};
