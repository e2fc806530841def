import { describe, expect, it } from 'vitest';
import { fullHealth } from '../../../main/core/health';
import { checkPermanentRows } from '../../../main/core/permanent/check';
import { cli, tamperedCopy } from '../trust/helpers';
import { device, done, plan } from '../plans/fixtures';
import { testHub, testPc } from './harness';

/**
 * The trust issue's guarantee holds across a hub: a record signed on one PC arrives on another
 * bound to its audit entry (the entry comes with it, in the first PC's chain), so `wardkeep verify`
 * there is healthy, and a synced record changed on disk afterwards is found like a local one.
 */
describe('verify after a sync', () => {
  it('is healthy on every PC, and still finds a synced record changed on disk', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    const id = device(a.core, 'DF-0001', { name: 'Defibrillator' });
    const p = plan(a.core, id, 'electrical_safety', '1y', '2025-01-01');
    await a.sync();
    await b.sync();
    const record = done(b.core, p.id, '2025-03-01T10:00:00Z', 'fail');
    await b.sync();
    await a.sync();
    expect(a.core.db.prepare('SELECT outcome, pc_id FROM completions WHERE id = ?').get(record.id)).toEqual({ outcome: 'fail', pc_id: b.core.pcId });

    for (const pc of [a, b]) {
      const health = await fullHealth(pc.core.db);
      expect(health.problems).toEqual([]);
      // Both PCs' chains are held and verified on each.
      expect(health.audit.chains).toBe(2);
      expect(checkPermanentRows(pc.core.db)).toMatchObject({ ok: true });
    }
    const verified = await cli(['--data-dir', a.core.dataDir, 'verify']);
    expect(verified.stderr).toBe('');
    expect(verified.code).toBe(0);

    // Someone turns B's failed safety test into a pass in A's file: verify on that file names it.
    a.core.db.pragma('wal_checkpoint(TRUNCATE)');
    const copy = tamperedCopy(a.core.file, (db) => db.prepare("UPDATE completions SET outcome = 'pass' WHERE id = ?").run(record.id));
    const tampered = await cli(['--data-dir', copy, 'verify']);
    expect(tampered.code).not.toBe(0);
    expect(tampered.stdout + tampered.stderr).toContain(`Records: Completion ${record.id} was changed outside Wardkeep: outcome is "pass" in the database, but audit entry`);
    expect(tampered.stdout + tampered.stderr).toContain('recorded "fail"');
  }, 60_000);
});
