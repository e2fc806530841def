import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { DB_FILE } from './db/open';
import { DatabaseRefusedError } from './errors';

/** Electron names the userData folder after the product name. */
export const APP_FOLDER_NAME = 'Wardkeep';
/** The machine-wide setting file IT may write (docs/deploy.md). */
export const CONFIG_FILE_NAME = 'wardkeep.json';

/** Where the data folder came from, most deliberate first. */
export type DataDirSource = 'flag' | 'env' | 'config' | 'machine' | 'user';

export interface DataDirChoice {
  dir: string;
  source: DataDirSource;
  /** The machine-wide setting file that was (or would have been) read. */
  configFile: string;
  /**
   * The per-user folder where Wardkeep kept its database before it became per-machine, when the
   * default (the machine folder) was chosen: a database there is moved once (main/app/data-move.ts).
   */
  legacyDir: string | null;
}

/** What the resolution reads from the machine; tests stub it per platform. */
export interface PathsEnvironment {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
  exists: (file: string) => boolean;
  /** The file's text, or null when it does not exist. */
  readText: (file: string) => string | null;
}

/**
 * The text of a setting file as Windows tools save it: Notepad and PowerShell 5's
 * `Set-Content -Encoding UTF8` start UTF-8 with a byte order mark, and PowerShell 5's `>` and
 * `Out-File` write UTF-16 with one. Each is read by its mark; the mark is not part of the text.
 */
export function decodeSettingText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

function readTextIfExists(file: string): string | null {
  try {
    return decodeSettingText(readFileSync(file));
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return null;
    throw err;
  }
}

export function systemPathsEnvironment(env: NodeJS.ProcessEnv = process.env): PathsEnvironment {
  return { platform: process.platform, env, home: os.homedir(), exists: existsSync, readText: readTextIfExists };
}

const pathsFor = (platform: NodeJS.Platform) => (platform === 'win32' ? path.win32 : path.posix);

/** `C:\ProgramData`, as Windows names it for every process. */
function programData(env: NodeJS.ProcessEnv): string {
  return env.ProgramData || env.PROGRAMDATA || env.ALLUSERSPROFILE || 'C:\\ProgramData';
}

/**
 * The per-user folder Electron calls userData on each platform, computed without Electron so the
 * CLI finds the same folder as the desktop app. Wardkeep kept its database here before it became
 * per-machine; it is now used only where no machine folder exists (a Linux PC without the .deb).
 */
export function userDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string {
  if (platform === 'win32') {
    return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), APP_FOLDER_NAME);
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', APP_FOLDER_NAME);
  return path.posix.join(env.XDG_CONFIG_HOME || path.posix.join(home, '.config'), APP_FOLDER_NAME);
}

/**
 * The PC's own data folder, shared by every account on it. On Windows it is a folder of its own
 * inside %ProgramData%\Wardkeep, because the installer lets the PC's users write only there
 * (the setting file beside it stays for administrators). On macOS, the folder every account may
 * use. On Linux, the state folder the .deb creates for the `wardkeep` group.
 */
export function machineDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'win32') return path.win32.join(programData(env), APP_FOLDER_NAME, 'data');
  if (platform === 'darwin') return '/Users/Shared/Wardkeep';
  return '/var/lib/wardkeep';
}

/** The machine-wide setting file: somewhere only administrators may write. */
export function machineConfigFile(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'win32') return path.win32.join(programData(env), APP_FOLDER_NAME, CONFIG_FILE_NAME);
  if (platform === 'darwin') return path.posix.join('/Library/Application Support', APP_FOLDER_NAME, CONFIG_FILE_NAME);
  return path.posix.join('/etc/wardkeep', CONFIG_FILE_NAME);
}

const machineConfig = z
  .object({
    dataDir: z
      .string({ error: 'must be the full path of a folder, in quotes' })
      // Checked before the trim: "D:\\Data\n" would otherwise lose its newline unseen.
      .regex(/^[^\u0000-\u001f\u007f]*$/, 'holds a control character: in JSON one backslash before n, r, t, b or f stands for one. Write each backslash in the path as \\\\ (or use /)')
      .trim()
      .min(1, 'must name a folder')
      .optional(),
  })
  .strict();

/**
 * A full path on the PC's system. On Windows that means with its drive (`D:\Wardkeep`) or a share:
 * `\Wardkeep` names a folder on whichever drive the process happens to start on.
 */
function isFullPath(dir: string, platform: NodeJS.Platform): boolean {
  if (platform === 'win32') return /^[a-zA-Z]:[\\/]/.test(dir) || /^[\\/]{2}/.test(dir);
  return path.posix.isAbsolute(dir);
}

const fullPathExample = (platform: NodeJS.Platform) => (platform === 'win32' ? ', with its drive, such as D:\\Wardkeep' : '');

