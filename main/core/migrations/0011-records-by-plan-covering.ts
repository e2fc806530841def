import type { Migration } from './types';

/**
 * A plan's records, read from the index alone (issue 17). The compliance report, the scheduler and
 * the device page read each plan's records by `completions_plan` (plan, time): one seek per plan,
 * then one visit to the table per record, and a plan's records lie scattered through the table
 * (they were written over years, between everyone else's). The index now carries every column
 * those reads take (date, outcome, what it amends, where it came from, when it was entered, its
 * id), so a plan's records are one contiguous run of the index. Same name and the same leading
 * columns, so every statement that names it keeps its plan. Rebuilding it reads every record once,
 * at the upgrade.
 */
const sql = `
DROP INDEX completions_plan;
CREATE INDEX completions_plan ON completions (plan_id, performed_at, performed_on, outcome, amends_id, source, entered_at, created_at, id);
`;

export const migration0011: Migration = {
  version: 11,
  name: "a plan's records read from the index alone",
  up(db) {
    db.exec(sql);
  },
};
