import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { searchEquipment, withSearchFilledInBulk } from '../../../main/core/equipment/search';
import type { Core } from '../../../main/core/context';
import { testCore } from '../../helpers/core';
import { device } from '../plans/fixtures';
import { count, importText } from './fixtures';

/**
 * Issue 17: an import adds its devices with the search index's trigger stood aside and fills the
 * index once at the end. What a person checks is that every device is found once, before and after,
 * and that the schema is never left without the trigger, however the import ends.
 */

const TRIGGER_SQL = "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'equipment_search_insert'";
const triggerOf = (core: Core) => core.db.prepare(TRIGGER_SQL).pluck().get();
const found = (core: Core, text: string) => searchEquipment(core, { text }, { offset: 0, limit: 100 }).rows.map((r) => r.assetTag);

const FILE = [
  'Tag,Name,Location,Manufacturer,Serial',
  'BULK-001,Infusion pump,General Hospital > Ward 4B,Baxter,SNA-1',
  'BULK-002,Syringe driver,General Hospital > Ward 4B,BD,SNA-2',
  'BULK-003,Defibrillator,General Hospital > Ward 5,Zoll,SNA-3',
].join('\n');

describe('the search index filled in bulk by an import', () => {
  it('finds every device once, those from before, those imported and one added after, and the trigger is back as it was stored', () => {
    const core = testCore();
    const stored = triggerOf(core);
    expect(stored).toMatch(/^CREATE TRIGGER equipment_search_insert AFTER INSERT ON equipment/);
    device(core, 'OLD-001', { name: 'Patient monitor' });

    expect(importText(core, FILE).created).toBe(3);
    expect(triggerOf(core)).toBe(stored);
    device(core, 'NEW-001', { name: 'Bladder scanner' });

    expect(found(core, 'BULK')).toEqual(['BULK-001', 'BULK-002', 'BULK-003']);
    expect(found(core, 'Zoll')).toEqual(['BULK-003']);
    expect(found(core, 'SNA-2')).toEqual(['BULK-002']);
    expect(found(core, 'monitor')).toEqual(['OLD-001']);
    expect(found(core, 'bladder')).toEqual(['NEW-001']);
    // One index row per device: the devices from before were not indexed a second time.
    expect(count(core, 'equipment_search')).toBe(count(core, 'equipment'));
    core.close();
  });

  it('a failure caught inside the transaction still leaves the devices added before it indexed, and the trigger in place', () => {
    const core = testCore();
    const stored = triggerOf(core);
    inTransaction(core, (w) => {
      try {
        withSearchFilledInBulk(w, () => {
          device(w, 'PART-001', { name: 'Suction unit' });
          throw new Error('the file ended early');
        });
      } catch (err) {
        expect((err as Error).message).toBe('the file ended early');
      }
      // The caller kept the transaction and goes on writing: a device added now is indexed by the trigger.
      device(w, 'PART-002', { name: 'Suction unit' });
    });
    expect(triggerOf(core)).toBe(stored);
    expect(found(core, 'suction')).toEqual(['PART-001', 'PART-002']);
    expect(count(core, 'equipment_search')).toBe(2);
    core.close();
  });

  it('a failure that rolls the transaction back leaves the schema, the devices and the index as they were', () => {
    const core = testCore();
    const stored = triggerOf(core);
    device(core, 'KEEP-001', { name: 'Ventilator' });
    expect(() =>
      inTransaction(core, (w) =>
        withSearchFilledInBulk(w, () => {
          device(w, 'GONE-001', { name: 'Ventilator' });
          throw new Error('disk full');
        }),
      ),
    ).toThrow('disk full');
    expect(triggerOf(core)).toBe(stored);
    expect(found(core, 'ventilator')).toEqual(['KEEP-001']);
    expect([count(core, 'equipment'), count(core, 'equipment_search')]).toEqual([1, 1]);
    core.close();
  });

  it('a second process that opens the file while the import writes still sees the trigger, and a device it adds is found', () => {
    const core = testCore();
    const file = path.join(core.dataDir, 'wardkeep.sqlite3');
    const other = new Database(file, { readonly: true });
    let seenMeanwhile: unknown;
    inTransaction(core, (w) =>
      withSearchFilledInBulk(w, () => {
        device(w, 'MID-001', { name: 'ECG machine' });
        seenMeanwhile = other.prepare(TRIGGER_SQL).pluck().get();
      }),
    );
    other.close();
    expect(seenMeanwhile).toBe(triggerOf(core));
    device(core, 'AFTER-001', { name: 'ECG machine' });
    expect(found(core, 'ECG')).toEqual(['AFTER-001', 'MID-001']);
    core.close();
  });

  it('a device renamed after it was added, before the index is filled, is found once, by its new name only', () => {
    const core = testCore();
    inTransaction(core, (w) =>
      withSearchFilledInBulk(w, () => {
        device(w, 'REN-001', { name: 'Patient scale' });
        device(w, 'REN-002', { name: 'Patient scale' });
        // The index's update trigger still stands: it indexes the renamed device at once.
        w.db.prepare("UPDATE equipment SET name = 'Bladder scanner' WHERE asset_tag = 'REN-001'").run();
      }),
    );
    expect(found(core, 'bladder')).toEqual(['REN-001']);
    expect(found(core, 'scale')).toEqual(['REN-002']);
    expect(count(core, 'equipment_search')).toBe(2);
    core.close();
  });

  it('refuses to run outside a transaction, where the trigger could be left out', () => {
    const core = testCore();
    expect(() => withSearchFilledInBulk({ ...core, writable: true }, () => 1)).toThrow(
      'The search index is filled in bulk only inside a transaction.',
    );
    expect(triggerOf(core)).not.toBeUndefined();
    core.close();
  });
});
