import type { Migration } from './types';

/**
 * A correction is signed by whoever made it with the meaning "amended by" (21 CFR 11.50: the
 * meaning of each signature is shown). SQLite cannot change a CHECK constraint in place, so the
 * signatures table is rebuilt with the wider CHECK, its rows copied unchanged and its
 * "permanent" triggers restored, all inside the migration's transaction.
 */
const sql = `
DROP TRIGGER signatures_no_update;
DROP TRIGGER signatures_no_delete;
CREATE TABLE signatures_v4 (
  id TEXT PRIMARY KEY,
  completion_id TEXT NOT NULL REFERENCES completions(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  signer_name TEXT NOT NULL,
  signer_role TEXT NOT NULL,
  meaning TEXT NOT NULL CHECK (meaning IN ('performed_by', 'reviewed_by', 'amended_by')),
  signed_at TEXT NOT NULL CHECK (signed_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T*Z'),
  pc_id TEXT NOT NULL,
  UNIQUE (completion_id, meaning)
) STRICT;
INSERT INTO signatures_v4 (id, completion_id, user_id, signer_name, signer_role, meaning, signed_at, pc_id)
  SELECT id, completion_id, user_id, signer_name, signer_role, meaning, signed_at, pc_id FROM signatures;
DROP TABLE signatures;
ALTER TABLE signatures_v4 RENAME TO signatures;
CREATE TRIGGER signatures_no_update BEFORE UPDATE ON signatures
BEGIN SELECT RAISE(ABORT, 'signatures are permanent and cannot be changed'); END;
CREATE TRIGGER signatures_no_delete BEFORE DELETE ON signatures
BEGIN SELECT RAISE(ABORT, 'signatures are permanent and cannot be deleted'); END;

`;

export const migration0004: Migration = {
  version: 4,
  name: 'amended-by signatures',
  up(db) {
    db.exec(sql);
  },
};
