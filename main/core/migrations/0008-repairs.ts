import type { Database } from 'better-sqlite3';
import { uuidv7 } from '../ids';
import { entityIdOf, serialiseRow } from '../permanent/bind';
import { permanentTable } from '../permanent/tables';
import { builtQuery, query } from '../sql/query';
import { appender } from './0006-trust';
import type { Migration } from './types';

/**
 * Repairs and unplanned work (issue 16).
 *
 * - Ward staff: a role below technician. `users.role`'s CHECK is widened by rebuilding the table
 *   (SQLite cannot alter a CHECK); the runner does it with foreign keys off and checks them all
 *   before the commit (`rebuildsTables`).
 * - Task types say which form they use, whether a fail opens a work order, and whether they are
 *   in use; `acceptance` and `repair` are added. Administrators add their own.
 * - `plans.done_before_on`: when the work was last done before the device came to Wardkeep.
 * - Work orders (a mutable head kept current in the same transaction as each step), their signed
 *   steps (permanent), the failure and cause codes, and the status history (permanent): every
 *   change of a device's service status, from, to, when, who, why and what caused it.
 * - The status history is filled from the audit trail (each device's creation and every status
 *   entry), so downtime before this version is known; each row gets a `bind` entry like the rows
 *   0006 bound.
 */

const DATE = (col: string) => `CHECK (${col} IS NULL OR ${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')`;
const INSTANT = (col: string) => `CHECK (${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T*Z')`;
const BOOL = (col: string) => `CHECK (${col} IN (0, 1))`;
const STATUS = `'in_service', 'out_of_service', 'retired', 'missing'`;
const STAMPS = `created_at TEXT NOT NULL ${INSTANT('created_at')},
  updated_at TEXT NOT NULL ${INSTANT('updated_at')},
  pc_id TEXT NOT NULL`;
const permanent = (table: string, what: string) => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, '${what} are permanent and cannot be changed'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, '${what} are permanent and cannot be deleted'); END;`;

const users = `
DROP TRIGGER users_no_delete;
CREATE TABLE users_rebuilt (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('ward_staff', 'technician', 'supervisor', 'admin')),
  pin_hash TEXT,
  password_hash TEXT,
  must_set_pin INTEGER NOT NULL DEFAULT 0 ${BOOL('must_set_pin')},
  home_location_id TEXT REFERENCES locations(id),
  active INTEGER NOT NULL DEFAULT 1 ${BOOL('active')},
  failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
  locked_until TEXT,
  ${STAMPS}
) STRICT;
INSERT INTO users_rebuilt (id, name, name_key, role, pin_hash, password_hash, must_set_pin, home_location_id, active, failed_attempts, locked_until, created_at, updated_at, pc_id)
  SELECT id, name, name_key, role, pin_hash, password_hash, must_set_pin, home_location_id, active, failed_attempts, locked_until, created_at, updated_at, pc_id
  FROM users ORDER BY rowid;
DROP TABLE users;
ALTER TABLE users_rebuilt RENAME TO users;
CREATE TRIGGER users_no_delete BEFORE DELETE ON users
BEGIN SELECT RAISE(ABORT, 'users are never deleted; deactivate instead'); END;
`;

const taskTypes = `
ALTER TABLE task_types ADD COLUMN form_kind TEXT NOT NULL DEFAULT 'plain'
  CHECK (form_kind IN ('cleaning', 'stock_check', 'checklist', 'measurements', 'safety', 'plain'));
ALTER TABLE task_types ADD COLUMN fail_opens_work_order INTEGER NOT NULL DEFAULT 0 ${BOOL('fail_opens_work_order')};
ALTER TABLE task_types ADD COLUMN active INTEGER NOT NULL DEFAULT 1 ${BOOL('active')};
ALTER TABLE task_types ADD COLUMN builtin INTEGER NOT NULL DEFAULT 0 ${BOOL('builtin')};
UPDATE task_types SET builtin = 1, form_kind = CASE code
    WHEN 'calibration' THEN 'measurements' WHEN 'electrical_safety' THEN 'safety' WHEN 'inspection' THEN 'checklist'
    WHEN 'cleaning' THEN 'cleaning' WHEN 'stock_check' THEN 'stock_check' ELSE 'plain' END,
  fail_opens_work_order = (code IN ('calibration', 'electrical_safety', 'inspection'))
  WHERE code IN ('calibration', 'electrical_safety', 'inspection', 'cleaning', 'stock_check');
