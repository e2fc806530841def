import type { IsoDate } from '../../../shared/domain/common';
import type { DueRow, DueStatus } from '../../../shared/domain/plan';
import type { ExportFile } from '../../../shared/domain/report';
import type { DueExportFormat, DueListDocument, DueListParamsValue, TaggedOutDevice } from '../../../shared/domain/report-due';
import { describeDueFilter } from '../../../shared/domain/report-due';
import { buildCalendar } from '../../../shared/ics';
import type { Actor, Core } from '../context';
import { writeCsv } from '../csv/write';
import { dueList } from '../due/service';
import { listLocations, subtreeIds } from '../locations/service';
import { query } from '../sql/query';
import { taskTypeMap, today } from '../plans/service';
import { printHeader } from '../print/jobs';
import { outOfServiceList } from '../repairs/today';
import { locationsPart, scopedName, tasksPart } from './file-names';

/**
 * The due list the supervisor prints and exports: `dueList` (the query `wardkeep due` runs) in
 * walk order, with the filter in words. CSV and iCalendar are written exactly as the CLI writes
 * them (docs/cli.md: the same columns, the same event UIDs), so a calendar that imported one updates.
 */

/** The columns of `wardkeep due --format csv` (docs/cli.md): part of the published interface. */
export const DUE_FILE_FIELDS = [
  'asset_tag',
  'name',
  'location',
  'task',
  'due_date',
  'status',
  'days_overdue',
  'do_not_use',
  'risk',
  'ward',
  'room',
  'plan_id',
] as const;

export function dueRowsFor(core: Core, params: DueListParamsValue): { asOf: IsoDate; rows: DueRow[] } {
  const asOf = params.asOf ?? today(core);
  return { asOf, rows: dueList(core, { ...params, asOf, sort: 'walk' }) };
}

// Tagged out by a failed test (rule 12): the status in force, whichever PC logged the fail.
const taggedOutRows = query<{ id: string; asset_tag: string; name: string; location_id: string; task: string }>(
  `SELECT e.id, e.asset_tag, e.name, e.location_id, p.task FROM equipment e JOIN plans p ON p.id = e.tagged_out_by_plan_id
   WHERE e.status = 'out_of_service' ORDER BY e.asset_tag`,
);

/** The devices of the list's locations that must not be used because a test failed. */
export function taggedOutDevices(core: Core, locationIds: readonly string[] | undefined): TaggedOutDevice[] {
  const all = listLocations(core);
  const paths = new Map(all.map((l) => [l.id, l.path]));
  const inside = locationIds ? new Set(locationIds.flatMap((id) => subtreeIds(all, id))) : null;
  const types = taskTypeMap(core);
  return taggedOutRows
    .all(core)
    .filter((r) => !inside || inside.has(r.location_id))
    .map((r) => ({
      equipmentId: r.id,
      assetTag: r.asset_tag,
      name: r.name,
      location: paths.get(r.location_id) ?? '',
      taskLabel: types.get(r.task)?.label ?? r.task,
    }))
    .sort((a, b) => a.location.localeCompare(b.location) || a.assetTag.localeCompare(b.assetTag));
}

/** The file name of the list (PDF, CSV or calendar): its day, and the locations and tasks it was limited to. */
const dueListFileName = (core: Core, params: DueListParamsValue, asOf: IsoDate) =>
  scopedName(`due-list-${asOf}`, locationsPart(core, params.locationIds), tasksPart(params.tasks));

export function dueListDocument(core: Core, actor: Actor, params: DueListParamsValue): DueListDocument {
  const { asOf, rows } = dueRowsFor(core, params);
  const paths = new Map(listLocations(core).map((l) => [l.id, l.path]));
  const types = taskTypeMap(core);
  // The header's days are marked as days: the print window (and the screen's preview) writes them
  // the Settings way in its own locale, as it writes the rows, and the names as written (docs/architecture.md, "Printing").
  const filter = describeDueFilter(params, {
    asOf,
    locationPath: (id) => paths.get(id),
    taskLabel: (code) => types.get(code)?.label ?? code,
  });
  const counts: Record<DueStatus, number> = { overdue: 0, due: 0, scheduled: 0 };
  for (const r of rows) counts[r.status] += 1;
  return {
    view: 'due-list',
    header: printHeader(core, actor, { title: 'Due list', filter, fileName: dueListFileName(core, params, asOf) }),
    asOf,
    rows,
    counts,
    taggedOut: taggedOutDevices(core, params.locationIds),
    outOfService: params.outOfService ? outOfServiceList(core, params.locationIds ?? null) : null,
  };
}

export function dueCsv(rows: readonly DueRow[]): string {
  return writeCsv(
    DUE_FILE_FIELDS,
    rows.map((r) => [
      r.assetTag,
      r.name,
      r.location,
      r.task,
      r.dueDate,
      r.status,
      String(r.daysOverdue),
      r.doNotUse ? 'yes' : 'no',
      r.risk,
      r.ward,
      r.room,
      r.planId,
    ]),
  );
}

export function dueIcs(rows: readonly DueRow[], asOf: IsoDate, stamp: Date): string {
  return buildCalendar(
    rows.map((r) => ({
      uid: `${r.planId}-${r.dueDate}@wardkeep`,
      date: r.dueDate,
      summary: `${r.doNotUse ? 'DO NOT USE: ' : ''}${r.status === 'overdue' ? 'Overdue ' : ''}${r.taskLabel}: ${r.assetTag ? `${r.assetTag} ` : ''}${r.name}`,
      location: r.location,
      description:
        r.status === 'overdue'
          ? `${r.taskLabel} of ${r.name} was due on ${r.dueDate}: ${r.daysOverdue} day${r.daysOverdue === 1 ? '' : 's'} overdue on ${asOf}.`
          : `${r.taskLabel} of ${r.name} is due on ${r.dueDate} (${r.status} on ${asOf}).`,
      categories: [r.task],
    })),
    { prodId: '-//Wardkeep//Due list//EN', stamp, name: `Wardkeep due list, ${asOf}` },
  );
}

export function dueExport(core: Core, params: DueListParamsValue, format: DueExportFormat): ExportFile {
  const { asOf, rows } = dueRowsFor(core, params);
  const stamp = core.clock.now();
  const base = dueListFileName(core, params, asOf);
  return format === 'csv'
    ? { fileName: `${base}.csv`, content: dueCsv(rows), mimeType: 'text/csv;charset=utf-8' }
    : { fileName: `${base}.ics`, content: dueIcs(rows, asOf, stamp), mimeType: 'text/calendar;charset=utf-8' };
}
