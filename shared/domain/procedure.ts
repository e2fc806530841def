import { z } from 'zod';

/**
 * What a task is done against: an inspection's checklist, a calibration's measurement points, an
 * electrical safety test's checks. Defined on a category or a plan, versioned: editing adds a new
 * version and each record keeps the version it was done against.
 */
const label = z
  .string({ message: 'is required' })
  .max(200, { message: 'must be at most 200 characters' })
  .transform((s) => s.trim())
  .refine((s) => s.length > 0, { message: 'is required' });
const unit = z
  .string({ message: 'is required' })
  .max(20, { message: 'must be at most 20 characters' })
  .transform((s) => s.trim())
  .refine((s) => s.length > 0, { message: 'is required' });
const finite = z.number({ message: 'must be a number' }).finite({ message: 'must be a number' });

export const ChecklistStep = z.object({ text: label }).strict();

export const TOLERANCE_KINDS = ['absolute', 'percent'] as const;
export type ToleranceKind = (typeof TOLERANCE_KINDS)[number];

export const MeasurementPoint = z
  .object({
    label,
    unit,
    nominal: finite,
    toleranceKind: z.enum(TOLERANCE_KINDS),
    // A tolerance of 0 would fail every real reading: it is a slip, not a limit.
    tolerance: finite.refine((v) => v > 0, { message: 'must be more than 0' }),
  })
  .strict()
  // So would a percentage of a nominal of 0 (a zero point): its band is 0 to 0.
  .refine((p) => !(p.toleranceKind === 'percent' && p.nominal === 0), {
    message: 'cannot be a percentage of a nominal of 0 (that is 0): give it in the point\'s unit',
    path: ['tolerance'],
  });
export type MeasurementPoint = z.output<typeof MeasurementPoint>;

/** An electrical safety check: a measured value with a lower and/or upper limit (e.g. earth resistance ≤ 0.2 Ω). */
export const SafetyCheck = z
  .object({
    label,
    unit,
    min: finite.nullable(),
    max: finite.nullable(),
  })
  .strict()
  .refine((c) => c.min !== null || c.max !== null, { message: 'needs a lower limit, an upper limit or both' })
  .refine((c) => c.min === null || c.max === null || c.min <= c.max, { message: 'must not be below the lower limit', path: ['max'] });
export type SafetyCheck = z.output<typeof SafetyCheck>;

/** Two points (or checks) of one name could not be told apart in a record: each name once, whatever the case. */
function uniqueLabels(items: readonly { label: string }[], ctx: z.RefinementCtx, what: string): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const key = item.label.trim().toLowerCase();
    if (key === '') return;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else ctx.addIssue({ code: 'custom', path: [i, 'label'], message: `is the same as ${what} ${first + 1}'s: give each a name of its own` });
  });
}

export const MeasurementPoints = z
  .array(MeasurementPoint)
  .min(1, { message: 'needs at least one point' })
  .max(100)
  .superRefine((points, ctx) => uniqueLabels(points, ctx, 'point'));
export const SafetyChecks = z
  .array(SafetyCheck)
  .min(1, { message: 'needs at least one check' })
  .max(100)
  .superRefine((checks, ctx) => uniqueLabels(checks, ctx, 'check'));

export const ProcedureDefinition = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('checklist'), steps: z.array(ChecklistStep).min(1, { message: 'needs at least one step' }).max(200) }).strict(),
  z.object({ kind: z.literal('measurements'), points: MeasurementPoints }).strict(),
  z.object({ kind: z.literal('safety'), checks: SafetyChecks }).strict(),
]);
export type ProcedureDefinition = z.output<typeof ProcedureDefinition>;


export interface Procedure {
  id: string;
  /** Where it is defined: a category (every device of that type) or one plan. */
  owner: { kind: 'category'; categoryId: string } | { kind: 'plan'; planId: string };
  task: string;
  version: number;
  definition: ProcedureDefinition;
  createdAt: string;
  createdBy: string;
}
