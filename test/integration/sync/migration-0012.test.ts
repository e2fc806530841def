import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { updateEquipment } from '../../../main/core/equipment/service';
import { migrations } from '../../../main/core/migrations';
import { migration0012 } from '../../../main/core/migrations/0012-key-handover-on-change';
import { devicesByTag } from '../../../main/core/sync/keys';
import { EquipmentFields } from '../../../shared/domain/equipment';
import { testActor, testCore } from '../../helpers/core';
import { databaseAt } from '../../helpers/migrations';
import { device } from '../plans/fixtures';

/**
 * Migration 0012: a folded key is handed on only when it changes. Before it, editing anything of
 * the device holding a clashing asset tag (two PCs gave it at once) failed on the UNIQUE index.
 */
describe('migration 0012 (a folded key is handed on only when it changes)', () => {
  const before = migrations.indexOf(migration0012);
  it.each(migrations.slice(0, before).map((m) => m.version))('from version %i: the holder of a clashing tag can be edited, and the tag still moves on when renamed', (version) => {
    const dir = databaseAt(version);

    const core = testCore({ dataDir: dir });
    const first = device(core, 'DF-0100', { name: 'Defibrillator in 4B' });
    const second = device(core, 'DF-0101', { name: 'Defibrillator in Emergency' });
    // As a hub's clash leaves it: the second device has the same tag, its key suffixed with its id.
    core.db.prepare("UPDATE equipment SET asset_tag = 'DF-0100', asset_tag_key = 'DF-0100' || char(31) || id WHERE id = ?").run(second);
    const edit = (id: string, tag: string, name: string) => {
      const locationId = core.db.prepare('SELECT location_id FROM equipment WHERE id = ?').pluck().get(id) as string;
      inTransaction(core, (w) => updateEquipment(w, testActor, { ...EquipmentFields.parse({ assetTag: tag, name, locationId }), id }));
    };
    edit(first, 'DF-0100', 'Defibrillator, checked');
    expect(core.db.prepare('SELECT name FROM equipment WHERE id = ?').pluck().get(first)).toBe('Defibrillator, checked');
    expect(devicesByTag(core, 'DF-0100').map((d) => d.id)).toEqual([first, second].sort());
    // Renaming the holder's tag hands the plain key to the other device.
    edit(first, 'DF-0102', 'Defibrillator, checked');
    expect(core.db.prepare('SELECT asset_tag_key FROM equipment WHERE id = ?').pluck().get(second)).toBe('DF-0100');
    expect(devicesByTag(core, 'DF-0100').map((d) => d.id)).toEqual([second]);
    core.close();
  });
});
