import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChannelName } from '../../../shared/contract';
import { CHANNEL_NAMES, contract } from '../../../shared/contract';
import { calledChannels } from './channel-calls';

const root = path.resolve(import.meta.dirname, '../../..');

/**
 * Channels no screen, menu or command calls, each with why it stays. Only reads may be here: a write
 * channel nothing calls is how an unsigned write stayed open once (issue 13, item 1), so one is
 * removed, not listed.
 */
const NOT_CALLED: Partial<Record<ChannelName, string>> = {
  // The status history of a device (issue 16): no screen shows it yet (the device page shows the
  // current status, and downtime is read through reports.downtime); the repairs tests read the
  // history through it. A screen for it should call it, or it should go.
  'equipment.statusHistory': 'read by the repairs tests until a screen shows the status history',
};

/**
 * Issue 14: every channel of the contract is called by the app (renderer/src), its shell
 * (main/app) or its command line (main/cli), so a channel the app stopped using, and with it an
 * unchecked way in, cannot stay or come back unnoticed.
 */
describe('channels the app calls', () => {
  let called = new Map<string, string[]>();
  // TypeScript reads and checks the three folders: a few seconds.
  beforeAll(() => {
    called = calledChannels(root, ['renderer/src', 'main/app', 'main/cli'], CHANNEL_NAMES);
  }, 120_000);

  it('calls every channel of the contract, but those listed with their reason', () => {
    const unused = CHANNEL_NAMES.filter((c) => !called.has(c) && !(c in NOT_CALLED));
    expect(unused).toEqual([]);
  });

  it('lists only reads that are still not called', () => {
    for (const [channel, reason] of Object.entries(NOT_CALLED) as [ChannelName, string][]) {
      expect(contract[channel], channel).toBeDefined();
      expect(contract[channel].writes, `${channel} writes: remove it instead (${reason})`).toBe(false);
      expect(called.get(channel), `${channel} is called now: take it off the list`).toBeUndefined();
    }
  });

  it('sees calls made with a template or a map, and not a name that is only a key or a comparison', () => {
    // Called as useChannelMutation(`workOrders.${kind}`) and through PRINT_DOCUMENT_CHANNELS[view].
    expect(called.get('workOrders.take')?.[0]).toMatch(/^renderer\/src\/features\/repairs\//);
    expect(called.get('reports.history')?.[0]).toMatch(/^renderer\/src\/features\/print\//);
    // Named in renderer/src/lib/invalidation.ts's map (a key), which is no call.
    expect(called.get('equipment.statusHistory')).toBeUndefined();
  });
});
