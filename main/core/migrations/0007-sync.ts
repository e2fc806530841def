import type { Database } from 'better-sqlite3';
import { query, scalar } from '../sql/query';
import type { Migration } from './types';

/**
 * One hospital, many ward PCs (the hub issue). What a PC needs to sync with the hub, and the
 * schema changes syncing asks for:
 *
 * - `sync_outbox`: every local write to a synced table, captured by triggers (active once the PC
 *   joins a hub, see main/core/sync/capture.ts) and stamped with a hybrid logical clock;
 *   removed once the hub has it. `sync_row_clock`: the clock of each field of each mutable row,
 *   so an arriving value replaces a field only when it is newer. `sync_touch`: writes counted to
 *   find those made outside Wardkeep. `sync_state`: the hub, this PC's
 *   key, the pull cursor, the clock offset. `sync_conflicts`: concurrent edits the hub resolved,
 *   for a supervisor. `sync_quarantine`: changes the hub refused, reported back.
 * - The audit trail holds one chain per PC (a PC keeps other PCs' chains after a sync): its key
 *   becomes (chain_id, seq). Existing entries keep their hashes, which never covered the chain id.
 *   They form this database's chain (meta `audit_chain`, or the PC's id: anchors/chain.ts), except
 *   those before a restore, which belong to the chain the restore continued (its entry says which,
 *   since version 6), so the head log's heads of earlier chains stay true.
 * - Rows made on two PCs at once must both survive: two signatures "reviewed by" on one record,
 *   and one lot made on two PCs, so those UNIQUE constraints become plain indexes (the app still
 *   checks before it writes). The folded unique lookups (asset tag, user name, location name,
 *   category name, supply code) keep their UNIQUE index: a clash that arrives gets a suffix on
 *   the folded key (see main/core/sync/keys.ts), and the triggers here hand the plain key back to
 *   the next row when the row holding it is renamed, moved or deleted.
 * - Equipment keeps the status a person set (`manual_status` and its reason) apart from the
 *   status in force, which rule 12 derives from the records: the person's decision syncs, the
 *   derived status is recomputed on every PC from the merged records.
 */

const INSTANT = (col: string) => `CHECK (${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T*Z')`;
const permanent = (table: string, what: string) => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, '${what} are permanent and cannot be changed'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, '${what} are permanent and cannot be deleted'); END;`;

const syncTables = `
CREATE TABLE sync_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  replica TEXT NOT NULL,
  hlc TEXT NOT NULL,
  tbl TEXT NOT NULL,
  pk TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
  data TEXT NOT NULL CHECK (json_valid(data)),
  base TEXT CHECK (base IS NULL OR json_valid(base))
) STRICT;

CREATE TABLE sync_row_clock (
  tbl TEXT NOT NULL,
  pk TEXT NOT NULL,
  clocks TEXT NOT NULL CHECK (json_valid(clocks)),
  PRIMARY KEY (tbl, pk)
) STRICT;

-- Writes to synced rows, counted twice: by a trigger every writer fires, and by the capture
-- triggers only Wardkeep's own connections have. A row counted more by the first was written by
-- something else (the sqlite3 command line): found before each sync, never sent.
CREATE TABLE sync_touch (
  tbl TEXT NOT NULL,
  pk TEXT NOT NULL,
  writes INTEGER NOT NULL DEFAULT 0,
  ours INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tbl, pk)
) STRICT;

-- A row while rows from the hub are being applied (inside that transaction only, so no other
-- connection ever sees it): those writes are neither sent back nor counted.
CREATE TABLE sync_applying (one INTEGER PRIMARY KEY CHECK (one = 1)) STRICT;

CREATE TABLE sync_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE sync_conflicts (
  id TEXT PRIMARY KEY,
  tbl TEXT NOT NULL,
  pk TEXT NOT NULL,
  fields TEXT NOT NULL,
  winner_value TEXT NOT NULL,
  winner_hlc TEXT NOT NULL,
  winner_pc TEXT NOT NULL,
  loser_value TEXT NOT NULL,
  loser_hlc TEXT NOT NULL,
  loser_pc TEXT NOT NULL,
  rule TEXT NOT NULL CHECK (rule IN ('latest', 'restrictive')),
  detected_at TEXT NOT NULL,
  resolved_at TEXT,
  resolved_by TEXT,
  resolution TEXT CHECK (resolution IS NULL OR resolution IN ('kept', 'used_other'))
) STRICT;
CREATE INDEX sync_conflicts_open ON sync_conflicts (detected_at) WHERE resolved_at IS NULL;
CREATE INDEX sync_conflicts_row ON sync_conflicts (tbl, pk);

