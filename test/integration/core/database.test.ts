import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DB_FILE, openDatabase } from '../../../main/core/db/open';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { installCapture } from '../../../main/core/sync/capture';
import { importText } from '../equipment/fixtures';
import { DatabaseRefusedError } from '../../../main/core/errors';
import { LATEST_VERSION } from '../../../main/core/migrations';
import { tempDir, testCore } from '../../helpers/core';

/** The temporary files SQLite holds open in this process (it unlinks them at once, so only /proc shows them). */
const openTempFiles = () =>
  readdirSync('/proc/self/fd')
    .map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    })
    .filter((target) => /etilqs_/.test(target));

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('opening the database', () => {
  it('creates the file with WAL, synchronous=FULL, foreign keys and a busy timeout', () => {
    const core = testCore();
    expect(path.basename(core.file)).toBe(DB_FILE);
    expect(core.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(core.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(core.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(core.db.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(1000);
    expect(core.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
  });

  it('keeps the statement journals of a big write in memory, not in a temporary file, and still has its change-capture triggers', () => {
    // Issue 17: a 50,000-device import wrote its statement journal to /var/tmp 1.9 million times.
    const core = testCore();
    // In a hub, so the connection has its capture triggers (a PC alone has none: sync/capture.ts).
    inTransaction(core, (w) => installCapture(w));
    const rows = Array.from({ length: 1500 }, (_, i) => `JRN-${i},Infusion pump ${i},General Hospital > Ward ${i % 7},Baxter,SN-${i}`);
    importText(core, ['Tag,Name,Location,Manufacturer,Serial', ...rows].join('\n'));
    expect(core.db.pragma('temp_store', { simple: true })).toBe(2); // MEMORY
    const seen = inTransaction(core, (w) => {
      // One statement that changes every device's row (300+ pages) fires the search index's trigger: its journal passes 64 KB.
      w.db.prepare("UPDATE equipment SET serial = serial || '-A'").run();
      return openTempFiles();
    });
    expect(seen).toEqual([]);
    expect(core.db.prepare("SELECT count(*) FROM equipment_search WHERE equipment_search MATCH '\"SN-1499-A\"'").pluck().get()).toBe(1);
    // Changing temp_store drops a connection's temporary triggers: the hub's capture ones are made after it.
    const capture = core.db.prepare("SELECT count(*) FROM sqlite_temp_schema WHERE type = 'trigger' AND name LIKE 'sync\\_equipment\\_%' ESCAPE '\\'").pluck().get();
    expect(capture).toBe(4);
    core.close();
  });

  it('makes every table STRICT (full-text indexes and their shadow tables aside)', () => {
    const core = testCore();
    const kinds = new Map((core.db.pragma('table_list') as { name: string; type: string }[]).map((t) => [t.name, t.type]));
    const tables = (
      core.db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string; sql: string }[]
    ).filter((t) => kinds.get(t.name) === 'table');
    expect(tables.length).toBeGreaterThan(15);
    const notStrict = tables.filter((t) => !/\)\s*STRICT\s*$/i.test(t.sql) && !t.sql.startsWith('CREATE VIRTUAL')).map((t) => t.name);
    expect(notStrict).toEqual([]);
  });

  it('keeps the same PC id across reopenings', () => {
    const dir = tempDir();
    const a = openDatabase({ dataDir: dir });
    a.db.close();
    const b = openDatabase({ dataDir: dir });
    b.db.close();
    expect(b.pcId).toBe(a.pcId);
    expect(b.migrated).toEqual({ from: LATEST_VERSION, to: LATEST_VERSION });
  });

  it('refuses a database written by a newer version and leaves it untouched', () => {
    const dir = tempDir();
    openDatabase({ dataDir: dir }).db.close();
    const file = path.join(dir, DB_FILE);
    const raw = new BetterSqlite3(file);
    raw.pragma('journal_mode = DELETE');
    raw.pragma(`user_version = ${LATEST_VERSION + 5}`);
    raw.close();
    const before = sha(file);
    expect(() => openDatabase({ dataDir: dir })).toThrow(DatabaseRefusedError);
    expect(() => openDatabase({ dataDir: dir })).toThrow(new RegExp(`schema version ${LATEST_VERSION + 5}.*schema version ${LATEST_VERSION}`));
    expect(sha(file)).toBe(before);
  });

  it('refuses an SQLite file that is not a Wardkeep database', () => {
    const dir = tempDir();
    const raw = new BetterSqlite3(path.join(dir, DB_FILE));
    raw.exec('CREATE TABLE accounts (id INTEGER)');
    raw.close();
    expect(() => openDatabase({ dataDir: dir })).toThrow(/not a Wardkeep database/);
  });

  it('refuses a file that is not a database at all with a clear error', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, DB_FILE), 'these are not the bytes of a database'.repeat(100));
    expect(() => openDatabase({ dataDir: dir })).toThrow(/not a database/);
  });

  it('refuses a network share path before touching it', () => {
    expect(() => openDatabase({ dataDir: '\\\\wardserver\\share\\wardkeep' })).toThrow(/network share.*WAL/);
  });
});
