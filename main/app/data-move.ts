import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  existsSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { inspectDatabaseFile } from '../core/backup/inspect';
import { openFile } from '../core/backup/sqlite';
import { DB_FILE, fsyncFolder } from '../core/db/open';
import { missingDatabaseSigns } from '../core/open-core';
import type { DataDirChoice } from '../core/paths';

/**
 * Wardkeep kept its database in each user's own folder before it became per-machine. The first
 * start of a newer Wardkeep brings that database to the PC's folder, once:
 *
 * 1. a backup of it as it is, beside it (`wardkeep-before-move-<time>.sqlite3`), made with
 *    SQLite's online backup (`db.backup()`) and checked;
 * 2. a second online copy, made, checked and given the move to record in a folder of this account's
 *    own (beside the old file), then written into the machine folder under a temporary name through
 *    one descriptor that created it (never a file someone else put there, nor a link), flushed to
 *    disk, and linked to `wardkeep.sqlite3` in one step that never overwrites a database already
 *    there, and only if that name then holds this very file;
 * 3. the old file renamed `wardkeep.sqlite3.moved-<time>`, so it is never taken for the data again.
 *
 * Cut off anywhere, it is safe: before step 2 ends the machine folder has no database and the move
 * starts again (leftover temporary files are removed); between 2 and 3 both files are the same
 * database (the same PC id, and the old one's history all in the new one), and the next start
 * only finishes step 3. The copy carries the move it came from (MOVE_TO_RECORD in its meta), so
 * its audit entry is written at whichever start first opens it (data-settle.ts, auditMove), however
 * the move was cut off. A database left in the user's folder while the PC's folder already holds
 * another (a second user of the PC, even one whose database began as a copy of the PC's) is never
 * merged nor changed: the user is told once, and IT decides.
 */

export type MoveOutcome =
  | { kind: 'none' }
  | { kind: 'moved'; from: string; to: string; backup: string }
  | { kind: 'finished'; from: string; to: string }
  | { kind: 'left-behind'; legacyFile: string; machineFile: string };

/** The marker that says the user was told about a database left in their folder. */
export const LEFT_BEHIND_NOTE = `${DB_FILE}.not-moved.txt`;
const TEMP_PREFIX = `${DB_FILE}.moving-`;
/** The folder, in the old (per-user) folder, where the copy is made and checked before it goes to the PC's folder. */
const STAGING_PREFIX = `${DB_FILE}.staging-`;
/** The meta key, in the moved copy, of the move its audit trail has yet to record: `{ from, to, backup }` as JSON. */
export const MOVE_TO_RECORD = 'move_to_record';

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\.\d+Z$/, 'Z');

export class DataMoveError extends Error {
  constructor(
    message: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(message);
    this.name = 'DataMoveError';
  }
}

function pcIdOf(db: Database): string | null {
  try {
    return (db.prepare("SELECT value FROM meta WHERE key = 'pc_id'").get() as { value: string } | undefined)?.value ?? null;
  } catch {
    return null;
  }
}

