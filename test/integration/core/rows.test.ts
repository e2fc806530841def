import { describe, expect, it } from 'vitest';
import { TABLES } from '../../../main/core/sql/rows';
import { testCore } from '../../helpers/core';

interface TableInfo {
  name: string;
  type: string;
  notnull: number;
  pk: number;
}

/** The app's own tables in a freshly migrated database (SQLite's and the search index's internals left out). */
function liveTables(db: ReturnType<typeof testCore>['db']): Map<string, TableInfo[]> {
  const names = (
    db.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'").all() as {
      name: string;
    }[]
  ).map((t) => t.name);
  return new Map(names.map((n) => [n, db.prepare('SELECT name, type, "notnull", pk FROM pragma_table_info(?)').all(n) as TableInfo[]]));
}

describe('one row type per table (main/core/sql/rows.ts)', () => {
  it('declares every table of the live schema, and no table that is not there', () => {
    const core = testCore();
    expect(Object.keys(TABLES).sort()).toEqual([...liveTables(core.db).keys()].sort());
  });

  it("declares each table's columns with the storage class and nullability pragma table_info gives", () => {
    const core = testCore();
    const strict = new Set(
      (core.db.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND strict = 1").all() as { name: string }[]).map(
        (t) => t.name,
      ),
    );
    for (const [table, columns] of liveTables(core.db)) {
      // STRICT tables make PRIMARY KEY columns NOT NULL, whatever the column says.
      const live = columns.map((c) => ({ column: c.name, type: c.type, nullable: c.notnull === 0 && !(c.pk > 0 && strict.has(table)) }));
      const declared = Object.entries(TABLES[table as keyof typeof TABLES]).map(([column, d]) => ({
        column,
        type: d.type,
        nullable: d.nullable,
      }));
      expect(declared, table).toEqual(live);
    }
  });

  it('notices a column a migration would add (the check itself works)', () => {
    const core = testCore();
    core.db.exec('ALTER TABLE meta ADD COLUMN note TEXT');
    const live = liveTables(core.db)
      .get('meta')!
      .map((c) => c.name);
    expect(live).toEqual(['key', 'value', 'note']);
    expect(Object.keys(TABLES.meta)).not.toEqual(live);
  });
});
