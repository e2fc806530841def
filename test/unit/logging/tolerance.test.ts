import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MeasurementPoint, ProcedureDefinition, SafetyCheck } from '../../../shared/domain/procedure';
import {
  checklistOutcome,
  checkLimits,
  describeCheck,
  describeLimits,
  describePoint,
  measuredOutcome,
  pointLimits,
  readingVerdict,
  withinLimits,
} from '../../../shared/tolerance';

const pct = (nominal: number, tolerance: number) => pointLimits({ nominal, toleranceKind: 'percent', tolerance });
const abs = (nominal: number, tolerance: number) => pointLimits({ nominal, toleranceKind: 'absolute', tolerance });

describe('tolerance limits', () => {
  it.each([
    // nominal, kind, tolerance, value, in tolerance?
    [100, 'absolute', 1, 101, true],
    [100, 'absolute', 1, 99, true],
    [100, 'absolute', 1, 101.0001, false],
    [100, 'absolute', 1, 98.9999, false],
    [100, 'percent', 1, 101, true], // exactly on the edge
    [100, 'percent', 0.1, 100.1, true], // 100 × 0.1 % is not exact in binary
    [100, 'percent', 0.1, 100.1001, false],
    [0.3, 'absolute', 0.1, 0.4, true], // 0.3 + 0.1 = 0.40000000000000002
    [0.3, 'absolute', 0.1, 0.2, true],
    [-40, 'percent', 5, -42, true], // a negative nominal: ± 5 % of |−40|
    [-40, 'percent', 5, -42.1, false],
    [0, 'percent', 10, 0, true], // 0 ± 10 % is exactly 0
    [0, 'percent', 10, 0.001, false],
    [5, 'absolute', 0, 5, true],
    [5, 'absolute', 0, 5.000001, false],
  ] as const)('%s %s ± %s: %s in tolerance is %s', (nominal, kind, tol, value, expected) => {
    expect(withinLimits(value, pointLimits({ nominal, toleranceKind: kind, tolerance: tol }))).toBe(expected);
  });

  it('computes the limits of absolute and percent tolerances', () => {
    expect(abs(37, 0.2)).toEqual({ low: 36.8, high: 37.2 });
    expect(pct(200, 2.5)).toEqual({ low: 195, high: 205 });
  });

  it('never lets NaN or Infinity through', () => {
    expect(withinLimits(Number.NaN, abs(0, 1))).toBe(false);
    expect(withinLimits(Number.POSITIVE_INFINITY, checkLimits({ min: 0, max: null }))).toBe(false);
  });

  it('checks one-sided safety limits, edges included', () => {
    const earth = checkLimits({ min: null, max: 0.2 });
    expect(withinLimits(0.2, earth)).toBe(true);
    expect(withinLimits(0.21, earth)).toBe(false);
    const insulation = checkLimits({ min: 2, max: null });
    expect(withinLimits(2, insulation)).toBe(true);
    expect(withinLimits(1.99, insulation)).toBe(false);
    expect(withinLimits(500, insulation)).toBe(true);
  });

  it('property: a value between the limits is in, one beyond by more than the slack is out', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e3, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (nominal, tol, t) => {
          const limits = abs(nominal, tol);
          expect(withinLimits(limits.low + (limits.high - limits.low) * t, limits)).toBe(true);
          const beyond = Math.max(1e-3, Math.abs(limits.high) * 1e-6);
          expect(withinLimits(limits.high + beyond, limits)).toBe(false);
          expect(withinLimits(limits.low - beyond, limits)).toBe(false);
        },
      ),
    );
  });
});

