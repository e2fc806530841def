import { z } from 'zod';
import { id, NUL_MESSAGE, noNul, optionalText, requiredText } from './common';
import type { EquipmentStatus, Risk } from './equipment';
import { SupplyUse } from './stock';
import { secret } from './user';

/**
 * Repairs (issue 16): a fault reported from the ward opens a work order; a technician takes it,
 * may wait for parts or a vendor, logs the repair (parts from stock, labour, codes); the device
 * returns to service only through a signed post-repair check. Every step is signed and kept.
 */
export const WORK_ORDER_STATES = ['reported', 'in_progress', 'waiting', 'repaired', 'returned', 'retired'] as const;
export type WorkOrderState = (typeof WORK_ORDER_STATES)[number];
export const OPEN_STATES: readonly WorkOrderState[] = ['reported', 'in_progress', 'waiting', 'repaired'];
export const isOpen = (state: WorkOrderState): boolean => OPEN_STATES.includes(state);

export const WORK_ORDER_STATE_LABELS: Record<WorkOrderState, string> = {
  reported: 'Reported',
  in_progress: 'In progress',
  waiting: 'Waiting',
  repaired: 'Repaired, to be checked',
  returned: 'Returned to service',
  retired: 'Retired: beyond repair',
};

export const WORK_ORDER_ACTIONS = ['report', 'join', 'take', 'wait', 'resume', 'repair', 'check', 'return', 'retire'] as const;
export type WorkOrderAction = (typeof WORK_ORDER_ACTIONS)[number];
export const WORK_ORDER_ACTION_LABELS: Record<WorkOrderAction, string> = {
  report: 'Fault reported',
  join: 'Another fault reported',
  take: 'Taken',
  wait: 'Waiting',
  resume: 'Work resumed',
  repair: 'Repair logged',
  check: 'Post-repair check',
  return: 'Returned to service',
  retire: 'Retired: beyond repair',
};

export const WAITING_FOR = ['parts', 'vendor'] as const;
export type WaitingFor = (typeof WAITING_FOR)[number];
export const WAITING_FOR_LABELS: Record<WaitingFor, string> = { parts: 'for parts', vendor: 'for a vendor' };

export const REPAIR_CODE_KINDS = ['failure', 'cause'] as const;
export type RepairCodeKind = (typeof REPAIR_CODE_KINDS)[number];

/** What caused a change of service status (the status history). */
export const STATUS_CAUSES = ['added', 'person', 'rule_12', 'record', 'fault', 'work_order', 'import', 'upgrade'] as const;
export type StatusCause = (typeof STATUS_CAUSES)[number];
export const STATUS_CAUSE_LABELS: Record<StatusCause, string> = {
  added: 'Added with this status',
  person: 'Set by a person',
  rule_12: 'A failed test (or its later pass)',
  record: 'A failed record',
  fault: 'A fault reported',
  work_order: 'Its work order',
  import: 'Imported with this status',
  upgrade: 'Found at the upgrade',
};

/** `WO-0012`: how people say a work order's number. */
export function workOrderRef(number: number): string {
  return `WO-${String(number).padStart(4, '0')}`;
}

const money = z
  .number({ message: 'must be an amount such as 125.50' })
  .finite({ message: 'must be an amount such as 125.50' })
  .min(0, { message: 'must be 0 or more' })
  .max(10_000_000, { message: 'is too large' })
  .nullable()
  .optional()
  .transform((v) => (v === null || v === undefined ? null : Math.round(v * 100)));

const minutes = z
  .number({ message: 'must be a number of minutes' })
  .int({ message: 'must be whole minutes' })
  .min(0, { message: 'must be 0 or more' })
  .max(100_000, { message: 'is too large' })
  .nullable()
  .optional()
  .transform((v) => v ?? null);

/** A code chosen from a list: none chosen is "Failure code is required.", not an invalid id. */
const chosenId = z.string({ message: 'is required' }).min(1, { message: 'is required' }).pipe(id);

/**
 * Required text named in its problems as its dialog labels it ("What for is required."), where the
 * field's own name would read otherwise ("Note is required." under "What for").
 */
