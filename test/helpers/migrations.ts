import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { expect } from 'vitest';
import { migrate, schemaVersion } from '../../main/core/db/migrate';
import { applyPragmas, DB_FILE } from '../../main/core/db/open';
import { migrations } from '../../main/core/migrations';
import { tempDir } from './core';

/** A data folder whose database an older Wardkeep left at `version`: the migrations up to `version` applied. */
export function databaseAt(version: number): string {
  const dir = tempDir();
  const db = new BetterSqlite3(path.join(dir, DB_FILE));
  applyPragmas(db);
  migrate(db, { migrations: migrations.filter((m) => m.version <= version) });
  expect(schemaVersion(db)).toBe(version);
  db.close();
  return dir;
}

/** The entries an index holds, counted on its pages (SQLite's dbstat), not through the index's own WHERE. */
export function indexEntries(db: BetterSqlite3.Database, index: string): number {
  return db.prepare("SELECT coalesce(sum(ncell), 0) FROM dbstat WHERE name = ? AND pagetype = 'leaf'").pluck().get(index) as number;
}
