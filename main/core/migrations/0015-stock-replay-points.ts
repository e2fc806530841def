import type { Migration } from './types';

/**
 * A stock write reads only what came after the item's last replay (issue 17). Every stock write
 * replays its item's history at its place by the rule (stock/on-hand.ts); each replay now leaves
 * its state at the end of the rule's order here, one row per item and place, and the next write
 * reads only the transactions after that point and carries on from it.
 *
 * This PC's own: derived state, never synced, kept only to go faster. Nothing reads a point that its
 * history has moved under: the triggers below delete it whoever writes (a sync apply, a raw sqlite3
 * edit, a later version), and the next write then replays the item whole, as before (a restore
 * copies the backup's points with the rows they were made from, its triggers standing aside; a
 * backup of an older version has none after its migration):
 * - a transaction inserted at or before the point in the rule's order (a row from another PC dated
 *   earlier); one inserted after it is what the next write carries on with;
 * - a transaction changed or deleted (the permanence triggers refuse both; should one be dropped);
 * - a lot of the item deleted or changed in what the rule reads, or a lot inserted that some
 *   transaction already names (a lot arriving after its movements changes what earlier counts
 *   gave back or took). A lot's `on_hand` is not what the rule reads but what it writes: the
 *   triggers keep the point when it changes, and the write (stock/on-hand.ts) carries a point on
 *   only while the figures on record are those it left, so a figure or a point edited by hand
 *   makes the next write replay the item whole, which puts the figures right.
 * None exists after this migration, so the first write of each item replays it whole, which also
 * puts right any figure an earlier version left stale.
 *
 * `figures` holds, as JSON, every lot the replay touched whose figure is not 0 (lots not on record
 * here included); `reserving` the completions of the counts up to the point that took back more
 * than their rows (D < 0), whose later discards would change what they took.
 * A rowid table rather than WITHOUT ROWID: `figures` can outgrow the small rows that suits (and
 * every table here is STRICT, test/integration/core/database.test.ts).
 */
const sql = `
CREATE TABLE stock_replay_points (
  stock_location_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  last_minute TEXT NOT NULL,
  last_id TEXT NOT NULL,
  level INTEGER NOT NULL,
  figures TEXT NOT NULL CHECK (json_valid(figures)),
  rest_lot TEXT,
  reserving TEXT NOT NULL CHECK (json_valid(reserving)),
  PRIMARY KEY (stock_location_id, item_id)
) STRICT;

CREATE TRIGGER stock_replay_points_tx_insert AFTER INSERT ON stock_transactions
BEGIN
  DELETE FROM stock_replay_points
  WHERE stock_location_id = NEW.stock_location_id AND item_id = NEW.item_id
    AND (substr(NEW.at, 1, 16) < last_minute OR (substr(NEW.at, 1, 16) = last_minute AND NEW.id <= last_id));
END;
CREATE TRIGGER stock_replay_points_tx_update AFTER UPDATE ON stock_transactions
BEGIN
  DELETE FROM stock_replay_points
  WHERE (stock_location_id = OLD.stock_location_id AND item_id = OLD.item_id) OR (stock_location_id = NEW.stock_location_id AND item_id = NEW.item_id);
END;
CREATE TRIGGER stock_replay_points_tx_delete AFTER DELETE ON stock_transactions
BEGIN
  DELETE FROM stock_replay_points WHERE stock_location_id = OLD.stock_location_id AND item_id = OLD.item_id;
END;

CREATE TRIGGER stock_replay_points_lot_insert AFTER INSERT ON stock_lots
WHEN EXISTS (SELECT 1 FROM stock_transactions WHERE lot_id = NEW.id)
BEGIN
  DELETE FROM stock_replay_points WHERE stock_location_id = NEW.stock_location_id AND item_id = NEW.item_id;
  DELETE FROM stock_replay_points WHERE (stock_location_id, item_id) IN (SELECT stock_location_id, item_id FROM stock_transactions WHERE lot_id = NEW.id);
END;
CREATE TRIGGER stock_replay_points_lot_update AFTER UPDATE OF id, stock_location_id, item_id, lot, expires_on ON stock_lots
BEGIN
  DELETE FROM stock_replay_points
  WHERE (stock_location_id = OLD.stock_location_id AND item_id = OLD.item_id) OR (stock_location_id = NEW.stock_location_id AND item_id = NEW.item_id);
END;
CREATE TRIGGER stock_replay_points_lot_delete AFTER DELETE ON stock_lots
BEGIN
  DELETE FROM stock_replay_points WHERE stock_location_id = OLD.stock_location_id AND item_id = OLD.item_id;
END;
`;

export const migration0015: Migration = {
  version: 15,
  name: 'a stock write reads only the movements after the last replay of its item',
  up(db) {
    db.exec(sql);
  },
};
