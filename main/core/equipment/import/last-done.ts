import type { ColumnMapping, ImportMessage, MappingGuess } from '../../../../shared/contract/equipment-import';
import { isLastDoneField, lastDoneTaskOf } from '../../../../shared/contract/equipment-import';
import type { IsoDate } from '../../../../shared/domain/common';
import type { EquipmentFileField } from '../../../../shared/domain/equipment';
import { foldWord } from '../../../../shared/domain/equipment';
import type { TaskType } from '../../../../shared/domain/plan';
import type { Interval } from '../../../../shared/scheduling';
import { addInterval } from '../../../../shared/scheduling';
import type { Core } from '../../context';
import { findCategoryByName } from '../../categories/service';
import { listTaskTypes, taskTypeMap } from '../../plans/service';
import { query } from '../../sql/query';
import type { CategoryPlanTemplateRow } from '../../sql/rows';
import { quoted, readDate } from './cells';
import { columnLabel, guessMapping } from './mapping';

/**
 * When each task was last done before the device came to Wardkeep (issue 16): columns
 * `last_calibration`, `last_inspection`, `last_electrical_safety`, `last_cleaning`, and
 * `last_<code>` for any task type of the hospital's own. The device's default plans then start
 * from real history (each due an interval after its date) rather than all falling due on the day
 * of the import. Kept apart from the import's own mapping and reading, which it wraps.
 *
 * Headers match, case, spaces, `_` and `-` ignored: `last_<code>`, `Last <label>`, either followed
 * by `date` or `on` (`Last Calibration Date`, `Last calibrated on` does not: say `--map`).
 */

/** The import's mapping guess, with the last-done columns recognised or chosen. */
export function guessWithLastDone(
  core: Core,
  headers: readonly string[],
  overrides: Readonly<Record<string, string | null>>,
  options: { generateTags?: boolean } = {},
): MappingGuess {
  return withLastDoneColumns(core, guessMapping(headers, splitOverrides(overrides).fields, options), overrides);
}

/** Last-done dates given for a task the device's category has no default plan for: said, and not used. */
export function unusedLastDone(
  core: Core,
  rows: readonly { row: number; category: string | null }[],
  byRow: ReadonlyMap<number, Record<string, IsoDate>>,
): ImportMessage[] {
  if (byRow.size === 0) return [];
  const labels = taskTypeMap(core);
  const planned = new Map<string, Set<string>>();
  const tasksOf = (name: string | null): Set<string> => {
    const key = name ?? '';
    let found = planned.get(key);
    if (!found) {
      const category = name ? findCategoryByName(core, name) : null;
      found = new Set(category ? templatesOf.all(core, { categoryId: category.id }).map((t) => t.task) : []);
      planned.set(key, found);
    }
    return found;
  };
  const out: ImportMessage[] = [];
  for (const r of rows) {
    const dates = byRow.get(r.row);
    if (!dates) continue;
    const unused = Object.keys(dates).filter((task) => !tasksOf(r.category).has(task));
    if (unused.length === 0) continue;
    const what = unused.map((t) => (labels.get(t)?.label ?? t).toLowerCase()).join(' and ');
    out.push({
      row: r.row,
      message: `Row ${r.row}: when its ${what} was last done is not used: ${r.category ? `the category "${r.category}" has no default ${what} plan` : 'the device has no category, so no default plans'}.`,
    });
  }
  return out;
}

/** The folded headers that name a task's last-done date. */
function headerKeys(t: TaskType): string[] {
  const stems = [foldWord(`last ${t.code}`), foldWord(`last ${t.label}`), foldWord(`last done ${t.code}`)];
  return stems.flatMap((s) => [s, `${s}date`, `${s}on`]);
}

/** Folded header → task code, for the equipment tasks in use. */
function lastDoneHeaders(types: readonly TaskType[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of types) if (t.target === 'equipment' && t.active) for (const k of headerKeys(t)) if (!out.has(k)) out.set(k, t.code);
  return out;
}

/** The overrides the import's own mapping understands (fields), and the last-done ones (header → task). */
export function splitOverrides(overrides: Readonly<Record<string, string | null>>): {
  fields: Record<string, EquipmentFileField | null>;
  lastDone: Map<string, string>;
} {
  const fields: Record<string, EquipmentFileField | null> = {};
  const lastDone = new Map<string, string>();
  for (const [header, value] of Object.entries(overrides)) {
    if (value !== null && isLastDoneField(value)) {
      lastDone.set(header, lastDoneTaskOf(value));
      fields[header] = null; // the import proper ignores it; it is read here
    } else {
      fields[header] = value as EquipmentFileField | null;
    }
  }
  return { fields, lastDone };
}

/**
 * The mapping with the last-done columns marked: recognised by their header, or chosen with
 * `--map "Cal date=last_calibration"`. Their "matches no field" warnings go; an unknown task is a problem.
 */
