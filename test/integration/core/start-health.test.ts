import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DB_FILE } from '../../../main/core/db/open';
import { startHealth } from '../../../main/core/health';
import { openCore } from '../../../main/core/open-core';
import { tempDir } from '../../helpers/core';

/**
 * Issue 17: before the window, a big database gets a check that does not grow with its history
 * (the schema and each table's first and last rows); a small one still gets the whole quick_check.
 */
function fill(): string {
  const dir = tempDir();
  const core = openCore({ dataDir: dir });
  core.db.exec('CREATE TABLE bulk (id INTEGER PRIMARY KEY, body TEXT)');
  const insert = core.db.prepare('INSERT INTO bulk (body) VALUES (?)');
  for (let i = 0; i < 400; i++) insert.run('x'.repeat(900));
  core.close();
  return dir;
}

function pageOf(dir: string, sql: string): { page: number; size: number } {
  const db = new BetterSqlite3(path.join(dir, DB_FILE), { readonly: true });
  const page = db.prepare(sql).pluck().get() as number;
  const size = db.pragma('page_size', { simple: true }) as number;
  db.close();
  return { page, size };
}

function overwrite(dir: string, page: number, size: number): void {
  const fd = openSync(path.join(dir, DB_FILE), 'r+');
  writeSync(fd, Buffer.alloc(size, 0xa5), 0, size, (page - 1) * size);
  closeSync(fd);
}

describe('the check before the window', () => {
  it('on a big database reads the edges only, and passes a sound one', () => {
    const dir = fill();
    const core = openCore({ dataDir: dir });
    expect(startHealth(core.db, { wholeUpTo: 0 })).toEqual({ ok: true, problems: [], whole: false });
    expect(startHealth(core.db)).toEqual({ ok: true, problems: [], whole: true });
    core.close();
  });

  it("finds a table's newest page torn", () => {
    const dir = fill();
    // The last page of the file holds the newest rows of the table written last.
    const { page, size } = pageOf(dir, 'SELECT page_count FROM pragma_page_count');
    overwrite(dir, page, size);
    const core = openCore({ dataDir: dir });
    const health = startHealth(core.db, { wholeUpTo: 0 });
    expect(health.ok).toBe(false);
    expect(health.problems[0]).toMatch(/^Database integrity: .*(malformed|corrupt)/i);
    core.close();
  });

  it("finds a table's root page damaged", () => {
    const dir = fill();
    const { page, size } = pageOf(dir, "SELECT rootpage FROM sqlite_schema WHERE name = 'equipment'");
    overwrite(dir, page, size);
    const core = openCore({ dataDir: dir });
    expect(startHealth(core.db, { wholeUpTo: 0 })).toMatchObject({ ok: false, whole: false });
    core.close();
  });
});
