import { describe, expect, it } from 'vitest';
import type { Result } from '../../shared/result';
import { verifyAuditChain } from '../../main/core/audit';
import { snapshot } from '../integration/safety/helpers';
import { SQL_INJECTIONS } from './arbitraries';
import { importEnv } from './csv-import';

/** The value of a call that must succeed (the backend types it from the contract). */
function ok<T>(res: Result<T>): T {
  expect(res).toMatchObject({ ok: true });
  if (!res.ok) throw new Error(res.error.message);
  return res.value;
}

/**
 * Every text a person can type reaches SQLite only as a bound parameter (or an escaped FTS
 * phrase): injection attempts are stored as the text they are and break nothing.
 */
describe('SQL injection through every text field', () => {
  it.each(SQL_INJECTIONS.map((s, i) => [i, s] as const))('attempt %i is stored and found literally: %s', async (i, evil) => {
    const { backend, session } = await importEnv();
    const db = backend.core.db;
    const tables = Object.keys(snapshot(db).counts);
    const text = `${evil} #${i}`; // unique per attempt, still starts with the attack

    const site = ok(await backend.invoke(session, 'locations.create', { name: text.replace(/>/g, '›') }));
    expect(site.name).toBe(text.replace(/>/g, '›'));
    const renamed = ok(await backend.invoke(session, 'locations.rename', { id: site.id, name: `${text.replace(/>/g, '›')} (renamed)` }));
    expect(renamed.name).toBe(`${text.replace(/>/g, '›')} (renamed)`);
    const category = ok(await backend.invoke(session, 'categories.create', { name: text, notes: text }));
    expect([category.name, category.notes]).toEqual([text, text]);

    const fields = { name: text, manufacturer: text, model: text, serial: text, notes: text };
    const device = ok(
      await backend.invoke(session, 'equipment.create', { assetTag: `T${i}-${evil}`.slice(0, 64).replace(/[\u0000-\u001f\u007f]/g, '?'), locationId: site.id, categoryId: category.id, ...fields }),
    );
    const stored = ok(await backend.invoke(session, 'equipment.get', { id: device.id }));
    expect(stored).toMatchObject(fields);
    expect(ok(await backend.invoke(session, 'equipment.findByTag', { tag: device.assetTag })).id).toBe(device.id);
    ok(await backend.invoke(session, 'equipment.setStatus', { id: device.id, status: 'out_of_service', reason: text }));
    expect(ok(await backend.invoke(session, 'equipment.get', { id: device.id })).statusReason).toBe(text);

    // Search: the attack is only ever words to look for; it finds nothing it does not contain.
    const search = ok(await backend.invoke(session, 'equipment.search', { text: evil }));
    expect(search.total).toBeLessThanOrEqual(1);
    expect(ok(await backend.invoke(session, 'equipment.search', { text: `${evil} nothing-like-this-anywhere` })).total).toBe(0);

    const user = ok(await backend.invoke(session, 'users.create', { name: text, role: 'technician', temporaryPin: '482613' }));
    expect(user.name).toBe(text);
    const settings = ok(await backend.invoke(session, 'settings.update', { hospitalName: text }));
    expect(settings.hospitalName).toBe(text.trim());

    // Through a CSV import too: a cell is a value, never SQL.
    const csv = `asset_tag,name,location,manufacturer,notes\nCSV-${i},"${text.replace(/"/g, '""')}",Imported ward,"${text.replace(/"/g, '""')}","${text.replace(/"/g, '""')}"\n`;
    ok(await backend.invoke(session, 'equipment.import.commit', { source: { text: csv } }));
    const imported = db.prepare("SELECT name, manufacturer, notes FROM equipment WHERE asset_tag = ?").get(`CSV-${i}`);
    expect(imported).toEqual({ name: text.trim(), manufacturer: text.trim(), notes: text.trim() });

    // Nothing was dropped or added, and everything was audited in an unbroken chain.
    expect(Object.keys(snapshot(db).counts)).toEqual(tables);
    expect(db.prepare('SELECT count(*) AS n FROM equipment').get()).toEqual({ n: 2 });
    expect(verifyAuditChain(db)).toMatchObject({ ok: true });
    expect(db.pragma('quick_check', { simple: true })).toBe('ok');
  });
});
