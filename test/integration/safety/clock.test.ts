import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../main/core/audit';
import { backupFolder, backupToFolder, listBackupFiles } from '../../../main/core/backup/folder';
import { dueList } from '../../../main/core/due/service';
import { today } from '../../../main/core/plans/service';
import { fixedClock, testBackend } from '../../helpers/core';
import { expectHealthy } from './helpers';

const DAY = 86_400_000;
const shift = (iso: string, days: number) => new Date(new Date(iso).getTime() + days * DAY).toISOString();

describe('the PC clock set back or forward a day while the app runs', () => {
  it('statuses follow the clock, and no record is lost or duplicated', async () => {
    const clock = fixedClock('2026-03-10T10:00:00Z');
    const { core, backend, session } = testBackend('admin', { clock });
    const loc = await backend.invoke(session, 'locations.create', { name: 'Ward 9' });
    const locationId = (loc as { value: { id: string } }).value.id;
    const device = await backend.invoke(session, 'equipment.create', { assetTag: 'CLK-1', name: 'Defibrillator', locationId });
    const equipmentId = (device as { value: { id: string } }).value.id;
    const plan = await backend.invoke(session, 'plans.create', { equipmentId, task: 'inspection', every: '7d', startDate: '2026-03-10', windowDays: 0, graceDays: 0 });
    expect(plan.ok, JSON.stringify(plan)).toBe(true);
    const { id: planId, nextDue } = (plan as { value: { id: string; nextDue: string } }).value;

    const statusToday = async () => {
      const res = await backend.invoke(session, 'plans.list', { equipmentId });
      const value = (res as { value: { today: string; plans: { id: string; status: string }[] } }).value;
      const rows = dueList(core, { asOf: today(core), sort: 'status' }).filter((r) => r.planId === planId);
      return { today: value.today, status: value.plans.find((p) => p.id === planId)!.status, dueList: rows.map((r) => r.status) };
    };

    const noon = `${nextDue}T12:00:00Z`;
    const writes: string[] = [];
    // Forward and back across the due date, recording a device at every step.
    for (const [day, status, dueList] of [
      [-1, 'scheduled', []],
      [0, 'due', ['due']],
      [1, 'overdue', ['overdue']],
      [0, 'due', ['due']],
      [-1, 'scheduled', []],
      [1, 'overdue', ['overdue']],
    ] as const) {
      clock.set(shift(noon, day));
      // Someone is at the PC: the jump alone must not look like a day of idling (the idle lock).
      session.lastActivityMs = clock.now().getTime();
      expect(await statusToday()).toEqual({ today: shift(noon, day).slice(0, 10), status, dueList });
      const tag = `CLK-W${writes.length}`;
      const res = await backend.invoke(session, 'equipment.create', { assetTag: tag, name: 'Scale', locationId });
      expect(res.ok).toBe(true);
      writes.push(tag);
    }
    const tags = (core.db.prepare("SELECT asset_tag FROM equipment WHERE asset_tag LIKE 'CLK-W%' ORDER BY asset_tag").all() as { asset_tag: string }[]).map((r) => r.asset_tag);
    expect(tags).toEqual([...writes].sort());
    expect(verifyAuditChain(core.db)).toMatchObject({ ok: true });
    // The audit trail's order is its sequence, not its clock times: the entries written "yesterday" are after the others.
    const times = (core.db.prepare("SELECT at FROM audit_log WHERE entity = 'equipment' ORDER BY seq").all() as { at: string }[]).map((r) => r.at);
    expect([...times].sort()).not.toEqual(times);
    expectHealthy(core.db);
  });

  it('backups taken while the clock jumps about are all kept and none overwrites another', async () => {
    const clock = fixedClock('2026-03-10T10:00:00Z');
    const { core } = testBackend('admin', { clock });
    await backupToFolder(core, 'manual');
    clock.set('2026-03-09T10:00:00Z'); // set back a day
    await backupToFolder(core, 'manual');
    clock.set('2026-03-11T10:00:00Z'); // and forward again
    await backupToFolder(core, 'manual');
    clock.set('2026-03-09T10:00:00Z'); // back to the very same moment as before
    await backupToFolder(core, 'manual');
    const backups = listBackupFiles(backupFolder(core.dataDir));
    expect(backups).toHaveLength(4);
    expect(new Set(backups.map((b) => b.fileName)).size).toBe(4);
  });
});
