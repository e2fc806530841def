import type { MeasurementPoint, SafetyCheck } from './domain/procedure';

/**
 * In or out of tolerance is computed from the limits, never typed by the technician (docs/records.md). Limits are inclusive: a reading
 * exactly on the limit is in tolerance. Decimal inputs like 0.1 + 0.2 are not exact in binary,
 * so comparisons allow a relative slack of one part in 10^9 — far below any instrument's
 * resolution, enough to keep 100 ± 0.1 % → 100.1 inside.
 */
export interface Limits {
  low: number | null;
  high: number | null;
}

export function pointLimits(point: Pick<MeasurementPoint, 'nominal' | 'toleranceKind' | 'tolerance'>): { low: number; high: number } {
  const spread = point.toleranceKind === 'percent' ? (Math.abs(point.nominal) * point.tolerance) / 100 : point.tolerance;
  return { low: point.nominal - spread, high: point.nominal + spread };
}

export function checkLimits(check: Pick<SafetyCheck, 'min' | 'max'>): Limits {
  return { low: check.min, high: check.max };
}

// Relative to the limit at every scale: a fixed 1e-9 below 1 was 2 % of a 47 nF ± 5 % band (in farads),
// and passed a reading 6.4 % high. At a limit of 0 the comparison is exact.
const slack = (limit: number) => 1e-9 * Math.abs(limit);

export function withinLimits(value: number, limits: Limits): boolean {
  if (!Number.isFinite(value)) return false;
  if (limits.low !== null && value < limits.low - slack(limits.low)) return false;
  if (limits.high !== null && value > limits.high + slack(limits.high)) return false;
  return true;
}

export interface ReadingInput {
  asFound: number | null;
  /** Given only when the technician adjusted the device at this point. */
  asLeft: number | null;
}

export interface ReadingVerdict {
  foundIn: boolean | null;
  leftIn: boolean | null;
}

export function readingVerdict(limits: Limits, reading: ReadingInput): ReadingVerdict {
  return {
    foundIn: reading.asFound === null ? null : withinLimits(reading.asFound, limits),
    leftIn: reading.asLeft === null ? null : withinLimits(reading.asLeft, limits),
  };
}

export type MeasuredOutcome = 'pass' | 'pass_adjusted' | 'fail';

/**
 * The outcome of a calibration (or safety test) from its readings (issue 6):
 * - any as-left out of tolerance → fail;
 * - every as-found in tolerance → pass;
 * - some as-found out, and every such point brought back in tolerance as-left → pass_adjusted;
 * - an as-found out with no as-left → fail.
 * A point without an as-found reading is incomplete: null until every point is read.
 */
export function measuredOutcome(verdicts: readonly ReadingVerdict[]): MeasuredOutcome | null {
  if (verdicts.length === 0 || verdicts.some((v) => v.foundIn === null)) return null;
  if (verdicts.some((v) => v.leftIn === false)) return 'fail';
  if (verdicts.every((v) => v.foundIn)) return 'pass';
  return verdicts.every((v) => v.foundIn || v.leftIn === true) ? 'pass_adjusted' : 'fail';
}

export type StepResult = 'pass' | 'fail' | 'na';

/** An inspection passes when no step failed; null until every step has a result. */
export function checklistOutcome(results: readonly (StepResult | null)[]): 'pass' | 'fail' | null {
  if (results.length === 0 || results.some((r) => r === null)) return null;
  return results.includes('fail') ? 'fail' : 'pass';
}

/** A limit for people: at most ten significant digits, so 0.1 + 0.2 shows as 0.3. */
export function limitText(n: number): string {
  return String(Number(n.toPrecision(10)));
}

/**
 * Limits in words, the same on screen, in the history and on paper: "95 to 105 ml/h",
 * "at least 2 MΩ", "at most 0.2 Ω".
 */
export function describeLimits(low: number | null, high: number | null, unit: string): string {
  const u = unit ? ` ${unit}` : '';
  if (low !== null && high !== null) return `${limitText(low)} to ${limitText(high)}${u}`;
  if (low !== null) return `at least ${limitText(low)}${u}`;
  if (high !== null) return `at most ${limitText(high)}${u}`;
  return '—';
}

/** For display: "100 ml/h ± 1 %", "10 ± 0.5 ml/h". */
export function describePoint(point: Pick<MeasurementPoint, 'nominal' | 'toleranceKind' | 'tolerance' | 'unit'>): string {
  return point.toleranceKind === 'percent'
    ? `${point.nominal} ${point.unit} ± ${point.tolerance} %`
    : `${point.nominal} ± ${point.tolerance} ${point.unit}`;
}

/** A safety check's limits: "at least 2 MΩ", "at most 0.2 Ω", "1 to 5 mA". */
export function describeCheck(check: Pick<SafetyCheck, 'min' | 'max' | 'unit'>): string {
  return describeLimits(check.min, check.max, check.unit);
}
