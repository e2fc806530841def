import { describe, expect, it } from 'vitest';
import type { Equipment } from '../../../shared/domain/equipment';
import { equipmentExpected } from '../../../shared/contract/equipment';
import { testBackend } from '../../helpers/core';
import { count, importText, SAMPLE } from './fixtures';
import { call as callAs } from '../../helpers/invoke';
import type { ChannelInput, ChannelName, ChannelOutput } from '../../../shared/contract';

type B = ReturnType<typeof testBackend>;

function call<C extends ChannelName>(b: B, channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  return callAs(b.backend, b.session, channel, input);
}

async function seeded(role: 'technician' | 'supervisor' = 'supervisor') {
  const b = testBackend(role);
  importText(b.core, SAMPLE);
  const byTag = async (tag: string) =>
    call(b, 'equipment.get', { id: (await call(b, 'equipment.findByTag', { tag })).id });
  return { b, byTag };
}

const auditOf = (b: B, id: string) =>
  b.core.db.prepare('SELECT action, actor_name, old_value, new_value FROM audit_log WHERE entity_id = ? ORDER BY seq').all(id) as {
    action: string;
    actor_name: string;
    old_value: string | null;
    new_value: string | null;
  }[];

describe('finding a device by its scanned tag', () => {
  it('matches exactly, ignoring case and surrounding spaces, and says not_found otherwise', async () => {
    const { b } = await seeded('technician');
    expect(await b.backend.invoke(b.session, 'equipment.findByTag', { tag: '  ip-0001\t' })).toMatchObject({
      ok: true,
      value: { assetTag: 'IP-0001' },
    });
    expect(await b.backend.invoke(b.session, 'equipment.findByTag', { tag: 'IP-000' })).toEqual({
      ok: false,
      error: { code: 'not_found', field: 'tag', message: 'No device has the asset tag "IP-000".' },
    });
  });
});

