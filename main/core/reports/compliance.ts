import type { IsoDate } from '../../../shared/domain/common';
import { ReportStoppedError } from '../errors';
import type { ExportFile, HeaderLine } from '../../../shared/domain/report';
import { headerDay, headerLine } from '../../../shared/domain/report';
import type {
  ComplianceCsvPart,
  ComplianceDocument,
  ComplianceException,
  ComplianceParamsValue,
  ComplianceReport,
  ComplianceRow,
  RiskClass,
} from '../../../shared/domain/report-compliance';
import { exceptionNote, RISK_CLASSES, RISK_CLASS_LABELS } from '../../../shared/domain/report-compliance';
import { RISKS, STATUS_LABELS } from '../../../shared/domain/equipment';
import { OUTCOME_LABELS } from '../../../shared/domain/plan';
import type { CompletionFact, CompliancePeriod, Interval, OccurrenceVerdict, PlanRule, Verdict } from '../../../shared/scheduling';
import {
  addDaysTo,
  addInterval,
  advances,
  daysBetween,
  exempts,
  firstOccurrenceOnOrAfter,
  INTERVAL_UNITS,
  nominalDays,
  occurrence,
  occurrenceVerdicts,
  noVerdicts,
  OUTCOMES,
  PLAN_MODES,
  summariseCounts,
} from '../../../shared/scheduling';
import { localDate } from '../clock';
import type { Actor, Core } from '../context';
import { builtTuples, query, tuples } from '../sql/query';
import type { CompletionRow, PlanRow } from '../sql/rows';
import { writeCsv } from '../csv/write';
import { listLocations, subtreeIds } from '../locations/service';
import { listTaskTypes, today } from '../plans/service';
import { printHeader } from '../print/jobs';
import { ruleOf } from '../plans/scheduler';
import { notInServiceSpells } from '../status/spells';
import { periodBounds } from '../../../shared/repairs/downtime';
import { exemptWhileOutOfService, outOfServiceNote } from './out-of-service';
import { locationsPart, scopedName, tasksPart } from './file-names';
import { inUseParts, planSwitches, plansSwitchedByDecisionSince } from './plan-in-use';

/** The first instant after the period's last local day. */
const periodEndInstant = (to: IsoDate) => new Date(periodBounds(to, to).end).toISOString();
/** The first instant of a local day. */
const dayStartInstant = (day: IsoDate) => new Date(periodBounds(day, day).start).toISOString();

/**
 * The compliance report (docs/scheduling.md, "Compliance") for a period and locations: every plan's
 * occurrences due in the period with their verdicts, counted per task type and risk class, and
 * each high-risk device's occurrences that were not done on time.
 *
 * A few reads per 2,000 plans: the plans with their targets (once), each plan's completions from
 * the first that can matter (about an interval before the period) to the period's end in one
 * statement per slice of plans, seeking `completions_plan` per plan (the whole history of the few
 * plans that need it), and the amendments once (amended records replaced by their newest
 * amendment, as the scheduler counts them). The verdicts are the shared occurrenceVerdicts, judged at the period's end or today if that is earlier.
 * A deactivated plan counts until the day before it was deactivated; one brought back since counts
 * again from the day it was brought back, not in the days it was out of use (plan-in-use.ts: the
 * audit trail's switches, "Use the other" on a conflict about it included, of the few plans changed
 * or so switched since about the period's start).
 */

/**
 * A plan in scope, with its target's risk (a device's, or a stock location's). When it was last
 * changed is read only for a deactivated plan (lastCountedDay) and for one changed since about the
 * period's start (it may have been brought back: plan-in-use.ts), and the target's tag, name and
 * place only for the plans listed among the high-risk exceptions (targetOf): three or four strings
 * fewer per plan read, 150,000 plans at 50,000 devices (issue 17).
 */
type ScopedPlan = Pick<PlanRow, 'id' | 'equipment_id' | 'task' | 'interval_n' | 'interval_unit' | 'mode' | 'start_date' | 'window_days' | 'grace_days' | 'active'> & {
  /** Null while the plan is active and has not been changed since it was made or since `changedSince` (plansInScope). */
  updated_at: PlanRow['updated_at'] | null;
  risk: PlanRow['target_risk'];
};

/** The target's tag, name and place a plan keeps (`target_*`, as the due lists read them), for the exceptions. */
const targetOf = query<Pick<PlanRow, 'target_tag' | 'target_name' | 'target_location_id'>, { id: string }>(
  'SELECT target_tag, target_name, target_location_id FROM plans WHERE id = @id',
);

/** Every amendment: its row, the row of the record it amends (if that exists), when it was made, its id, the id it amends. */
const amendmentTuples = tuples<[number, number | null, CompletionRow['created_at'], CompletionRow['id'], string]>(
  `SELECT a.rowid, t.rowid, a.created_at, a.id, a.amends_id
   FROM completions a INDEXED BY completions_amends
   LEFT JOIN completions t ON t.id = a.amends_id
   WHERE a.amends_id IS NOT NULL`,
);
/**
 * When each plan's first record signed in the app was entered (one statement for all): imported
 * history entered after it does not count. One seek per plan in `completions_plan_signed`, which
 * holds only the records not imported, by when they were entered (migration 0018; issue 17: it
 * read each plan's whole history before).
 */
const firstSignedTuples = tuples<[string, string | null], { plans: string }>(
  `SELECT j.value, (SELECT min(coalesce(c.entered_at, c.created_at)) FROM completions c INDEXED BY completions_plan_signed
                    WHERE c.plan_id = j.value AND c.source <> 'import')
   FROM json_each(@plans) j`,
);

/**
 * A record as the report reads it: numbers where it can (issue 17: a year at 50,000 devices reads
 * a million, and each string made costs): the plan's place in the list asked about, the record's
 * row, its outcome's place in OUTCOMES (OUTCOME_AT), whether it amends another, whether it is
 * imported history, and when it was entered (null: when it was done).
 */
type RecordTuple = [
  planAt: number,
  row: number,
  performedAt: CompletionRow['performed_at'],
  performedOn: CompletionRow['performed_on'],
  outcome: number | string,
  isAmendment: 0 | 1,
  imported: 0 | 1,
  enteredAt: string | null,
];

/**
 * A column read as its value's place in `values`: a number, not a string made per row read (issue
 * 17: a year at 50,000 devices reads a million records and 150,000 plans, and each string made
 * costs more than the row's read). A value outside the list (one the schema forbids: the file
 * edited with sqlite3) comes as its own text, and valueAt gives it back as it is. The app's own
 * lists are written into the statement; values the database holds (task codes) are bound as
 * `@<param><i>` (placeArgs), never written into its text.
 */
const placeIn = (column: string, values: readonly string[], param?: string) =>
  `CASE ${column} ${values.map((v, i) => `WHEN ${param ? `@${param}${i}` : `'${v}'`} THEN ${i}`).join(' ')} ELSE ${column} END`;
