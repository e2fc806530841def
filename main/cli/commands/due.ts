import { isIsoDate } from '../../../shared/domain/common';
import type { DueRow } from '../../../shared/domain/plan';
import { localDate } from '../../core/clock';
import { dueList } from '../../core/due/service';
import { listLocations, lookupLocationPath } from '../../core/locations/service';
import { findTaskType, listTaskTypes, taskList } from '../../core/plans/service';
import type { Command } from '../command';
import { EXIT, UsageError } from '../io';
import { writeOutFile } from '../out-file';
import { DUE_FILE_FIELDS, dueCsv, dueIcs } from '../../core/reports/due-export';

export const DUE_FORMATS = ['table', 'csv', 'json', 'ics'] as const;
type DueFormat = (typeof DUE_FORMATS)[number];

/** The JSON keys and CSV columns: part of the published interface (docs/cli.md). Add, never rename. */
export const DUE_FIELDS = DUE_FILE_FIELDS;

function record(r: DueRow) {
  return {
    asset_tag: r.assetTag,
    name: r.name,
    location: r.location,
    task: r.task,
    due_date: r.dueDate,
    status: r.status,
    days_overdue: r.daysOverdue,
    do_not_use: r.doNotUse,
    risk: r.risk,
    ward: r.ward,
    room: r.room,
    plan_id: r.planId,
  };
}

function toTable(rows: readonly DueRow[], asOf: string): string {
  if (rows.length === 0) return `Nothing is overdue or due on ${asOf}.\n`;
  const header = ['STATUS', 'DUE', 'DAYS OVER', 'ASSET TAG', 'NAME', 'TASK', 'LOCATION', 'NOTE'];
  const body = rows.map((r) => [
    r.status,
    r.dueDate,
    r.status === 'overdue' ? String(r.daysOverdue) : '',
    r.assetTag ?? '',
    r.name,
    r.taskLabel,
    r.location,
    r.doNotUse ? 'DO NOT USE' : '',
  ]);
  const width = (i: number) => Math.max(...[header, ...body].map((cells) => [...cells[i]!].length));
  const widths = header.map((_, i) => width(i));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c + ' '.repeat(widths[i]! - [...c].length))
      .join('  ')
      .trimEnd() + '\n';
  const count = (s: DueRow['status']) => rows.filter((r) => r.status === s).length;
  const parts = [`${count('overdue')} overdue`, `${count('due')} due`];
  if (count('scheduled') > 0) parts.push(`${count('scheduled')} scheduled`);
  return [line(header), ...body.map(line)].join('') + `\n${parts.join(', ')} on ${asOf}.\n`;
}

export const dueCommand: Command = {
  name: 'due',
  database: 'reads',
  summary: 'the due list: plans overdue or due (and, with --within, scheduled soon), overdue first',
  usage: '[--as-of DATE] [--within DAYS] [--location TEXT] [--task TYPE] [--format table|csv|json|ics] [--out FILE]',
  options: {
    'as-of': { type: 'string' },
    within: { type: 'string' },
    location: { type: 'string' },
    task: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
  },
  run({ args, values, io, openCore }) {
    if (args.length > 0) throw new UsageError(`Unexpected argument "${args[0]}".`);
    const asOfText = values['as-of'] as string | undefined;
    if (asOfText !== undefined && !isIsoDate(asOfText)) throw new UsageError(`--as-of "${asOfText}" is not a date written YYYY-MM-DD.`);
    const withinText = values.within as string | undefined;
    if (withinText !== undefined && !/^\d{1,4}$/.test(withinText.trim())) {
      throw new UsageError(`--within "${withinText}" is not a whole number of days (0 to 9999).`);
    }
    const format = ((values.format as string | undefined) ?? 'table') as DueFormat;
    if (!DUE_FORMATS.includes(format)) throw new UsageError(`--format "${String(format)}" is not one of ${DUE_FORMATS.join(', ')}.`);
    const out = values.out as string | undefined;
    if (out !== undefined && out.trim() === '') throw new UsageError('--out needs a file name.');
    const locationText = values.location as string | undefined;
    if (locationText !== undefined && locationText.trim() === '') throw new UsageError('--location needs a location name or path.');
    const taskText = values.task as string | undefined;
    if (taskText !== undefined && taskText.trim() === '') throw new UsageError('--task needs a task.');

    const core = openCore();
    try {
      let locationIds: string[] | undefined;
      if (locationText !== undefined) {
        const found = lookupLocationPath(listLocations(core), locationText);
        if (found.kind !== 'found') {
          io.stderr(
            found.kind === 'ambiguous'
              ? `--location "${locationText}": ${found.message}.\n`
              : `--location "${locationText}": there is no such location. Name one by its name or its path, e.g. "Site > Ward".\n`,
          );
          return EXIT.input;
        }
        locationIds = [found.location.id];
      }
      let tasks: string[] | undefined;
      if (taskText !== undefined) {
        const types = listTaskTypes(core);
        const task = findTaskType(types, taskText);
        if (!task) {
          io.stderr(`--task "${taskText}" is not a task; the tasks are ${taskList(types)}, ${taskList(types, 'stock_location')}.\n`);
          return EXIT.input;
        }
        tasks = [task.code];
      }
      const now = core.clock.now();
      const asOf = asOfText ?? localDate(now);
      const rows = dueList(core, {
        asOf,
        withinDays: withinText === undefined ? undefined : Number(withinText.trim()),
        locationIds,
        tasks,
        sort: 'status',
      });
      const content =
        format === 'json'
          ? JSON.stringify(rows.map(record), null, 2) + '\n'
          : format === 'csv'
            ? dueCsv(rows)
            : format === 'ics'
              ? dueIcs(rows, asOf, now)
              : toTable(rows, asOf);
      if (out === undefined) {
        io.stdout(content);
        return EXIT.ok;
      }
      if (!writeOutFile(core, io, out, content, { nothing: 'Nothing was written.', example: `due.${format === 'table' ? 'txt' : format}` })) return EXIT.input;
      io.stderr(`Wrote ${rows.length} plan${rows.length === 1 ? '' : 's'} due on ${asOf} to ${out}.\n`);
      return EXIT.ok;
    } finally {
      core.close();
    }
  },
};
