import { existsSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBackend } from '../../../main/core/backend';
import { backupToFolder } from '../../../main/core/backup/folder';
import { DB_FILE } from '../../../main/core/db/open';
import { openCore } from '../../../main/core/open-core';
import { newSession } from '../../../main/core/session';
import { signedInUser } from '../../helpers/users';

/** The stand-in for electron's dialog: records what the person is asked and answers. */
const fake = vi.hoisted(() => ({
  boxes: [] as { message: string; detail?: string; buttons: string[] }[],
  errors: [] as string[],
  answer: 0,
}));
vi.mock('electron', () => ({
  dialog: {
    showMessageBox: (options: { message: string; detail?: string; buttons: string[] }) => {
      fake.boxes.push(options);
      return Promise.resolve({ response: fake.answer, checkboxChecked: false });
    },
    showErrorBox: (_title: string, message: string) => fake.errors.push(message),
  },
}));

const { openCoreOrRecover } = await import('../../../main/app/recovery');

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'wardkeep-recovery-'));
  Object.assign(fake, { boxes: [], errors: [], answer: 0 });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A database with `n` devices, a backup of it, then `m` more devices after the backup. */
async function withBackup(n: number, m: number): Promise<void> {
  const core = openCore({ dataDir: dir });
  const backend = createBackend(core);
  const session = newSession();
  signedInUser(core, 'admin', { name: 'Admin', session });
  const loc = (await backend.invoke(session, 'locations.create', { name: 'Ward 1' })) as { value: { id: string } };
  const add = async (tag: string) => expect((await backend.invoke(session, 'equipment.create', { assetTag: tag, name: 'Pump', locationId: loc.value.id, notes: 'n'.repeat(2000) })).ok).toBe(true);
  for (let i = 0; i < n; i++) await add(`B-${i}`);
  await backupToFolder(core, 'auto');
  for (let i = 0; i < m; i++) await add(`A-${i}`);
  core.close(); // checkpoints: everything is in the main file
}

/** Overwrites bytes of the database file, as a failing disk would. */
function damage(offset: number, length: number): void {
  const fd = openSync(path.join(dir, DB_FILE), 'r+');
  writeSync(fd, Buffer.alloc(length, 0xa5), 0, length, offset);
  closeSync(fd);
}

