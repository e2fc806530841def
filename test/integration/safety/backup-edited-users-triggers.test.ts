import { readdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { forgetBackupCheck } from '../../../main/core/backup/checks';
import { backupFolder, backupToFolder, newestCountedBackup } from '../../../main/core/backup/folder';
import { newestGoodBackup } from '../../../main/core/backup/recover';
import { newSession } from '../../../main/core/session';
import { loggingWorld } from '../completions/fixture';
import { snapshot } from './helpers';
import { settledBackupStatus } from './settled-backups';

/**
 * A backup in the backup folder edited with the sqlite3 command line, in the users table (or its
 * triggers) only: no
 * audit entry is touched, so there is no chain to hash again and no stored head to move. `wardkeep
 * verify` names these edits in a live database (users/trail-check.ts); a backup is checked for them
 * too, since restoring it would bring them back (docs/data.md: "a backup edited since it was made is
 * never offered").
 */
const TOM_AS_ADMIN = "UPDATE users SET role = 'admin' WHERE name = 'Tom Tech'";
const TOMS_PIN_ON_ADA = "UPDATE users SET pin_hash = (SELECT pin_hash FROM users WHERE name = 'Tom Tech') WHERE name = 'Ada Admin'";
const ROLE_EDITED = 'Users: User "Tom Tech" is administrator in the database, but the audit trail last made them technician: the role was changed outside Wardkeep.';
const HASH_COPIED = 'Users: Users Ada Admin, Tom Tech have the same PIN hash: one was copied onto another account outside Wardkeep, so one can sign as the other.';

function edit(file: string, sql: string): void {
  const db = new BetterSqlite3(file);
  try {
    db.prepare(sql).run();
  } finally {
    db.close();
  }
}

describe('a backup whose users or triggers were edited with sqlite3', () => {
  it("with Tom's PIN hash on the administrator's account: listed as not verifying, the dialog offers no restore, the restore is refused, and Tom cannot sign in as Ada", async () => {
    const w = await loggingWorld();
    const made = await backupToFolder(w.core, 'manual');
    const fileName = path.basename(made.file);
    // Tom copies his own PIN hash onto Ada's administrator account in the backup.
    edit(made.file, TOMS_PIN_ON_ADA);

    const status = await settledBackupStatus(w.backend, w.admin);
    expect(status.backups.find((b) => b.fileName === fileName)).toMatchObject({ verified: false, problem: HASH_COPIED });
    expect(await w.backend.invoke(w.admin, 'backups.inspect', { fileName })).toMatchObject({
      ok: true,
      value: { verified: false, restorable: false, problems: [HASH_COPIED] },
    });

    const before = snapshot(w.core.db);
    expect(await w.backend.invoke(w.admin, 'backups.restore', { fileName, confirm: true })).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: `${fileName} does not pass its check, so it cannot be restored: ${HASH_COPIED} Nothing was changed.` },
    });
    expect(snapshot(w.core.db)).toEqual(before);
    // Had it been restored, Tom would sign in as the administrator with his own PIN.
    const intruder = newSession(w.clock.now().getTime());
    expect(await w.backend.invoke(intruder, 'auth.signIn', { name: 'Ada Admin', secret: '1357' })).toMatchObject({ ok: false });
    expect(intruder.user).toBeNull();
  });

  it('with a technician made an administrator: listed as not verifying, the dialog offers no restore, and the restore is refused', async () => {
    const w = await loggingWorld();
    const made = await backupToFolder(w.core, 'manual');
    const fileName = path.basename(made.file);
    edit(made.file, TOM_AS_ADMIN);

    const status = await settledBackupStatus(w.backend, w.admin);
    expect(status.backups.find((b) => b.fileName === fileName)).toMatchObject({ verified: false, problem: ROLE_EDITED });
    // "Last backup" does not count it, nor does the schedule (whose quick look reads no records) put the next backup off for it.
    expect(status.lastBackupAt).toBeNull();
    forgetBackupCheck(made.file);
    expect(newestCountedBackup(w.core)).toBeNull();
    expect(await w.backend.invoke(w.admin, 'backups.inspect', { fileName })).toMatchObject({ ok: true, value: { verified: false, restorable: false, problems: [ROLE_EDITED] } });
    const restore = await w.backend.invoke(w.admin, 'backups.restore', { fileName, confirm: true });
    expect(restore).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining(ROLE_EDITED) } });
    expect(w.core.db.prepare("SELECT role FROM users WHERE name = 'Tom Tech'").pluck().get()).toBe('technician');
  });

  it('the start-up recovery does not offer it as "the newest good backup": it offers the older good one, or says why the newest was refused', async () => {
    const w = await loggingWorld();
    const good = await backupToFolder(w.core, 'manual');
    await w.call('locations.create', { name: 'Ward 4B' });
    const edited = await backupToFolder(w.core, 'manual');
    edit(edited.file, TOMS_PIN_ON_ADA);
    expect(newestGoodBackup(w.core.dataDir)).toMatchObject({ fileName: path.basename(good.file) });

    edit(good.file, TOM_AS_ADMIN);
    expect(newestGoodBackup(w.core.dataDir)).toEqual({ none: `${path.basename(edited.file)}: ${HASH_COPIED}` });
  });

  it('with a trigger that makes the trail permanent dropped: listed as not verifying and not restored (the restored database would let entries be deleted)', async () => {
    const w = await loggingWorld();
    const made = await backupToFolder(w.core, 'manual');
    const fileName = path.basename(made.file);
    edit(made.file, 'DROP TRIGGER audit_log_no_delete');
    const dropped = 'Database: The trigger audit_log_no_delete on audit_log is missing: it was removed outside Wardkeep, so the database no longer refuses what it guarded.';
    expect(await w.backend.invoke(w.admin, 'backups.inspect', { fileName })).toMatchObject({ ok: true, value: { verified: false, restorable: false, problems: [dropped] } });
    expect(await w.backend.invoke(w.admin, 'backups.restore', { fileName, confirm: true })).toMatchObject({ ok: false, error: { message: expect.stringContaining(dropped) } });
  });

  it('the live database with its users edited: its backup is not kept (it could not be restored), and a good backup restores over it, the safety copy kept as it was', async () => {
    const w = await loggingWorld();
    const good = await backupToFolder(w.core, 'manual');
    edit(w.core.file, TOM_AS_ADMIN);

    expect(await w.backend.invoke(w.admin, 'backups.run', {})).toEqual({
      ok: false,
      error: { code: 'storage', message: `The backup copy did not pass its check, so it was not kept: ${ROLE_EDITED} Run "wardkeep verify" on the database.` },
    });
    expect(readdirSync(backupFolder(w.core.dataDir))).toEqual([path.basename(good.file)]);

    // The way to put it right: the restore's own backup of the database as it is is still taken.
    expect(await w.backend.invoke(w.admin, 'backups.restore', { fileName: path.basename(good.file), confirm: true })).toMatchObject({ ok: true });
    expect(w.core.db.prepare("SELECT role FROM users WHERE name = 'Tom Tech'").pluck().get()).toBe('technician');
    const safety = readdirSync(backupFolder(w.core.dataDir)).find((f) => f.endsWith('-pre-restore.sqlite3'));
    expect(safety).toBeDefined();
    const after = newSession(w.clock.now().getTime());
    expect(await w.backend.invoke(after, 'auth.signIn', { name: 'Ada Admin', secret: '2468' })).toMatchObject({ ok: true });
    expect(await w.backend.invoke(after, 'backups.inspect', { fileName: safety! })).toMatchObject({ ok: true, value: { restorable: false, problems: [ROLE_EDITED] } });
  });
});
