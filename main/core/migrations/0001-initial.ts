import type { Migration } from './types';

/**
 * The schema for the whole domain (README.md, "What it does"), so later versions add rather than rebuild.
 * Conventions: ids are UUIDv7 text; `pc_id` names the ward PC that wrote the row (for sync);
 * calendar dates are `YYYY-MM-DD` text; instants are ISO-8601 UTC text; booleans are 0/1.
 * Records that must never change (completions and everything hanging off them, stock
 * transactions, the audit trail) are guarded by triggers, so not even raw SQL can edit them.
 */
const DATE = (col: string) => `CHECK (${col} IS NULL OR ${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')`;
const INSTANT = (col: string) => `CHECK (${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T*Z')`;
const BOOL = (col: string) => `CHECK (${col} IN (0, 1))`;
const STAMPS = `created_at TEXT NOT NULL ${INSTANT('created_at')},
  updated_at TEXT NOT NULL ${INSTANT('updated_at')},
  pc_id TEXT NOT NULL`;

const permanent = (table: string, what: string) => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, '${what} are permanent and cannot be changed'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, '${what} are permanent and cannot be deleted'); END;`;

const sql = `
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE settings (
  key TEXT PRIMARY KEY,            -- 'hospital_name', or 'pc:<pc id>:default_location' for one PC
  value TEXT NOT NULL CHECK (json_valid(value)),
  updated_at TEXT NOT NULL,
  pc_id TEXT NOT NULL
) STRICT;

-- Task types are a lookup table, not a closed enum in code: administrators add the hospital's own (docs/users.md).
CREATE TABLE task_types (
  code TEXT PRIMARY KEY,
  label TEXT NOT NULL,
  target TEXT NOT NULL CHECK (target IN ('equipment', 'stock_location')),
  -- rule 12: a fail of this task takes the equipment out of service
  fail_tags_out INTEGER NOT NULL DEFAULT 0 ${BOOL('fail_tags_out')},
  -- an overdue plan of this task means "do not use"
  overdue_blocks_use INTEGER NOT NULL DEFAULT 0 ${BOOL('overdue_blocks_use')},
  sort_order INTEGER NOT NULL
) STRICT;
INSERT INTO task_types (code, label, target, fail_tags_out, overdue_blocks_use, sort_order) VALUES
  ('calibration', 'Calibration', 'equipment', 1, 1, 1),
  ('electrical_safety', 'Electrical safety test', 'equipment', 1, 1, 2),
  ('inspection', 'Inspection', 'equipment', 0, 0, 3),
  ('cleaning', 'Cleaning', 'equipment', 0, 0, 4),
  ('stock_check', 'Stock check', 'stock_location', 0, 0, 5);

CREATE TABLE locations (
  id TEXT PRIMARY KEY,
  parent_id TEXT REFERENCES locations(id),
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,          -- case-folded name: siblings may not share it
  kind TEXT NOT NULL CHECK (kind IN ('site', 'ward', 'room')),
  active INTEGER NOT NULL DEFAULT 1 ${BOOL('active')},
  ${STAMPS}
) STRICT;
CREATE UNIQUE INDEX locations_sibling_name ON locations (ifnull(parent_id, ''), name_key);
CREATE INDEX locations_parent ON locations (parent_id);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('technician', 'supervisor', 'admin')),
  pin_hash TEXT,                   -- scrypt, salted; never the PIN itself
  password_hash TEXT,
  must_set_pin INTEGER NOT NULL DEFAULT 0 ${BOOL('must_set_pin')},
  home_location_id TEXT REFERENCES locations(id),
  active INTEGER NOT NULL DEFAULT 1 ${BOOL('active')},
  failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
  locked_until TEXT,
  ${STAMPS}
) STRICT;
-- Users are deactivated, never deleted: their records keep their names.
CREATE TRIGGER users_no_delete BEFORE DELETE ON users
BEGIN SELECT RAISE(ABORT, 'users are never deleted; deactivate instead'); END;

CREATE TABLE categories (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL UNIQUE,
  default_risk TEXT CHECK (default_risk IN ('high', 'medium', 'low')),
  notes TEXT,
  active INTEGER NOT NULL DEFAULT 1 ${BOOL('active')},
  ${STAMPS}
) STRICT;

