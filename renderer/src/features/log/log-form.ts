import { z } from 'zod';
import type { LogForm } from '../../../../shared/contract/log';
import { dateFormatProblem, formatDate, localDay, localTime, parseDate, parseTime } from '../../../../shared/date-format';
import type { CompletionView, NotDoneReason, WorkResult } from '../../../../shared/domain/completion';
import type { DateFormatSetting } from '../../../../shared/domain/settings';
import { fieldLabel } from '../../../../shared/labels';
import { performedDateQuestion } from '../../../../shared/plausible-dates';
import type { StepResult } from '../../../../shared/tolerance';
import { readNumber } from '../../lib/numbers';

/** The record form as typed: text for every number and date, so a problem can be named before anything is sent. */
export interface LogValues {
  done: 'done' | 'not_done';
  notDoneReason: NotDoneReason;
  notDoneExplanation: string;
  method: string;
  agent: string;
  passFail: 'pass' | 'fail';
  steps: { result: StepResult | ''; note: string }[];
  override: { on: boolean; outcome: 'pass' | 'fail'; reason: string };
  readings: { asFound: string; adjusted: boolean; asLeft: string }[];
  safety: { value: string }[];
  referenceId: string;
  performedOn: string;
  performedTime: string;
  minutes: string;
  notes: string;
  reason: string;
  /** Why work done long ago is entered only now (asked past the setting's number of days). */
  lateReason: string;
  secret: string;
  confirmDates: boolean;
}

/** What the form sends, less the supplies (kept beside the form) and the plan or record it is for. */
export interface LogOutput {
  performedAt: string;
  minutesSpent: number | null;
  notes: string;
  result: WorkResult | null;
  secret: string;
  reason: string;
  lateReason: string;
  confirmDates: boolean;
}

/** Whole days from the work's day (as typed) to today; 0 when the day is not yet a date. */
export function daysLate(performedOn: string, today: string, setting: DateFormatSetting): number {
  const day = parseDate(performedOn, setting);
  if (!day.ok) return 0;
  return Math.round((Date.parse(`${today}T12:00:00Z`) - Date.parse(`${day.value}T12:00:00Z`)) / 86_400_000);
}

export function initialValues(form: LogForm, original: CompletionView | null, setting: DateFormatSetting): LogValues {
  const def = form.procedure?.definition;
  const stepCount = def?.kind === 'checklist' ? def.steps.length : 0;
  const pointCount = def?.kind === 'measurements' ? def.points.length : 0;
  const checkCount = def?.kind === 'safety' ? def.checks.length : 0;
  const at = new Date(original?.performedAt ?? form.now);
  const v: LogValues = {
    done: 'done',
    notDoneReason: 'in_use',
    notDoneExplanation: '',
    method: form.lastCleaning?.method ?? '',
    agent: form.lastCleaning?.agent ?? '',
    passFail: 'pass',
    steps: Array.from({ length: stepCount }, () => ({ result: '', note: '' })),
    override: { on: false, outcome: 'pass', reason: '' },
    readings: Array.from({ length: pointCount }, () => ({ asFound: '', adjusted: false, asLeft: '' })),
    safety: Array.from({ length: checkCount }, () => ({ value: '' })),
    referenceId: '',
    performedOn: formatDate(localDay(at), setting),
    performedTime: localTime(at),
    minutes: '',
    notes: '',
    reason: '',
    lateReason: '',
    secret: '',
    confirmDates: false,
  };
  if (!original) return v;
  // A correction starts from the record it corrects.
  const d = original.details;
  v.minutes = original.minutesSpent === null ? '' : String(original.minutesSpent);
  v.notes = original.notes ?? '';
  if (original.outcome.startsWith('not_done')) {
    v.done = 'not_done';
    v.notDoneReason = d.notDoneReason ?? 'other';
    v.notDoneExplanation = d.notDoneExplanation ?? '';
  }
  if (d.method) v.method = d.method;
  if (d.agent) v.agent = d.agent;
  if (original.outcome === 'fail') v.passFail = 'fail';
  if (original.reference) v.referenceId = original.reference.equipmentId;
  // Readings and step results are copied only onto the version they were signed against (main
  // opens a correction on it): never read against other points or steps.
  if (original.procedure?.id !== form.procedure?.id) return v;
  if (def?.kind === 'checklist' && original.steps.length === stepCount) {
    v.steps = original.steps.map((s) => ({ result: s.result, note: s.note ?? '' }));
    if (original.outcomeOverrideReason) v.override = { on: true, outcome: original.outcome === 'fail' ? 'fail' : 'pass', reason: original.outcomeOverrideReason };
  }
  if (def?.kind === 'measurements' && original.readings.length === pointCount) {
    v.readings = original.readings.map((r) => ({ asFound: r.asFound === null ? '' : String(r.asFound), adjusted: r.asLeft !== null, asLeft: r.asLeft === null ? '' : String(r.asLeft) }));
  }
  if (def?.kind === 'safety' && original.readings.length === checkCount) v.safety = original.readings.map((r) => ({ value: r.asFound === null ? '' : String(r.asFound) }));
  return v;
}

