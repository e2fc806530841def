import { describe, expect, it } from 'vitest';
import { loggingWorld } from '../completions/fixture';

/** A device's due work follows it: to the ward it is moved to, and off Today once it is retired. */
describe('a device moved to another ward, then retired', () => {
  it("moves its due work to its new ward's Today, and takes it off Today when retired", async () => {
    const w = await loggingWorld();
    const ward = await w.call('locations.create', { name: 'Ward 7', parentId: w.site.id });
    const other = await w.call('locations.create', { name: 'Ward 8', parentId: w.site.id });
    const dev = await w.call('equipment.create', { assetTag: 'MV-1', name: 'Suction unit', locationId: ward.id });
    await w.call('plans.create', { equipmentId: dev.id, task: 'inspection', every: '1y', startDate: '2026-11-20', graceDays: 0 });
    const tags = async (locationId: string) => (await w.call('due.today', { locationId })).rows.map((r) => r.assetTag);
    expect(await tags(ward.id)).toContain('MV-1');
    await w.call('equipment.update', { id: dev.id, assetTag: dev.assetTag, name: dev.name, locationId: other.id });
    expect(await tags(ward.id)).not.toContain('MV-1');
    expect(await tags(other.id)).toContain('MV-1');
    await w.call('equipment.setStatus', { id: dev.id, status: 'retired', reason: 'Beyond economic repair' });
    expect(await tags(other.id)).not.toContain('MV-1');
    const today = await w.call('due.today', { locationId: other.id });
    expect(today.outOfService.map((r) => r.assetTag)).not.toContain('MV-1');
  });
});
