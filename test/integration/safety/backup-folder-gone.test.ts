import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { backupToFolder, rotateBackups } from '../../../main/core/backup/folder';
import { backupFileName } from '../../../main/core/backup/names';
import { backupWithProgress } from '../../../main/core/backup/progress';
import { testBackend, tempDir } from '../../helpers/core';

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