const placeArgs = (values: readonly string[], param: string) => Object.fromEntries(values.map((v, i) => [`${param}${i}`, v]));
function valueAt<T extends string>(values: readonly T[], at: number | string): T;
function valueAt<T extends string>(values: readonly T[], at: number | string | null): T | null;
function valueAt<T extends string>(values: readonly T[], at: number | string | null): T | null {
  return typeof at === 'number' ? values[at]! : (at as T | null);
}

/**
 * A record's outcome as its place in OUTCOMES, and when it was entered only if that is not when it
 * was done (as nearly every record is): numbers and nulls, not two strings made per record read.
 */
const OUTCOME_AT = placeIn('c.outcome', OUTCOMES);

/**
 * Each plan's records from before its bound (see readFrom): what windowTuples left out, for the
 * plans whose verdicts need it. Both statements keep the records done up to the end
 * (`performed_on <= @end`) and read the index only up to `@upTo` (readUpTo), a few days past the
 * end (issue 17: a past period read each plan's records on to its newest, so a month a year back
 * also read the year after it).
 */
const beforeTuples = tuples<RecordTuple, { plans: string; end: string; upTo: string }>(
  `SELECT j.key, c.rowid, c.performed_at, c.performed_on, ${OUTCOME_AT}, c.amends_id IS NOT NULL, c.source = 'import', nullif(coalesce(c.entered_at, c.created_at), c.performed_at)
   FROM json_each(@plans) j
   JOIN completions c INDEXED BY completions_plan ON c.plan_id = j.value ->> 0 AND c.performed_at < j.value ->> 1 AND c.performed_at < @upTo
   WHERE c.performed_on <= @end`,
);

/** Each plan's records from its own first instant that can matter (see readFrom) to the end: one range of `completions_plan` per plan. */
const windowTuples = tuples<RecordTuple, { plans: string; end: string; upTo: string }>(
  `SELECT j.key, c.rowid, c.performed_at, c.performed_on, ${OUTCOME_AT}, c.amends_id IS NOT NULL, c.source = 'import', nullif(coalesce(c.entered_at, c.created_at), c.performed_at)
   FROM json_each(@plans) j
   JOIN completions c INDEXED BY completions_plan ON c.plan_id = j.value ->> 0 AND c.performed_at >= j.value ->> 1 AND c.performed_at < @upTo
   WHERE c.performed_on <= @end`,
);

/** The intervals of the floating plans started before a day. */
const floatingIntervals = tuples<[n: number, unit: Interval['unit']], { from: string }>(
  "SELECT DISTINCT interval_n, interval_unit FROM plans INDEXED BY plans_floating WHERE mode = 'floating' AND start_date < @from",
);

/** The floating plans of an interval, started before the period, with a passing record done in a span of days: the span from `completions_performed_on` alone (migration 0013). */
const passedBetween = tuples<[planId: string], { from: string; n: number; unit: string; passing: string; lo: string; hi: string }>(
  `SELECT DISTINCT c.plan_id
   FROM completions c INDEXED BY completions_performed_on
   WHERE c.performed_on BETWEEN @lo AND @hi
     AND c.outcome IN (SELECT value FROM json_each(@passing))
     AND c.plan_id IN (SELECT id FROM plans INDEXED BY plans_floating
                       WHERE mode = 'floating' AND interval_unit = @unit AND interval_n = @n AND start_date < @from)`,
);

/** The outcomes that move a floating plan on (rule 6). */
const PASSING = JSON.stringify(OUTCOMES.filter(advances));

/** The fewest and the most days an interval spans: months and years vary with the calendar. */
function spanDays({ n, unit }: Interval): [shortest: number, longest: number] {
  return unit === 'day' ? [n, n] : unit === 'week' ? [7 * n, 7 * n] : unit === 'month' ? [28 * n, 31 * n] : [365 * n, 366 * n];
}

/**
 * The days whose next due date by an interval falls in the period: one span, as adding an interval
 * never puts a later day before an earlier one. Months and years vary with the calendar (a month
 * from 31 January is 28 February), so each end is found within the interval's fewest and most days.
 */
function daysDueIn(interval: Interval, period: CompliancePeriod): { lo: IsoDate; hi: IsoDate } {
  const [shortest, longest] = spanDays(interval);
  let lo = addDaysTo(period.from, -longest);
  while (addInterval(lo, interval) < period.from) lo = addDaysTo(lo, 1);
  let hi = addDaysTo(period.to, -shortest);
  while (addInterval(addDaysTo(hi, 1), interval) <= period.to) hi = addDaysTo(hi, 1);
  return { lo, hi };
}

/** What floatingDueIn finds: the plans it keeps of the intervals it looked at. */
interface FloatingDue {
  /** The intervals ("n unit") longer than the period, of which only the plans in `due` are kept. */
  longer: string[];
  due: string[];
}

/**
 * Which floating plans started before the period can have an occurrence in it (issue 17), so the
 * others are not even read. A floating plan's occurrences are its start date and the day after
 * each passing record (rule 6), so one with no passing record whose next due date falls in the
 * period has none there (floatsInto would find none). Plans due at least once a period are all
 * kept (one kept up has an occurrence in it); for each longer interval, the plans that do are found
 * from the records of one span of days (daysDueIn), a range of `completions_performed_on`, never a
 * seek per plan. Every record counts here, amended or not, signed or imported: a superset of those
 * floatsInto is given.
 */
function floatingDueIn(core: Core, period: CompliancePeriod): FloatingDue {
  const periodDays = daysBetween(period.from, period.to) + 1;
  const longer: string[] = [];
  const due = new Set<string>();
  for (const [n, unit] of floatingIntervals.all(core, { from: period.from })) {
    const interval = { n, unit };
    if (spanDays(interval)[0] <= periodDays) continue;
    longer.push(`${n} ${unit}`);
    const { lo, hi } = daysDueIn(interval, period);
    if (lo > hi) continue;
    for (const [id] of passedBetween.all(core, { from: period.from, n, unit, passing: PASSING, lo, hi })) due.add(id);
  }
  return { longer, due: [...due] };
}

/**
 * How many plans' records are read and judged together (see complianceReport). Fewer at a time
 * leave less alive at each young-generation collection: at 50,000 devices a month took 880–954 ms
 * with 500 against 904–1,021 ms with 2,000 in three pairs of bench runs, a year 2,762–2,968 ms
 * against 2,952–3,298 ms (docs/performance.md).
 */
const PLANS_PER_SLICE = 500;

/**
 * What the report read from the database: the plans (plansInScope, its rows) and their records
 * (every row of completionsByPlan's statements, amended or not). Issue 17 asks that a period's
 * report cost what its records cost, not the history's; the tests hold it to that by these counts
 * (compliance-bounded.test.ts, compliance-scope.test.ts) and the bench prints them.
 */
export interface ReportReads {
  plans: number;
  records: number;
}

/**
 * How a report run in the worker learns that Wardkeep is closing (complianceReport); `reads`, if
 * given, has what the report read added to it.
 */
