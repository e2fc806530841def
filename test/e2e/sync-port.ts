import type { Backend } from '../../main/core/backend';
import type { SyncPort } from '../../main/core/ports';
import type { SyncReport } from '../../main/core/sync/engine';
import { SyncClient, transportFor } from '../../main/core/sync/engine';
import type { HttpsTransport } from '../../main/core/sync/transport';

/**
 * The app's background sync, run in the test's process and on demand: the app runs the same
 * SyncClient in a worker thread every few seconds (main/core/sync/background.ts); here a test says when
 * "one sync" happens, so "within one sync" is exact. As in the app, rows that arrive make every
 * open screen re-read (data.changed, channel 'sync').
 */
export function onDemandSync() {
  let backend: Backend | null = null;
  let client: SyncClient | null = null;
  let transport: HttpsTransport | null = null;
  let running: Promise<unknown> = Promise.resolve();

  const connect = (): SyncClient => {
    if (!backend) throw new Error('Attach the app first.');
    if (!client) {
      const b = backend;
      transport = transportFor(b.core);
      client = new SyncClient(b.core, transport);
      client.onEvent((e) => {
        if (e.kind === 'pulled' && e.applied > 0) b.emit('data.changed', { channel: 'sync' });
      });
    }
    return client;
  };

  const port: SyncPort = {
    // Joining: the first sync downloads the hospital, as the app's worker does at once.
    start() {
      const c = connect();
      running = c.syncOnce().then(() => backend?.emit('data.changed', { channel: 'sync' }));
      running.catch(() => undefined);
    },
    async stop() {
      await running.catch(() => undefined);
      transport?.close();
      transport = null;
      client = null;
    },
  };

  return {
    port,
    attach(b: Backend) {
      backend = b;
    },
    /** Waits for the sync that joining started. */
    settled: () => running,
    /** One sync: send what waits, receive what the hub has. */
    async once(): Promise<SyncReport> {
      await running.catch(() => undefined);
      const report = connect().syncOnce();
      running = report;
      return report;
    },
  };
}
