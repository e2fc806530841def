import { z } from 'zod';
import { id, isoDate, optionalText, requiredText } from './common';
import type { EquipmentStatus, Risk } from './equipment';
import { RISKS } from './equipment';
import { intervalText } from '../scheduling/interval';
import type { Outcome, PlanMode } from '../scheduling/next-due';
import { DEFAULT_PLAN_MODE, OUTCOMES, PLAN_MODES } from '../scheduling/next-due';
import type { PlanStatus } from '../scheduling/status';

/**
 * How a task's work is entered: a cleaning's method and agent, a stock check's counts, the
 * category's checklist, measurement points or safety checks, or a plain pass or fail.
 */
export const TASK_FORM_KINDS = ['cleaning', 'stock_check', 'checklist', 'measurements', 'safety', 'plain'] as const;
export type TaskFormKind = (typeof TASK_FORM_KINDS)[number];
/** The forms an administrator may give a task type of their own. */
export const CUSTOM_FORM_KINDS = ['checklist', 'measurements', 'safety', 'plain'] as const;
export const TASK_FORM_LABELS: Record<TaskFormKind, string> = {
  cleaning: 'Cleaning (method and agent)',
  stock_check: 'Stock check (counts)',
  checklist: 'Checklist',
  measurements: 'Measurements (as found, as left)',
  safety: 'Safety checks (measured values with limits)',
  plain: 'Plain pass or fail',
};

/** A row of the task_types lookup table (an open list: a hospital may add its own tasks without a new version of the code). */
export interface TaskType {
  code: string;
  label: string;
  target: 'equipment' | 'stock_location';
  /** Rule 12: a fail takes the equipment out of service. */
  failTagsOut: boolean;
  /** Overdue means "do not use" (calibration, electrical safety). */
  overdueBlocksUse: boolean;
  formKind: TaskFormKind;
  /** A signed fail opens a work order, linked to the record. */
  failOpensWorkOrder: boolean;
  /** False once an administrator stopped it: kept for history, offered for no new work. */
  active: boolean;
  /** One of Wardkeep's own: its code and form are fixed. */
  builtin: boolean;
}

/** A task type an administrator adds or changes (Settings → Task types). */
export const TaskTypeFields = z.object({
  label: requiredText(60),
  formKind: z.enum(CUSTOM_FORM_KINDS, { message: 'must be a checklist, measurements, safety checks or plain' }),
  failTakesOutOfService: z.boolean(),
  overdueMeansDoNotUse: z.boolean(),
  failOpensWorkOrder: z.boolean(),
});
export type TaskTypeFieldsValue = z.output<typeof TaskTypeFields>;
/**
 * A task type as the change dialog opened with it (the saved values, unchecked): sent as the save's
 * `expected`, compared as they are, never saved.
 */
export const TaskTypeExpected = z
  .object({
    label: z.string().max(200),
    formKind: z.enum(TASK_FORM_KINDS),
    failTakesOutOfService: z.boolean(),
    overdueMeansDoNotUse: z.boolean(),
    failOpensWorkOrder: z.boolean(),
    active: z.boolean(),
  })
  .strict();
export type TaskTypeExpectedValue = z.output<typeof TaskTypeExpected>;

/** A task type's fields as saved, in the names the change dialog and `expected` give them. */
export function taskTypeExpected(t: TaskType): TaskTypeExpectedValue {
  return {
    label: t.label,
    formKind: t.formKind,
    failTakesOutOfService: t.failTagsOut,
    overdueMeansDoNotUse: t.overdueBlocksUse,
    failOpensWorkOrder: t.failOpensWorkOrder,
    active: t.active,
  };
}

export const TaskTypeUpdate = TaskTypeFields.extend({
  code: z.string().min(1).max(40),
  active: z.boolean(),
  /** A built-in type keeps its form: it is sent, and must be its own. */
  formKind: z.enum(TASK_FORM_KINDS),
  expected: TaskTypeExpected.optional(),
});

/** Statuses a due list can hold: a suspended plan is on no due list (rule 11). */
export const DUE_STATUSES = ['overdue', 'due', 'scheduled'] as const;
export type DueStatus = (typeof DUE_STATUSES)[number];