/** A database no one ever signed up on (the older version opened it once) holds nothing to move. */
function isSetUp(db: Database): boolean {
  try {
    return (db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n > 0;
  } catch {
    return true; // unreadable here: better moved (and checked) than left behind
  }
}

/** The last entry written to a database's audit trail: how far its history has come. */
function newestAuditEntry(db: Database): { id: string; hash: string } | null {
  try {
    return (db.prepare('SELECT id, hash FROM audit_log ORDER BY rowid DESC LIMIT 1').get() as { id: string; hash: string } | undefined) ?? null;
  } catch {
    return null;
  }
}

/**
 * The machine file is this very database, moved (a move cut off before the old file was
 * retired), when it has the same PC id and holds the old file's newest audit entry. A second
 * account's database that began as a copy of the first's has the same PC id, but work of its own
 * the PC's does not hold.
 */
function isMovedCopyOf(legacy: Database, target: string): boolean {
  const pcId = pcIdOf(legacy);
  const newest = newestAuditEntry(legacy);
  if (pcId === null || newest === null) return false;
  const machine = openFile(target, { readonly: true });
  try {
    if (pcIdOf(machine) !== pcId) return false;
    return machine.prepare('SELECT 1 FROM audit_log WHERE id = ? AND hash = ?').get(newest.id, newest.hash) !== undefined;
  } catch {
    return false;
  } finally {
    machine.close();
  }
}

/** Writes the move into the copy before it is put in place, so its audit entry cannot be lost to a cut-off start. */
function carryMove(copy: string, move: { from: string; to: string; backup: string }): void {
  const db = openFile(copy);
  try {
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(MOVE_TO_RECORD, JSON.stringify(move));
  } finally {
    db.close();
  }
}

/** A copy made by `backup()` keeps the WAL mode of its source: one self-contained file is wanted (SQLite's WAL comes back when the app opens it). */
function singleFile(file: string): void {
  const db = openFile(file);
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

function checked(file: string, what: string, from: string, to: string): void {
  singleFile(file);
  const check = inspectDatabaseFile(file, { quick: true });
  if (!check.ok) throw new DataMoveError(`${what} did not pass its check: ${check.problems[0] ?? 'unknown problem'}`, from, to);
}

/** Opens a new file, never one already there nor through a link (Windows has no O_NOFOLLOW: its CREATE_NEW fails on a link too). */
const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
const COPY_CHUNK = 1 << 20;

/**
 * Writes `source` (in this account's own folder) into a new file `temp` in the shared folder
 * through the one descriptor that created it, group-writable when asked, flushed to disk; the
 * descriptor stays open so what is put in place can be checked to be this file.
 */
function writeCopy(source: string, temp: string, shared: boolean): number {
  const fd = openSync(temp, CREATE_NEW, 0o600);
  try {
    if (shared) fchmodSync(fd, 0o664);
    const from = openSync(source, 'r');
    try {
      const buffer = Buffer.allocUnsafe(COPY_CHUNK);
      for (let at = 0; ; ) {
        const read = readSync(from, buffer, 0, COPY_CHUNK, at);
        if (read === 0) break;
        for (let written = 0; written < read; ) written += writeSync(fd, buffer, written, read - written, at + written);
        at += read;
      }
    } finally {
      closeSync(from);
    }
    fsyncSync(fd);
    return fd;
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/** True when `p` is, itself (not through a link), the file open as `fd`. */
function isOpenFile(p: string, fd: number): boolean {
  const at = lstatSync(p, { bigint: true, throwIfNoEntry: false });
  const open = fstatSync(fd, { bigint: true });
  return at !== undefined && at.isFile() && at.dev === open.dev && at.ino === open.ino;
}

/**
 * Puts `temp` in place as `target` unless a database is already there (another user moved theirs
 * first), and only the file open as `fd`: every account may replace a file in the shared folder,
 * so what `temp` names when it is linked (or renamed) may be another file or a link by then. Such
 * a name is taken away again and the move refused; the old database stays where it is.
 */
function placeWithoutOverwriting(fd: number, temp: string, target: string, from: string, to: string): boolean {
  const taken = (): never => {
    rmSync(target, { force: true });
    throw new DataMoveError(`the copy in ${to} was replaced by another file or a link while it was put in place (another account of this PC may have done it), so it was not used`, from, to);
  };
  try {
    linkSync(temp, target);
    rmSync(temp, { force: true });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'EEXIST') {
      rmSync(temp, { force: true });
      return false;
    }
    // A file system without hard links: the same, with a check and a rename.
    if (existsSync(target)) {
      rmSync(temp, { force: true });
      return false;
    }
    renameSync(temp, target);
  }
  if (!isOpenFile(target, fd)) taken();
  return true;
}

function retire(legacyFile: string, now: Date): void {
  const moved = `${legacyFile}.moved-${stamp(now)}`;
  renameSync(legacyFile, moved);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(legacyFile + suffix)) renameSync(legacyFile + suffix, moved + suffix);
  }
}

/**
 * Removes what a move cut off left: the names starting with `prefix` (a link itself, never what it
 * points at), folders too when they are the staging folders of this account's own folder. In the
 * shared folder anything else so named (a folder another account made) is left as it is: it must
 * not stop Wardkeep starting, for anyone.
 */
function removeLeftovers(dir: string, prefix: string, folders: boolean): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    try {
      rmSync(path.join(dir, name), { force: true, recursive: folders });
    } catch {
      // not a leftover of this move (a folder in the shared folder): the move uses other names
    }
  }
}

export interface MoveOptions {
  now?: () => Date;
  /** The copy is made group-writable (a POSIX shared folder), through the descriptor that created it. */
  shareFile?: boolean;
}

