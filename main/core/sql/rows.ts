import type { IsoDate, Role } from '../../../shared/domain/common';
import type { SignatureMeaning } from '../../../shared/domain/completion';
import type { EquipmentStatus, Ownership, Risk } from '../../../shared/domain/equipment';
import type { LocationKind } from '../../../shared/domain/location';
import type { ToleranceKind } from '../../../shared/domain/procedure';
import type { StockLocationKind } from '../../../shared/domain/stock-catalog';
import type { StockTransactionKind } from '../../../shared/domain/stock-views';
import type { IntervalUnit, Outcome, PlanMode } from '../../../shared/scheduling';
import type { StepResult } from '../../../shared/tolerance';
import type { TaskFormKind } from '../../../shared/domain/plan';
import type { RepairCodeKind, StatusCause, WaitingFor, WorkOrderAction, WorkOrderState } from '../../../shared/domain/work-order';

/**
 * One row type per table, in one place, as SQLite returns it (snake_case columns, 0/1 for flags,
 * JSON as text). Each table is declared once as column descriptors, which the schema test
 * (test/integration/core/rows.test.ts) compares with `pragma table_info` of a freshly migrated
 * database, column by column, storage class and nullability: a migration that adds, drops or
 * changes a column fails that test until this file says the same. The TypeScript row types are
 * derived from the descriptors, so the two cannot drift either.
 *
 * Narrower TypeScript types for text columns (a role, a status) say what the CHECK constraints of
 * the migrations allow.
 */

export type StorageClass = 'TEXT' | 'INTEGER' | 'REAL' | 'BLOB';

/** A column's storage class and nullability; the phantom `T` is its TypeScript type. */
export interface Column<T> {
  readonly type: StorageClass;
  readonly nullable: boolean;
  /** Never set: carries T. */
  readonly __type?: T;
}

const column = <T>(type: StorageClass, nullable: boolean): Column<T> => ({ type, nullable });

const text = <T extends string = string>() => column<T>('TEXT', false);
const textOrNull = <T extends string = string>() => column<T | null>('TEXT', true);
const int = () => column<number>('INTEGER', false);
const intOrNull = () => column<number | null>('INTEGER', true);
/** 0 or 1. */
const flag = () => column<0 | 1>('INTEGER', false);
const flagOrNull = () => column<0 | 1 | null>('INTEGER', true);
const realOrNull = () => column<number | null>('REAL', true);

/** Every row written by the app says when and on which PC. */
const stamps = { created_at: text(), updated_at: text(), pc_id: text() };

