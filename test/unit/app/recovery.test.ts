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
