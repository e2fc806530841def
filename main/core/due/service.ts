import type { IsoDate } from '../../../shared/domain/common';
import type { Risk } from '../../../shared/domain/equipment';
import type { Location } from '../../../shared/domain/location';
import type { DueRow, DueStatus, TaskType, TodayView, UrgentPlan, WardCount } from '../../../shared/domain/plan';
import type { PlanStatus } from '../../../shared/scheduling';
import { addDaysTo, isInService, PLAN_STATUSES, planStatus } from '../../../shared/scheduling';
import type { Core } from '../context';
import { listLocations, subtreeIds } from '../locations/service';
import { byPlaceName } from '../../../shared/domain/location';
import { taskTypeMap, today } from '../plans/service';
import { getSettings } from '../settings/service';
import { builtTuples, query, tuples } from '../sql/query';
import { keptUntilChange } from '../sql/until-change';
import type { EquipmentRow, PlanRow, UserRow } from '../sql/rows';

/**
 * The scheduler's reads. Every plan's next due date and the first day it is due (`due_from`) are
 * kept current by each write (scheduler.ts), so "what is due on day T" is a range scan of the
 * partial index `plans_due (due_from) WHERE active = 1` up to T, joined to each row's target by
 * primary key: never a scan of completions or of all plans. Statuses come from the shared rules
 * (planStatus), computed for the day asked, so they are right whenever they are read.
 */

const homeWard = query<{ id: UserRow['home_location_id'] }, { userId: string }>(
  'SELECT u.home_location_id AS id FROM users u JOIN locations l ON l.id = u.home_location_id WHERE u.id = @userId AND l.active = 1',
);

interface Place {
  path: string;
  /** Position in path order, for sorting by location without comparing strings. */
  rank: number;
  wardId: string;
  wardPath: string;
  ward: string | null;
  room: string | null;
}

/** Where each location sits: its path, and the ward (or site) a due list groups it under. */
export function placesOf(all: readonly Location[]): Map<string, Place> {
  const byId = new Map(all.map((l) => [l.id, l]));
  const places = new Map<string, Place>();
  all.forEach((l, rank) => {
    const chain: Location[] = [];
    const seen = new Set<string>();
    for (let cur: Location | undefined = l; cur && !seen.has(cur.id); cur = cur.parentId ? byId.get(cur.parentId) : undefined) {
      seen.add(cur.id);
      chain.unshift(cur);
    }
    const ward = chain.find((c) => c.kind === 'ward') ?? null;
    const group = ward ?? chain[0] ?? l;
    places.set(l.id, {
      path: l.path,
      rank,
      wardId: group.id,
      wardPath: group.path,
      ward: ward?.name ?? null,
      room: l.kind === 'room' ? l.name : null,
    });
  });
  return places;
}

const NOWHERE: Place = { path: '', rank: Number.MAX_SAFE_INTEGER, wardId: '', wardPath: '', ward: null, room: null };

/** Subtrees already expanded, per list of locations read (dueLookups keeps that list while nothing changes). */
const expanded = new WeakMap<readonly Location[], Map<string, string[]>>();

/** The locations named and everything inside each, or null for "everywhere". */
function expandLocations(all: readonly Location[], locationIds: readonly string[] | undefined): string[] | null {
  if (locationIds === undefined) return null;
  let byKey = expanded.get(all);
  if (!byKey) {
    byKey = new Map();
    expanded.set(all, byKey);
  }
  const key = locationIds.join('\u0000');
  let found = byKey.get(key);
  if (!found) {
    const out = new Set<string>();
    for (const id of locationIds) for (const inside of subtreeIds(all, id)) out.add(inside);
    found = [...out];
    if (byKey.size >= 64) byKey.clear();
    byKey.set(key, found);
  }
  return found;
}

