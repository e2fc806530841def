import { STATUS_CAUSES, WORK_ORDER_ACTIONS, WORK_ORDER_STATES } from '../../../shared/domain/work-order';

/**
 * What a hospital syncs, table by table: the one declarative list the capture triggers, the apply
 * on the PCs, the hub's PostgreSQL tables and its merge are all generated from. Adding a table to
 * sync is one entry here plus the table's own SQLite migration (and, for a PC already in a hub,
 * `captureAddedTables` in that migration).
 *
 * - `append`: rows inserted once by id and never changed (records, readings, signatures, stock
 *   transactions, the audit trail). Every column is synced; the same id with other content is a
 *   rewrite, refused by the hub.
 * - `merge`: rows whose fields change. Fields merge one by one by hybrid logical clock; `groups`
 *   merge together (fields a CHECK ties together, or that only make sense together, such as a
 *   plan's interval number and unit). Columns not listed are this PC's own: derived state (next
 *   due, tag-outs, stock on hand, the folded `*_key` columns) or local state (lockouts).
 */

export type FieldType = 'text' | 'int' | 'real' | 'bool';

export interface FieldSpec {
  type: FieldType;
  required: boolean;
  oneOf?: readonly string[];
  /**
   * The form a text value takes, as the PCs' CHECK constraints require (their migrations): a date
   * `YYYY-MM-DD`, an instant `YYYY-MM-DDT…Z`, or JSON text; `textList` is JSON text every PC reads
   * as a list of text values (a decision's overridden fails). The hub refuses any other value: a PC
   * would refuse the row on arrival (a pull that fails), drop it silently (a permanent row), or
   * fail reading it (a recomputed status that stops the sync).
   */
  format?: 'date' | 'instant' | 'json' | 'textList';
  /** The smallest number allowed (a CHECK such as `interval_n >= 1`). */
  min?: number;
}

/** A CHECK constraint of the PCs' schema over several fields of one row (fields a group merges together). */
export interface RowCheck {
  fields: readonly string[];
  /** Whether the row (the change's values of `fields`, all present) passes. */
  ok: (row: Readonly<Record<string, unknown>>) => boolean;
  /** What the check requires, as a sentence's end: "minimum must not be above par". */
  says: string;
}

/** A folded lookup column kept unique by a UNIQUE index: derived here from another column. */
export interface DerivedKey {
  column: string;
  from: string;
  fold: 'tag' | 'name';
  /** Columns the uniqueness is scoped by (a location's name is unique among its siblings). */
  scope?: readonly string[];
  /** How a clash is described to a person: "asset tag", "user name"… */
  label: string;
}

export interface SyncTable {
  name: string;
  kind: 'append' | 'merge';
  key: readonly string[];
  /** Key columns that are not text. */
  keyTypes?: Readonly<Record<string, FieldType>>;
  fields: Readonly<Record<string, FieldSpec>>;
  groups?: readonly (readonly string[])[];
  /** A group whose concurrent values resolve to the most restrictive, in this order (least first). */
  restrictive?: { field: string; order: readonly string[] };
  /**
   * A group that records a decision (a conflict's resolution), by this field: two made apart that
   * decided alike agree (the later stands, who and when), and are no clash of their own.
   */
  agreeOn?: string;
  derivedKeys?: readonly DerivedKey[];
  /** Only rows matching this SQL condition on NEW/OLD are synced (e.g. not this PC's own settings). */
  rowFilter?: (row: 'NEW' | 'OLD') => string;
  /** Whether a deletion syncs (a tombstone); otherwise deleting is refused once the PC has joined a hub. */
  deletes?: 'tombstone';
  /** The sentence given when a deletion is refused. */
  retireInstead?: string;
  /** The PCs' CHECK constraints over several fields, mirrored so the hub refuses what a PC would. */
  checks?: readonly RowCheck[];
  /** `updated_at` and `pc_id` columns: set from the winning change when a row arrives. */
  stamps?: boolean;
  /**
   * Values for this PC's own NOT NULL columns when a row arrives new (they are recomputed from the
   * merged rows right after: see derived.ts).
   */
  arrivalDefaults?: (row: Readonly<Record<string, unknown>>) => Record<string, unknown>;
}

