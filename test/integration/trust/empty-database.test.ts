import { existsSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBackend } from '../../../main/core/backend';
import { backupToFolder } from '../../../main/core/backup/folder';
import { openCore } from '../../../main/core/open-core';
import { newSession } from '../../../main/core/session';
import { tempDir } from '../../helpers/core';
import { cli } from './helpers';

/** The stand-in for electron's dialog: records what the person is asked and answers "restore". */
const fake = vi.hoisted(() => ({ boxes: [] as { message: string; buttons: string[] }[], answer: 0 }));
vi.mock('electron', () => ({
  dialog: {
    showMessageBox: (options: { message: string; buttons: string[] }) => {
      fake.boxes.push(options);
      return Promise.resolve({ response: fake.answer, checkboxChecked: false });
    },
    showErrorBox: () => undefined,
  },
}));
const { openCoreOrRecover } = await import('../../../main/app/recovery');

afterEach(() => Object.assign(fake, { boxes: [] }));

/** A ward PC's data folder with an administrator, a device and a backup of them. */
async function wardWithBackup() {
  const dir = tempDir();
  const core = openCore({ dataDir: dir });
  const backend = createBackend(core);
  const admin = newSession();
  expect(await backend.invoke(admin, 'auth.setupFirstAdmin', { name: 'Ada Admin', password: 'correct horse battery' })).toMatchObject({ ok: true });
  await backupToFolder(core, 'manual');
  core.close();
  return path.join(dir, 'wardkeep.sqlite3');
}

/**
 * Issue 13, item 5: a database file cut to nothing, one with no Wardkeep tables, or no file at all
 * in a folder that holds backups, is damage: never a new install, where the next person to walk
 * up would become the administrator.
 */
describe('an emptied or missing database (item 5)', () => {
  it('is damage to wardkeep verify, which never creates a database', async () => {
    const file = await wardWithBackup();
    truncateSync(file, 0);
    const empty = await cli(['--data-dir', path.dirname(file), 'verify']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/empty \(0 bytes\)/);
    expect(statSync(file).size).toBe(0);

    const none = tempDir();
    expect((await cli(['--data-dir', none, 'verify'])).code).toBe(1);
    expect(existsSync(path.join(none, 'wardkeep.sqlite3'))).toBe(false);
  });

  it('is damage to a file with no Wardkeep tables, and to a folder of backups without its database', async () => {
    const file = await wardWithBackup();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    const blank = new BetterSqlite3(file);
    blank.exec('CREATE TABLE notes (x)');
    blank.exec('DROP TABLE notes');
    blank.close();
    const res = await cli(['--data-dir', path.dirname(file), 'verify']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/holds no Wardkeep data/);

    rmSync(file);
    writeFileSync(path.join(path.dirname(file), 'devices.csv'), 'asset_tag,name,location\nX-1,Pump,Ward\n');
    const imported = await cli(['--data-dir', path.dirname(file), 'import', 'equipment', path.join(path.dirname(file), 'devices.csv')]);
    expect(imported.code).toBe(1);
    expect(imported.stderr).toMatch(/There is no database in .*, but the folder holds 1 backup of one/);
    expect(existsSync(file)).toBe(false);
  });

  it('makes the app say the database is damaged and offer the newest good backup, never start empty', async () => {
    const file = await wardWithBackup();
    truncateSync(file, 0);
    const core = await openCoreOrRecover({ dataDir: path.dirname(file) });
    expect(fake.boxes[0]?.message).toMatch(/The database on this PC is damaged\. Restore the newest good backup/);
    expect(core).not.toBeNull();
    // The administrator is back: no first-run screen for whoever walks up next.
    expect(core!.db.prepare('SELECT name FROM users').pluck().all()).toEqual(['Ada Admin']);
    core!.close();

    const gone = await wardWithBackup();
    rmSync(gone);
    const again = await openCoreOrRecover({ dataDir: path.dirname(gone) });
    expect(fake.boxes.at(-1)?.message).toMatch(/damaged/);
    expect(again!.db.prepare('SELECT count(*) FROM users').pluck().get()).toBe(1);
    again!.close();
  });
});
