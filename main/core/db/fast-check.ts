import type { Database } from 'better-sqlite3';

/**
 * What the app checks before its window on a big database (issue 17): the schema, and the first and
 * last rows of every table, which walk each table's b-tree from its root down both edges. The right
 * edge is where new rows land, so a write a power cut tore is found here; pages in the middle that a
 * failing disk damaged are found by the full `quick_check`, which the worker runs after start on the
 * deep checks' schedule (docs/data.md). Throws SQLite's own error on damage.
 */
export function readTableEdges(db: Database): number {
  const tables = db
    .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'")
    .raw(true)
    .all()
    .map((r) => (Array.isArray(r) ? { name: String(r[0]), rowid: !/WITHOUT\s+ROWID/i.test(String(r[1])) } : null))
    .filter((t) => t !== null);
  let read = 0;
  for (const t of tables) {
    const name = `"${t.name.replace(/"/g, '""')}"`;
    if (t.rowid) {
      read += db.prepare(`SELECT * FROM ${name} ORDER BY rowid LIMIT 1`).raw(true).all().length;
      read += db.prepare(`SELECT * FROM ${name} ORDER BY rowid DESC LIMIT 1`).raw(true).all().length;
    } else {
      read += db.prepare(`SELECT * FROM ${name} LIMIT 1`).raw(true).all().length;
    }
  }
  return read;
}