/** Rule 10's answer for a due date and timing, with the due date as a day number (the lists' sort key). */
interface Timing {
  status: PlanStatus;
  daysOverdue: number;
  day: number;
}
type StatusMemo = (nextDue: string, windowDays: number, graceDays: number) => Timing;
/** The memos of the last few days asked (a PC asks about today, and the odd other day). */
const statusMemos = new Map<IsoDate, StatusMemo>();

/**
 * Rule 10 on day T for many rows: plans share due dates, so each distinct (due date, window, grace)
 * is evaluated once by the shared planStatus, keyed without building a string per row, and kept
 * for the next list asked about the same day (the answer depends on nothing else).
 */
function statusMemo(asOf: IsoDate): StatusMemo {
  let kept = statusMemos.get(asOf);
  if (!kept) {
    if (statusMemos.size >= 8) statusMemos.clear();
    kept = newStatusMemo(asOf);
    statusMemos.set(asOf, kept);
  }
  return kept;
}

function newStatusMemo(asOf: IsoDate): StatusMemo {
  const memo = new Map<string, Map<number, Timing>>();
  return (nextDue, windowDays, graceDays) => {
    let byTiming = memo.get(nextDue);
    if (!byTiming) {
      byTiming = new Map();
      memo.set(nextDue, byTiming);
    }
    const key = windowDays * 100_000 + graceDays;
    let found = byTiming.get(key);
    if (!found) {
      found = { ...planStatus({ nextDue, windowDays, graceDays }, asOf, true), day: dayNumber(nextDue) };
      byTiming.set(key, found);
    }
    return found;
  };
}

/** A `YYYY-MM-DD` date as a whole number that sorts as the dates do (for numeric sort keys). */
function dayNumber(date: string): number {
  return Number(date.slice(0, 4)) * 372 + Number(date.slice(5, 7)) * 31 + Number(date.slice(8, 10));
}

export interface DueListOptions {
  asOf: IsoDate;
  /** Also plans `scheduled` with a due date within this many days after `asOf`. */
  withinDays?: number | undefined;
  /** Each with its whole subtree. */
  locationIds?: readonly string[] | undefined;
  tasks?: readonly string[] | undefined;
  risks?: readonly Risk[] | undefined;
  statuses?: readonly DueStatus[] | undefined;
  /** `status`: overdue first, then due date, location, asset tag (docs/cli.md). `walk`: location, then due date (printing). */
  sort: 'status' | 'walk';
  /** Only plans due on or after / on or before these days; a later end also widens the scheduled horizon. */
  dueOnOrAfter?: IsoDate | undefined;
  dueOnOrBefore?: IsoDate | undefined;
}

interface Filter {
  where: string;
  params: Record<string, unknown>;
}

/**
 * The WHERE clause every due read shares: active plans the index finds up to `upTo`, whose target
 * is in service (rule 11: a device out of service, retired or missing has its plans suspended;
 * a stock location must be active), narrowed by location, task and risk.
 */
function dueFilter(
  upTo: IsoDate,
  locations: string[] | null,
  tasks?: readonly string[],
  risks?: readonly Risk[],
  range: { dueOnOrAfter?: IsoDate | undefined; dueOnOrBefore?: IsoDate | undefined } = {},
): Filter {
  // target_in_service and target_* mirror the device or stock location (migration 0005, kept by triggers).
  const clauses = ['p.active = 1', 'p.target_in_service = 1', 'p.due_from <= @upTo'];
  const params: Record<string, unknown> = { upTo };
  if (locations) {
    clauses.push('p.target_location_id IN (SELECT value FROM json_each(@locations))');
    params.locations = JSON.stringify(locations);
  }
  if (tasks) {
    clauses.push('p.task IN (SELECT value FROM json_each(@tasks))');
    params.tasks = JSON.stringify(tasks);
  }
  if (risks) {
    clauses.push('p.target_risk IN (SELECT value FROM json_each(@risks))');
    params.risks = JSON.stringify(risks);
  }
  if (range.dueOnOrAfter) {
    clauses.push('p.next_due >= @dueOnOrAfter');
    params.dueOnOrAfter = range.dueOnOrAfter;
  }
  if (range.dueOnOrBefore) {
    clauses.push('p.next_due <= @dueOnOrBefore');
    params.dueOnOrBefore = range.dueOnOrBefore;
  }
  return { where: clauses.join(' AND '), params };
}

