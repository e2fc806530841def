import type { IsoDate } from '../../../shared/domain/common';
import { isIsoDate } from '../../../shared/domain/common';
import type { DueRow } from '../../../shared/domain/plan';
import { localDate } from '../../core/clock';
import type { Core } from '../../core/context';
import { searchEquipment } from '../../core/equipment/search';
import { dueList } from '../../core/due/service';
import { listLocations, lookupLocationPath } from '../../core/locations/service';
import { findTaskType, listTaskTypes, taskList } from '../../core/plans/service';
import type { Command } from '../command';
import { EXIT, UsageError } from '../io';
import { writeOutFile } from '../out-file';
import { table, tableCell } from '../table';
import { DUE_FILE_FIELDS, dueCsv, dueIcs } from '../../core/reports/due-export';

/** The calendar's last day: the next work is looked for up to it. */
const LAST_DAY: IsoDate = '9999-12-31';

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

/**
 * What an empty list means, as the app's Today screen says it: nothing due (and when the next work
 * is), or nothing planned at all (no equipment, or no plan), which must not read as "all done".
 */
function nothingListed(core: Core, asOf: IsoDate, filter: { locationIds: string[] | undefined; tasks: string[] | undefined; where: string; task: string }) {
  const [next] = dueList(core, { asOf, locationIds: filter.locationIds, tasks: filter.tasks, statuses: ['scheduled'], dueOnOrBefore: LAST_DAY, sort: 'status' });
  if (next) {
    const of = next.assetTag ? `${next.assetTag} ${next.name}` : next.name;
    return {
      planned: true,
      sentence: `Nothing is overdue or due${filter.where} on ${asOf}. The next work due is the ${next.taskLabel.toLowerCase()} of ${tableCell(of)} on ${next.dueDate}.`,
    };
  }
  const devices = searchEquipment(core, filter.locationIds ? { locationId: filter.locationIds[0]! } : {}, { offset: 0, limit: 0 }).total;
  return {
    planned: false,
    sentence:
      devices === 0
        ? `Nothing is planned yet: there is no equipment${filter.where} in the database ${core.file}. Import the inventory (wardkeep import equipment FILE), then its plans (wardkeep import plans FILE).`
        : `Nothing is planned yet: no device in service${filter.where} has an active plan${filter.task}, so nothing can be due. Add plans in Wardkeep, or import them (wardkeep import plans FILE).`,
  };
}

function toTable(rows: readonly DueRow[], asOf: string): string {
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
  const count = (s: DueRow['status']) => rows.filter((r) => r.status === s).length;
  const parts = [`${count('overdue')} overdue`, `${count('due')} due`];
  if (count('scheduled') > 0) parts.push(`${count('scheduled')} scheduled`);
  return table(header, body) + `\n${parts.join(', ')} on ${asOf}.\n`;
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
      let locationPath: string | undefined;
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
        locationPath = found.location.path;
      }
      let tasks: string[] | undefined;
      let taskLabel: string | undefined;
      if (taskText !== undefined) {
        const types = listTaskTypes(core);
        const task = findTaskType(types, taskText);
        if (!task) {
          io.stderr(`--task "${taskText}" is not a task; the tasks are ${taskList(types)}, ${taskList(types, 'stock_location')}.\n`);
          return EXIT.input;
        }
        tasks = [task.code];
        taskLabel = task.label;
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
      // An empty list says why (table), or, when nothing is planned at all, warns on stderr (a script's file).
      const empty = rows.length === 0 ? nothingListed(core, asOf, { locationIds, tasks, where: locationPath ? ` in ${locationPath}` : '', task: taskLabel ? ` for ${taskLabel.toLowerCase()}` : '' }) : null;
      if (empty && !empty.planned && format !== 'table') io.stderr(`Warning: ${empty.sentence}\n`);
      const content =
        format === 'json'
          ? JSON.stringify(rows.map(record), null, 2) + '\n'
          : format === 'csv'
            ? dueCsv(rows)
            : format === 'ics'
              ? dueIcs(rows, asOf, now)
              : empty
                ? `${empty.sentence}\n`
                : toTable(rows, asOf);
      if (out === undefined) {
        io.stdout(content);
        return EXIT.ok;
      }
      if (!writeOutFile(core, io, out, content, { nothing: 'Nothing was written.', example: `due.${format === 'table' ? 'txt' : format}`, csv: format === 'csv' })) return EXIT.input;
      io.stderr(`Wrote ${rows.length} plan${rows.length === 1 ? '' : 's'} due on ${asOf} to ${out}.\n`);
      return EXIT.ok;
    } finally {
      core.close();
    }
  },
};
