import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { migrations } from '../migrations';
import { query } from '../sql/query';
import { migrate, schemaVersion } from './migrate';

interface Trigger {
  name: string;
  tbl_name: string;
  sql: string;
}

const triggers = query<Trigger>("SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name");
const triggersOf = (db: Database) => triggers.all({ db });
/** The same trigger whatever the spacing it was written with. */
const normal = (sql: string) => sql.replace(/\s+/g, ' ').trim();

/** The triggers a database of each version must have, as a fresh database migrated to it has them. */
const expected = new Map<number, Map<string, Trigger>>();

function triggersAt(version: number, nativeBinding: string | undefined): Map<string, Trigger> {
  const known = expected.get(version);
  if (known) return known;
  const fresh = new BetterSqlite3(':memory:', nativeBinding ? { nativeBinding } : {});
  try {
    migrate(fresh, { migrations: migrations.filter((m) => m.version <= version) });
    const map = new Map(triggersOf(fresh).map((t) => [t.name, t]));
    expected.set(version, map);
    return map;
  } finally {
    fresh.close();
  }
}

/** What a trigger removed no longer does, in words: a guard no longer refuses; the others no longer keep something in step. */
function lostBy(name: string): string {
  if (/_no_/.test(name)) return 'the database no longer refuses what it guarded';
  if (name.startsWith('equipment_search_')) return 'the equipment search no longer follows the devices it finds (a device added, changed or removed since is found wrongly)';
  if (name.startsWith('stock_replay_points_')) return "a stock write may carry an item's figures on from a replay its history has since changed under (a movement dated earlier, a lot arriving or changed), and get them wrong";
  return "the plans no longer follow their device's or stock location's changes (the due list may show them wrongly)";
}

/**
 * The triggers that make signed records, readings, signatures, stock movements and the audit trail
 * permanent (records.md: "the database refuses it"), and keep the search index and the due list in
 * step, against those a database of the same version made by Wardkeep has: one dropped, changed or
 * added outside Wardkeep (the sqlite3 command line) is named. The change-capture triggers of a PC
 * in a hub (`sync_…`) are checked by sync/capture.ts. For `wardkeep verify` and the deep check.
 */
export function triggerProblems(db: Database, nativeBinding?: string): string[] {
  const version = schemaVersion(db);
  if (version === 0) return [];
  const want = triggersAt(version, nativeBinding);
  const have = new Map(triggersOf(db).map((t) => [t.name, t]));
  const problems: string[] = [];
  for (const [name, t] of want) {
    const found = have.get(name);
    if (!found) problems.push(`The trigger ${name} on ${t.tbl_name} is missing: it was removed outside Wardkeep, so ${lostBy(name)}.`);
    else if (normal(found.sql) !== normal(t.sql)) problems.push(`The trigger ${name} on ${t.tbl_name} is not the one Wardkeep made: it was changed outside Wardkeep.`);
  }
  for (const [name, t] of have) {
    if (!want.has(name) && !name.startsWith('sync_')) problems.push(`The trigger ${name} on ${t.tbl_name} was added outside Wardkeep.`);
  }
  return problems;
}
