import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { DatabaseDamagedError, DatabaseRefusedError } from '../errors';
import { uuidv7 } from '../ids';
import { attachSync } from '../sync/capture';
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
  /**
   * Set when the folder shows a database was here (backups, the audit head log): a missing file is
   * then damage, said in this sentence, not a new install. `verify` sets it always: it never creates one.
   */
  mustExist?: string | null;
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

/**
 * Statement journals in memory (issue 17). Every insert into a table with a trigger (the search
 * index's; every synced table's change capture, even while the PC is in no hub) keeps a statement
 * journal, and SQLite's default writes it to a temporary file once a statement's journal passes
 * 64 KB, then keeps writing there until the transaction ends: a 50,000-device import made 1.9
 * million writes to /var/tmp, about 4 s of its 10. In memory, each statement's journal holds only
 * the pages that statement changes, and is let go when the statement ends. Set after the
 * migrations (a migration's statement may change a whole table, so its journal stays on disk) and
 * before any temporary object is made: changing it drops the connection's temporary triggers.
 * The b-trees a query builds for itself (DISTINCT, IN lists) are held in memory too; large sorts
 * still spill to temporary files.
 */
function keepStatementJournalsInMemory(db: Database): void {
  db.pragma('temp_store = MEMORY');
}

export function openDatabase(options: OpenOptions): OpenDatabase {
  const dataDir = path.resolve(options.dataDir);
  const problem = networkPathProblem(options.dataDir) ?? networkPathProblem(path.dirname(dataDir));
  if (problem) throw new DatabaseRefusedError(problem);
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, DB_FILE);
  const binding = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {};
  let created: { from: number; to: number } | null = null;
  if (!existsSync(file)) {
    if (options.mustExist) throw new DatabaseDamagedError(options.mustExist);
    created = createDatabase(file, binding, options.beforeMigrate);
  } else if (statSync(file).size === 0) {
    throw new DatabaseDamagedError(`The database file ${file} is empty (0 bytes): it was cut off or emptied. It was left untouched.`);
  }
  const db = new BetterSqlite3(file, { ...binding, fileMustExist: true });
  try {
    // Version first, before any pragma that writes: a newer database is left untouched.
    checkVersion(db, file, undefined, { existing: true });
    applyPragmas(db);
    // The hub's change capture calls functions only Wardkeep's connections have (capture is off until the core is ready).
    attachSync(db);
    const migrated = migrate(db, {
      beforeMigrate: (from, to) => options.beforeMigrate?.(db, from, to),
    });
    keepStatementJournalsInMemory(db);
    const pcId = ensurePcId(db);
    return { db, file, pcId, migrated: created ?? migrated };
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * A new install's database is made whole under a temporary name and renamed into place, so a crash
 * never leaves an empty file under the real name (which would be damage, not a new install).
 */
function createDatabase(file: string, binding: { nativeBinding?: string }, beforeMigrate: OpenOptions['beforeMigrate']): { from: number; to: number } {
  const temp = `${file}.new-${process.pid}`;
  for (const f of [temp, `${temp}-wal`, `${temp}-shm`, `${temp}-journal`]) rmSync(f, { force: true });
  const db = new BetterSqlite3(temp, binding);
  try {
    applyPragmas(db);
    const migrated = migrate(db, { beforeMigrate: (from, to) => beforeMigrate?.(db, from, to) });
    ensurePcId(db);
    // Fold the write-ahead log in, so the one file renamed holds everything.
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    renameSync(temp, file);
    fsyncFolder(path.dirname(file));
    return migrated;
  } finally {
    if (db.open) db.close();
  }
}

/** Makes a rename in `dir` durable (where the system lets a folder be fsynced). */
export function fsyncFolder(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Folders cannot be opened for fsync on Windows; the rename is durable enough there.
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
