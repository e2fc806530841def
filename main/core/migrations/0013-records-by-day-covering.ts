import type { Migration } from './types';

/**
 * The records of a span of days, with their plan and outcome, read from the index alone (issue 17).
 * The compliance report finds the floating plans that can fall due in its period from the records
 * done about one interval before it (a floating plan's occurrences are the days after its passing
 * records), so it reads no records at all of the others. `completions_performed_on` led by the
 * date only sent each of those records to the table for its plan; it now carries the plan and the
 * outcome. Same name and the same leading column, so every statement that names it keeps its plan.
 * Rebuilding it reads every record once, at the upgrade. The floating plans of one interval are an
 * index of their own (`plans_floating`), so picking them out does not read every plan.
 */
const sql = `
DROP INDEX completions_performed_on;
CREATE INDEX completions_performed_on ON completions (performed_on, plan_id, outcome);
CREATE INDEX plans_floating ON plans (mode, interval_unit, interval_n, start_date, id) WHERE mode = 'floating';
`;

export const migration0013: Migration = {
  version: 13,
  name: "a day's records with their plan and outcome read from the index alone",
  up(db) {
    db.exec(sql);
  },
};
