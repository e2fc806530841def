import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { captureAddedTables } from '../sync/capture';
import { CAUSE_CODES, FAILURE_CODES } from './0008-repairs';
import type { Migration } from './types';

/**
 * Repairs sync across a hospital (issues 19 and 20): work orders, their signed steps, the failure
 * and cause codes and the status history join the tables a hub merges.
 *
 * - The codes every Wardkeep starts with get the same id and the same creation time on every PC
 *   (from their kind and name), so two PCs that each made them before joining hold one list, not
 *   two, and no clash; the work orders that use them follow.
 * - A work order's number is no longer unique on its own, and a device may have two open work
 *   orders: two PCs offline may each open WO-0007, or each open one for the same pump. Both
 *   stand, and are told apart where they are shown (repairs/views.ts). SQLite cannot drop a
 *   column's UNIQUE, so the table is rebuilt, every row and column kept.
 * - On a PC already in a hub, the new tables' change-counting triggers are made and their rows
 *   join the changes to send (sync/capture.ts, `captureAddedTables`).
 */

/** A code's id from its kind and folded name: the same on every PC, shaped as a UUID (version 8, RFC 9562). */
export function builtinCodeId(kind: 'failure' | 'cause', labelKey: string): string {
  const h = createHash('sha256').update(`wardkeep repair code\u0000${kind}\u0000${labelKey}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** When the built-in codes were made, as every PC records it (the day repairs came to Wardkeep). */
const BUILTIN_CODES_AT = '2026-11-30T00:00:00.000Z';

const workOrders = `
CREATE TABLE work_orders_rebuilt (
  id TEXT PRIMARY KEY,
  number INTEGER NOT NULL CHECK (number >= 1),
  equipment_id TEXT NOT NULL REFERENCES equipment(id),
  state TEXT NOT NULL CHECK (state IN ('reported', 'in_progress', 'waiting', 'repaired', 'returned', 'retired')),
  problem TEXT NOT NULL,
  reported_at TEXT NOT NULL CHECK (reported_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T*Z'),
  reported_by_user_id TEXT REFERENCES users(id),
  reported_by_name TEXT NOT NULL,
  reported_location_id TEXT NOT NULL REFERENCES locations(id),
  took_out_of_service INTEGER NOT NULL CHECK (took_out_of_service IN (0, 1)),
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
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T*Z'),
  updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T*Z'),
  pc_id TEXT NOT NULL
) STRICT;
INSERT INTO work_orders_rebuilt SELECT id, number, equipment_id, state, problem, reported_at, reported_by_user_id, reported_by_name,
  reported_location_id, took_out_of_service, opened_by_completion_id, assigned_user_id, assigned_name, waiting_for, waiting_note,
  failure_code_id, cause_code_id, work_done, labour_minutes, vendor, vendor_ticket, cost_cents, repair_completion_id, closed_at,
  created_at, updated_at, pc_id
  FROM work_orders ORDER BY rowid;
DROP TABLE work_orders;
ALTER TABLE work_orders_rebuilt RENAME TO work_orders;
CREATE INDEX work_orders_equipment ON work_orders (equipment_id, reported_at);
CREATE INDEX work_orders_number ON work_orders (number);
CREATE INDEX work_orders_open ON work_orders (state) WHERE state NOT IN ('returned', 'retired');
CREATE INDEX work_orders_open_device ON work_orders (equipment_id) WHERE state NOT IN ('returned', 'retired');
CREATE INDEX work_orders_closed ON work_orders (closed_at) WHERE closed_at IS NOT NULL;
`;

function rekeyBuiltinCodes(db: Database): void {
  const builtin = [
    ...FAILURE_CODES.map((label) => ['failure', label.toLowerCase()] as const),
    ...CAUSE_CODES.map((label) => ['cause', label.toLowerCase()] as const),
  ];
  const find = db.prepare<[string, string], { id: string }>('SELECT id FROM repair_codes WHERE kind = ? AND label_key = ?');
  // Made at each PC's own upgrade time: the same instant everywhere, or every PC's copy would clash with every other's.
  const sameTimes = db.prepare(
    `UPDATE repair_codes SET created_at = @at, updated_at = CASE WHEN updated_at = created_at THEN @at ELSE updated_at END WHERE id = @id`,
  );
  const moves = [
    db.prepare('UPDATE repair_codes SET id = @to WHERE id = @from'),
    db.prepare('UPDATE work_orders SET failure_code_id = @to WHERE failure_code_id = @from'),
    db.prepare('UPDATE work_orders SET cause_code_id = @to WHERE cause_code_id = @from'),
  ];
  for (const [kind, key] of builtin) {
    const row = find.get(kind, key);
    const to = builtinCodeId(kind, key);
    if (!row) continue;
    if (row.id !== to) for (const m of moves) m.run({ from: row.id, to });
    sameTimes.run({ id: to, at: BUILTIN_CODES_AT });
  }
}

function up(db: Database): void {
  rekeyBuiltinCodes(db);
  db.exec(workOrders);
  captureAddedTables(db, ['repair_codes', 'work_orders', 'work_order_steps', 'status_changes']);
}

export const migration0010: Migration = {
  version: 10,
  name: 'repairs sync across a hospital: codes with the same ids everywhere, work order numbers that may clash',
  rebuildsTables: true,
  up,
};
