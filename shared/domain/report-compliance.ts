import { z } from 'zod';
import type { Outcome } from '../scheduling/next-due';
import { OUTCOME_LABELS } from './plan';
import type { ComplianceSummary, Verdict } from '../scheduling/compliance';
import { id, isIsoDate, isoDate } from './common';
import type { Risk } from './equipment';
import { RISKS } from './equipment';
import type { PrintHeader } from './report';

/** Equipment with no risk class, and stock locations, are reported under `none`. */
export type RiskClass = Risk | 'none';
export const RISK_CLASSES: readonly RiskClass[] = [...RISKS, 'none'];
export const RISK_CLASS_LABELS: Record<RiskClass, string> = { high: 'High', medium: 'Medium', low: 'Low', none: 'Not classified' };

/** The longest period a report covers: ten years of quarters is plenty for an audit. */
const MAX_PERIOD_DAYS = 3660;

export const ComplianceParams = z
  .object({
    from: isoDate,
    to: isoDate,
    /** Each with everything inside it; absent: all. */
    locationIds: z.array(id).max(500).optional(),
    tasks: z.array(z.string().max(40)).max(50).optional(),
    risks: z.array(z.enum(RISKS)).max(RISKS.length).optional(),
  })
  .strict()
  .refine((p) => p.from <= p.to, { message: 'must be on or after the start of the period', path: ['to'] })
  .refine((p) => Date.parse(p.to) - Date.parse(p.from) <= MAX_PERIOD_DAYS * 86_400_000, {
    message: 'must be at most ten years after the start',
    path: ['to'],
  });
export type ComplianceParamsInput = z.input<typeof ComplianceParams>;
export type ComplianceParamsValue = z.output<typeof ComplianceParams>;

/**
 * How the records behind the verdicts were entered (issue 13): occurrences done by imported
 * history (unsigned, from before Wardkeep), and by a record entered on a later day than the work.
 */
export interface RecordMarks {
  /** Occurrences satisfied by an imported, unsigned record. */
  imported: number;
  /** Occurrences satisfied by a record entered on a later day than the work was done. */
  enteredLate: number;
}

/** Rule 13's counts for one task type and risk class. */
export interface ComplianceRow extends ComplianceSummary, RecordMarks {
  task: string;
  taskLabel: string;
  risk: RiskClass;
  /** Plans that had at least one occurrence in the period. */
  plans: number;
}

/**
 * What has become of an occurrence still open at the end of a period that is over (due near its
 * end, its grace running past it), as of the day the report was made: rule 13 counts it in no
 * period, so the report says what happened to it instead (docs/scheduling.md, "Compliance").
 */
export interface OpenSince {
  /** The day it was judged on: the day the report was made. */
  asOf: string;
  /** Its verdict on that day: done on time or late, missed, exempt, or still open (within its grace). */
  verdict: Verdict;
  /** When the work that satisfied it was done, if it was. */
  doneOn: string | null;
  /** Days since its due date (the due list's count), when it is still not done and overdue. */
  daysOverdue: number;
  /** A later occurrence was done instead (a fixed plan moved on): it will never be done. */
  passedOver: boolean;
  /** The last day on time: its due date plus the grace. */
  graceEndsOn: string;
  /** Why it became exempt, in words ("not done: in use", "out of service on the due date"); else null. */
  exemptWhy: string | null;
}

/**
 * An occurrence of a high-risk device's plan that was not done on time (late, missed or exempt),
 * or done on time only by a record entered late or imported unsigned: an auditor looks at those too.
 * In a period that is over, also each one still open at its end (within grace), with what has
 * happened to it since (`since`).
 */
export interface ComplianceException {
  equipmentId: string;
  assetTag: string;
  name: string;
  location: string;
  task: string;
  taskLabel: string;
  dueOn: string;
  /** `open` only in a period that is over: open at its end, within its grace (see `since`). */
  verdict: Verdict;
  /** When the satisfying completion was done (late), if any. */
  doneOn: string | null;
  /** The satisfying record is imported history: unsigned. */
  imported: boolean;
  /** When the satisfying record was entered, when that was a later day than the work; else null. */
  enteredOn: string | null;
  /** The entries that belong to the occurrence, oldest first (written out by entriesNote). */
  entries: { outcome: Outcome; performedOn: string }[];
  /** The same entries in words with ISO dates, for the CSV file: "Not done: in use (2025-02-03)". */
  note: string | null;
  /** Exempt because the device was out of service (or missing, or retired) on the due date (issue 16). */
  outOfService: boolean;
  /** Why, in words: "Out of service on the due date (WO-3): …"; null when not exempt for that. */
  outOfServiceNote: string | null;
  /** For an occurrence open at the end of a period that is over: what has happened since; else null. */
  since: OpenSince | null;
}

export interface ComplianceReport {
  from: string;
  to: string;
  /** Verdicts are judged at the end of the period, or on this day if the period is not over. */
  judgedOn: string;
  /**
   * The period ended before the day the report was made: its open occurrences are not "not yet
   * due" but open at its end (within grace), counted in no rate, and the high-risk ones are listed.
   */
  periodOver: boolean;
  rows: ComplianceRow[];
  total: ComplianceSummary & RecordMarks;
  highRisk: {
    summary: ComplianceSummary & RecordMarks;
    /** High-risk devices with at least one occurrence in the period. */
    devices: number;
    exceptions: ComplianceException[];
  };
}

export interface ComplianceDocument {
  view: 'compliance';
  header: PrintHeader;
  report: ComplianceReport;
}

