import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * better-sqlite3 is a native module: node_modules holds the build for Node (tests, CLI), and
 * `npm start` puts a second build for Electron in .cache/native (scripts/electron-native.mjs).
 * Packaged apps are rebuilt for Electron by electron-builder and need no override.
 */
export function electronNativeBindingPath(appRoot: string, electronVersion: string, arch: string = process.arch): string {
  return path.join(appRoot, '.cache', 'native', `electron-${electronVersion}-${process.platform}-${arch}`, 'better_sqlite3.node');
}

export function findNativeBinding(appRoot: string, electronVersion: string, isPackaged: boolean): string | undefined {
  if (isPackaged) return undefined;
  const file = electronNativeBindingPath(appRoot, electronVersion);
  return existsSync(file) ? file : undefined;
}
