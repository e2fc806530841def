import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../main/core/db/migrate';
import { DB_FILE, openDatabase } from '../../../main/core/db/open';
import { LATEST_VERSION, migrations } from '../../../main/core/migrations';
import type { Migration } from '../../../main/core/migrations/types';
import { tempDir } from '../../helpers/core';
import { databaseAt } from '../../helpers/migrations';

const schemaOf = (db: BetterSqlite3.Database) =>
  db.prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all();

describe('migrations', () => {
  it('are numbered 1, 2, 3 … in order, with no gap', () => {
    const versions = migrations.map((m) => m.version);
    expect(versions).toEqual(Array.from({ length: LATEST_VERSION }, (_, i) => i + 1));
  });

  it('take an existing file with no Wardkeep tables for damage, never for a new database (issue 13, item 5)', () => {
    expect(() => openDatabase({ dataDir: databaseAt(0) })).toThrow(/holds no Wardkeep data/);
  });

  for (const from of migrations.map((m) => m.version).filter((v) => v < LATEST_VERSION)) {
    it(`bring a version ${from} database to version ${LATEST_VERSION} with the same schema as a new one`, () => {
      const dir = databaseAt(from);
      const opened = openDatabase({ dataDir: dir });
      expect(opened.migrated).toEqual({ from, to: LATEST_VERSION });
      const fresh = openDatabase({ dataDir: tempDir() });
      expect(schemaOf(opened.db)).toEqual(schemaOf(fresh.db));
      opened.db.close();
      fresh.db.close();
    });
  }

  it('leave the old version intact when a migration fails part-way', () => {
    const dir = databaseAt(LATEST_VERSION);
    const db = new BetterSqlite3(path.join(dir, DB_FILE));
    const before = schemaOf(db);
    const broken: Migration = {
      version: LATEST_VERSION + 1,
      name: 'fails half way',
      up(d) {
        d.exec('CREATE TABLE half_done (id TEXT PRIMARY KEY) STRICT');
        throw new Error('power cut');
      },
    };
    expect(() => migrate(db, { migrations: [...migrations, broken] })).toThrow('power cut');
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(schemaOf(db)).toEqual(before);
    db.close();
  });

  it('call beforeMigrate only when there is something to migrate', () => {
    const calls: [number, number][] = [];
    const dir = tempDir();
    openDatabase({ dataDir: dir, beforeMigrate: (_db, from, to) => calls.push([from, to]) }).db.close();
    openDatabase({ dataDir: dir, beforeMigrate: (_db, from, to) => calls.push([from, to]) }).db.close();
    expect(calls).toEqual([[0, LATEST_VERSION]]);
  });
});