describe('editing a device', () => {
  it('changes every field, keeps tags unique, and audits only what changed', async () => {
    const { b, byTag } = await seeded();
    const pump = await byTag('IP-0001');
    const clinic = (await call(b, 'locations.list', {})).find((l) => l.path === 'Clinic Nord')!;
    const updated = await call(b, 'equipment.update', {
      id: pump.id,
      assetTag: 'IP-0001-A',
      name: 'Infusion pump (large volume)',
      locationId: clinic.id,
      categoryId: pump.categoryId,
      manufacturer: 'Baxter',
      model: 'Sigma Spectrum',
      serial: 'SN-1b',
      risk: 'medium',
      ownership: 'rental',
      acquiredOn: '2020-01-15',
      inServiceOn: '2020-02-01',
      warrantyUntil: null,
      referenceStandard: false,
      notes: 'Hired for winter',
    });
    expect(updated).toMatchObject({
      assetTag: 'IP-0001-A',
      locationPath: 'Clinic Nord',
      risk: 'medium',
      ownership: 'rental',
      warrantyUntil: null,
      notes: 'Hired for winter',
    });
    const last = auditOf(b, pump.id).at(-1)!;
    expect(last.action).toBe('update');
    expect(JSON.parse(last.old_value!)).toEqual({
      asset_tag: 'IP-0001',
      asset_tag_key: 'IP-0001',
      name: 'Infusion pump',
      serial: 'SN-1',
      location_id: pump.locationId,
      risk: 'high',
      ownership: 'owned',
      warranty_until: '2025-01-31',
      notes: null,
    });
    // Search follows the edit (the trigram index is kept by triggers).
    expect((await call(b, 'equipment.search', { text: 'large volume' })).total).toBe(1);
    expect((await call(b, 'equipment.search', { text: 'SN-1b' })).total).toBe(1);

    const df = await byTag('DF-0002');
    const dup = await b.backend.invoke(b.session, 'equipment.update', { ...fieldsOf(df), assetTag: ' ip-0001-a ' });
    expect(dup).toEqual({
      ok: false,
      error: { code: 'conflict', field: 'assetTag', message: 'Asset tag IP-0001-A is already used by "Infusion pump (large volume)".' },
    });
  });

  it('is for supervisors; technicians may read', async () => {
    const { b, byTag } = await seeded('technician');
    const df = await byTag('DF-0002');
    expect(await b.backend.invoke(b.session, 'equipment.update', fieldsOf(df))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

function fieldsOf(e: Equipment) {
  return { id: e.id, ...equipmentExpected(e) };
}

describe('changing status', () => {
  it('records the reason and the old and new status in the audit trail', async () => {
    const { b, byTag } = await seeded('supervisor');
    const pump = await byTag('IP-0001');
    const out = await call(b, 'equipment.setStatus', {
      id: pump.id,
      status: 'out_of_service',
      reason: '  Occlusion alarm fails  ',
    });
    expect(out).toMatchObject({ status: 'out_of_service', statusReason: 'Occlusion alarm fails' });
    const entry = auditOf(b, pump.id).at(-1)!;
    expect(entry).toMatchObject({ action: 'status', actor_name: 'Test supervisor' });
    expect(JSON.parse(entry.old_value!)).toMatchObject({ status: 'in_service', status_reason: null });
    expect(JSON.parse(entry.new_value!)).toMatchObject({ status: 'out_of_service', status_reason: 'Occlusion alarm fails' });
    for (const status of ['retired', 'missing', 'in_service'] as const) {
      expect((await call(b, 'equipment.setStatus', { id: pump.id, status, reason: `to ${status}` })).status).toBe(status);
    }
    expect(auditOf(b, pump.id).filter((a) => a.action === 'status')).toHaveLength(4);
    const tech = testBackend('technician');
    expect(await tech.backend.invoke(tech.session, 'equipment.setStatus', { id: pump.id, status: 'retired', reason: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('needs a reason and a real change', async () => {
    const { b, byTag } = await seeded();
    const pump = await byTag('IP-0001');
    expect(await b.backend.invoke(b.session, 'equipment.setStatus', { id: pump.id, status: 'retired', reason: ' ' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'reason', message: 'Reason is required.' },
    });
    expect(await b.backend.invoke(b.session, 'equipment.setStatus', { id: pump.id, status: 'in_service', reason: 'x' })).toMatchObject({
      ok: false,
      error: { message: '"Infusion pump" is already in service.' },
    });
  });

  it('made on the status the dialog opened with, after someone else retired the device, is refused naming the status now; the device stays retired', async () => {
    const { b, byTag } = await seeded();
    const pump = await byTag('IP-0001');
    await call(b, 'equipment.setStatus', { id: pump.id, status: 'retired', reason: 'Replaced by a new pump', expected: { status: 'in_service' } });
    expect(await b.backend.invoke(b.session, 'equipment.setStatus', { id: pump.id, status: 'out_of_service', reason: 'Alarm', expected: { status: 'in_service' } })).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        field: 'status',
        message: 'IP-0001 is now retired (“Replaced by a new pump”): someone else changed its status since you opened this. Check it, and change it again if you still mean to.',
      },
    });
    expect((await byTag('IP-0001')).status).toBe('retired');
    expect(auditOf(b, pump.id).filter((a) => a.action === 'status')).toHaveLength(1);
  });
});

describe('deleting a device', () => {
  it('deletes one with no history, with an audit entry', async () => {
    const { b, byTag } = await seeded();
    const analyser = await byTag('AN-0003');
    expect(await call(b, 'equipment.delete', { id: analyser.id })).toEqual({ id: analyser.id });
    expect(count(b.core, 'equipment')).toBe(3);
    expect(auditOf(b, analyser.id).at(-1)?.action).toBe('delete');
    expect((await call(b, 'equipment.search', { text: 'analyser' })).total).toBe(0);
    // Imported as missing, the scale's status history began then (issue 16): that is history.
    const scale = await byTag('SC-0004');
    expect(await b.backend.invoke(b.session, 'equipment.delete', { id: scale.id })).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/has plans or history/) } });
  });

  it('refuses once it has a plan or history, saying to retire it; the database refuses too', async () => {
    const { b, byTag } = await seeded();
    const df = await byTag('DF-0002');
    const now = new Date().toISOString();
    b.core.db
      .prepare(
        `INSERT INTO plans (id, equipment_id, task, interval_n, interval_unit, start_date, window_days, grace_days, next_due, due_from, created_at, updated_at, pc_id)
         VALUES ('01900000-0000-7000-8000-000000000001', ?, 'inspection', 1, 'month', '2025-01-01', 7, 0, '2025-02-01', '2025-01-25', ?, ?, 'pc')`,
      )
      .run(df.id, now, now);
    expect(await b.backend.invoke(b.session, 'equipment.delete', { id: df.id })).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        field: 'id',
        message: 'DF-0002 "Defibrillator" has plans or history, so it cannot be deleted; retire it instead (change its status to Retired).',
      },
    });
    expect(() => b.core.db.prepare('DELETE FROM equipment WHERE id = ?').run(df.id)).toThrow(/retired, never deleted/);
    expect(count(b.core, 'equipment')).toBe(4);
  });
});

