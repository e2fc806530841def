import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli';
import type { Core } from '../../../main/core/context';
import { SyncClient } from '../../../main/core/sync/engine';
import { syncStatus } from '../../../main/core/sync/status';
import type { Transport } from '../../../main/core/sync/transport';
import { HubRequestError } from '../../../main/core/sync/transport';
import type { SyncStatusView } from '../../../shared/contract/sync';
import { dateHint, formatDate, formatDateTime, formatDaysIn } from '../../../shared/date-format';
import type { DateWriter } from '../../../renderer/src/lib/settings';
import { statusLine } from '../../../renderer/src/lib/sync-words';
import { tempDir } from '../../helpers/core';
import { openCore } from '../../../main/core/open-core';
import { directTransport, testHub, testPc } from './harness';

/**
 * What a PC in a hub says about itself when its syncs fail (docs/sync.md, "The header"): in the
 * header's words (statusLine, the pure function the header renders) and in `wardkeep sync status`.
 * Every failure is recorded with a sentence; only a hub that cannot be reached is "offline"; a new
 * PC that cannot reach its hub says so rather than "Joining the hub…" for ever.
 */

const dates: DateWriter = {
  setting: 'dd/MM/yyyy',
  date: (iso) => formatDate(iso, 'dd/MM/yyyy'),
  dateTime: (iso) => formatDateTime(iso, 'dd/MM/yyyy'),
  text: (kept) => formatDaysIn(kept, 'dd/MM/yyyy'),
  hint: dateHint('dd/MM/yyyy'),
};

const view = (core: Core): SyncStatusView => {
  const s = syncStatus(core);
  return { ...s, join: s.join ? { phase: s.join.phase, done: s.join.done, total: s.join.total } : null };
};

const header = (core: Core) => statusLine(view(core), new Date(), dates)!;

/** A network in front of the hub: `mode` says what the next requests meet. */
function switchable(inner: Transport) {
  const net = { mode: 'up' as 'up' | 'down' | 'other-cert' | 'garbled-pull' };
  const transport: Transport = {
    async post(p, body) {
      if (net.mode === 'down') {
        throw new HubRequestError('unreachable', 'The hub at https://hub.invalid cannot be reached: nothing answers at that address (is the hub running?).');
      }
      if (net.mode === 'other-cert') {
        throw new HubRequestError(
          'certificate',
          "The hub's certificate (11:22) is not the one this PC pinned when it enrolled (AA:BB): it may not be your hospital's hub. Nothing was sent.",
        );
      }
      const answer = await inner.post(p, body);
      // A pull answer this PC cannot take (a hub of another version): a row with no key.
      if (net.mode === 'garbled-pull' && p === '/v1/pull') return { ...(answer as object), entries: [{ tbl: 'equipment', pk: '[]', data: {}, clocks: {} }] };
      return answer;
    },
  };
  return { net, transport };
}

/** `wardkeep sync status --format json` on a PC's data folder (the database closed first). */
async function cliStatus(dir: string): Promise<Record<string, unknown>> {
  let stdout = '';
  const code = await runCli(['--data-dir', dir, 'sync', 'status', '--format', 'json'], {
    stdout: (t) => (stdout += t),
    stderr: () => undefined,
    env: {},
    cwd: process.cwd(),
  });
  expect(code).toBe(0);
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('a sync that keeps failing says so', () => {
  it('an answer the PC cannot apply: "Sync failed" with a plain sentence in the header, the details and `sync status`, until a sync goes through', async () => {
    const hub = await testHub();
    const dir = tempDir();
    const core = openCore({ dataDir: dir });
    const pc = await testPc(hub, 'Ward 4B', { core });
    const { net, transport } = switchable(directTransport(hub, core));
    const client = new SyncClient(core, transport);
    await client.syncOnce();
    expect(header(core)).toEqual({ text: 'Synced a moment ago', tone: 'ok' });

    net.mode = 'garbled-pull';
    for (let i = 0; i < 2; i++) await expect(client.syncOnce()).rejects.toThrow();
    const s = view(core);
    expect(s.state).toBe('error');
    expect(s.offlineSince).toBeNull();
    // A sentence a person reads, not a schema dump or a stack.
    expect(s.lastError).toMatch(/^The last sync stopped: /);
    expect(s.lastError).not.toMatch(/\n|\bat \S+:\d+|ZodError|"code"/);
    expect(header(core)).toMatchObject({ text: expect.stringMatching(/^Sync failed at /), tone: 'error' });
    core.close();
    expect(await cliStatus(dir)).toMatchObject({ state: 'error', last_error: s.lastError, offline_since: null });

    const again = openCore({ dataDir: dir });
    const healed = new SyncClient(again, directTransport(hub, again));
    await healed.syncOnce();
    expect(view(again)).toMatchObject({ state: 'synced', lastError: null });
    again.close();
    void pc;
  });
});

describe('offline means the hub cannot be reached, nothing else', () => {
  it('a hub reached again but showing another certificate (a machine in the middle?): "Sync failed", not "Offline since …"', async () => {
    const hub = await testHub();
    const dir = tempDir();
    const core = openCore({ dataDir: dir });
    await testPc(hub, 'Ward 4B', { core });
    const { net, transport } = switchable(directTransport(hub, core));
    const client = new SyncClient(core, transport);
    await client.syncOnce();
    net.mode = 'down';
    await expect(client.syncOnce()).rejects.toThrow(/cannot be reached/);
    expect(view(core).state).toBe('offline');
    expect(header(core)).toMatchObject({ text: expect.stringMatching(/^Offline since /), tone: 'warn' });

    net.mode = 'other-cert';
    await expect(client.syncOnce()).rejects.toThrow(/not the one this PC pinned/);
    const s = view(core);
    expect(s).toMatchObject({ state: 'error', offlineSince: null, lastError: expect.stringMatching(/not the one this PC pinned/) });
    expect(header(core)).toMatchObject({ text: expect.stringMatching(/^Sync failed at /), tone: 'error' });
    core.close();
    expect(await cliStatus(dir)).toMatchObject({ state: 'error', offline_since: null, last_error: expect.stringMatching(/not the one this PC pinned/) });
  });
});

describe('a new PC whose hub is out of reach', () => {
  it('says it is offline (not "Joining the hub…" for ever); once the hub answers, the download shows as joining and ends synced', async () => {
    const hub = await testHub();
    const pc = await testPc(hub, 'Ward 4B');
    const { net, transport } = switchable(directTransport(hub, pc.core));
    const client = new SyncClient(pc.core, transport);
    net.mode = 'down';
    for (let i = 0; i < 2; i++) await expect(client.syncOnce()).rejects.toThrow(/cannot be reached/);
    const s = view(pc.core);
    expect(s).toMatchObject({ state: 'offline', joined: false, lastError: expect.stringMatching(/cannot be reached/) });
    expect(s.offlineSince).not.toBeNull();
    expect(header(pc.core)).toMatchObject({ text: expect.stringMatching(/^Offline since /), tone: 'warn' });

    net.mode = 'up';
    const during: string[] = [];
    client.onEvent((e) => {
      if (e.kind === 'join') during.push(syncStatus(pc.core).state);
    });
    await client.syncOnce();
    // The hub answered: the download is a join under way, not "offline" nor a failure.
    expect(during).toContain('joining');
    expect(during.filter((state) => state !== 'joining' && state !== 'never_synced')).toEqual([]);
    expect(view(pc.core)).toMatchObject({ state: 'synced', joined: true, lastError: null, offlineSince: null });
  });
});