-- Default plans a category gives its equipment.
-- window_days NULL: the default window of docs/scheduling.md rule 9. (The comment inside the table
-- names the file as it was first written: it is part of the schema text SQLite stores, so it stays.)
CREATE TABLE category_plan_templates (
  id TEXT PRIMARY KEY,
  category_id TEXT NOT NULL REFERENCES categories(id),
  task TEXT NOT NULL REFERENCES task_types(code),
  interval_n INTEGER NOT NULL CHECK (interval_n >= 1),
  interval_unit TEXT NOT NULL CHECK (interval_unit IN ('day', 'week', 'month', 'year')),
  mode TEXT NOT NULL DEFAULT 'floating' CHECK (mode IN ('fixed', 'floating')),
  window_days INTEGER CHECK (window_days >= 0),   -- NULL: the default of SCHEDULING.md rule 9
  grace_days INTEGER CHECK (grace_days >= 0),
  active INTEGER NOT NULL DEFAULT 1 ${BOOL('active')},
  ${STAMPS}
) STRICT;
CREATE INDEX category_plan_templates_category ON category_plan_templates (category_id);

CREATE TABLE equipment (
  id TEXT PRIMARY KEY,
  asset_tag TEXT NOT NULL,
  asset_tag_key TEXT NOT NULL UNIQUE,   -- trimmed, upper-cased: what a scan is looked up by
  name TEXT NOT NULL,
  category_id TEXT REFERENCES categories(id),
  manufacturer TEXT,
  model TEXT,
  serial TEXT,
  location_id TEXT NOT NULL REFERENCES locations(id),
  risk TEXT CHECK (risk IN ('high', 'medium', 'low')),
  ownership TEXT CHECK (ownership IN ('owned', 'leased', 'rental', 'demo')),
  status TEXT NOT NULL DEFAULT 'in_service' CHECK (status IN ('in_service', 'out_of_service', 'retired', 'missing')),
  status_reason TEXT,
  -- rule 12: set when a failed calibration or safety test tagged the device out; only then
  -- does a later passing completion of that plan return it to service by itself
  tagged_out_by_plan_id TEXT REFERENCES plans(id),
  acquired_on TEXT ${DATE('acquired_on')},
  in_service_on TEXT ${DATE('in_service_on')},
  warranty_until TEXT ${DATE('warranty_until')},
  reference_standard INTEGER NOT NULL DEFAULT 0 ${BOOL('reference_standard')},
  notes TEXT,
  ${STAMPS}
) STRICT;
CREATE INDEX equipment_location ON equipment (location_id);
CREATE INDEX equipment_category ON equipment (category_id);
CREATE INDEX equipment_reference ON equipment (reference_standard) WHERE reference_standard = 1;
-- Equipment with history is retired, never deleted: its records must stay (docs/records.md).
CREATE TRIGGER equipment_no_delete_with_history BEFORE DELETE ON equipment
WHEN EXISTS (SELECT 1 FROM completions WHERE equipment_id = OLD.id)
  OR EXISTS (SELECT 1 FROM plans WHERE equipment_id = OLD.id)
BEGIN SELECT RAISE(ABORT, 'equipment with plans or history is retired, never deleted'); END;

CREATE TABLE stock_locations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('store', 'crash_cart', 'device', 'other')),
  location_id TEXT NOT NULL REFERENCES locations(id),
  equipment_id TEXT REFERENCES equipment(id),   -- a device's own consumables
  active INTEGER NOT NULL DEFAULT 1 ${BOOL('active')},
  ${STAMPS}
) STRICT;
CREATE INDEX stock_locations_location ON stock_locations (location_id);

-- Versioned checklists, measurement points and safety checks. A version is never changed:
-- editing a procedure adds the next version, and records keep the version they were done against.
CREATE TABLE procedures (
  id TEXT PRIMARY KEY,
  category_id TEXT REFERENCES categories(id),
  plan_id TEXT REFERENCES plans(id),
  task TEXT NOT NULL REFERENCES task_types(code),
  version INTEGER NOT NULL CHECK (version >= 1),
  definition TEXT NOT NULL CHECK (json_valid(definition)),
  created_at TEXT NOT NULL ${INSTANT('created_at')},
  created_by TEXT NOT NULL,
  pc_id TEXT NOT NULL,
  CHECK ((category_id IS NULL) <> (plan_id IS NULL))
) STRICT;
CREATE UNIQUE INDEX procedures_version ON procedures (ifnull(category_id, ''), ifnull(plan_id, ''), task, version);
${permanent('procedures', 'procedure versions')}