/**
 * plans_due covers everything read (migration 0005): one index range, no other table touched. A
 * list of some locations seeks each in plans_ward_due, the same index led by the location
 * (migration 0009), instead of walking the whole hospital's due range.
 */
const targets = (locations: string[] | null) => `FROM plans p INDEXED BY ${locations ? 'plans_ward_due' : 'plans_due'}`;

/** The SQL of the due list: also what the benchmark times as its floor. */
export function dueListSql(options: Omit<DueListOptions, 'sort' | 'statuses'>, all: readonly Location[]): { sql: string; params: Record<string, unknown> } {
  const locations = expandLocations(all, options.locationIds);
  const f = dueFilter(horizon(options), locations, options.tasks, options.risks, options);
  return {
    sql: `SELECT p.id, p.equipment_id, p.stock_location_id, p.task, p.next_due, p.window_days, p.grace_days,
            p.target_location_id, p.target_tag, p.target_name, p.target_risk
          ${targets(locations)}
          WHERE ${f.where}`,
    params: f.params,
  };
}

/** The last due date a `scheduled` plan may have to be listed: asOf + withinDays, or the range's end if later. */
const LAST_DAY = '9999-12-31';
const minDay = (a: string, b: string): IsoDate => (a.length > b.length || a > b ? b : a) as IsoDate;

function horizon(options: Pick<DueListOptions, 'asOf' | 'withinDays' | 'dueOnOrBefore'>): IsoDate {
  // Past the calendar's last day a five-digit year would sort as text before every due date: capped.
  const upTo = options.withinDays ? minDay(addDaysTo(options.asOf, options.withinDays), LAST_DAY) : options.asOf;
  return options.dueOnOrBefore && options.dueOnOrBefore > upTo ? options.dueOnOrBefore : upTo;
}

type DueSqlRow = [
  id: string,
  equipmentId: string | null,
  stockLocationId: string | null,
  task: string,
  nextDue: string,
  windowDays: number,
  graceDays: number,
  locationId: string,
  assetTag: string | null,
  name: string,
  risk: Risk | null,
];

const STATUS_RANK: Record<DueStatus, number> = { overdue: 0, due: 1, scheduled: 2 };

/** The due rows read and ordered, each made into a DueRow only when asked for (Today makes the first of those it read whole). */
interface DueRead {
  /** Row numbers in the list's order. */
  order: number[];
  build(i: number): DueRow;
}

/**
 * The locations, their places and the task types every due list needs, read once and kept until
 * the database changes (issue 17: on a ward PC's home screen they cost more than the ward's due
 * rows; sql/until-change.ts).
 */
interface DueLookups {
  all: Location[];
  places: Map<string, Place>;
  types: Map<string, TaskType>;
}
const dueLookups = keptUntilChange((core: Core): DueLookups => {
  const all = listLocations(core);
  return { all, places: placesOf(all), types: taskTypeMap(core) };
});

/** Every location and its place, kept until the database changes (Today's out-of-service list reads them beside the due list). */
export const locationsAndPlaces = (core: Core): Pick<DueLookups, 'all' | 'places'> => dueLookups(core);

/** The list's numeric sort key: status, due date, location (`status`); or location, due date (`walk`). */
function sortKey(walk: boolean, status: DueStatus, day: number, rank: number): number {
  const r = Math.min(rank, 99_999);
  return walk ? r * 1e6 + day : STATUS_RANK[status] * 1e12 + day * 1e5 + r;
}

