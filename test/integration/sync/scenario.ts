import fc from 'fast-check';
import type { Fault } from './network';
import type { Step } from './world';
import { DAY } from './world';

/**
 * The property tests' hospitals: two to four PCs with clocks up to three days off, one or two hubs,
 * and 10 to 45 steps of edits, records, syncs over a faulty network, clock steps and partitions.
 */

const fault: fc.Arbitrary<Fault> = fc.constantFrom<Fault>('none', 'none', 'none', 'drop', 'lose_answer', 'duplicate', 'hold');

const step = (pcs: number): fc.Arbitrary<Step> => {
  const pc = fc.nat(pcs - 1);
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('device' as const), pc, tag: fc.nat(3) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('rename' as const), pc, device: fc.nat(5), name: fc.nat(3) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('status' as const), pc, device: fc.nat(5), status: fc.nat(3) }) },
    {
      weight: 3,
      arbitrary: fc.record({ kind: fc.constant('record' as const), pc, device: fc.nat(5), fail: fc.boolean(), minutesAgo: fc.nat(600) }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('user' as const), pc, name: fc.nat(1) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('deactivate' as const), pc, user: fc.nat(3) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('setting' as const), pc, value: fc.nat(2) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('stock' as const), pc, delta: fc.integer({ min: 1, max: 5 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('workOrder' as const), pc, device: fc.nat(5), action: fc.nat(2) }) },
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('sync' as const), pc, faults: fc.array(fault, { maxLength: 6 }) }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'together' as const }) },
    // Clocks step back up to two days, or on by minutes.
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('clock' as const), pc, minutes: fc.integer({ min: -2880, max: 10 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('partition' as const), pc, on: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('deliver' as const), count: fc.integer({ min: 1, max: 3 }) }) },
  );
};

export const scenario = fc.integer({ min: 2, max: 4 }).chain((pcs) =>
  fc.record({
    hubs: fc.integer({ min: 1, max: 2 }),
    skews: fc.array(fc.integer({ min: -3 * DAY, max: 3 * DAY }), { minLength: pcs, maxLength: pcs }),
    steps: fc.array(step(pcs), { minLength: 10, maxLength: 45 }),
  }),
);
