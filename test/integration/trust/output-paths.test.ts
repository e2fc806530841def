import { createHash } from 'node:crypto';
import { existsSync, linkSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { backupToFolder } from '../../../main/core/backup/folder';
import { openCore } from '../../../main/core/open-core';
import { tempDir } from '../../helpers/core';
import { cli } from './helpers';

const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A data folder with a database and a backup in it, closed (so the file holds everything). */
async function folder() {
  const dir = tempDir();
  const core = openCore({ dataDir: dir });
  const backup = (await backupToFolder(core, 'manual')).file;
  core.close();
  return { dir, db: path.join(dir, 'wardkeep.sqlite3'), backup };
}

/**
 * Issue 13, item 6: `--out` and the other places a person names a file can never destroy the
 * database, its -wal/-shm, a backup or the anchors, through a symbolic or a hard link either.
 */
describe('output paths (item 6)', () => {
  it('refuses to write an export or a due list over the database, a backup, or a link to either', async () => {
    const { dir, db, backup } = await folder();
    const before = { db: digest(db), backup: digest(backup) };
    const elsewhere = tempDir();
    symlinkSync(db, path.join(elsewhere, 'inventory.csv'));
    linkSync(backup, path.join(elsewhere, 'hard.csv'));
    for (const [command, target] of [
      [['export', 'equipment'], db],
      [['export', 'equipment'], path.join(elsewhere, 'inventory.csv')],
      [['due'], backup],
      [['due', '--format', 'csv'], path.join(elsewhere, 'hard.csv')],
      [['export', 'equipment'], path.join(dir, 'audit-heads.log')],
    ] as const) {
      const res = await cli(['--data-dir', dir, ...command, '--out', target]);
      expect(res.code, `${command.join(' ')} --out ${target}`).toBe(1);
      expect(res.stderr).toMatch(/Wardkeep will not write over it/);
    }
    expect({ db: digest(db), backup: digest(backup) }).toEqual(before);
    const verified = await cli(['--data-dir', dir, 'verify']);
    expect(verified.code, verified.stderr).toBe(0);
    // Where a check records the last verified position, in its key's own file, and the one file an
    // older Wardkeep kept: refused whether written yet or not.
    const key = readdirSync(path.join(dir, 'audit-keys')).find((n) => n.endsWith('.json'))!.replace(/\.json$/, '');
    for (const target of [path.join(dir, `audit-verified-${key}.json`), path.join(dir, 'audit-verified.json')]) {
      const res = await cli(['--data-dir', dir, 'export', 'equipment', '--out', target]);
      expect(res.code, target).toBe(1);
      expect(res.stderr).toMatch(/last verified position.*Wardkeep will not write over it/);
    }

    const backupOver = await cli(['--data-dir', dir, 'backup', path.join(elsewhere, 'inventory.csv')]);
    expect(backupOver.code).toBe(1);
    expect(digest(db)).toBe(before.db);
  });

  /**
   * The database's -wal holds the writes not yet folded into the file, and its -shm the index of
   * them: written over, committed work is lost or the database is damaged. Refused whether they are
   * there (the app is running: its connection stays open meanwhile) or not (nothing is open).
   */
  it("refuses to write an export or a due list over the database's -wal or -shm, or a link to one", async () => {
    const { dir, db } = await folder();
    const elsewhere = tempDir();
    const targets = (note: string) =>
      [
        [['export', 'equipment'], `${db}-wal`],
        [['due', '--format', 'csv'], `${db}-shm`],
        [['export', 'equipment'], path.join(elsewhere, `wal-${note}.csv`)],
        [['due'], path.join(elsewhere, `shm-${note}.csv`)],
      ] as const;
    const attempt = async (note: string) => {
      symlinkSync(`${db}-wal`, path.join(elsewhere, `wal-${note}.csv`));
      symlinkSync(`${db}-shm`, path.join(elsewhere, `shm-${note}.csv`));
      for (const [command, target] of targets(note)) {
        const res = await cli(['--data-dir', dir, ...command, '--out', target]);
        expect(res.code, `${note}: ${command.join(' ')} --out ${target}`).toBe(1);
        expect(res.stderr).toMatch(/is the database's -(wal|shm) file: Wardkeep will not write over it/);
      }
    };

    // Nothing open: no -wal or -shm, and none is made.
    await attempt('closed');
    expect(existsSync(`${db}-wal`)).toBe(false);
    expect(existsSync(`${db}-shm`)).toBe(false);

    // The app running: its connection holds a write in the -wal, not yet in the file.
    const core = openCore({ dataDir: dir });
    core.db.pragma('wal_autocheckpoint = 0');
    core.db.prepare("INSERT INTO meta (key, value) VALUES ('output-paths-test', 'in the wal')").run();
    expect(existsSync(`${db}-wal`)).toBe(true);
    const wal = digest(`${db}-wal`);
    await attempt('open');
    expect(digest(`${db}-wal`)).toBe(wal);
    expect(readFileSync(`${db}-wal`).subarray(0, 4).toString('hex')).toMatch(/^377f068[23]$/); // still a WAL file
    core.close();
    const check = new BetterSqlite3(db, { readonly: true });
    expect(check.prepare("SELECT value FROM meta WHERE key = 'output-paths-test'").pluck().get()).toBe('in the wal');
    check.close();
  });

  it('writes an output beside its target and renames it into place, leaving nothing else behind', async () => {
    const { dir } = await folder();
    const out = path.join(tempDir(), 'due.csv');
    writeFileSync(out, 'yesterday\n');
    expect((await cli(['--data-dir', dir, 'due', '--format', 'csv', '--out', out])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^\uFEFFasset_tag,/); // a CSV file carries the byte order mark Excel needs
    expect(readdirSync(path.dirname(out))).toEqual(['due.csv']);
    expect(existsSync(`${out}.tmp`)).toBe(false);
  });
});
