import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { pack, transfersOf, unpack } from '../../../main/core/worker/packed';

/** A compliance share's shape: counts, a list of devices, exceptions with their records and nulls. */
const share = {
  judgedOn: '2025-10-31',
  periodOver: true,
  groups: [
    { task: 'calibration', risk: 'high', tally: { verdicts: { on_time: 3, late: 1, missed: 0 }, imported: 0, enteredLate: 1 }, plans: 4 },
  ],
  highDevices: ['0193a0b2-dev-1', '0193a0b2-dev-2'],
  exceptions: [
    {
      planId: 'p-1',
      exception: {
        assetTag: 'DEF-01',
        name: 'Défibrillateur « Zoll »',
        dueOn: '2025-03-10',
        doneOn: null,
        entries: [{ outcome: 'fail', performedOn: '2025-03-11' }],
        since: null,
      },
    },
  ],
};

describe('a value packed to cross between threads (a report share)', () => {
  it('reads back as the same value', () => {
    expect(unpack(pack(share))).toEqual(share);
  });

  it('is moved with its message, not copied: the sender keeps no bytes, the receiver reads the whole value', () => {
    const packed = pack(share);
    const args = { params: { from: '2025-01-01', to: '2025-12-31' }, shares: [packed, pack({ ...share, judgedOn: '2025-12-31' })] };
    const { port1, port2 } = new MessageChannel();
    try {
      port1.postMessage(args, transfersOf(args));
      const received = receiveMessageOnPort(port2)!.message as typeof args;
      expect(args.shares.map((s) => s.packed.byteLength)).toEqual([0, 0]);
      expect(received.shares.map((s) => unpack(s))).toEqual([share, { ...share, judgedOn: '2025-12-31' }]);
      // Read again here after it left: a sentence, not an empty value.
      expect(() => unpack(packed)).toThrow('A packed value was read after it was sent to another thread.');
    } finally {
      port1.close();
      port2.close();
    }
  });

  it('finds the buffers to move in a result, a field or an array of one, and nothing else', () => {
    const a = pack(share);
    const b = pack([1, 2, 3]);
    expect(transfersOf(a)).toEqual([a.packed.buffer]);
    expect(transfersOf({ params: { to: '2025-12-31' }, shares: [a, b] })).toEqual([a.packed.buffer, b.packed.buffer]);
    expect(transfersOf({ only: a })).toEqual([a.packed.buffer]);
    // Bytes that are not a packed value (a backup's, a file's) are never taken from their owner.
    expect(transfersOf({ bytes: new Uint8Array(8), rows: [{ packed: new Uint8Array(4), name: 'not packed' }] })).toEqual([]);
    expect(transfersOf(null)).toEqual([]);
    expect(transfersOf('text')).toEqual([]);
  });
});
