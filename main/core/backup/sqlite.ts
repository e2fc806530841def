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

export function openFile(file: string, options: { readonly?: boolean } = {}): Database {
  return new BetterSqlite3(file, {
    readonly: options.readonly ?? false,
    fileMustExist: true,
    ...(nativeBinding ? { nativeBinding } : {}),
  });
}
