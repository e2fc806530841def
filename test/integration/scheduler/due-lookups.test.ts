import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { dueCounts, dueList } from '../../../main/core/due/service';
import { renameLocation } from '../../../main/core/locations/service';
import { fixedClock, testActor, testCore } from '../../helpers/core';
import { device, place, plan } from '../plans/fixtures';

/**
 * The due list keeps the locations, their paths and the task types between calls (issue 17), and
 * must never show them stale: after a write on this connection, after a commit by another
 * connection (the worker, a second process, the command line), and never what a rolled-back
 * transaction wrote.
 */
describe('the due list’s locations and task types, kept between calls', () => {
  it('follows a rename here, a rename by another connection, and not a rename rolled back', () => {
    const core = testCore({ clock: fixedClock('2025-03-01T12:00:00Z') });
    const ward = place(core, 'General Hospital > Ward 4B');
    plan(core, device(core, 'DF-1', { location: 'General Hospital > Ward 4B' }), 'calibration', '1y', '2025-01-01');
    const where = () => dueList(core, { asOf: '2025-03-01', locationIds: [ward], sort: 'status' }).map((r) => r.location);
    const counted = () => dueCounts(core, { asOf: '2025-03-01' }).map((c) => c.wardPath);
    expect(where()).toEqual(['General Hospital > Ward 4B']);
    expect(counted()).toEqual(['General Hospital > Ward 4B']);

    inTransaction(core, (w) => renameLocation(w, testActor, { id: ward, name: 'Ward 4 North' }));
    expect(where()).toEqual(['General Hospital > Ward 4 North']);
    expect(counted()).toEqual(['General Hospital > Ward 4 North']);

    // Another connection to the same file commits a rename (as sqlite3 or a second Wardkeep process would).
    const other = new BetterSqlite3(core.file);
    other.prepare("UPDATE locations SET name = 'Ward 4 South', name_key = 'ward 4 south' WHERE id = ?").run(ward);
    other.close();
    expect(where()).toEqual(['General Hospital > Ward 4 South']);
    expect(counted()).toEqual(['General Hospital > Ward 4 South']);

    // A rename read inside its own transaction, then rolled back: the list after it has the name that stands.
    expect(() =>
      inTransaction(core, (w) => {
        renameLocation(w, testActor, { id: ward, name: 'Ward 9' });
        expect(where()).toEqual(['General Hospital > Ward 9']);
        throw new Error('cancelled');
      }),
    ).toThrow('cancelled');
    expect(where()).toEqual(['General Hospital > Ward 4 South']);
    expect(counted()).toEqual(['General Hospital > Ward 4 South']);
  });
});
