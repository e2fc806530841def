import type { Migration } from './types';

/**
 * The records' and the plans' indexes by stock location hold only what is on a stock location
 * (issue 17). A record or a plan is on a device or on a stock location, and on a hospital most are
 * on devices: every one of those had an entry under a NULL stock location that no query reads (each
 * asks for one stock location, `stock_location_id = ?` or `IN (…)`, which SQLite knows implies the
 * index's `IS NOT NULL`). Those entries cost every record written an insert, every integrity check
 * (`wardkeep verify`, a backup's check) a look-up per record (at the benchmark's tenth size the
 * records' share of the check went from 2.1 s to 1.7 s), and a PC joining a hub the same per record
 * it downloads. Rebuilding them reads each table once.
 */
export const migration0017: Migration = {
  version: 17,
  name: "the indexes by stock location hold only what is on one",
  up(db) {
    db.exec(`
DROP INDEX IF EXISTS completions_stock_location;
CREATE INDEX completions_stock_location ON completions (stock_location_id, performed_at) WHERE stock_location_id IS NOT NULL;
DROP INDEX IF EXISTS plans_stock_location;
CREATE INDEX plans_stock_location ON plans (stock_location_id) WHERE stock_location_id IS NOT NULL;
`);
  },
};
