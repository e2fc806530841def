import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';

/**
 * Backups open database files of their own (the copy being verified, the backup being restored).
 * In the app those connections must use the Electron build of better-sqlite3, the same one the
 * live database was opened with: the shell says which at start.
 */
let nativeBinding: string | undefined;

export function setBackupNativeBinding(binding: string | undefined): void {
  nativeBinding = binding;
}

/** The build of the driver backups open files with: a database of their own in memory must use it too (db/schema-guard.ts). */
export function backupNativeBinding(): string | undefined {
  return nativeBinding;
}

export function openFile(file: string, options: { readonly?: boolean } = {}): Database {
  return new BetterSqlite3(file, {
    readonly: options.readonly ?? false,
    fileMustExist: true,
    ...(nativeBinding ? { nativeBinding } : {}),
  });
}
