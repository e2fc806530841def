import { describe, expect, it } from 'vitest';
import { exportEquipment } from '../../../main/core/equipment/export';
import { testBackend, testCore } from '../../helpers/core';
import { call as callAs } from '../../helpers/invoke';
import type { ChannelInput, ChannelName, ChannelOutput } from '../../../shared/contract';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { commitEquipmentImport } from '../../../main/core/equipment/import/service';
import { testActor } from '../../helpers/core';

type B = ReturnType<typeof testBackend>;
function call<C extends ChannelName>(b: B, channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  return callAs(b.backend, b.session, channel, input);
}

const rows = (core: B['core']) =>
  core.db
    .prepare(
      `SELECT e.asset_tag, e.name, e.manufacturer, e.model, e.serial, e.risk, e.ownership, e.status, e.acquired_on, e.in_service_on,
         e.warranty_until, e.reference_standard, e.notes, c.name AS category, l.name AS location
       FROM equipment e LEFT JOIN categories c ON c.id = e.category_id JOIN locations l ON l.id = e.location_id ORDER BY e.asset_tag_key`,
    )
    .all();

/** Devices a supervisor typed in through the add form, with the awkward values real inventories hold. */
async function awkwardInventory() {
  const b = testBackend('supervisor');
  const site = await call(b, 'locations.create', { name: 'Hôpital Nord' });
  const ward = await call(b, 'locations.create', { name: 'Station 3 (Kinder), Süd', parentId: site.id });
  const cat = await call(b, 'categories.create', { name: 'Défibrillateur "biphasique", adulte' });
  const devices = [
    { assetTag: 'ÄÖ-1', name: 'Pump "Alaris", 8100', manufacturer: 'Dräger', model: '=HYPERLINK("http://x","click")', serial: 'SN,1"2' },
    { assetTag: '-17', name: '@risk monitor', manufacturer: '+44 20 7946 0000', model: '-M5', serial: "'=A1" },
    { assetTag: 'Q-3', name: 'جهاز مراقبة', model: '0012', serial: '00123', notes: 'Line 1\nLine 2, with a comma\n=not a formula here' },
    { assetTag: 'Q-4', name: 'Scale', serial: '1e5', model: '+1.5', manufacturer: "O'Brien & Co; Ltd" },
    { assetTag: 'Q-5', name: 'Tab\tinside', notes: 'ends with a quote"' },
  ];
  for (const d of devices) await call(b, 'equipment.create', { ...d, locationId: ward.id, categoryId: cat.id, acquiredOn: '2001-02-03' });
  return b;
}

describe('export then import gives the same inventory, whatever the cells hold', () => {
  it('CSV text: every field comes back as it was typed', async () => {
    const a = await awkwardInventory();
    const csv = exportEquipment(a.core, 'csv');
    const second = testCore();
    inTransaction(second, (core) => commitEquipmentImport(core, testActor, { source: { text: csv.content }, generateTagsPrefix: null }));
    expect(rows(second)).toEqual(rows(a.core));
    expect(exportEquipment(second, 'csv').content).toBe(csv.content);
  });

  it('CSV as the bytes of the saved file (UTF-8): every field comes back as it was typed', async () => {
    const a = await awkwardInventory();
    const csv = exportEquipment(a.core, 'csv');
    const second = testCore();
    const bytes = new TextEncoder().encode(csv.content);
    inTransaction(second, (core) => commitEquipmentImport(core, testActor, { source: { bytes }, generateTagsPrefix: null }));
    expect(rows(second)).toEqual(rows(a.core));
  });
});