interface ReportOptions {
  stopped?: (() => boolean) | undefined;
  reads?: ReportReads | undefined;
}

/** A record's date may be a day off its instant's (typed in another zone): bounds keep this margin. */
const MARGIN_DAYS = 3;

/**
 * Where the read of each plan's records done up to `end` can stop in `completions_plan`: an instant
 * is stored in UTC (its text starts with its UTC date, the schema's CHECK), and a record's date is
 * its instant's local date, a day from its UTC date at most (MARGIN_DAYS more, as the other bounds
 * keep), so none done by `end` is at or after this day's text. The whole history (`wholeHistory`,
 * the read before issue 17) reads to the index's end.
 */
const readUpTo = (end: IsoDate, wholeHistory: boolean): string => (wholeHistory ? '\uffff' : addDaysTo(end, 1 + MARGIN_DAYS));

/**
 * The first day whose records can change a plan's verdicts in a period starting `from` (issue 17),
 * so the report reads the period's records and about one interval before, not the whole history;
 * null: read all of the plan's (it starts in the period). Fixed plans: relevantFacts' threshold
 * (the window before the occurrence preceding the period). Floating plans: the latest passing
 * record whose next due date falls before the period starts everything that matters; a plan kept
 * up has one within two intervals and a window before `from`; one that was not is read whole
 * (sufficient() says which).
 */
function readFrom(rule: PlanRule, from: IsoDate): IsoDate | null {
  if (rule.startDate >= from) return null;
  if (rule.mode === 'fixed') {
    const kFrom = firstOccurrenceOnOrAfter(rule.startDate, rule.interval, from).k;
    if (kFrom < 1) return null;
    return addDaysTo(occurrence(rule.startDate, rule.interval, kFrom - 1), -rule.windowDays - MARGIN_DAYS);
  }
  return addDaysTo(from, -(2 * nominalDays(rule.interval) + rule.windowDays + rule.graceDays + MARGIN_DAYS));
}

/**
 * Whether the records read from `bound` give the verdicts the whole history gives: for a floating
 * plan, the record relevantFacts starts from must be among them, clear of the bound by the margin,
 * with no earlier record dated after it (relevantFacts then keeps everything).
 */
function sufficient(rule: PlanRule, facts: readonly CompletionFact[], bound: IsoDate, from: IsoDate): boolean {
  if (rule.mode === 'fixed') return true;
  const byTime = inTimeOrder(facts);
  for (let i = byTime.length - 1; i >= 0; i--) {
    const f = byTime[i]!;
    if (!advances(f.outcome) || addInterval(f.performedOn, rule.interval) >= from) continue;
    if (f.performedOn < addDaysTo(bound, MARGIN_DAYS)) return false;
    return !byTime.slice(0, i).some((g) => g.performedOn > f.performedOn);
  }
  return false;
}

interface Fact extends CompletionFact {
  /** Imported history (unsigned). */
  imported: boolean;
  /** When the record was entered (an instant): dated only for the records that satisfy an occurrence (marksOf). */
  enteredAt: string;
}

/**
 * From when a plan changed may have been brought back into the period starting `from`: every change
 * of a plan, bringing it back included, stamps its `updated_at`, and a spell out of use that ends
 * before the period leaves it whole, so a plan untouched since has no spell in it; nor has one
 * never changed since it was made (`updated_at` still its `created_at`: the benchmark hospital's
 * 150,000, a hospital's in its first year). A few days' margin for a clock or zone a little off.
 */
const changedSince = (from: IsoDate) => dayStartInstant(addDaysTo(from, -MARGIN_DAYS));

/** A date's calendar month as a count of months (year · 12 + month − 1), in SQL (START_MONTH, of a plan's start) and here. */
const START_MONTH = '(CAST(substr(p.start_date, 1, 4) AS INTEGER) * 12 + CAST(substr(p.start_date, 6, 2) AS INTEGER) - 1)';
const monthIndex = (date: IsoDate) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
/** A fixed plan's step in months, for a plan by months or years. */
const STEP_MONTHS = "(p.interval_n * CASE p.interval_unit WHEN 'year' THEN 12 ELSE 1 END)";

/**
 * The plans whose targets are in scope and that can have an occurrence in the period (mayFallIn;
 * less the floating plans floatingDueIn leaves out), with the target's risk from the plan's own
 * copy of it (`target_*`, kept by triggers since migration 0005, as the due lists read them): one
 * pass of the plans, no join (issue 17: 150,000 plans at 50,000 devices).
 */
