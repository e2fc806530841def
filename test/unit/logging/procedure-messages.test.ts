import { describe, expect, it } from 'vitest';
import { MeasurementPoints, ProcedureDefinition } from '../../../shared/domain/procedure';
import { issueProblems } from '../../../shared/validation';

/** The sentences a refused definition gives, as a person reads them. */
const sentences = (r: ReturnType<typeof ProcedureDefinition.safeParse>) =>
  r.success ? [] : issueProblems(r.error.issues).map((p) => p.message);

const point = (label: string, over: Record<string, unknown> = {}) => ({
  label,
  unit: 'ml/h',
  nominal: 10,
  toleranceKind: 'percent',
  tolerance: 5,
  ...over,
});

describe('a procedure refused, in words', () => {
  it('names a point name used twice together with every other problem of the table', () => {
    const r = ProcedureDefinition.safeParse({
      kind: 'measurements',
      points: [point('Flow 10'), point('flow 10', { nominal: null }), point('Flow 50', { tolerance: Number.NaN })],
    });
    expect(sentences(r)).toEqual([
      'Point 2 nominal value is required.',
      'Point 3 tolerance must be a number.',
      "Point 2 name is the same as point 1's: give each a name of its own.",
    ]);
  });

  it('names a check name used twice when another check has a problem of its own', () => {
    const r = ProcedureDefinition.safeParse({
      kind: 'safety',
      checks: [
        { label: 'Earth', unit: 'Ω', min: null, max: 'x' },
        { label: 'EARTH', unit: 'Ω', min: null, max: 0.2 },
      ],
    });
    expect(sentences(r)).toEqual([
      'Check 1 upper limit must be a number.',
      "Check 2 name is the same as check 1's: give each a name of its own.",
    ]);
  });

  it("names a step given twice (whatever its case and spacing) together with another step's problem", () => {
    const r = ProcedureDefinition.safeParse({
      kind: 'checklist',
      steps: [{ text: 'Alarm sounds' }, { text: 'x'.repeat(201) }, { text: ' alarm  SOUNDS ' }],
    });
    expect(sentences(r)).toEqual(['Step 2 text must be at most 200 characters.', 'Step 3 is the same as step 1: list each step once.']);
  });

  it('says a blank nominal or tolerance is required, and one not a number must be a number', () => {
    const r = ProcedureDefinition.safeParse({
      kind: 'measurements',
      points: [point('A', { nominal: undefined, tolerance: null }), point('B', { nominal: 'ten' })],
    });
    expect(sentences(r)).toEqual([
      'Point 1 nominal value is required.',
      'Point 1 tolerance is required.',
      'Point 2 nominal value must be a number.',
    ]);
  });

  it("says how many steps, points or checks are allowed, not the schema's words", () => {
    const steps = ProcedureDefinition.safeParse({
      kind: 'checklist',
      steps: Array.from({ length: 201 }, (_, i) => ({ text: `Step ${i + 1}` })),
    });
    expect(sentences(steps)).toEqual(['Steps are too many: a checklist has at most 200 steps.']);
    const points = ProcedureDefinition.safeParse({ kind: 'measurements', points: Array.from({ length: 101 }, (_, i) => point(`P ${i}`)) });
    expect(sentences(points)).toEqual(['Points are too many: a calibration has at most 100 points.']);
    const checks = ProcedureDefinition.safeParse({
      kind: 'safety',
      checks: Array.from({ length: 101 }, (_, i) => ({ label: `C ${i}`, unit: 'Ω', min: null, max: 1 })),
    });
    expect(sentences(checks)).toEqual(['Checks are too many: an electrical safety test has at most 100 checks.']);
    for (const s of [...sentences(steps), ...sentences(points), ...sentences(checks)]) expect(s).not.toMatch(/Too big|expected|<=/);
  });

  it('says nothing of a name used twice when the table is not a list at all', () => {
    expect(issueProblems(MeasurementPoints.safeParse('points').error!.issues)).toHaveLength(1);
  });
});
