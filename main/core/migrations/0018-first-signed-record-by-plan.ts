import type { Migration } from './types';

/**
 * Each plan's records signed in the app (not imported history), by when they were entered (issue
 * 17). The compliance report counts a plan's imported history only if it was entered before the
 * plan's first record signed in the app (docs/records.md), and found that first record by reading
 * the plan's whole history in `completions_plan`: a year's report at 50,000 devices asks it of
 * 71,401 plans, with about 13 records each, in 0.57–0.69 s of its 5.2–5.9 s. With this index it is
 * one seek per plan (0.24–0.33 s). Only the records not imported are in it, so an import of
 * history writes nothing to it; each record signed in the app, or received from another PC, is one
 * more entry (at the benchmark's 50,000 devices, 757,000 records and 53 MB). Building it reads every
 * record once, at the upgrade.
 */
export const migration0018: Migration = {
  version: 18,
  name: "each plan's first record signed in the app found by one seek",
  up(db) {
    db.exec(`
DROP INDEX IF EXISTS completions_plan_signed;
CREATE INDEX completions_plan_signed ON completions (plan_id, coalesce(entered_at, created_at)) WHERE source <> 'import';
`);
  },
};