function readDue(core: Core, options: DueListOptions): DueRead {
  const lookups = dueLookups(core);
  const { sql, params } = dueListSql(options, lookups.all);
  return readDueRows(lookups, options, builtTuples<DueSqlRow, Record<string, unknown>>(sql).all(core, params));
}

/**
 * Rule 10 on `asOf` for a row the index found, or null for one the list leaves out: suspended,
 * scheduled beyond the horizon, or of a status not asked for.
 */
function judge(options: DueListOptions): (nextDue: string, windowDays: number, graceDays: number) => Timing | null {
  const upTo = horizon(options);
  const wanted = new Set<DueStatus>(options.statuses ?? ['overdue', 'due', 'scheduled']);
  const statusOf = statusMemo(options.asOf);
  // Rows come in the index's order, so a row often has the timing of the one before: kept at hand.
  let lastDue = '';
  let lastKey = -1;
  let last: Timing | null = null;
  return (nextDue, windowDays, graceDays) => {
    const key = windowDays * 100_000 + graceDays;
    const timing = last !== null && key === lastKey && nextDue === lastDue ? last : statusOf(nextDue, windowDays, graceDays);
    lastDue = nextDue;
    lastKey = key;
    last = timing;
    const status = timing.status;
    if (status === 'suspended' || (status === 'scheduled' && nextDue > upTo) || !wanted.has(status)) return null;
    return timing;
  };
}

/**
 * Due rows read from the index judged on `asOf` (the suspended and those beyond the horizon left
 * out) and ordered. The rows kept, their timings and places sit in parallel arrays and the keys in
 * a Float64Array, so the sort compares numbers read straight from memory and falls back to the
 * asset tag only on ties (issue 17: a ward's list is within 1.5× of its SQL).
 */
function readDueRows({ places, types }: DueLookups, options: DueListOptions, rows: readonly DueSqlRow[]): DueRead {
  const judged = judge(options);
  const raws: DueSqlRow[] = [];
  const timings: Timing[] = [];
  const spots: Place[] = [];
  const keys = new Float64Array(rows.length);
  const walk = options.sort === 'walk';
  // The index is led by the location (a ward's list) or the due date: the row before often shares both.
  let lastLocation: string | null = null;
  let place = NOWHERE;
  for (const r of rows) {
    const timing = judged(r[4], r[5], r[6]);
    if (!timing) continue;
    if (r[7] !== lastLocation) {
      lastLocation = r[7];
      place = places.get(lastLocation) ?? NOWHERE;
    }
    keys[raws.length] = sortKey(walk, timing.status as DueStatus, timing.day, place.rank);
    raws.push(r);
    timings.push(timing);
    spots.push(place);
  }
  const order: number[] = [];
  for (let i = 0; i < raws.length; i++) order.push(i);
  order.sort((a, b) => {
    const byKey = keys[a]! - keys[b]!;
    if (byKey !== 0) return byKey;
    const ra = raws[a]!;
    const rb = raws[b]!;
    const ta = ra[8] ?? '';
    const tb = rb[8] ?? '';
    return ta < tb ? -1 : ta > tb ? 1 : ra[0] < rb[0] ? -1 : 1;
  });
  return {
    order,
    build: (i) => {
      const r = raws[i]!;
      const place = spots[i]!;
      const timing = timings[i]!;
      const status = timing.status as DueStatus;
      const task = types.get(r[3]);
      return {
        planId: r[0],
        equipmentId: r[1],
        stockLocationId: r[2],
        assetTag: r[8],
        name: r[9],
        locationId: r[7],
        location: place.path,
        wardId: place.wardId,
        wardPath: place.wardPath,
        ward: place.ward,
        room: place.room,
        task: r[3],
        taskLabel: task?.label ?? r[3],
        dueDate: r[4],
        status,
        daysOverdue: timing.daysOverdue,
        windowDays: r[5],
        graceDays: r[6],
        risk: r[10],
        doNotUse: status === 'overdue' && (task?.overdueBlocksUse ?? false),
      };
    },
  };
}