CREATE TABLE plans (
  id TEXT PRIMARY KEY,
  equipment_id TEXT REFERENCES equipment(id),
  stock_location_id TEXT REFERENCES stock_locations(id),
  task TEXT NOT NULL REFERENCES task_types(code),
  interval_n INTEGER NOT NULL CHECK (interval_n >= 1),
  interval_unit TEXT NOT NULL CHECK (interval_unit IN ('day', 'week', 'month', 'year')),
  mode TEXT NOT NULL DEFAULT 'floating' CHECK (mode IN ('fixed', 'floating')),
  start_date TEXT NOT NULL ${DATE('start_date')},
  window_days INTEGER NOT NULL CHECK (window_days >= 0),
  grace_days INTEGER NOT NULL CHECK (grace_days >= 0),
  template_id TEXT REFERENCES category_plan_templates(id),
  -- Kept current in the same transaction as every write that changes them, so due lists
  -- and counts are index lookups, never scans of history:
  last_done_on TEXT ${DATE('last_done_on')},   -- date of the latest advancing completion
  next_due TEXT NOT NULL ${DATE('next_due')},
  due_from TEXT NOT NULL ${DATE('due_from')},  -- next_due - window: the first day it is 'due'
  active INTEGER NOT NULL DEFAULT 1 ${BOOL('active')},
  ${STAMPS},
  CHECK ((equipment_id IS NULL) <> (stock_location_id IS NULL))
) STRICT;
CREATE INDEX plans_due ON plans (due_from) WHERE active = 1;
CREATE INDEX plans_next_due ON plans (next_due) WHERE active = 1;
CREATE INDEX plans_equipment ON plans (equipment_id);
CREATE INDEX plans_stock_location ON plans (stock_location_id);

CREATE TABLE completions (
  id TEXT PRIMARY KEY,
  plan_id TEXT REFERENCES plans(id),
  equipment_id TEXT REFERENCES equipment(id),
  stock_location_id TEXT REFERENCES stock_locations(id),
  task TEXT NOT NULL REFERENCES task_types(code),
  performed_at TEXT NOT NULL ${INSTANT('performed_at')},
  performed_on TEXT NOT NULL ${DATE('performed_on')},  -- local date of performed_at (rule 1)
  outcome TEXT NOT NULL CHECK (outcome IN ('pass', 'pass_adjusted', 'fail', 'not_done_in_use', 'not_done_not_located', 'not_done_other')),
  outcome_override_reason TEXT,
  notes TEXT,
  details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details)),  -- e.g. cleaning method and agent
  minutes_spent INTEGER CHECK (minutes_spent IS NULL OR minutes_spent >= 0),
  procedure_id TEXT REFERENCES procedures(id),
  reference_equipment_id TEXT REFERENCES equipment(id),
  reference_not_current INTEGER NOT NULL DEFAULT 0 ${BOOL('reference_not_current')},
  amends_id TEXT REFERENCES completions(id),
  amend_reason TEXT,
  performed_by_user_id TEXT REFERENCES users(id),
  performed_by_name TEXT NOT NULL,  -- as signed, or as written in imported history
  source TEXT NOT NULL CHECK (source IN ('app', 'cli', 'import')),
  created_at TEXT NOT NULL ${INSTANT('created_at')},
  pc_id TEXT NOT NULL,
  CHECK ((equipment_id IS NULL) <> (stock_location_id IS NULL)),
  CHECK ((amends_id IS NULL) = (amend_reason IS NULL))
) STRICT;
CREATE INDEX completions_plan ON completions (plan_id, performed_at);
CREATE INDEX completions_equipment ON completions (equipment_id, performed_at);
CREATE INDEX completions_stock_location ON completions (stock_location_id, performed_at);
CREATE INDEX completions_amends ON completions (amends_id) WHERE amends_id IS NOT NULL;
CREATE INDEX completions_performed_on ON completions (performed_on);
${permanent('completions', 'completion records')}

CREATE TABLE completion_steps (
  completion_id TEXT NOT NULL REFERENCES completions(id),
  position INTEGER NOT NULL,
  text TEXT NOT NULL,
  result TEXT NOT NULL CHECK (result IN ('pass', 'fail', 'na')),
  note TEXT,
  PRIMARY KEY (completion_id, position)
) STRICT;
${permanent('completion_steps', 'checklist results')}

