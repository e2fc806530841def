// The import's floor: the file read and parsed, then every device inserted bare (one prepared
// statement, one transaction; locations and categories made first), on the same schema, with the
// app's pragmas. No checks, no audit trail: what any import must at least do. The search index is
// filled once at the end, with its trigger stood aside in the transaction, as the app's import does
// (main/core/equipment/search.ts); filled per row by the trigger, this floor took 1.6-1.7x as long.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import Papa from 'papaparse';
import { peakKb } from './peak.mjs';

process.on('exit', () => process.stderr.write(`\nBENCH-MAXRSS-KB=${peakKb()}\n`));
const [dataDir, file] = process.argv.slice(2);
const db = new Database(path.join(dataDir, 'wardkeep.sqlite3'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma('cache_size = -65536');
db.pragma('temp_store = MEMORY');
const pcId = db.prepare("SELECT value FROM meta WHERE key = 'pc_id'").pluck().get();
const { data } = Papa.parse(readFileSync(file, 'utf8'), { skipEmptyLines: true });
const rows = data.slice(1);
const now = new Date().toISOString();
const locations = new Map();
const categories = new Map();
const insertLocation = db.prepare(
  'INSERT INTO locations (id, parent_id, name, name_key, kind, created_at, updated_at, pc_id) VALUES (?, ?, ?, lower(?), ?, ?, ?, ?)',
);
const insertCategory = db.prepare('INSERT INTO categories (id, name, name_key, created_at, updated_at, pc_id) VALUES (?, ?, lower(?), ?, ?, ?)');
const insert = db.prepare(
  `INSERT INTO equipment (id, asset_tag, asset_tag_key, name, category_id, manufacturer, model, serial, location_id, risk, status, in_service_on, notes, created_at, updated_at, pc_id)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'in_service', ?, ?, ?, ?, ?)`,
);
const kinds = ['site', 'ward', 'room'];
// eslint-disable-next-line no-restricted-syntax -- the floor is deliberately the bare driver, outside the app's dispatcher
db.transaction(() => {
  const trigger = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'equipment_search_insert'").pluck().get();
  const after = db.prepare('SELECT coalesce(max(rowid), 0) FROM equipment').pluck().get();
  db.exec('DROP TRIGGER equipment_search_insert');
  for (const r of rows) {
    let parent = null;
    const parts = r[2].split(' > ');
    for (let i = 0; i < parts.length; i++) {
      const key = parts.slice(0, i + 1).join(' > ');
      let id = locations.get(key);
      if (!id) {
        id = randomUUID();
        insertLocation.run(id, parent, parts[i], parts[i], kinds[i], now, now, pcId);
        locations.set(key, id);
      }
      parent = id;
    }
    let category = categories.get(r[3]);
    if (!category) {
      category = randomUUID();
      insertCategory.run(category, r[3], r[3], now, now, pcId);
      categories.set(r[3], category);
    }
    insert.run(randomUUID(), r[0], r[0].toLowerCase(), r[1], category, r[4], r[5], r[6], parent, r[7], r[9], r[10] || null, now, now, pcId);
  }
  db.prepare(
    `INSERT INTO equipment_search (equipment_id, asset_tag, name, serial, model, manufacturer)
     SELECT id, asset_tag, name, serial, model, manufacturer FROM equipment WHERE rowid > ? ORDER BY rowid`,
  ).run(after);
  db.exec(trigger);
}).immediate();
db.close();
process.stdout.write(`Inserted ${rows.length}\n`);