function labelledText(label: string, max: number) {
  const problem = (what: string) => ({ code: 'custom' as const, message: `${label} ${what}.`, params: { sentence: true } });
  return z.string({ message: 'is required' }).transform((v, ctx): string => {
    const text = v.trim();
    if (text === '') ctx.addIssue(problem('is required'));
    else if (v.length > max) ctx.addIssue(problem(`must be at most ${max} characters`));
    else if (text.includes('\u0000')) ctx.addIssue(problem('must not hold a NUL character (pasted from elsewhere?)'));
    else return text;
    return z.NEVER;
  });
}

export const FaultReport = z.object({
  equipmentId: id,
  problem: labelledText('What is wrong', 2000),
  /** Checked by default: the device goes out of service at once, with the problem as the reason. */
  takeOutOfUse: z.boolean(),
  secret,
});
export type FaultReportValue = z.output<typeof FaultReport>;

/**
 * The vendor and their ticket as a step gives them: left out, the work order keeps what it has;
 * given blank, it is cleared (the dialogs show what it has, so emptying the field means "none").
 */
const replacingText = (max: number) =>
  z
    .string()
    .max(max, { message: `must be at most ${max} characters` })
    .refine(noNul, NUL_MESSAGE)
    .transform((s) => s.trim())
    .transform((s) => (s === '' ? null : s))
    .nullable()
    .optional();

/**
 * `expectedAssigneeId`: who had it when the dialog opened (null: no one). A take made on top of a
 * colleague's take since then is refused, so no one takes a work order from someone unawares.
 * Left out (the command line), the take is not checked.
 */
export const TakeWorkOrder = z.object({ id, note: optionalText(1000), secret, expectedAssigneeId: id.nullable().optional() });
export const WaitWorkOrder = z.object({
  id,
  waitingFor: z.enum(WAITING_FOR, { message: 'must be parts or a vendor' }),
  note: labelledText('What for', 1000),
  vendor: replacingText(200),
  vendorTicket: replacingText(100),
  secret,
});
export const ResumeWorkOrder = z.object({ id, note: optionalText(1000), secret });
export const RepairWorkOrder = z.object({
  id,
  workDone: requiredText(4000),
  failureCodeId: chosenId,
  causeCodeId: chosenId,
  labourMinutes: minutes,
  partsUsed: z.array(SupplyUse).max(50).optional().transform((v) => v ?? []),
  vendor: replacingText(200),
  vendorTicket: replacingText(100),
  cost: money,
  secret,
});
export type RepairWorkOrderValue = z.output<typeof RepairWorkOrder>;
export const ReturnWorkOrder = z.object({ id, note: optionalText(1000), secret });
export const RetireWorkOrder = z.object({ id, reason: labelledText('Why it cannot be repaired', 1000), secret });

export const RepairCodeFields = z.object({ kind: z.enum(REPAIR_CODE_KINDS), label: requiredText(80) });

export interface RepairCode {
  id: string;
  kind: RepairCodeKind;
  label: string;
  /** False once deleted: kept on the work orders that use it, offered for no new one. */
  active: boolean;
}

/** A code as the lists show it (Settings → Failure and cause codes). */
export interface RepairCodeListing extends RepairCode {
  /**
   * Set when it is on the list and its label prints like another of its kind on the list without
   * being the same label: the sentence shown under it (repairs/codes.ts). Null otherwise.
   */
  printsLike: string | null;
}

export interface WorkOrderStepView {
  id: string;
  action: WorkOrderAction;
  fromState: WorkOrderState | null;
  toState: WorkOrderState;
  at: string;
  userName: string;
  userRole: string | null;
  note: string | null;
  details: {
    problem?: string;
    waitingFor?: WaitingFor;
    vendor?: string | null;
    vendorTicket?: string | null;
    failureCode?: string;
    causeCode?: string;
    workDone?: string;
    labourMinutes?: number | null;
    costCents?: number | null;
    parts?: { item: string; quantity: number; unit: string; from: string }[];
    checkOutcome?: string;
    task?: string;
    reason?: string;
    /** A return that left the device out of service: held by a decision made apart from the work order (a recall), in a sentence. */
    stillOut?: string;
  };
  completionId: string | null;
  /** Written by Wardkeep for a signed record (a failed test opened it, a pass closed it). */
  bySystem: boolean;
}

