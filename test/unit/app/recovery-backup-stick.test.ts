import { closeSync, existsSync, mkdirSync, readdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatDateTime } from '../../../shared/date-format';
import { createBackend } from '../../../main/core/backend';
import { backupToFolder, listBackupFiles } from '../../../main/core/backup/folder';
import { backupDateFormat } from '../../../main/core/backup/recover';
import { DB_FILE } from '../../../main/core/db/open';
import { openCore } from '../../../main/core/open-core';
import { newSession } from '../../../main/core/session';
import { signedInUser } from '../../helpers/users';

/** The stand-in for electron's dialog, as in recovery.test.ts. */
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
let usb = '';
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'wardkeep-recovery-stick-'));
  usb = mkdtempSync(path.join(tmpdir(), 'wardkeep-recovery-usb-'));
  Object.assign(fake, { boxes: [], errors: [], answer: 0 });
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(usb, { recursive: true, force: true });
});

function damage(offset: number, length: number): void {
  const fd = openSync(path.join(dir, DB_FILE), 'r+');
  writeSync(fd, Buffer.alloc(length, 0xa5), 0, length, offset);
  closeSync(fd);
}

/** A ward PC whose admin chose a backup folder on a USB stick and the dates as `dateFormat`, with a backup on the stick. */
async function wardWithStick(dateFormat: 'dd/MM/yyyy' | 'MM/dd/yyyy' = 'dd/MM/yyyy'): Promise<string> {
  const folder = path.join(usb, 'Wardkeep backups');
  const core = openCore({ dataDir: dir });
  const backend = createBackend(core, { ports: { folders: { choose: () => Promise.resolve(folder) } } });
  const session = newSession();
  signedInUser(core, 'admin', { name: 'Admin', session });
  expect((await backend.invoke(session, 'backups.chooseFolder', {})).ok).toBe(true);
  expect((await backend.invoke(session, 'settings.update', { dateFormat })).ok).toBe(true);
  const loc = (await backend.invoke(session, 'locations.create', { name: 'Ward 1' })) as { value: { id: string } };
  for (let i = 0; i < 5; i++) await backend.invoke(session, 'equipment.create', { assetTag: `B-${i}`, name: 'Pump', locationId: loc.value.id });
  await backupToFolder(core, 'auto');
  core.close();
  return folder;
}

describe('start-up recovery with the backups on a USB stick', () => {
  it('with the stick unplugged, the dialog names the backup folder and says to plug it in, and changes nothing', async () => {
    const folder = await wardWithStick();
    rmSync(folder, { recursive: true, force: true }); // the stick taken out (its mount point left)
    damage(0, 100);
    expect(await openCoreOrRecover({ dataDir: dir })).toBeNull();
    expect(fake.boxes).toHaveLength(1);
    const box = fake.boxes[0]!;
    // Before: "…there is no good backup to restore", though plugging the stick in would offer one.
    expect(box.message).toBe('The database on this PC is damaged, and the backups cannot be reached.');
    expect(box.detail).toContain(`The backup folder ${folder} is not there. Plug in the disk or USB stick that holds it and start Wardkeep again.`);
    expect(box.buttons).toEqual(['Quit']);
    expect(fake.errors).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.includes('.damaged-'))).toEqual([]);
    expect(existsSync(path.join(dir, DB_FILE))).toBe(true);
  });

  it('offers the backup with its date in the Settings date format of that database, as every screen showed it', async () => {
    for (const dateFormat of ['dd/MM/yyyy', 'MM/dd/yyyy'] as const) {
      rmSync(dir, { recursive: true, force: true });
      rmSync(usb, { recursive: true, force: true });
      mkdirSync(dir);
      mkdirSync(usb);
      fake.boxes = [];
      const folder = await wardWithStick(dateFormat);
      const backup = listBackupFiles(folder)[0]!;
      damage(0, 100);
      fake.answer = 1; // quit: only the question is looked at
      expect(await openCoreOrRecover({ dataDir: dir })).toBeNull();
      // e.g. "taken 03/12/2026 10:15"; before: "taken Thursday, 3 December 2026 at 10:15" whatever the setting.
      const taken = formatDateTime(backup.at.toISOString(), dateFormat);
      expect(fake.boxes[0]!.message).toBe(`The database on this PC is damaged. Restore the newest good backup, taken ${taken}?`);
      expect(fake.boxes[0]!.buttons[0]).toBe(`Restore the backup of ${taken}`);
    }
  });

  it('reads the date format from the backup, and falls back to the ISO-like format when the file cannot say', async () => {
    const folder = await wardWithStick('MM/dd/yyyy');
    expect(backupDateFormat(listBackupFiles(folder)[0]!.file)).toBe('MM/dd/yyyy');
    const junk = path.join(usb, 'junk.sqlite3');
    writeFileSync(junk, Buffer.alloc(4096, 7));
    expect(backupDateFormat(junk)).toBe('yyyy-MM-dd');
  });
});
