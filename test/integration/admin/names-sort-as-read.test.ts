import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { testBackend } from '../../helpers/core';
import { caller } from '../../helpers/invoke';

/**
 * Lists sorted by a name put it where a person looks for it: case and accents aside, the same on
 * every PC. Before, SQLite's NOCASE (and a plain compare of the lower-cased name) put every name
 * starting with an accented letter after "z": "Échographe" after "Ventilator", "Élodie" after "Zoe".
 */
const NAMES = ['Zoe', 'Élodie', 'eve', 'Øyvind', 'Oscar', 'Łukasz', 'Lucy', 'Ärztezimmer', 'Azure', 'émile'];
/** As read: Ärztezimmer with Azure, Élodie and émile with eve, Łukasz with Lucy, Øyvind with Oscar. */
const AS_READ = ['Ärztezimmer', 'Azure', 'Élodie', 'émile', 'eve', 'Lucy', 'Łukasz', 'Oscar', 'Øyvind', 'Zoe'];

describe('names sort as they are read', () => {
  it('in the user list, the categories, the stock items and the equipment list sorted by name, manufacturer or category', async () => {
    const b = testBackend('admin');
    const call = caller(b.backend, b.session);
    const site = await call('locations.create', { name: 'General Hospital' });
    const ward = await call('locations.create', { name: 'Ward 4B', parentId: site.id });
    for (const [i, name] of NAMES.entries()) {
      await call('users.create', { name, role: 'technician', temporaryPin: '2580' });
      const category = await call('categories.create', { name });
      await call('stock.items.create', { name, code: `C-${i}`, unit: 'piece' });
      await call('equipment.create', { assetTag: `T-${String(i).padStart(2, '0')}`, name, manufacturer: name, locationId: ward.id, categoryId: category.id });
    }

    const users = (await call('users.list', {})).map((u) => u.name).filter((n) => NAMES.includes(n));
    expect(users).toEqual(AS_READ);
    expect((await call('categories.list', {})).map((c) => c.name)).toEqual(AS_READ);
    expect((await call('stock.items.list', {})).map((i) => i.name)).toEqual(AS_READ);
    for (const sort of ['name', 'manufacturer', 'category'] as const) {
      const page = await call('equipment.search', { sort, direction: 'asc', limit: 50 });
      expect(page.rows.map((r) => r.name), sort).toEqual(AS_READ);
      const back = await call('equipment.search', { sort, direction: 'desc', limit: 50 });
      expect(back.rows.map((r) => r.name), `${sort} descending`).toEqual([...AS_READ].reverse());
    }
  });

  it('needs nothing of Wardkeep to read or write the file: the sort is in the queries, not the schema', async () => {
    const b = testBackend('admin');
    const call = caller(b.backend, b.session);
    const site = await call('locations.create', { name: 'General Hospital' });
    await call('equipment.create', { assetTag: 'T-01', name: 'Échographe', locationId: site.id });
    // A person with sqlite3 (no name_sort registered) renames the device: no "no such function".
    const raw = new BetterSqlite3(b.core.db.name);
    try {
      expect(raw.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE sql LIKE '%name_sort%'").get()).toEqual({ n: 0 });
      expect(raw.prepare("UPDATE equipment SET name = 'Echographe' WHERE asset_tag = 'T-01'").run().changes).toBe(1);
      expect(() => raw.prepare('SELECT name_sort(name) FROM users').all()).toThrow(/no such function: name_sort/);
    } finally {
      raw.close();
    }
  });
});
