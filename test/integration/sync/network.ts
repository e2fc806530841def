import type { Transport } from '../../../main/core/sync/transport';
import { HubRequestError } from '../../../main/core/sync/transport';

/**
 * A network that misbehaves, for the property tests: it drops requests, loses answers after the
 * hub acted (a sync cut off half-way), sends requests twice, holds some back and delivers them
 * later (out of order, after newer ones), and cuts a PC off entirely for a while.
 */

export type Fault = 'none' | 'drop' | 'lose_answer' | 'duplicate' | 'hold';

export class FaultyNetwork {
  /** Requests held back, delivered later by `deliverHeld`. */
  private readonly held: (() => Promise<unknown>)[] = [];
  readonly partitioned = new Set<number>();
  private faults: Fault[] = [];
  requests = 0;

  /** The faults the next requests meet, in order (then none). */
  schedule(faults: readonly Fault[]): void {
    this.faults.push(...faults);
  }

  heal(): void {
    this.faults = [];
    this.partitioned.clear();
  }

  async deliverHeld(count = Infinity): Promise<void> {
    while (this.held.length && count-- > 0) {
      const send = this.held.splice(Math.floor(this.held.length / 2), 1)[0]!;
      await send().catch(() => undefined);
    }
  }

  /** A transport for PC `index` over this network, to one of `hubs` (chosen per request, as a load balancer would). */
  transport(index: number, hubs: readonly Transport[], pick: () => number): Transport {
    return {
      post: async (path: string, body: unknown) => {
        this.requests++;
        const hub = hubs[pick() % hubs.length]!;
        if (this.partitioned.has(index)) throw new HubRequestError('unreachable', 'cut off (simulated partition)');
        const fault = this.faults.shift() ?? 'none';
        switch (fault) {
          case 'drop':
            throw new HubRequestError('unreachable', 'request lost (simulated)');
          case 'lose_answer':
            await hub.post(path, body).catch(() => undefined);
            throw new HubRequestError('unreachable', 'answer lost (simulated)');
          case 'duplicate':
            await hub.post(path, body).catch(() => undefined);
            return hub.post(path, body);
          case 'hold':
            this.held.push(() => hub.post(path, body));
            throw new HubRequestError('unreachable', 'request delayed (simulated)');
          default:
            return hub.post(path, body);
        }
      },
    };
  }
}
