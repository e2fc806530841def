import os from 'node:os';
import path from 'node:path';

/** Electron names the userData folder after the product name. */
export const APP_FOLDER_NAME = 'Wardkeep';

/**
 * Where Electron's `app.getPath('userData')` puts the app's data on each platform, computed
 * without Electron so the CLI finds the same database as the desktop app.
 */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): string {
  if (platform === 'win32') {
    return path.win32.join(env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming'), APP_FOLDER_NAME);
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', APP_FOLDER_NAME);
  return path.posix.join(env.XDG_CONFIG_HOME || path.posix.join(home, '.config'), APP_FOLDER_NAME);
}

/** `--data-dir` wins, then WARDKEEP_DATA_DIR, then the platform default. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, fallback?: string): string {
  if (flag && flag.trim()) return path.resolve(flag);
  const fromEnv = env.WARDKEEP_DATA_DIR;
  if (fromEnv && fromEnv.trim()) return path.resolve(fromEnv);
  return fallback ?? defaultDataDir();
}