export const PLAN_MODE_LABELS: Record<PlanMode, string> = { floating: 'Floating', fixed: 'Fixed' };
export const PLAN_STATUS_LABELS: Record<PlanStatus, string> = {
  overdue: 'Overdue',
  due: 'Due',
  scheduled: 'Scheduled',
  suspended: 'Suspended',
};
export const OUTCOME_LABELS: Record<Outcome, string> = {
  pass: 'Pass',
  pass_adjusted: 'Pass after adjustment',
  fail: 'Fail',
  not_done_in_use: 'Not done: in use',
  not_done_not_located: 'Not done: not located',
  not_done_other: 'Not done: other reason',
};

/** A plan as the screens show it: its rule, its kept dates, and its status on `today`. */
export interface PlanView {
  id: string;
  equipmentId: string | null;
  stockLocationId: string | null;
  task: string;
  taskLabel: string;
  /** Compact interval, `6m`. */
  every: string;
  /** `every 6 months`. */
  everyText: string;
  mode: PlanMode;
  startDate: string;
  windowDays: number;
  graceDays: number;
  /** What a blank window would give for this interval (rule 9), to show beside the field. */
  defaultWindowDays: number;
  templateId: string | null;
  lastDoneOn: string | null;
  /** When the task was last done before the device came to Wardkeep (its plan started from there). */
  doneBeforeOn: string | null;
  nextDue: string;
  dueFrom: string;
  active: boolean;
  /** On `today`; an inactive plan is `suspended`. */
  status: PlanStatus;
  daysOverdue: number;
  /** Overdue, and its task means "do not use" when overdue. */
  doNotUse: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A device's plans with what the device page needs to warn. */
export interface EquipmentPlans {
  equipmentId: string;
  today: string;
  equipmentStatus: EquipmentStatus;
  /** Set when a failed test tagged the device out (rule 12). */
  taggedOutByPlanId: string | null;
  /** An overdue calibration or safety test, or a tag-out: the device must not be used. */
  doNotUse: boolean;
  /** Sentences saying why, for the banner. */
  doNotUseReasons: string[];
  plans: PlanView[];
}

const wholeDays = z
  .number({ message: 'must be a whole number of days' })
  .int({ message: 'must be a whole number of days' })
  .min(0, { message: 'must be 0 or more' })
  .max(36_500, { message: 'is too long' })
  .nullable()
  .optional()
  .transform((v) => v ?? null);

const planMode = z
  .enum(PLAN_MODES, { message: 'must be fixed or floating' })
  .optional()
  .transform((v) => v ?? DEFAULT_PLAN_MODE);

/** The rule of a plan as a person edits it. Blank (null) window or grace: the default of rule 9. */
export const PlanTimingFields = z.object({
  every: intervalText,
  mode: planMode,
  startDate: isoDate,
  windowDays: wholeDays,
  graceDays: wholeDays,
});

/** A plan on a device (`equipmentId`) or on a stock location (`stockLocationId`): exactly one of them. */
export const PlanFields = PlanTimingFields.extend({
  equipmentId: id.optional(),
  stockLocationId: id.optional(),
  task: z.string({ message: 'is required' }).trim().min(1, { message: 'is required' }).max(40, { message: 'is not a task' }),
});
export type PlanFieldsValue = z.output<typeof PlanFields>;

/**
 * The rule as the Change… dialog opened with it (PlanView's `every`, `mode`, `startDate`,
 * `windowDays`, `graceDays`), sent with the save and compared with the plan as it is, never saved:
 * a change someone else made meanwhile is refused, not put back unseen.
 */
export const PlanExpected = z
  .object({ every: z.string().max(20), mode: z.enum(PLAN_MODES), startDate: isoDate, windowDays: z.number().int(), graceDays: z.number().int() })
  .strict();
export type PlanExpectedValue = z.output<typeof PlanExpected>;
export const PlanUpdate = PlanTimingFields.extend({ id, expected: PlanExpected.optional() });
export type PlanUpdateValue = z.output<typeof PlanUpdate>;

/** A category's default plan: the same rule, without a start date (a device's plans start the day it is added). */
export const CategoryPlanFields = z.object({
  categoryId: id,
  task: PlanFields.shape.task,
  every: intervalText,
  mode: planMode,
  windowDays: wholeDays,
  graceDays: wholeDays,
});
export type CategoryPlanFieldsValue = z.output<typeof CategoryPlanFields>;

export interface CategoryPlan {
  id: string;
  categoryId: string;
  task: string;
  taskLabel: string;
  every: string;
  everyText: string;
  mode: PlanMode;
  /** Null: the default of rule 9 for the interval. */
  windowDays: number | null;
  graceDays: number | null;
  defaultWindowDays: number;
}

/** Minimal completion (the logging issue replaces it with the signed form). */
export const CompletionFields = z.object({
  planId: id,
  /** ISO-8601 instant with a zone (`Z` or an offset); never in the future. */
  performedAt: z.iso.datetime({ offset: true, message: 'must be a date and time such as 2025-11-25T09:30:00Z' }),
  outcome: z.enum(OUTCOMES, { message: `must be one of ${OUTCOMES.join(', ')}` }),
  notes: optionalText(4000),
  /** As written, e.g. for history typed in for someone else; defaults to the signed-in user. */
  performedByName: optionalText(120),
});
export type CompletionFieldsValue = z.output<typeof CompletionFields>;

export interface CompletionRecorded {
  id: string;
  /** Null for unplanned work. */
  planId: string | null;
  performedAt: string;
  performedOn: string;
  outcome: Outcome;
  /** The plan after the completion (null for unplanned work). */
  plan: PlanView | null;
  /** What rule 12 did to the device, if anything. */
  service: 'tagged_out' | 'returned_to_service' | null;
}

/** One line of a due list (a plan of a device or of a stock location). */
export interface DueRow {
  planId: string;
  equipmentId: string | null;
  stockLocationId: string | null;
  /** Null for a stock location. */
  assetTag: string | null;
  name: string;
  locationId: string;
  /** `Site > Ward > Room` */
  location: string;
  /** The ward (or, for a target placed on a site itself, the site) the row is grouped under. */
  wardId: string;
  /** Its path, `Site > Ward`. */
  wardPath: string;
  ward: string | null;
  room: string | null;
  task: string;
  taskLabel: string;
  dueDate: string;
  status: DueStatus;
  daysOverdue: number;
  windowDays: number;
  graceDays: number;
  risk: Risk | null;
  doNotUse: boolean;
}

export interface WardCount {
  wardId: string;
  wardPath: string;
  overdue: number;
  due: number;
}

/** The most urgent plan of a device, for flags and the "next due" column of equipment lists. */
export interface UrgentPlan {
  equipmentId: string;
  planId: string;
  task: string;
  taskLabel: string;
  dueDate: string;
  status: PlanStatus;
  daysOverdue: number;
  /** Any of the device's plans overdue with a task that blocks use. */
  doNotUse: boolean;
}

export const DueQuery = z.object({
  asOf: isoDate.optional(),
  withinDays: z.number().int().min(0).max(3660).optional(),
  /** Each with everything inside it. */
  locationIds: z.array(id).max(500).optional(),
  tasks: z.array(z.string().max(40)).max(50).optional(),
  risks: z.array(z.enum(RISKS)).max(RISKS.length).optional(),
  statuses: z.array(z.enum(DUE_STATUSES)).max(DUE_STATUSES.length).optional(),
  sort: z.enum(['status', 'walk']).optional(),
  /**
   * A due-date range (inclusive; either end may be open): only plans due in it. A range ending
   * after asOf + withinDays also lists the plans scheduled up to its end.
   */
  dueOnOrAfter: isoDate.optional(),
  dueOnOrBefore: isoDate.optional(),
});
export type DueQueryValue = z.output<typeof DueQuery>;

/** The home screen: today's due list for a location and the counts per ward. */
export interface TodayView {
  asOf: string;
  /** The location shown (null: all). */
  locationId: string | null;
  locationPath: string | null;
  /** Where the default came from: the user's home ward, this PC's ward, or none (all). */
  defaultLocationId: string | null;
  defaultSource: 'user' | 'pc' | 'all';
  rows: DueRow[];
  /** Rows in all (the list shows at most `limit`). */
  total: number;
  counts: WardCount[];
}
