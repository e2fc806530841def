import { z } from 'zod';
import { formatDaysIn } from '../date-format';
import { plural } from '../labels';
import { formatMinutes } from '../repairs/downtime';
import type { Risk } from './equipment';
import type { DueRow, DueStatus } from './plan';
import { DueQuery } from './plan';
import type { HeaderLine, PrintHeader } from './report';
import { headerDay, headerLine } from './report';
import type { DateFormatSetting } from './settings';
import type { OutOfServiceRow } from './work-order';
import { WAITING_FOR_LABELS, WORK_ORDER_STATE_LABELS } from './work-order';

/**
 * The due-list builder's filter: the due list's own query (the same one `wardkeep due` runs),
 * always in walk order (location and room, then due date) when printed.
 */
export const DueListParams = DueQuery.omit({ sort: true })
  .extend({
    /** Add the "Out of service — do not use" section: the devices out of service in those locations (issue 16). */
    outOfService: z.boolean().optional(),
  })
  .strict()
  .refine((p) => !p.dueOnOrAfter || !p.dueOnOrBefore || p.dueOnOrAfter <= p.dueOnOrBefore, {
    message: 'must be on or after the first day of the range',
    path: ['dueOnOrBefore'],
  });
export type DueListParamsInput = z.input<typeof DueListParams>;
export type DueListParamsValue = z.output<typeof DueListParams>;

export const DUE_EXPORT_FORMATS = ['csv', 'ics'] as const;
export type DueExportFormat = (typeof DUE_EXPORT_FORMATS)[number];

/** A device a failed calibration or safety test took out of service: off the due list, DO NOT USE. */
export interface TaggedOutDevice {
  equipmentId: string;
  assetTag: string;
  name: string;
  /** Its location's path (its ward): a hospital's list may span wards logged on other PCs. */
  location: string;
  /** The test that failed, e.g. "Electrical safety test". */
  taskLabel: string;
}

export interface DueListDocument {
  view: 'due-list';
  header: PrintHeader;
  asOf: string;
  /** In walk order: location (path order), then due date, then asset tag. */
  rows: DueRow[];
  counts: Record<DueStatus, number>;
  /** Devices in the list's locations tagged out by a failed test, in location order: printed first, DO NOT USE. */
  taggedOut: TaggedOutDevice[];
  /** The devices out of service in the locations, when asked for: the "do not use" section. */
  outOfService: OutOfServiceRow[] | null;
}

/*
 * The due list's devices not to use, in the same order and words on the printout and in the
 * screen's preview of it: first the devices a failed test took out of service (unless every device
 * out of service was asked for: they are in that section), then the tasks, then, when asked for,
 * every device out of service.
 */

/** The heading of the devices a failed test took out of service. */
export const TAGGED_OUT_TITLE = 'Out of service after a failed test: DO NOT USE';
/** The heading of the section asked for with `outOfService`. */
export const OUT_OF_SERVICE_TITLE = 'Out of service: do not use';
/** That section when no device in the list's locations is out of service. */
export const NO_DEVICE_OUT_OF_SERVICE = 'No device is out of service in the locations of this list.';

/** The devices a failed test took out of service, named before the tasks; none when the "out of service" section (which holds them) was asked for. */
export function taggedOutFirst(doc: Pick<DueListDocument, 'taggedOut' | 'outOfService'>): TaggedOutDevice[] {
  return doc.outOfService ? [] : doc.taggedOut;
}

/** Said after the count of tasks: "1 device out of service after a failed test: DO NOT USE.", or ''. */
export function taggedOutSentence(doc: Pick<DueListDocument, 'taggedOut' | 'outOfService'>): string {
  const first = taggedOutFirst(doc);
  return first.length > 0 ? `${plural(first.length, 'device')} out of service after a failed test: DO NOT USE.` : '';
}

/** Where a device out of service is: its ward, then its room. */
export function outOfServiceWhere(r: Pick<OutOfServiceRow, 'wardPath' | 'room'>): string {
  return [r.wardPath, r.room].filter(Boolean).join(' > ');
}

