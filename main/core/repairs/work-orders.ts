import { formatDateTime } from '../../../shared/date-format';
import { formatDay } from '../../../shared/domain/report';
import { STATUS_LABELS } from '../../../shared/domain/equipment';
import type { FaultReported, FaultReportValue, RepairWorkOrderValue, WaitingFor, WorkOrderState, WorkOrderView } from '../../../shared/domain/work-order';
import { isOpen, WAITING_FOR_LABELS, WORK_ORDER_STATE_LABELS, workOrderRef } from '../../../shared/domain/work-order';
import { localDate } from '../clock';
import type { WriteCore } from '../context';
import { actorOfUser } from '../context';
import { logCompletion } from '../completions/logging';
import { AppError } from '../errors';
import { getSettings } from '../settings/service';
import { query } from '../sql/query';
import type { EquipmentRow, UserRow, WorkOrderRow } from '../sql/rows';
import { changeServiceStatus } from '../status/history';
import { failingPlans } from '../sync/service-status';
import { postRepairChecks } from './checks';
import { usableCode } from './codes';
import { returnToService } from './on-record';
import { appendStep, insertWorkOrder, nextStepAt, openWorkOrderOf, updateWorkOrder, workOrderRow } from './store';
import { ageMinutes, getWorkOrder } from './views';

/**
 * The steps of a work order (issue 16), each signed by the signed-in person (their PIN or password
 * checked before the transaction, auth/signed.ts) and each a permanent, audited row:
 *
 *   reported → in progress ⇄ waiting (for parts, for a vendor) → repaired → returned to service
 *                                                                        ↘ (any open state) retired
 *
 * A repaired device returns to service only once each of its post-repair checks has passed after
 * the repair (repairs/checks.ts), each a signed record of its own.
 */

const device = query<Pick<EquipmentRow, 'id' | 'asset_tag' | 'name' | 'status' | 'location_id' | 'manual_status'>, { id: string }>(
  'SELECT id, asset_tag, name, status, location_id, manual_status FROM equipment WHERE id = @id',
);

