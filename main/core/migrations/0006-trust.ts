import type { Database } from 'better-sqlite3';
import { canonicalJson, GENESIS_HASH, hashEntry } from '../audit';
import { uuidv7 } from '../ids';
import { entityIdOf, serialiseRow } from '../permanent/bind';
import type { PermanentTableName } from '../permanent/tables';
import { permanentTable } from '../permanent/tables';
import { builtQuery, query, scalar } from '../sql/query';
import type { Migration } from './types';

/**
 * Records an auditor can trust (issue 13).
 *
 * - Completions keep when they were entered (`entered_at`) beside when the work was performed,
 *   and the reason given for entering work late (`late_reason`). Existing records were entered
 *   when they were created. The permanent-row trigger stands aside for that one backfill.
 * - Every permanent row is bound to the audit trail by an entry that holds the whole row (see
 *   main/core/permanent/tables.ts). Rows written before this version were covered by entries that
 *   held part of them (completions, stock transactions) or by none (checklist results, readings):
 *   each gets a `bind` entry now, holding the row as it is at the upgrade. Signatures and procedure
 *   versions were always held whole by their entries.
 */
const completions = `
ALTER TABLE completions ADD COLUMN entered_at TEXT;
ALTER TABLE completions ADD COLUMN late_reason TEXT;
DROP TRIGGER completions_no_update;
UPDATE completions SET entered_at = created_at;
CREATE TRIGGER completions_no_update BEFORE UPDATE ON completions
BEGIN SELECT RAISE(ABORT, 'completion records are permanent and cannot be changed'); END;
`;

const BOUND_NOW: readonly PermanentTableName[] = ['completions', 'completion_steps', 'completion_readings', 'stock_transactions'];

/**
 * Appends one entry to the audit trail with the SQL and hash of this version, not the app's
 * current appendAudit, so the migration does the same thing whatever later versions change. It
 * also works on a trail already keyed by chain (a hospital hub's), appending to this PC's chain.
 */
const metaValue = scalar<string, { key: string }>('SELECT value FROM meta WHERE key = @key');
const chainColumn = scalar<number>("SELECT count(*) FROM pragma_table_info('audit_log') WHERE name = 'chain_id'");
const lastOfChain = query<{ seq: number; hash: string }, { chain: string | null }>('SELECT seq, hash FROM audit_log WHERE chain_id = @chain ORDER BY seq DESC LIMIT 1');
const lastEntry = query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
const columnNames = query<{ name: string }, { table: string }>('SELECT name FROM pragma_table_info(@table)');

export function appender(db: Database): (entity: string, entityId: string, value: unknown) => void {
  const on = { db };
  let pcId = metaValue.get(on, { key: 'pc_id' });
  if (!pcId) {
    pcId = uuidv7();
    db.prepare("INSERT INTO meta (key, value) VALUES ('pc_id', ?)").run(pcId);
  }
  const chained = (chainColumn.get(on) ?? 0) > 0;
  const chain = chained ? (metaValue.get(on, { key: 'replica_id' }) ?? pcId) : null;
  let last = chained ? lastOfChain.get(on, { chain }) : lastEntry.get(on);
  if (!last && chained) {
    const branch = metaValue.get(on, { key: 'replica_branch' });
    if (branch) last = JSON.parse(branch) as { seq: number; hash: string };
  }
  const insert = db.prepare(
    `INSERT INTO audit_log (${chained ? 'chain_id, ' : ''}seq, id, at, actor_user_id, actor_name, via, pc_id, action, entity, entity_id, old_value, new_value, prev_hash, hash)
     VALUES (${chained ? '@chain_id, ' : ''}@seq, @id, @at, @actor_user_id, @actor_name, @via, @pc_id, @action, @entity, @entity_id, @old_value, @new_value, @prev_hash, @hash)`,
  );
  const at = new Date().toISOString();
  return (entity, entityId, value) => {
    const row = {
      seq: (last?.seq ?? 0) + 1,
      id: uuidv7(),
      at,
      actor_user_id: null,
      actor_name: 'Wardkeep',
      via: 'system' as const,
      pc_id: pcId,
      action: 'bind',
      entity,
      entity_id: entityId,
      old_value: null,
      new_value: canonicalJson(value),
      prev_hash: last?.hash ?? GENESIS_HASH,
    };
    const hash = hashEntry(row);
    insert.run({ ...row, hash, ...(chained ? { chain_id: chain } : {}) });
    last = { seq: row.seq, hash };
  };
}

function up(db: Database): void {
  db.exec(completions);
  const append = appender(db);
  for (const name of BOUND_NOW) {
    const spec = permanentTable(name);
    const present = new Set(columnNames.all({ db }, { table: spec.table }).map((c) => c.name));
    const bound = { ...spec, columns: spec.columns.filter((c) => present.has(c)) };
    // In pages, so a hospital's years of readings never sit in memory at once.
    const page = builtQuery<Record<string, unknown>, { after: number }>(
      `SELECT rowid AS "__rowid", ${bound.columns.join(', ')} FROM ${spec.table} WHERE rowid > @after ORDER BY rowid LIMIT 2000`,
    );
    for (let after = 0; ; ) {
      const rows = page.all({ db }, { after });
      for (const row of rows) append(spec.audit.entity, entityIdOf(spec, row), serialiseRow(bound, row));
      if (rows.length < 2000) break;
      after = rows[rows.length - 1]!.__rowid as number;
    }
  }
}

export const migration0006: Migration = {
  version: 6,
  name: 'records bound to the audit trail; when records were entered',
  up,
};
