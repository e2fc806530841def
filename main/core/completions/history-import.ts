import { parseISO } from 'date-fns';
import type { z } from 'zod';
import { isIsoDate } from '../../../shared/domain/common';
import { LogFields } from '../../../shared/domain/completion';
import { UserFields } from '../../../shared/domain/user';
import { foldWord } from '../../../shared/domain/equipment';
import type { Outcome } from '../../../shared/scheduling';
import { localDateOf, OUTCOMES } from '../../../shared/scheduling';
import { appendAudit } from '../audit';
import type { Actor, Core, WriteCore } from '../context';
import { decodeCsvBytes } from '../csv/decode';
import { emptyFileSentence, parseCsv } from '../csv/parse';
import { AppError } from '../errors';
import { recordCompletion } from './record';
import { findTaskType, listTaskTypes, taskList } from '../plans/service';
import { query } from '../sql/query';
import { devicesByTag, sharedTagProblem, sharingInUse } from '../sync/keys';
import type { CompletionRow, PlanRow } from '../sql/rows';

const activePlanOf = query<Pick<PlanRow, 'id'>, { equipmentId: string; task: string }>(
  'SELECT id FROM plans WHERE equipment_id = @equipmentId AND task = @task AND active = 1',
);
const sameRecord = query<Pick<CompletionRow, 'id'>, Pick<CompletionRow, 'plan_id' | 'performed_at' | 'outcome'>>(
  'SELECT id FROM completions WHERE plan_id = @plan_id AND performed_at = @performed_at AND outcome = @outcome',
);
const sameDayRecord = query<Pick<CompletionRow, 'id'>, Pick<CompletionRow, 'plan_id' | 'performed_on' | 'outcome'>>(
  'SELECT id FROM completions WHERE plan_id = @plan_id AND performed_on = @performed_on AND outcome = @outcome LIMIT 1',
);

/**
 * Past completions from the paper or spreadsheet era (docs/cli.md, `wardkeep import history`). Each row is
 * recorded like live work (source 'import', performed_by as written), in one transaction, so the
 * plans' due dates come out as if the records had been entered live, in any row order (rule 8).
 * Imported history is unsigned (no one signed in): it is marked so wherever records are shown,
 * it never changes a device's service status, and it counts only before a plan's first record
 * signed in the app (issue 13, item 1).
 */
export const HISTORY_FILE_FIELDS = ['asset_tag', 'task', 'performed_at', 'outcome', 'performed_by', 'notes'] as const;
export type HistoryFileField = (typeof HISTORY_FILE_FIELDS)[number];
const REQUIRED: readonly HistoryFileField[] = ['asset_tag', 'task', 'performed_at', 'outcome', 'performed_by'];

export const HISTORY_HEADER_ALIASES: Record<HistoryFileField, readonly string[]> = {
  asset_tag: ['Asset Tag', 'Tag', 'Asset', 'Barcode'],
  task: ['Task', 'Task Type'],
  performed_at: ['Performed At', 'Performed', 'Performed On', 'Date', 'Done On', 'Completed', 'Completed On'],
  outcome: ['Outcome', 'Result'],
  performed_by: ['Performed By', 'By', 'Technician', 'Done By'],
  notes: ['Notes', 'Note', 'Comments', 'Remarks'],
};

/**
 * The app's own rules for the text a record holds, not a second set: notes as the record form takes
 * them (at most 4000 characters, no NUL), and who did the work as the app takes a person's name (a
 * record made in the app names its signed-in user).
 */
const TEXT_RULES = { notes: LogFields.shape.notes, performed_by: UserFields.shape.name };

/** The cell as the rule leaves it, or the rule's words for what is wrong ("must be at most 4000 characters"). */
function checkText(rule: z.ZodType<string | null, string | null | undefined>, raw: string): { ok: true; value: string | null } | { ok: false; why: string } {
  const result = rule.safeParse(raw);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  // How long it is, so the person knows how much to cut.
  return { ok: false, why: `${issue?.message ?? 'is not valid'}${issue?.code === 'too_big' ? ` (it has ${raw.length})` : ''}` };
}

const KNOWN = new Map<string, HistoryFileField>();
for (const field of HISTORY_FILE_FIELDS) for (const alias of [field, ...HISTORY_HEADER_ALIASES[field]]) KNOWN.set(foldWord(alias), field);

export interface HistoryMessage {
  message: string;
  row?: number;
  column?: string;
}

export interface HistoryRow {
  row: number;
  planId: string;
  performedAt: string;
  outcome: Outcome;
  performedBy: string;
  notes: string | null;
}

export interface HistoryAnalysis {
  rows: number;
  records: HistoryRow[];
  problems: HistoryMessage[];
  warnings: HistoryMessage[];
}

/** A date and time as ISO-8601 writes it: the hour, minute and second are groups 1 to 3. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

/**
 * `YYYY-MM-DD` (that day, local time: noon, so the local date is that day whatever the zone's
 * daylight-saving rules) or an ISO-8601 date-time (with a zone, or local time without one).
 */
