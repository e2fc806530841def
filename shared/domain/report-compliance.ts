import { z } from 'zod';
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

/** Rule 13's counts for one task type and risk class. */
export interface ComplianceRow extends ComplianceSummary {
  task: string;
  taskLabel: string;
  risk: RiskClass;
  /** Plans that had at least one occurrence in the period. */
  plans: number;
}

/** An occurrence of a high-risk device's plan that was not done on time (late, missed or exempt). */
export interface ComplianceException {
  equipmentId: string;
  assetTag: string;
  name: string;
  location: string;
  task: string;
  taskLabel: string;
  dueOn: string;
  verdict: Exclude<Verdict, 'on_time' | 'open'>;
  /** When the satisfying completion was done (late), if any. */
  doneOn: string | null;
  /** The entries that belong to the occurrence, in words: "Not done: in use (2025-02-03)". */
  note: string | null;
}

export interface ComplianceReport {
  from: string;
  to: string;
  /** Verdicts are judged at the end of the period, or on this day if the period is not over. */
  judgedOn: string;
  rows: ComplianceRow[];
  total: ComplianceSummary;
  highRisk: {
    summary: ComplianceSummary;
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

/** A completion rate as people read it: "97.5%", or "—" when nothing counted. */
export function formatRate(rate: number | null): string {
  if (rate === null) return '—';
  const pct = Math.floor(rate * 1000 + 1e-9) / 10; // never round 99.96% up to 100%
  return `${pct.toFixed(pct === 100 || pct === 0 ? 0 : 1)}%`;
}
