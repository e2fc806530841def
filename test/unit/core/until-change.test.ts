import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { keptUntilChange } from '../../../main/core/sql/until-change';
import { join } from 'node:path';
import { tempDir } from '../../helpers/core';

/**
 * A value kept until the database changes is worked out again after a write by this connection,
 * after a commit by another one (a second process, the worker), and always inside a transaction.
 */
describe('keptUntilChange', () => {
  it('reads again after this connection writes, after another connection commits, and inside a transaction', () => {
    const file = join(tempDir(), 'kept.sqlite3');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (n INTEGER)');
    const other = new Database(file);
    let computed = 0;
    const count = keptUntilChange((core: { db: Database.Database }) => {
      computed++;
      return Number(core.db.prepare('SELECT count(*) FROM t').pluck().get());
    });
    const core = { db };
    expect([count(core), count(core), computed]).toEqual([0, 0, 1]);
    db.prepare('INSERT INTO t VALUES (1)').run();
    expect([count(core), computed]).toEqual([1, 2]);
    other.prepare('INSERT INTO t VALUES (2)').run();
    expect([count(core), count(core), computed]).toEqual([2, 2, 3]);
    db.exec('BEGIN');
    db.prepare('INSERT INTO t VALUES (3)').run();
    expect(count(core)).toBe(3);
    db.exec('ROLLBACK');
    // The rolled-back row was never kept: what is read after is the table as it stands.
    expect(count(core)).toBe(2);
    other.close();
    db.close();
  });
});
