import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { DatabaseRefusedError } from '../errors';
import { uuidv7 } from '../ids';
import { checkVersion, migrate } from './migrate';
import { networkPathProblem } from './network-path';
import { query } from '../sql/query';
import type { MetaRow } from '../sql/rows';

const pcIdRow = query<Pick<MetaRow, 'value'>>("SELECT value FROM meta WHERE key = 'pc_id'");

export const DB_FILE = 'wardkeep.sqlite3';

export interface OpenOptions {
  dataDir: string;
  /** Path to a better_sqlite3.node built for the running runtime (the Electron build in the app). */
  nativeBinding?: string | undefined;
  /** Called before pending migrations run, e.g. to take a backup. */
  beforeMigrate?: (db: Database, from: number, to: number) => void;
}

export interface OpenDatabase {
  db: Database;
  file: string;
  pcId: string;
  migrated: { from: number; to: number };
}

/** Durability first: a confirmed write survives a power cut (synchronous=FULL in WAL mode). */
export function applyPragmas(db: Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('trusted_schema = OFF');
  // 64 MB of page cache (SQLite's default is 2 MB): the due list's covering indexes of a
  // 50,000-device hospital stay in memory, so today's list reads no pages from disk.
  db.pragma('cache_size = -65536');
}

export function openDatabase(options: OpenOptions): OpenDatabase {
  const dataDir = path.resolve(options.dataDir);
  const problem = networkPathProblem(options.dataDir) ?? networkPathProblem(path.dirname(dataDir));
  if (problem) throw new DatabaseRefusedError(problem);
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, DB_FILE);
  const db = new BetterSqlite3(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    // Version first, before any pragma that writes: a newer database is left untouched.
    checkVersion(db, file);
    applyPragmas(db);
    const migrated = migrate(db, {
      beforeMigrate: (from, to) => options.beforeMigrate?.(db, from, to),
    });
    const pcId = ensurePcId(db);
    return { db, file, pcId, migrated };
  } catch (err) {
    db.close();
    throw err;
  }
}

/** The id of this PC's copy of the data, written into every row it creates. */
function ensurePcId(db: Database): string {
  const row = pcIdRow.get({ db });
  if (row) return row.value;
  const pcId = uuidv7();
  // Written once, by the first connection to open a new file, before anyone can write through it.
  db.prepare("INSERT INTO meta (key, value) VALUES ('pc_id', ?)").run(pcId);
  return pcId;
}
