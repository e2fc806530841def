import { constants } from 'node:fs';
import { accessSync, closeSync, fchmodSync, fchownSync, fstatSync, lstatSync, mkdirSync, openSync, readlinkSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { DB_FILE } from '../core/db/open';
import { DatabaseRefusedError } from '../core/errors';
import { missingDatabaseSigns } from '../core/open-core';
import type { DataDirChoice, PathsEnvironment } from '../core/paths';
import { chooseDataDir, systemPathsEnvironment } from '../core/paths';

/**
 * `--data-dir DIR` or `--data-dir=DIR` on the app's command line. `--data-dir` last or followed by
 * another option gives '' (which chooseDataDir refuses), never "no flag": a shortcut whose folder
 * was lost must not open the PC's live records.
 */
export function dataDirFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--data-dir') {
      const next = argv[i + 1];
      return next === undefined || next.startsWith('-') ? '' : next;
    }
    if (arg.startsWith('--data-dir=')) return arg.slice('--data-dir='.length);
  }
  return undefined;
}

/** Same order as the CLI: the flag, WARDKEEP_DATA_DIR, the machine-wide setting file, the PC's own folder. */
export function appDataDir(argv: readonly string[], env: NodeJS.ProcessEnv, sys: PathsEnvironment = systemPathsEnvironment(env)): DataDirChoice {
  return chooseDataDir(dataDirFlag(argv), { ...sys, env });
}

/** macOS's group of every local account: the shared folder belongs to it. */
export const MAC_STAFF_GID = 20;

/** What is at a path, the link itself when it is one (lstat). */
export interface Entry {
  uid: number;
  gid: number;
  /** With the file type bits (S_IFDIR, S_IFLNK…), as stat gives it. */
  mode: number;
  /** Names the file has on its disk: more than one means another name (a hard link) points at it. */
  nlink: number;
  size: number;
}

/** The file-system calls the preparation makes; tests stub them. */
export interface FolderFs {
  platform: NodeJS.Platform;
  uid: number | null;
  /** What is at `p`, not following a link; null when nothing is. */
  lstat(p: string): Entry | null;
  /** Where the link `p` points. */
  readlink(p: string): string;
  mkdir(p: string, mode: number): void;
  /** The group of `p`; never through a link. */
  chown(p: string, gid: number): void;
  /** The mode of `p`; never through a link. */
  chmod(p: string, mode: number): void;
  writable(p: string): boolean;
  umask(mask: number): void;
  /** Removes the file `p` (never a folder). */
  removeFile(p: string): void;
}

const S_IFMT = 0o170000;
const isLink = (entry: Entry) => (entry.mode & S_IFMT) === 0o120000;

/**
 * Changes `p` itself, never what a link there points at, even one put there after it was looked
 * at: opened without following links (and without waiting, were it a pipe), then changed by handle.
 */
function changeNotFollowing(p: string, change: (fd: number) => void): void {
  const fd = openSync(p, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    change(fd);
  } finally {
    closeSync(fd);
  }
}

