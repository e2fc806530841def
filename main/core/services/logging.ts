import type { LogForm, ResultKind } from '../../../shared/contract/logging';
import type {
  AmendFieldsValue,
  CompletionView,
  LogFieldsValue,
  ReadingView,
  ReferenceStandard,
  SignatureMeaning,
  StepView,
  WorkResult,
} from '../../../shared/domain/completion';
import type { IsoDate } from '../../../shared/domain/common';
import type { Procedure } from '../../../shared/domain/procedure';
import type { Outcome } from '../../../shared/scheduling';
import { localDateOf, nextDue, planStatus } from '../../../shared/scheduling';
import { performedDateQuestion } from '../../../shared/plausible-dates';
import { checkLimits, checklistOutcome, measuredOutcome, pointLimits, readingVerdict, withinLimits } from '../../../shared/tolerance';
import { appendAudit } from '../audit';
import { isoInstant } from '../clock';
import type { Actor, Core } from '../context';
import { inTransaction } from '../context';
import { AppError } from '../errors';
import { uuidv7 } from '../ids';
import type { Session } from '../session';
import { confirmIdentity } from './auth';
import { completionHistory, getCompletion } from './completion-views';
import { recordCompletion } from './completions';
import { locationPathMap } from './locations';
import { getPlan, today } from './plans';
import { getProcedure, planProcedure } from './procedures';
import { getSettings } from './settings';
import { applyStockCheck, previewStockCheck, recordSuppliesUsed, stockCheckForm } from './stock';
import { effectiveCompletions, ruleOf } from './scheduler';
import type { PlanRuleRow } from './scheduler';
import type { UserRow } from './users';

export { completionHistory, getCompletion };

/**
 * The technician's record of work (issue 6). A record is saved only when the signed-in user
 * re-enters their PIN or password; outcomes of measured work are computed here from the readings
 * and the procedure version, never taken from the form; the record, its readings, its signature,
 * the plan's next due date and the device's status are written in one transaction.
 */

const NOT_DONE_OUTCOME = { in_use: 'not_done_in_use', not_located: 'not_done_not_located', other: 'not_done_other' } as const;

/** Which form a plan's work is entered with. */
export function resultKindFor(task: string, procedure: Procedure | null): ResultKind {
  if (task === 'cleaning') return 'cleaning';
  if (task === 'stock_check') return 'stock_check';
  switch (procedure?.definition.kind) {
    case 'checklist':
      return 'checklist';
    case 'measurements':
      return 'measurements';
    case 'safety':
      return 'safety';
    default:
      return 'outcome';
  }
}

interface PlanHead extends PlanRuleRow {
  task: string;
  equipment_id: string | null;
  stock_location_id: string | null;
  active: number;
}

function planHead(core: Core, planId: string): PlanHead {
  const row = core.db.prepare('SELECT * FROM plans WHERE id = ?').get(planId) as PlanHead | undefined;
  if (!row) throw new AppError('not_found', 'That plan does not exist.', { field: 'planId' });
  return row;
}

/**
 * Whether a reference standard's own calibration is current on `date`: it has a calibration plan,
 * none of its calibration plans is overdue on that day (from the records up to that day), and it
 * is in service.
 */
export function referenceCurrentOn(core: Core, equipmentId: string, date: IsoDate): { current: boolean; nextDue: IsoDate | null } {
  const e = core.db.prepare('SELECT status FROM equipment WHERE id = ?').get(equipmentId) as { status: string } | undefined;
  if (!e) return { current: false, nextDue: null };
  const plans = core.db.prepare("SELECT * FROM plans WHERE equipment_id = ? AND task = 'calibration' AND active = 1").all(equipmentId) as PlanRuleRow[];
  if (plans.length === 0) return { current: false, nextDue: null };
  let current = e.status === 'in_service';
  let soonest: IsoDate | null = null;
  for (const p of plans) {
    const upToDate = effectiveCompletions(core, p.id).filter((c) => c.performedOn <= date);
    const due = nextDue(ruleOf(p), upToDate).nextDue;
    if (soonest === null || due < soonest) soonest = due;
    if (planStatus({ nextDue: due, windowDays: p.window_days, graceDays: p.grace_days }, date, true).status === 'overdue') current = false;
  }
  return { current, nextDue: soonest };
}