function plansInScope(
  core: Core,
  params: ComplianceParamsValue,
  floating: FloatingDue | null,
  decided: ReadonlySet<string>,
  taskCodes: readonly string[],
  reads: ReportReads | undefined,
  rows: PlanRows | undefined,
): ScopedPlan[] {
  // A fixed plan by months or years has its occurrence k in the calendar month start + k·step (rule 3,
  // interval.ts): one whose grid has no month in the period is not read (issue 17: a month's report at
  // 50,000 devices read 71,605 plans to keep 51,218). A superset of what mayFallIn keeps, which still
  // decides for every plan read. A start that is not a real day (30 February, month 13: the file
  // edited with sqlite3; the schema's GLOB lets them by) is always read, so that mayFallIn refuses it
  // in every period, as it did, rather than some periods leaving it out without a word. A CASE, so
  // only those plans have their start read as a date: an AND inside an expression evaluates every
  // side, and date() on each of 150,000 plans was 40 ms of a month's report (issue 17).
  const clauses = [
    'p.start_date <= @to',
    // Whole months: a number from JavaScript is bound as a real, and a real's division is not whole.
    `CASE WHEN p.mode = 'fixed' AND p.interval_unit IN ('month', 'year') AND date(p.start_date) = p.start_date
          THEN NOT coalesce((CAST(@toMonth AS INTEGER) - ${START_MONTH}) / ${STEP_MONTHS} * ${STEP_MONTHS} + ${START_MONTH} < @fromMonth, 0)
          ELSE 1 END`,
  ];
  const args: Record<string, unknown> = {
    to: params.to,
    changedSince: changedSince(params.from),
    fromMonth: monthIndex(params.from),
    toMonth: monthIndex(params.to),
  };
  if (floating && floating.longer.length > 0) {
    clauses.push(
      `(p.mode <> 'floating' OR p.start_date >= @from OR (p.interval_n || ' ' || p.interval_unit) NOT IN (SELECT value FROM json_each(@longer))
        OR p.id IN (SELECT value FROM json_each(@due)))`,
    );
    Object.assign(args, { from: params.from, longer: JSON.stringify(floating.longer), due: JSON.stringify(floating.due) });
  }
  // One share of a report split over the workers (complianceShare): a run of the plans' rowids.
  if (rows?.above !== undefined) {
    clauses.push('p.rowid > @aboveRow');
    args.aboveRow = rows.above;
  }
  if (rows?.upTo !== undefined) {
    clauses.push('p.rowid <= @upToRow');
    args.upToRow = rows.upTo;
  }
  if (params.locationIds) {
    const all = listLocations(core);
    const inside = new Set<string>();
    for (const id of params.locationIds) for (const l of subtreeIds(all, id)) inside.add(l);
    clauses.push('p.target_location_id IN (SELECT value FROM json_each(@locations))');
    args.locations = JSON.stringify([...inside]);
  }
  if (params.tasks) {
    clauses.push('p.task IN (SELECT value FROM json_each(@tasks))');
    args.tasks = JSON.stringify(params.tasks);
  }
  if (params.risks) {
    clauses.push('p.target_risk IN (SELECT value FROM json_each(@risks))');
    args.risks = JSON.stringify(params.risks);
  }
  // Read as tuples and made into objects here: better-sqlite3 builds an object per row key by key,
  // which at 150,000 plans cost more than the read (issue 17). The task, unit, mode and risk come
  // as their places in their lists (placeIn): about a quarter less to read (docs/performance.md).
  const read = builtTuples<ScopedTuple, Record<string, unknown>>(
    `SELECT p.id, p.equipment_id, ${placeIn('p.task', taskCodes, 'task')}, p.interval_n, ${placeIn('p.interval_unit', INTERVAL_UNITS)},
            ${placeIn('p.mode', PLAN_MODES)}, p.start_date, p.window_days, p.grace_days, p.active,
            CASE WHEN p.active = 1 AND (p.updated_at < @changedSince OR p.updated_at = p.created_at) THEN NULL ELSE p.updated_at END,
            ${placeIn('p.target_risk', RISKS)}
     FROM plans p
     WHERE ${clauses.join(' AND ')}`,
  ).all(core, { ...args, ...placeArgs(taskCodes, 'task') });
  if (reads) reads.plans += read.length;
  const out: ScopedPlan[] = [];
  for (const r of read) {
    const plan: ScopedPlan = {
      id: r[0],
      equipment_id: r[1],
      task: valueAt(taskCodes, r[2]),
      interval_n: r[3],
      interval_unit: valueAt(INTERVAL_UNITS, r[4]),
      mode: valueAt(PLAN_MODES, r[5]),
      start_date: r[6],
      window_days: r[7],
      grace_days: r[8],
      active: r[9],
      updated_at: r[10],
      risk: valueAt(RISKS, r[11]),
    };
    // A plan a conflict decision switched since: its last day is the audit trail's (complianceReport).
    if (mayFallIn(ruleOf(plan), { from: params.from, to: decided.has(plan.id) ? params.to : lastCountedDay(plan, params.to) })) out.push(plan);
  }
  return out;
}

/** A ScopedPlan as plansInScope reads it, in its columns' order. */
type ScopedTuple = [
  ScopedPlan['id'],
  ScopedPlan['equipment_id'],
  task: number | string,
  ScopedPlan['interval_n'],
  interval_unit: number | string,
  mode: number | string,
  ScopedPlan['start_date'],
  ScopedPlan['window_days'],
  ScopedPlan['grace_days'],
  ScopedPlan['active'],
  ScopedPlan['updated_at'],
  risk: number | string | null,
];

/** The rows of the records some amendment replaces, and of the amendments that count (each record's newest). */
interface Amendments {
  amended: Set<number>;
  counting: Set<number>;
}

function readAmendments(core: Core): Amendments {
  const amended = new Set<number>();
  const newest = new Map<string, { row: number; id: string; createdAt: string }>();
  for (const [row, amendsRow, createdAt, id, amendsId] of amendmentTuples.all(core)) {
    if (amendsRow !== null) amended.add(amendsRow);
    const best = newest.get(amendsId);
    if (!best || createdAt > best.createdAt || (createdAt === best.createdAt && id > best.id)) newest.set(amendsId, { row, id, createdAt });
  }
  return { amended, counting: new Set([...newest.values()].map((n) => n.row)) };
}

/**
 * Every effective completion of the plans up to `end`, grouped by plan: the completions of the
 * plans (one pass of `completions_plan`), less what the amendments (read once, readAmendments)
 * replace. As the scheduler counts them
 * (effectiveCompletions): a record some later record amends is replaced by it, and of several
 * amendments of one record only the newest counts; an amendment counts on its own plan; imported
 * history counts only when imported before the plan's first record signed in the app.
 */
function completionsByPlan(
  core: Core,
  plans: readonly ScopedPlan[],
  { amended, counting }: Amendments,
  from: IsoDate,
  end: IsoDate,
  wholeHistory: boolean,
  reads: ReportReads | undefined,
): Map<string, Fact[]> {
  const out = new Map<string, Fact[]>();
  if (plans.length === 0) return out;
  const rules = new Map(plans.map((p) => [p.id, ruleOf(p)]));
  const bounds = new Map(plans.map((p) => [p.id, wholeHistory ? null : readFrom(rules.get(p.id)!, from)]));
  /** Rows name their plan by its place in `asked`, the list the statement was given. */
  const collect = (asked: readonly ScopedPlan[], rows: RecordTuple[], into: Map<string, Fact[]>) => {
    if (reads) reads.records += rows.length;
    // Only records up to the period's end are read; the first signed record may be later, so it is looked up apart.
    const withImported = new Set<string>();
    for (const [planAt, , , , , , imported] of rows) if (imported) withImported.add(asked[planAt]!.id);
    const firstSigned = new Map<string, string>();
    if (withImported.size > 0)
      for (const [planId, first] of firstSignedTuples.all(core, { plans: JSON.stringify([...withImported]) }))
        firstSigned.set(planId, first ?? '9999');
    for (const [planAt, row, performedAt, performedOn, outcome, isAmendment, imported, enteredAt] of rows) {
      if (amended.has(row)) continue;
      if (isAmendment && !counting.has(row)) continue;
      const planId = asked[planAt]!.id;
      if (imported && (enteredAt ?? performedAt) >= (firstSigned.get(planId) ?? '9999')) continue;
      let list = into.get(planId);
      if (!list) {
        list = [];
        into.set(planId, list);
      }
      list.push({ performedAt, performedOn, outcome: valueAt(OUTCOMES, outcome), imported: imported === 1, enteredAt: enteredAt ?? performedAt });
    }
  };
  const upTo = readUpTo(end, wholeHistory);
  collect(plans, windowTuples.all(core, { plans: JSON.stringify(plans.map((p) => [p.id, bounds.get(p.id) ?? ''])), end, upTo }), out);
  // Plans whose records from their bound do not settle their verdicts (a floating plan not kept up,
  // or one started since the bound): all of their history, the records before the bound put in
  // front of those already read (both in the index's order), so no record is read twice.
  const whole = plans.filter((p) => {
    const bound = bounds.get(p.id);
    return bound != null && !sufficient(rules.get(p.id)!, out.get(p.id) ?? [], bound, from);
  });
  if (whole.length > 0) {
    const earlier = new Map<string, Fact[]>();
    collect(whole, beforeTuples.all(core, { plans: JSON.stringify(whole.map((p) => [p.id, bounds.get(p.id)!])), end, upTo }), earlier);
    for (const [planId, before] of earlier) out.set(planId, [...before, ...(out.get(planId) ?? [])]);
  }
  return out;
}