export const TABLES = {
  meta: { key: text(), value: text() },
  settings: { key: text(), value: text(), updated_at: text(), pc_id: text() },
  users: {
    id: text(),
    name: text(),
    name_key: text(),
    role: text<Role>(),
    pin_hash: textOrNull(),
    password_hash: textOrNull(),
    must_set_pin: flag(),
    home_location_id: textOrNull(),
    active: flag(),
    failed_attempts: int(),
    locked_until: textOrNull(),
    ...stamps,
  },
  locations: { id: text(), parent_id: textOrNull(), name: text(), name_key: text(), kind: text<LocationKind>(), active: flag(), ...stamps },
  categories: {
    id: text(),
    name: text(),
    name_key: text(),
    default_risk: textOrNull<Risk>(),
    notes: textOrNull(),
    active: flag(),
    ...stamps,
  },
  equipment: {
    id: text(),
    asset_tag: text(),
    asset_tag_key: text(),
    name: text(),
    category_id: textOrNull(),
    manufacturer: textOrNull(),
    model: textOrNull(),
    serial: textOrNull(),
    location_id: text(),
    risk: textOrNull<Risk>(),
    ownership: textOrNull<Ownership>(),
    status: text<EquipmentStatus>(),
    status_reason: textOrNull(),
    tagged_out_by_plan_id: textOrNull(),
    acquired_on: textOrNull<IsoDate>(),
    in_service_on: textOrNull<IsoDate>(),
    warranty_until: textOrNull<IsoDate>(),
    reference_standard: flag(),
    notes: textOrNull(),
    ...stamps,
    /** The status a person set, its reason, and (JSON list) the failed records it overrode: what syncs; `status` is derived from it and the records. */
    manual_status: text<EquipmentStatus>(),
    manual_status_reason: textOrNull(),
    manual_overrides: text(),
  },
  task_types: {
    code: text(),
    label: text(),
    target: text<'equipment' | 'stock_location'>(),
    fail_tags_out: flag(),
    overdue_blocks_use: flag(),
    sort_order: int(),
    form_kind: text<TaskFormKind>(),
    fail_opens_work_order: flag(),
    active: flag(),
    builtin: flag(),
  },
  plans: {
    id: text(),
    equipment_id: textOrNull(),
    stock_location_id: textOrNull(),
    task: text(),
    interval_n: int(),
    interval_unit: text<IntervalUnit>(),
    mode: text<PlanMode>(),
    start_date: text<IsoDate>(),
    window_days: int(),
    grace_days: int(),
    template_id: textOrNull(),
    last_done_on: textOrNull<IsoDate>(),
    next_due: text<IsoDate>(),
    due_from: text<IsoDate>(),
    active: flag(),
    ...stamps,
    target_in_service: flag(),
    target_location_id: textOrNull(),
    target_tag: textOrNull(),
    target_name: text(),
    target_risk: textOrNull<Risk>(),
    done_before_on: textOrNull<IsoDate>(),
  },
  category_plan_templates: {
    id: text(),
    category_id: text(),
    task: text(),
    interval_n: int(),
    interval_unit: text<IntervalUnit>(),
    mode: text<PlanMode>(),
    window_days: intOrNull(),
    grace_days: intOrNull(),
    active: flag(),
    ...stamps,
  },
  procedures: {
    id: text(),
    category_id: textOrNull(),
    plan_id: textOrNull(),
    task: text(),
    version: int(),
    /** JSON: the ProcedureDefinition. */
    definition: text(),
    created_at: text(),
    created_by: text(),
    pc_id: text(),
  },
  completions: {
    id: text(),
    plan_id: textOrNull(),
    equipment_id: textOrNull(),
    stock_location_id: textOrNull(),
    task: text(),
    performed_at: text(),
    performed_on: text<IsoDate>(),
    outcome: text<Outcome>(),
    outcome_override_reason: textOrNull(),
    notes: textOrNull(),
    /** JSON object. */
    details: text(),
    minutes_spent: intOrNull(),
    procedure_id: textOrNull(),
    reference_equipment_id: textOrNull(),
    reference_not_current: flag(),
    amends_id: textOrNull(),
    amend_reason: textOrNull(),
    performed_by_user_id: textOrNull(),
    performed_by_name: text(),
    source: text<'app' | 'cli' | 'import'>(),
    created_at: text(),
    pc_id: text(),
    /** When the record was entered (issue 13): null only if an older Wardkeep's row slipped past the migration's backfill. */
    entered_at: textOrNull(),
    /** Why work was entered this late, when the person was asked. */
    late_reason: textOrNull(),
  },
  completion_steps: { completion_id: text(), position: int(), text: text(), result: text<StepResult>(), note: textOrNull() },
  completion_readings: {
    completion_id: text(),
    position: int(),
    label: text(),
    unit: text(),
    nominal: realOrNull(),
    tolerance_kind: textOrNull<ToleranceKind>(),
    tolerance: realOrNull(),
    low_limit: realOrNull(),
    high_limit: realOrNull(),
    as_found: realOrNull(),
    as_left: realOrNull(),
    found_in_tolerance: flagOrNull(),
    left_in_tolerance: flagOrNull(),
  },
  signatures: {
    id: text(),
    completion_id: text(),
    user_id: text(),
    signer_name: text(),
    signer_role: text<Role>(),
    meaning: text<SignatureMeaning>(),
    signed_at: text(),
    pc_id: text(),
  },
  supply_items: {
    id: text(),
    name: text(),
    code: text(),
    code_key: text(),
    unit: text(),
    default_supplier: textOrNull(),
    active: flag(),
    ...stamps,
  },
  stock_locations: {
    id: text(),
    name: text(),
    kind: text<StockLocationKind>(),
    location_id: text(),
    equipment_id: textOrNull(),
    active: flag(),
    ...stamps,
  },
  stock_levels: { stock_location_id: text(), item_id: text(), par: int(), minimum: int(), on_hand: int(), ...stamps },
  stock_lots: {
    id: text(),
    stock_location_id: text(),
    item_id: text(),
    lot: text(),
    expires_on: textOrNull<IsoDate>(),
    on_hand: int(),
    ...stamps,
  },
  stock_transactions: {
    id: text(),
    stock_location_id: text(),
    item_id: text(),
    lot_id: textOrNull(),
    kind: text<StockTransactionKind>(),
    delta: int(),
    counted: intOrNull(),
    reason: textOrNull(),
    completion_id: textOrNull(),
    at: text(),
    user_id: textOrNull(),
    user_name: text(),
    pc_id: text(),
  },
  stock_replay_points: {
    stock_location_id: text(),
    item_id: text(),
    last_minute: text(),
    last_id: text(),
    level: int(),
    figures: text(),
    rest_lot: textOrNull(),
    reserving: text(),
  },
  repair_codes: {
    id: text(),
    kind: text<RepairCodeKind>(),
    label: text(),
    label_key: text(),
    active: flag(),
    sort_order: int(),
    ...stamps,
  },
  work_orders: {
    id: text(),
    number: int(),
    equipment_id: text(),
    state: text<WorkOrderState>(),
    problem: text(),
    reported_at: text(),
    reported_by_user_id: textOrNull(),
    reported_by_name: text(),
    reported_location_id: text(),
    took_out_of_service: flag(),
    opened_by_completion_id: textOrNull(),
    assigned_user_id: textOrNull(),
    assigned_name: textOrNull(),
    waiting_for: textOrNull<WaitingFor>(),
    waiting_note: textOrNull(),
    failure_code_id: textOrNull(),
    cause_code_id: textOrNull(),
    work_done: textOrNull(),
    labour_minutes: intOrNull(),
    vendor: textOrNull(),
    vendor_ticket: textOrNull(),
    cost_cents: intOrNull(),
    repair_completion_id: textOrNull(),
    closed_at: textOrNull(),
    ...stamps,
  },
  work_order_steps: {
    id: text(),
    work_order_id: text(),
    action: text<WorkOrderAction>(),
    from_state: textOrNull<WorkOrderState>(),
    to_state: text<WorkOrderState>(),
    at: text(),
    user_id: textOrNull(),
    user_name: text(),
    user_role: textOrNull(),
    note: textOrNull(),
    /** JSON object: what the step recorded (codes, parts, vendor…). */
    details: text(),
    completion_id: textOrNull(),
    source: text<'app' | 'cli' | 'system'>(),
    pc_id: text(),
  },
  status_changes: {
    id: text(),
    equipment_id: text(),
    at: text(),
    from_status: textOrNull<EquipmentStatus>(),
    to_status: text<EquipmentStatus>(),
    reason: textOrNull(),
    cause: text<StatusCause>(),
    work_order_id: textOrNull(),
    completion_id: textOrNull(),
    user_id: textOrNull(),
    user_name: text(),
    pc_id: text(),
  },
  audit_log: {
    /** The chain the entry belongs to (a PC's history; a restore starts a new one): not hashed, the seq and pc_id are. */
    chain_id: text(),
    seq: int(),
    id: text(),
    at: text(),
    actor_user_id: textOrNull(),
    actor_name: text(),
    via: text<'app' | 'cli' | 'system'>(),
    pc_id: text(),
    action: text(),
    entity: text(),
    entity_id: textOrNull(),
    old_value: textOrNull(),
    new_value: textOrNull(),
    prev_hash: text(),
    hash: text(),
  },
  // Syncing with a hospital hub (main/core/sync/, migration 0007).
  sync_outbox: {
    seq: int(),
    replica: text(),
    hlc: text(),
    tbl: text(),
    /** JSON array of the row's key values. */
    pk: text(),
    op: text<'insert' | 'update' | 'delete'>(),
    /** JSON: the fields written (whole merge groups). */
    data: text(),
    /** JSON: the field clocks the writer had, or null for a new row. */
    base: textOrNull(),
  },
  sync_row_clock: { tbl: text(), pk: text(), clocks: text() },
  sync_touch: { tbl: text(), pk: text(), writes: int(), ours: int() },
  sync_applying: { one: int() },
  sync_state: { key: text(), value: text() },
  sync_conflicts: {
    id: text(),
    tbl: text(),
    pk: text(),
    fields: text(),
    winner_value: text(),
    winner_hlc: text(),
    winner_pc: text(),
    loser_value: text(),
    loser_hlc: text(),
    loser_pc: text(),
    rule: text<'latest' | 'restrictive'>(),
    detected_at: text(),
    resolved_at: textOrNull(),
    resolved_by: textOrNull(),
    resolution: textOrNull<'kept' | 'used_other'>(),
  },
  sync_quarantine: {
    id: int(),
    replica: text(),
    seq: int(),
    tbl: text(),
    pk: text(),
    op: text(),
    data: text(),
    reason: text(),
    reported_at: text(),
  },
} as const;

