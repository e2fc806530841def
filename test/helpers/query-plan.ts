import type Database from 'better-sqlite3';

/**
 * SQLite's plan for `sql`, one `detail` line per step (`EXPLAIN QUERY PLAN`): for the tests that pin
 * which index a query reads ("SEARCH c USING COVERING INDEX completions_plan (…)"), never a scan of
 * a table that grows with history. `params` are bound as the statement's own run binds them.
 */
export function queryPlan(db: Database.Database, sql: string, ...params: unknown[]): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
}
