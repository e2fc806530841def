import { existsSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { appendAudit } from '../audit';
import type { Actor, Core } from '../context';
import { checkVersion, migrate } from '../db/migrate';
import { inTransaction } from '../dispatcher/transaction';
import { AppError } from '../errors';
import { uuidv7 } from '../ids';
import type { BackupResult } from './create';
import type { DatabaseCheck } from './inspect';
import { checkOpenDatabase, inspectDatabaseFile } from './inspect';
import { command, query } from '../sql/query';
import type { AuditRow, MetaRow } from '../sql/rows';
import { openFile } from './sqlite';

const setPcId = command<Pick<MetaRow, 'value'>>("INSERT INTO meta (key, value) VALUES ('pc_id', @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
const newestRestore = query<Pick<AuditRow, 'entity_id'>>("SELECT entity_id FROM audit_log WHERE action = 'restore' ORDER BY seq DESC LIMIT 1");

export interface RestoreOutcome {
  /** The backup restored, as given. */
  restoredFrom: string;
  /** The backup of the database as it was just before, kept in case the restore was a mistake. */
  safetyBackup: string;
  schemaVersion: number;
  /** Set when the backup was from an older version and was migrated first. */
  migratedFrom: number | null;
}

function removeQuietly(file: string): void {
  for (const f of [file, `${file}-journal`, `${file}-wal`, `${file}-shm`]) {
    try {
      if (existsSync(f)) unlinkSync(f);
    } catch {
      // best effort
    }
  }
}

/** Refuses a backup that cannot be restored, in a sentence; returns its check otherwise. */
export function assertRestorable(check: DatabaseCheck, name: string): DatabaseCheck {
  if (check.compatibility === 'newer') {
    throw new AppError('invalid_input', `${name} was written by a newer version of Wardkeep (schema version ${check.schemaVersion}). Update Wardkeep to restore it. Nothing was changed.`);
  }
  if (!check.ok) {
    throw new AppError('invalid_input', `${name} does not pass its check, so it cannot be restored: ${check.problems[0] ?? 'unknown problem'} Nothing was changed.`);
  }
  return check;
}

/**
 * Puts a backup in place of the live database, with no moment at which a half-restored
 * database could be seen or left behind by a crash:
 * 1. the backup is checked, then copied to a temporary file beside the database, migrated there
 *    if it is older, given this PC's id and an audit entry recording the restore, and checked again;
 * 2. a safety backup of the current database is taken;
 * 3. SQLite's backup API copies the prepared file INTO the live database. Its connection holds
 *    the write lock throughout and commits every page as one transaction through the write-ahead
 *    log: other connections (the app's own among them) see the old database or the new one, never
 *    a mixture, and a crash before the commit leaves the old one. No file is moved or replaced
 *    under an open connection.
 * 4. The restore's own audit entry must then be the live database's newest: if it is not, the copy
 *    did not happen (another program held the database) and the caller is told so.
 */
export async function restoreBackup(
  core: Core,
  actor: Actor,
  backupFile: string,
  options: { safetyBackup: () => Promise<BackupResult> },
): Promise<RestoreOutcome> {
  const name = path.basename(backupFile);
  const check = assertRestorable(inspectDatabaseFile(backupFile), name);
  const temp = path.join(core.dataDir, `restore-${process.pid}-${Date.now()}.tmp.sqlite3`);
  let prepared: Database | null = null;
  let source: Database | null = null;
  try {
    source = openFile(backupFile, { readonly: true });
    await source.backup(temp);
    source.close();
    source = null;

    prepared = openFile(temp);
    const from = checkVersion(prepared, temp);
    prepared.pragma('foreign_keys = ON');
    prepared.pragma('trusted_schema = OFF');
    const migrated = migrate(prepared);
    const marker = uuidv7();
    const preparedCore: Core = { ...core, db: prepared };
    inTransaction(preparedCore, (writable) => {
      // This PC stays this PC, whichever PC the backup came from.
      setPcId.run(writable, { value: core.pcId });
      appendAudit(writable, actor, {
        action: 'restore',
        entity: 'database',
        entityId: marker,
        new: { backup: name, backup_last_change: check.lastChangeAt, schema_version: check.schemaVersion, migrated_to: migrated.to },
      });
    });
    const again = checkOpenDatabase(prepared, { quick: true });
    if (!again.ok) throw new AppError('internal', `The backup could not be prepared for restoring: ${again.problems[0] ?? 'unknown problem'} Nothing was changed.`);
    prepared.close();
    prepared = null;

    const safety = await options.safetyBackup();

    source = openFile(temp, { readonly: true });
    // All pages in one step: the live database is locked for the shortest time.
    await source.backup(core.file, { progress: () => 0x7fffffff });
    source.close();
    source = null;

    const newest = newestRestore.get(core);
    if (newest?.entity_id !== marker) {
      throw new AppError('storage', 'The database was busy with another program, so nothing was restored. Close other Wardkeep windows or commands and try again.');
    }
    return { restoredFrom: name, safetyBackup: path.basename(safety.file), schemaVersion: migrated.to, migratedFrom: migrated.from === migrated.to ? null : from };
  } finally {
    source?.close();
    prepared?.close();
    removeQuietly(temp);
  }
}