/**
 * The due list on day `asOf`: plans `overdue` or `due`, plus, with `withinDays`, those `scheduled`
 * with a due date no later than asOf + withinDays. Suspended plans never appear.
 */
export function dueList(core: Core, options: DueListOptions): DueRow[] {
  const read = readDue(core, options);
  return read.order.map(read.build);
}

/**
 * The first `limit` rows of the due list, how many there are, and the counts per ward: what Today
 * shows, proportional to it (issue 17). One pass over the due range reads four numbers and the
 * location per plan (the counts need no more), keys each row as the list orders it, and keeps the
 * rows whose key is among the first `limit`; only those are read whole (by rowid) and made into
 * objects.
 */
export function duePage(core: Core, options: DueListOptions, limit: number): { rows: DueRow[]; total: number; counts: WardCount[] } {
  const lookups = dueLookups(core);
  const { all, places } = lookups;
  const locations = expandLocations(all, options.locationIds);
  const f = dueFilter(horizon(options), locations, options.tasks, options.risks, options);
  const judged = judge(options);
  const walk = options.sort === 'walk';
  const rowids: number[] = [];
  const keys: number[] = [];
  // Per location: its place and its counts (one map lookup per row; summed per ward below).
  const perLocation = new Map<string, { place: Place; overdue: number; due: number }>();
  const light = builtTuples<[number, string, number, number, string], Record<string, unknown>>(
    `SELECT p.rowid, p.next_due, p.window_days, p.grace_days, p.target_location_id ${targets(locations)} WHERE ${f.where}`,
  );
  for (const [rowid, nextDue, windowDays, graceDays, locationId] of light.all(core, f.params)) {
    const timing = judged(nextDue, windowDays, graceDays);
    if (!timing) continue;
    const status = timing.status as DueStatus;
    let at = perLocation.get(locationId);
    if (!at) {
      at = { place: places.get(locationId) ?? NOWHERE, overdue: 0, due: 0 };
      perLocation.set(locationId, at);
    }
    rowids.push(rowid);
    keys.push(sortKey(walk, status, timing.day, at.place.rank));
    if (status !== 'scheduled') at[status] += 1;
  }
  const byWard = new Map<string, WardCount>();
  for (const { place, overdue, due } of perLocation.values()) {
    if (overdue + due === 0) continue;
    let c = byWard.get(place.wardId);
    if (!c) {
      c = { wardId: place.wardId, wardPath: place.wardPath, overdue: 0, due: 0 };
      byWard.set(place.wardId, c);
    }
    c.overdue += overdue;
    c.due += due;
  }
  const counts = [...byWard.values()].sort((a, b) => byPlaceName(a.wardPath, b.wardPath));
  if (rowids.length === 0 || limit <= 0) return { rows: [], total: rowids.length, counts };
  // The limit-th smallest key: every row up to it (ties at it included) may be among the first rows.
  const sorted = Float64Array.from(keys).sort();
  const last = sorted[Math.min(limit, sorted.length) - 1]!;
  const shown = rowids.filter((_, i) => keys[i]! <= last);
  // Read whole through the same filter, so a row written meanwhile is shown as it now is, or not at all.
  const whole = builtTuples<DueSqlRow, Record<string, unknown>>(
    `SELECT p.id, p.equipment_id, p.stock_location_id, p.task, p.next_due, p.window_days, p.grace_days,
       p.target_location_id, p.target_tag, p.target_name, p.target_risk
     FROM json_each(@rowids) j CROSS JOIN plans p
     WHERE p.rowid = j.value AND ${f.where}`,
  );
  const read = readDueRows(lookups, options, whole.all(core, { ...f.params, rowids: JSON.stringify(shown) }));
  return { rows: read.order.slice(0, limit).map(read.build), total: rowids.length, counts };
}

