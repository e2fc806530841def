/**
 * Every permanent table, and how its rows are bound to the audit trail (issue 13, item 2).
 *
 * A permanent row is written once and never changed (a trigger refuses UPDATE and DELETE). Each
 * one is also covered by an audit entry that holds the whole row, in the same transaction: the
 * hash chain then vouches for the row, and `wardkeep verify` compares the two in both directions
 * (a row changed, a row with no entry, an entry whose row is gone). Dropping the triggers and
 * editing the file is found that way; re-hashing the chain to match is found by the anchors.
 *
 * Binding a new permanent table (attachments, a work order's signed steps, status changes) is
 * one entry here plus one `bindRow(core, actor, table, key)` call after its INSERT. A migration
 * that adds a column to a permanent table lists it in `columns` and writes `bind` entries for the
 * rows it already has (see 0006-trust.ts), so every row keeps one entry that holds all of it.
 */
export interface PermanentTable {
  table: string;
  /** What one row is called in a sentence: "completion", "reading". */
  noun: string;
  /** The columns that identify a row, in the order a person reads them. */
  key: readonly string[];
  /** Every column, all of them bound: the covering entry holds each one. */
  columns: readonly string[];
  /** Columns holding JSON text: compared by value, not by spelling. */
  json?: readonly string[];
  /** The audit entries that cover a row: their entity, the actions that write one, and what their entity_id is. */
  audit: {
    entity: string;
    /** The first is what `bindRow` writes unless told otherwise; `bind` marks rows bound after the fact (a migration). */
    actions: readonly string[];
    /** Columns of the row joined by "/" give the entry's entity_id. */
    entityId: readonly string[];
  };
  /**
   * Synced only since version 10 (work order steps and the status history): a PC of an older
   * version in the same hub sends its audit entries for such rows but not the rows. Another PC's
   * entries are expected to have their row here once a row of this table from that PC has
   * arrived (it runs version 10 or later); this PC's own, always.
   */
  syncedSince10?: true;
  /**
   * Parts of a record (its checklist results and readings): made with the record on the PC that
   * signed it, so only an entry of that PC's (its `pc_id`) holds one. Another PC's entry for a part
   * of a record made elsewhere does not vouch for it, whatever it holds: a PC cannot add to a
   * signed record of another. A `bind` entry holds it whichever PC wrote it: migration 0006 bound
   * the parts of the records a database held at the upgrade (before any PC synced), and a database
   * restored from another PC's backup before then held records of that PC's.
   */
  partOf?: { table: 'completions'; column: 'completion_id' };
}

const completionColumns = [
  'id',
  'plan_id',
  'equipment_id',
  'stock_location_id',
  'task',
  'performed_at',
  'performed_on',
  'outcome',
  'outcome_override_reason',
  'notes',
  'details',
  'minutes_spent',
  'procedure_id',
  'reference_equipment_id',
  'reference_not_current',
  'amends_id',
  'amend_reason',
  'performed_by_user_id',
  'performed_by_name',
  'source',
  'created_at',
  'pc_id',
  'entered_at',
  'late_reason',
] as const;

export const PERMANENT_TABLES = [
  {
    table: 'completions',
    noun: 'completion',
    key: ['id'],
    columns: completionColumns,
    json: ['details'],
    audit: { entity: 'completion', actions: ['create', 'bind'], entityId: ['id'] },
  },
  {
    table: 'completion_steps',
    noun: 'checklist result',
    key: ['completion_id', 'position'],
    columns: ['completion_id', 'position', 'text', 'result', 'note'],
    audit: { entity: 'completion_step', actions: ['create', 'bind'], entityId: ['completion_id', 'position'] },
    partOf: { table: 'completions', column: 'completion_id' },
  },
  {
    table: 'completion_readings',
    noun: 'reading',
    key: ['completion_id', 'position'],
    columns: [
      'completion_id',
      'position',
      'label',
      'unit',
      'nominal',
      'tolerance_kind',
      'tolerance',
      'low_limit',
      'high_limit',
      'as_found',
      'as_left',
      'found_in_tolerance',
      'left_in_tolerance',
    ],
    audit: { entity: 'completion_reading', actions: ['create', 'bind'], entityId: ['completion_id', 'position'] },
    partOf: { table: 'completions', column: 'completion_id' },
  },
  {
    table: 'signatures',
    noun: 'signature',
    key: ['id'],
    columns: ['id', 'completion_id', 'user_id', 'signer_name', 'signer_role', 'meaning', 'signed_at', 'pc_id'],
    // A signature's entry is the completion's "sign" entry, as it always was (and it always held the whole row).
    audit: { entity: 'completion', actions: ['sign'], entityId: ['completion_id'] },
  },
  {
    table: 'stock_transactions',
    noun: 'stock transaction',
    key: ['id'],
    columns: ['id', 'stock_location_id', 'item_id', 'lot_id', 'kind', 'delta', 'counted', 'reason', 'completion_id', 'at', 'user_id', 'user_name', 'pc_id'],
    // The entry's action is the transaction's kind.
    audit: { entity: 'stock_transaction', actions: ['count', 'restock', 'use', 'discard', 'adjust', 'bind'], entityId: ['id'] },
  },
  {
    table: 'procedures',
    noun: 'procedure version',
    key: ['id'],
    columns: ['id', 'category_id', 'plan_id', 'task', 'version', 'definition', 'created_at', 'created_by', 'pc_id'],
    json: ['definition'],
    audit: { entity: 'procedure', actions: ['create', 'bind'], entityId: ['id'] },
  },
  {
    table: 'work_order_steps',
    noun: 'work order step',
    key: ['id'],
    columns: ['id', 'work_order_id', 'action', 'from_state', 'to_state', 'at', 'user_id', 'user_name', 'user_role', 'note', 'details', 'completion_id', 'source', 'pc_id'],
    json: ['details'],
    audit: { entity: 'work_order_step', actions: ['create', 'bind'], entityId: ['id'] },
    syncedSince10: true,
  },
  {
    table: 'status_changes',
    noun: 'status change',
    key: ['id'],
    columns: ['id', 'equipment_id', 'at', 'from_status', 'to_status', 'reason', 'cause', 'work_order_id', 'completion_id', 'user_id', 'user_name', 'pc_id'],
    audit: { entity: 'status_change', actions: ['create', 'bind'], entityId: ['id'] },
    syncedSince10: true,
  },
] as const satisfies readonly PermanentTable[];

export type PermanentTableName = (typeof PERMANENT_TABLES)[number]['table'];

export function permanentTable(name: PermanentTableName): PermanentTable {
  return PERMANENT_TABLES.find((t) => t.table === name)!;
}
