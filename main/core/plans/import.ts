import { formatDate } from '../../../shared/date-format';
import { isIsoDate } from '../../../shared/domain/common';
import { foldWord } from '../../../shared/domain/equipment';
import type { PlanMode } from '../../../shared/scheduling';
import { DEFAULT_GRACE_DAYS, defaultWindowDays, INTERVAL_MESSAGE, intervalProblem, parseInterval, PLAN_MODES, planTimingProblem } from '../../../shared/scheduling';
import { appendAudit } from '../audit';
import type { Actor, Core, WriteCore } from '../context';
import { decodeCsvBytes } from '../csv/decode';
import { emptyFileSentence, parseCsv } from '../csv/parse';
import { AppError } from '../errors';
import { query } from '../sql/query';
import { devicesByTag, sharedTagProblem, sharingInUse } from '../sync/keys';
import type { EquipmentRow, PlanRow } from '../sql/rows';
import type { NewPlan } from './service';
import { findTaskType, insertPlan, listTaskTypes, taskList, today } from './service';
import { getSettings } from '../settings/service';
import { planStartDateQuestion } from '../../../shared/plausible-dates';

const activePlanOf = query<{ id: string }, { equipmentId: string; task: string }>(
  'SELECT id FROM plans WHERE equipment_id = @equipmentId AND task = @task AND active = 1',
);
/** The device's plan of this task taken out of use that holds records, as "Add plan…" finds it (service.ts createPlan). */
const outOfUseWithRecords = query<Pick<PlanRow, 'last_done_on'>, { equipmentId: string; task: string }>(
  `SELECT p.last_done_on FROM plans p
   WHERE p.equipment_id = @equipmentId AND p.task = @task AND p.active = 0 AND EXISTS (SELECT 1 FROM completions c WHERE c.plan_id = p.id)
   ORDER BY p.updated_at DESC LIMIT 1`,
);

/** The columns of a plans file (docs/cli.md), in order. Part of the published interface. */
export const PLAN_FILE_FIELDS = ['asset_tag', 'task', 'every', 'start', 'mode', 'window_days', 'grace_days'] as const;
export type PlanFileField = (typeof PLAN_FILE_FIELDS)[number];
const REQUIRED: readonly PlanFileField[] = ['asset_tag', 'task', 'every', 'start'];

/** Other headers meaning the same, matched like the field names: case, spaces, `_` and `-` ignored. */
export const PLAN_HEADER_ALIASES: Record<PlanFileField, readonly string[]> = {
  asset_tag: ['Asset Tag', 'Tag', 'Asset', 'Barcode'],
  task: ['Task', 'Task Type'],
  every: ['Every', 'Interval', 'Frequency'],
  start: ['Start', 'Start Date', 'Starts', 'Starts On', 'First Due'],
  mode: ['Mode', 'Schedule Mode'],
  window_days: ['Window', 'Window Days'],
  grace_days: ['Grace', 'Grace Days'],
};

const KNOWN = new Map<string, PlanFileField>();
for (const field of PLAN_FILE_FIELDS) for (const alias of [field, ...PLAN_HEADER_ALIASES[field]]) KNOWN.set(foldWord(alias), field);

export interface PlanImportMessage {
  message: string;
  row?: number;
  column?: string;
}

export interface PlanImportAnalysis {
  rows: number;
  plans: (NewPlan & { row: number })[];
  problems: PlanImportMessage[];
  warnings: PlanImportMessage[];
}

/**
 * Reads and checks a plans file without writing. Every problem is reported with its row and
 * column; blank mode, window or grace take their defaults (floating; rule 9).
 */
