import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { EventMap } from '../../../shared/contract/events';
import { createBackup } from '../../../main/core/backup/create';
import { BACKUP_SETTINGS_FILE, backupFolder, backupToFolder, listBackupFiles } from '../../../main/core/backup/folder';
import { backupFileName } from '../../../main/core/backup/names';
import { LATEST_VERSION } from '../../../main/core/migrations';
import { AppError } from '../../../main/core/errors';
import { testBackend, tempDir } from '../../helpers/core';
import { expectHealthy, seedEquipment, snapshot } from './helpers';
import { settledBackupStatus } from './settled-backups';

describe('backups', () => {
  it('copies the live database online, reports progress, and keeps only a verified, self-contained copy', async () => {
    const { core, backend, session } = testBackend('admin');
    await seedEquipment(backend, session, 300);
    const before = snapshot(core.db);
    const dest = path.join(tempDir(), 'copy.sqlite3');
    const progress: { phase: string; done: number; total: number }[] = [];
    // A write while the copy runs: the copy is of one moment, and the write is not lost.
    const copying = createBackup(core, dest, (p) => progress.push(p));
    const during = await backend.invoke(session, 'locations.create', { name: 'Written during the backup' });
    const result = await copying;
    expect(during.ok).toBe(true);
    expect(result.check).toMatchObject({ ok: true, compatibility: 'same', schemaVersion: LATEST_VERSION });
    expect(progress.some((p) => p.phase === 'copying' && p.total > 0)).toBe(true);
    expect(progress.at(-1)).toEqual({ phase: 'done', done: 1, total: 1 });
    expect(readdirSync(path.dirname(dest))).toEqual(['copy.sqlite3']); // no -wal, -shm or partial file
    const copy = new BetterSqlite3(dest, { readonly: true });
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    const copied = snapshot(copy);
    copy.close();
    // Either the moment before the write or after it, whole.
    expect([before.counts.locations, before.counts.locations! + 1]).toContain(copied.counts.locations);
    expect(copied.counts.equipment).toBe(300);
    expect(copied.chainOk).toBe(true);
    expectHealthy(core.db);
  });

  it('refuses to write over the database itself, and leaves nothing behind when the folder is missing', async () => {
    const { core } = testBackend('admin');
    await expect(createBackup(core, core.file)).rejects.toThrow(/over the database itself/);
    await expect(createBackup(core, `${core.file}-wal`)).rejects.toThrow(AppError);
    const missing = path.join(tempDir(), 'unplugged-usb', 'b.sqlite3');
    await expect(createBackup(core, missing)).rejects.toMatchObject({ code: 'storage', message: expect.stringMatching(/does not exist/) });
  });

  it('"Back up now" writes a named, verified backup in the folder and streams progress events', async () => {
    const { core, backend, session } = testBackend('admin');
    await seedEquipment(backend, session, 20);
    const events: EventMap['backup.progress'][] = [];
    backend.onEvent((e, p) => {
      if (e === 'backup.progress') events.push(p as EventMap['backup.progress']);
    });
    const res = await backend.invoke(session, 'backups.run', {});
    expect(res).toMatchObject({ ok: true, value: { verified: true, reason: 'manual', problem: null, schemaVersion: LATEST_VERSION } });
    expect(events.at(-1)).toMatchObject({ phase: 'done', reason: 'manual' });
    const status = await backend.invoke(session, 'backups.status', {});
    expect(status).toMatchObject({ ok: true, value: { isDefault: true, folder: path.join(core.dataDir, 'backups'), running: false } });
    const listed = (status as { value: { backups: { fileName: string; verified: boolean; sizeBytes: number }[] } }).value.backups;
    expect(listed).toHaveLength(1);
    expect(listed[0]!.sizeBytes).toBeGreaterThan(0);
  });

  it('says which backups do not verify', async () => {
    const { core, backend, session } = testBackend('admin');
    const folder = backupFolder(core.dataDir);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, backupFileName(new Date('2026-01-01T00:00:00Z'), 'auto')), 'this is not a database at all, just text '.repeat(200));
    writeFileSync(path.join(folder, 'holiday-photo.jpg'), 'not ours');
    const { backups } = await settledBackupStatus(backend, session);
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatchObject({ verified: false, problem: expect.stringMatching(/damaged or not a database/) });
  });

  it('the admin can point the backups at another folder (per PC, audited); a relative or unwritable path is refused', async () => {
    // The folder dialog of the desktop app (main/app/folder-dialog.ts), answering as the person did.
    const answers: (string | null)[] = [];
    const asked: { title: string; current: string }[] = [];
    const folders = { choose: (o: { title: string; current: string }) => (asked.push(o), Promise.resolve(answers.shift() ?? null)) };
    const { core, backend, session } = testBackend('admin', { ports: { folders } });
    const usb = path.join(tempDir(), 'USB stick', 'Wardkeep');
    const audit = () => (core.db.prepare("SELECT count(*) AS n FROM audit_log WHERE entity = 'setting'").get() as { n: number }).n;
    const choose = (folder: string | null) => (answers.push(folder), backend.invoke(session, 'backups.chooseFolder', {}));
    const set = await choose(usb);
    expect(asked[0]).toEqual({ title: 'Choose the backup folder', current: path.join(core.dataDir, 'backups') });
    expect(set).toMatchObject({ ok: true, value: { chosen: true, status: { folder: usb, isDefault: false } } });
    expect(audit()).toBe(1);
    expect(existsSync(path.join(core.dataDir, BACKUP_SETTINGS_FILE))).toBe(true);
    const run = await backend.invoke(session, 'backups.run', {});
    expect(run.ok).toBe(true);
    expect(listBackupFiles(usb)).toHaveLength(1);

    // Cancelled: nothing changes.
    expect(await choose(null)).toMatchObject({ ok: true, value: { chosen: false, status: { folder: usb } } });
    expect(await choose('relative/folder')).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'folder' } });
    const aFile = path.join(tempDir(), 'a-file');
    writeFileSync(aFile, 'x');
    expect(await choose(path.join(aFile, 'below'))).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'folder' } });
    expect(backupFolder(core.dataDir)).toBe(usb);
    expect(audit()).toBe(1);

    expect(await backend.invoke(session, 'backups.useDefaultFolder', {})).toMatchObject({ ok: true, value: { isDefault: true } });
    expect(audit()).toBe(2);
  });

  it('the folder is chosen only in the desktop app\'s own dialog: the page cannot name a path, and without the dialog nothing changes', async () => {
    const { core, backend, session } = testBackend('admin');
    const elsewhere = path.join(tempDir(), 'share');
    // A script in the page naming a folder: the channel takes no path.
    expect(await backend.invoke(session, 'backups.chooseFolder', { folder: elsewhere } as never)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await backend.invoke(session, 'backups.setFolder' as never, { folder: elsewhere } as never)).toMatchObject({ ok: false });
    // The command line and the tests have no dialog: said, nothing changed.
    expect(await backend.invoke(session, 'backups.chooseFolder', {})).toMatchObject({ ok: false, error: { message: 'Choosing the backup folder needs the Wardkeep desktop app.' } });
    expect(backupFolder(core.dataDir)).toBe(path.join(core.dataDir, 'backups'));
    expect(existsSync(elsewhere)).toBe(false);
  });

  it('rotates the folder: old backups beyond the policy go, other files stay', async () => {
    const { core } = testBackend('admin');
    const folder = backupFolder(core.dataDir);
    mkdirSync(folder, { recursive: true });
    // 40 daily backups from the past, then one now.
    for (let d = 1; d <= 40; d++) writeFileSync(path.join(folder, backupFileName(new Date(Date.UTC(2026, 0, d, 9)), 'auto')), '');
    writeFileSync(path.join(folder, 'notes.txt'), 'keep me');
    await backupToFolder(core, 'manual');
    const names = readdirSync(folder);
    expect(names).toContain('notes.txt');
    const kept = listBackupFiles(folder).slice(1).map((b) => b.at.toISOString().slice(0, 10));
    // 7 days (today's and 6 more), 4 weeks (Mondays: 9 Feb, 2 Feb, 26 Jan), 12 months (January's newest).
    expect(kept).toEqual(['2026-02-09', '2026-02-08', '2026-02-07', '2026-02-06', '2026-02-05', '2026-02-04', '2026-02-01', '2026-01-31']);
  });

  it('refuses a second backup while one runs', async () => {
    const { core, backend, session } = testBackend('admin');
    await seedEquipment(backend, session, 200);
    const first = backupToFolder(core, 'manual');
    await expect(backupToFolder(core, 'manual')).rejects.toMatchObject({ code: 'conflict' });
    await first;
  });
});