UPDATE task_types SET form_kind = 'plain' WHERE builtin = 0;
INSERT INTO task_types (code, label, target, fail_tags_out, overdue_blocks_use, sort_order, form_kind, fail_opens_work_order, active, builtin)
VALUES
  ('acceptance', 'Acceptance check', 'equipment', 1, 0, (SELECT coalesce(max(sort_order), 0) + 1 FROM task_types), 'checklist', 1, 1, 1),
  ('repair', 'Repair', 'equipment', 0, 0, (SELECT coalesce(max(sort_order), 0) + 2 FROM task_types), 'plain', 0, 1, 1)
ON CONFLICT (code) DO NOTHING;

ALTER TABLE plans ADD COLUMN done_before_on TEXT ${DATE('done_before_on')};
`;

const repairs = `
CREATE TABLE repair_codes (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('failure', 'cause')),
  label TEXT NOT NULL,
  label_key TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1 ${BOOL('active')},
  sort_order INTEGER NOT NULL,
  ${STAMPS}
) STRICT;
CREATE UNIQUE INDEX repair_codes_label ON repair_codes (kind, label_key);

CREATE TABLE work_orders (
  id TEXT PRIMARY KEY,
  number INTEGER NOT NULL UNIQUE CHECK (number >= 1),
  equipment_id TEXT NOT NULL REFERENCES equipment(id),
  state TEXT NOT NULL CHECK (state IN ('reported', 'in_progress', 'waiting', 'repaired', 'returned', 'retired')),
  problem TEXT NOT NULL,
  reported_at TEXT NOT NULL ${INSTANT('reported_at')},
  reported_by_user_id TEXT REFERENCES users(id),
  reported_by_name TEXT NOT NULL,
  -- where the fault was found: the work order keeps it when the device moves (to the workshop)
  reported_location_id TEXT NOT NULL REFERENCES locations(id),
  took_out_of_service INTEGER NOT NULL ${BOOL('took_out_of_service')},
  -- a failed record that opened it by itself
  opened_by_completion_id TEXT REFERENCES completions(id),
  assigned_user_id TEXT REFERENCES users(id),
  assigned_name TEXT,
  waiting_for TEXT CHECK (waiting_for IS NULL OR waiting_for IN ('parts', 'vendor')),
  waiting_note TEXT,
  failure_code_id TEXT REFERENCES repair_codes(id),
  cause_code_id TEXT REFERENCES repair_codes(id),
  work_done TEXT,
  labour_minutes INTEGER CHECK (labour_minutes IS NULL OR labour_minutes >= 0),
  vendor TEXT,
  vendor_ticket TEXT,
  cost_cents INTEGER CHECK (cost_cents IS NULL OR cost_cents >= 0),
  repair_completion_id TEXT REFERENCES completions(id),
  closed_at TEXT,
  ${STAMPS}
) STRICT;
CREATE INDEX work_orders_equipment ON work_orders (equipment_id, reported_at);
CREATE INDEX work_orders_open ON work_orders (state) WHERE state NOT IN ('returned', 'retired');
-- A device has one open work order at most: a second fault joins it.
CREATE UNIQUE INDEX work_orders_one_open ON work_orders (equipment_id) WHERE state NOT IN ('returned', 'retired');
CREATE INDEX work_orders_closed ON work_orders (closed_at) WHERE closed_at IS NOT NULL;

