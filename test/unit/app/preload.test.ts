import { describe, expect, it, vi } from 'vitest';
import type { WardkeepApi } from '../../../shared/contract';
import { CHANNEL_NAMES } from '../../../shared/contract';

const fake = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoked: [] as unknown[][],
  listeners: new Map<string, ((...a: unknown[]) => void)[]>(),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => fake.exposed.set(key, value) },
  ipcRenderer: {
    invoke: (...args: unknown[]) => {
      fake.invoked.push(args);
      return Promise.resolve({ ok: true, value: null });
    },
    on: (channel: string, l: (...a: unknown[]) => void) => fake.listeners.set(channel, [...(fake.listeners.get(channel) ?? []), l]),
    removeListener: (channel: string, l: (...a: unknown[]) => void) => fake.listeners.set(channel, (fake.listeners.get(channel) ?? []).filter((x) => x !== l)),
  },
}));

await import('../../../main/preload/index');
const api = fake.exposed.get('api') as WardkeepApi;

describe('the preload', () => {
  it('exposes exactly two named functions as window.api, never ipcRenderer', () => {
    expect([...fake.exposed.keys()]).toEqual(['api']);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'subscribe']);
  });

  it('forwards contract channels and nothing else', async () => {
    await api.invoke(CHANNEL_NAMES[0]!, {} as never);
    expect(fake.invoked).toEqual([[CHANNEL_NAMES[0], {}]]);
    const res = await api.invoke('sql.exec' as never, { sql: 'DROP TABLE users' } as never);
    expect(res).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(fake.invoked).toHaveLength(1);
  });

  it('delivers only the named event, without the IPC event object, and unsubscribes', () => {
    const got: unknown[] = [];
    const off = api.subscribe('data.changed', (p) => got.push(p));
    const [listener] = fake.listeners.get('wardkeep:event')!;
    listener!({ sender: 'secret' }, 'data.changed', { channel: 'x' });
    listener!({ sender: 'secret' }, 'session.locked', { reason: 'idle' });
    expect(got).toEqual([{ channel: 'x' }]);
    off();
    expect(fake.listeners.get('wardkeep:event')).toEqual([]);
    expect(api.subscribe('nonsense' as never, () => undefined)).toBeTypeOf('function');
    expect(fake.listeners.get('wardkeep:event')).toEqual([]);
  });

  it("listens for the shell's own commands on a channel the page cannot reach", () => {
    expect(fake.listeners.get('wardkeep:shell')).toHaveLength(1);
    expect(Object.values(api).every((f) => typeof f === 'function')).toBe(true);
    // The page subscribes only to contract events: the shell channel is not one.
    expect(api.subscribe('wardkeep:shell' as never, () => undefined)).toBeTypeOf('function');
    expect(fake.listeners.get('wardkeep:shell')).toHaveLength(1);
  });
});