CREATE TABLE sync_quarantine (
  id INTEGER PRIMARY KEY,
  replica TEXT NOT NULL,
  seq INTEGER NOT NULL,
  tbl TEXT NOT NULL,
  pk TEXT NOT NULL,
  op TEXT NOT NULL,
  data TEXT NOT NULL,
  reason TEXT NOT NULL,
  reported_at TEXT NOT NULL
) STRICT;
`;

const auditLog = `
DROP TRIGGER audit_log_no_update;
DROP TRIGGER audit_log_no_delete;
CREATE TABLE audit_log_v7 (
  chain_id TEXT NOT NULL,
  seq INTEGER NOT NULL CHECK (seq >= 1),
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
  hash TEXT NOT NULL,
  PRIMARY KEY (chain_id, seq)
) STRICT;
INSERT INTO audit_log_v7 (chain_id, seq, id, at, actor_user_id, actor_name, via, pc_id, action, entity, entity_id, old_value, new_value, prev_hash, hash)
  SELECT (SELECT chain FROM temp.audit_segments s WHERE a.seq BETWEEN s.lo AND s.hi), seq, id, at, actor_user_id, actor_name, via, pc_id,
    action, entity, entity_id, old_value, new_value, prev_hash, hash
  FROM audit_log a ORDER BY seq;
