import { writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../main/core/audit';
import { DB_FILE, openDatabase } from '../../../main/core/db/open';
import { tempDir } from '../../helpers/core';
import { exited, spawnTs } from './child';
import { integrityOk } from './helpers';

/** The CLI from the sources, as a process of its own (the built binary is tested in test/e2e/cli.e2e.test.ts). */
const CLI = 'test/integration/safety/children/cli.ts';

function csv(prefix: string, rows: number): string {
  return ['asset_tag,name,location,serial', ...Array.from({ length: rows }, (_, i) => `${prefix}-${i},Infusion pump ${i},Site > Ward ${prefix},S${i}`)].join('\n');
}

describe('two command-line processes writing at once', () => {
  it('two imports and two backups run side by side as real processes: all succeed, nothing is corrupted', async () => {
    const dir = tempDir();
    openDatabase({ dataDir: dir }).db.close();
    const files = ['A', 'B'].map((p) => {
      const f = path.join(dir, `${p}.csv`);
      writeFileSync(f, csv(p, 1500));
      return f;
    });
    const children = [
      spawnTs(CLI, ['--data-dir', dir, 'import', 'equipment', files[0]!]),
      spawnTs(CLI, ['--data-dir', dir, 'import', 'equipment', files[1]!]),
      spawnTs(CLI, ['--data-dir', dir, 'backup', path.join(dir, 'one.sqlite3')]),
      spawnTs(CLI, ['--data-dir', dir, 'backup', path.join(dir, 'two.sqlite3')]),
    ];
    const results = await Promise.all(children.map(exited));
    expect(results.map((r) => r.code), children.map((c) => c.stderrText()).join('\n')).toEqual([0, 0, 0, 0]);

    const db = new BetterSqlite3(path.join(dir, DB_FILE), { readonly: true });
    expect(integrityOk(db)).toBe(true);
    expect(verifyAuditChain(db)).toMatchObject({ ok: true });
    expect(db.prepare('SELECT count(*) AS n FROM equipment').get()).toEqual({ n: 3000 });
    // One site, created once though both files name it.
    expect(db.prepare("SELECT count(*) AS n FROM locations WHERE name = 'Site'").get()).toEqual({ n: 1 });
    db.close();
    for (const b of ['one.sqlite3', 'two.sqlite3']) {
      const copy = new BetterSqlite3(path.join(dir, b), { readonly: true });
      expect(integrityOk(copy)).toBe(true);
      expect(verifyAuditChain(copy)).toMatchObject({ ok: true });
      // Each backup is one moment: 0, 1500 or 3000 devices, never a part of an import.
      expect([0, 1500, 3000]).toContain((copy.prepare('SELECT count(*) AS n FROM equipment').get() as { n: number }).n);
      copy.close();
    }
  }, 120_000);
});
