import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, inject, it } from 'vitest';
import { DB_FILE } from '../../../main/core/db/open';
import { openCore } from '../../../main/core/open-core';
import { createDatabase } from '../../helpers/pg';
import { tempDir } from '../../helpers/core';
import { exited, spawnTs, waitFor } from '../safety/child';
import { device, done, plan } from '../plans/fixtures';

/**
 * Processes, not functions: the real `wardkeep hub serve`, and `wardkeep sync` on three data
 * folders, as a hospital runs them. One PC fails a defibrillator's safety test while the hub is
 * down, catches up when it is back, and the device is out of service on the other two.
 */

/** The `wardkeep` command from the sources (main/cli/main.ts's twin, with the worker loaded from its TypeScript). */
const CLI = 'test/integration/safety/children/cli.ts';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** A child's exit, or a sentence naming what did not end (a hang fails here, not at the test's timeout). */
async function ended(child: ReturnType<typeof spawnTs>, what: string, ms = 45_000): Promise<{ code: number | null }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what} did not end within ${ms / 1000} s. Its output: ${child.lines.join(' | ')} ${child.stderrText()}`));
    }, ms);
  });
  try {
    return await Promise.race([exited(child), late]);
  } finally {
    clearTimeout(timer);
  }
}

async function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawnTs(CLI, args);
  const { code } = await ended(child, `wardkeep ${args.filter((a) => !a.startsWith('postgres://')).join(' ')}`);
  return { code, out: child.lines.join('\n'), err: child.stderrText() };
}

function statusOf(dir: string, id: string): string | undefined {
  const db = new BetterSqlite3(path.join(dir, DB_FILE), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT status FROM equipment WHERE id = ?').pluck().get(id) as string | undefined;
  } finally {
    db.close();
  }
}

describe('a hub and three ward PCs as processes', () => {
  it('tag a device out on every PC after one PC fails its safety test offline and reconnects', async () => {
    const db = await createDatabase(inject('pgBaseUrl'));
    const port = await freePort();
    const listen = `127.0.0.1:${port}`;
    const children: ChildProcess[] = [];
    const serve = () => {
      const hub = spawnTs(CLI, ['hub', 'serve', '--database', db.url, '--listen', listen, '--tls-dir', tempDir()]);
      children.push(hub);
      return hub;
    };
    try {
      let hub = serve();
      await waitFor(() => hub.lines.some((l) => l.startsWith('Wardkeep hub listening on')), 30_000, 'the hub to listen', hub);
      const url = `https://${listen}`;
      const [a, b, c] = [tempDir(), tempDir(), tempDir()];
      // Ward 4B's PC holds the defibrillator and its yearly safety test.
      const seed = openCore({ dataDir: a });
      const id = device(seed, 'DF-0002', { name: 'Defibrillator' });
      const safety = plan(seed, id, 'electrical_safety', '1y', '2025-01-01').id;
      seed.close();
      for (const [dir, name] of [
        [a, 'Ward 4B'],
        [b, 'Emergency'],
        [c, 'Theatres'],
      ] as const) {
        const made = await run(['hub', 'enrol-code', '--database', db.url, '--name', name]);
        const code = /: ([0-9A-Z-]{19})\n/.exec(made.out + '\n')![1]!;
        const joined = await run(['--data-dir', dir, 'sync', 'enrol', '--hub', url, '--code', code]);
        expect(joined.code, joined.err).toBe(0);
      }
      for (const dir of [a, b, c]) expect((await run(['--data-dir', dir, 'sync', '--once'])).code).toBe(0);
      expect(statusOf(b, id)).toBe('in_service');

      // Emergency and Theatres keep syncing in the background.
      const watchers = [b, c].map((dir) => {
        const w = spawnTs(CLI, ['--data-dir', dir, 'sync', '--interval', '1']);
        children.push(w);
        return w;
      });
      await waitFor(() => watchers.every((w) => w.lines.some((l) => l.startsWith('Syncing with'))), 30_000, 'the PCs to sync');

      // The hub goes down; on Ward 4B the defibrillator fails its safety test meanwhile.
      hub.kill('SIGTERM');
      expect((await ended(hub, 'the hub, asked to stop')).code).toBe(0);
      const offline = openCore({ dataDir: a });
      done(offline, safety, new Date(Date.now() - 60_000).toISOString(), 'fail');
      offline.close();
      const cutOff = await run(['--data-dir', a, 'sync', '--once']);
      expect(cutOff.code).toBe(3);
      expect(cutOff.err).toMatch(/cannot be reached/);

      // The hub comes back (same database, same certificate, same address); Ward 4B reconnects.
      hub = serve();
      await waitFor(() => hub.lines.some((l) => l.startsWith('Wardkeep hub listening on')), 30_000, 'the hub to listen again', hub);
      const back = await run(['--data-dir', a, 'sync', '--once']);
      expect(back.code, back.err).toBe(0);
      await waitFor(
        () => statusOf(b, id) === 'out_of_service' && statusOf(c, id) === 'out_of_service',
        20_000,
        'the other PCs to tag the device out',
      );

      for (const w of watchers) w.kill('SIGTERM');
      for (const w of watchers) expect((await ended(w, 'a background sync, asked to stop')).code).toBe(0);
      hub.kill('SIGTERM');
      expect((await ended(hub, 'the hub, asked to stop')).code).toBe(0);
    } finally {
      for (const ch of children) if (ch.exitCode === null && ch.signalCode === null) ch.kill('SIGKILL');
      await db.drop();
    }
  }, 240_000);
});
