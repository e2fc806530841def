import { afterAll } from 'vitest';
import { inject } from 'vitest';
import type { Clock } from '../../../main/core/clock';
import type { Core } from '../../../main/core/context';
import { enrolPc, SyncClient } from '../../../main/core/sync/engine';
import { signRequest } from '../../../main/core/sync/signing';
import { getState } from '../../../main/core/sync/state';
import type { Transport } from '../../../main/core/sync/transport';
import { HubRequestError } from '../../../main/core/sync/transport';
import { createEnrolCode } from '../../../main/hub/pcs';
import type { HubContext } from '../../../main/hub/server';
import { dispatch, openHub, serialise } from '../../../main/hub/server';
import { createDatabase } from '../../helpers/pg';
import { testCore } from '../../helpers/core';
import { place } from '../plans/fixtures';

/** A hub on its own fresh PostgreSQL database, closed after the file's tests. */
export async function testHub(
  options: { databaseUrl?: string } = {},
): Promise<HubContext & { databaseUrl: string; close(): Promise<void> }> {
  let url = options.databaseUrl;
  let drop: (() => Promise<void>) | null = null;
  if (!url) {
    const db = await createDatabase(inject('pgBaseUrl'));
    url = db.url;
    drop = db.drop;
  }
  const hub = await openHub(url, null, 5, () => undefined);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await hub.pool.end();
    if (drop) await drop();
  };
  afterAll(close);
  return { ...hub, databaseUrl: url, close };
}

/** The hub without a network: the same dispatch the HTTPS server runs, requests signed the same way. */
export class DirectTransport implements Transport {
  constructor(
    private readonly hub: HubContext,
    private readonly identity: () => { pcId: string; privateKey: string } | null,
  ) {}

  async post(path: string, body: unknown): Promise<unknown> {
    const raw = Buffer.from(JSON.stringify(body));
    const id = this.identity();
    const headers = id ? signRequest(id.privateKey, 'POST', path, id.pcId, raw) : {};
    const { status, value } = await dispatch(this.hub, 'POST', path, headers, raw, (line) => {
      throw new Error(line);
    });
    const copy = JSON.parse(serialise(value)) as unknown;
    if (status >= 400) {
      const e = (copy as { error: { code: string; message: string } }).error;
      throw new HubRequestError('refused', e.message, e.code, status);
    }
    return copy;
  }
}

export function directTransport(hub: HubContext, core: Core): DirectTransport {
  return new DirectTransport(hub, () => {
    const key = getState(core, 'pc_key');
    return key ? { pcId: core.pcId, privateKey: key } : null;
  });
}

/** A PC (its own database and clock) enrolled at `hub` under `name`, with a sync client. */
export async function testPc(hub: HubContext, name: string, options: { clock?: Clock; core?: Core & { close(): void } } = {}) {
  let offset = 0;
  const clock: Clock = options.clock ?? { now: () => new Date(Date.now() + offset) };
  const core = options.core ?? testCore({ clock });
  const { code } = await createEnrolCode(hub.pool, name);
  await enrolPc(core, 'https://hub.invalid', code, {
    peek: async () => ({ fingerprint: hub.tls.fingerprint, pem: hub.tls.certPem }),
    transport: () => directTransport(hub, core),
  });
  const client = new SyncClient(core, directTransport(hub, core));
  return {
    core,
    client,
    sync: () => client.syncOnce(),
    /** Moves this PC's clock on (its next edit is then later than another PC's made just before). */
    clockAhead: (ms: number) => {
      offset += ms;
    },
  };
}

/**
 * Two ward PCs of one hub (Ward 4B, which holds the place General Hospital > Ward 4B, and
 * Emergency), both synced; `both()` syncs them so each has the other's changes.
 */
export async function twoWards() {
  const hub = await testHub();
  const a = await testPc(hub, 'Ward 4B');
  place(a.core, 'General Hospital > Ward 4B');
  await a.sync();
  const b = await testPc(hub, 'Emergency');
  await b.sync();
  const both = async () => {
    await a.sync();
    await b.sync();
    await a.sync();
  };
  return { a, b, both };
}
export type WardPc = Awaited<ReturnType<typeof twoWards>>['a'];