/** Why it is out of service, its days in the user's date format, or '—'. */
export function outOfServiceWhy(r: Pick<OutOfServiceRow, 'statusReason'>, dateFormat: DateFormatSetting): string {
  return r.statusReason ? formatDaysIn(r.statusReason, dateFormat) : '—';
}

/** Its open work order: "WO-0003: waiting for parts, open 2 d 4 h", or '—'. */
export function outOfServiceRepair(r: Pick<OutOfServiceRow, 'workOrder'>): string {
  const wo = r.workOrder;
  if (!wo) return '—';
  const waiting = wo.waitingFor ? ` ${WAITING_FOR_LABELS[wo.waitingFor]}` : '';
  return `${wo.ref}: ${WORK_ORDER_STATE_LABELS[wo.state].toLowerCase()}${waiting}, open ${formatMinutes(wo.ageMinutes)}`;
}

const RISK_WORDS: Record<Risk, string> = { high: 'high', medium: 'medium', low: 'low' };

const list = (items: readonly string[]) => items.join(', ');

/**
 * The filter in words, one line per criterion, for the header of the printed list (and the
 * builder's preview): the names of locations and tasks as written, the days marked (headerDay), so
 * that where the lines are shown the days alone are written the Settings way (report.ts, HeaderLine).
 */
export function describeDueFilter(
  params: DueListParamsValue,
  ctx: {
    asOf: string;
    locationPath: (id: string) => string | undefined;
    taskLabel: (code: string) => string;
  },
): HeaderLine[] {
  const day = headerDay;
  const lines: HeaderLine[] = [];
  const places = params.locationIds?.map((id) => ctx.locationPath(id) ?? 'a location that no longer exists') ?? [];
  lines.push(places.length > 0 ? headerLine`Locations: ${list(places)}` : headerLine`Locations: all`);
  lines.push(params.tasks && params.tasks.length > 0 ? headerLine`Tasks: ${list(params.tasks.map(ctx.taskLabel))}` : headerLine`Tasks: all`);
  const statuses = params.statuses && params.statuses.length > 0 ? params.statuses : (['overdue', 'due', 'scheduled'] as const);
  // A scheduled plan is listed only up to a horizon (asOf + withinDays, or the range's end): with
  // neither, or 0 days, none is, which the line says rather than leaving "scheduled" out unsaid.
  const horizon = (params.withinDays ?? 0) > 0 || params.dueOnOrBefore !== undefined;
  const words = statuses.map((s) => {
    if (s !== 'scheduled') return s;
    if (params.withinDays) return `scheduled within ${params.withinDays} day${params.withinDays === 1 ? '' : 's'}`;
    return horizon ? 'scheduled' : null;
  });
  const named = words.filter((w): w is string => w !== null);
  const askedScheduled = params.statuses?.includes('scheduled') === true;
  if (askedScheduled && !horizon)
    named.push(params.withinDays === 0 ? 'scheduled within 0 days (none listed)' : 'scheduled (none listed: no number of days was given)');
  lines.push(headerLine`Status: ${list(named)}`);
  if (params.dueOnOrAfter && params.dueOnOrBefore) lines.push(headerLine`Due between ${day(params.dueOnOrAfter)} and ${day(params.dueOnOrBefore)}`);
  else if (params.dueOnOrAfter) lines.push(headerLine`Due on or after ${day(params.dueOnOrAfter)}`);
  else if (params.dueOnOrBefore) lines.push(headerLine`Due on or before ${day(params.dueOnOrBefore)}`);
  if (params.risks && params.risks.length > 0) lines.push(headerLine`Risk: ${list(params.risks.map((r) => RISK_WORDS[r]))}`);
  if (params.outOfService) lines.push(headerLine`With the devices out of service: do not use`);
  lines.push(headerLine`As of ${day(ctx.asOf)}`);
  return lines;
}