export function listReferenceStandards(core: Core, asOf: IsoDate): ReferenceStandard[] {
  const rows = core.db
    .prepare(
      `SELECT e.id, e.asset_tag, e.name, e.location_id FROM equipment e
       WHERE e.reference_standard = 1 AND e.status <> 'retired' ORDER BY e.asset_tag_key`,
    )
    .all() as { id: string; asset_tag: string; name: string; location_id: string }[];
  const paths = locationPathMap(core);
  return rows.map((r) => {
    const c = referenceCurrentOn(core, r.id, asOf);
    return { id: r.id, assetTag: r.asset_tag, name: r.name, locationPath: paths.get(r.location_id) ?? '', calibrationNextDue: c.nextDue, current: c.current };
  });
}

/** Everything the record form needs for one plan. */
export function logForm(core: Core, signer: { id: string; name: string; role: string }, planId: string): LogForm {
  const plan = getPlan(core, planId);
  if (!plan.active) throw new AppError('conflict', 'This plan is no longer active; work cannot be logged against it.', { field: 'planId' });
  const procedure = planProcedure(core, planId);
  const resultKind = resultKindFor(plan.task, procedure);
  let target: LogForm['target'];
  if (plan.equipmentId) {
    const e = core.db.prepare('SELECT id, asset_tag, name, location_id, status FROM equipment WHERE id = ?').get(plan.equipmentId) as {
      id: string;
      asset_tag: string;
      name: string;
      location_id: string;
      status: string;
    };
    target = { kind: 'equipment', id: e.id, assetTag: e.asset_tag, name: e.name, locationPath: locationPathMap(core).get(e.location_id) ?? '', status: e.status };
  } else {
    const s = core.db.prepare('SELECT id, name, location_id FROM stock_locations WHERE id = ?').get(plan.stockLocationId) as {
      id: string;
      name: string;
      location_id: string;
    };
    target = { kind: 'stock_location', id: s.id, name: s.name, locationPath: locationPathMap(core).get(s.location_id) ?? '' };
  }
  const needsReference = resultKind === 'measurements' || resultKind === 'safety';
  const last = plan.equipmentId
    ? (core.db
        .prepare(
          `SELECT details FROM completions WHERE equipment_id = ? AND task = 'cleaning' AND json_extract(details, '$.method') IS NOT NULL
           ORDER BY performed_at DESC LIMIT 1`,
        )
        .get(plan.equipmentId) as { details: string } | undefined)
    : undefined;
  const lastDetails = last ? (JSON.parse(last.details) as { method?: string; agent?: string }) : null;
  return {
    plan,
    target,
    resultKind,
    procedure,
    referenceStandards: needsReference ? listReferenceStandards(core, today(core)).filter((r) => r.id !== plan.equipmentId) : [],
    lastCleaning: lastDetails?.method && lastDetails.agent ? { method: lastDetails.method, agent: lastDetails.agent } : null,
    stockCheck: plan.stockLocationId ? stockCheckForm(core, plan.stockLocationId, today(core)) : null,
    signer,
    now: isoInstant(core.clock.now()),
  };
}

interface Derived {
  outcome: Outcome;
  details: Record<string, unknown>;
  procedureId: string | null;
  referenceEquipmentId: string | null;
  referenceNotCurrent: boolean;
  overrideReason: string | null;
  steps: Omit<StepView, 'position'>[];
  readings: Omit<ReadingView, 'position'>[];
}

