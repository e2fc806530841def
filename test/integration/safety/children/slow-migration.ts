/**
 * A child process for the interrupted-migration test: migrates the database with every real
 * migration plus an extra, slow one that exists only here, and is killed while it runs.
 * Usage: node --import tsx slow-migration.ts DATA_DIR
 */
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { preMigrationBackup } from '../../../../main/core/backup/recover';
import { migrate } from '../../../../main/core/db/migrate';
import { applyPragmas, DB_FILE } from '../../../../main/core/db/open';
import { LATEST_VERSION, migrations } from '../../../../main/core/migrations';
import type { Migration } from '../../../../main/core/migrations/types';

const [dataDir] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: slow-migration.ts DATA_DIR');
const db = new BetterSqlite3(path.join(dataDir, DB_FILE));
applyPragmas(db);
const slow: Migration = {
  version: LATEST_VERSION + 1,
  name: 'slow-test-only',
  up(d) {
    d.exec('CREATE TABLE slow_test (n INTEGER PRIMARY KEY, filler TEXT NOT NULL) STRICT');
    const insert = d.prepare('INSERT INTO slow_test (filler) VALUES (?)');
    process.stdout.write('migrating\n');
    // Long enough to be killed in the middle; it never finishes on its own within the test.
    for (let i = 0; ; i++) insert.run('y'.repeat(200));
  },
};
const hook = preMigrationBackup(dataDir);
migrate(db, { migrations: [...migrations, slow], beforeMigrate: (from, to) => hook(db, from, to) });
