import type { Migration } from './types';

/**
 * Finding a device as you type, at 50,000 devices: a full-text index of trigrams over the
 * columns the search box covers, so "pum" or "2474" finds a match inside a word in a millisecond
 * instead of scanning every row with LIKE. The index keeps its own copy of the text (not an
 * external-content table keyed on rowid, because VACUUM may renumber the rowids of a table
 * whose key is text) and triggers keep it current in the same transaction as every write.
 * Also indexes for sorting the list by name and filtering it by status.
 */
const sql = `
CREATE VIRTUAL TABLE equipment_search USING fts5(
  equipment_id UNINDEXED,
  asset_tag, name, serial, model, manufacturer,
  tokenize = 'trigram remove_diacritics 1'
);
INSERT INTO equipment_search (equipment_id, asset_tag, name, serial, model, manufacturer)
  SELECT id, asset_tag, name, serial, model, manufacturer FROM equipment;

CREATE TRIGGER equipment_search_insert AFTER INSERT ON equipment BEGIN
  INSERT INTO equipment_search (equipment_id, asset_tag, name, serial, model, manufacturer)
  VALUES (NEW.id, NEW.asset_tag, NEW.name, NEW.serial, NEW.model, NEW.manufacturer);
END;
CREATE TRIGGER equipment_search_delete AFTER DELETE ON equipment BEGIN
  DELETE FROM equipment_search WHERE equipment_id = OLD.id;
END;
CREATE TRIGGER equipment_search_update AFTER UPDATE OF id, asset_tag, name, serial, model, manufacturer ON equipment BEGIN
  DELETE FROM equipment_search WHERE equipment_id = OLD.id;
  INSERT INTO equipment_search (equipment_id, asset_tag, name, serial, model, manufacturer)
  VALUES (NEW.id, NEW.asset_tag, NEW.name, NEW.serial, NEW.model, NEW.manufacturer);
END;

CREATE INDEX equipment_name ON equipment (name COLLATE NOCASE);
CREATE INDEX equipment_status ON equipment (status);
`;

export const migration0002: Migration = {
  version: 2,
  name: 'equipment search index',
  up(db) {
    db.exec(sql);
  },
};