/** The procedure a record names must be this plan's (or its device's category's) for this task. */
function procedureFor(core: Core, plan: PlanHead, procedureId: string, kind: 'checklist' | 'measurements' | 'safety'): Procedure {
  let p: Procedure;
  try {
    p = getProcedure(core, procedureId);
  } catch {
    throw new AppError('invalid_input', 'The checklist or measurement points were not found: reload the form.', { field: 'result.procedureId' });
  }
  const categoryId = plan.equipment_id
    ? ((core.db.prepare('SELECT category_id FROM equipment WHERE id = ?').get(plan.equipment_id) as { category_id: string | null }).category_id ?? null)
    : null;
  const belongs = p.owner.kind === 'plan' ? p.owner.planId === plan.id : p.owner.categoryId === categoryId;
  if (!belongs || p.task !== plan.task || p.definition.kind !== kind) {
    throw new AppError('invalid_input', 'That checklist or set of points is not the one for this plan: reload the form.', { field: 'result.procedureId' });
  }
  return p;
}

function assertReference(core: Core, plan: PlanHead, referenceId: string): void {
  const ref = core.db.prepare('SELECT id, reference_standard FROM equipment WHERE id = ?').get(referenceId) as
    | { id: string; reference_standard: number }
    | undefined;
  if (!ref || ref.reference_standard !== 1) {
    throw new AppError('invalid_input', 'Choose the reference standard from the list: it must be equipment marked as a reference standard.', {
      field: 'result.referenceEquipmentId',
    });
  }
  if (ref.id === plan.equipment_id) {
    throw new AppError('invalid_input', 'A device cannot be its own reference standard.', { field: 'result.referenceEquipmentId' });
  }
}

