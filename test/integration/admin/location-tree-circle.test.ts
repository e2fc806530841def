import { describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core/context';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { listLocations, locationTree } from '../../../main/core/locations/service';
import { testBackend, testCore } from '../../helpers/core';
import { caller } from '../../helpers/invoke';
import { exited, spawnTs } from '../safety/child';
import { device, place } from '../plans/fixtures';

/**
 * Two supervisors on two PCs, offline, each move one of two wings under the other: each move is
 * allowed where it is made, and until the hub's merge mends it a PC can hold both wings each inside
 * the other. The PC must keep answering, and keep every location and device in its lists.
 */

/** North Wing inside South Wing inside North Wing, as the two merged moves leave them, each with a device. */
function circle(core: Core): { north: string; south: string } {
  const north = place(core, 'North Wing');
  const south = place(core, 'South Wing');
  device(core, 'DF-1', { location: 'North Wing' });
  device(core, 'DF-2', { location: 'South Wing' });
  // What arrives from the hub is written as it is: both moves, each wing now a ward.
  inTransaction(core, (w) => {
    w.db.prepare("UPDATE locations SET parent_id = ?, kind = 'ward' WHERE id = ?").run(south, north);
    w.db.prepare("UPDATE locations SET parent_id = ?, kind = 'ward' WHERE id = ?").run(north, south);
  });
  return { north, south };
}

describe('a location tree where two wings are each inside the other', () => {
  it('adding a room under one of the wings answers (does not hang the PC), refusing in words', async () => {
    const dataDir = (() => {
      const core = testCore();
      const ids = circle(core);
      const dir = core.dataDir;
      core.close();
      return { dir, ...ids };
    })();
    const child = spawnTs('test/integration/admin/children/add-under-circle.ts', [dataDir.dir, dataDir.north]);
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const { code, signal } = await exited(child);
    clearTimeout(timer);
    expect(signal, 'the PC hung walking the tree (killed after 20 s)').toBeNull();
    expect(code, child.stderrText()).toBe(0);
    expect(child.stderrText()).not.toMatch(/internal error/);
    expect(JSON.parse(child.lines[0]!)).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        field: 'parentId',
        message: expect.stringMatching(/"North Wing" inside a location that is inside it\. Nothing was changed/),
      },
    });
  }, 60_000);

  it('keeps both wings and both devices in the lists and the filter tree', () => {
    const b = testBackend('supervisor');
    const { north, south } = circle(b.core);
    const tree = locationTree(b.core);
    expect(
      tree.reduce((n, t) => n + t.totalCount, 0),
      'devices counted in the location tree',
    ).toBe(2);
    const ids: string[] = [];
    const walk = (nodes: typeof tree) => nodes.forEach((n) => (ids.push(n.id), walk(n.children)));
    walk(tree);
    expect(ids.sort()).toEqual([north, south].sort());
    expect(
      listLocations(b.core)
        .map((l) => l.id)
        .sort(),
    ).toEqual([north, south].sort());
  });

  it('a supervisor mends it by moving one wing to the top', async () => {
    const b = testBackend('supervisor');
    const call = caller(b.backend, b.session);
    const { north, south } = circle(b.core);
    expect(await call('locations.move', { id: north, parentId: null })).toMatchObject({ path: 'North Wing', kind: 'site' });
    const list = await call('locations.list', {});
    expect(list.map((l) => [l.path, l.kind])).toEqual([
      ['North Wing', 'site'],
      ['North Wing > South Wing', 'ward'],
    ]);
    // Now a room can go under either.
    expect(await call('locations.create', { name: 'Bay 9', parentId: south })).toMatchObject({
      path: 'North Wing > South Wing > Bay 9',
      kind: 'room',
    });
  });
});
