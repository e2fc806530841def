import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { DatabaseDamagedError, DatabaseRefusedError } from '../errors';
import { uuidv7 } from '../ids';
import { attachSync } from '../sync/capture';
import { LATEST_VERSION } from '../migrations';
import { checkVersion, migrate } from './migrate';
import { sortKey } from '../../../shared/domain/common';
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
  /**
   * Reads a copy of the database in memory, read-only, writing nothing in the folder: for a command
   * that only reads, in a data folder this account cannot write (see openSnapshot).
   */
  snapshot?: boolean;
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
 * index's; every synced table's change capture on a PC in a hub) keeps a statement
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

/**
 * `name_sort(text)`: where a name sorts (`sortKey`, shared/domain/common.ts), for the lists that sort
 * by a name in SQL (the equipment list, users, categories, stock items). Used in queries only, never
 * in the schema, so the file stays readable and writable by any SQLite (a person with sqlite3 meets
 * no unknown function). NULL stays NULL, so "NULLS LAST" holds.
 */
function registerNameSort(db: Database): void {
  db.function('name_sort', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? sortKey(value) : value));
}

export function openDatabase(options: OpenOptions): OpenDatabase {
  const dataDir = path.resolve(options.dataDir);
  const problem = networkPathProblem(options.dataDir) ?? networkPathProblem(path.dirname(dataDir));
  if (problem) throw new DatabaseRefusedError(problem);
  const notAFolder = dataFolderProblem(dataDir);
  if (notAFolder) throw new DatabaseRefusedError(notAFolder);
  const file = path.join(dataDir, DB_FILE);
  // Said before the folder is made: a database that must exist is never replaced by an empty folder.
  if (options.mustExist && !existsSync(file)) throw new DatabaseDamagedError(options.mustExist);
  mkdirSync(dataDir, { recursive: true });
  const binding = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {};
  let created: { from: number; to: number } | null = null;
  if (!existsSync(file)) {
    created = createDatabase(file, binding, options.beforeMigrate);
  } else if (statSync(file).size === 0) {
    throw new DatabaseDamagedError(`The database file ${file} is empty (0 bytes): it was cut off or emptied. It was left untouched.`);
  }
  if (options.snapshot) return openSnapshot(file, binding);
  const db = new BetterSqlite3(file, { ...binding, fileMustExist: true });
  try {
    // Version first, before any pragma that writes: a newer database is left untouched.
    checkVersion(db, file, undefined, { existing: true });
    applyPragmas(db);
    // The hub's change capture calls functions only Wardkeep's connections have (capture is off until the core is ready).
    attachSync(db);
    registerNameSort(db);
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

/** Why `dataDir` cannot be the data folder (it, or a folder above it, is a file), or null. */
export function dataFolderProblem(dataDir: string): string | null {
  for (let dir = path.resolve(dataDir); ; dir = path.dirname(dir)) {
    const stat = statSync(dir, { throwIfNoEntry: false });
    if (stat) return stat.isDirectory() ? null : `${dir} is a file, not a folder: the data folder must be a folder (it holds the database, ${DB_FILE}).`;
    if (path.dirname(dir) === dir) return null;
  }
}

/** A database larger than this is not copied into memory (a hospital's is gigabytes; Node reads at most 2 GB at once). */
export const SNAPSHOT_LIMIT_BYTES = 256 * 1_048_576;

const sameStat = (a: ReturnType<typeof statSync>, b: ReturnType<typeof statSync>) => a?.ino === b?.ino && a?.size === b?.size && a?.mtimeMs === b?.mtimeMs;
const walSize = (file: string) => statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;

/**
 * The database read into memory, read-only, for a command that only reads from a folder it cannot
 * write. SQLite cannot open a database in WAL mode there (its -shm file cannot be made, and this
 * build of better-sqlite3 takes no `immutable=1` URI), so the file's bytes are read once and
 * opened from memory. That copy is the database only when the file holds every commit: no write-ahead
 * log with anything in it (after a clean close there is none), before or after the read, and the
 * file the same (inode, size, time) after the read as before; else it is refused, with nothing written.
 */
function openSnapshot(file: string, binding: { nativeBinding?: string }): OpenDatabase {
  const refuse = () =>
    new DatabaseRefusedError(
      `The data folder ${path.dirname(file)} cannot be written, and the database in it has changes not yet folded into it (another program has it open, or it was not closed properly), so it cannot be read safely from here. Try again when Wardkeep is closed, or run this as a user who may write the folder.`,
    );
  if (walSize(file) > 0) throw refuse();
  const before = statSync(file);
  if (before.size > SNAPSHOT_LIMIT_BYTES) {
    throw new DatabaseRefusedError(
      `The data folder ${path.dirname(file)} cannot be written, and its database (${Math.round(before.size / 1_048_576)} MB) is too large to read from a copy in memory. Run this as a user who may write the folder.`,
    );
  }
  const bytes = readFileSync(file);
  if (walSize(file) > 0 || !sameStat(before, statSync(file))) throw refuse();
  // The file's header says WAL (bytes 18 and 19 = 2), which a database in memory cannot use: the copy says rollback journal.
  if (bytes.length > 19) bytes[18] = bytes[19] = 1;
  const db = new BetterSqlite3(bytes, { ...binding, readonly: true });
  try {
    const version = checkVersion(db, file, undefined, { existing: true });
    if (version < LATEST_VERSION) {
      throw new DatabaseRefusedError(
        `The database ${file} was made by an earlier version of Wardkeep and must be updated before it is read, which needs a data folder this account can write. Open it once in Wardkeep, or run this as a user who may write the folder.`,
      );
    }
    db.pragma('foreign_keys = ON');
    db.pragma('trusted_schema = OFF');
    attachSync(db);
    registerNameSort(db);
    keepStatementJournalsInMemory(db);
    return { db, file, pcId: pcIdRow.get({ db })?.value ?? '', migrated: { from: version, to: version } };
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
  // Made with the mode the umask allows, as any file is (SQLite's own is 644 whatever the umask):
  // in a folder every account of the PC shares the umask is 002, so the database, and the -wal
  // and -shm SQLite gives its mode, are group-writable from the first start.
  closeSync(openSync(temp, 'wx', 0o666));
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