/** The outcome and the stored parts of a record, computed from what was entered. */
function derive(core: Core, plan: PlanHead, result: WorkResult, performedAt: string): Derived {
  const performedOn = localDateOf(new Date(performedAt));
  const base: Derived = {
    outcome: 'pass',
    details: {},
    procedureId: null,
    referenceEquipmentId: null,
    referenceNotCurrent: false,
    overrideReason: null,
    steps: [],
    readings: [],
  };
  if (result.kind === 'not_done') {
    if (result.reason === 'other' && !result.explanation) {
      throw new AppError('invalid_input', 'Say why the work was not done.', { field: 'result.explanation' });
    }
    return { ...base, outcome: NOT_DONE_OUTCOME[result.reason], details: { notDoneReason: result.reason, notDoneExplanation: result.explanation } };
  }
  const expected = resultKindFor(plan.task, planProcedure(core, plan.id));
  // A record made against an older procedure version is still accepted (the version is kept).
  const kindOk = result.kind === expected || (['checklist', 'measurements', 'safety', 'outcome'].includes(result.kind) && expected !== 'cleaning' && expected !== 'stock_check');
  if (!kindOk) throw new AppError('invalid_input', `This plan's work is recorded as ${expected.replace('_', ' ')}, not ${result.kind.replace('_', ' ')}.`, { field: 'result' });
  switch (result.kind) {
    case 'cleaning':
      return { ...base, outcome: result.outcome, details: { method: result.method, agent: result.agent } };
    case 'outcome':
      return { ...base, outcome: result.outcome };
    case 'checklist': {
      const p = procedureFor(core, plan, result.procedureId, 'checklist');
      if (p.definition.kind !== 'checklist') throw new AppError('invalid_input', 'Not a checklist.', { field: 'result.procedureId' });
      const stepsDef = p.definition.steps;
      if (result.steps.length !== stepsDef.length) {
        throw new AppError('invalid_input', `Give a result (pass, fail or n.a.) for each of the ${stepsDef.length} steps.`, { field: 'result.steps' });
      }
      const derived = checklistOutcome(result.steps.map((s) => s.result))!;
      const override = result.override ?? null;
      return {
        ...base,
        outcome: override ? override.outcome : derived,
        overrideReason: override ? override.reason : null,
        procedureId: p.id,
        details: override ? { derivedOutcome: derived } : {},
        steps: result.steps.map((s, i) => ({ text: stepsDef[i]!.text, result: s.result, note: s.note })),
      };
    }
    case 'measurements': {
      const p = procedureFor(core, plan, result.procedureId, 'measurements');
      if (p.definition.kind !== 'measurements') throw new AppError('invalid_input', 'Not measurement points.', { field: 'result.procedureId' });
      const points = p.definition.points;
      if (result.readings.length !== points.length) {
        throw new AppError('invalid_input', `Enter an as-found reading for each of the ${points.length} points.`, { field: 'result.readings' });
      }
      assertReference(core, plan, result.referenceEquipmentId);
      const readings = points.map((pt, i) => {
        const r = result.readings[i]!;
        const limits = pointLimits(pt);
        const v = readingVerdict(limits, { asFound: r.asFound, asLeft: r.asLeft });
        return {
          label: pt.label,
          unit: pt.unit,
          nominal: pt.nominal,
          toleranceKind: pt.toleranceKind,
          tolerance: pt.tolerance,
          low: limits.low,
          high: limits.high,
          asFound: r.asFound,
          asLeft: r.asLeft,
          foundIn: v.foundIn,
          leftIn: v.leftIn,
        };
      });
      const outcome = measuredOutcome(readings.map((r) => ({ foundIn: r.foundIn, leftIn: r.leftIn })))!;
      return {
        ...base,
        outcome,
        procedureId: p.id,
        referenceEquipmentId: result.referenceEquipmentId,
        referenceNotCurrent: !referenceCurrentOn(core, result.referenceEquipmentId, performedOn).current,
        readings,
      };
    }
    case 'safety': {
      const p = procedureFor(core, plan, result.procedureId, 'safety');
      if (p.definition.kind !== 'safety') throw new AppError('invalid_input', 'Not safety checks.', { field: 'result.procedureId' });
      const checks = p.definition.checks;
      if (result.readings.length !== checks.length) {
        throw new AppError('invalid_input', `Enter the measured value of each of the ${checks.length} checks.`, { field: 'result.readings' });
      }
      if (result.referenceEquipmentId) assertReference(core, plan, result.referenceEquipmentId);
      const readings = checks.map((c, i) => {
        const value = result.readings[i]!.value;
        const limits = checkLimits(c);
        return {
          label: c.label,
          unit: c.unit,
          nominal: null,
          toleranceKind: null,
          tolerance: null,
          low: limits.low,
          high: limits.high,
          asFound: value,
          asLeft: null,
          foundIn: withinLimits(value, limits),
          leftIn: null,
        };
      });
      return {
        ...base,
        outcome: readings.every((r) => r.foundIn) ? 'pass' : 'fail',
        procedureId: p.id,
        referenceEquipmentId: result.referenceEquipmentId,
        referenceNotCurrent: result.referenceEquipmentId ? !referenceCurrentOn(core, result.referenceEquipmentId, performedOn).current : false,
        readings,
      };
    }
    case 'stock_check': {
      if (!plan.stock_location_id) throw new AppError('invalid_input', 'A stock check is done on a stock location.', { field: 'result' });
      // The record is permanent and carries its outcome: judge the check (writing nothing) first.
      const summary = previewStockCheck(core, { stockLocationId: plan.stock_location_id, lines: result.lines, at: performedAt });
      return { ...base, outcome: summary.outcome, details: { stockCheck: { reasons: summary.reasons } } };
    }
  }
}

const actorOf = (u: UserRow): Actor => ({ userId: u.id, name: u.name, role: u.role, via: 'app' });

function insertSignature(core: Core, completionId: string, signer: UserRow, meaning: SignatureMeaning): void {
  const row = {
    id: uuidv7(),
    completion_id: completionId,
    user_id: signer.id,
    signer_name: signer.name,
    signer_role: signer.role,
    meaning,
    signed_at: isoInstant(core.clock.now()),
    pc_id: core.pcId,
  };
  core.db
    .prepare(
      `INSERT INTO signatures (id, completion_id, user_id, signer_name, signer_role, meaning, signed_at, pc_id)
       VALUES (@id, @completion_id, @user_id, @signer_name, @signer_role, @meaning, @signed_at, @pc_id)`,
    )
    .run(row);
  appendAudit(core, actorOf(signer), { action: 'sign', entity: 'completion', entityId: completionId, new: row });
}