/**
 * A reading as typed, read by the app's one number reader (lib/numbers.ts): a decimal point or a
 * decimal comma ("10,2"), a power of ten ("1e3"). A number written with a thousands separator
 * ("1,000") is unclear (`problem`), never read as 1: an earth leakage of 1,000 µA read as 1 µA
 * would sign a failed safety test as a pass. `value` is null when blank, unclear or not a number.
 */
export function readReading(text: string): { value: number | null; problem?: string } {
  const r = readNumber(text);
  if (r.problem) return { value: null, problem: r.problem };
  return { value: r.value !== null && Number.isFinite(r.value) ? r.value : null };
}

const sentence = (ctx: z.RefinementCtx, path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message, params: { sentence: true } });

/** "The performed date": the day of an original kept by a correction is not asked about again. */
export function performedQuestion(values: Pick<LogValues, 'performedOn'>, ctx: { today: string; setting: DateFormatSetting; originalDay: string | null }) {
  const day = parseDate(values.performedOn, ctx.setting);
  if (!day.ok || day.value === ctx.originalDay) return null;
  return performedDateQuestion(day.value, ctx.today, ctx.setting, 'performedOn');
}

/**
 * The record form's checks: every problem at once, each named by the point, step or field it is
 * about, before the PIN is even checked. Main applies the same rules again (and the ones only it
 * can: the reference standard's calibration, the procedure's version).
 */
export function logSchema(form: LogForm, ctx: { setting: DateFormatSetting; today: string; originalDay: string | null; amending: boolean; nowMs: () => number }) {
  const def = form.procedure?.definition;
  return z
    .custom<LogValues>()
    .superRefine((v, c) => {
      if (ctx.amending && v.reason.trim() === '') sentence(c, ['reason'], 'Say why the record is being corrected.');
      // When it was done.
      const day = parseDate(v.performedOn, ctx.setting);
      const time = parseTime(v.performedTime);
      if (v.performedOn.trim() === '') sentence(c, ['performedOn'], 'Enter the day the work was done.');
      else if (!day.ok) sentence(c, ['performedOn'], `Performed on ${dateFormatProblem(day.reason, v.performedOn, ctx.setting)}.`);
      if (!time) sentence(c, ['performedTime'], 'Enter the time the work was done, as hours and minutes: 07:30.');
      if (day.ok && time) {
        const [h, m] = time.split(':').map(Number);
        const [y, mo, d] = day.value.split('-').map(Number);
        const at = new Date(y!, mo! - 1, d!, h, m);
        if (at.getTime() > ctx.nowMs() + 60_000) sentence(c, ['performedOn'], 'Performed at is in the future: record work once it is done.');
        else if (!v.confirmDates) {
          const q = performedQuestion(v, ctx);
          if (q) sentence(c, ['performedOn'], q.message);
        }
      }
      // Texts longer than main keeps, in main's own words (shared/validation.ts), beside their fields.
      const tooLong = (text: string, max: number, path: (string | number)[], serverField: string) => {
        if (text.length > max) sentence(c, path, `${fieldLabel(serverField)} must be at most ${max} characters.`);
      };
      if (ctx.amending) tooLong(v.reason, 1000, ['reason'], 'reason');
      tooLong(v.notes, 4000, ['notes'], 'notes');
      // Asked (and shown) only for work entered late.
      if (!ctx.amending && daysLate(v.performedOn, ctx.today, ctx.setting) > form.lateEntryReasonAfterDays) tooLong(v.lateReason, 1000, ['lateReason'], 'lateReason');
      if (v.minutes.trim() !== '') {
        const n = Number(v.minutes);
        if (!Number.isInteger(n) || n < 0 || n > 1440) sentence(c, ['minutes'], 'Time spent must be whole minutes from 0 to 1440.');
      }
      if (v.done === 'not_done') {
        if (v.notDoneReason === 'other' && v.notDoneExplanation.trim() === '') sentence(c, ['notDoneExplanation'], 'Say why the work was not done.');
        tooLong(v.notDoneExplanation, 1000, ['notDoneExplanation'], 'result.explanation');
        return;
      }
      switch (form.resultKind) {
        case 'cleaning':
          if (v.method.trim() === '') sentence(c, ['method'], 'Enter the cleaning method.');
          if (v.agent.trim() === '') sentence(c, ['agent'], 'Enter the cleaning agent.');
          tooLong(v.method, 120, ['method'], 'result.method');
          tooLong(v.agent, 120, ['agent'], 'result.agent');
          break;
        case 'checklist':
          if (def?.kind === 'checklist') {
            v.steps.forEach((s, i) => {
              if (s.result === '') sentence(c, ['steps', i, 'result'], `Give step ${i + 1}, “${def.steps[i]?.text}”, a result: pass, fail or n.a.`);
              tooLong(s.note, 500, ['steps', i, 'note'], `result.steps.${i}.note`);
            });
          }
          if (v.override.on && v.override.reason.trim() === '') sentence(c, ['override', 'reason'], 'Say why the outcome is overridden.');
          if (v.override.on) tooLong(v.override.reason, 500, ['override', 'reason'], 'result.override.reason');
          break;
        case 'measurements':
          if (def?.kind === 'measurements') {
            if (!v.referenceId) sentence(c, ['referenceId'], 'Choose the reference standard you used.');
            v.readings.forEach((r, i) => {
              const label = def.points[i]?.label ?? `point ${i + 1}`;
              const found = readReading(r.asFound);
              if (found.problem) sentence(c, ['readings', i, 'asFound'], `The as-found reading of ${label} ${found.problem}.`);
              else if (found.value === null) sentence(c, ['readings', i, 'asFound'], `Enter the as-found reading of ${label} as a number, for example 10.2.`);
              const left = r.adjusted ? readReading(r.asLeft) : null;
              if (left?.problem) sentence(c, ['readings', i, 'asLeft'], `The as-left reading of ${label} ${left.problem}.`);
              else if (left && left.value === null) sentence(c, ['readings', i, 'asLeft'], `Enter the as-left reading of ${label} as a number, or untick “adjusted”.`);
            });
          }
          break;
        case 'safety':
          if (def?.kind === 'safety') {
            v.safety.forEach((r, i) => {
              const label = def.checks[i]?.label ?? `check ${i + 1}`;
              const value = readReading(r.value);
              if (value.problem) sentence(c, ['safety', i, 'value'], `The measured value of ${label} ${value.problem}.`);
              else if (value.value === null) sentence(c, ['safety', i, 'value'], `Enter the measured value of ${label} as a number.`);
            });
          }
          break;
        default:
          break;
      }
    })
    .transform((v): LogOutput => {
      const day = parseDate(v.performedOn, ctx.setting);
      const [h, m] = (parseTime(v.performedTime) ?? '00:00').split(':').map(Number);
      const [y, mo, d] = (day.ok ? day.value : '1970-01-01').split('-').map(Number);
      return {
        performedAt: new Date(y!, mo! - 1, d!, h, m).toISOString(),
        minutesSpent: v.minutes.trim() === '' ? null : Number(v.minutes),
        notes: v.notes,
        result: resultOf(form, v),
        secret: v.secret,
        reason: v.reason,
        // Only while the question is on the form: a reason typed, then hidden by putting the date right, is not kept unseen on on-time work.
        lateReason: !ctx.amending && daysLate(v.performedOn, ctx.today, ctx.setting) > form.lateEntryReasonAfterDays ? v.lateReason : '',
        confirmDates: v.confirmDates,
      };
    });
}