const byInstantText = (a: CompletionFact, b: CompletionFact) => (a.performedAt < b.performedAt ? -1 : a.performedAt > b.performedAt ? 1 : 0);

/**
 * The facts ordered by their instants' text, as relevantFacts and sufficient read them: the array
 * given when it is in that order already (a plan's records come so from `completions_plan`), else a
 * sorted copy; never changed (issue 17: with inPerformedOrder's, the sorts of each plan's records
 * were a tenth of what a year's report allocated at 50,000 devices).
 */
function inTimeOrder<C extends CompletionFact>(facts: readonly C[]): readonly C[] {
  for (let i = 1; i < facts.length; i++) if (byInstantText(facts[i - 1]!, facts[i]!) > 0) return [...facts].sort(byInstantText);
  return facts;
}

/**
 * The completions that can change a plan's verdicts in the period, so a long history is not
 * replayed occurrence by occurrence (the verdicts are the same: a test checks it on random plans).
 * - Fixed plans: a completion more than a window before the occurrence preceding the period counts
 *   for an occurrence before that one, and a fail or not-done then belongs to one before the
 *   period; and every later completion counts for that occurrence or a later one, whatever came
 *   before, so the earlier ones change nothing in the period.
 * - Floating plans (started before the period): everything before the latest passing completion
 *   whose next due date falls before the period only built occurrences before the period.
 * Only facts earlier in time than every kept one are dropped, so the order rule 8 gives is kept.
 */
export function relevantFacts<C extends CompletionFact>(rule: PlanRule, facts: readonly C[], period: CompliancePeriod): readonly C[] {
  if (facts.length < 8) return facts;
  const byTime = inTimeOrder(facts);
  if (rule.mode === 'fixed') {
    const kFrom = firstOccurrenceOnOrAfter(rule.startDate, rule.interval, period.from).k;
    if (kFrom < 1) return byTime;
    const threshold = addDaysTo(occurrence(rule.startDate, rule.interval, kFrom - 1), -rule.windowDays);
    const firstKept = byTime.find((f) => f.performedOn >= threshold);
    return firstKept === undefined ? [] : byTime.slice(byTime.findIndex((f) => f.performedAt >= firstKept.performedAt));
  }
  if (rule.startDate >= period.from) return byTime;
  for (let i = byTime.length - 1; i >= 0; i--) {
    const f = byTime[i]!;
    if (!advances(f.outcome) || addInterval(f.performedOn, rule.interval) >= period.from) continue;
    const start = byTime.findIndex((g) => g.performedAt >= f.performedAt);
    // Dates out of step with instants (completions typed in another zone): keep everything.
    if (byTime.slice(0, start).some((g) => g.performedOn > f.performedOn)) return byTime;
    return byTime.slice(start);
  }
  return byTime;
}

/**
 * The period's last day for a plan: a deactivated plan had no occurrences from the day it was
 * switched off, by the audit trail (`offSince`, planSwitches) when its switches were read: its row's
 * `updated_at` is when it was last changed in any way (another PC's edit made before it heard of
 * the switch, merged later, stamps it later; "Use the other" does not stamp it), so only when the
 * trail has no switch off is it taken for the day. Its earlier spells out of use, if it was ever
 * brought back, are planSwitches' too.
 */
function lastCountedDay(plan: Pick<ScopedPlan, 'active' | 'updated_at'>, to: IsoDate, offSince: IsoDate | null = null): IsoDate {
  if (plan.active === 1) return to;
  const off = offSince ?? (plan.updated_at === null ? null : localDate(new Date(plan.updated_at)));
  if (off === null) return to;
  const end = addDaysTo(off, -1);
  return end < to ? end : to;
}

/**
 * Whether a plan can have an occurrence in the period, from its rule alone: a fixed plan's are its
 * grid (rule 3), so one with no grid date in the period has none; a floating plan's start date or a
 * record's next due date may fall anywhere, so it can (floatsInto decides once its records are read).
 */
function mayFallIn(rule: PlanRule, period: CompliancePeriod): boolean {
  if (period.to < period.from) return false;
  return rule.mode === 'floating' || firstOccurrenceOnOrAfter(rule.startDate, rule.interval, period.from).date <= period.to;
}

/**
 * For a floating plan, whether any occurrence can fall in the period: its occurrences are its start
 * date and the date after each of its passing records (rule 6), so a plan none of whose records
 * (amended or not: a superset of those that count) gives a date in the period has none there, and
 * its records need not be replayed. Fixed plans were sorted out by mayFallIn.
 */
function floatsInto(rule: PlanRule, facts: readonly CompletionFact[], period: CompliancePeriod): boolean {
  if (rule.mode === 'fixed' || (rule.startDate >= period.from && rule.startDate <= period.to)) return true;
  for (const f of facts) {
    if (!advances(f.outcome)) continue;
    const due = addInterval(f.performedOn, rule.interval);
    if (due >= period.from && due <= period.to) return true;
  }
  return false;
}

const RISK_ORDER = new Map(RISK_CLASSES.map((r, i) => [r, i]));

/** How the record that satisfied an occurrence was entered, for the counts and the exceptions. */
function marksOf(v: OccurrenceVerdict<Fact>): { imported: boolean; enteredOn: string | null } {
  const by = v.satisfiedBy;
  if (!by) return { imported: false, enteredOn: null };
  const imported = by.imported;
  if (imported) return { imported, enteredOn: null };
  const enteredOn = localDate(new Date(by.enteredAt));
  return { imported, enteredOn: enteredOn > by.performedOn ? enteredOn : null };
}

/**
 * The verdicts of a group (or of all, or of the high-risk ones) counted as they are judged, with
 * how their records were entered (issue 17: a year at 50,000 devices judges half a million
 * occurrences, and a list of each, to be counted at the end, cost more than the counting).
 */
export interface Tally {
  verdicts: Record<Verdict, number>;
  imported: number;
  enteredLate: number;
}

/** Adds one tally's counts into another (complianceFromShares). */
function addTally(into: Tally, from: Tally): void {
  for (const v of Object.keys(from.verdicts) as Verdict[]) into.verdicts[v] += from.verdicts[v];
  into.imported += from.imported;
  into.enteredLate += from.enteredLate;
}

const newTally = (): Tally => ({ verdicts: noVerdicts(), imported: 0, enteredLate: 0 });

function count(tally: Tally, verdict: Verdict, marks: ReturnType<typeof marksOf>): void {
  tally.verdicts[verdict] += 1;
  if (marks.imported) tally.imported += 1;
  if (marks.enteredOn !== null) tally.enteredLate += 1;
}

const totals = (tally: Tally) => ({ ...summariseCounts(tally.verdicts), imported: tally.imported, enteredLate: tally.enteredLate });

