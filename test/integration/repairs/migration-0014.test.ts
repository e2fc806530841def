import { describe, expect, it } from 'vitest';
import { schemaVersion } from '../../../main/core/db/migrate';
import { migrations } from '../../../main/core/migrations';
import { migration0014 } from '../../../main/core/migrations/0014-out-of-service-covering';
import { OUT_OF_SERVICE_ORDER_SQL, outOfServicePage } from '../../../main/core/repairs/today';
import { fixedClock, testCore } from '../../helpers/core';
import { databaseAt } from '../../helpers/migrations';
import { device } from '../plans/fixtures';
import { queryPlan } from '../../helpers/query-plan';

/**
 * Migration 0014 (issue 17): Today orders the devices out of service from `equipment_out_of_service`
 * alone (where, tag, id), with no read of the equipment table per device, on a database of every
 * older version.
 */
describe('migration 0014 (the devices out of service ordered from the index alone)', () => {
  const before = migrations.indexOf(migration0014);
  it.each(migrations.slice(0, before).map((m) => m.version))('from version %i, the index carries what Today orders by', (version) => {
    const dir = databaseAt(version);
    const core = testCore({ dataDir: dir, clock: fixedClock('2026-11-25T12:00:00Z') });
    expect(schemaVersion(core.db)).toBe(migrations.at(-1)!.version);
    const columns = core.db.prepare("SELECT name FROM pragma_index_info('equipment_out_of_service') ORDER BY seqno").pluck().all();
    expect(columns).toEqual(['location_id', 'asset_tag', 'id']);
    const plan = queryPlan(core.db, OUT_OF_SERVICE_ORDER_SQL);
    expect(plan[0]).toBe('SCAN e USING COVERING INDEX equipment_out_of_service');
    // And Today lists them from it: by ward, then tag (none has a status change here, so none has a "since").
    device(core, 'OS-2', { location: 'Hospital > Ward B', status: 'out_of_service' });
    device(core, 'OS-1', { location: 'Hospital > Ward B', status: 'out_of_service' });
    device(core, 'OS-3', { location: 'Hospital > Ward A', status: 'out_of_service' });
    device(core, 'IN-1', { location: 'Hospital > Ward A' });
    const page = outOfServicePage(core, null, 2);
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => [r.assetTag, r.wardPath])).toEqual([
      ['OS-3', 'Hospital > Ward A'],
      ['OS-1', 'Hospital > Ward B'],
    ]);
    core.close();
  });
});
