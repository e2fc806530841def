import type { Core } from '../context';
import { scalar } from './query';

const dataVersion = scalar<number>('PRAGMA data_version');
const ownChanges = scalar<number>('SELECT total_changes()');

/**
 * A value worked out from the database and kept until the database changes: read again only
 * after a write. "Changes" is SQLite's own count: `data_version` moves when another connection
 * commits (the worker, a second process, a sync), `total_changes()` when this one writes. Nothing
 * is kept inside a transaction, whose writes may yet be rolled back. Callers must not change what
 * they are given: the next caller gets the same value.
 */
export function keptUntilChange<C extends Pick<Core, 'db'>, T>(compute: (core: C) => T): (core: C) => T {
  const held = new WeakMap<Core['db'], { key: string; value: T }>();
  return (core) => {
    if (core.db.inTransaction) return compute(core);
    const key = `${dataVersion.get(core)}/${ownChanges.get(core)}`;
    const kept = held.get(core.db);
    if (kept?.key === key) return kept.value;
    const value = compute(core);
    held.set(core.db, { key, value });
    return value;
  };
}
