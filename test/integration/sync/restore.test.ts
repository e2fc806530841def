import { copyFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli';
import { verifyAuditChain } from '../../../main/core/audit';
import { createBackup } from '../../../main/core/backup/create';
import { restoreBackup } from '../../../main/core/backup/restore';
import { openCore } from '../../../main/core/open-core';
import { SyncClient } from '../../../main/core/sync/engine';
import { tempDir, testActor } from '../../helpers/core';
import { device } from '../plans/fixtures';
import { directTransport, testHub, testPc } from './harness';

const tags = (core: { db: import('better-sqlite3').Database }) =>
  core.db.prepare('SELECT asset_tag FROM equipment ORDER BY asset_tag').pluck().all();

describe('a PC put back from an old backup', () => {
  it("through Wardkeep's restore: starts a new branch of its chain, gets back what it had sent since, sends nothing twice", async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    device(a.core, 'DF-1');
    await a.sync();
    const backup = path.join(tempDir(), 'old.sqlite3');
    device(a.core, 'DF-2'); // made before the backup, not yet sent
    await createBackup(a.core, backup);
    await a.sync();
    device(a.core, 'DF-3'); // made and sent after the backup
    await a.sync();
    const received = async () => (await hub.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM hub_received')).rows[0]!.n;
    const before = await received();

    await restoreBackup(a.core, testActor, backup, { safetyBackupFile: path.join(tempDir(), 'safety.sqlite3') });
    expect(tags(a.core)).toEqual(['DF-1', 'DF-2']);
    device(a.core, 'DF-4');
    const report = await a.sync();
    expect(tags(a.core)).toEqual(['DF-1', 'DF-2', 'DF-3', 'DF-4']);
    // DF-2 was at the hub already: only the restore's own entry and DF-4 went.
    expect(await received()).toBe(before + report.pushed);
    expect(report.quarantined).toBe(0);
    expect(verifyAuditChain(a.core.db)).toMatchObject({ ok: true });
    const chains = a.core.db.prepare('SELECT count(DISTINCT chain_id) FROM audit_log').pluck().get();
    expect(chains).toBe(2);
    let out = '';
    const code = await runCli(['--data-dir', a.core.dataDir, 'verify'], { stdout: (t) => (out += t), stderr: (t) => (out += t), env: {}, cwd: process.cwd() });
    expect(code).toBe(0);
    expect(out).toMatch(/Audit trail: \d+ entries, 2 chains, every chain intact/);
    const equipment = await hub.pool.query<{ asset_tag: string }>('SELECT asset_tag FROM equipment ORDER BY asset_tag');
    expect(equipment.rows.map((r) => r.asset_tag)).toEqual(['DF-1', 'DF-2', 'DF-3', 'DF-4']);
    expect((await hub.pool.query('SELECT 1 FROM hub_quarantine')).rowCount).toBe(0);
  });

  it('copied back over the database by hand: found, what it wrote since becomes a new history, nothing lost', async () => {
    const hub = await testHub();
    const dir = tempDir();
    const first = await testPc(hub, 'Ward 4B', { core: openCore({ dataDir: dir }) });
    device(first.core, 'DF-1');
    await first.sync();
    const copy = path.join(tempDir(), 'copy.sqlite3');
    await createBackup(first.core, copy);
    device(first.core, 'DF-2');
    await first.sync();
    first.core.close();
    // IT copies the old file back while Wardkeep is closed.
    for (const suffix of ['-wal', '-shm']) rmSync(path.join(dir, `wardkeep.sqlite3${suffix}`), { force: true });
    copyFileSync(copy, path.join(dir, 'wardkeep.sqlite3'));

    const core = openCore({ dataDir: dir });
    try {
      device(core, 'DF-9'); // written on the old copy before it next syncs
      const client = new SyncClient(core, directTransport(hub, core));
      const report = await client.syncOnce();
      expect(report.quarantined).toBe(0);
      expect(tags(core)).toEqual(['DF-1', 'DF-2', 'DF-9']);
      expect(verifyAuditChain(core.db)).toMatchObject({ ok: true });
      const atHub = await hub.pool.query<{ asset_tag: string }>('SELECT asset_tag FROM equipment ORDER BY asset_tag');
      expect(atHub.rows.map((r) => r.asset_tag)).toEqual(['DF-1', 'DF-2', 'DF-9']);
      // The hub's chains: the PC's first history in full, and its new one branching from it.
      const heads = await hub.pool.query<{ chain_id: string }>('SELECT chain_id FROM hub_audit_heads');
      expect(heads.rowCount).toBe(2);
      const other = await testPc(hub, 'Emergency');
      await other.sync();
      expect(verifyAuditChain(other.core.db)).toMatchObject({ ok: true });
      expect(tags(other.core)).toEqual(['DF-1', 'DF-2', 'DF-9']);
    } finally {
      core.close();
    }
  });
});