export type TableName = keyof typeof TABLES;

/** The row of a table as SQLite returns it. */
export type RowOf<T extends TableName> = { [K in keyof (typeof TABLES)[T]]: (typeof TABLES)[T][K] extends Column<infer V> ? V : never };

export type MetaRow = RowOf<'meta'>;
export type SettingRow = RowOf<'settings'>;
export type UserRow = RowOf<'users'>;
export type LocationRow = RowOf<'locations'>;
export type CategoryRow = RowOf<'categories'>;
export type EquipmentRow = RowOf<'equipment'>;
export type TaskTypeRow = RowOf<'task_types'>;
export type PlanRow = RowOf<'plans'>;
export type CategoryPlanTemplateRow = RowOf<'category_plan_templates'>;
export type ProcedureRow = RowOf<'procedures'>;
export type CompletionRow = RowOf<'completions'>;
export type CompletionStepRow = RowOf<'completion_steps'>;
export type CompletionReadingRow = RowOf<'completion_readings'>;
export type SignatureRow = RowOf<'signatures'>;
export type SupplyItemRow = RowOf<'supply_items'>;
export type StockLocationRow = RowOf<'stock_locations'>;
export type StockLevelRow = RowOf<'stock_levels'>;
export type StockLotRow = RowOf<'stock_lots'>;
export type StockTransactionRow = RowOf<'stock_transactions'>;
export type StockReplayPointRow = RowOf<'stock_replay_points'>;
export type AuditRow = RowOf<'audit_log'>;
export type SyncOutboxRow = RowOf<'sync_outbox'>;
export type SyncRowClockRow = RowOf<'sync_row_clock'>;
export type SyncTouchRow = RowOf<'sync_touch'>;
export type SyncStateRow = RowOf<'sync_state'>;
export type SyncConflictRow = RowOf<'sync_conflicts'>;
export type SyncQuarantineRow = RowOf<'sync_quarantine'>;
export type RepairCodeRow = RowOf<'repair_codes'>;
export type WorkOrderRow = RowOf<'work_orders'>;
export type WorkOrderStepRow = RowOf<'work_order_steps'>;
export type StatusChangeRow = RowOf<'status_changes'>;

/** `count(*) AS n` and the like. */
export interface CountRow {
  n: number;
}
