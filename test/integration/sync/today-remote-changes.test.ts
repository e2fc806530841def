import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../main/core/clock';
import type { Core } from '../../../main/core/context';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { setEquipmentStatus } from '../../../main/core/equipment/service';
import { markChangesSeen, remoteChanges } from '../../../main/core/hospital/changes';
import { testActor } from '../../helpers/core';
import { device, done, equipmentRow, plan } from '../plans/fixtures';
import { testHub, testPc } from './harness';

/**
 * Today's line of changes from other PCs on Ward 4B's PC, through a real hub on PostgreSQL: a
 * change counts when it arrives here, whatever time the PC that made it wrote on it (a fail logged
 * offline before this PC joined, a PC whose clock is slow); the hospital downloaded when this PC
 * joined is not news; and a PC that joined under an earlier version neither floods Today with that
 * download nor loses what it showed, once upgraded.
 */

const WARD = 'General Hospital > Ward 4B';

function news(core: Core): string[] {
  return remoteChanges(core).items.map((i) => i.text);
}

function outOfService(core: Core, id: string, reason: string): void {
  inTransaction(core, (w) => setEquipmentStatus(w, { ...testActor, name: 'Eve Admin' }, { id, status: 'out_of_service', reason }));
}

describe("Today's line of changes from other PCs", () => {
  it('says a failed test an offline PC logged before this PC joined, once it arrives after (the pump is DO NOT USE here)', async () => {
    const hub = await testHub();
    // Emergency's PC joins first, goes offline and logs a fail on a Ward 4B pump.
    const em = await testPc(hub, 'Emergency');
    const pump = device(em.core, 'IP-0100', { location: `${WARD} > Bay 1` });
    const safety = plan(em.core, pump, 'electrical_safety', '12m', '2025-01-01');
    await em.sync();
    done(em.core, safety.id, new Date(Date.now() - 60_000).toISOString(), 'fail');
    // Ward 4B's PC joins and downloads the hospital (without the fail): none of that is news.
    const ward = await testPc(hub, 'Ward 4B');
    await ward.sync();
    expect(equipmentRow(ward.core, pump).status).toBe('in_service');
    expect(remoteChanges(ward.core).count).toBe(0);
    // Emergency is back on the network: the fail reaches Ward 4B, written before it joined, arrived after.
    await em.sync();
    await ward.sync();
    expect(equipmentRow(ward.core, pump).status).toBe('out_of_service');
    expect(news(ward.core)).toEqual(['IP-0100 failed its electrical safety test']);
    inTransaction(ward.core, (w) => markChangesSeen(w));
    expect(remoteChanges(ward.core).count).toBe(0);
  });

  it('says a status set by a PC whose clock is two hours slow', async () => {
    const hub = await testHub();
    const slow: Clock = { now: () => new Date(Date.now() - 2 * 3_600_000) };
    const em = await testPc(hub, 'Emergency', { clock: slow });
    const pump = device(em.core, 'IP-0200', { location: `${WARD} > Bay 1` });
    await em.sync();
    const ward = await testPc(hub, 'Ward 4B');
    await ward.sync();
    // Minutes after Ward 4B joined, Emergency (its clock two hours slow) takes the pump out of service.
    outOfService(em.core, pump, 'Cracked housing');
    await em.sync();
    await ward.sync();
    expect(equipmentRow(ward.core, pump).status).toBe('out_of_service');
    expect(news(ward.core)).toEqual(['IP-0200 is now out of service']);
    expect(remoteChanges(ward.core).items[0]).toMatchObject({ who: 'Eve Admin', equipmentId: pump });
  });

  it('on a PC that joined under an earlier version: no flood of the hospital it downloaded, what it showed still shown, and from its first sync since, what arrives counts', async () => {
    const hub = await testHub();
    const em = await testPc(hub, 'Emergency');
    const pump = device(em.core, 'IP-0300', { location: `${WARD} > Bay 1` });
    const monitor = device(em.core, 'PM-0300', { location: `${WARD} > Bay 2` });
    const safety = plan(em.core, pump, 'electrical_safety', '12m', '2025-01-01');
    await em.sync();
    // The clinic's PC has the hospital, goes offline and logs a fail on the pump.
    const clinic = await testPc(hub, 'Clinic');
    await clinic.sync();
    done(clinic.core, safety.id, new Date(Date.now() - 60_000).toISOString(), 'fail');
    await new Promise((r) => setTimeout(r, 5));
    // Ward 4B joined and downloaded the hospital under the earlier version: no mark was set at its
    // end, and nobody here pressed Seen (that version counted only what was written after joining).
    const ward = await testPc(hub, 'Ward 4B');
    await ward.sync();
    const asBefore = () =>
      ward.core.db.prepare("DELETE FROM settings WHERE key LIKE 'pc:%:syncChangesSeen' OR key LIKE 'pc:%:syncChangesCountedAfter'").run();
    asBefore();
    expect(remoteChanges(ward.core).count).toBe(0);
    // Still under the earlier version, Emergency takes the monitor out of service and it arrives: Today said so.
    outOfService(em.core, monitor, 'Screen blank');
    await em.sync();
    await ward.sync();
    ward.core.db.prepare("DELETE FROM settings WHERE key LIKE 'pc:%:syncChangesCountedAfter'").run();
    expect(news(ward.core)).toEqual(['PM-0300 is now out of service']);
    // Upgraded: its first sync since. Nothing of the download comes up, the monitor is still said.
    await ward.sync();
    expect(news(ward.core)).toEqual(['PM-0300 is now out of service']);
    // The clinic is back: its fail, written before Ward 4B joined, arrives now, and is said.
    await clinic.sync();
    await ward.sync();
    expect(equipmentRow(ward.core, pump).status).toBe('out_of_service');
    expect(news(ward.core)).toEqual(['IP-0300 failed its electrical safety test', 'PM-0300 is now out of service']);
  });
});