CREATE TABLE work_order_steps (
  id TEXT PRIMARY KEY,
  work_order_id TEXT NOT NULL REFERENCES work_orders(id),
  action TEXT NOT NULL CHECK (action IN ('report', 'join', 'take', 'wait', 'resume', 'repair', 'check', 'return', 'retire')),
  from_state TEXT CHECK (from_state IS NULL OR from_state IN ('reported', 'in_progress', 'waiting', 'repaired', 'returned', 'retired')),
  to_state TEXT NOT NULL CHECK (to_state IN ('reported', 'in_progress', 'waiting', 'repaired', 'returned', 'retired')),
  at TEXT NOT NULL ${INSTANT('at')},
  user_id TEXT REFERENCES users(id),
  user_name TEXT NOT NULL,
  user_role TEXT,
  note TEXT,
  details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details)),
  completion_id TEXT REFERENCES completions(id),
  source TEXT NOT NULL CHECK (source IN ('app', 'cli', 'system')),
  pc_id TEXT NOT NULL
) STRICT;
CREATE INDEX work_order_steps_order ON work_order_steps (work_order_id, at);
${permanent('work_order_steps', 'work order steps')}

CREATE TABLE status_changes (
  id TEXT PRIMARY KEY,
  equipment_id TEXT NOT NULL REFERENCES equipment(id),
  at TEXT NOT NULL ${INSTANT('at')},
  from_status TEXT CHECK (from_status IS NULL OR from_status IN (${STATUS})),
  to_status TEXT NOT NULL CHECK (to_status IN (${STATUS})),
  reason TEXT,
  cause TEXT NOT NULL CHECK (cause IN ('added', 'person', 'rule_12', 'record', 'fault', 'work_order', 'import', 'upgrade')),
  work_order_id TEXT REFERENCES work_orders(id),
  completion_id TEXT REFERENCES completions(id),
  user_id TEXT REFERENCES users(id),
  user_name TEXT NOT NULL,
  pc_id TEXT NOT NULL
) STRICT;
CREATE INDEX status_changes_equipment ON status_changes (equipment_id, at);
-- Today lists the devices out of service on every read: a few among thousands.
CREATE INDEX equipment_out_of_service ON equipment (location_id) WHERE status = 'out_of_service';
${permanent('status_changes', 'status changes')}
`;

/** The codes every Wardkeep starts with (migration 0010 gives them the same ids on every PC). */
export const FAILURE_CODES = ['No fault found', 'Accessory or consumable', 'Power or battery', 'Software', 'Display or controls', 'Alarm', 'Mechanical', 'Electrical', 'Other'];
export const CAUSE_CODES = ['Use error', 'Wear', 'Damage or drop', 'Fluid ingress', 'Accessory or consumable', 'Power or battery', 'Software', 'No fault found', 'Other'];

const metaValue = query<{ value: string }, { key: string }>('SELECT value FROM meta WHERE key = @key');
const userIds = query<{ id: string }>('SELECT id FROM users');
const devices = query<{ id: string; status: string; created_at: string }>('SELECT id, status, created_at FROM equipment ORDER BY rowid');
const statusEntries = query<{ seq: number; at: string; actor_user_id: string | null; actor_name: string; via: string; action: string; entity_id: string; old_value: string | null; new_value: string | null }>(
  `SELECT seq, at, actor_user_id, actor_name, via, action, entity_id, old_value, new_value FROM audit_log
   WHERE entity = 'equipment' AND action IN ('create', 'status') AND entity_id IS NOT NULL ORDER BY seq`,
);
const completionExists = query<{ id: string }, { id: string }>('SELECT id FROM completions WHERE id = @id');

interface Change {
  equipment_id: string;
  at: string;
  from_status: string | null;
  to_status: string;
  reason: string | null;
  cause: string;
  completion_id: string | null;
  user_id: string | null;
  user_name: string;
}

function parse(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Each device's status changes as the audit trail recorded them, then one for any status the trail does not explain. */
function historyFromAudit(db: Database, now: string): Change[] {
  const on = { db };
  const known = new Set(userIds.all(on).map((u) => u.id));
  const current = new Map(devices.all(on).map((d) => [d.id, d]));
  const lastStatus = new Map<string, string>();
  const out: Change[] = [];
  for (const e of statusEntries.iterate(on)) {
    if (!current.has(e.entity_id)) continue;
    const user = { user_id: e.actor_user_id && known.has(e.actor_user_id) ? e.actor_user_id : null, user_name: e.actor_name };
    const after = parse(e.new_value);
    if (e.action === 'create') {
      const status = typeof after.status === 'string' ? after.status : 'in_service';
      lastStatus.set(e.entity_id, status);
      if (status !== 'in_service') {
        const imported = after.via === 'import';
        out.push({
          equipment_id: e.entity_id,
          at: e.at,
          from_status: null,
          to_status: status,
          reason: typeof after.status_reason === 'string' ? after.status_reason : null,
          cause: imported ? 'import' : 'added',
          completion_id: null,
          ...user,
        });
      }
      continue;
    }
    const to = typeof after.status === 'string' ? after.status : null;
    const from = lastStatus.get(e.entity_id) ?? (typeof parse(e.old_value).status === 'string' ? (parse(e.old_value).status as string) : 'in_service');
    if (!to || to === from) continue;
    const byRecord = typeof after.by_completion_id === 'string' && completionExists.get(on, { id: after.by_completion_id }) ? after.by_completion_id : null;
    out.push({
      equipment_id: e.entity_id,
      at: e.at,
      from_status: from,
      to_status: to,
      reason: typeof after.status_reason === 'string' ? after.status_reason : null,
      cause: byRecord ? 'rule_12' : 'person',
      completion_id: byRecord,
      ...user,
    });
    lastStatus.set(e.entity_id, to);
  }
  for (const d of current.values()) {
    const derived = lastStatus.get(d.id) ?? 'in_service';
    if (derived === d.status) continue;
    out.push({
      equipment_id: d.id,
      at: lastStatus.has(d.id) ? now : d.created_at,
      from_status: lastStatus.has(d.id) ? derived : null,
      to_status: d.status,
      reason: 'The status the device had when Wardkeep began to keep a status history.',
      cause: 'upgrade',
      completion_id: null,
      user_id: null,
      user_name: 'Wardkeep',
    });
  }
  return out;
}

/** Triggers on `users` other than its own (a hub's change counting, migration 0007): a rebuild drops them, so they are made again after it. */
const otherUserTriggers = query<{ sql: string }>(
  "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'users' AND name <> 'users_no_delete' AND sql IS NOT NULL ORDER BY name",
);

function up(db: Database): void {
  const kept = otherUserTriggers.all({ db });
  db.exec(users);
  for (const t of kept) db.exec(t.sql);
  db.exec(taskTypes);
  db.exec(repairs);
  const now = new Date().toISOString();
  const pcId = metaValue.get({ db }, { key: 'pc_id' })?.value ?? uuidv7();
  const seedCode = db.prepare(
    'INSERT INTO repair_codes (id, kind, label, label_key, active, sort_order, created_at, updated_at, pc_id) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)',
  );
  FAILURE_CODES.forEach((label, i) => seedCode.run(uuidv7(), 'failure', label, label.toLowerCase(), i + 1, now, now, pcId));
  CAUSE_CODES.forEach((label, i) => seedCode.run(uuidv7(), 'cause', label, label.toLowerCase(), i + 1, now, now, pcId));

  const spec = permanentTable('status_changes');
  const insert = db.prepare(
    `INSERT INTO status_changes (id, equipment_id, at, from_status, to_status, reason, cause, work_order_id, completion_id, user_id, user_name, pc_id)
     VALUES (@id, @equipment_id, @at, @from_status, @to_status, @reason, @cause, NULL, @completion_id, @user_id, @user_name, @pc_id)`,
  );
  const readBack = builtQuery<Record<string, unknown>, { id: string }>(`SELECT ${spec.columns.join(', ')} FROM status_changes WHERE id = @id`);
  const changes = historyFromAudit(db, now);
  if (changes.length === 0) return;
  const append = appender(db);
  for (const c of changes) {
    const id = uuidv7(Date.parse(c.at) || Date.now());
    insert.run({ ...c, id, pc_id: pcId });
    const row = readBack.get({ db }, { id })!;
    append(spec.audit.entity, entityIdOf(spec, row), serialiseRow(spec, row));
  }
}

export const migration0008: Migration = {
  version: 8,
  name: 'repairs: ward staff, work orders, status history, task types of their own',
  rebuildsTables: true,
  up,
};