/** A check the repaired device needs before it returns to service, and whether it has passed. */
export interface PostRepairCheck {
  task: string;
  taskLabel: string;
  /** The passing record done after the repair, if any. */
  passedBy: { completionId: string; performedAt: string; signedBy: string } | null;
  /** The latest record of it after the repair, when it failed. */
  failedBy: { completionId: string; performedAt: string } | null;
  /** The device's plan for this task, so the record form counts it for the plan too. */
  planId: string | null;
}

export interface WorkOrderView {
  id: string;
  number: number;
  ref: string;
  equipment: {
    id: string;
    assetTag: string;
    name: string;
    status: EquipmentStatus;
    statusReason: string | null;
    locationPath: string;
    categoryName: string | null;
    model: string | null;
    risk: Risk | null;
  };
  state: WorkOrderState;
  problem: string;
  reportedAt: string;
  reportedByName: string;
  reportedLocationPath: string;
  tookOutOfService: boolean;
  openedByCompletionId: string | null;
  /** Whose it is (null: no one's yet): a take-over sends it back as what it expects. */
  assignedUserId: string | null;
  assignedName: string | null;
  waitingFor: WaitingFor | null;
  waitingNote: string | null;
  failureCode: RepairCode | null;
  causeCode: RepairCode | null;
  workDone: string | null;
  labourMinutes: number | null;
  vendor: string | null;
  vendorTicket: string | null;
  costCents: number | null;
  repairCompletionId: string | null;
  closedAt: string | null;
  /** Whole minutes from the report to its close, or to now while open. */
  ageMinutes: number;
  steps: WorkOrderStepView[];
  /** Open and repaired: the checks that return the device to service. */
  postRepairChecks: PostRepairCheck[];
}

/** A line of the work order list and the open-work-orders report. */
export interface WorkOrderRow {
  id: string;
  number: number;
  ref: string;
  equipmentId: string;
  assetTag: string;
  name: string;
  /** Where the device is now, and where the fault was reported. */
  locationPath: string;
  wardId: string;
  wardPath: string;
  reportedLocationPath: string;
  equipmentStatus: EquipmentStatus;
  state: WorkOrderState;
  waitingFor: WaitingFor | null;
  problem: string;
  reportedAt: string;
  reportedByName: string;
  assignedName: string | null;
  closedAt: string | null;
  ageMinutes: number;
}

export interface FaultReported {
  workOrder: WorkOrderView;
  /** The device already had an open work order: this report was added to it. */
  joined: boolean;
  /** What happened, in one sentence for the screen. */
  message: string;
}

export interface EquipmentWorkOrders {
  open: WorkOrderView | null;
  /** Closed ones, newest first. */
  closed: WorkOrderRow[];
}

export const WorkOrderListQuery = z.object({
  status: z.enum(['open', 'all'], { message: 'must be open or all' }).optional(),
  locationId: id.optional(),
});

/** One change of a device's service status, as the device page and the downtime report show it. */
export interface StatusChangeView {
  id: string;
  at: string;
  fromStatus: EquipmentStatus | null;
  toStatus: EquipmentStatus;
  reason: string | null;
  cause: StatusCause;
  workOrderId: string | null;
  workOrderRef: string | null;
  completionId: string | null;
  userName: string;
}

/** A device out of service on Today, with its work order's state and age. */
export interface OutOfServiceRow {
  equipmentId: string;
  assetTag: string;
  name: string;
  wardId: string;
  wardPath: string;
  room: string | null;
  statusReason: string | null;
  /** Since when (the status history), null when it never recorded it. */
  since: string | null;
  workOrder: { id: string; ref: string; state: WorkOrderState; waitingFor: WaitingFor | null; ageMinutes: number } | null;
}
