import { HANDOVER_KEYS, handoverOnUpdate } from './0007-sync';
import type { Migration } from './types';

/**
 * The hand-over of a folded key (migration 0007) fired on every update that named the key column,
 * even when the key did not change: editing the name of a device that holds an asset tag another
 * PC also gave to a device (a clash, both kept) handed the plain key to the other device while
 * this one still held it, and the edit failed on the UNIQUE index. The update triggers are made
 * again, as 0007 now makes them: the key is handed on only when it really changes (or, for a
 * location, when it moves to another parent).
 */
const sql = HANDOVER_KEYS.map(([table, key, scope]) => `DROP TRIGGER ${table}_${key}_handover;${handoverOnUpdate(table, key, scope)}`).join('\n');

export const migration0012: Migration = {
  version: 12,
  name: 'a folded key is handed on only when it changes',
  up(db) {
    db.exec(sql);
  },
};