-- Calibration points and electrical safety measurements. Limits are stored as computed when
-- signed; in/out of tolerance is computed from them, never typed.
CREATE TABLE completion_readings (
  completion_id TEXT NOT NULL REFERENCES completions(id),
  position INTEGER NOT NULL,
  label TEXT NOT NULL,
  unit TEXT NOT NULL,
  nominal REAL,
  tolerance_kind TEXT CHECK (tolerance_kind IN ('absolute', 'percent')),
  tolerance REAL,
  low_limit REAL,
  high_limit REAL,
  as_found REAL,
  as_left REAL,
  found_in_tolerance INTEGER ${BOOL('found_in_tolerance')},
  left_in_tolerance INTEGER CHECK (left_in_tolerance IS NULL OR left_in_tolerance IN (0, 1)),
  PRIMARY KEY (completion_id, position)
) STRICT;
${permanent('completion_readings', 'readings')}

CREATE TABLE signatures (
  id TEXT PRIMARY KEY,
  completion_id TEXT NOT NULL REFERENCES completions(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  signer_name TEXT NOT NULL,
  signer_role TEXT NOT NULL,
  meaning TEXT NOT NULL CHECK (meaning IN ('performed_by', 'reviewed_by')),
  signed_at TEXT NOT NULL ${INSTANT('signed_at')},
  pc_id TEXT NOT NULL,
  UNIQUE (completion_id, meaning)
) STRICT;
${permanent('signatures', 'signatures')}

CREATE TABLE supply_items (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  code TEXT NOT NULL,
  code_key TEXT NOT NULL UNIQUE,
  unit TEXT NOT NULL,
  default_supplier TEXT,
  active INTEGER NOT NULL DEFAULT 1 ${BOOL('active')},
  ${STAMPS}
) STRICT;

-- Par and minimum per item and stock location; on_hand is derived from stock_transactions
-- and kept current in the same transaction as each of them.
CREATE TABLE stock_levels (
  stock_location_id TEXT NOT NULL REFERENCES stock_locations(id),
  item_id TEXT NOT NULL REFERENCES supply_items(id),
  par INTEGER NOT NULL CHECK (par >= 0),
  minimum INTEGER NOT NULL CHECK (minimum >= 0),
  on_hand INTEGER NOT NULL DEFAULT 0,
  ${STAMPS},
  PRIMARY KEY (stock_location_id, item_id),
  CHECK (minimum <= par)
) STRICT;

CREATE TABLE stock_lots (
  id TEXT PRIMARY KEY,
  stock_location_id TEXT NOT NULL REFERENCES stock_locations(id),
  item_id TEXT NOT NULL REFERENCES supply_items(id),
  lot TEXT NOT NULL DEFAULT '',
  expires_on TEXT ${DATE('expires_on')},
  on_hand INTEGER NOT NULL DEFAULT 0,
  ${STAMPS},
  UNIQUE (stock_location_id, item_id, lot, expires_on)
) STRICT;
CREATE INDEX stock_lots_expiry ON stock_lots (expires_on) WHERE on_hand > 0;

CREATE TABLE stock_transactions (
  id TEXT PRIMARY KEY,
  stock_location_id TEXT NOT NULL REFERENCES stock_locations(id),
  item_id TEXT NOT NULL REFERENCES supply_items(id),
  lot_id TEXT REFERENCES stock_lots(id),
  kind TEXT NOT NULL CHECK (kind IN ('count', 'restock', 'use', 'discard', 'adjust')),
  delta INTEGER NOT NULL,           -- change to on hand
  counted INTEGER,                  -- for a count: the figure found
  reason TEXT,
  completion_id TEXT REFERENCES completions(id),
  at TEXT NOT NULL ${INSTANT('at')},
  user_id TEXT REFERENCES users(id),
  user_name TEXT NOT NULL,
  pc_id TEXT NOT NULL
) STRICT;
CREATE INDEX stock_transactions_level ON stock_transactions (stock_location_id, item_id, at);
CREATE INDEX stock_transactions_completion ON stock_transactions (completion_id) WHERE completion_id IS NOT NULL;
${permanent('stock_transactions', 'stock transactions')}

-- Append-only and tamper-evident: each entry carries the hash of the one before it.
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  at TEXT NOT NULL ${INSTANT('at')},
  actor_user_id TEXT,
  actor_name TEXT NOT NULL,
  via TEXT NOT NULL CHECK (via IN ('app', 'cli', 'system')),
  pc_id TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT,
  old_value TEXT CHECK (old_value IS NULL OR json_valid(old_value)),
  new_value TEXT CHECK (new_value IS NULL OR json_valid(new_value)),
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
${permanent('audit_log', 'audit trail entries')}
`;

export const migration0001: Migration = {
  version: 1,
  name: 'initial schema',
  up(db) {
    db.exec(sql);
  },
};
