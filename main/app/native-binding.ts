import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * better-sqlite3 is a native module: node_modules holds the build for Node (tests, CLI), and
 * `npm start` puts a second build for Electron in .cache/native (scripts/start.mjs). Its folder
 * names the Electron version and the better-sqlite3 version, so updating either builds it anew
 * instead of loading a stale driver. Kept in step with scripts/native.mjs (a test compares them).
 * Packaged apps carry the Electron build in node_modules and need no override.
 */
export function electronNativeBindingPath(
  appRoot: string,
  electronVersion: string,
  driverVersion: string,
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): string {
  return path.join(appRoot, '.cache', 'native', `electron-${electronVersion}-better-sqlite3-${driverVersion}-${platform}-${arch}`, 'better_sqlite3.node');
}

/** The installed better-sqlite3's version, from its package.json in the project. */
export function driverVersion(appRoot: string): string | null {
  try {
    const pkg = JSON.parse(readFileSync(path.join(appRoot, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : null;
  } catch {
    return null;
  }
}

export function findNativeBinding(appRoot: string, electronVersion: string, isPackaged: boolean): string | undefined {
  if (isPackaged) return undefined;
  const version = driverVersion(appRoot);
  if (!version) return undefined;
  const file = electronNativeBindingPath(appRoot, electronVersion, version);
  return existsSync(file) ? file : undefined;
}
