import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scenario } from './scenario';
import { check, World } from './world';

/**
 * The property: any number of PCs, each on its own SQLite file and clock (up to three
 * days off, stepping backwards), one or two hub processes on one real PostgreSQL, a network that
 * drops, duplicates, reorders and delays requests, cuts PCs off and cuts syncs half-way. After the
 * network heals and everyone syncs: every PC's data equals the hub's, which equals an oracle
 * computed from every change made; every record exists once; every audit chain verifies; derived
 * state agrees; no concurrent edit was lost without a conflict on record.
 */

describe('a hospital of PCs converging through the hub', () => {
  it('ends with every PC equal to the hub and to the oracle, whatever the network and the clocks did', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ hubs, skews, steps }) => {
        const world = await World.create(skews.length, hubs, skews);
        try {
          for (const s of steps) await world.run(s);
          await world.heal();
          expect(await check(world)).toEqual([]);
        } finally {
          await world.close();
        }
      }),
      {
        numRuns: Number(process.env.SYNC_PROPERTY_RUNS ?? 12),
        endOnFailure: true,
        // A failure's seed (and path) from a CI log replays it: FC_SEED=… FC_PATH=… npx vitest run <this file>.
        ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH } : {}),
      },
    );
  }, 600_000);
});
