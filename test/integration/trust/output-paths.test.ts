import { createHash } from 'node:crypto';
import { existsSync, linkSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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

    const backupOver = await cli(['--data-dir', dir, 'backup', path.join(elsewhere, 'inventory.csv')]);
    expect(backupOver.code).toBe(1);
    expect(digest(db)).toBe(before.db);
  });

  it('writes an output beside its target and renames it into place, leaving nothing else behind', async () => {
    const { dir } = await folder();
    const out = path.join(tempDir(), 'due.csv');
    writeFileSync(out, 'yesterday\n');
    expect((await cli(['--data-dir', dir, 'due', '--format', 'csv', '--out', out])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^asset_tag,/);
    expect(readdirSync(path.dirname(out))).toEqual(['due.csv']);
    expect(existsSync(`${out}.tmp`)).toBe(false);
  });
});