export function analysePlanImport(core: Core, bytes: Uint8Array): PlanImportAnalysis {
  const { text } = decodeCsvBytes(bytes);
  const csv = parseCsv(text);
  const problems: PlanImportMessage[] = csv.problems.map((p) => ({ row: p.row, message: p.message }));
  // Nothing to import: one sentence, not a line for each column an empty file lacks.
  const empty = emptyFileSentence(csv, 'plans');
  if (empty !== null) return { rows: 0, plans: [], problems: problems.length > 0 ? problems : [{ message: empty }], warnings: [] };
  const warnings: PlanImportMessage[] = [];
  const column = new Map<PlanFileField, number>();
  csv.headers.forEach((header, index) => {
    const field = KNOWN.get(foldWord(header));
    if (!field) {
      warnings.push({ column: header, message: `Column "${header}" matches no field and is ignored.` });
    } else if (column.has(field)) {
      problems.push({ column: header, message: `Columns "${csv.headers[column.get(field)!]}" and "${header}" both hold ${field}; keep one.` });
    } else {
      column.set(field, index);
    }
  });
  for (const field of REQUIRED) {
    if (!column.has(field)) problems.push({ message: `There is no ${field} column, which is required (the columns are ${PLAN_FILE_FIELDS.join(', ')}).` });
  }
  if (problems.length > 0) return { rows: csv.records.length, plans: [], problems, warnings };

  const types = listTaskTypes(core);
  const settings = getSettings(core);
  const seen = new Map<string, number>();
  const plans: PlanImportAnalysis['plans'] = [];
  for (const record of csv.records) {
    const cell = (field: PlanFileField) => {
      const index = column.get(field);
      return index === undefined ? '' : (record.cells[index] ?? '').trim();
    };
    const rowProblems: PlanImportMessage[] = [];
    const problem = (field: PlanFileField, what: string) => {
      const header = csv.headers[column.get(field)!] ?? field;
      rowProblems.push({ row: record.row, column: header, message: `Row ${record.row}, column "${header}": ${what}` });
    };

    const tag = cell('asset_tag');
    let device: Pick<EquipmentRow, 'id' | 'asset_tag'> | undefined;
    if (tag === '') problem('asset_tag', 'the asset tag is blank.');
    else {
      // The device in use first, as a scan finds it (a clash's plain tag may be a retired device's).
      const devices = devicesByTag(core, tag);
      device = devices[0];
      const shared = sharingInUse(devices);
      if (!device) problem('asset_tag', `no device has the asset tag "${tag}".`);
      else if (shared.length > 0) problem('asset_tag', sharedTagProblem(tag, shared));
    }

    const taskText = cell('task');
    const task = findTaskType(types, taskText);
    if (taskText === '') problem('task', `the task is blank (use one of ${taskList(types)}).`);
    else if (!task) problem('task', `"${taskText}" is not a task (use one of ${taskList(types)}).`);
    else if (task.target !== 'equipment') problem('task', `${task.code} is a task for stock locations, not for a device.`);
    else if (!task.active) problem('task', `${task.label} is no longer in use: its plans are kept for history, and no new one is made.`);

    const everyText = cell('every');
    const interval = parseInterval(everyText);
    if (!interval) problem('every', everyText === '' ? `the interval is blank; it ${INTERVAL_MESSAGE}.` : `"${everyText}" ${intervalProblem(everyText)}.`);

    const start = cell('start');
    if (!isIsoDate(start)) problem('start', start === '' ? 'the start date is blank (write it YYYY-MM-DD).' : `"${start}" is not a date written YYYY-MM-DD.`);

    const modeText = cell('mode').toLowerCase();
    const mode: PlanMode | undefined = modeText === '' ? 'floating' : PLAN_MODES.find((m) => m === modeText);
    if (!mode) problem('mode', `"${cell('mode')}" is not a mode (use fixed or floating, or leave it blank for floating).`);

    const days = (field: 'window_days' | 'grace_days'): number | null | undefined => {
      const raw = cell(field);
      if (raw === '') return null;
      if (!/^\d{1,5}$/.test(raw)) {
        problem(field, `"${raw}" is not a whole number of days, 0 or more (leave it blank for the default).`);
        return undefined;
      }
      return Number(raw);
    };
    const windowDays = days('window_days');
    const graceDays = days('grace_days');

    let timing: { windowDays: number; graceDays: number } | null = null;
    if (interval && windowDays !== undefined && graceDays !== undefined) {
      timing = { windowDays: windowDays ?? defaultWindowDays(interval), graceDays: graceDays ?? DEFAULT_GRACE_DAYS };
      const bad = planTimingProblem({ interval, ...timing });
      if (bad) {
        problem(bad.field === 'windowDays' ? 'window_days' : 'grace_days', bad.message.charAt(0).toLowerCase() + bad.message.slice(1));
        timing = null;
      }
    }

    if (device && task) {
      const key = `${device.id}|${task.code}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) problem('task', `row ${earlier} already gives ${device.asset_tag} a ${task.code} plan.`);
      else if (activePlanOf.get(core, { equipmentId: device.id, task: task.code })) problem('task', `${device.asset_tag} already has an active ${task.code} plan.`);
      else {
        // A new plan would start with no history (due on its start date, last done "never") beside
        // the one taken out of use that holds the device's records: refused, as "Add plan…" refuses it.
        const kept = outOfUseWithRecords.get(core, { equipmentId: device.id, task: task.code });
        if (kept) {
          const last = kept.last_done_on ? ` (last done ${formatDate(kept.last_done_on, settings.dateFormat)})` : '';
          problem(
            'task',
            `${device.asset_tag}'s ${task.label.toLowerCase()} plan taken out of use holds its records${last}: bring it back on the device's page ("Bring back…" under "Inactive plans") rather than start a new one without them.`,
          );
        }
      }
      seen.set(key, earlier ?? record.row);
    }

    if (rowProblems.length > 0 || !device || !task || !interval || !mode || !timing) {
      problems.push(...rowProblems);
      continue;
    }
    // Imported as written, as `import equipment` takes its dates, but flagged: a start years ahead is
    // most likely a mistyped year, and would keep the work off every due list until then.
    const question = planStartDateQuestion(start, interval, today(core), settings.dateFormat);
    if (question) {
      const header = csv.headers[column.get('start')!] ?? 'start';
      warnings.push({ row: record.row, column: header, message: `Row ${record.row}, column "${header}": ${question.message.replace(/ Check it;.*$/, ' Check the year.')}` });
    }
    plans.push({ row: record.row, equipmentId: device.id, task: task.code, interval, mode, startDate: start, ...timing });
  }
  return { rows: csv.records.length, plans, problems, warnings };
}

/**
 * Imports a plans file, all or nothing: checked again inside the caller's transaction, and any
 * problem aborts it with every problem in the error's details.
 */
export function commitPlanImport(core: WriteCore, actor: Actor, bytes: Uint8Array, options: { fileName: string }): { created: number } {
  const analysis = analysePlanImport(core, bytes);
  if (analysis.problems.length > 0) {
    throw new AppError('invalid_input', analysis.problems[0]!.message, {
      details: analysis.problems.map((p) => (p.row === undefined ? { message: p.message } : { message: p.message, row: p.row })),
    });
  }
  const via = `import ${options.fileName}`;
  for (const plan of analysis.plans) insertPlan(core, actor, plan, { via });
  appendAudit(core, actor, { action: 'import', entity: 'plan', entityId: null, new: { file: options.fileName, plans: analysis.plans.length } });
  return { created: analysis.plans.length };
}
