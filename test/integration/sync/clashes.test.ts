import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../main/core/backend';
import { newSession } from '../../../main/core/session';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { createEquipment, findEquipmentByTag, setEquipmentStatus, updateEquipment } from '../../../main/core/equipment/service';
import { insertUser } from '../../../main/core/users/service';
import { signedInUser } from '../../helpers/users';
import { listConflicts, resolveConflict } from '../../../main/core/sync/conflicts';
import { analysePlanImport } from '../../../main/core/plans/import';
import { analyseHistoryImport } from '../../../main/core/completions/history-import';
import { devicesByTag, listClashes } from '../../../main/core/sync/keys';
import { EquipmentFields } from '../../../shared/domain/equipment';
import { testActor } from '../../helpers/core';
import { place } from '../plans/fixtures';
import type { WardPc } from './harness';
import { twoWards } from './harness';

function addDevice(pc: WardPc, tag: string, name: string): string {
  const locationId = place(pc.core, 'General Hospital > Ward 4B');
  return inTransaction(pc.core, (w) => createEquipment(w, testActor, EquipmentFields.parse({ assetTag: tag, name, locationId }))).id;
}

function asRole(pc: WardPc, role: 'ward_staff' | 'technician' | 'supervisor' | 'admin', name: string) {
  const backend = createBackend(pc.core, {
    logError: (err) => {
      throw err;
    },
  });
  const session = newSession(pc.core.clock.now().getTime());
  signedInUser(pc.core, role, { name, session });
  return { backend, session };
}