/** Ends the text as a sentence, so "Do not use." reads as one after it. */
const sentence = (text: string): string => (/[.!?…]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

/**
 * The problem as it is given in the device's status reason (shown on its page and on Today): whole
 * up to 300 characters; a longer one cut at the last word that fits, with "…", never inside a
 * character (an emoji is two UTF-16 units). The work order keeps it whole.
 */
function problemInReason(problem: string): string {
  const chars = [...problem.trim()];
  if (chars.length <= 300) return sentence(problem);
  const cut = chars.slice(0, 299).join('');
  const atWord = cut.replace(/\s+\S*$/u, '');
  return `${(atWord.length >= 150 ? atWord : cut).replace(/[\s,;:.-]+$/u, '')}…`;
}

function describeAge(minutes: number): string {
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

/** A fault found on the ward: a new work order, or one more report on the device's open one. */
export function reportFault(core: WriteCore, signer: UserRow, input: FaultReportValue): FaultReported {
  const actor = actorOfUser(signer);
  const e = device.get(core, { id: input.equipmentId });
  if (!e) throw new AppError('not_found', 'That device does not exist.', { field: 'equipmentId' });
  if (e.status === 'retired' || e.status === 'missing') {
    throw new AppError(
      'conflict',
      `${e.asset_tag} is ${STATUS_LABELS[e.status].toLowerCase()}, so a fault cannot be reported on it: ${e.status === 'retired' ? 'it is no longer in use' : 'ask a supervisor to mark it found first'}.`,
      { field: 'equipmentId' },
    );
  }
  const takeOut = input.takeOutOfUse && e.status === 'in_service';
  // Out already, but only because a failed test tagged it out (rule 12; no person's decision holds
  // it): "Take it out of use now" is the person's decision all the same, and is recorded as one, so
  // a later pass of that test does not put back in use a device a person took out for a fault.
  const keepOut = input.takeOutOfUse && e.status === 'out_of_service' && e.manual_status === 'in_service';
  const open = openWorkOrderOf(core, e.id);
  let wo: WorkOrderRow;
  let joined = false;
  // A fault found after the repair (the pump dropped while it waited for its check) is not covered
  // by it: the work order goes back to in progress, and a new repair and its checks are needed
  // (the fold rule of repairs/head.ts, so every PC of a hospital derives the same).
  const reopens = open?.state === 'repaired';
  if (open) {
    joined = true;
    const to = reopens ? 'in_progress' : open.state;
    appendStep(core, actor, { workOrderId: open.id, action: 'join', from: open.state, to, note: input.problem, details: { problem: input.problem } });
    wo = updateWorkOrder(core, actor, open, { ...(takeOut ? { took_out_of_service: 1 } : {}), ...(reopens ? { state: to } : {}) });
  } else {
    wo = insertWorkOrder(core, actor, {
      equipment_id: e.id,
      problem: input.problem,
      reported_location_id: e.location_id,
      took_out_of_service: takeOut ? 1 : 0,
      opened_by_completion_id: null,
    });
    appendStep(core, actor, { workOrderId: wo.id, action: 'report', from: null, to: 'reported', note: input.problem, details: { problem: input.problem } });
  }
  if (takeOut || keepOut) {
    changeServiceStatus(
      core,
      actor,
      e.id,
      { status: 'out_of_service', reason: `Fault reported (${workOrderRef(wo.number)}): ${problemInReason(input.problem)} Do not use.`, taggedOutByPlanId: null },
      { cause: 'fault', workOrderId: wo.id },
    );
  }
  const view = getWorkOrder(core, wo.id);
  const ref = view.ref;
  const outNow = takeOut
    ? ` ${e.asset_tag} is out of service: do not use it.`
    : keepOut
      ? ` ${e.asset_tag} was already out of service, and stays out until ${ref} returns it to service: do not use it.`
      : e.status === 'out_of_service'
        ? ` ${e.asset_tag} was already out of service.`
        : ` ${e.asset_tag} stays in service.`;
  const again = reopens ? ` ${ref} goes back to in progress: its repair was logged before your report, so a new repair and its post-repair checks are needed before ${e.asset_tag} returns to service.` : '';
  const message = joined
    ? `${e.asset_tag} already has an open work order, ${ref} (reported ${describeAge(ageMinutes(open!, core.clock.now().getTime()))} by ${open!.reported_by_name}, ${WORK_ORDER_STATE_LABELS[open!.state].toLowerCase()}): your report was added to it.${again}${outNow}`
    : `Reported: work order ${ref} is open for ${e.asset_tag}.${outNow}`;
  return { workOrder: view, joined, message };
}

/** The open work order a step is for, in one of the states the step may follow. */
function openInState(core: WriteCore, id: string, allowed: readonly WorkOrderState[], what: string): WorkOrderRow {
  const wo = workOrderRow(core, id);
  if (!wo) throw new AppError('not_found', 'That work order does not exist.', { field: 'id' });
  const ref = workOrderRef(wo.number);
  if (!isOpen(wo.state)) throw new AppError('conflict', `${ref} is closed (${WORK_ORDER_STATE_LABELS[wo.state].toLowerCase()}), so it cannot be ${what}.`, { field: 'id' });
  if (!allowed.includes(wo.state)) {
    const next =
      wo.state === 'repaired'
        ? ' It is repaired: log its post-repair check, then return it to service.'
        : wo.state === 'reported'
          ? ' Take it first.'
          : wo.state === 'waiting'
            ? ' It is waiting: resume it first.'
            : '';
    throw new AppError('conflict', `${ref} is ${WORK_ORDER_STATE_LABELS[wo.state].toLowerCase()}, so it cannot be ${what}.${next}`, { field: 'id' });
  }
  return wo;
}

/**
 * Refuses a take on top of a colleague's take made since the dialog opened: it would take the work
 * order from them unawares. Names who took it and when (the last take step), in the Settings format.
 */
function takenMeanwhile(core: WriteCore, wo: WorkOrderRow, expected: string | null): never {
  const ref = workOrderRef(wo.number);
  if (!wo.assigned_name) throw new AppError('conflict', `${ref} was changed since you opened this: check it, then take it if you still mean to.`, { field: 'id' });
  const took = getWorkOrder(core, wo.id).steps.findLast((s) => s.action === 'take' || s.action === 'resume');
  const when = took ? ` at ${formatDateTime(took.at, getSettings(core).dateFormat)}` : '';
  const taken = expected === null ? 'taken' : 'taken over';
  throw new AppError('conflict', `${ref} was ${taken} by ${wo.assigned_name}${when}, since you opened this: check with them, then take it over if you still mean to.`, {
    field: 'id',
  });
}

/** The signer takes the work order: in progress, theirs (also a hand-over from a colleague). */
export function takeWorkOrder(core: WriteCore, signer: UserRow, input: { id: string; note: string | null; expectedAssigneeId?: string | null | undefined }): WorkOrderView {
  const actor = actorOfUser(signer);
  const wo = openInState(core, input.id, ['reported', 'in_progress', 'waiting'], 'taken');
  if (wo.state === 'in_progress' && wo.assigned_user_id === signer.id) {
    throw new AppError('conflict', `${workOrderRef(wo.number)} is already yours.`, { field: 'id' });
  }
  if (input.expectedAssigneeId !== undefined && wo.assigned_user_id !== input.expectedAssigneeId) takenMeanwhile(core, wo, input.expectedAssigneeId);
  appendStep(core, actor, { workOrderId: wo.id, action: 'take', from: wo.state, to: 'in_progress', note: input.note, details: wo.assigned_name ? { reason: `from ${wo.assigned_name}` } : {} });
  updateWorkOrder(core, actor, wo, { state: 'in_progress', assigned_user_id: signer.id, assigned_name: signer.name, waiting_for: null, waiting_note: null });
  return getWorkOrder(core, wo.id);
}

export function waitWorkOrder(
  core: WriteCore,
  signer: UserRow,
  input: { id: string; waitingFor: WaitingFor; note: string; vendor?: string | null | undefined; vendorTicket?: string | null | undefined },
): WorkOrderView {
  const actor = actorOfUser(signer);
  const wo = openInState(core, input.id, ['in_progress'], `put to wait ${WAITING_FOR_LABELS[input.waitingFor]}`);
  appendStep(core, actor, {
    workOrderId: wo.id,
    action: 'wait',
    from: wo.state,
    to: 'waiting',
    note: input.note,
    details: { waitingFor: input.waitingFor, vendor: input.vendor ?? null, vendorTicket: input.vendorTicket ?? null },
  });
  updateWorkOrder(core, actor, wo, {
    state: 'waiting',
    waiting_for: input.waitingFor,
    waiting_note: input.note,
    // Left out: kept; given blank: cleared (the dialog shows what it has).
    ...(input.vendor !== undefined ? { vendor: input.vendor } : {}),
    ...(input.vendorTicket !== undefined ? { vendor_ticket: input.vendorTicket } : {}),
  });
  return getWorkOrder(core, wo.id);
}

export function resumeWorkOrder(core: WriteCore, signer: UserRow, input: { id: string; note: string | null }): WorkOrderView {
  const actor = actorOfUser(signer);
  const wo = openInState(core, input.id, ['waiting'], 'resumed');
  appendStep(core, actor, { workOrderId: wo.id, action: 'resume', from: wo.state, to: 'in_progress', note: input.note });
  updateWorkOrder(core, actor, wo, { state: 'in_progress', waiting_for: null, waiting_note: null, assigned_user_id: signer.id, assigned_name: signer.name });
  return getWorkOrder(core, wo.id);
}

/**
 * The repair: a signed repair record of its own (task `repair`, no plan) with the work done, the
 * labour and the parts, each taken from stock through the ledger (lots and all; more than is on
 * hand is refused with how many there are); then the work order's step with the codes, vendor
 * and cost. The device stays out of service until its post-repair checks pass.
 */
export function repairWorkOrder(core: WriteCore, signer: UserRow, input: RepairWorkOrderValue): WorkOrderView {
  const actor = actorOfUser(signer);
  const wo = openInState(core, input.id, ['in_progress', 'waiting'], 'marked repaired');
  const failure = usableCode(core, input.failureCodeId, 'failure', 'failureCodeId');
  const cause = usableCode(core, input.causeCodeId, 'cause', 'causeCodeId');
  const record = partsNamed(() => logCompletion(core, signer, {
    equipmentId: wo.equipment_id,
    task: 'repair',
    planId: undefined,
    performedAt: undefined,
    minutesSpent: input.labourMinutes,
    notes: `${workOrderRef(wo.number)}: ${input.workDone}`,
    result: { kind: 'outcome', outcome: 'pass' },
    suppliesUsed: input.partsUsed,
    lateReason: null,
    secret: '',
  }));
  const parts = partsOf(core, record.id);
  appendStep(core, actor, {
    workOrderId: wo.id,
    action: 'repair',
    from: wo.state,
    to: 'repaired',
    note: input.workDone,
    details: {
      workDone: input.workDone,
      failureCode: failure.label,
      causeCode: cause.label,
      labourMinutes: input.labourMinutes,
      vendor: input.vendor ?? null,
      vendorTicket: input.vendorTicket ?? null,
      costCents: input.cost,
      parts,
    },
    completionId: record.id,
  });
  updateWorkOrder(core, actor, wo, {
    state: 'repaired',
    failure_code_id: failure.id,
    cause_code_id: cause.id,
    work_done: input.workDone,
    // A second repair (after a failed check) adds its labour and cost to the first.
    labour_minutes: wo.labour_minutes === null && input.labourMinutes === null ? null : (wo.labour_minutes ?? 0) + (input.labourMinutes ?? 0),
    vendor: input.vendor === undefined ? wo.vendor : input.vendor,
    vendor_ticket: input.vendorTicket === undefined ? wo.vendor_ticket : input.vendorTicket,
    cost_cents: input.cost === null ? wo.cost_cents : (wo.cost_cents ?? 0) + input.cost,
    repair_completion_id: record.id,
    waiting_for: null,
    waiting_note: null,
    ...(wo.assigned_user_id ? {} : { assigned_user_id: signer.id, assigned_name: signer.name }),
  });
  return getWorkOrder(core, wo.id);
}

/** The record names the parts `suppliesUsed.N.…`; this channel's input, and the dialog, call them `partsUsed.N.…`. */
function partsNamed<T>(run: () => T): T {
  const rename = (field: string | undefined) => (field?.startsWith('suppliesUsed') ? `partsUsed${field.slice('suppliesUsed'.length)}` : field);
  try {
    return run();
  } catch (e) {
    if (!(e instanceof AppError) || !(rename(e.field) !== e.field || e.details?.some((d) => rename(d.field) !== d.field))) throw e;
    const field = rename(e.field);
    const details = e.details?.map((d) => {
      const f = rename(d.field);
      return f === undefined ? { message: d.message } : { ...d, field: f };
    });
    throw new AppError(e.code, e.message, { ...(field !== undefined ? { field } : {}), ...(details ? { details } : {}) });
  }
}

const partsQuery = query<{ item: string; unit: string; quantity: number; place: string }, { id: string }>(
  `SELECT i.name AS item, i.unit AS unit, -sum(t.delta) AS quantity, s.name AS place
   FROM stock_transactions t JOIN supply_items i ON i.id = t.item_id JOIN stock_locations s ON s.id = t.stock_location_id
   WHERE t.completion_id = @id AND t.kind = 'use' GROUP BY t.item_id, t.stock_location_id ORDER BY name_sort(i.name), i.name`,
);

function partsOf(core: WriteCore, completionId: string): { item: string; quantity: number; unit: string; from: string }[] {
  return partsQuery.all(core, { id: completionId }).map((p) => ({ item: p.item, quantity: p.quantity, unit: p.unit, from: p.place }));
}

/**
 * Back in service: only a repaired work order whose every post-repair check has passed after the
 * repair, each a signed record. Otherwise refused, saying which check is missing.
 */
export function returnWorkOrder(core: WriteCore, signer: UserRow, input: { id: string; note: string | null }): WorkOrderView {
  const wo = workOrderRow(core, input.id);
  if (!wo) throw new AppError('not_found', 'That work order does not exist.', { field: 'id' });
  const ref = workOrderRef(wo.number);
  if (!isOpen(wo.state)) throw new AppError('conflict', `${ref} is already closed (${WORK_ORDER_STATE_LABELS[wo.state].toLowerCase()}).`, { field: 'id' });
  if (wo.state !== 'repaired') {
    throw new AppError(
      'conflict',
      `${ref} cannot be closed: it is ${WORK_ORDER_STATE_LABELS[wo.state].toLowerCase()}, and a device returns to service only after its repair is logged and its post-repair check has passed.`,
      { field: 'id' },
    );
  }
  const checks = postRepairChecks(core, wo);
  const missing = checks.filter((c) => c.passedBy === null);
  if (missing.length > 0) {
    const dateFormat = getSettings(core).dateFormat;
    const list = missing.map((c) => c.taskLabel.toLowerCase()).join(' and ');
    // The latest fail since the repair, or else the fail that still holds the device (rule 12), from before it.
    const failedCheck = missing.find((c) => c.failedBy);
    const holding = failedCheck ? undefined : failingPlans(core, wo.equipment_id).find((f) => missing.some((c) => c.task === f.task));
    const failed = failedCheck
      ? { label: failedCheck.taskLabel, performedAt: failedCheck.failedBy!.performedAt }
      : holding
        ? { label: missing.find((c) => c.task === holding.task)!.taskLabel, performedAt: holding.performedAt }
        : undefined;
    throw new AppError(
      'conflict',
      `${ref} cannot be closed without its post-repair check: the ${list} since the repair ${missing.length === 1 ? 'has' : 'have'} not passed${failed ? ` (the ${failed.label.toLowerCase()} of ${formatDay(localDate(new Date(failed.performedAt)), dateFormat)} failed)` : ''}. Log ${missing.length === 1 ? 'it' : 'them'}, signed, from the work order; then return the device to service.`,
      { field: 'id' },
    );
  }
  const last = checks.map((c) => c.passedBy!).sort((a, b) => a.performedAt.localeCompare(b.performedAt)).at(-1);
  returnToService(core, actorOfUser(signer), wo, { completionId: last?.completionId ?? null, note: input.note, bySystem: false });
  return getWorkOrder(core, wo.id);
}

/** Beyond repair: the work order closes and the device is retired (its history stays). */
export function retireWorkOrder(core: WriteCore, signer: UserRow, input: { id: string; reason: string }): WorkOrderView {
  const actor = actorOfUser(signer);
  const wo = openInState(core, input.id, ['reported', 'in_progress', 'waiting', 'repaired'], 'retired');
  const at = nextStepAt(core, wo.id);
  appendStep(core, actor, { workOrderId: wo.id, action: 'retire', from: wo.state, to: 'retired', note: input.reason, details: { reason: input.reason }, at });
  updateWorkOrder(core, actor, wo, { state: 'retired', closed_at: at });
  changeServiceStatus(core, actor, wo.equipment_id, { status: 'retired', reason: `Beyond repair (${workOrderRef(wo.number)}): ${input.reason}`, taggedOutByPlanId: null }, { cause: 'work_order', workOrderId: wo.id });
  return getWorkOrder(core, wo.id);
}
