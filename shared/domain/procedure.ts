import { z } from 'zod';
import { NUL_MESSAGE, noNul } from './common';

/**
 * What a task is done against: an inspection's checklist, a calibration's measurement points, an
 * electrical safety test's checks. Defined on a category or a plan, versioned: editing adds a new
 * version and each record keeps the version it was done against.
 */
const label = z
  .string({ message: 'is required' })
  .max(200, { message: 'must be at most 200 characters' })
  // The hospital's hub cannot store a NUL character (pasted from elsewhere), as in every other text field.
  .refine(noNul, NUL_MESSAGE)
  .transform((s) => s.trim())
  .refine((s) => s.length > 0, { message: 'is required' });
const unit = z
  .string({ message: 'is required' })
  .max(20, { message: 'must be at most 20 characters' })
  .refine(noNul, NUL_MESSAGE)
  .transform((s) => s.trim())
  .refine((s) => s.length > 0, { message: 'is required' });
// A blank cell (null, or absent) is a value not given yet, not a value that is not a number.
const finite = z
  .number({ error: (issue) => (issue.input === null || issue.input === undefined ? 'is required' : 'must be a number') })
  .finite({ message: 'must be a number' });

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

/** A name or step as it is told apart from the others: whatever its case and spacing. */
const sameKey = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Two points (or checks) of one name could not be told apart in a record: each name once, whatever its case and spacing.
 * Run even when another cell of the table is refused (`always`), so every problem is said at once: the
 * items are then as far as they were read, a label possibly not a string. Steps of a checklist likewise,
 * by their text: a step twice would be marked twice in every inspection.
 */
function uniqueLabels(items: readonly unknown[], ctx: z.RefinementCtx, what: 'point' | 'check' | 'step'): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const text = item && typeof item === 'object' ? (item as { label?: unknown; text?: unknown })[what === 'step' ? 'text' : 'label'] : undefined;
    if (typeof text !== 'string') return;
    const key = sameKey(text);
    if (key === '') return;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else if (what === 'step') ctx.addIssue({ code: 'custom', path: [i], message: `is the same as step ${first + 1}: list each step once` });
    else ctx.addIssue({ code: 'custom', path: [i, 'label'], message: `is the same as ${what} ${first + 1}'s: give each a name of its own` });
  });
}

/** Checks that run whatever else in the list was refused (so its other problems are said with them), once it is a list. */
const always = { when: (payload: { value: unknown }) => Array.isArray(payload.value) };

export const MeasurementPoints = z
  .array(MeasurementPoint)
  .min(1, { message: 'needs at least one point' })
  .max(100, { message: 'are too many: a calibration has at most 100 points' })
  .superRefine((points, ctx) => uniqueLabels(points, ctx, 'point'), always);

export const SafetyChecks = z
  .array(SafetyCheck)
  .min(1, { message: 'needs at least one check' })
  .max(100, { message: 'are too many: an electrical safety test has at most 100 checks' })
  .superRefine((checks, ctx) => uniqueLabels(checks, ctx, 'check'), always);

/** The most steps a checklist may have. */
export const MAX_CHECKLIST_STEPS = 200;

export const ChecklistSteps = z
  .array(ChecklistStep)
  .min(1, { message: 'needs at least one step' })
  .max(MAX_CHECKLIST_STEPS, { message: `are too many: a checklist has at most ${MAX_CHECKLIST_STEPS} steps` })
  .superRefine((steps, ctx) => uniqueLabels(steps, ctx, 'step'), always);

export const ProcedureDefinition = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('checklist'), steps: ChecklistSteps }).strict(),
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