/**
 * What became of the high-risk occurrences open at the end of a period that is over, as of today
 * (their `since`): each such plan's records read again from the same bound up to today (a few
 * plans, not the report's thousands: issue 17) and its occurrences judged today, rule 13 as ever.
 * The counts do not change: an occurrence open at the end of its period counts in none.
 */
function whatBecameOf(
  core: Core,
  held: readonly { plan: ScopedPlan; open: ComplianceException[] }[],
  ctx: {
    amendments: Amendments;
    spells: ReturnType<typeof notInServiceSpells>;
    from: IsoDate;
    now: IsoDate;
    wholeHistory: boolean;
    reads: ReportReads | undefined;
  },
): void {
  const facts = completionsByPlan(
    core,
    held.map((h) => h.plan),
    ctx.amendments,
    ctx.from,
    ctx.now,
    ctx.wholeHistory,
    ctx.reads,
  );
  for (const { plan, open } of held) {
    const rule = ruleOf(plan);
    const first = open.reduce((d, x) => (x.dueOn < d ? x.dueOn : d), open[0]!.dueOn);
    const verdicts = exemptWhileOutOfService(
      occurrenceVerdicts(rule, facts.get(plan.id) ?? [], { from: first, to: ctx.now }, { asOf: ctx.now }),
      plan.equipment_id ? ctx.spells.get(plan.equipment_id) : undefined,
    );
    for (const x of open) {
      const at = verdicts.findIndex((v) => v.dueOn === x.dueOn);
      const v = verdicts[at];
      if (!v) continue;
      const exemptBy = v.entries.find((e) => exempts(e.outcome));
      x.since = {
        asOf: ctx.now,
        verdict: v.verdict,
        doneOn: v.satisfiedBy?.performedOn ?? null,
        daysOverdue: v.verdict === 'missed' ? daysBetween(v.dueOn, ctx.now) : 0,
        // A fixed plan moved on past it: a later occurrence was satisfied.
        passedOver: v.verdict === 'missed' && verdicts.slice(at + 1).some((later) => later.satisfiedBy !== null),
        graceEndsOn: addDaysTo(v.dueOn, rule.graceDays),
        exemptWhy:
          v.verdict !== 'exempt'
            ? null
            : v.outOfService
              ? `${STATUS_LABELS[v.outOfService.status].toLowerCase()} on the due date`
              : exemptBy
                ? OUTCOME_LABELS[exemptBy.outcome].toLowerCase()
                : null,
      };
      x.note = exceptionNote(x, (iso) => iso);
    }
  }
}

/**
 * A run of the plans' rowids, `above` (not included) to `upTo` (included), either end open: one
 * share of a report split over the 'reports' workers (reports/compliance-shares.ts).
 */
export interface PlanRows {
  above?: number | undefined;
  upTo?: number | undefined;
}

/**
 * What the plans of one share give (complianceShare): their counts, and their high-risk exceptions
 * in the order they were judged, each with its plan. Plain data, so it crosses between threads;
 * complianceFromShares adds the shares up into the report.
 */
export interface ComplianceShare {
  judgedOn: IsoDate;
  periodOver: boolean;
  groups: { task: string; risk: RiskClass; tally: Tally; plans: number }[];
  all: Tally;
  high: Tally;
  highDevices: string[];
  exceptions: { planId: string; exception: ComplianceException }[];
}

/**
 * `wholeHistory`: read every record up to the end, as before issue 17 (the test that the bounded
 * read changes nothing compares both). `stopped`: asked before each slice of plans, in the worker
 * (JobTools.stopped), so closing Wardkeep never waits for a year's report to end.
 */
export function complianceReport(
  core: Core,
  params: ComplianceParamsValue,
  options: ReportOptions & { wholeHistory?: boolean } = {},
): ComplianceReport {
  return complianceFromShares(core, params, [complianceShare(core, params, options)]);
}

/**
 * The plans of `rows` (every plan when not given) judged for the report: the report's work, which
 * complianceReport does in one share and the app in two, one per 'reports' worker, each reading
 * its own plans and their records (reports/compliance-shares.ts).
 */
