import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { createLocation, listLocations, locationTree, moveLocation } from '../../../main/core/locations/service';
import { toConflictItems } from '../../../main/core/hospital/conflict-views';
import { listConflicts, resolveConflict } from '../../../main/core/sync/conflicts';
import { testActor } from '../../helpers/core';
import { testHub, testPc } from './harness';

/**
 * Two PCs offline each move one of two sites under the other: each move is valid where it is made
 * (a PC refuses a move into a location's own branch), but together they would put each site inside
 * the other. The hub walks the parents after merging a location's place: the later move is not
 * taken, the location keeps the place it had on every PC, and the supervisors see it in the
 * conflict log.
 */

describe('two moves made apart that together would put a location inside itself', () => {
  it('leave every location reachable in the tree on every PC, the later move in the conflict log', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    const north = inTransaction(a.core, (w) => createLocation(w, testActor, { name: 'North Site', parentId: null })).id;
    const south = inTransaction(a.core, (w) => createLocation(w, testActor, { name: 'South Site', parentId: null })).id;
    await a.sync();
    await b.sync();
    // Apart: A moves North under South; B moves South under North.
    inTransaction(a.core, (w) => moveLocation(w, testActor, { id: north, parentId: south }));
    inTransaction(b.core, (w) => moveLocation(w, testActor, { id: south, parentId: north }));
    await a.sync();
    await b.sync();
    await a.sync();
    for (const pc of [a, b]) {
      // North moved first and stays under South; South keeps its place at the top.
      const parents = Object.fromEntries(listLocations(pc.core).map((l) => [l.name, l.parentId]));
      expect(parents).toMatchObject({ 'North Site': south, 'South Site': null });
      const inTree: string[] = [];
      const walk = (nodes: ReturnType<typeof locationTree>) => nodes.forEach((n) => (inTree.push(n.id), walk(n.children)));
      walk(locationTree(pc.core));
      expect(inTree.sort()).toEqual(listLocations(pc.core).map((l) => l.id).sort());
      const conflicts = listConflicts(pc.core);
      expect(conflicts.map((c) => ({ row: c.row, fields: c.fields, winner: c.winner.value, loser: c.loser.value, loserPc: c.loser.pc }))).toEqual([
        {
          row: 'South Site',
          fields: ['parent_id', 'kind'],
          winner: { parent_id: null, kind: 'site' },
          // What Emergency last wrote of South's place (a move writes the parent, then the kind).
          loser: { parent_id: north, kind: 'ward' },
          loserPc: 'Emergency',
        },
      ]);
    }
    // The Conflicts screen says what the hub did, not "the later change stands".
    const [conflict] = listConflicts(b.core);
    expect(toConflictItems(b.core, [conflict!])[0]!.why).toBe('The hub kept South Site where it was: this move would have put it inside itself.');
    // "Use the other" would make the loop on this PC: refused, in words naming both places.
    expect(() => inTransaction(b.core, (w) => resolveConflict(w, testActor, { id: conflict!.id, choice: 'used_other' }))).toThrow(
      'South Site cannot be put under North Site: North Site is inside South Site now. Move North Site out of it first.',
    );
    expect(inTransaction(b.core, (w) => resolveConflict(w, testActor, { id: conflict!.id, choice: 'kept' })).resolution).toBe('kept');
  });
});