describe('the list', () => {
  it('filters by location subtree, category, risk and status, sorts by any column, pages, and counts', async () => {
    const { b } = await seeded('technician');
    type Page = { total: number; rows: { assetTag: string; locationPath: string }[] };
    const tags = (p: Page) => p.rows.map((r) => r.assetTag);
    const hospital = (await call(b, 'locations.list', {})).find((l) => l.path === 'General Hospital')!;
    expect(tags(await call(b, 'equipment.search', { locationId: hospital.id }))).toEqual(['AN-0003', 'DF-0002', 'IP-0001']);
    const cats = await call(b, 'categories.list', {});
    expect(tags(await call(b, 'equipment.search', { categoryId: cats.find((c) => c.name === 'Defibrillator')!.id }))).toEqual([
      'DF-0002',
    ]);
    expect(tags(await call(b, 'equipment.search', { risks: ['high'], statuses: ['in_service'] }))).toEqual(['IP-0001']);
    expect(tags(await call(b, 'equipment.search', { sort: 'location' }))).toEqual(['SC-0004', 'DF-0002', 'IP-0001', 'AN-0003']);
    expect(tags(await call(b, 'equipment.search', { sort: 'location', direction: 'desc' }))).toEqual([
      'AN-0003',
      'IP-0001',
      'DF-0002',
      'SC-0004',
    ]);
    expect(tags(await call(b, 'equipment.search', { sort: 'status' }))).toEqual(['AN-0003', 'IP-0001', 'DF-0002', 'SC-0004']);
    expect(tags(await call(b, 'equipment.search', { sort: 'manufacturer', direction: 'desc' }))).toEqual([
      'DF-0002',
      'SC-0004',
      'AN-0003',
      'IP-0001',
    ]);
    expect(tags(await call(b, 'equipment.search', { sort: 'category' }))).toEqual(['DF-0002', 'IP-0001', 'AN-0003', 'SC-0004']);
    const page = await call(b, 'equipment.search', { sort: 'assetTag', offset: 1, limit: 2 });
    expect(page).toMatchObject({ total: 4, offset: 1, limit: 2 });
    expect(tags(page)).toEqual(['DF-0002', 'IP-0001']);
    // Partial words anywhere, short ones too; every word must match.
    expect(tags(await call(b, 'equipment.search', { text: 'defib zoll' }))).toEqual(['DF-0002']);
    expect(tags(await call(b, 'equipment.search', { text: 'ZR' }))).toEqual(['DF-0002']);
    expect(tags(await call(b, 'equipment.search', { text: '100%' }))).toEqual([]);
    expect(await b.backend.invoke(b.session, 'equipment.search', { limit: 5000 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });
});

describe('locations', () => {
  it('renaming moves nothing: every device keeps its place and shows the new path', async () => {
    const { b, byTag } = await seeded();
    const ward = (await call(b, 'locations.list', {})).find(
      (l) => l.path === 'General Hospital > Ward 4B',
    )!;
    const before = await byTag('IP-0001');
    const renamed = await call(b, 'locations.rename', { id: ward.id, name: 'Ward 4C' });
    expect(renamed.path).toBe('General Hospital > Ward 4C');
    const after = await byTag('IP-0001');
    expect(after.locationId).toBe(before.locationId);
    expect(after.locationPath).toBe('General Hospital > Ward 4C > Bay 1');
    expect((await byTag('DF-0002')).locationPath).toBe('General Hospital > Ward 4C');
    expect(auditOf(b, ward.id).at(-1)?.action).toBe('rename');
  });

  it('moves a branch under another parent, relabels kinds, and refuses cycles and a fourth level', async () => {
    const { b, byTag } = await seeded();
    const list = async () => call(b, 'locations.list', {});
    const find = async (path: string) => (await list()).find((l) => l.path === path)!;
    const clinic = await find('Clinic Nord');
    const ward = await find('General Hospital > Ward 4B');
    const moved = await call(b, 'locations.move', {
      id: clinic.id,
      parentId: (await find('General Hospital')).id,
    });
    expect(moved).toMatchObject({ path: 'General Hospital > Clinic Nord', kind: 'ward' });
    expect((await byTag('SC-0004')).locationPath).toBe('General Hospital > Clinic Nord');
    expect(
      await b.backend.invoke(b.session, 'locations.move', { id: (await find('General Hospital')).id, parentId: ward.id }),
    ).toMatchObject({
      ok: false,
      error: { message: 'A location cannot be moved inside itself or into a location it contains.' },
    });
    // Ward 4B holds Bay 1: under a ward, Bay 1 would be a fourth level.
    expect(
      await b.backend.invoke(b.session, 'locations.move', { id: ward.id, parentId: (await find('General Hospital > Clinic Nord')).id }),
    ).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/three levels deep/) },
    });
    const site = await call(b, 'locations.move', { id: ward.id, parentId: null });
    expect(site).toMatchObject({ path: 'Ward 4B', kind: 'site' });
    expect((await find('Ward 4B > Bay 1')).kind).toBe('ward');
  });

  it('deactivates only an empty location, and gives the tree with counts', async () => {
    const { b } = await seeded();
    const find = async (path: string) =>
      (await call(b, 'locations.list', {})).find((l) => l.path === path)!;
    const tree = await call(b, 'locations.tree', {});
    expect(tree.map((n) => [n.name, n.totalCount])).toEqual([
      ['Clinic Nord', 1],
      ['General Hospital', 3],
    ]);
    expect(tree[1]!.children.map((c) => [c.name, c.totalCount])).toEqual([
      ['Ward 4B', 2],
      ['Workshop', 1],
    ]);
    expect(await b.backend.invoke(b.session, 'locations.deactivate', { id: (await find('General Hospital')).id })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: '"General Hospital" still holds 2 locations; move them elsewhere first.' },
    });
    const store = await call(b, 'locations.create', { name: 'Old store', parentId: (await find('General Hospital')).id });
    expect(await call(b, 'locations.deactivate', { id: store.id })).toEqual({ id: store.id });
    expect(await find('General Hospital > Old store')).toBeUndefined();
    // Creating it again brings the same location back rather than failing on the hidden one.
    const again = await call(b, 'locations.create', { name: 'Old Store', parentId: (await find('General Hospital')).id });
    expect(again.id).toBe(store.id);
  });
});

describe('categories', () => {
  it('creates, renames and deletes, names unique whatever their case', async () => {
    const { b } = await seeded();
    const created = await call(b, 'categories.create', {
      name: 'Ventilator',
      defaultRisk: 'high',
    });
    expect(created).toMatchObject({ name: 'Ventilator', defaultRisk: 'high', equipmentCount: 0 });
    expect(await b.backend.invoke(b.session, 'categories.create', { name: ' VENTILATOR ' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'There is already a category called "Ventilator".' },
    });
    expect(
      await call(b, 'categories.update', { id: created.id, name: 'Ventilators', defaultRisk: 'high', notes: 'ICU and theatre' }),
    ).toMatchObject({
      name: 'Ventilators',
      notes: 'ICU and theatre',
    });
    expect(await call(b, 'categories.delete', { id: created.id })).toEqual({ id: created.id });
    const defib = (await call(b, 'categories.list', {})).find(
      (c) => c.name === 'Defibrillator',
    )!;
    expect(defib.equipmentCount).toBe(1);
    expect(await b.backend.invoke(b.session, 'categories.delete', { id: defib.id })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: '"Defibrillator" is the category of 1 device; give them another category first.' },
    });
  });
});
