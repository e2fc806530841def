import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../main/core/audit';
import { backupToFolder } from '../../../main/core/backup/folder';
import { DB_FILE } from '../../../main/core/db/open';
import { testBackend } from '../../helpers/core';
import { exited, sleep, spawnTs, waitFor } from './child';
import { integrityOk, seedEquipment } from './helpers';

describe('a restore killed at a random moment', () => {
  it('leaves the database as it was or as the backup, whole, never a mixture', async () => {
    const { core, backend, session } = testBackend('admin');
    await seedEquipment(backend, session, 400, 'A');
    const a = path.basename((await backupToFolder(core, 'manual')).file);
    await seedEquipment(backend, session, 600, 'B');
    const b = path.basename((await backupToFolder(core, 'manual')).file);
    core.close();

    let completed = 0;
    for (let kill = 1; kill <= 5; kill++) {
      const child = spawnTs('test/integration/safety/children/restorer.ts', [core.dataDir, a, b]);
      await waitFor(() => child.lines.includes('ready') || child.exitCode !== null, 30_000, 'the restorer to start', child);
      // A restore takes a few hundred milliseconds (it checks the backup, then copies under the write lock).
      await sleep(150 + Math.floor(Math.random() * 1000));
      child.kill('SIGKILL');
      expect((await exited(child)).signal, child.stderrText()).toBe('SIGKILL');
      completed += child.lines.filter((l) => l.endsWith('.sqlite3')).length;

      const db = new BetterSqlite3(path.join(core.dataDir, DB_FILE));
      try {
        expect(integrityOk(db)).toBe(true);
        expect(verifyAuditChain(db)).toMatchObject({ ok: true });
        const tags = (db.prepare("SELECT substr(asset_tag, 1, 1) AS p, count(*) AS n FROM equipment GROUP BY p ORDER BY p").all() as { p: string; n: number }[]);
        // Backup A: 400 A-devices; backup B (and the state before any restore): 400 A and 600 B.
        expect([JSON.stringify([{ p: 'A', n: 400 }]), JSON.stringify([{ p: 'A', n: 400 }, { p: 'B', n: 600 }])]).toContain(JSON.stringify(tags));
      } finally {
        db.close();
      }
    }
    // The kills fell in a stream of restores, not only before the first.
    expect(completed).toBeGreaterThan(0);
  }, 120_000);
});