export function complianceShare(
  core: Core,
  params: ComplianceParamsValue,
  options: ReportOptions & { wholeHistory?: boolean; rows?: PlanRows | undefined } = {},
): ComplianceShare {
  const now = today(core);
  const judgedOn = params.to < now ? params.to : now;
  const periodOver = params.to < now;
  // Only plans that can have an occurrence in the period are judged (issue 17): their records are
  // read. Fixed plans by their grid; floating plans started before the period by the records of
  // about an interval before it (floatingDueIn), unless the whole history is asked for.
  const floating = options.wholeHistory || params.to < params.from ? null : floatingDueIn(core, { from: params.from, to: params.to });
  // Plans switched on or off by "Use the other" since about the period's start: their rows may not
  // say so (plan-in-use.ts), so their switches are read whatever their rows say.
  const since = changedSince(params.from);
  const decided = plansSwitchedByDecisionSince(core, since);
  const types = listTaskTypes(core);
  const plans = plansInScope(core, params, floating, decided, types.map((t) => t.code), options.reads, options.rows);
  const amendments = readAmendments(core);
  const labels = new Map(types.map((t) => [t.code, t.label]));
  const paths = new Map(listLocations(core).map((l) => [l.id, l.path]));
  // Issue 16: occurrences due while the device was out of service are exempt (the status history).
  const spells = notInServiceSpells(
    core,
    plans.flatMap((p) => (p.equipment_id ? [p.equipment_id] : [])),
    periodEndInstant(params.to),
  );
  // A plan brought back counts only on the days it was in use: its spells out of use from the audit
  // trail, read for the plans changed or switched since about the period's start (a few), not for
  // every plan.
  const switches = planSwitches(
    core,
    plans.flatMap((p) => ((p.updated_at !== null && p.updated_at >= since) || decided.has(p.id) ? [p.id] : [])),
  );

  const groups = new Map<string, { task: string; risk: RiskClass; tally: Tally; plans: number }>();
  const all = newTally();
  const high = newTally();
  const highDevices = new Set<string>();
  const exceptions: ComplianceShare['exceptions'] = [];
  const targets = new Map<string, Pick<PlanRow, 'target_tag' | 'target_name' | 'target_location_id'>>();
  /** The high-risk exceptions open at the end of a period that is over, by plan: what became of them is read after. */
  const openAtEnd = new Map<string, { plan: ScopedPlan; open: ComplianceException[] }>();

  // The plans a slice at a time, each slice's records read, judged and let go before the next: a
  // year at 50,000 devices is a million records, and holding them all at once cost more in garbage
  // collection than reading them (issue 17). The plans keep their order, so the report is the same.
  for (let at = 0; at < plans.length; at += PLANS_PER_SLICE) {
    if (options.stopped?.()) throw new ReportStoppedError();
    const slice = plans.slice(at, at + PLANS_PER_SLICE);
    const facts = completionsByPlan(core, slice, amendments, params.from, judgedOn, options.wholeHistory === true, options.reads);
    for (const plan of slice) {
      const rule = ruleOf(plan);
      const switched = switches.get(plan.id);
      const period = { from: params.from, to: lastCountedDay(plan, params.to, switched?.offSince) };
      if (period.to < period.from) continue;
      const planFacts = facts.get(plan.id) ?? [];
      if (!floatsInto(rule, planFacts, period)) continue;
      const relevant = relevantFacts(rule, planFacts, period);
      const off = switched && switched.spells.length > 0 ? switched.spells : undefined;
      // A plan brought back: each part of the period it was in use judged as of that part's end, the
      // part before a spell out of use as the report judged it while the plan was off.
      const judged =
        off === undefined
          ? occurrenceVerdicts(rule, relevant, period, { asOf: judgedOn })
          : inUseParts(period, off).flatMap((part) => occurrenceVerdicts(rule, relevant, part, { asOf: judgedOn }));
      const verdicts = exemptWhileOutOfService(judged, plan.equipment_id ? spells.get(plan.equipment_id) : undefined);
      if (verdicts.length === 0) continue;
      const risk: RiskClass = plan.risk ?? 'none';
      const key = `${plan.task}\u0000${risk}`;
      let group = groups.get(key);
      if (!group) {
        group = { task: plan.task, risk, tally: newTally(), plans: 0 };
        groups.set(key, group);
      }
      group.plans += 1;
      const highRisk = plan.risk === 'high' && plan.equipment_id !== null;
      if (highRisk) highDevices.add(plan.equipment_id!);
      for (const v of verdicts) {
        const marks = marksOf(v);
        count(group.tally, v.verdict, marks);
        count(all, v.verdict, marks);
        if (highRisk) {
          count(high, v.verdict, marks);
          // On time only by a record entered late, or by imported history: listed for the auditor too.
          // Open at the end of a period that is over: counted in no period (rule 13), so listed with
          // what became of it; open in a period not over: not yet due, not an exception.
          if (v.verdict === 'open' ? !periodOver : v.verdict === 'on_time' && !marks.imported && marks.enteredOn === null) continue;
          let target = targets.get(plan.id);
          if (!target) {
            target = targetOf.get(core, { id: plan.id })!;
            targets.set(plan.id, target);
          }
          const entries = v.entries.map((e) => ({ outcome: e.outcome, performedOn: e.performedOn }));
          const whyExempt = v.outOfService ? outOfServiceNote(v.outOfService) : null;
          const exception: ComplianceException = {
            equipmentId: plan.equipment_id,
            assetTag: target.target_tag ?? '',
            name: target.target_name,
            location: paths.get(target.target_location_id ?? '') ?? '',
            task: plan.task,
            taskLabel: labels.get(plan.task) ?? plan.task,
            dueOn: v.dueOn,
            verdict: v.verdict,
            doneOn: v.satisfiedBy?.performedOn ?? null,
            ...marks,
            entries,
            note: exceptionNote({ entries, outOfServiceNote: whyExempt }, (iso) => iso),
            outOfService: v.outOfService !== undefined,
            outOfServiceNote: whyExempt,
            since: null,
          };
          exceptions.push({ planId: plan.id, exception });
          if (v.verdict === 'open') {
            const held = openAtEnd.get(plan.id) ?? { plan, open: [] };
            held.open.push(exception);
            openAtEnd.set(plan.id, held);
          }
        }
      }
    }
  }
  const held = [...openAtEnd.values()];
  for (let at = 0; at < held.length; at += PLANS_PER_SLICE)
    whatBecameOf(core, held.slice(at, at + PLANS_PER_SLICE), {
      amendments,
      spells,
      from: params.from,
      now,
      wholeHistory: options.wholeHistory === true,
      reads: options.reads,
    });

  return { judgedOn, periodOver, groups: [...groups.values()], all, high, highDevices: [...highDevices], exceptions };
}

/**
 * The report from its shares (complianceShare), in any order and however the plans were split:
 * the counts added up, the rows and the exceptions sorted. Exceptions that tie on place, tag, task
 * and day (two plans of one task on one device) go by their plans' ids, so the order never depends
 * on which share, or which order of the table, judged them.
 */
export function complianceFromShares(core: Core, params: ComplianceParamsValue, shares: readonly ComplianceShare[]): ComplianceReport {
  const first = shares[0];
  if (!first) throw new Error('A compliance report needs at least one share of its plans.');
  const types = listTaskTypes(core);
  const taskRank = new Map(types.map((t, i) => [t.code, i]));
  const labels = new Map(types.map((t) => [t.code, t.label]));
  const groups = new Map<string, { task: string; risk: RiskClass; tally: Tally; plans: number }>();
  const all = newTally();
  const high = newTally();
  const highDevices = new Set<string>();
  const held: ComplianceShare['exceptions'] = [];
  for (const share of shares) {
    for (const g of share.groups) {
      const key = `${g.task}\u0000${g.risk}`;
      let group = groups.get(key);
      if (!group) {
        group = { task: g.task, risk: g.risk, tally: newTally(), plans: 0 };
        groups.set(key, group);
      }
      group.plans += g.plans;
      addTally(group.tally, g.tally);
    }
    addTally(all, share.all);
    addTally(high, share.high);
    for (const d of share.highDevices) highDevices.add(d);
    for (const x of share.exceptions) held.push(x);
  }
  const rows: ComplianceRow[] = [...groups.values()]
    .map((g) => ({
      task: g.task,
      taskLabel: labels.get(g.task) ?? g.task,
      risk: g.risk,
      plans: g.plans,
      ...totals(g.tally),
    }))
    .sort(
      (a, b) =>
        (taskRank.get(a.task) ?? 999) - (taskRank.get(b.task) ?? 999) ||
        a.task.localeCompare(b.task) ||
        RISK_ORDER.get(a.risk)! - RISK_ORDER.get(b.risk)!,
    );
  // Stable: one plan's exceptions keep the order they were judged in.
  held.sort(
    ({ exception: a, planId: pa }, { exception: b, planId: pb }) =>
      a.location.localeCompare(b.location) ||
      a.assetTag.localeCompare(b.assetTag) ||
      (taskRank.get(a.task) ?? 999) - (taskRank.get(b.task) ?? 999) ||
      a.dueOn.localeCompare(b.dueOn) ||
      (pa < pb ? -1 : pa > pb ? 1 : 0),
  );
  return {
    from: params.from,
    to: params.to,
    judgedOn: first.judgedOn,
    periodOver: first.periodOver,
    rows,
    total: totals(all),
    highRisk: { summary: totals(high), devices: highDevices.size, exceptions: held.map((x) => x.exception) },
  };
}

/** A document's or a CSV's options: the shares the workers worked out, when they did (complianceShares). */
type SharedOptions = ReportOptions & { shares?: readonly ComplianceShare[] | undefined };

/** The report from the shares the workers worked out (reports/compliance-shares.ts), or worked out here whole. */
const reportOf = (core: Core, params: ComplianceParamsValue, options: SharedOptions) =>
  options.shares ? complianceFromShares(core, params, options.shares) : complianceReport(core, params, options);