export function withLastDoneColumns(
  core: Core,
  guess: MappingGuess,
  overrides: Readonly<Record<string, string | null>>,
): MappingGuess {
  const types = listTaskTypes(core);
  const byCode = new Map(types.map((t) => [t.code, t]));
  const known = lastDoneHeaders(types);
  const { lastDone: chosen } = splitOverrides(overrides);
  const problems = [...guess.problems];
  const marked = new Set<number>();
  const columns: ColumnMapping[] = guess.columns.map((c) => {
    const pick = [...chosen.entries()].find(([h]) => h === c.header || foldWord(h) === foldWord(c.header))?.[1];
    if (pick !== undefined) {
      const type = byCode.get(pick);
      if (!type || type.target !== 'equipment') {
        problems.push({ message: `Column ${columnLabel(c)} is mapped to last_${pick}, but "${pick}" is not a task done on a device.` });
        return c;
      }
      marked.add(c.index);
      return { ...c, how: 'chosen', lastDoneTask: pick };
    }
    const task = c.how === 'unmatched' ? known.get(foldWord(c.header)) : undefined;
    if (!task) return c;
    marked.add(c.index);
    return { ...c, how: 'name', lastDoneTask: task };
  });
  for (const code of new Set(columns.flatMap((c) => (c.lastDoneTask ? [c.lastDoneTask] : [])))) {
    const mapped = columns.filter((c) => c.lastDoneTask === code);
    if (mapped.length > 1) problems.push({ message: `Columns ${mapped.map(columnLabel).join(' and ')} both give when ${byCode.get(code)?.label.toLowerCase() ?? code} was last done; ignore one of them.` });
  }
  const warnings = guess.warnings.filter((w) => !columns.some((c) => marked.has(c.index) && w.column === c.header));
  return { columns, problems, warnings };
}

export interface LastDoneReading {
  /** Row → task → date. */
  byRow: Map<number, Record<string, IsoDate>>;
  problems: ImportMessage[];
}

/** Reads the last-done cells of every row: a date `YYYY-MM-DD`, not after today; blank is "not known". */
export function readLastDone(columns: readonly ColumnMapping[], records: readonly { row: number; cells: string[] }[], today: IsoDate): LastDoneReading {
  const byRow = new Map<number, Record<string, IsoDate>>();
  const problems: ImportMessage[] = [];
  const cols = columns.filter((c) => c.lastDoneTask);
  if (cols.length === 0) return { byRow, problems };
  for (const { row, cells } of records) {
    const dates: Record<string, IsoDate> = {};
    for (const c of cols) {
      const raw = cells[c.index] ?? '';
      const cell = readDate(raw);
      const at = (why: string) => problems.push({ row, column: c.header, message: `Row ${row}, column ${columnLabel(c)}: ${why}` });
      if (!cell.ok) at(cell.why);
      else if (cell.value !== null && cell.value > today) at(`${quoted(raw)} is after today: when the work was last done cannot be in the future.`);
      else if (cell.value !== null) dates[c.lastDoneTask!] = cell.value;
    }
    if (Object.keys(dates).length > 0) byRow.set(row, dates);
  }
  return { byRow, problems };
}

type Template = Pick<CategoryPlanTemplateRow, 'task' | 'interval_n' | 'interval_unit'>;
const templatesOf = query<Template, { categoryId: string }>(
  `SELECT t.task, t.interval_n, t.interval_unit FROM category_plan_templates t JOIN task_types tt ON tt.code = t.task
   WHERE t.category_id = @categoryId AND t.active = 1 ORDER BY tt.sort_order, t.task`,
);

export interface ArrivalDue {
  task: string;
  taskLabel: string;
  /** The plan's first due date: an interval after when it was last done, or the day of the import. */
  dueDate: IsoDate;
  lastDone: IsoDate | null;
}

/**
 * The next due dates a device will have on arrival: one per default plan of its category. Last-done
 * dates for a task the category has no plan for change nothing; they are named in `unused`.
 */
export function dueOnArrival(
  core: Core,
  categoryName: string | null,
  lastDone: Readonly<Record<string, IsoDate>> | undefined,
  today: IsoDate,
): { due: ArrivalDue[]; unused: string[] } {
  const category = categoryName ? findCategoryByName(core, categoryName) : null;
  const templates = category ? templatesOf.all(core, { categoryId: category.id }) : [];
  const labels = taskTypeMap(core);
  const due = templates.map((t) => {
    const interval: Interval = { n: t.interval_n, unit: t.interval_unit };
    const last = lastDone?.[t.task] ?? null;
    return { task: t.task, taskLabel: labels.get(t.task)?.label ?? t.task, dueDate: last ? addInterval(last, interval) : today, lastDone: last };
  });
  const planned = new Set(templates.map((t) => t.task));
  return { due, unused: Object.keys(lastDone ?? {}).filter((task) => !planned.has(task)) };
}