/** The SQL of the counts per ward: the rows it reads, which the benchmark also times as its floor. */
export function dueCountsSql(asOf: IsoDate, locations: string[] | null): { sql: string; params: Record<string, unknown> } {
  const f = dueFilter(asOf, locations);
  return {
    sql: `SELECT p.target_location_id, p.next_due, p.window_days, p.grace_days
          ${targets(locations)}
          WHERE ${f.where}`,
    params: f.params,
  };
}

/**
 * Overdue and due plans per ward on `asOf` (wards with none are left out), in path order: the same
 * index range scan as the due list, reading four columns, counted here (a GROUP BY in SQL would
 * sort them in a temporary B-tree, which is slower) with the shared status rule memoised per rule.
 */
export function dueCounts(core: Core, options: { asOf: IsoDate; locationIds?: readonly string[] | undefined }): WardCount[] {
  const { all, places } = dueLookups(core);
  const { sql, params } = dueCountsSql(options.asOf, expandLocations(all, options.locationIds));
  const statusOf = statusMemo(options.asOf);
  const byLocation = new Map<string | null, { overdue: number; due: number }>();
  const rows = builtTuples<[PlanRow['target_location_id'], PlanRow['next_due'], PlanRow['window_days'], PlanRow['grace_days']], Record<string, unknown>>(sql);
  for (const [loc, nextDue, windowDays, graceDays] of rows.all(core, params)) {
    const { status } = statusOf(nextDue, windowDays, graceDays);
    if (status !== 'overdue' && status !== 'due') continue;
    let count = byLocation.get(loc);
    if (!count) {
      count = { overdue: 0, due: 0 };
      byLocation.set(loc, count);
    }
    count[status] += 1;
  }
  const byWard = new Map<string, WardCount & { rank: number }>();
  for (const [loc, count] of byLocation) {
    const place = (loc === null ? undefined : places.get(loc)) ?? NOWHERE;
    let ward = byWard.get(place.wardId);
    if (!ward) {
      ward = { wardId: place.wardId, wardPath: place.wardPath, overdue: 0, due: 0, rank: places.get(place.wardId)?.rank ?? place.rank };
      byWard.set(place.wardId, ward);
    }
    ward.overdue += count.overdue;
    ward.due += count.due;
  }
  return [...byWard.values()].sort((a, b) => a.rank - b.rank).map(({ rank: _rank, ...c }) => c);
}

/** The active plans of the listed devices (`@ids`, a JSON array), through `plans_equipment`. */
export const URGENT_SQL = `SELECT p.id, p.equipment_id, p.task, p.next_due, p.window_days, p.grace_days, e.status
  FROM json_each(@ids) j
  JOIN plans p INDEXED BY plans_equipment ON p.equipment_id = j.value
  JOIN equipment e ON e.id = p.equipment_id
  WHERE p.active = 1`;

const urgentTuples = tuples<
  [PlanRow['id'], string, PlanRow['task'], PlanRow['next_due'], PlanRow['window_days'], PlanRow['grace_days'], EquipmentRow['status']],
  { ids: string }
>(URGENT_SQL);

const URGENCY: Record<PlanStatus, number> = Object.fromEntries(PLAN_STATUSES.map((s, i) => [s, i])) as Record<PlanStatus, number>;

/**
 * Each device's most urgent active plan on `today` (overdue before due before scheduled before
 * suspended; then the earlier due date), for red flags and the "next due" column of lists. A device
 * with no active plan is absent. One probe of `plans_equipment` per device.
 */
