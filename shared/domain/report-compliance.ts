import { z } from 'zod';
import type { Outcome } from '../scheduling/next-due';
import { OUTCOME_LABELS } from './plan';
import type { ComplianceSummary, Verdict } from '../scheduling/compliance';
import { id, isoDate } from './common';
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
 * An occurrence of a high-risk device's plan that was not done on time (late, missed or exempt),
 * or done on time only by a record entered late or imported unsigned: an auditor looks at those too.
 */
export interface ComplianceException {
  equipmentId: string;
  assetTag: string;
  name: string;
  location: string;
  task: string;
  taskLabel: string;
  dueOn: string;
  verdict: Exclude<Verdict, 'open'>;
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
}

export interface ComplianceReport {
  from: string;
  to: string;
  /** Verdicts are judged at the end of the period, or on this day if the period is not over. */
  judgedOn: string;
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

export const VERDICT_LABELS: Record<Verdict, string> = {
  on_time: 'On time',
  late: 'Late',
  missed: 'Missed',
  exempt: 'Exempt',
  open: 'Not yet due',
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

/** An exception's note: why it is exempt (out of service on the due date), then its entries. */
export function exceptionNote(x: Pick<ComplianceException, 'entries' | 'outOfServiceNote'>, date: (iso: string) => string): string | null {
  return [x.outOfServiceNote, entriesNote(x.entries, date)].filter((p): p is string => p !== null).join('; ') || null;
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