/** The work result to send (null for a stock check: its lines are kept beside the form). */
function resultOf(form: LogForm, v: LogValues): WorkResult | null {
  if (v.done === 'not_done') return { kind: 'not_done', reason: v.notDoneReason, explanation: v.notDoneExplanation || null };
  const procedureId = form.procedure?.id ?? '';
  switch (form.resultKind) {
    case 'cleaning':
      return { kind: 'cleaning', method: v.method, agent: v.agent, outcome: v.passFail };
    case 'outcome':
      return { kind: 'outcome', outcome: v.passFail };
    case 'checklist':
      return {
        kind: 'checklist',
        procedureId,
        steps: v.steps.map((s) => ({ result: s.result as StepResult, note: s.note || null })),
        override: v.override.on ? { outcome: v.override.outcome, reason: v.override.reason } : null,
      };
    case 'measurements':
      return {
        kind: 'measurements',
        procedureId,
        referenceEquipmentId: v.referenceId,
        readings: v.readings.map((r) => ({ asFound: readReading(r.asFound).value ?? Number.NaN, asLeft: r.adjusted ? (readReading(r.asLeft).value ?? Number.NaN) : null })),
      };
    case 'safety':
      return { kind: 'safety', procedureId, referenceEquipmentId: v.referenceId || null, readings: v.safety.map((r) => ({ value: readReading(r.value).value ?? Number.NaN })) };
    case 'stock_check':
      return null;
  }
}

/** Where main's field names land in this form (null: beside the stock-check or supplies fields, or at the top). */
export function logFieldOf(serverField: string): string | null {
  const m = /^result\.(readings|steps)\.(\d+)(?:\.(\w+))?$/.exec(serverField);
  if (m) {
    if (m[1] === 'steps') return m[3] === 'note' ? `steps.${m[2]}.note` : `steps.${m[2]}.result`;
    return m[3] === 'value' ? `safety.${m[2]}.value` : `readings.${m[2]}.${m[3] ?? 'asFound'}`;
  }
  const direct: Record<string, string> = {
    performedAt: 'performedOn',
    minutesSpent: 'minutes',
    notes: 'notes',
    secret: 'secret',
    reason: 'reason',
    lateReason: 'lateReason',
    'result.referenceEquipmentId': 'referenceId',
    'result.method': 'method',
    'result.agent': 'agent',
    'result.explanation': 'notDoneExplanation',
    'result.override.reason': 'override.reason',
  };
  return direct[serverField] ?? null;
}
