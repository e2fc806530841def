import type { Core } from '../context';
import { scalar } from './query';

const dataVersion = scalar<number>('PRAGMA data_version');
const ownChanges = scalar<number>('SELECT total_changes()');

/**
 * Where the database stands, as a text that changes whenever it does, or null inside a
 * transaction (whose writes may yet be rolled back: nothing worked out there is kept). "Changes" is
 * SQLite's own count: `data_version` moves when another connection commits (a worker, a second
 * process, a sync, the file edited with sqlite3), `total_changes()` when this one writes.
 */
export function changeMark(core: Pick<Core, 'db'>): string | null {
  if (core.db.inTransaction) return null;
  return `${dataVersion.get(core)}/${ownChanges.get(core)}`;
}

/**
 * A value worked out from the database and kept until the database changes (changeMark): read
 * again only after a write, and always inside a transaction. Callers must not change what they are
 * given: the next caller gets the same value.
 */
export function keptUntilChange<C extends Pick<Core, 'db'>, T>(compute: (core: C) => T): (core: C) => T {
  const held = new WeakMap<Core['db'], { key: string; value: T }>();
  return (core) => {
    const key = changeMark(core);
    if (key === null) return compute(core);
    const kept = held.get(core.db);
    if (kept?.key === key) return kept.value;
    const value = compute(core);
    held.set(core.db, { key, value });
    return value;
  };
}