/** Open occurrences in a period not over: their grace has not ended yet. */
export const NOT_YET_DUE_LABEL = 'Not yet due';
/** Open occurrences in a period that is over: due near its end, their grace running past it. */
export const OPEN_AT_END_LABEL = 'Open at the end of the period (within grace)';

/** The open occurrences' label (a count's heading), by whether the period is over. */
export const openLabel = (report: Pick<ComplianceReport, 'periodOver'>) => (report.periodOver ? OPEN_AT_END_LABEL : NOT_YET_DUE_LABEL);

/**
 * A verdict's label. An open occurrence is listed (among the exceptions) only in a period that is
 * over, so `open` is labelled as such; the count of a period not over is headed NOT_YET_DUE_LABEL.
 */
export const VERDICT_LABELS: Record<Verdict, string> = {
  on_time: 'On time',
  late: 'Late',
  missed: 'Missed',
  exempt: 'Exempt',
  open: OPEN_AT_END_LABEL,
};

export const COMPLIANCE_CSV_PARTS = ['summary', 'high_risk'] as const;
export type ComplianceCsvPart = (typeof COMPLIANCE_CSV_PARTS)[number];

/**
 * How many verdicts rest on records an auditor should look at twice, in words, or null when none:
 * "3 done by imported history (unsigned); 1 by a record entered late".
 */
export function marksSentence(m: RecordMarks): string | null {
  const parts: string[] = [];
  if (m.imported > 0) parts.push(`${m.imported} done by imported history (unsigned)`);
  if (m.enteredLate > 0) parts.push(`${m.enteredLate} by ${m.enteredLate === 1 ? 'a record' : 'records'} entered on a later day than the work`);
  return parts.length > 0 ? `Of the occurrences, ${parts.join('; ')}.` : null;
}

/** An occurrence's entries in words, each date written by `date` (the reader's format on screen and paper). */
export function entriesNote(entries: ComplianceException['entries'], date: (iso: string) => string): string | null {
  const parts = entries.map((e) => `${OUTCOME_LABELS[e.outcome]} (${date(e.performedOn)})`);
  return parts.length > 0 ? parts.join('; ') : null;
}

/**
 * A `YYYY-MM-DD` standing alone in text, as formatDaysIn (shared/date-format.ts) finds it: not part
 * of an asset tag, a file name or an instant.
 */
const DAY_IN_TEXT = /(?<![\w/-])\d{4}-\d{2}-\d{2}(?![\w/-])/g;

/** Text Wardkeep wrote with `YYYY-MM-DD` days in it (a status reason) with each real day written by `date`. */
function daysIn(text: string, date: (iso: string) => string): string {
  return text.replace(DAY_IN_TEXT, (day) => (isIsoDate(day) ? date(day) : day));
}

/**
 * What became of an occurrence open at the end of the period, in words, as of the day the report
 * was made (its verdict says it was open then): "Done on 20.04.2025 (late)", "Not done: 79 days
 * overdue today".
 */
export function sinceNote(since: OpenSince, date: (iso: string) => string): string {
  const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
  switch (since.verdict) {
    case 'on_time':
      return `Done on ${date(since.doneOn ?? since.asOf)} (on time, within its grace)`;
    case 'late':
      return `Done on ${date(since.doneOn ?? since.asOf)} (late)`;
    case 'exempt':
      return `Exempt${since.exemptWhy ? ` (${since.exemptWhy})` : ''}`;
    case 'open':
      return `Not done yet, within its grace until ${date(since.graceEndsOn)}`;
    case 'missed':
      return since.passedOver ? 'Never done: a later occurrence was done instead' : `Not done: ${days(since.daysOverdue)} overdue today`;
  }
}

/**
 * An exception's note: why it is exempt (out of service on the due date, the days in its reason
 * written by `date` too), then its entries, then (open at the end of the period) what became of it.
 */
export function exceptionNote(
  x: Pick<ComplianceException, 'entries' | 'outOfServiceNote'> & { since?: OpenSince | null },
  date: (iso: string) => string,
): string | null {
  const why = x.outOfServiceNote === null ? null : daysIn(x.outOfServiceNote, date);
  const since = x.since ? sinceNote(x.since, date) : null;
  return [why, entriesNote(x.entries, date), since].filter((p): p is string => p !== null).join('; ') || null;
}

/**
 * A rate with the occurrences still open at the end of a period that is over beside it (the
 * column beside says what "open" is), so a 100% is never read as "nothing left undone": "100% (1 open)".
 */
export function rateWithOpen(s: Pick<ComplianceSummary, 'completionRate' | 'open'>, report: Pick<ComplianceReport, 'periodOver'>): string {
  const rate = formatRate(s.completionRate);
  return report.periodOver && s.open > 0 && s.completionRate !== null ? `${rate} (${s.open} open)` : rate;
}

/** The mark beside an exception's "done on" date: imported, or when it was entered. */

export function exceptionMark(x: Pick<ComplianceException, 'imported' | 'enteredOn'>, date: (iso: string) => string): string | null {
  if (x.imported) return 'imported, unsigned';
  return x.enteredOn ? `entered ${date(x.enteredOn)}` : null;
}

/** A completion rate as people read it: "97.5%", or "—" when nothing counted. */
export function formatRate(rate: number | null): string {
  if (rate === null) return '—';
  const pct = Math.floor(rate * 1000 + 1e-9) / 10; // never round 99.96% up to 100%
  return `${pct.toFixed(pct === 100 || pct === 0 ? 0 : 1)}%`;
}
