import BetterSqlite3 from 'better-sqlite3';
import { expect } from 'vitest';
import { verifyAuditChain } from '../../../main/core/audit';
import { DB_FILE, openDatabase } from '../../../main/core/db/open';
import { exited, sleep, spawnTs, waitFor } from './child';
import { integrityOk } from './helpers';
import path from 'node:path';

/**
 * The power-loss loop: a child records devices through the real backend and reports each after
 * its commit; it is SIGKILLed at a random moment; the database is reopened (recovering its
 * write-ahead log) and must pass its integrity check, its audit chain must verify, and every
 * reported device must be there. Returns how many records were reported in all.
 */
export async function killLoop(dataDir: string, kills: number, random: () => number = Math.random): Promise<number> {
  openDatabase({ dataDir }).db.close();
  const reported: string[] = [];
  for (let run = 1; run <= kills; run++) {
    const child = spawnTs('test/integration/safety/children/writer.ts', [dataDir, String(run)]);
    await waitFor(() => child.lines.includes('ready') || child.exitCode !== null, 30_000, 'the writer to start', child);
    // Kill at a random moment: sometimes before the first commit, usually in a stream of them.
    await sleep(Math.floor(random() * 120));
    child.kill('SIGKILL');
    const { signal } = await exited(child);
    expect(signal, child.stderrText()).toBe('SIGKILL');
    reported.push(...child.lines.filter((l) => /^K\d+-\d+$/.test(l)));

    const db = new BetterSqlite3(path.join(dataDir, DB_FILE));
    try {
      expect(integrityOk(db), `integrity after kill ${run}`).toBe(true);
      expect(verifyAuditChain(db), `audit chain after kill ${run}`).toMatchObject({ ok: true });
      const present = new Set((db.prepare('SELECT asset_tag FROM equipment').all() as { asset_tag: string }[]).map((r) => r.asset_tag));
      const missing = reported.filter((t) => !present.has(t));
      expect(missing, `reported but missing after kill ${run}`).toEqual([]);
      // Each device came with its audit entry, in the same transaction.
      const unaudited = db
        .prepare("SELECT count(*) AS n FROM equipment e WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'equipment' AND a.entity_id = e.id)")
        .get() as { n: number };
      expect(unaudited.n).toBe(0);
    } finally {
      db.close();
    }
  }
  return reported.length;
}