DROP TABLE audit_log;
ALTER TABLE audit_log_v7 RENAME TO audit_log;
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_hash ON audit_log (hash);
DROP TABLE temp.audit_segments;
${permanent('audit_log', 'audit trail entries')}
`;

/**
 * Which chain each existing entry belongs to: the database's own chain, except the entries before
 * a restore, which belong to the chain that restore continued (its entry records it as
 * `continues`; a restore by a Wardkeep older than version 6 started no chain).
 */
const metaValue = scalar<string, { key: string }>('SELECT value FROM meta WHERE key = @key');
const firstWriter = scalar<string>('SELECT pc_id FROM audit_log ORDER BY seq LIMIT 1');
const restoreEntries = query<{ seq: number; new_value: string | null }>(
  "SELECT seq, new_value FROM audit_log WHERE action = 'restore' AND entity = 'database' ORDER BY seq",
);

function auditSegments(db: Database): void {
  const on = { db };
  const meta = (key: string) => metaValue.get(on, { key });
  let current = meta('audit_chain') ?? meta('pc_id');
  if (current === undefined) {
    // Entries but no PC id (a database an older Wardkeep never finished opening): the chain is named after its writer.
    const first = firstWriter.get(on);
    if (first !== undefined) db.prepare("INSERT INTO meta (key, value) VALUES ('audit_chain', ?)").run(first);
    current = first ?? '';
  }
  db.exec('CREATE TEMP TABLE audit_segments (lo INTEGER NOT NULL, hi INTEGER NOT NULL, chain TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO temp.audit_segments (lo, hi, chain) VALUES (?, ?, ?)');
  const restores = restoreEntries.all(on);
  let lo = 1;
  for (const r of restores) {
    let continued: string | null = null;
    try {
      const v = JSON.parse(r.new_value ?? 'null') as { continues?: { chain?: unknown } | null } | null;
      continued = typeof v?.continues?.chain === 'string' ? v.continues.chain : null;
    } catch {
      continued = null;
    }
    if (continued === null) continue;
    if (r.seq > lo) insert.run(lo, r.seq - 1, continued);
    lo = r.seq;
  }
  insert.run(lo, Number.MAX_SAFE_INTEGER, current);
}

const signatures = `
DROP TRIGGER signatures_no_update;
DROP TRIGGER signatures_no_delete;
CREATE TABLE signatures_v7 (
  id TEXT PRIMARY KEY,
  completion_id TEXT NOT NULL REFERENCES completions(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  signer_name TEXT NOT NULL,
  signer_role TEXT NOT NULL,
  meaning TEXT NOT NULL CHECK (meaning IN ('performed_by', 'reviewed_by', 'amended_by')),
  signed_at TEXT NOT NULL ${INSTANT('signed_at')},
  pc_id TEXT NOT NULL
) STRICT;
INSERT INTO signatures_v7 (id, completion_id, user_id, signer_name, signer_role, meaning, signed_at, pc_id)
  SELECT id, completion_id, user_id, signer_name, signer_role, meaning, signed_at, pc_id FROM signatures ORDER BY rowid;
DROP TABLE signatures;
ALTER TABLE signatures_v7 RENAME TO signatures;
CREATE INDEX signatures_completion ON signatures (completion_id, meaning);
${permanent('signatures', 'signatures')}
`;

// Lots first, then the transactions that point at them; the old tables go in the reverse order,
// so no foreign key is ever left pointing at a dropped table.
const stock = `
CREATE TABLE stock_lots_v7 (
  id TEXT PRIMARY KEY,
  stock_location_id TEXT NOT NULL REFERENCES stock_locations(id),
  item_id TEXT NOT NULL REFERENCES supply_items(id),
  lot TEXT NOT NULL DEFAULT '',
  expires_on TEXT CHECK (expires_on IS NULL OR expires_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  on_hand INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL ${INSTANT('created_at')},
  updated_at TEXT NOT NULL ${INSTANT('updated_at')},
  pc_id TEXT NOT NULL
) STRICT;
INSERT INTO stock_lots_v7 (id, stock_location_id, item_id, lot, expires_on, on_hand, created_at, updated_at, pc_id)
  SELECT id, stock_location_id, item_id, lot, expires_on, on_hand, created_at, updated_at, pc_id FROM stock_lots ORDER BY rowid;
CREATE TABLE stock_transactions_v7 (
  id TEXT PRIMARY KEY,
  stock_location_id TEXT NOT NULL REFERENCES stock_locations(id),
  item_id TEXT NOT NULL REFERENCES supply_items(id),
  lot_id TEXT REFERENCES stock_lots_v7(id),
  kind TEXT NOT NULL CHECK (kind IN ('count', 'restock', 'use', 'discard', 'adjust')),
  delta INTEGER NOT NULL,
  counted INTEGER,
  reason TEXT,
  completion_id TEXT REFERENCES completions(id),
  at TEXT NOT NULL ${INSTANT('at')},
  user_id TEXT REFERENCES users(id),
  user_name TEXT NOT NULL,
  pc_id TEXT NOT NULL
) STRICT;
INSERT INTO stock_transactions_v7 (id, stock_location_id, item_id, lot_id, kind, delta, counted, reason, completion_id, at, user_id, user_name, pc_id)
  SELECT id, stock_location_id, item_id, lot_id, kind, delta, counted, reason, completion_id, at, user_id, user_name, pc_id FROM stock_transactions ORDER BY rowid;
DROP TABLE stock_transactions;
DROP TABLE stock_lots;
ALTER TABLE stock_lots_v7 RENAME TO stock_lots;
ALTER TABLE stock_transactions_v7 RENAME TO stock_transactions;
CREATE INDEX stock_lots_identity ON stock_lots (stock_location_id, item_id, lot, expires_on);
CREATE INDEX stock_lots_expiry ON stock_lots (expires_on) WHERE on_hand > 0;
CREATE INDEX stock_transactions_level ON stock_transactions (stock_location_id, item_id, at);
CREATE INDEX stock_transactions_completion ON stock_transactions (completion_id) WHERE completion_id IS NOT NULL;
CREATE INDEX stock_transactions_lot ON stock_transactions (lot_id) WHERE lot_id IS NOT NULL;
${permanent('stock_transactions', 'stock transactions')}
`;

const procedures = `
DROP INDEX procedures_version;
CREATE INDEX procedures_version ON procedures (ifnull(category_id, ''), ifnull(plan_id, ''), task, version);
`;

const equipment = `
ALTER TABLE equipment ADD COLUMN manual_status TEXT NOT NULL DEFAULT 'in_service'
  CHECK (manual_status IN ('in_service', 'out_of_service', 'retired', 'missing'));
ALTER TABLE equipment ADD COLUMN manual_status_reason TEXT;
ALTER TABLE equipment ADD COLUMN manual_overrides TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(manual_overrides));
`;

/**
 * When the row holding a folded key (the plain one) is renamed, moved or deleted, the next row of
 * the same name takes it (the smallest id, the same rule every PC follows), so a lookup by the
 * name keeps finding it. A row only losing its key to a clash (a suffix after the same key) is not
 * a rename and hands nothing on; nor is an update that leaves the key as it was (fixed by
 * migration 0012, which makes the update trigger again from here: before it, that update handed
 * the key on while the row still held it).
 */
const SEP = 'char(31)';

function handOn(table: string, key: string, scope: string | null): string {
  const sameScope = scope ? `AND ifnull(${scope}, '') = ifnull(OLD.${scope}, '')` : '';
  return `UPDATE ${table} SET ${key} = OLD.${key}
    WHERE id = (SELECT id FROM ${table} WHERE ${key} > OLD.${key} || ${SEP} AND ${key} < OLD.${key} || char(32) ${sameScope} ORDER BY id LIMIT 1);`;
}

/** The hand-over when the key changes (or, for a scoped key, the row moves to another scope). */
export function handoverOnUpdate(table: string, key: string, scope: string | null): string {
  const changed = `(NEW.${key} IS NOT OLD.${key} AND substr(NEW.${key}, 1, length(OLD.${key}) + 1) IS NOT OLD.${key} || ${SEP})`;
  const moved = scope ? ` OR NEW.${scope} IS NOT OLD.${scope}` : '';
  return `
CREATE TRIGGER ${table}_${key}_handover AFTER UPDATE OF ${key}${scope ? `, ${scope}` : ''} ON ${table}
WHEN instr(OLD.${key}, ${SEP}) = 0 AND (${changed}${moved})
BEGIN ${handOn(table, key, scope)} END;`;
}

function promote(table: string, key: string, scope: string | null): string {
  return `${handoverOnUpdate(table, key, scope)}
CREATE TRIGGER ${table}_${key}_handover_on_delete AFTER DELETE ON ${table}
WHEN instr(OLD.${key}, ${SEP}) = 0
BEGIN ${handOn(table, key, scope)} END;`;
}

/** The folded keys handed over: table, key column, the column its uniqueness is scoped by. */
export const HANDOVER_KEYS: readonly (readonly [string, string, string | null])[] = [
  ['equipment', 'asset_tag_key', null],
  ['users', 'name_key', null],
  ['categories', 'name_key', null],
  ['supply_items', 'code_key', null],
  ['locations', 'name_key', 'parent_id'],
];

const handovers = HANDOVER_KEYS.map(([table, key, scope]) => promote(table, key, scope)).join('\n');

/**
 * For the new columns: the person's decision behind each device's stored status, with the rule of
 * this version. A device tagged out by a failed plan was put in service by nobody since, so its
 * decision is "in service" with nothing overridden; a device in service despite a failing plan was
 * put there by a person, who overrode those fails; any other status was set by a person.
 */
const FAILS_HOLDING = `
  SELECT c.id, c.plan_id, c.outcome, c.performed_at, c.performed_on
  FROM plans p
  JOIN task_types t ON t.code = p.task AND t.fail_tags_out = 1
  JOIN completions c ON c.plan_id = p.id
  WHERE p.equipment_id = @id AND p.active = 1
    AND c.outcome IN ('pass', 'pass_adjusted', 'fail') AND c.source <> 'import'
    AND NOT EXISTS (SELECT 1 FROM completions a WHERE a.amends_id = c.id)
    AND (c.amends_id IS NULL OR NOT EXISTS (
      SELECT 1 FROM completions s
      WHERE s.amends_id = c.amends_id AND (s.created_at > c.created_at OR (s.created_at = c.created_at AND s.id > c.id))))`;
const RANK = ['pass', 'pass_adjusted', 'fail'];
type HoldingFail = { id: string; plan_id: string; outcome: string; performed_at: string; performed_on: string };
const failsHolding = query<HoldingFail, { id: string }>(FAILS_HOLDING);
const deviceStatuses = query<{ id: string; status: string; status_reason: string | null; tagged_out_by_plan_id: string | null }>(
  'SELECT id, status, status_reason, tagged_out_by_plan_id FROM equipment',
);

function backfillManualStatus(db: Database): void {
  const on = { db };
  const update = db.prepare('UPDATE equipment SET manual_status = ?, manual_status_reason = ?, manual_overrides = ? WHERE id = ?');
  const devices = deviceStatuses.all(on);
  for (const e of devices) {
    if (e.tagged_out_by_plan_id !== null) {
      update.run('in_service', null, '[]', e.id);
      continue;
    }
    let overrides: string[] = [];
    if (e.status === 'in_service') {
      const byPlan = new Map<string, HoldingFail[]>();
      for (const r of failsHolding.all(on, { id: e.id })) byPlan.set(r.plan_id, [...(byPlan.get(r.plan_id) ?? []), r]);
      const later = (a: HoldingFail, b: HoldingFail) =>
        Date.parse(a.performed_at) !== Date.parse(b.performed_at)
          ? Date.parse(a.performed_at) > Date.parse(b.performed_at)
          : a.performed_on !== b.performed_on
            ? a.performed_on > b.performed_on
            : a.outcome !== b.outcome
              ? RANK.indexOf(a.outcome) > RANK.indexOf(b.outcome)
              : a.id > b.id;
      for (const rows of byPlan.values()) {
        const latest = rows.reduce((a, b) => (later(b, a) ? b : a));
        if (latest.outcome === 'fail') overrides.push(...rows.filter((r) => r.outcome === 'fail').map((r) => r.id));
      }
      overrides = overrides.sort();
    }
    update.run(e.status, e.status_reason, JSON.stringify(overrides), e.id);
  }
}

function up(db: Database): void {
  db.exec(syncTables);
  auditSegments(db);
  db.exec(auditLog);
  db.exec(signatures);
  db.exec(stock);
  db.exec(procedures);
  db.exec(equipment);
  backfillManualStatus(db);
  db.exec(handovers);
}

export const migration0007: Migration = {
  version: 7,
  name: 'sync with a hospital hub',
  up,
};