describe('names two PCs give at once', () => {
  it('keep both devices tagged DF-0100, flag the clash on every PC, and a scan finds both until one is renamed', async () => {
    const { a, b, both } = await twoWards();
    const one = addDevice(a, 'DF-0100', 'Defibrillator in 4B');
    const two = addDevice(b, 'df-0100 ', 'Defibrillator in Emergency');
    // Locally each PC still refuses a duplicate of its own.
    expect(() => addDevice(a, 'DF-0100', 'Again')).toThrow(/already used/);
    await both();
    for (const pc of [a, b]) {
      expect(pc.core.db.prepare('SELECT count(*) FROM equipment').pluck().get()).toBe(2);
      expect(listClashes(pc.core)).toEqual([
        { table: 'equipment', label: 'asset tag', name: one < two ? 'DF-0100' : 'df-0100', ids: [one, two].sort() },
      ]);
      expect(devicesByTag(pc.core, 'DF-0100').map((d) => d.id)).toEqual([one, two].sort());
      expect(findEquipmentByTag(pc.core, 'DF-0100').id).toBe([one, two].sort()[0]);
    }
    // The scan's lookup, as ward staff call it: both devices in use, each with its place, to choose from.
    const staff = asRole(b, 'ward_staff', 'Wendy Ward');
    const scanned = await staff.backend.invoke(staff.session, 'equipment.findByTag', { tag: ' df-0100' });
    expect(scanned.ok && scanned.value.sameTag).toEqual(
      [one, two].sort().map((id) => ({
        id,
        assetTag: id === one ? 'DF-0100' : 'df-0100',
        name: id === one ? 'Defibrillator in 4B' : 'Defibrillator in Emergency',
        place: 'General Hospital > Ward 4B',
      })),
    );
    // While the clash stands, the device holding the plain tag is edited like any other; the clash stays as it was.
    const holder = [one, two].sort()[0]!;
    const held = b.core.db.prepare('SELECT asset_tag, location_id FROM equipment WHERE id = ?').get(holder) as { asset_tag: string; location_id: string };
    inTransaction(b.core, (w) =>
      updateEquipment(w, testActor, { ...EquipmentFields.parse({ assetTag: held.asset_tag, name: 'Defibrillator, checked', locationId: held.location_id }), id: holder }),
    );
    expect(listClashes(b.core)).toHaveLength(1);
    expect(devicesByTag(b.core, 'DF-0100').map((d) => d.id)).toEqual([one, two].sort());
    // A supervisor renames one; the clash is gone everywhere.
    const e = a.core.db.prepare('SELECT location_id FROM equipment WHERE id = ?').pluck().get(two) as string;
    inTransaction(a.core, (w) =>
      updateEquipment(w, testActor, {
        ...EquipmentFields.parse({ assetTag: 'DF-0101', name: 'Defibrillator in Emergency', locationId: e }),
        id: two,
      }),
    );
    await both();
    for (const pc of [a, b]) {
      expect(listClashes(pc.core)).toEqual([]);
      expect(devicesByTag(pc.core, 'DF-0100').map((d) => d.id)).toEqual([one]);
      expect(devicesByTag(pc.core, 'DF-0101').map((d) => d.id)).toEqual([two]);
      expect(findEquipmentByTag(pc.core, 'DF-0100')).toMatchObject({ id: one, assetTag: 'DF-0100', sameTag: [] });
    }
  });

  it('a plans or history file naming a tag two devices in use share is refused by row, naming both; once one is retired the same file passes', async () => {
    const { a, b, both } = await twoWards();
    const one = addDevice(a, 'DF-0200', 'Defibrillator in 4B');
    const two = addDevice(b, 'DF-0200', 'Defibrillator in Emergency');
    await both();
    const names = [one, two].sort().map((id) => (id === one ? 'Defibrillator in 4B' : 'Defibrillator in Emergency'));
    const said = `the asset tag "df-0200" is on 2 devices in use (${names.join('; ')}), given apart on two PCs of the hospital: a supervisor gives one of them another tag first (the Conflicts screen lists them).`;
    const plans = new TextEncoder().encode('asset_tag,task,every,start\ndf-0200,calibration,1y,2026-01-05\n');
    expect(analysePlanImport(b.core, plans).problems).toEqual([{ row: 2, column: 'asset_tag', message: expect.stringContaining(said) }]);
    const history = new TextEncoder().encode('asset_tag,task,performed_at,outcome,performed_by\ndf-0200,calibration,2026-01-05,pass,Ann Tech\n');
    expect(analyseHistoryImport(b.core, history).problems).toEqual([{ row: 2, column: 'asset_tag', message: expect.stringContaining(said) }]);
    // The one holding the plain tag retired: the tag means the one left in use, as a scan finds it, and the plans file passes.
    const [holder, left] = [one, two].sort();
    inTransaction(b.core, (w) => setEquipmentStatus(w, testActor, { id: holder!, status: 'retired', reason: 'Duplicate entry' }));
    const passed = analysePlanImport(b.core, plans);
    expect({ problems: passed.problems, devices: passed.plans.map((p) => p.equipmentId) }).toEqual({ problems: [], devices: [left] });
  });

  it('keep two users called Ana Silva and two wards called Ward 5 under one site, flagged', async () => {
    const { a, b, both } = await twoWards();
    for (const pc of [a, b]) {
      inTransaction(pc.core, (w) =>
        insertUser(w, testActor, {
          name: 'Ana Silva',
          role: 'technician',
          homeLocationId: null,
          pinHash: null,
          passwordHash: null,
          mustSetPin: true,
        }),
      );
      place(pc.core, 'General Hospital > Ward 5');
    }
    await both();
    for (const pc of [a, b]) {
      expect(pc.core.db.prepare("SELECT count(*) FROM users WHERE name = 'Ana Silva'").pluck().get()).toBe(2);
      expect(listClashes(pc.core).map((c) => [c.table, c.name, c.ids.length])).toEqual([
        ['locations', 'Ward 5', 2],
        ['users', 'Ana Silva', 2],
      ]);
    }
  });
});