describe('start-up health check and recovery', () => {
  it('opens a healthy database without asking anything', async () => {
    await withBackup(3, 0);
    const core = await openCoreOrRecover({ dataDir: dir });
    expect(core).not.toBeNull();
    expect(fake.boxes).toEqual([]);
    core!.close();
  });

  it('says plainly that the database is damaged and, on yes, restores the newest good backup, keeping the damaged file', async () => {
    await withBackup(40, 40);
    damage(4096 * 3, 4096 * 6); // pages in the middle of the table
    const core = await openCoreOrRecover({ dataDir: dir });
    expect(fake.boxes).toHaveLength(1);
    expect(fake.boxes[0]!.message).toMatch(/^The database on this PC is damaged\. Restore the newest good backup, taken .+\?$/);
    expect(fake.boxes[0]!.buttons[0]).toMatch(/^Restore the backup of /);
    expect(fake.boxes[0]!.buttons[1]).toBe('Quit without changing anything');
    expect(core).not.toBeNull();
    const db = core!.db;
    expect(db.pragma('quick_check', { simple: true })).toBe('ok');
    expect(db.prepare("SELECT count(*) AS n FROM equipment WHERE asset_tag LIKE 'B-%'").get()).toEqual({ n: 40 });
    expect(db.prepare("SELECT count(*) AS n FROM equipment WHERE asset_tag LIKE 'A-%'").get()).toEqual({ n: 0 });
    expect((db.prepare('SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { action: string }).action).toBe('restore');
    core!.close();
    expect(readdirSync(dir).filter((f) => f.startsWith(`${DB_FILE}.damaged-`))).toHaveLength(1);
  });

  it('offers the backup holding the newest work, not the one a clock running a year fast named newest', async () => {
    // The PC's clock ran a year fast for a day: the backup made then is named 2027. The clock was
    // put right, and the backup after 40 more devices is named 2026.
    let now = new Date('2027-11-20T10:00:00Z');
    const core = openCore({ dataDir: dir, clock: { now: () => new Date(now) } });
    const backend = createBackend(core);
    const session = newSession(now.getTime());
    signedInUser(core, 'admin', { name: 'Admin', session });
    const loc = (await backend.invoke(session, 'locations.create', { name: 'Ward 1' })) as { value: { id: string } };
    const add = async (tag: string) => expect((await backend.invoke(session, 'equipment.create', { assetTag: tag, name: 'Pump', locationId: loc.value.id, notes: 'n'.repeat(2000) })).ok).toBe(true);
    for (let i = 0; i < 40; i++) await add(`B-${i}`);
    await backupToFolder(core, 'auto');
    now = new Date('2026-11-21T10:00:00Z');
    for (let i = 0; i < 40; i++) await add(`A-${i}`);
    await backupToFolder(core, 'auto');
    core.close();
    expect(readdirSync(path.join(dir, 'backups')).sort()).toEqual([expect.stringMatching(/^wardkeep-20261121-/), expect.stringMatching(/^wardkeep-20271120-/)]);
    damage(4096 * 3, 4096 * 6);

    const recovered = await openCoreOrRecover({ dataDir: dir });
    expect(recovered).not.toBeNull();
    expect(fake.boxes[0]!.message).toMatch(/2026/);
    expect(recovered!.db.prepare('SELECT count(*) AS n FROM equipment').get()).toEqual({ n: 80 });
    recovered!.close();
  });

  it('after a restore, offers the backup of the database as restored, not one of the state it replaced', async () => {
    let now = new Date('2026-11-20T10:00:00Z');
    const core = openCore({ dataDir: dir, clock: { now: () => new Date(now) } });
    const backend = createBackend(core);
    const session = newSession(now.getTime());
    signedInUser(core, 'admin', { name: 'Admin', session });
    const loc = (await backend.invoke(session, 'locations.create', { name: 'Ward 1' })) as { value: { id: string } };
    const add = async (tag: string) => expect((await backend.invoke(session, 'equipment.create', { assetTag: tag, name: 'Pump', locationId: loc.value.id, notes: 'n'.repeat(2000) })).ok).toBe(true);
    for (let i = 0; i < 20; i++) await add(`B-${i}`);
    const restored = await backupToFolder(core, 'auto');
    now = new Date('2026-11-20T10:01:00Z');
    for (let i = 0; i < 40; i++) await add(`A-${i}`);
    await backupToFolder(core, 'auto');
    // The administrator restores the first backup (the 40 devices were entered on the wrong PC);
    // the PC's clock is then set back two days (it was fast), and 5 devices are added after.
    now = new Date('2026-11-20T10:02:00Z');
    expect(await backend.invoke(session, 'backups.restore', { fileName: path.basename(restored.file), confirm: true })).toMatchObject({ ok: true });
    now = new Date('2026-11-18T10:00:00Z');
    signedInUser(core, 'admin', { name: 'Admin 2', session });
    for (let i = 0; i < 5; i++) await add(`C-${i}`);
    await backupToFolder(core, 'auto');
    core.close();
    damage(4096 * 3, 4096 * 6);

    const recovered = await openCoreOrRecover({ dataDir: dir });
    expect(recovered).not.toBeNull();
    expect(recovered!.db.prepare("SELECT count(*) AS n FROM equipment WHERE asset_tag LIKE 'C-%'").get()).toEqual({ n: 5 });
    expect(recovered!.db.prepare('SELECT count(*) AS n FROM equipment').get()).toEqual({ n: 25 });
    recovered!.close();
  });

  it('changes nothing when the person chooses to quit', async () => {
    await withBackup(40, 40);
    damage(0, 100); // the header: not even recognisable as a database
    fake.answer = 1;
    expect(await openCoreOrRecover({ dataDir: dir })).toBeNull();
    expect(fake.boxes).toHaveLength(1);
    expect(fake.boxes[0]!.detail).toMatch(/not a database|malformed|corrupt/i);
    expect(readdirSync(dir).filter((f) => f.includes('.damaged-'))).toEqual([]);
  });

  it('with no good backup, says so and quits rather than starting on an empty database', async () => {
    await withBackup(40, 0);
    rmSync(path.join(dir, 'backups'), { recursive: true });
    damage(0, 100);
    expect(await openCoreOrRecover({ dataDir: dir })).toBeNull();
    expect(fake.boxes).toHaveLength(1);
    expect(fake.boxes[0]!.message).toBe('The database on this PC is damaged, and there is no good backup to restore.');
    expect(fake.boxes[0]!.buttons).toEqual(['Quit']);
    expect(existsSync(path.join(dir, DB_FILE))).toBe(true);
  });
});