const text: FieldSpec = { type: 'text', required: false };
const textReq: FieldSpec = { type: 'text', required: true };
const int: FieldSpec = { type: 'int', required: false };
const intReq: FieldSpec = { type: 'int', required: true };
const real: FieldSpec = { type: 'real', required: false };
const boolReq: FieldSpec = { type: 'bool', required: true };
const bool: FieldSpec = { type: 'bool', required: false };
const oneOf = (values: readonly string[], required = true): FieldSpec => ({ type: 'text', required, oneOf: values });
const date: FieldSpec = { type: 'text', required: false, format: 'date' };
const dateReq: FieldSpec = { type: 'text', required: true, format: 'date' };
const instantReq: FieldSpec = { type: 'text', required: true, format: 'instant' };
const json: FieldSpec = { type: 'text', required: false, format: 'json' };
const jsonReq: FieldSpec = { type: 'text', required: true, format: 'json' };
const textListReq: FieldSpec = { type: 'text', required: true, format: 'textList' };
const atLeast = (min: number, required = true): FieldSpec => ({ type: 'int', required, min });
/** Exactly one of two fields set (a record's or plan's target: a device or a stock location). */
const oneOfTwo = (a: string, b: string): RowCheck => ({
  fields: [a, b],
  ok: (row) => (row[a] === null || row[a] === undefined) !== (row[b] === null || row[b] === undefined),
  says: `exactly one of ${a} and ${b} must be set`,
});

const RISK = ['high', 'medium', 'low'];
const INTERVAL_UNIT = ['day', 'week', 'month', 'year'];
const MODE = ['fixed', 'floating'];
/** Least restrictive first: a clash of concurrent statuses set by people resolves to the later one in this list. */
export const SERVICE_STATUS_ORDER = ['in_service', 'out_of_service', 'missing', 'retired'] as const;