describe('fields two PCs change at once', () => {
  it('resolve to the latest edit, keep the other in the conflict log, and let a supervisor use it instead', async () => {
    const { a, b, both } = await twoWards();
    const id = addDevice(a, 'IP-1', 'Infusion pump');
    await both();
    const rename = (pc: WardPc, name: string) => {
      const e = pc.core.db.prepare('SELECT location_id FROM equipment WHERE id = ?').pluck().get(id) as string;
      inTransaction(pc.core, (w) =>
        updateEquipment(w, testActor, { ...EquipmentFields.parse({ assetTag: 'IP-1', name, locationId: e }), id }),
      );
    };
    rename(a, 'Infusion pump, Alaris');
    b.clockAhead(1000);
    rename(b, 'Infusion pump, Baxter');
    await both();
    for (const pc of [a, b]) {
      expect(pc.core.db.prepare('SELECT name FROM equipment WHERE id = ?').pluck().get(id)).toBe('Infusion pump, Baxter');
      const [c] = listConflicts(pc.core);
      expect(c).toMatchObject({
        table: 'equipment',
        row: 'IP-1 Infusion pump, Baxter',
        fields: ['name'],
        rule: 'latest',
        winner: { value: { name: 'Infusion pump, Baxter' }, pc: 'Emergency' },
        loser: { value: { name: 'Infusion pump, Alaris' }, pc: 'Ward 4B' },
      });
    }
    const [conflict] = listConflicts(b.core);
    inTransaction(b.core, (w) => resolveConflict(w, testActor, { id: conflict!.id, choice: 'used_other' }));
    await both();
    for (const pc of [a, b]) {
      expect(pc.core.db.prepare('SELECT name FROM equipment WHERE id = ?').pluck().get(id)).toBe('Infusion pump, Alaris');
      expect(listConflicts(pc.core)).toEqual([]);
      expect(listConflicts(pc.core, { all: true })[0]).toMatchObject({ resolution: 'used_other', resolvedBy: testActor.name });
    }
  });

  it('resolve a status clash to the more restrictive, flagged on top', async () => {
    const { a, b, both } = await twoWards();
    const id = addDevice(a, 'DF-7', 'Defibrillator');
    await both();
    inTransaction(a.core, (w) => setEquipmentStatus(w, testActor, { id, status: 'retired', reason: 'Beyond repair' }));
    b.clockAhead(5000);
    inTransaction(b.core, (w) => setEquipmentStatus(w, testActor, { id, status: 'out_of_service', reason: 'Sent for repair' }));
    await both();
    for (const pc of [a, b]) {
      expect(pc.core.db.prepare('SELECT status, status_reason FROM equipment WHERE id = ?').get(id)).toEqual({
        status: 'retired',
        status_reason: 'Beyond repair',
      });
      expect(listConflicts(pc.core)[0]).toMatchObject({
        rule: 'restrictive',
        fields: ['manual_status', 'manual_status_reason', 'manual_overrides'],
      });
    }
  });

  it('a status a person changes again before the next pull stands, even when their first change won a clash by the rule', async () => {
    const { a, b, both } = await twoWards();
    const id = addDevice(a, 'DF-8', 'Defibrillator');
    await both();
    // A sends "out of service"; B, not having heard it, retires the device: the rule keeps "retired" (under a clock of the hub's).
    inTransaction(a.core, (w) => setEquipmentStatus(w, testActor, { id, status: 'out_of_service', reason: 'Sent for repair' }));
    await a.client.push();
    inTransaction(b.core, (w) => setEquipmentStatus(w, testActor, { id, status: 'retired', reason: 'Beyond repair' }));
    await b.client.push();
    // Before B pulls, its supervisor takes the retirement back. That is a later edit of what B held, not a clash with it.
    inTransaction(b.core, (w) => setEquipmentStatus(w, testActor, { id, status: 'out_of_service', reason: 'Retired by mistake: back to repair' }));
    await b.client.push();
    await both();
    for (const pc of [a, b]) {
      expect(pc.core.db.prepare('SELECT status, status_reason FROM equipment WHERE id = ?').get(id)).toEqual({
        status: 'out_of_service',
        status_reason: 'Retired by mistake: back to repair',
      });
      // The clash that was (A's "out of service" against B's "retired") stays on record; the take-back is none.
      expect(listConflicts(pc.core).map((c) => [c.rule, c.winner.value.manual_status, c.loser.value.manual_status])).toEqual([
        ['restrictive', 'retired', 'out_of_service'],
      ]);
    }
  });
});

