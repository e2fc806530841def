import { z } from 'zod';
import { id, optionalText, requiredText } from './common';
import { StockCheckLine, SupplyUse } from './stock';
import { secret } from './user';
import type { Outcome } from '../scheduling/next-due';

/**
 * A completion record as the technician logs it and the auditor reads it (docs/records.md,
 * "Completion record"). Outcomes of measured tasks are computed in main from the readings and
 * the procedure version; nothing in tolerance is typed.
 */
export const SIGNATURE_MEANINGS = ['performed_by', 'reviewed_by', 'amended_by'] as const;
export type SignatureMeaning = (typeof SIGNATURE_MEANINGS)[number];
export const SIGNATURE_MEANING_LABELS: Record<SignatureMeaning, string> = {
  performed_by: 'Performed by',
  reviewed_by: 'Reviewed by',
  amended_by: 'Amended by',
};

export const NOT_DONE_REASONS = ['in_use', 'not_located', 'other'] as const;
export type NotDoneReason = (typeof NOT_DONE_REASONS)[number];

const finite = z.number({ message: 'must be a number' }).finite({ message: 'must be a number' });
const passFail = z.enum(['pass', 'fail'], { message: 'must be pass or fail' });

/** What was done, by kind of task. */
export const WorkResult = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cleaning'), method: requiredText(120), agent: requiredText(120), outcome: passFail }).strict(),
  z
    .object({
      kind: z.literal('checklist'),
      procedureId: id,
      steps: z.array(z.object({ result: z.enum(['pass', 'fail', 'na'], { message: 'needs pass, fail or n.a.' }), note: optionalText(500) }).strict()).max(200),
      /** The outcome follows from the steps unless a person overrides it, with a reason. */
      override: z.object({ outcome: passFail, reason: requiredText(500) }).strict().nullable().optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('measurements'),
      procedureId: id,
      readings: z.array(z.object({ asFound: finite, asLeft: finite.nullable() }).strict()).max(100),
      referenceEquipmentId: id,
    })
    .strict(),
  z
    .object({
      kind: z.literal('safety'),
      procedureId: id,
      readings: z.array(z.object({ value: finite }).strict()).max(100),
      referenceEquipmentId: id.nullable(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('not_done'),
      reason: z.enum(NOT_DONE_REASONS, { message: 'must be in use, not located or other' }),
      explanation: optionalText(1000),
    })
    .strict(),
  /** A task with no procedure defined: the technician states the outcome. */
  z.object({ kind: z.literal('outcome'), outcome: passFail }).strict(),
  /** A stock check of a stock location (crash cart, ward store): counts, restocks, discards. */
  z.object({ kind: z.literal('stock_check'), lines: z.array(StockCheckLine).max(500) }).strict(),
]);
export type WorkResult = z.output<typeof WorkResult>;

const minutes = z
  .number({ message: 'must be a number of minutes' })
  .int({ message: 'must be whole minutes' })
  .min(0, { message: 'must be 0 or more' })
  .max(24 * 60, { message: 'must be at most a day' })
  .nullable()
  .optional()
  .transform((v) => v ?? null);

const instant = z
  .string()
  .datetime({ offset: true, message: 'must be a date and time' })
  .optional();

export const LogFields = z.object({
  /** The plan the work counts for; or, for unplanned work, its device and task (`equipmentId`, `task`). */
  planId: id.optional(),
  equipmentId: id.optional(),
  task: z.string().min(1, { message: 'is required' }).max(40, { message: 'is not a task' }).optional(),
  /** Defaults to now; may be earlier, never in the future. */
  performedAt: instant,
  minutesSpent: minutes,
  notes: optionalText(4000),
  result: WorkResult,
  /** Supplies the work used, each taken from a chosen stock location. */
  suppliesUsed: z.array(SupplyUse).max(50).optional().transform((v) => v ?? []),
  /** Why the work is entered only now: required when it was done more than the setting's number of days ago. */
  lateReason: optionalText(1000),
  /** The signed-in user's PIN or password: the record is saved only when it is re-entered. */
  secret,
  /** The person confirmed a performed date long ago (shared/plausible-dates.ts): save it as it is. */
  confirmDates: z.boolean().optional(),
});
export type LogFieldsValue = z.output<typeof LogFields>;

export const AmendFields = LogFields.omit({ planId: true, equipmentId: true, task: true }).extend({ amendsId: id, reason: requiredText(1000) });
export type AmendFieldsValue = z.output<typeof AmendFields>;

export interface SignatureView {
  userId: string;
  name: string;
  role: string;
  meaning: SignatureMeaning;
  signedAt: string;
}

export interface ReadingView {
  position: number;
  label: string;
  unit: string;
  nominal: number | null;
  toleranceKind: 'absolute' | 'percent' | null;
  tolerance: number | null;
  low: number | null;
  high: number | null;
  asFound: number | null;
  asLeft: number | null;
  foundIn: boolean | null;
  leftIn: boolean | null;
}

export interface StepView {
  position: number;
  text: string;
  result: 'pass' | 'fail' | 'na';
  note: string | null;
}

export interface CompletionView {
  id: string;
  planId: string | null;
  equipmentId: string | null;
  stockLocationId: string | null;
  task: string;
  taskLabel: string;
  performedAt: string;
  performedOn: string;
  outcome: Outcome;
  outcomeOverrideReason: string | null;
  notes: string | null;
  details: { method?: string; agent?: string; notDoneReason?: NotDoneReason; notDoneExplanation?: string | null };
  minutesSpent: number | null;
  procedure: { id: string; version: number } | null;
  reference: { equipmentId: string; assetTag: string; name: string; notCurrent: boolean } | null;
  performedByName: string;
  source: 'app' | 'cli' | 'import';
  createdAt: string;
  /** The record this one corrects, and why. */
  amendsId: string | null;
  amendReason: string | null;
  /** The newer record that corrects this one: shown struck through but readable. */
  amendedById: string | null;
  /** When the record was entered (ISO instant): later than the work for work logged after the fact. */
  enteredAt: string;
  /** The local date it was entered, when that is a later day than the work; null when entered the same day. */
  enteredLateOn: string | null;
  /** Why it was entered late, when the person was asked (past the setting's number of days). */
  lateReason: string | null;
  signatures: SignatureView[];
  steps: StepView[];
  readings: ReadingView[];
}

/** Why a reference standard was not in calibration on the day asked about. */
export type NotCurrentReason = 'no_plan' | 'never_calibrated' | 'overdue' | 'not_in_service';

/**
 * A reference standard for the picker: is its own calibration current on the day the work was
 * done? Judged as main flags the record.
 */
export interface ReferenceStandard {
  id: string;
  assetTag: string;
  name: string;
  locationPath: string;
  calibrationNextDue: string | null;
  /** Calibrated and not overdue on `asOf`, and in service. */
  current: boolean;
  /** Null when current on the day. */
  notCurrentBecause: NotCurrentReason | null;
}