export const systemFolderFs: FolderFs = {
  platform: process.platform,
  uid: typeof process.getuid === 'function' ? process.getuid() : null,
  lstat: (p) => lstatSync(p, { throwIfNoEntry: false }) ?? null,
  readlink: (p) => readlinkSync(p),
  mkdir: (p, mode) => mkdirSync(p, { recursive: true, mode }),
  chown: (p, gid) => changeNotFollowing(p, (fd) => fchownSync(fd, -1, gid)),
  chmod: (p, mode) =>
    changeNotFollowing(p, (fd) => {
      // A hard link may have been put in its place since it was looked at: only a file of one name is changed.
      const opened = fstatSync(fd);
      if (opened.isFile() && opened.nlink > 1) throw Object.assign(new Error(`${p} has another name on its disk (a hard link), so its permissions were not changed`), { code: 'EMLINK' });
      fchmodSync(fd, mode);
    }),
  writable: (p) => {
    try {
      accessSync(p, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  },
  umask: (mask) => {
    process.umask(mask);
  },
  removeFile: (p) => unlinkSync(p),
};

/** A folder every account of the PC writes to: the machine folder, or the one IT set for the PC. */
export const isSharedFolder = (choice: DataDirChoice) => choice.source === 'machine' || choice.source === 'config';

function notWritable(choice: DataDirChoice, platform: NodeJS.Platform): DatabaseRefusedError {
  const dir = choice.dir;
  const advice =
    choice.source === 'config'
      ? `It is set in ${choice.configFile}. Ask your IT support to let every user of this PC write to it, or to correct "dataDir".`
      : platform === 'linux'
        ? 'Ask your IT support to add your account to the "wardkeep" group (sudo adduser YOUR-NAME wardkeep), then sign out of the PC and in again.'
        : platform === 'darwin'
          ? `Another account created it without sharing it. Ask your IT support to run: sudo chgrp -R staff "${dir}" && sudo chmod -R g+rwX "${dir}"`
          : 'Reinstall Wardkeep (its installer lets every user of the PC write there), or ask your IT support.';
  return new DatabaseRefusedError(`Wardkeep may not write to its data folder ${dir}, which every user of this PC shares. ${advice}`);
}

/** A folder that is not there and could not be made: most often IT's folder on a disk that is not connected. */
function cannotCreate(choice: DataDirChoice, err: unknown): DatabaseRefusedError {
  const code = (err as { code?: unknown } | null)?.code;
  const why = typeof code === 'string' ? ` (${code})` : '';
  const where = choice.source === 'config' ? `, set in ${choice.configFile},` : '';
  return new DatabaseRefusedError(
    `The data folder ${choice.dir}${where} does not exist and could not be created${why}. If it is on a disk of its own (a USB disk, a second drive), check that the disk is connected, then start Wardkeep again; otherwise ask your IT support to create the folder${choice.source === 'config' ? ' or correct "dataDir"' : ''}.`,
  );
}

/**
 * Makes a shared data folder usable by every account of the PC on macOS and Linux. Files are
 * created group-writable (umask 002). On macOS the PC's own folder belongs to `staff` (every
 * local account) and files made in it inherit that group; on Linux the .deb made the folder
 * setgid `wardkeep`. A folder IT set keeps the permissions IT gave it (docs/deploy.md).
 * Windows needs nothing here: the installer grants the PC's Users group write access to the folder.
 */
export function prepareDataFolder(choice: DataDirChoice, fs: FolderFs = systemFolderFs): void {
  if (fs.platform === 'win32' || !isSharedFolder(choice)) return;
  const dir = choice.dir;
  fs.umask(0o002);
  let info = fs.lstat(dir);
  if (!info) {
    if (fs.platform === 'linux' && choice.source === 'machine') throw notWritable(choice, fs.platform);
    try {
      fs.mkdir(dir, 0o2775);
    } catch (err) {
      const code = (err as { code?: unknown } | null)?.code;
      throw choice.source === 'config' || code === 'ENOENT' ? cannotCreate(choice, err) : notWritable(choice, fs.platform);
    }
    info = fs.lstat(dir);
    if (!info) throw cannotCreate(choice, null);
  }
  if (fs.platform === 'darwin' && choice.source === 'machine') {
    // /Users/Shared lets any account make /Users/Shared/Wardkeep, a link to someone's own folder
    // included: Wardkeep would then open that folder up to every account.
    if (isLink(info)) {
      throw new DatabaseRefusedError(
        `This PC's shared data folder ${dir} is a link to ${fs.readlink(dir)}, not a folder: another account may have put it there, so Wardkeep did not use it nor change it. Ask your IT support to remove the link (sudo rm "${dir}") and start Wardkeep again.`,
      );
    }
    if (fs.uid !== null && info.uid === fs.uid) {
      if (info.gid !== MAC_STAFF_GID) fs.chown(dir, MAC_STAFF_GID);
      if ((info.mode & 0o2775) !== 0o2775) fs.chmod(dir, (info.mode & 0o7777) | 0o2775);
    }
  }
  if (!fs.writable(dir)) throw notWritable(choice, fs.platform);
}

/**
 * The database file of a shared folder is made group-writable, because SQLite gives its -wal and
 * -shm files the database's own permissions. A new database is not made here: openDatabase makes
 * it whole, group-writable by the umask set above. Runs after the one-time move, and after a
 * command of the installed command line.
 */
export function prepareDatabaseFile(choice: DataDirChoice, fs: FolderFs = systemFolderFs): void {
  if (fs.platform === 'win32' || !isSharedFolder(choice)) return;
  const file = path.join(choice.dir, DB_FILE);
  const db = fs.lstat(file);
  if (!db) return;
  // Every account may put files in the folder: a link there could point at one of this account's own files.
  if (isLink(db) || db.nlink > 1) {
    throw new DatabaseRefusedError(
      `The database file ${DB_FILE} in the shared data folder ${choice.dir} is a link to another file, not a database of its own: another account of this PC may have put it there, so Wardkeep did not open it nor change it. Ask your IT support to look at the folder.`,
    );
  }
  // Versions before 3 December 2026 made the file empty at a first start (to set its mode), and every
  // start after called it damaged: such a file never held anything. It is taken away, and the
  // database made new, only when nothing shows a database was ever there (no -wal, no backups, no
  // head log), as for a folder with no file at all; an emptied database beside those is still damage.
  if (db.size === 0 && fs.uid !== null && db.uid === fs.uid && !fs.lstat(`${file}-wal`) && missingDatabaseSigns(choice.dir) === null) {
    fs.removeFile(file);
    return;
  }
  if (fs.uid !== null && db.uid === fs.uid && (db.mode & 0o060) !== 0o060) fs.chmod(file, (db.mode & 0o7777) | 0o060);
  if (!fs.writable(file)) throw notWritable(choice, fs.platform);
}