export const SYNC_TABLES: readonly SyncTable[] = [
  {
    name: 'settings',
    kind: 'merge',
    key: ['key'],
    fields: { value: jsonReq },
    // `pc:<id>:…` keys are this PC's own (its ward, its backup folder).
    rowFilter: (row) => `${row}.key NOT LIKE 'pc:%'`,
    stamps: true,
    retireInstead: 'Settings are changed, not deleted.',
  },
  {
    name: 'task_types',
    kind: 'merge',
    key: ['code'],
    fields: {
      label: textReq,
      target: oneOf(['equipment', 'stock_location']),
      fail_tags_out: boolReq,
      overdue_blocks_use: boolReq,
      sort_order: intReq,
      // Issue 16: which form the task uses, whether its fail opens a work order, whether it is in use.
      form_kind: oneOf(['cleaning', 'stock_check', 'checklist', 'measurements', 'safety', 'plain']),
      fail_opens_work_order: boolReq,
      active: boolReq,
      builtin: boolReq,
    },
    retireInstead: 'Task types are kept once they exist.',
  },
  {
    // Failure and cause codes (issue 16). The codes every Wardkeep starts with have the same id on
    // every PC (migration 0010), so PCs that join with their own copies do not make duplicates.
    name: 'repair_codes',
    kind: 'merge',
    key: ['id'],
    fields: { kind: oneOf(['failure', 'cause']), label: textReq, active: boolReq, sort_order: intReq, created_at: instantReq },
    derivedKeys: [{ column: 'label_key', from: 'label', fold: 'name', scope: ['kind'], label: 'repair code' }],
    stamps: true,
    retireInstead: 'Repair codes are taken off the list, not deleted.',
  },
  {
    name: 'locations',
    kind: 'merge',
    key: ['id'],
    fields: { parent_id: text, name: textReq, kind: oneOf(['site', 'ward', 'room']), active: boolReq, created_at: instantReq },
    // A location's place and its kind (site, ward, room: its depth) move together.
    groups: [['parent_id', 'kind']],
    derivedKeys: [{ column: 'name_key', from: 'name', fold: 'name', scope: ['parent_id'], label: 'location name' }],
    stamps: true,
    retireInstead: 'Locations are deactivated, not deleted.',
  },
  {
    name: 'users',
    kind: 'merge',
    key: ['id'],
    fields: {
      name: textReq,
      role: oneOf(['ward_staff', 'technician', 'supervisor', 'admin']),
      pin_hash: text,
      password_hash: text,
      must_set_pin: boolReq,
      home_location_id: text,
      active: boolReq,
      created_at: instantReq,
    },
    // A temporary PIN and "must choose a PIN" are set together, and replaced together.
    groups: [['pin_hash', 'must_set_pin']],
    derivedKeys: [{ column: 'name_key', from: 'name', fold: 'name', label: 'user name' }],
    stamps: true,
    retireInstead: 'Users are deactivated, never deleted.',
  },
  {
    name: 'categories',
    kind: 'merge',
    key: ['id'],
    fields: { name: textReq, default_risk: oneOf(RISK, false), notes: text, active: boolReq, created_at: instantReq },
    derivedKeys: [{ column: 'name_key', from: 'name', fold: 'name', label: 'category name' }],
    stamps: true,
    retireInstead: 'Once a hospital syncs, a category is deactivated rather than deleted.',
  },
  {
    name: 'category_plan_templates',
    kind: 'merge',
    key: ['id'],
    fields: {
      category_id: textReq,
      task: textReq,
      interval_n: atLeast(1),
      interval_unit: oneOf(INTERVAL_UNIT),
      mode: oneOf(MODE),
      window_days: atLeast(0, false),
      grace_days: atLeast(0, false),
      active: boolReq,
      created_at: instantReq,
    },
    groups: [['interval_n', 'interval_unit', 'mode', 'window_days', 'grace_days']],
    stamps: true,
    retireInstead: 'Default plans are deactivated, not deleted.',
  },
  {
    name: 'equipment',
    kind: 'merge',
    key: ['id'],
    fields: {
      asset_tag: textReq,
      name: textReq,
      category_id: text,
      manufacturer: text,
      model: text,
      serial: text,
      location_id: textReq,
      risk: oneOf(RISK, false),
      ownership: oneOf(['owned', 'leased', 'rental', 'demo'], false),
      manual_status: oneOf(SERVICE_STATUS_ORDER),
      manual_status_reason: text,
      manual_overrides: textListReq,
      acquired_on: date,
      in_service_on: date,
      warranty_until: date,
      reference_standard: boolReq,
      notes: text,
      created_at: instantReq,
    },
    // The status a person set, with its reason and the tag-outs it overrode: one decision.
    groups: [['manual_status', 'manual_status_reason', 'manual_overrides']],
    restrictive: { field: 'manual_status', order: SERVICE_STATUS_ORDER },
    derivedKeys: [{ column: 'asset_tag_key', from: 'asset_tag', fold: 'tag', label: 'asset tag' }],
    stamps: true,
    arrivalDefaults: (row) => ({ status: row.manual_status, status_reason: row.manual_status_reason }),
    retireInstead: 'This PC syncs with a hospital hub, so equipment is retired (status Retired), never deleted.',
  },
  {
    name: 'stock_locations',
    kind: 'merge',
    key: ['id'],
    fields: {
      name: textReq,
      kind: oneOf(['store', 'crash_cart', 'device', 'other']),
      location_id: textReq,
      equipment_id: text,
      active: boolReq,
      created_at: instantReq,
    },
    stamps: true,
    retireInstead: 'Stock locations are deactivated, not deleted.',
  },
  {
    name: 'plans',
    kind: 'merge',
    key: ['id'],
    fields: {
      equipment_id: text,
      stock_location_id: text,
      task: textReq,
      interval_n: atLeast(1),
      interval_unit: oneOf(INTERVAL_UNIT),
      mode: oneOf(MODE),
      start_date: dateReq,
      window_days: atLeast(0),
      grace_days: atLeast(0),
      template_id: text,
      active: boolReq,
      created_at: instantReq,
      // When the work was last done before the device came to Wardkeep (issue 16).
      done_before_on: date,
    },
    checks: [oneOfTwo('equipment_id', 'stock_location_id')],
    // The rule is one thing (window and grace must stay shorter than the interval); so is the target.
    groups: [
      ['interval_n', 'interval_unit', 'mode', 'start_date', 'window_days', 'grace_days'],
      ['equipment_id', 'stock_location_id'],
    ],
    stamps: true,
    arrivalDefaults: (row) => ({ next_due: row.start_date, due_from: row.start_date }),
    retireInstead: 'Plans are deactivated, not deleted.',
  },
  {
    name: 'procedures',
    kind: 'append',
    key: ['id'],
    fields: {
      category_id: text,
      plan_id: text,
      task: textReq,
      version: atLeast(1),
      definition: jsonReq,
      created_at: instantReq,
      created_by: textReq,
      pc_id: textReq,
    },
    checks: [oneOfTwo('category_id', 'plan_id')],
  },
  {
    name: 'completions',
    kind: 'append',
    key: ['id'],
    fields: {
      plan_id: text,
      equipment_id: text,
      stock_location_id: text,
      task: textReq,
      performed_at: instantReq,
      performed_on: dateReq,
      outcome: oneOf(['pass', 'pass_adjusted', 'fail', 'not_done_in_use', 'not_done_not_located', 'not_done_other']),
      outcome_override_reason: text,
      notes: text,
      details: jsonReq,
      minutes_spent: atLeast(0, false),
      procedure_id: text,
      reference_equipment_id: text,
      reference_not_current: boolReq,
      amends_id: text,
      amend_reason: text,
      performed_by_user_id: text,
      performed_by_name: textReq,
      source: oneOf(['app', 'cli', 'import']),
      created_at: instantReq,
      // When the record was entered, and why late (issue 13): part of the bound row, so they travel with it.
      entered_at: text,
      late_reason: text,
      pc_id: textReq,
    },
    checks: [
      oneOfTwo('equipment_id', 'stock_location_id'),
      {
        fields: ['amends_id', 'amend_reason'],
        ok: (row) => (row.amends_id === null || row.amends_id === undefined) === (row.amend_reason === null || row.amend_reason === undefined),
        says: 'amends_id and amend_reason must be set together',
      },
    ],
  },
  {
    name: 'completion_steps',
    kind: 'append',
    key: ['completion_id', 'position'],
    keyTypes: { position: 'int' },
    fields: { text: textReq, result: oneOf(['pass', 'fail', 'na']), note: text },
  },
  {
    name: 'completion_readings',
    kind: 'append',
    key: ['completion_id', 'position'],
    keyTypes: { position: 'int' },
    fields: {
      label: textReq,
      unit: textReq,
      nominal: real,
      tolerance_kind: oneOf(['absolute', 'percent'], false),
      tolerance: real,
      low_limit: real,
      high_limit: real,
      as_found: real,
      as_left: real,
      found_in_tolerance: bool,
      left_in_tolerance: bool,
    },
  },
  {
    name: 'signatures',
    kind: 'append',
    key: ['id'],
    fields: {
      completion_id: textReq,
      user_id: textReq,
      signer_name: textReq,
      signer_role: textReq,
      meaning: oneOf(['performed_by', 'reviewed_by', 'amended_by']),
      signed_at: instantReq,
      pc_id: textReq,
    },
  },
  {
    name: 'supply_items',
    kind: 'merge',
    key: ['id'],
    fields: { name: textReq, code: textReq, unit: textReq, default_supplier: text, active: boolReq, created_at: instantReq },
    derivedKeys: [{ column: 'code_key', from: 'code', fold: 'name', label: 'supply code' }],
    stamps: true,
    retireInstead: 'Supply items are deactivated, not deleted.',
  },
  {
    name: 'stock_levels',
    kind: 'merge',
    key: ['stock_location_id', 'item_id'],
    fields: { par: atLeast(0), minimum: atLeast(0), created_at: instantReq },
    // CHECK (minimum <= par): the two are set together.
    groups: [['par', 'minimum']],
    checks: [{ fields: ['par', 'minimum'], ok: (row) => Number(row.minimum) <= Number(row.par), says: 'minimum must not be above par' }],
    deletes: 'tombstone',
    stamps: true,
  },
  {
    name: 'stock_lots',
    kind: 'merge',
    key: ['id'],
    fields: { stock_location_id: textReq, item_id: textReq, lot: textReq, expires_on: date, created_at: instantReq },
    stamps: true,
    retireInstead: 'Stock lots are kept once they exist.',
  },
  {
    name: 'stock_transactions',
    kind: 'append',
    key: ['id'],
    fields: {
      stock_location_id: textReq,
      item_id: textReq,
      lot_id: text,
      kind: oneOf(['count', 'restock', 'use', 'discard', 'adjust']),
      delta: intReq,
      counted: int,
      reason: text,
      completion_id: text,
      at: instantReq,
      user_id: text,
      user_name: textReq,
      pc_id: textReq,
    },
  },
  {
    // A work order's head (issue 16). What it is about and what its repair recorded merge field by
    // field; where it stands (state, who has it, what it waits for, when it closed) is derived on
    // every PC from its signed steps (repairs/head.ts), so steps two PCs made at once end the same
    // everywhere. Numbers may clash when two PCs offline open one each: both stand (views.ts).
    name: 'work_orders',
    kind: 'merge',
    key: ['id'],
    fields: {
      number: atLeast(1),
      equipment_id: textReq,
      problem: textReq,
      reported_at: instantReq,
      reported_by_user_id: text,
      reported_by_name: textReq,
      reported_location_id: textReq,
      took_out_of_service: boolReq,
      opened_by_completion_id: text,
      failure_code_id: text,
      cause_code_id: text,
      work_done: text,
      labour_minutes: atLeast(0, false),
      vendor: text,
      vendor_ticket: text,
      cost_cents: atLeast(0, false),
      repair_completion_id: text,
      created_at: instantReq,
    },
    // A repair's codes, work, labour, vendor and cost are logged together, and a second repair adds to the first.
    groups: [['failure_code_id', 'cause_code_id', 'work_done', 'labour_minutes', 'vendor', 'vendor_ticket', 'cost_cents', 'repair_completion_id']],
    stamps: true,
    arrivalDefaults: () => ({ state: 'reported' }),
    retireInstead: 'Work orders are closed (returned to service or retired), never deleted.',
  },
  {
    name: 'work_order_steps',
    kind: 'append',
    key: ['id'],
    fields: {
      work_order_id: textReq,
      action: oneOf(WORK_ORDER_ACTIONS),
      from_state: oneOf(WORK_ORDER_STATES, false),
      to_state: oneOf(WORK_ORDER_STATES),
      at: instantReq,
      user_id: text,
      user_name: textReq,
      user_role: text,
      note: text,
      details: jsonReq,
      completion_id: text,
      source: oneOf(['app', 'cli', 'system']),
      pc_id: textReq,
    },
  },
  {
    // Every change of a device's service status (issue 16): the downtime report of any ward, on any PC.
    name: 'status_changes',
    kind: 'append',
    key: ['id'],
    fields: {
      equipment_id: textReq,
      at: instantReq,
      from_status: oneOf(SERVICE_STATUS_ORDER, false),
      to_status: oneOf(SERVICE_STATUS_ORDER),
      reason: text,
      cause: oneOf(STATUS_CAUSES),
      work_order_id: text,
      completion_id: text,
      user_id: text,
      user_name: textReq,
      pc_id: textReq,
    },
  },
  {
    name: 'audit_log',
    kind: 'append',
    key: ['id'],
    fields: {
      chain_id: textReq,
      seq: atLeast(1),
      at: instantReq,
      actor_user_id: text,
      actor_name: textReq,
      via: oneOf(['app', 'cli', 'system']),
      pc_id: textReq,
      action: textReq,
      entity: textReq,
      entity_id: text,
      old_value: json,
      new_value: json,
      prev_hash: textReq,
      hash: textReq,
    },
  },
  {
    // Written by the hub when two PCs changed one field concurrently; a supervisor's resolution syncs back.
    name: 'sync_conflicts',
    kind: 'merge',
    key: ['id'],
    fields: {
      tbl: textReq,
      pk: textReq,
      fields: textReq,
      winner_value: textReq,
      winner_hlc: textReq,
      winner_pc: textReq,
      loser_value: textReq,
      loser_hlc: textReq,
      loser_pc: textReq,
      rule: oneOf(['latest', 'restrictive']),
      detected_at: textReq,
      resolved_at: text,
      resolved_by: text,
      resolution: oneOf(['kept', 'used_other'], false),
    },
    groups: [['resolved_at', 'resolved_by', 'resolution']],
    // Two people who decided one conflict alike on two PCs apart agree: no "decided twice" to look at.
    agreeOn: 'resolution',
    retireInstead: 'Conflicts are resolved, not deleted.',
  },
];