/** Writes a record and all its parts. Call inside a transaction, after the signer proved who they are. */
function writeRecord(
  core: Core,
  signer: UserRow,
  planId: string,
  input: Omit<LogFieldsValue, 'planId' | 'secret'>,
  extra: { meaning: SignatureMeaning; amends?: { id: string; reason: string; performedByUserId: string | null; performedByName: string } },
): CompletionView {
  const plan = planHead(core, planId);
  const performedAt = input.performedAt ? new Date(input.performedAt) : core.clock.now();
  if (Number.isNaN(performedAt.getTime())) throw new AppError('invalid_input', 'Performed at must be a date and time.', { field: 'performedAt' });
  const d = derive(core, plan, input.result, performedAt.toISOString());
  const recorded = recordCompletion(core, actorOf(signer), {
    planId,
    performedAt: performedAt.toISOString(),
    outcome: d.outcome,
    notes: input.notes,
    source: 'app',
    details: d.details,
    minutesSpent: input.minutesSpent,
    procedureId: d.procedureId,
    referenceEquipmentId: d.referenceEquipmentId,
    referenceNotCurrent: d.referenceNotCurrent,
    outcomeOverrideReason: d.overrideReason,
    ...(extra.amends
      ? { amendsId: extra.amends.id, amendReason: extra.amends.reason, performedByUserId: extra.amends.performedByUserId, performedByName: extra.amends.performedByName }
      : {}),
  });
  const stepInsert = core.db.prepare('INSERT INTO completion_steps (completion_id, position, text, result, note) VALUES (?, ?, ?, ?, ?)');
  d.steps.forEach((s, i) => stepInsert.run(recorded.id, i + 1, s.text, s.result, s.note));
  const readingInsert = core.db.prepare(
    `INSERT INTO completion_readings (completion_id, position, label, unit, nominal, tolerance_kind, tolerance, low_limit, high_limit,
       as_found, as_left, found_in_tolerance, left_in_tolerance)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const b = (v: boolean | null) => (v === null ? null : v ? 1 : 0);
  d.readings.forEach((r, i) =>
    readingInsert.run(recorded.id, i + 1, r.label, r.unit, r.nominal, r.toleranceKind, r.tolerance, r.low, r.high, r.asFound, r.asLeft, b(r.foundIn), b(r.leftIn)),
  );
  const at = performedAt.toISOString();
  if (input.result.kind === 'stock_check') {
    applyStockCheck(core, actorOf(signer), { completionId: recorded.id, stockLocationId: plan.stock_location_id!, lines: input.result.lines, at });
  }
  if (input.suppliesUsed.length > 0) recordSuppliesUsed(core, actorOf(signer), { completionId: recorded.id, uses: input.suppliesUsed, at });
  insertSignature(core, recorded.id, signer, extra.meaning);
  return getCompletion(core, recorded.id);
}

/**
 * Work logged long ago is most likely a mistyped year: refused until the person confirms the date
 * (the record form asks the same question beside the field). `unchangedDay` is the day of the
 * record a correction keeps: an old record's own date is no slip.
 */
export function assertPlausiblePerformedAt(core: Core, input: { performedAt?: string | undefined; confirmDates?: boolean | undefined }, unchangedDay?: string): void {
  if (!input.performedAt || input.confirmDates) return;
  const day = localDateOf(new Date(input.performedAt));
  if (day === unchangedDay) return;
  const question = performedDateQuestion(day, today(core), getSettings(core).dateFormat);
  if (question) throw new AppError('invalid_input', question.message, { field: question.field });
}

/** Logs work: signed by the signed-in user (their PIN or password re-entered), all in one transaction. */
export async function logCompletion(core: Core, session: Session, input: LogFieldsValue): Promise<CompletionView> {
  assertPlausiblePerformedAt(core, input);
  const signer = await confirmIdentity(core, session, input.secret, 'signature');
  const { planId, secret: _secret, confirmDates: _confirmed, ...rest } = input;
  return inTransaction(core, () => writeRecord(core, signer, planId, rest, { meaning: 'performed_by' }));
}

/**
 * Corrects a record: a new record pointing at the one it corrects, with a reason, signed
 * "amended by". The newest version of a record is the one corrected; the work keeps its performer.
 */
export async function amendCompletion(core: Core, session: Session, input: AmendFieldsValue): Promise<CompletionView> {
  const originalAt = core.db.prepare('SELECT performed_at FROM completions WHERE id = ?').get(input.amendsId) as { performed_at: string } | undefined;
  assertPlausiblePerformedAt(core, input, originalAt ? localDateOf(new Date(originalAt.performed_at)) : undefined);
  const signer = await confirmIdentity(core, session, input.secret, 'signature');
  return inTransaction(core, () => {
    const original = core.db
      .prepare('SELECT id, plan_id, performed_at, performed_by_user_id, performed_by_name FROM completions WHERE id = ?')
      .get(input.amendsId) as { id: string; plan_id: string | null; performed_at: string; performed_by_user_id: string | null; performed_by_name: string } | undefined;
    if (!original) throw new AppError('not_found', 'That record does not exist.', { field: 'amendsId' });
    const newer = core.db.prepare('SELECT id FROM completions WHERE amends_id = ? LIMIT 1').get(original.id);
    if (newer) throw new AppError('conflict', 'This record has already been corrected: correct the newest version instead.', { field: 'amendsId' });
    if (!original.plan_id) throw new AppError('invalid_input', 'This record belongs to no plan and cannot be corrected here.', { field: 'amendsId' });
    const mayAmend = original.performed_by_user_id === signer.id || signer.role === 'supervisor' || signer.role === 'admin';
    if (!mayAmend) throw new AppError('forbidden', 'Only the person who did the work or a supervisor may correct this record.');
    // Stock transactions are permanent like the record: a correction cannot count stock again.
    if (input.result.kind === 'stock_check') {
      throw new AppError('invalid_input', 'A stock check is not corrected by amending it: record a count or an adjustment on the stock location.', { field: 'result' });
    }
    if (input.suppliesUsed.length > 0) {
      throw new AppError('invalid_input', 'Supplies used are not changed by a correction: record an adjustment on the stock location.', { field: 'suppliesUsed' });
    }
    const { amendsId: _a, reason, secret: _s, confirmDates: _c, ...rest } = input;
    return writeRecord(
      core,
      signer,
      original.plan_id,
      { ...rest, performedAt: rest.performedAt ?? original.performed_at },
      { meaning: 'amended_by', amends: { id: original.id, reason, performedByUserId: original.performed_by_user_id, performedByName: original.performed_by_name } },
    );
  });
}

/** A supervisor's second signature, "reviewed by", on the current version of a record. */
export async function reviewCompletion(core: Core, session: Session, input: { completionId: string; secret: string }): Promise<CompletionView> {
  const signer = await confirmIdentity(core, session, input.secret, 'signature');
  return inTransaction(core, () => {
    const c = getCompletion(core, input.completionId);
    if (c.amendedById) throw new AppError('conflict', 'This record was corrected: review the newest version.', { field: 'completionId' });
    if (c.signatures.some((s) => s.meaning === 'performed_by' && s.userId === signer.id) || (c.signatures.length === 0 && c.performedByName === signer.name)) {
      throw new AppError('forbidden', 'A record is reviewed by someone other than the person who did the work.');
    }
    const review = c.signatures.find((s) => s.meaning === 'reviewed_by');
    if (review) throw new AppError('conflict', `This record was already reviewed by ${review.name}.`, { field: 'completionId' });
    insertSignature(core, c.id, signer, 'reviewed_by');
    return getCompletion(core, c.id);
  });
}
