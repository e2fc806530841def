import { describe, expect, inject, it } from 'vitest';
import { runCli } from '../../../main/cli';
import { openCore } from '../../../main/core/open-core';
import { startHub } from '../../../main/hub/server';
import { createDatabase } from '../../helpers/pg';
import { tempDir } from '../../helpers/core';
import { device } from '../plans/fixtures';

async function cli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {}, cwd: process.cwd() });
  return { code, stdout, stderr };
}

describe('wardkeep hub and wardkeep sync', () => {
  it('enrol a PC with a printed code, sync it once, and report its status as JSON', async () => {
    const db = await createDatabase(inject('pgBaseUrl'));
    const hub = await startHub({ databaseUrl: db.url, host: '127.0.0.1', port: 0, tlsDir: null, log: () => undefined });
    try {
      const made = await cli(['hub', 'enrol-code', '--database', db.url, '--name', 'Ward 4B']);
      expect(made.code).toBe(0);
      const code = /: ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(made.stdout)![1]!;
      expect(made.stdout).toContain(hub.tls.fingerprint);
      expect((await cli(['hub', 'enrol-code', '--database', db.url, '--name', 'Ward 4B'])).code).toBe(0);

      const dir = tempDir();
      const seed = openCore({ dataDir: dir });
      device(seed, 'DF-0100');
      seed.close();
      const before = await cli(['--data-dir', dir, 'sync', 'status', '--format', 'json']);
      expect(JSON.parse(before.stdout)).toMatchObject({
        hub: null,
        state: 'not_enrolled',
        pending_out: 0,
        conflicts: 0,
        clock_offset_ms: null,
        last_sync_at: null,
      });

      const enrolled = await cli(['--data-dir', dir, 'sync', 'enrol', '--hub', hub.url, '--code', code]);
      expect(enrolled).toMatchObject({ code: 0, stderr: '' });
      expect(enrolled.stdout).toContain(`as "Ward 4B"`);
      const again = await cli(['--data-dir', tempDir(), 'sync', 'enrol', '--hub', hub.url, '--code', code]);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/already used/);

      const pending = JSON.parse((await cli(['--data-dir', dir, 'sync', 'status', '--format', 'json'])).stdout) as Record<string, unknown>;
      expect(pending).toMatchObject({ hub: hub.url, pc_name: 'Ward 4B', state: 'joining', hub_fingerprint: hub.tls.fingerprint });
      expect(pending.pending_out).toBeGreaterThan(0);

      const once = await cli(['--data-dir', dir, 'sync', '--once']);
      expect(once.code).toBe(0);
      expect(once.stdout).toMatch(/Synced: sent \d+ changes, received \d+\./);
      const after = JSON.parse((await cli(['--data-dir', dir, 'sync', 'status', '--format', 'json'])).stdout) as Record<string, unknown>;
      expect(after).toMatchObject({ state: 'synced', pending_out: 0, conflicts: 0, clashes: 0, quarantined: 0, clock_warning: null });
      expect(typeof after.last_sync_at).toBe('string');
      expect(Math.abs(after.clock_offset_ms as number)).toBeLessThan(5_000);
      const table = await cli(['--data-dir', dir, 'sync', 'status']);
      expect(table.stdout).toMatch(/^Hub +https:\/\/127\.0\.0\.1:\d+ \(as "Ward 4B"\)$/m);

      expect((await cli(['hub', 'revoke', '--database', db.url, '--pc', 'Nowhere'])).code).toBe(1);
      expect((await cli(['hub', 'revoke', '--database', db.url, '--pc', 'Ward 4B'])).code).toBe(0);
      const refused = await cli(['--data-dir', dir, 'sync', '--once']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/revoked at the hub/);
      expect(JSON.parse((await cli(['--data-dir', dir, 'sync', 'status', '--format', 'json'])).stdout)).toMatchObject({ state: 'revoked' });
    } finally {
      await hub.close();
      await db.drop();
    }
  });

  it('says in one sentence when the hub cannot be reached (exit 3), and what a bad flag is (exit 2)', async () => {
    const dir = tempDir();
    openCore({ dataDir: dir }).close();
    const notEnrolled = await cli(['--data-dir', dir, 'sync', '--once']);
    expect(notEnrolled).toMatchObject({ code: 1 });
    expect(notEnrolled.stderr).toMatch(/not in a hub/);
    const unreachable = await cli(['--data-dir', dir, 'sync', 'enrol', '--hub', 'https://127.0.0.1:1', '--code', 'AAAA-BBBB-CCCC-DDDD']);
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toMatch(/^The hub at https:\/\/127\.0\.0\.1:1 cannot be reached: nothing answers at that address/);
    expect((await cli(['--data-dir', dir, 'sync', 'enrol', '--hub', 'https://127.0.0.1:1', '--code', 'short'])).stderr).toMatch(
      /16 letters and digits/,
    );
    expect((await cli(['--data-dir', dir, 'sync', '--interval', 'soon'])).code).toBe(2);
    expect((await cli(['--data-dir', dir, 'sync', 'status', '--format', 'xml'])).code).toBe(2);
    expect((await cli(['hub', 'serve', '--database', 'mysql://x'])).code).toBe(2);
    expect((await cli(['hub', 'serve', '--database', 'postgres://x@127.0.0.1/x', '--listen', 'everywhere'])).code).toBe(2);
    const noDb = await cli(['hub', 'enrol-code', '--database', 'postgres://wardkeep@127.0.0.1:1/none', '--name', 'X']);
    expect(noDb.code).toBe(1);
    expect(noDb.stderr).toMatch(/cannot be used: nothing answers at that address/);
  });
});
