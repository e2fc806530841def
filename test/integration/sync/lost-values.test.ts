import { describe, expect, it } from 'vitest';
import type { Change } from '../../../main/core/sync/protocol';
import { lostValues } from './world';

/**
 * The convergence property's "nothing lost" oracle (world.ts), on the histories that decide it. The
 * twin case is the property's counterexample of seed 1292914896: two PCs deactivated the same user
 * concurrently, then one of them turned the user back on.
 */

const USER = '["u1"]';
const base0 = '001.000000.pcA';
let seq = 0;
const edit = (hlc: string, base: string, active: 0 | 1): Change => ({
  seq: ++seq,
  hlc,
  tbl: 'users',
  pk: USER,
  op: 'update',
  data: { active },
  base: { active: base },
});
const finalActive = (active: 0 | 1) => new Map([['users', new Map([[USER, { active }]])]]);
const noConflicts = new Map<string, Record<string, unknown>>();

describe('the oracle of lost concurrent edits', () => {
  it('does not call an edit lost when the person who overrode it saw its value in a concurrent twin', () => {
    const fromA = edit('002.000000.pcA', base0, 0);
    const fromB = edit('003.000000.pcB', base0, 0);
    const backOnAtB = edit('003.000002.pcB', fromB.hlc, 1);
    expect(lostValues([fromA, fromB, backOnAtB], finalActive(1), noConflicts)).toEqual([]);
  });

  it('still calls it lost when the concurrent edits differ and the loser is not on record', () => {
    const fromA = edit('002.000000.pcA', base0, 0);
    const fromB = edit('003.000000.pcB', base0, 1);
    expect(lostValues([fromA, fromB], finalActive(1), noConflicts)).toEqual(['users ["u1"] active: {"active":0}']);
  });

  it('still calls it lost when the later edit was built on a concurrent edit of another value', () => {
    const fromA = edit('002.000000.pcA', base0, 0);
    const fromB = edit('003.000000.pcB', base0, 1);
    const onB = edit('003.000002.pcB', fromB.hlc, 1);
    expect(lostValues([fromA, fromB, onB], finalActive(1), noConflicts)).toEqual(['users ["u1"] active: {"active":0}']);
  });

  it('accepts a lost value that the conflict log records as the loser', () => {
    const fromA = edit('002.000000.pcA', base0, 0);
    const fromB = edit('003.000000.pcB', base0, 1);
    const conflicts = new Map([['c1', { tbl: 'users', pk: USER, fields: 'active', loser_value: '{"active":0}' }]]);
    expect(lostValues([fromA, fromB], finalActive(1), conflicts)).toEqual([]);
  });
});