export const TABLES_BY_NAME: ReadonlyMap<string, SyncTable> = new Map(SYNC_TABLES.map((t) => [t.name, t]));

export function syncTable(name: string): SyncTable | undefined {
  return TABLES_BY_NAME.get(name);
}

/** The fields merged together with `field` (itself alone when it is in no group). */
export function groupOf(table: SyncTable, field: string): readonly string[] {
  return table.groups?.find((g) => g.includes(field)) ?? [field];
}

/** The merge units of a table: its groups and every field in none, each once, in field order. */
export function mergeUnits(table: SyncTable): string[][] {
  const seen = new Set<string>();
  const units: string[][] = [];
  for (const field of Object.keys(table.fields)) {
    if (seen.has(field)) continue;
    const group = [...groupOf(table, field)];
    group.forEach((f) => seen.add(f));
    units.push(group);
  }
  return units;
}

/** A row's key as one text value: the JSON array of its key columns' values. */
export function pkText(values: readonly unknown[]): string {
  return JSON.stringify(values);
}

/**
 * Users: a change of a user (a role, a PIN hash, a name, whether they may sign in…) travels with the audit
 * entry Wardkeep writes of it: main/core/users/service.ts, auth/service.ts and sync/conflicts.ts
 * write the row, then the entry, in one transaction, so they are sent in one push. The hub takes a
 * change of a user it holds only with that entry in the same push (hub/store.ts), and a PC applies
 * another PC's change of a user it holds only once it holds an entry of that PC recording it
 * (apply.ts): an enrolled PC's key holder cannot give every PC a user with another role or a PIN of
 * their choosing with no trace in any trail.
 */

