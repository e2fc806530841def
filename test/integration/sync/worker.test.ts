import { describe, expect, inject, it } from 'vitest';
import { backgroundSync } from '../../../main/core/sync/background';
import { enrolPc, SyncClient, transportFor } from '../../../main/core/sync/engine';
import type { SyncWorkerEvent } from '../../../main/core/worker/jobs';
import { createEnrolCode } from '../../../main/hub/pcs';
import { startHub } from '../../../main/hub/server';
import { createDatabase } from '../../helpers/pg';
import { testCore } from '../../helpers/core';
import { waitFor } from '../safety/child';
import { device } from '../plans/fixtures';

describe("the app's background sync", () => {
  it("runs in the 'sync' worker thread: sends what the window writes within seconds, and says when rows arrive", async () => {
    const db = await createDatabase(inject('pgBaseUrl'));
    const hub = await startHub({ databaseUrl: db.url, host: '127.0.0.1', port: 0, tlsDir: null, log: () => undefined });
    const app = testCore();
    const other = testCore();
    const events: SyncWorkerEvent[] = [];
    const logged: string[] = [];
    const sync = backgroundSync(app, { intervalMs: 1000, onEvent: (e) => events.push(e), log: (line) => logged.push(line) });
    try {
      sync.start();
      expect(sync.running()).toBe(false); // no hub yet: nothing to do
      await enrolPc(app, hub.url, (await createEnrolCode(hub.pool, 'Ward 4B')).code);
      await enrolPc(other, hub.url, (await createEnrolCode(hub.pool, 'Emergency')).code);
      sync.start();
      expect(sync.running()).toBe(true);
      device(app, 'DF-1');
      const atHub = async () => (await hub.pool.query<{ asset_tag: string }>('SELECT asset_tag FROM equipment')).rows.map((r) => r.asset_tag);
      const deadline = Date.now() + 20_000;
      while (!(await atHub()).includes('DF-1')) {
        if (Date.now() > deadline) throw new Error(`The worker did not send the change: ${JSON.stringify({ events, logged })}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      device(other, 'DF-2');
      const client = new SyncClient(other, transportFor(other));
      await client.syncOnce();
      await waitFor(() => app.db.prepare("SELECT 1 FROM equipment WHERE asset_tag = 'DF-2'").get() !== undefined, 20_000, 'DF-2 to arrive');
      await waitFor(() => events.some((e) => e.type === 'applied'), 5_000, 'the worker to say rows arrived');
      const ended = sync.ended();
      await sync.stop();
      expect(sync.running()).toBe(false);
      expect(await ended).toBe('asked');
      expect(logged).toEqual([]);
    } finally {
      await sync.stop();
      await hub.close();
      await db.drop();
    }
  }, 60_000);
});
