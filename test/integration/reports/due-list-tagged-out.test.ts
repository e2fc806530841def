import { describe, expect, it } from 'vitest';
import { listLocations } from '../../../main/core/locations/service';
import type { DueListDocument } from '../../../shared/domain/report-due';
import { fixedClock, testBackend } from '../../helpers/core';
import { seedRecord } from '../../helpers/records';
import { device, plan } from '../plans/fixtures';

/**
 * A device a failed test took out of service leaves the due list (nothing is due on it until it is
 * repaired), but the printed list names it first, DO NOT USE, with its ward: in a hospital's hub
 * the fail may have been logged on another PC, and the person walking the ward must not use it.
 */
describe('the printed due list and devices tagged out by a failed test', () => {
  it('lists them first, in the chosen locations only, and not a device a person took out of service', async () => {
    const { core, backend, session } = testBackend('technician', { clock: fixedClock('2025-11-25T09:00:00Z') });
    const defib = device(core, 'DF-0002', { name: 'Defibrillator', location: 'General Hospital > Ward 4B > Bay 1' });
    const safety = plan(core, defib, 'electrical_safety', '1y', '2025-11-20');
    const other = device(core, 'DF-0009', { name: 'Defibrillator', location: 'General Hospital > Emergency' });
    const otherSafety = plan(core, other, 'electrical_safety', '1y', '2025-11-20');
    device(core, 'XX-0002', { location: 'General Hospital > Ward 4B > Bay 1', status: 'out_of_service' });
    const pump = device(core, 'IP-0001', { location: 'General Hospital > Ward 4B > Bay 2' });
    plan(core, pump, 'calibration', '1y', '2025-11-20');
    seedRecord(core, safety.id, '2025-11-25T08:00:00Z', 'fail');
    seedRecord(core, otherSafety.id, '2025-11-25T08:30:00Z', 'fail');

    const ward4b = listLocations(core).find((l) => l.path === 'General Hospital > Ward 4B')!.id;
    const res = await backend.invoke(session, 'reports.dueList', { locationIds: [ward4b], withinDays: 30 });
    const doc = (res as { ok: true; value: DueListDocument }).value;
    expect(doc.rows.map((r) => r.assetTag)).toEqual(['IP-0001']);
    expect(doc.taggedOut).toEqual([
      {
        equipmentId: defib,
        assetTag: 'DF-0002',
        name: 'Defibrillator',
        location: 'General Hospital > Ward 4B > Bay 1',
        taskLabel: 'Electrical safety test',
      },
    ]);

    const all = await backend.invoke(session, 'reports.dueList', { withinDays: 30 });
    expect((all as { ok: true; value: DueListDocument }).value.taggedOut.map((d) => `${d.assetTag} ${d.location}`)).toEqual([
      'DF-0009 General Hospital > Emergency',
      'DF-0002 General Hospital > Ward 4B > Bay 1',
    ]);
  });
});