/** A user's synced fields in words, for a refusal: "their role", "whether they may sign in". */
export const USER_FIELD_WORDS: Readonly<Record<string, string>> = {
  name: 'their name',
  role: 'their role',
  pin_hash: 'their PIN',
  must_set_pin: 'their PIN',
  password_hash: 'their password',
  home_location_id: 'their home ward',
  active: 'whether they may sign in',
  created_at: 'when they were added',
};

const BOOL_FIELDS: ReadonlySet<string> = new Set(['active', 'must_set_pin']);

/** A user's field as the PCs hold it: booleans as 0/1, nothing as null. */
function norm(field: string, v: unknown): unknown {
  if (v === undefined || v === null) return null;
  return BOOL_FIELDS.has(field) ? Number(v === true || v === 1) : v;
}

/** Whether two values of a user's field are the same (a change that sets a field to what it holds changes nothing). */
export function sameUserValue(field: string, a: unknown, b: unknown): boolean {
  return norm(field, a) === norm(field, b);
}

/** The fields in words, each once: "their role, their PIN". */
export function userFieldWords(fields: readonly string[]): string {
  return [...new Set(fields.map((f) => USER_FIELD_WORDS[f] ?? f))].join(', ');
}

/**
 * Whether an audit entry about the user (entity `user`, or `users` for a conflict's decision) records
 * the change of `field` to `value` as Wardkeep's own writes record it: a PIN set, reset, or hashed
 * again at a sign-in holds the PIN and the password; every other entry (a new user's, an edit, an
 * activation or a deactivation, a conflict's "Use the other") holds the values it wrote, and vouches
 * for those values only. A new user's entry is no warrant for any later role or PIN: the user a PC
 * does not hold yet is taken whole with it (vouchedNewUser, the hub's new-user rule).
 */
export function vouchesFor(entry: { action?: unknown; new_value?: unknown }, field: string, value: unknown): boolean {
  const action = String(entry.action);
  let written: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(String(entry.new_value ?? 'null')) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) written = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: it records no value.
  }
  const records = Object.hasOwn(written, field) && sameUserValue(field, written[field], value);
  if (action !== 'resolve_conflict' && (field === 'pin_hash' || field === 'must_set_pin' || field === 'password_hash')) {
    return action === 'pin_reset' || action === 'pin_set' || written.rehashed === true;
  }
  return records;
}