export function parsePerformedAt(text: string): Date | null {
  if (isIsoDate(text)) {
    const d = parseISO(`${text}T12:00:00`);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  if (!DATE_TIME.test(text) || timeProblem(text) !== null) return null;
  const d = parseISO(text.replace(' ', 'T'));
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * What is wrong with the time of a date and time, or null: an hour past 23, a minute or second
 * past 59. ISO-8601's 24:00 (midnight at the end of the day) is refused like 25:00: the day it
 * names is not the day the work would be recorded on.
 */
function timeProblem(text: string): string | null {
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const TIMES = 'write the time from 00:00 to 23:59 (midnight is 00:00 of the next day)';
  if (Number(m[1]) > 23) return `"${text}" has the hour ${m[1]}: ${TIMES}.`;
  if (Number(m[2]) > 59) return `"${text}" has the minute ${m[2]}: ${TIMES}.`;
  if (m[3] !== undefined && Number(m[3]) > 59) return `"${text}" has the second ${m[3]}: ${TIMES}.`;
  return null;
}

/** A performed date before this year is a mistyped year (1026 for 2026), not history from paper. */
const EARLIEST_PERFORMED_YEAR = 1900;

export function analyseHistoryImport(core: Core, bytes: Uint8Array): HistoryAnalysis {
  const { text } = decodeCsvBytes(bytes);
  const csv = parseCsv(text);
  const problems: HistoryMessage[] = csv.problems.map((p) => ({ row: p.row, message: p.message }));
  // Nothing to import: one sentence, not a line for each column an empty file lacks.
  const empty = emptyFileSentence(csv, 'past work');
  if (empty !== null) return { rows: 0, records: [], problems: problems.length > 0 ? problems : [{ message: empty }], warnings: [] };
  const warnings: HistoryMessage[] = [];
  const column = new Map<HistoryFileField, number>();
  csv.headers.forEach((header, index) => {
    const field = KNOWN.get(foldWord(header));
    if (!field) warnings.push({ column: header, message: `Column "${header}" matches no field and is ignored.` });
    else if (column.has(field)) problems.push({ column: header, message: `Columns "${csv.headers[column.get(field)!]}" and "${header}" both hold ${field}; keep one.` });
    else column.set(field, index);
  });
  for (const field of REQUIRED) {
    if (!column.has(field)) problems.push({ message: `There is no ${field} column, which is required (the columns are ${HISTORY_FILE_FIELDS.join(', ')}).` });
  }
  if (problems.length > 0) return { rows: csv.records.length, records: [], problems, warnings };

  const types = listTaskTypes(core);
  const now = core.clock.now();
  // The rows read so far, to find the same work twice in the file: by time, and by day.
  const seenAt = new Map<string, number>();
  const seenOn = new Map<string, number>();
  const bareOn = new Map<string, number>();
  const records: HistoryRow[] = [];
  for (const record of csv.records) {
    const cell = (field: HistoryFileField) => {
      const index = column.get(field);
      return index === undefined ? '' : (record.cells[index] ?? '').trim();
    };
    const rowProblems: HistoryMessage[] = [];
    const problem = (field: HistoryFileField, what: string) => {
      const header = csv.headers[column.get(field)!] ?? field;
      rowProblems.push({ row: record.row, column: header, message: `Row ${record.row}, column "${header}": ${what}` });
    };
    const tag = cell('asset_tag');
    // The device in use first, as a scan finds it (a clash's plain tag may be a retired device's).
    const devices = tag === '' ? [] : devicesByTag(core, tag);
    const shared = sharingInUse(devices);
    if (tag === '') problem('asset_tag', 'the asset tag is blank.');
    else if (devices.length === 0) problem('asset_tag', `no device has the asset tag "${tag}".`);
    else if (shared.length > 0) problem('asset_tag', sharedTagProblem(tag, shared));
    const deviceId = devices[0]?.id;
    const taskText = cell('task');
    const task = findTaskType(types, taskText);
    if (taskText === '') problem('task', `the task is blank (use one of ${taskList(types)}).`);
    else if (!task) problem('task', `"${taskText}" is not a task (use one of ${taskList(types)}).`);
    let planId: string | null = null;
    if (deviceId !== undefined && task && rowProblems.length === 0) {
      const plan = activePlanOf.get(core, { equipmentId: deviceId, task: task.code });
      if (!plan) problem('task', `${tag} has no active ${task.code} plan to record this against (import its plans first).`);
      else planId = plan.id;
    }
    const whenText = cell('performed_at');
    const bare = isIsoDate(whenText);
    let when = parsePerformedAt(whenText);
    // A bare date is that local day: today's work written as today is taken as done by now (its
    // noon may be yet to come), not refused as in the future.
    if (when && bare && when.getTime() > now.getTime() && localDateOf(now) === whenText) when = new Date(now);
    const badTime = timeProblem(whenText);
    if (whenText === '') problem('performed_at', 'the date is blank (write YYYY-MM-DD or an ISO-8601 date and time).');
    else if (badTime) problem('performed_at', badTime);
    else if (!when) problem('performed_at', `"${whenText}" is not a date (YYYY-MM-DD) or an ISO-8601 date and time.`);
    else if (Number(whenText.slice(0, 4)) < EARLIEST_PERFORMED_YEAR) problem('performed_at', `"${whenText}" is before ${EARLIEST_PERFORMED_YEAR}: check the year.`);
    // The rule the app applies to any record it saves (recordCompletion, which the log form's save
    // reaches): later than now is the future.
    else if (when.getTime() > now.getTime()) problem('performed_at', `"${whenText}" is in the future.`);
    const outcomeText = cell('outcome').toLowerCase().replace(/[\s-]+/g, '_');
    const outcome = OUTCOMES.find((o) => o === outcomeText);
    if (!outcome) problem('outcome', `"${cell('outcome')}" is not an outcome (use ${OUTCOMES.join(', ')}).`);
    const by = cell('performed_by');
    const byChecked = checkText(TEXT_RULES.performed_by, by);
    if (by === '') problem('performed_by', 'who did the work is blank.');
    else if (!byChecked.ok) problem('performed_by', `the name ${byChecked.why}.`);
    const notesChecked = checkText(TEXT_RULES.notes, cell('notes'));
    if (!notesChecked.ok) problem('notes', `the notes ${notesChecked.why}.`);
    if (planId && when && outcome) {
      // A bare date gives a day, not a time: the same work is any of that plan's records with that
      // outcome on that local day (where the day's record is stored, noon or, today, the time of
      // the import, is then of no account: the same file imported twice is refused at any hour).
      const day = localDateOf(when);
      const atKey = `${planId}|${when.toISOString()}|${outcome}`;
      const onKey = `${planId}|${day}|${outcome}`;
      const earlier = bare ? seenOn.get(onKey) : (seenAt.get(atKey) ?? bareOn.get(onKey));
      if (earlier !== undefined) problem('performed_at', `row ${earlier} records the same work ${bare || bareOn.has(onKey) ? 'on the same day' : 'at the same time'}.`);
      else if (bare && sameDayRecord.get(core, { plan_id: planId, performed_on: day, outcome }))
        problem('performed_at', `this work is already recorded on ${whenText} (an earlier import?); if it was done again that day, give the time it was done.`);
      else if (!bare && sameRecord.get(core, { plan_id: planId, performed_at: when.toISOString(), outcome }))
        problem('performed_at', `this work is already recorded (an earlier import?).`);
      if (!seenAt.has(atKey)) seenAt.set(atKey, record.row);
      if (!seenOn.has(onKey)) seenOn.set(onKey, record.row);
      if (bare && !bareOn.has(onKey)) bareOn.set(onKey, record.row);
    }
    if (rowProblems.length > 0 || !planId || !when || !outcome) {
      problems.push(...rowProblems);
      continue;
    }
    records.push({ row: record.row, planId, performedAt: when.toISOString(), outcome, performedBy: by, notes: notesChecked.ok ? notesChecked.value : null });
  }
  return { rows: csv.records.length, records, problems, warnings };
}

/** Imports past completions, all or nothing: checked again inside the caller's one transaction. */
export function commitHistoryImport(core: WriteCore, actor: Actor, bytes: Uint8Array, options: { fileName: string }): { created: number; failedLast: string[] } {
  const analysis = analyseHistoryImport(core, bytes);
  if (analysis.problems.length > 0) {
    throw new AppError('invalid_input', analysis.problems[0]!.message, {
      details: analysis.problems.map((p) => (p.row === undefined ? { message: p.message } : { message: p.message, row: p.row })),
    });
  }
  for (const r of analysis.records) {
    recordCompletion(core, actor, {
      planId: r.planId,
      performedAt: r.performedAt,
      outcome: r.outcome,
      notes: r.notes,
      performedByName: r.performedBy,
      performedByUserId: null,
      source: 'import',
      details: { importedFrom: options.fileName, row: r.row },
    });
  }
  appendAudit(core, actor, { action: 'import', entity: 'completion', entityId: null, new: { file: options.fileName, records: analysis.records.length } });
  return { created: analysis.records.length, failedLast: devicesLastFailed(core, [...new Set(analysis.records.map((r) => r.planId))]) };
}

/**
 * The devices whose latest record of a task that tags out on a fail (calibration, electrical
 * safety) is now an imported fail: the import leaves their status alone, so the person importing
 * is told to look at them.
 */
const latestDeciding = query<{ asset_tag: string; last: string | null }, { plans: string }>(
  `SELECT e.asset_tag, (SELECT c.outcome FROM completions c WHERE c.plan_id = p.id AND c.outcome NOT LIKE 'not_done%'
     AND NOT EXISTS (SELECT 1 FROM completions a WHERE a.amends_id = c.id) ORDER BY c.performed_at DESC LIMIT 1) AS last
   FROM json_each(@plans) j JOIN plans p ON p.id = j.value JOIN equipment e ON e.id = p.equipment_id
   JOIN task_types t ON t.code = p.task AND t.fail_tags_out = 1`,
);

function devicesLastFailed(core: Core, planIds: readonly string[]): string[] {
  const rows = latestDeciding.all(core, { plans: JSON.stringify(planIds) });
  return [...new Set(rows.filter((r) => r.last === 'fail').map((r) => r.asset_tag))].sort();
}
