import type { Database } from 'better-sqlite3';
import { DatabaseDamagedError, DatabaseRefusedError } from '../errors';
import { LATEST_VERSION, migrations as allMigrations } from '../migrations';
import type { Migration } from '../migrations/types';
import { query } from '../sql/query';
import type { CountRow } from '../sql/rows';

const tableCount = query<CountRow>("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'");

/** 'WARD' in ASCII: marks the file as a Wardkeep database (PRAGMA application_id). */
export const APPLICATION_ID = 0x57415244;

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Refuses a database this version of the app cannot safely use, before anything is written.
 * Returns the version found.
 */
export function checkVersion(db: Database, file: string, latest: number = LATEST_VERSION, options: { existing?: boolean } = {}): number {
  const version = schemaVersion(db);
  if (version > latest) {
    throw new DatabaseRefusedError(
      `The database ${file} was written by a newer version of Wardkeep (schema version ${version}); this version understands schema version ${latest} at most. Update Wardkeep to open it. The file was left untouched.`,
    );
  }
  const appId = db.pragma('application_id', { simple: true }) as number;
  const hasTables = tableCount.get({ db })!.n > 0;
  if (appId !== APPLICATION_ID && (hasTables || version > 0)) {
    throw new DatabaseRefusedError(`The file ${file} is an SQLite database but not a Wardkeep database. It was left untouched.`);
  }
  // An existing file with nothing in it is a database that lost its contents, never a new install.
  if (options.existing && !hasTables) {
    throw new DatabaseDamagedError(`The database file ${file} holds no Wardkeep data: it was emptied or replaced. It was left untouched.`);
  }
  return version;
}

/**
 * Brings the schema to the latest version in ONE transaction: either every pending migration
 * applies and user_version moves, or nothing does (a crash mid-way leaves the old version).
 */
export function migrate(
  db: Database,
  options: { migrations?: readonly Migration[]; beforeMigrate?: (from: number, to: number) => void } = {},
): { from: number; to: number } {
  const list = options.migrations ?? allMigrations;
  // By version, not by place: a branch may land a later number before an earlier one is merged.
  const latest = list.at(-1)?.version ?? 0;
  const pendingAfter = (version: number) => list.filter((m) => m.version > version);
  const from = schemaVersion(db);
  if (from >= latest) return { from, to: from };
  options.beforeMigrate?.(from, latest);
  // A table others point at is rebuilt with foreign keys off (they cannot be switched inside a
  // transaction); every key is checked before the commit, so nothing dangling is ever committed.
  const rebuilds = pendingAfter(from).some((m) => m.rebuildsTables);
  const keysWereOn = rebuilds && db.pragma('foreign_keys', { simple: true }) === 1;
  const run = db.transaction(() => {
    // Read again under the write lock: another process opening the same file at the same moment
    // may have migrated it while this one waited.
    const current = schemaVersion(db);
    for (const m of pendingAfter(current)) {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }
    if (rebuilds) {
      const broken = db.pragma('foreign_key_check') as { table: string; parent: string }[];
      if (broken.length > 0) throw new Error(`The upgrade left ${broken.length} broken reference(s), first from ${broken[0]!.table} to ${broken[0]!.parent}; nothing was changed.`);
    }
    db.pragma(`application_id = ${APPLICATION_ID}`);
  });
  if (keysWereOn) db.pragma('foreign_keys = OFF');
  try {
    run.immediate();
  } finally {
    if (keysWereOn) db.pragma('foreign_keys = ON');
  }
  return { from, to: latest };
}
