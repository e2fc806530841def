import type { Migration } from './types';

/**
 * The hand-over of a folded key (migration 0007) fired on every update that named the key column,
 * even when the key did not change: editing the name of a device that holds an asset tag another
 * PC also gave to a device (a clash, both kept) handed the plain key to the other device while
 * this one still held it, and the edit failed on the UNIQUE index. The triggers are made again to
 * hand the key on only when it really changes (or, for a location, when it moves to another parent).
 */
const sep = 'char(31)';

function promote(table: string, key: string, scope: string | null): string {
  const sameScope = scope ? `AND ifnull(${scope}, '') = ifnull(OLD.${scope}, '')` : '';
  const next = `UPDATE ${table} SET ${key} = OLD.${key}
    WHERE id = (SELECT id FROM ${table} WHERE ${key} > OLD.${key} || ${sep} AND ${key} < OLD.${key} || char(32) ${sameScope} ORDER BY id LIMIT 1);`;
  const changed = `(NEW.${key} IS NOT OLD.${key} AND substr(NEW.${key}, 1, length(OLD.${key}) + 1) IS NOT OLD.${key} || ${sep})`;
  const moved = scope ? ` OR NEW.${scope} IS NOT OLD.${scope}` : '';
  return `
DROP TRIGGER ${table}_${key}_handover;
CREATE TRIGGER ${table}_${key}_handover AFTER UPDATE OF ${key}${scope ? `, ${scope}` : ''} ON ${table}
WHEN instr(OLD.${key}, ${sep}) = 0 AND (${changed}${moved})
BEGIN ${next} END;`;
}

const sql = [
  promote('equipment', 'asset_tag_key', null),
  promote('users', 'name_key', null),
  promote('categories', 'name_key', null),
  promote('supply_items', 'code_key', null),
  promote('locations', 'name_key', 'parent_id'),
].join('\n');

export const migration0012: Migration = {
  version: 12,
  name: 'a folded key is handed on only when it changes',
  up(db) {
    db.exec(sql);
  },
};