export async function moveLegacyDatabase(choice: DataDirChoice, options: MoveOptions = {}): Promise<MoveOutcome> {
  const now = options.now ?? (() => new Date());
  if (choice.source !== 'machine' || !choice.legacyDir) return { kind: 'none' };
  const from = choice.legacyDir;
  const to = choice.dir;
  if (path.resolve(from) === path.resolve(to)) return { kind: 'none' };
  const legacyFile = path.join(from, DB_FILE);
  const target = path.join(to, DB_FILE);
  removeLeftovers(to, TEMP_PREFIX, false);
  removeLeftovers(from, STAGING_PREFIX, true);
  if (!existsSync(legacyFile)) return { kind: 'none' };
  // Backups or the audit head log in the PC's folder: it had a database, even when its file is gone.
  const lost = missingDatabaseSigns(to);
  // An empty file is what a start cut off before SQLite wrote anything leaves: no database yet.
  if (lost === null && existsSync(target) && statSync(target).size === 0 && !existsSync(`${target}-wal`)) rmSync(target, { force: true });

  let legacy: Database;
  try {
    legacy = openFile(legacyFile);
  } catch (err) {
    throw new DataMoveError(`the database in ${from} could not be opened (${(err as Error).message})`, from, to);
  }
  try {
    if (!isSetUp(legacy)) return { kind: 'none' };
    if (existsSync(target)) {
      const same = isMovedCopyOf(legacy, target);
      legacy.close();
      if (same) {
        retire(legacyFile, now());
        return { kind: 'finished', from, to };
      }
      if (existsSync(path.join(from, LEFT_BEHIND_NOTE))) return { kind: 'none' };
      return { kind: 'left-behind', legacyFile, machineFile: target };
    }
    // The PC's database was deleted or quarantined, its backups left: that is damage, for the start's
    // recovery to answer (it offers the newest backup), never room for an old per-user database.
    if (lost !== null) return { kind: 'none' };

    const at = now();
    const backup = path.join(from, `wardkeep-before-move-${stamp(at)}.sqlite3`);
    const backupTemp = `${backup}.partial`;
    try {
      await legacy.backup(backupTemp);
      checked(backupTemp, 'The backup taken before the move', from, to);
      renameSync(backupTemp, backup);
    } catch (err) {
      for (const f of [backupTemp, `${backupTemp}-wal`, `${backupTemp}-shm`]) rmSync(f, { force: true });
      if (err instanceof DataMoveError) throw err;
      throw new DataMoveError(`the backup before the move could not be written in ${from} (${(err as Error).message})`, from, to);
    }

    // SQLite opens files by name, and names in the shared folder are every account's to replace:
    // the copy is made and changed in a folder of this account's own, then written to the shared
    // folder through one descriptor (writeCopy) and put in place only if it is still that file.
    let fd: number | null = null;
    let staging: string | null = null;
    const temp = path.join(to, `${TEMP_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      try {
        staging = mkdtempSync(path.join(from, STAGING_PREFIX));
        const staged = path.join(staging, DB_FILE);
        await legacy.backup(staged);
        checked(staged, 'The copy in the new folder', from, to);
        carryMove(staged, { from, to, backup });
        mkdirSync(to, { recursive: true });
        fd = writeCopy(staged, temp, options.shareFile ?? false);
      } catch (err) {
        // Only a name this move made: a name O_EXCL found already there is someone else's and stays.
        if ((err as { code?: string } | null)?.code !== 'EEXIST') rmSync(temp, { force: true });
        if (err instanceof DataMoveError) throw err;
        throw new DataMoveError(`the database could not be copied to ${to} (${(err as Error).message})`, from, to);
      }
      legacy.close();
      if (!placeWithoutOverwriting(fd, temp, target, from, to)) {
        // Another user of the PC moved theirs a moment ago: theirs is the PC's database now.
        return existsSync(path.join(from, LEFT_BEHIND_NOTE)) ? { kind: 'none' } : { kind: 'left-behind', legacyFile, machineFile: target };
      }
      fsyncFolder(to);
      retire(legacyFile, at);
      return { kind: 'moved', from, to, backup };
    } finally {
      if (fd !== null) closeSync(fd);
      if (staging !== null) rmSync(staging, { recursive: true, force: true });
    }
  } finally {
    if (legacy.open) legacy.close();
  }
}

/** Remembers that the user was told about the database left in their folder, and says so to IT. */
export function noteLeftBehind(outcome: Extract<MoveOutcome, { kind: 'left-behind' }>, now: Date = new Date()): void {
  const text = [
    `On ${now.toISOString()}, Wardkeep started using this PC's shared database:`,
    `  ${outcome.machineFile}`,
    'The database in this folder belongs to an older, per-user Wardkeep. It was not merged into the',
    "PC's database and was not changed. If it holds work that is missing from the PC's database,",
    'your IT support can export it with the wardkeep command line and import it (docs/deploy.md).',
    '',
  ].join('\n');
  try {
    writeFileSync(path.join(path.dirname(outcome.legacyFile), LEFT_BEHIND_NOTE), text, { flag: 'wx' });
  } catch {
    // already noted, or the folder is read-only: the notice shows again next time, which is harmless
  }
}