describe('a name clash ends when a supervisor renames or retires one', () => {

  it('the device holding the plain tag renamed on one PC: the clash is gone on both', async () => {
    const { a, b, both } = await twoWards();
    const one = addDevice(a, 'DF-0100', 'Defibrillator in 4B');
    const two = addDevice(b, 'DF-0100', 'Defibrillator in Emergency');
    await both();
    expect(listClashes(a.core)).toHaveLength(1);
    const holder = [one, two].sort()[0]!;
    const e = a.core.db.prepare('SELECT location_id, name FROM equipment WHERE id = ?').get(holder) as { location_id: string; name: string };
    inTransaction(a.core, (w) =>
      updateEquipment(w, testActor, { ...EquipmentFields.parse({ assetTag: 'DF-0199', name: e.name, locationId: e.location_id }), id: holder }),
    );
    await both();
    expect({ a: listClashes(a.core), b: listClashes(b.core) }).toEqual({ a: [], b: [] });
  });

  it('the sync details say "rename or retire one": retiring one of two devices tagged DF-0100 ends the clash on both PCs', async () => {
    const { a, b, both } = await twoWards();
    const one = addDevice(a, 'DF-0100', 'Defibrillator in 4B');
    const two = addDevice(b, 'DF-0100', 'Defibrillator in Emergency');
    await both();
    expect(listClashes(a.core)).toHaveLength(1);
    const later = [one, two].sort()[1]!;
    inTransaction(a.core, (w) => setEquipmentStatus(w, testActor, { id: later, status: 'retired', reason: 'Duplicate entry' }));
    await both();
    const sup = asRole(b, 'supervisor', 'Sam Supervisor');
    const status = await sup.backend.invoke(sup.session, 'sync.status', {});
    expect({ a: listClashes(a.core).length, b: status.ok ? status.value.clashes : -1 }).toEqual({ a: 0, b: 0 });
  });

  it('two users named Ana Silva: deactivating one (the way users are retired) ends the clash on both PCs', async () => {
    const { a, b, both } = await twoWards();
    for (const pc of [a, b]) {
      inTransaction(pc.core, (w) =>
        insertUser(w, testActor, { name: 'Ana Silva', role: 'technician', homeLocationId: null, pinHash: null, passwordHash: null, mustSetPin: true }),
      );
    }
    await both();
    expect(listClashes(a.core).map((c) => c.name)).toEqual(['Ana Silva']);
    const ids = (a.core.db.prepare("SELECT id FROM users WHERE name = 'Ana Silva' ORDER BY id").pluck().all() as string[]);
    const admin = asRole(a, 'admin', 'Ada Admin');
    const res = await admin.backend.invoke(admin.session, 'users.setActive', { id: ids[1]!, active: false });
    expect(res.ok).toBe(true);
    await both();
    expect({ a: listClashes(a.core).length, b: listClashes(b.core).length }).toEqual({ a: 0, b: 0 });
  });
  it('sync.clashes lists each name with its rows in use, for a supervisor only; a scan of the tag finds the device in use first', async () => {
    const { a, b, both } = await twoWards();
    const one = addDevice(a, 'DF-0300', 'Defibrillator in 4B');
    const two = addDevice(b, 'DF-0300', 'Defibrillator in Emergency');
    await both();
    const sup = asRole(b, 'supervisor', 'Sam Supervisor');
    const res = await sup.backend.invoke(sup.session, 'sync.clashes', {});
    expect(res.ok && res.value).toEqual([
      {
        label: 'asset tag',
        name: 'DF-0300',
        rows: [one, two].sort().map((id) => ({
          id,
          text: `DF-0300 ${id === one ? 'Defibrillator in 4B' : 'Defibrillator in Emergency'}, General Hospital > Ward 4B`,
          equipmentId: id,
          userId: null,
        })),
      },
    ]);
    const tech = asRole(b, 'technician', 'Tom Tech');
    expect((await tech.backend.invoke(tech.session, 'sync.clashes', {})).ok).toBe(false);
    // The device holding the plain tag retired: a scan means the one still in use first.
    const holder = [one, two].sort()[0]!;
    inTransaction(b.core, (w) => setEquipmentStatus(w, testActor, { id: holder, status: 'retired', reason: 'Duplicate entry' }));
    expect(devicesByTag(b.core, 'DF-0300').map((d) => d.id)).toEqual([[one, two].sort()[1], holder]);
    // Only one of them in use: nothing to choose.
    expect(findEquipmentByTag(b.core, 'df-0300 ')).toEqual({ id: [one, two].sort()[1], assetTag: 'DF-0300', name: 'Defibrillator in Emergency', sameTag: [] });
  });
});