/**
 * The filter in words, for the printed head. Its names are printed as written and its days are
 * marked (headerDay): the print window writes them the Settings way in its own locale, as it
 * writes the rows (docs/architecture.md, "Printing").
 */
function describe(core: Core, params: ComplianceParamsValue): HeaderLine[] {
  const paths = new Map(listLocations(core).map((l) => [l.id, l.path]));
  const labels = new Map(listTaskTypes(core).map((t) => [t.code, t.label]));
  const lines = [headerLine`Period: ${headerDay(params.from)} to ${headerDay(params.to)}`];
  lines.push(
    params.locationIds && params.locationIds.length > 0
      ? headerLine`Locations: ${params.locationIds.map((id) => paths.get(id) ?? 'a location that no longer exists').join(', ')}`
      : headerLine`Locations: all`,
  );
  lines.push(params.tasks && params.tasks.length > 0 ? headerLine`Tasks: ${params.tasks.map((t) => labels.get(t) ?? t).join(', ')}` : headerLine`Tasks: all`);
  if (params.risks && params.risks.length > 0)
    lines.push(headerLine`Risk: ${params.risks.map((r) => RISK_CLASS_LABELS[r].toLowerCase()).join(', ')}`);
  return lines;
}

export function complianceDocument(
  core: Core,
  actor: Actor,
  params: ComplianceParamsValue,
  options: SharedOptions = {},
): ComplianceDocument {
  const report = reportOf(core, params, options);
  const filter = describe(core, params);
  // Plans count under their target's place now (plans.target_location_id): the place on each due
  // date is not kept in a form the report can read within its bounds, so the page says so where a
  // ward's figures depend on it (docs/scheduling.md, "Compliance").
  if (params.locationIds && params.locationIds.length > 0)
    filter.push(
      headerLine`Equipment and stock counted where they are on ${headerDay(today(core))}: one moved since the period counts, with all its occurrences in it, under its new place`,
    );
  if (report.judgedOn < params.to) filter.push(headerLine`Judged on ${headerDay(report.judgedOn)}: the period is not over`);
  const open = report.total.open;
  // Rule 13 counts an occurrence still within its grace at the period's end in no period: the rates
  // leave it out, so the page says so where every reader sees it.
  if (report.periodOver && open > 0) {
    const high = report.highRisk.summary.open;
    filter.push(
      headerLine`Open at the end of the period (within grace): ${open} occurrence${open === 1 ? '' : 's'}, in no rate${
        high > 0 ? `; ${high} of high-risk equipment, listed with what has happened since` : ''
      }`,
    );
  }
  return {
    view: 'compliance',
    header: printHeader(core, actor, { title: 'Compliance report', filter, fileName: csvScope(core, params).fileName }),
    report,
  };
}

// Cut, never rounded up, as the screen writes it (formatRate): one occurrence missed in 20,000 is 99.99, not 100.00.
const percent = (rate: number | null) => (rate === null ? '' : (Math.floor(rate * 10000 + 1e-9) / 100).toFixed(2));

/**
 * What a filtered report covers, for its CSV files and its PDF (issue: a ward's file saved beside
 * the hospital's said "All tasks" and had the same name): the total rows' labels, "Calibration
 * only, in General Hospital > Ward 4B", and the file name's part, "-ward-4b-calibration".
 */
function csvScope(core: Core, params: ComplianceParamsValue): { totalLabel: (risk: 'high' | 'all') => string; fileName: string } {
  const locations = params.locationIds && params.locationIds.length > 0 ? params.locationIds : null;
  const tasks = params.tasks && params.tasks.length > 0 ? params.tasks : null;
  const risks = params.risks && params.risks.length > 0 ? params.risks : null;
  const all = locations ? listLocations(core) : [];
  const byId = new Map(all.map((l) => [l.id, l]));
  const labels = tasks ? new Map(listTaskTypes(core).map((t) => [t.code, t.label])) : new Map<string, string>();
  const taskWords = tasks ? `${tasks.map((t) => labels.get(t) ?? t).join(', ')} only` : 'All tasks';
  const placeWords = locations ? `, in ${locations.map((id) => byId.get(id)?.path ?? 'a location that no longer exists').join(', ')}` : '';
  const riskWords = risks ? `, ${risks.map((r) => RISK_CLASS_LABELS[r].toLowerCase()).join(' and ')} risk only` : '';
  return {
    // The high-risk row's risk is its own column; the "all" row names the risks it was limited to.
    totalLabel: (risk) => `${taskWords}${risk === 'all' ? riskWords : ''}${placeWords}`,
    fileName: scopedName(
      `compliance-${params.from}-to-${params.to}`,
      locationsPart(core, params.locationIds),
      tasksPart(params.tasks),
      risks ? `risk-${risks.join('-')}` : null,
    ),
  };
}

export function complianceCsv(
  core: Core,
  params: ComplianceParamsValue,
  part: ComplianceCsvPart,
  options: SharedOptions = {},
): ExportFile {
  const report = reportOf(core, params, options);
  const scope = csvScope(core, params);
  const base = scope.fileName;
  if (part === 'summary') {
    const line = (task: string, label: string, risk: string, plans: number | null, s: ComplianceReport['total']): string[] => [
      task,
      label,
      risk,
      plans === null ? '' : String(plans),
      String(s.due),
      String(s.onTime),
      String(s.late),
      String(s.missed),
      String(s.exempt),
      String(s.open),
      percent(s.completionRate),
      String(s.imported),
      String(s.enteredLate),
    ];
    // Columns are only ever added at the end: spreadsheets built on the export keep working.
    const content = writeCsv(
      [
        'task',
        'task_label',
        'risk',
        'plans',
        'due',
        'on_time',
        'late',
        'missed',
        'exempt',
        'open',
        'completion_rate_percent',
        'imported_unsigned',
        'entered_late',
      ],
      [
        ...report.rows.map((r) => line(r.task, r.taskLabel, r.risk, r.plans, r)),
        line('all', scope.totalLabel('high'), 'high', null, report.highRisk.summary),
        line('all', scope.totalLabel('all'), 'all', null, report.total),
      ],
    );
    return { fileName: `${base}.csv`, content, mimeType: 'text/csv;charset=utf-8' };
  }
  const content = writeCsv(
    ['asset_tag', 'name', 'location', 'task', 'due_on', 'verdict', 'done_on', 'note', 'imported_unsigned', 'entered_on', 'out_of_service'],
    report.highRisk.exceptions.map((x) => [
      x.assetTag,
      x.name,
      x.location,
      x.task,
      x.dueOn,
      x.verdict,
      x.doneOn,
      x.note,
      x.imported ? 'yes' : 'no',
      x.enteredOn,
      x.outOfService ? 'yes' : 'no',
    ]),
  );
  return { fileName: `${base}-high-risk.csv`, content, mimeType: 'text/csv;charset=utf-8' };
}
