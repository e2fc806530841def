import { existsSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { appendAudit } from '../audit';
import type { Actor, Core } from '../context';
import { checkVersion, migrate } from '../db/migrate';
import { inTransaction } from '../dispatcher/transaction';
import { AppError } from '../errors';
import { uuidv7 } from '../ids';
import { anchorsOf, recordRestore } from '../anchors';
import { BACKUP_HEAD_KEY } from '../anchors/backup-anchor';
import type { Head } from '../anchors/chain';
import { startNewChain } from '../anchors/chain';
import { attachCaptureTriggers, attachSync, setCapturing } from '../sync/capture';
import { backupAnchors, backupWriteError, createBackupSync } from './create';
import type { DatabaseCheck } from './inspect';
import { checkOpenDatabase, inspectDatabaseFile } from './inspect';
import { command, query } from '../sql/query';
import type { AuditRow, MetaRow, SyncStateRow } from '../sql/rows';
import { openFile } from './sqlite';

const setPcId = command<Pick<MetaRow, 'value'>>("INSERT INTO meta (key, value) VALUES ('pc_id', @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
// The restore's own entry, by its marker: a database in a hub holds other PCs' restores too, with higher numbers in their own chains.
const restoreEntry = query<Pick<AuditRow, 'entity_id'>, { marker: string }>("SELECT entity_id FROM audit_log WHERE action = 'restore' AND entity_id = @marker");

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

const liveTriggers = query<{ name: string; sql: string }>("SELECT name, sql FROM main.sqlite_schema WHERE type = 'trigger' AND sql IS NOT NULL");
const liveTables = query<{ name: string; sql: string | null }>("SELECT name, sql FROM main.sqlite_schema WHERE type = 'table'");
const sourceTables = query<{ name: string }>("SELECT name FROM src.sqlite_schema WHERE type = 'table'");
const columnsOf = query<{ name: string }, { table: string }>("SELECT name FROM pragma_table_info(@table, 'main')");

/**
 * Replaces every row of the live database (`main`) with the prepared copy's (`src`), inside the
 * caller's transaction. Triggers stand aside (they would refuse deleting records, or fire twice)
 * and are put back as they were; full-text tables are refilled through their own interface.
 */
function replaceContents(live: Database): void {
  const db = { db: live };
  const triggers = liveTriggers.all(db);
  for (const t of triggers) live.exec(`DROP TRIGGER main."${t.name}"`);
  const tables = liveTables.all(db);
  const virtual = tables.filter((t) => /^CREATE VIRTUAL TABLE/i.test(t.sql ?? '')).map((t) => t.name);
  const shadow = (name: string) => virtual.some((v) => name.startsWith(`${v}_`));
  const inSource = new Set(sourceTables.all(db).map((t) => t.name));
  for (const { name } of tables) {
    if (shadow(name) || (name.startsWith('sqlite_') && name !== 'sqlite_sequence')) continue;
    if (!inSource.has(name)) {
      if (name === 'sqlite_sequence') continue;
      throw new AppError('internal', `The prepared backup has no table ${name}. Nothing was changed.`);
    }
    const cols = columnsOf.all(db, { table: name }).map((c) => `"${c.name}"`).join(', ');
    live.exec(`DELETE FROM main."${name}"`);
    live.exec(`INSERT INTO main."${name}" (${cols}) SELECT ${cols} FROM src."${name}"`);
  }
  for (const t of triggers) live.exec(t.sql);
}

/** The key this PC signs to its hub with, in a database's `sync_state` (null when not enrolled, or a schema from before hubs). */
const enrolmentKeyOf = query<Pick<SyncStateRow, 'value'>>("SELECT value FROM sync_state WHERE key = 'pc_public_key'");

function enrolmentKey(db: Database): string | null {
  try {
    return enrolmentKeyOf.get({ db })?.value ?? null;
  } catch {
    return null; // no sync_state: a schema from before hubs, or a database too damaged to say
  }
}

/**
 * A PC in a hub restores only a backup of itself in that hub: the backup's enrolment (its
 * `sync_state`) replaces the live one, so a backup made before the PC joined would take it out of
 * the hub without a word (and it could not join again until IT revoked it there), and another PC's
 * backup would give it that PC's key and name. Refused, saying how, before anything is touched.
 */
function assertSameEnrolment(core: Core, backupFile: string): void {
  const liveKey = enrolmentKey(core.db);
  if (liveKey === null) return;
  const backup = openFile(backupFile, { readonly: true });
  let backupKey: string | null;
  try {
    backupKey = enrolmentKey(backup);
  } finally {
    backup.close();
  }
  if (backupKey === liveKey) return;
  throw new AppError(
    'conflict',
    `This PC is joined to the hospital hub, and ${path.basename(backupFile)} is not a backup of it in the hub (it was made ${backupKey === null ? 'before the PC joined' : 'on another PC, or before the PC joined again'}): restoring it would ${backupKey === null ? 'take the PC out of the hub' : "give this PC another enrolment's key"}. Nothing was changed. To restore it, leave the hub first (Settings → Hospital hub); the PC joins again with a new code once IT has revoked it at the hub.`,
  );
}

/**
 * The backup of the current database, taken before every restore, under the restore's write lock.
 * When it fails (a full USB stick), the restore does not happen, and the sentence says so: the
 * failure alone would read as a backup that failed, not as a restore that was not made.
 */
function takeSafetyBackup(core: Core, file: string): string {
  try {
    return createBackupSync(core.db, core.file, file, anchorsOf(core)?.ring.signing ?? null).file;
  } catch (err) {
    const failure = backupWriteError(err, file);
    const why = /[.!?]$/.test(failure.message) ? failure.message : `${failure.message}.`;
    throw new AppError(failure.code, `The backup of the current database, taken before every restore, failed: ${why} Nothing was restored.`);
  }
}

/**
 * Puts a backup in place of the live database, with no moment at which a half-restored database
 * could be seen or left behind by a crash, and without losing a write anyone was told was saved:
 * 1. the backup is checked (itself, and against this data folder's head log), then copied to a
 *    temporary file beside the database, migrated there if it is older, given this PC's id, a new
 *    audit chain continuing from its head and an audit entry recording the restore, and checked again;
 * 2. a connection of its own takes the live database's write lock (BEGIN IMMEDIATE) and holds it
 *    while, synchronously, a safety backup of the current database is taken (VACUUM INTO, a read
 *    the lock does not block) and every row is replaced by the prepared copy's, then commits: no
 *    other connection or process can commit between the safety backup and the copy, so every write
 *    that was confirmed is in one or the other (issue 13, item 4). A safety backup that fails
 *    rolls back with nothing replaced, and says so (takeSafetyBackup). Other connections see the old
 *    database or the new one, never a mixture, and a crash before the commit leaves the old one.
 * 3. The restore's own audit entry must then be in the live database: if it is not, the copy
 *    did not happen and the caller is told so.
 * 4. The head log records the restore: from here the database continues the backup's head on a
 *    new chain, so heads recorded before stay true of the history they named. A PC in a hub sends
 *    its new chain as a new history: what it wrote since the backup is at the hub already, under
 *    the old one, and comes back at the next sync (docs/sync.md).
 */
export async function restoreBackup(core: Core, actor: Actor, backupFile: string, options: { safetyBackupFile: string }): Promise<RestoreOutcome> {
  const name = path.basename(backupFile);
  const anchors = backupAnchors(core);
  const check = assertRestorable(inspectDatabaseFile(backupFile, { anchors, backup: true }), name);
  assertSameEnrolment(core, backupFile);
  const temp = path.join(core.dataDir, `restore-${process.pid}-${Date.now()}.tmp.sqlite3`);
  let prepared: Database | null = null;
  let source: Database | null = null;
  let live: Database | null = null;
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
    // A PC in a hub sends its restore's entry like any other write (sync/capture.ts): the stamp comes from the app's clock.
    attachSync(prepared, () => core.clock.now().getTime());
    attachCaptureTriggers(prepared);
    setCapturing(prepared, true);
    let base: Head | null = null;
    inTransaction(preparedCore, (writable) => {
      // This PC stays this PC, whichever PC the backup came from.
      setPcId.run(writable, { value: core.pcId });
      // A restored database is not a backup: the head it was made with goes.
      prepared!.prepare('DELETE FROM meta WHERE key = ?').run(BACKUP_HEAD_KEY);
      base = startNewChain(writable).from;
      appendAudit(writable, actor, {
        action: 'restore',
        entity: 'database',
        entityId: marker,
        new: { backup: name, backup_last_change: check.lastChangeAt, schema_version: check.schemaVersion, migrated_to: migrated.to, continues: base },
      });
    });
    const again = checkOpenDatabase(prepared, { quick: true });
    if (!again.ok) throw new AppError('internal', `The backup could not be prepared for restoring: ${again.problems[0] ?? 'unknown problem'} Nothing was changed.`);
    prepared.close();
    prepared = null;

    live = openFile(core.file);
    live.pragma('busy_timeout = 5000');
    live.prepare('ATTACH DATABASE ? AS src').run(temp);
    live.exec('BEGIN IMMEDIATE');
    // Rows go in table by table: their references are checked once, at the commit.
    live.pragma('defer_foreign_keys = ON');
    let safety: string;
    try {
      safety = takeSafetyBackup(core, options.safetyBackupFile);
      replaceContents(live);
      live.exec('COMMIT');
    } catch (err) {
      if (live.inTransaction) live.exec('ROLLBACK');
      throw err;
    }
    live.exec('DETACH DATABASE src');
    live.close();
    live = null;

    if (!restoreEntry.get(core, { marker })) {
      throw new AppError('storage', 'The database was busy with another program, so nothing was restored. Close other Wardkeep windows or commands and try again.');
    }
    recordRestore(core, base, name);
    return { restoredFrom: name, safetyBackup: path.basename(safety), schemaVersion: migrated.to, migratedFrom: migrated.from === migrated.to ? null : from };
  } finally {
    source?.close();
    prepared?.close();
    live?.close();
    removeQuietly(temp);
  }
}