/** The data folder named by the machine-wide setting file, or null when there is no such setting. */
export function configuredDataDir(file: string, sys: PathsEnvironment): string | null {
  const read = sys.readText(file);
  if (read === null) return null;
  const text = read.replace(/^\uFEFF/, '');
  // UTF-16 without its byte order mark: every other byte of its English text is zero.
  if (text.includes('\u0000')) {
    throw new DatabaseRefusedError(`The Wardkeep setting file ${file} is not saved as UTF-8 (it looks like UTF-16). Ask your IT support to save it as UTF-8 (in Notepad: Save As, Encoding UTF-8).`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new DatabaseRefusedError(`The Wardkeep setting file ${file} is not valid JSON (${(err as Error).message}). Ask your IT support to correct it.`);
  }
  const parsed = machineConfig.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.code === 'unrecognized_keys' ? `"${issue.keys.join('", "')}"` : `"${issue.path.join('.') || 'the file'}"`;
    const what = issue.code === 'unrecognized_keys' ? 'is not a Wardkeep setting (the only one is "dataDir")' : issue.message;
    throw new DatabaseRefusedError(`In the Wardkeep setting file ${file}, ${where} ${what}. Ask your IT support to correct it.`);
  }
  const dir = parsed.data.dataDir;
  if (dir === undefined) return null;
  if (!isFullPath(dir, sys.platform)) {
    throw new DatabaseRefusedError(`In the Wardkeep setting file ${file}, "dataDir" must be a full path${fullPathExample(sys.platform)} (it is "${dir}"). Ask your IT support to correct it.`);
  }
  return pathsFor(sys.platform).normalize(dir);
}

/**
 * WARDKEEP_DATA_DIR, as Group Policy and `set NAME=value ` leave it: trimmed, and a full path,
 * since the app and a scheduled task start in different folders. Empty means not set.
 */
function environmentDataDir(sys: PathsEnvironment): string | null {
  const value = sys.env.WARDKEEP_DATA_DIR?.trim();
  if (!value) return null;
  if (/[\u0000-\u001f\u007f]/.test(value) || !isFullPath(value, sys.platform)) {
    throw new DatabaseRefusedError(`The environment variable WARDKEEP_DATA_DIR must be a full path${fullPathExample(sys.platform)} (it is ${JSON.stringify(value)}). Ask your IT support to correct it.`);
  }
  return pathsFor(sys.platform).normalize(value);
}

/** Said when `--data-dir` is given nothing (a script's variable that was not set, or the flag last). */
export const DATA_DIR_FLAG_EMPTY = '--data-dir needs a folder: it was given none (an empty value, or nothing after it). Nothing was opened.';

/**
 * Which folder holds the database: `--data-dir`, then WARDKEEP_DATA_DIR, then the machine-wide
 * setting file, then the PC's own folder (on Linux only where the .deb created it; otherwise the
 * user's own folder, as for an AppImage).
 */
export function chooseDataDir(flag: string | undefined, sys: PathsEnvironment = systemPathsEnvironment()): DataDirChoice {
  const p = pathsFor(sys.platform);
  const configFile = machineConfigFile(sys.platform, sys.env);
  const chosen = (dir: string, source: DataDirSource, legacyDir: string | null = null): DataDirChoice => ({ dir, source, configFile, legacyDir });
  // An empty flag is a mistake (a script's variable not set), never a request for the PC's folder.
  if (flag !== undefined && !flag.trim()) throw new DatabaseRefusedError(DATA_DIR_FLAG_EMPTY);
  // Spaces around it (a pasted path, a script's quoting) are not part of a folder's name, as for WARDKEEP_DATA_DIR.
  if (flag !== undefined) return chosen(path.resolve(flag.trim()), 'flag');
  const fromEnv = environmentDataDir(sys);
  if (fromEnv) return chosen(fromEnv, 'env');
  const configured = configuredDataDir(configFile, sys);
  if (configured) return chosen(configured, 'config');
  const machine = machineDataDir(sys.platform, sys.env);
  const user = userDataDir(sys.platform, sys.env, sys.home);
  if (sys.platform === 'linux' && !sys.exists(machine)) return chosen(user, 'user');
  return chosen(p.normalize(machine), 'machine', user);
}

/**
 * The folder the command line works on. It is chooseDataDir's, except in the moment between an
 * upgrade and the app's first start: while the machine folder has no database and the user's old
 * folder has one, the data is still there, so a command must not start an empty database beside it.
 */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, sys: PathsEnvironment = systemPathsEnvironment(env)): string {
  const choice = chooseDataDir(flag, { ...sys, env });
  const p = pathsFor(sys.platform);
  if (choice.legacyDir && !sys.exists(p.join(choice.dir, DB_FILE)) && sys.exists(p.join(choice.legacyDir, DB_FILE))) return choice.legacyDir;
  return choice.dir;
}
