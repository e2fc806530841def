import { constants } from 'node:fs';
import { accessSync, chmodSync, chownSync, closeSync, existsSync, fchmodSync, mkdirSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import { DB_FILE } from '../core/db/open';
import { DatabaseRefusedError } from '../core/errors';
import type { DataDirChoice, PathsEnvironment } from '../core/paths';
import { chooseDataDir, systemPathsEnvironment } from '../core/paths';

/** `--data-dir DIR` or `--data-dir=DIR` on the app's command line. */
export function dataDirFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--data-dir') return argv[i + 1];
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

/** The file-system calls the preparation makes; tests stub them. */
export interface FolderFs {
  platform: NodeJS.Platform;
  uid: number | null;
  exists(p: string): boolean;
  mkdir(p: string, mode: number): void;
  stat(p: string): { uid: number; gid: number; mode: number };
  chown(p: string, gid: number): void;
  chmod(p: string, mode: number): void;
  writable(p: string): boolean;
  /** Creates an empty file with exactly this mode (whatever the umask), failing if it exists. */
  createEmpty(p: string, mode: number): void;
  umask(mask: number): void;
}

export const systemFolderFs: FolderFs = {
  platform: process.platform,
  uid: typeof process.getuid === 'function' ? process.getuid() : null,
  exists: existsSync,
  mkdir: (p, mode) => mkdirSync(p, { recursive: true, mode }),
  stat: (p) => statSync(p),
  chown: (p, gid) => chownSync(p, -1, gid),
  chmod: chmodSync,
  writable: (p) => {
    try {
      accessSync(p, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  },
  createEmpty: (p, mode) => {
    const fd = openSync(p, 'wx', mode);
    try {
      fchmodSync(fd, mode);
    } finally {
      closeSync(fd);
    }
  },
  umask: (mask) => {
    process.umask(mask);
  },
};

/** A folder every account of the PC writes to: the machine folder, or the one IT set for the PC. */
export const isSharedFolder = (choice: DataDirChoice) => choice.source === 'machine' || choice.source === 'config';

function notWritable(dir: string, platform: NodeJS.Platform): DatabaseRefusedError {
  const advice =
    platform === 'linux'
      ? 'Ask your IT support to add your account to the "wardkeep" group (sudo adduser YOUR-NAME wardkeep), then sign out of the PC and in again.'
      : platform === 'darwin'
        ? `Another account created it without sharing it. Ask your IT support to run: sudo chgrp -R staff "${dir}" && sudo chmod -R g+rwX "${dir}"`
        : 'Reinstall Wardkeep (its installer lets every user of the PC write there), or ask your IT support.';
  return new DatabaseRefusedError(`Wardkeep may not write to its data folder ${dir}, which every user of this PC shares. ${advice}`);
}

/**
 * Makes a shared data folder usable by every account of the PC on macOS and Linux. Files are
 * created group-writable (umask 002); on macOS the folder belongs to `staff` (every local account)
 * and files made in it inherit that group; on Linux the .deb made the folder setgid `wardkeep`.
 * Windows needs nothing here: the installer grants the PC's Users group write access to the folder.
 */
export function prepareDataFolder(choice: DataDirChoice, fs: FolderFs = systemFolderFs): void {
  if (fs.platform === 'win32' || !isSharedFolder(choice)) return;
  const dir = choice.dir;
  fs.umask(0o002);
  if (!fs.exists(dir)) {
    if (fs.platform === 'linux' && choice.source === 'machine') throw notWritable(dir, fs.platform);
    try {
      fs.mkdir(dir, 0o2775);
    } catch {
      throw notWritable(dir, fs.platform);
    }
  }
  const info = fs.stat(dir);
  if (fs.platform === 'darwin' && fs.uid !== null && info.uid === fs.uid) {
    if (info.gid !== MAC_STAFF_GID) fs.chown(dir, MAC_STAFF_GID);
    if ((info.mode & 0o2775) !== 0o2775) fs.chmod(dir, (info.mode & 0o7777) | 0o2775);
  }
  if (!fs.writable(dir)) throw notWritable(dir, fs.platform);
}

/**
 * The database file of a shared folder is made group-writable before SQLite opens it (created
 * empty if need be, which SQLite takes for a new database), because SQLite gives its -wal and
 * -shm files the database's own permissions. Runs after the one-time move.
 */
export function prepareDatabaseFile(choice: DataDirChoice, fs: FolderFs = systemFolderFs, options: { create?: boolean } = {}): void {
  if (fs.platform === 'win32' || !isSharedFolder(choice)) return;
  const file = path.join(choice.dir, DB_FILE);
  if (!fs.exists(file)) {
    if (options.create === false) return;
    try {
      fs.createEmpty(file, 0o664);
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'EEXIST') throw notWritable(choice.dir, fs.platform);
    }
    return;
  }
  const db = fs.stat(file);
  if (fs.uid !== null && db.uid === fs.uid && (db.mode & 0o060) !== 0o060) fs.chmod(file, (db.mode & 0o7777) | 0o060);
  if (!fs.writable(file)) throw notWritable(choice.dir, fs.platform);
}