describe('the outcome of a calibration', () => {
  const v = (foundIn: boolean, leftIn: boolean | null = null) => ({ foundIn, leftIn });

  it('passes when every as-found reading is in tolerance', () => {
    expect(measuredOutcome([v(true), v(true), v(true)])).toBe('pass');
  });

  it('passes after adjustment when every out-of-tolerance point is brought back', () => {
    expect(measuredOutcome([v(true), v(false, true), v(true)])).toBe('pass_adjusted');
  });

  it('fails when any as-left reading is out, even where the as-found was in', () => {
    expect(measuredOutcome([v(true, false), v(true)])).toBe('fail');
    expect(measuredOutcome([v(false, false)])).toBe('fail');
  });

  it('fails when an out-of-tolerance point was not adjusted', () => {
    expect(measuredOutcome([v(false), v(true)])).toBe('fail');
  });

  it('an adjustment of an in-tolerance point that stays in still passes', () => {
    expect(measuredOutcome([v(true, true), v(true)])).toBe('pass');
  });

  it('is undecided until every point has an as-found reading', () => {
    expect(measuredOutcome([])).toBeNull();
    expect(measuredOutcome([{ foundIn: null, leftIn: null }, v(true)])).toBeNull();
  });

  it('follows from the readings, so it can never be typed', () => {
    const limits = pct(100, 1);
    const readings = [
      { asFound: 100.5, asLeft: null },
      { asFound: 102, asLeft: 100.2 },
      { asFound: 99, asLeft: null },
    ];
    expect(measuredOutcome(readings.map((r) => readingVerdict(limits, r)))).toBe('pass_adjusted');
    expect(readingVerdict(limits, { asFound: 102, asLeft: 100.2 })).toEqual({ foundIn: false, leftIn: true });
  });
});

describe('an inspection checklist', () => {
  it('passes with no failed step (n.a. steps allowed), fails with one, waits for every step', () => {
    expect(checklistOutcome(['pass', 'na', 'pass'])).toBe('pass');
    expect(checklistOutcome(['pass', 'fail', 'na'])).toBe('fail');
    expect(checklistOutcome(['pass', null])).toBeNull();
  });
});

describe('procedure definitions', () => {
  it('accept a calibration with points and units, and say which field is wrong otherwise', () => {
    expect(
      ProcedureDefinition.safeParse({
        kind: 'measurements',
        points: [{ label: 'Flow 50 ml/h', unit: 'ml/h', nominal: 50, toleranceKind: 'percent', tolerance: 5 }],
      }).success,
    ).toBe(true);
    const bad = MeasurementPoint.safeParse({ label: ' ', unit: 'ml/h', nominal: 50, toleranceKind: 'percent', tolerance: -1 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['label', 'tolerance']);
  });

  it('require a safety check to have a limit, the lower not above the upper', () => {
    expect(SafetyCheck.safeParse({ label: 'Earth resistance', unit: 'Ω', min: null, max: 0.2 }).success).toBe(true);
    expect(SafetyCheck.safeParse({ label: 'Earth resistance', unit: 'Ω', min: null, max: null }).success).toBe(false);
    expect(SafetyCheck.safeParse({ label: 'Band', unit: 'V', min: 5, max: 1 }).success).toBe(false);
  });

  it('describe points and checks with their units', () => {
    expect(describePoint({ nominal: 50, toleranceKind: 'percent', tolerance: 5, unit: 'ml/h' })).toBe('50 ml/h ± 5 %');
    expect(describePoint({ nominal: 37, toleranceKind: 'absolute', tolerance: 0.2, unit: '°C' })).toBe('37 ± 0.2 °C');
    expect(describeCheck({ min: null, max: 0.2, unit: 'Ω' })).toBe('at most 0.2 Ω');
    expect(describeCheck({ min: 2, max: null, unit: 'MΩ' })).toBe('at least 2 MΩ');
    expect(describeCheck({ min: 1, max: 5, unit: 'mA' })).toBe('1 to 5 mA');
    expect(describeLimits(95, 105, 'ml/h')).toBe('95 to 105 ml/h');
    expect(describeLimits(0.1 + 0.2, null, 'MΩ')).toBe('at least 0.3 MΩ');
  });
});
