import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createBackend } from '../../../main/core/backend';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { newSession } from '../../../main/core/session';
import { createStockLocation, createSupplyItem, setStockLevel } from '../../../main/core/stock/catalog';
import { SyncClient, transportFor } from '../../../main/core/sync/engine';
import { createEnrolCode } from '../../../main/hub/pcs';
import type { RunningHub } from '../../../main/hub/server';
import { startHub } from '../../../main/hub/server';
import { testActor, testCore } from '../../helpers/core';
import { caller } from '../../helpers/invoke';
import { createDatabase } from '../../helpers/pg';
import { device, done, plan } from '../plans/fixtures';
import { filterLines } from '../../helpers/print-header';

/**
 * Issue 20: "due lists, the compliance report, stickers and stock lists can be made for any ward
 * or for the whole hospital from any PC; devices from other wards carry their ward; search and scan
 * find any device in the hospital". Ward 7's PC holds its devices, records and store; the
 * Emergency department's PC, after one sync, makes each of them for Ward 7 and for the hospital,
 * through the channels the screens call.
 */

let hub: RunningHub;
let drop: () => Promise<void>;

beforeAll(async () => {
  const db = await createDatabase(inject('pgBaseUrl'));
  drop = db.drop;
  hub = await startHub({ databaseUrl: db.url, host: '127.0.0.1', port: 0, tlsDir: null, log: () => undefined });
});

afterAll(async () => {
  await hub?.close();
  await drop?.();
});

async function adminPc(name: string) {
  const core = testCore();
  const backend = createBackend(core);
  const call = caller(backend, newSession(Date.now()));
  await call('auth.setupFirstAdmin', { name: 'Ada Admin', password: 'correct horse battery', pin: '2468' });
  const { code } = await createEnrolCode(hub.pool, name);
  await call('sync.join', { hub: hub.url, code, fingerprint: hub.tls.fingerprint, fingerprintChecked: true });
  return { core, call, sync: () => new SyncClient(core, transportFor(core)).syncOnce() };
}

const localDate = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

describe('views across wards from another PC', () => {
  it("the Emergency PC makes Ward 7's due list, compliance report, stickers and reorder list, and finds its devices", async () => {
    const ward7 = await adminPc('Ward 7 PC');
    const defib = device(ward7.core, 'DF-0700', { name: 'Defibrillator', location: 'City Hospital > Ward 7', risk: 'high' });
    const pump = device(ward7.core, 'IP-0701', { name: 'Infusion pump', location: 'City Hospital > Ward 7' });
    const now = new Date();
    const today = localDate(now);
    const calibration = plan(ward7.core, defib, 'calibration', '1y', '2025-01-01').id;
    done(ward7.core, calibration, now.toISOString(), 'pass');
    // The pump's safety test fell due two months ago and was never done.
    const twoMonthsAgo = new Date(now.getFullYear(), now.getMonth() - 2, 1);
    plan(ward7.core, pump, 'electrical_safety', '1y', localDate(twoMonthsAgo));
    const wardId = ward7.core.db.prepare("SELECT id FROM locations WHERE name = 'Ward 7'").pluck().get() as string;
    inTransaction(ward7.core, (w) => {
      const store = createStockLocation(w, testActor, { name: 'Ward 7 crash cart', kind: 'crash_cart', locationId: wardId, equipmentId: null });
      const pads = createSupplyItem(w, testActor, { name: 'Defibrillator pads', code: 'PAD-1', unit: 'pair', defaultSupplier: null });
      setStockLevel(w, testActor, { stockLocationId: store.id, itemId: pads.id, par: 4, minimum: 2 });
    });
    await ward7.sync();

    const emergency = await adminPc('Emergency PC');
    await emergency.sync();
    const edId = (await emergency.call('locations.create', { name: 'Emergency' })).id;
    await emergency.call('settings.update', { defaultLocationId: edId });

    // Scan and search find Ward 7's devices, with their ward.
    expect(await emergency.call('equipment.findByTag', { tag: 'df-0700' })).toMatchObject({ id: defib, assetTag: 'DF-0700' });
    const found = await emergency.call('equipment.search', { text: 'IP-0701' });
    expect(found.rows).toEqual([expect.objectContaining({ id: pump, locationPath: 'City Hospital > Ward 7' })]);

    // Today for Ward 7, and for every ward with counts per ward.
    const todayWard7 = await emergency.call('due.today', { locationId: wardId });
    expect(todayWard7.locationPath).toBe('City Hospital > Ward 7');
    expect(todayWard7.rows).toEqual([expect.objectContaining({ assetTag: 'IP-0701', task: 'electrical_safety', status: 'overdue', wardPath: 'City Hospital > Ward 7' })]);
    const todayAll = await emergency.call('due.today', { locationId: null });
    expect(todayAll.counts).toEqual([expect.objectContaining({ wardPath: 'City Hospital > Ward 7', overdue: 1 })]);

    // The printed due list for Ward 7: the overdue pump, under its ward.
    const dueList = await emergency.call('reports.dueList', { locationIds: [wardId], withinDays: 30 });
    expect(filterLines(dueList.header).join(' ')).toContain('City Hospital > Ward 7');
    expect(dueList.rows).toEqual([expect.objectContaining({ assetTag: 'IP-0701', status: 'overdue' })]);
    expect(dueList.counts.overdue).toBe(1);

    // The compliance report for Ward 7 counts the pump's missed test and the defibrillator's late
    // calibration (a high-risk exception, with its ward); the hospital's report holds the same.
    const period = { from: `${now.getFullYear() - 1}-01-01`, to: today };
    const compliance = await emergency.call('reports.compliance', { ...period, locationIds: [wardId] });
    expect(filterLines(compliance.header)).toContain('Locations: City Hospital > Ward 7');
    expect(compliance.report.rows).toEqual([
      expect.objectContaining({ task: 'calibration', risk: 'high', due: 1, late: 1 }),
      expect.objectContaining({ task: 'electrical_safety', due: 1, missed: 1 }),
    ]);
    expect(compliance.report.highRisk.exceptions).toEqual([
      expect.objectContaining({ assetTag: 'DF-0700', location: 'City Hospital > Ward 7', verdict: 'late' }),
    ]);
    const hospitalWide = await emergency.call('reports.compliance', period);
    expect(hospitalWide.report.total).toEqual(compliance.report.total);
    // Emergency's own ward has nothing due: an honest empty report, not Ward 7's.
    const own = await emergency.call('reports.compliance', { ...period, locationIds: [edId] });
    expect(own.report.total.due).toBe(0);

    // Stickers for what Ward 7 calibrated today.
    const stickers = await emergency.call('reports.stickers', { calibratedOn: today, stock: 'a4-3x8', symbology: 'code128' });
    expect(stickers.stickers).toEqual([
      expect.objectContaining({ assetTag: 'DF-0700', location: 'City Hospital > Ward 7', kind: 'calibrated', calibratedOn: today }),
    ]);

    // Ward 7's crash cart needs pads, seen from Emergency.
    const reorder = await emergency.call('stock.reorderList', { locationId: wardId });
    expect(reorder.rows).toEqual([
      expect.objectContaining({ name: 'Defibrillator pads', stockLocationName: 'Ward 7 crash cart', locationPath: 'City Hospital > Ward 7' }),
    ]);
  });
});
