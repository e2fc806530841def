import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BACKUP_SETTINGS_FILE, backupToFolder, rotateBackups } from '../../../main/core/backup/folder';
import { preMigrationBackup } from '../../../main/core/backup/recover';
import { openDatabase } from '../../../main/core/db/open';
import { LATEST_VERSION } from '../../../main/core/migrations';
import { databaseAt } from '../../helpers/migrations';
import { backupFileName } from '../../../main/core/backup/names';
import { backupWithProgress } from '../../../main/core/backup/progress';
import { runJob } from '../../../main/core/worker/run';
import { testActor, testBackend, tempDir } from '../../helpers/core';

/** The desktop app's folder dialog, where the administrator picks `folder`. */
const chosen = (folder: string) => ({ choose: () => Promise.resolve(folder) });

describe('the backup folder', () => {
  it('with the USB stick unmounted (its mount point left empty), the backup is refused, not written to the PC\'s own disk', async () => {
    const mountPoint = path.join(tempDir(), 'mnt', 'usb'); // e.g. /mnt/usb from fstab
    mkdirSync(mountPoint, { recursive: true });
    const folder = path.join(mountPoint, 'Wardkeep backups');
    const { core, backend, session } = testBackend('admin', { ports: { folders: chosen(folder) } });
    expect((await backend.invoke(session, 'backups.chooseFolder', {})).ok).toBe(true);
    // Unmounted: what was on the stick is no longer under the mount point, which stays as an empty folder.
    rmSync(folder, { recursive: true, force: true });
    expect(readdirSync(mountPoint)).toEqual([]);
    // Before, the folder was made again under the mount point: a backup "on the USB stick" that was
    // really on the PC's own disk, said nowhere.
    await expect(backupToFolder(core, 'auto')).rejects.toThrow(`The backup folder ${folder} is not there. Is the disk or USB stick plugged in?`);
    expect(existsSync(folder)).toBe(false);
    // Plugged in again (the folder is there), backups go on.
    mkdirSync(folder);
    expect(existsSync((await backupToFolder(core, 'auto')).file)).toBe(true);
  });

  it('an upgrade with the USB stick unmounted is refused in a sentence naming the folder: no backup on the PC\'s own disk, nothing migrated', () => {
    const dir = databaseAt(LATEST_VERSION - 1);
    const mountPoint = path.join(tempDir(), 'mnt', 'usb');
    const folder = path.join(mountPoint, 'Wardkeep backups');
    mkdirSync(folder, { recursive: true });
    // The admin chose it on the Backups screen (what setBackupFolder writes); then the stick was unmounted.
    writeFileSync(path.join(dir, BACKUP_SETTINGS_FILE), JSON.stringify({ folder }, null, 2));
    rmSync(folder, { recursive: true, force: true });
    // Before, the pre-migration backup made the folder again under the empty mount point and the upgrade went ahead.
    expect(() => openDatabase({ dataDir: dir, beforeMigrate: preMigrationBackup(dir) })).toThrow(
      `Before upgrading the database from schema version ${LATEST_VERSION - 1} to ${LATEST_VERSION}, Wardkeep backs it up, and that backup failed: The backup folder ${folder} is not there. Is the disk or USB stick plugged in? Nothing was changed.`,
    );
    expect(existsSync(folder)).toBe(false);
    expect(readdirSync(mountPoint)).toEqual([]);
    const db = new BetterSqlite3(path.join(dir, 'wardkeep.sqlite3'), { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION - 1);
    } finally {
      db.close();
    }
    // With the stick plugged in again, the upgrade backs up onto it and goes ahead.
    mkdirSync(folder);
    openDatabase({ dataDir: dir, beforeMigrate: preMigrationBackup(dir) }).db.close();
    expect(readdirSync(folder)).toEqual([expect.stringMatching(/-pre-migration\.sqlite3$/)]);
  });

  it('a restore with the chosen folder gone is refused before anything is changed (its safety backup would land on the PC\'s own disk)', async () => {
    const mountPoint = path.join(tempDir(), 'mnt', 'usb');
    mkdirSync(mountPoint, { recursive: true });
    const folder = path.join(mountPoint, 'Wardkeep backups');
    const { core, backend, session } = testBackend('admin', { ports: { folders: chosen(folder) } });
    expect((await backend.invoke(session, 'backups.chooseFolder', {})).ok).toBe(true);
    const made = await backupToFolder(core, 'manual');
    rmSync(folder, { recursive: true, force: true });
    // The restore job, given the backup's path as the screen would have (the folder went between the choice and the job).
    await expect(runJob(core, 'restore', { origin: 'backups.restore', actor: testActor, file: made.file })).rejects.toThrow(
      `The backup of the current database, taken before every restore, cannot be made: The backup folder ${folder} is not there. Is the disk or USB stick plugged in? Nothing was restored.`,
    );
    expect(existsSync(folder)).toBe(false);
  });

  it('the default backup folder with a file in its place: the backup is refused saying so, not asking for a USB stick (the folder is on the PC\'s own disk)', async () => {
    const { core, backend, session } = testBackend('admin');
    const folder = path.join(core.dataDir, 'backups');
    writeFileSync(folder, 'not a folder');
    // Before: "The backup folder … cannot be created (EEXIST). Is the disk or USB stick plugged in?"
    expect(await backend.invoke(session, 'backups.run', {})).toEqual({
      ok: false,
      error: { code: 'storage', message: `${folder} is a file, not a folder: move it away so that Wardkeep can make its backup folder there.` },
    });
    expect(readFileSync(folder, 'utf8')).toBe('not a folder');
    // Moved away, the folder is made and backups go on.
    renameSync(folder, `${folder}.txt`);
    expect(await backend.invoke(session, 'backups.run', {})).toMatchObject({ ok: true, value: { verified: true } });
  });

  it('a chosen backup folder with a file in its place: the backup is refused saying so, and a file is not taken as the folder when chosen', async () => {
    const stick = tempDir();
    const folder = path.join(stick, 'Wardkeep backups');
    const answers = [folder, path.join(stick, 'notes.txt')];
    const { core, backend, session } = testBackend('admin', { ports: { folders: { choose: () => Promise.resolve(answers.shift() ?? null) } } });
    expect((await backend.invoke(session, 'backups.chooseFolder', {})).ok).toBe(true);
    rmSync(folder, { recursive: true });
    writeFileSync(folder, 'x');
    expect(await backend.invoke(session, 'backups.run', {})).toEqual({
      ok: false,
      error: { code: 'storage', message: `${folder} is a file, not a folder: move it away and make the folder, or choose another backup folder.` },
    });

    // The folder dialog answers with a file: before, mkdirSync's EEXIST said "Wardkeep cannot write to … (EEXIST). Is the disk plugged in and writable?"
    writeFileSync(path.join(stick, 'notes.txt'), 'x');
    const entries = core.db.prepare('SELECT count(*) FROM audit_log').pluck().get();
    expect(await backend.invoke(session, 'backups.chooseFolder', {})).toEqual({
      ok: false,
      error: { code: 'invalid_input', field: 'folder', message: `${path.join(stick, 'notes.txt')} is a file, not a folder: choose a folder.` },
    });
    expect(await backend.invoke(session, 'backups.status', {})).toMatchObject({ ok: true, value: { folder } });
    expect(core.db.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(entries);
  });

  it('a backup that failed with no one looking is on the Backups screen whenever it is opened, until one succeeds', async () => {
    const folder = path.join(tempDir(), 'usb', 'Wardkeep backups');
    const { core, backend, session } = testBackend('admin', { ports: { folders: chosen(folder) } });
    mkdirSync(path.dirname(folder));
    expect((await backend.invoke(session, 'backups.chooseFolder', {})).ok).toBe(true);
    rmSync(folder, { recursive: true, force: true });
    // The four-hourly backup, as the app's schedule runs it.
    await expect(backupWithProgress(core, backend, 'auto')).rejects.toThrow(/is not there/);
    // The screen opened an hour later: before, only a screen open at that moment heard of it.
    const later = await backend.invoke(session, 'backups.status', {});
    expect(later).toMatchObject({ ok: true, value: { lastFailure: { reason: 'auto', message: expect.stringContaining('Is the disk or USB stick plugged in?') } } });
    mkdirSync(folder);
    await backupWithProgress(core, backend, 'auto');
    expect(await backend.invoke(session, 'backups.status', {})).toMatchObject({ ok: true, value: { lastFailure: null } });
  });

  it('files a crash leaves beside a partial backup (its -journal, -wal, -shm) are removed with it', async () => {
    const { core } = testBackend('admin');
    // A copy made with the online backup API from the WAL-mode database is itself in WAL mode when opened
    // (finish() opens it before switching it to DELETE): a crash there leaves -wal and -shm beside it.
    const probe = path.join(tempDir(), 'copy.sqlite3');
    await core.db.backup(probe);
    const opened = new BetterSqlite3(probe);
    expect(opened.pragma('journal_mode', { simple: true })).toBe('wal');
    opened.close();

    const folder = path.join(tempDir(), 'backups');
    mkdirSync(folder);
    const partial = `${backupFileName(new Date('2026-03-01T10:00:00Z'), 'auto')}.partial-4242-${Date.now() - 5 * 3_600_000}`;
    for (const suffix of ['', '-journal', '-wal', '-shm']) writeFileSync(path.join(folder, partial + suffix), 'x'.repeat(4096));
    rotateBackups(folder, new Date());
    // "Partial files older than an hour (left by a crash) are removed." (docs/data.md)
    expect(readdirSync(folder)).toEqual([]);
  });
});
