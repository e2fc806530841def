import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { todayView } from '../../../main/core/due/service';
import { renameLocation } from '../../../main/core/locations/service';
import { outOfServicePage } from '../../../main/core/repairs/today';
import { testActor, testCore } from '../../helpers/core';
import { device, place } from '../plans/fixtures';

/**
 * Today's devices out of service, and the name of the ward Today is showing, take their places from
 * the due list's lookups, kept until the database changes (issue 17), no longer read and sorted
 * again on every refresh. A ward renamed here, or by another Wardkeep on the same file, is shown and
 * ordered by its new name at once.
 */
const wards = (core: ReturnType<typeof testCore>) => outOfServicePage(core, null).rows.map((r) => [r.assetTag, r.wardPath]);

describe("Today's devices out of service, with the places kept until the database changes", () => {
  it('show a ward renamed on this connection and on another by its new name, in its order', () => {
    const core = testCore();
    device(core, 'IP-2', { location: 'General Hospital > Ward 2 > Bay 1', status: 'out_of_service' });
    device(core, 'IP-9', { location: 'General Hospital > Ward 9 > Bay 1', status: 'out_of_service' });
    const first = [
      ['IP-2', 'General Hospital > Ward 2'],
      ['IP-9', 'General Hospital > Ward 9'],
    ];
    expect(wards(core)).toEqual(first);
    // Read again with nothing changed, from the kept places: the same, in the same order, each time.
    expect(wards(core)).toEqual(first);
    expect(wards(core)).toEqual(first);

    const ward2 = place(core, 'General Hospital > Ward 2');
    const showing = () => todayView(core, null, { locationId: ward2 }).locationPath;
    expect(showing()).toBe('General Hospital > Ward 2');
    inTransaction(core, (w) => renameLocation(w, testActor, { id: ward2, name: 'Ward 12' }));
    expect(showing()).toBe('General Hospital > Ward 12');
    expect(wards(core)).toEqual([
      ['IP-9', 'General Hospital > Ward 9'],
      ['IP-2', 'General Hospital > Ward 12'],
    ]);

    // Another process renames Ward 9, then Ward 12: this connection's kept places are read again.
    const other = testCore({ dataDir: core.dataDir });
    inTransaction(other, (w) => renameLocation(w, testActor, { id: place(other, 'General Hospital > Ward 9'), name: 'Ward 20' }));
    expect(showing()).toBe('General Hospital > Ward 12');
    inTransaction(other, (w) => renameLocation(w, testActor, { id: ward2, name: 'Ward 14' }));
    other.close();
    expect(showing()).toBe('General Hospital > Ward 14');
    expect(wards(core)).toEqual([
      ['IP-2', 'General Hospital > Ward 14'],
      ['IP-9', 'General Hospital > Ward 20'],
    ]);
    core.close();
  });
});