export function urgentPlans(core: Core, equipmentIds: readonly string[], on: IsoDate): Map<string, UrgentPlan> {
  const out = new Map<string, UrgentPlan>();
  if (equipmentIds.length === 0) return out;
  const { types } = dueLookups(core);
  const rows = urgentTuples.all(core, { ids: JSON.stringify(equipmentIds) });
  for (const [planId, equipmentId, task, nextDue, windowDays, graceDays, equipmentStatus] of rows) {
    const { status, daysOverdue } = planStatus({ nextDue, windowDays, graceDays }, on, isInService(equipmentStatus));
    const type = types.get(task);
    const blocks = status === 'overdue' && (type?.overdueBlocksUse ?? false);
    const candidate: UrgentPlan = { equipmentId, planId, task, taskLabel: type?.label ?? task, dueDate: nextDue, status, daysOverdue, doNotUse: blocks };
    const best = out.get(equipmentId);
    if (!best) {
      out.set(equipmentId, candidate);
      continue;
    }
    const doNotUse = best.doNotUse || blocks;
    const better =
      URGENCY[candidate.status] < URGENCY[best.status] ||
      (URGENCY[candidate.status] === URGENCY[best.status] && (candidate.dueDate < best.dueDate || (candidate.dueDate === best.dueDate && blocks)));
    out.set(equipmentId, { ...(better ? candidate : best), doNotUse });
  }
  return out;
}

/** Overdue and due per ward of rows already read (the home screen has them: no second scan), in path order. */
export function countsOf(rows: readonly DueRow[]): WardCount[] {
  const byWard = new Map<string, WardCount>();
  for (const r of rows) {
    if (r.status === 'scheduled') continue;
    let c = byWard.get(r.wardId);
    if (!c) {
      c = { wardId: r.wardId, wardPath: r.wardPath, overdue: 0, due: 0 };
      byWard.set(r.wardId, c);
    }
    c[r.status] += 1;
  }
  return [...byWard.values()].sort((a, b) => byPlaceName(a.wardPath, b.wardPath));
}

/** The location the home screen starts on: the user's home ward, else this PC's ward, else all. */
export function homeLocation(core: Core, userId: string | null): { locationId: string | null; source: TodayView['defaultSource'] } {
  if (userId) {
    const user = homeWard.get(core, { userId });
    if (user?.id) return { locationId: user.id, source: 'user' };
  }
  // A ward taken off the lists counts as none (getSettings): Today starts on the whole hospital.
  const pc = getSettings(core).defaultLocationId;
  if (pc) return { locationId: pc, source: 'pc' };
  return { locationId: null, source: 'all' };
}

/** The home screen's "Today": the due list for a location (or all) and the counts per ward. */
/** Rows Today sends when no limit is asked (the screen asks for fewer: renderer/src/lib/today.ts). */
export const TODAY_LIMIT = 500;

export function todayView(core: Core, userId: string | null, input: { locationId?: string | null | undefined; limit?: number | undefined }): TodayView {
  const asOf = today(core);
  const home = homeLocation(core, userId);
  const locationId = input.locationId === undefined ? home.locationId : input.locationId;
  const locationIds = locationId ? [locationId] : undefined;
  const page = duePage(core, { asOf, locationIds, sort: 'status' }, input.limit ?? TODAY_LIMIT);
  const path = locationId ? (dueLookups(core).all.find((l) => l.id === locationId)?.path ?? null) : null;
  return {
    asOf,
    locationId,
    locationPath: path,
    defaultLocationId: home.locationId,
    defaultSource: home.source,
    rows: page.rows,
    total: page.total,
    counts: page.counts,
  };
}

/**
 * For the desktop notification: how many plans are overdue on `asOf`, and which became overdue
 * after `since` (the day of the last notice; null: never), i.e. whose first overdue day,
 * due date + grace + 1, falls after it.
 */
export function overdueSince(
  core: Core,
  options: { asOf: IsoDate; since: IsoDate | null; locationIds?: readonly string[] | undefined },
): { overdue: number; newlyOverdue: DueRow[] } {
  const overdue = dueList(core, { asOf: options.asOf, locationIds: options.locationIds, statuses: ['overdue'], sort: 'status' });
  const since = options.since;
  const newlyOverdue = since === null ? overdue : overdue.filter((r) => addDaysTo(r.dueDate, r.graceDays + 1) > since);
  return { overdue: overdue.length, newlyOverdue };
}

