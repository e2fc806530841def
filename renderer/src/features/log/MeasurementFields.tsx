import type { ReferenceStandard } from '../../../../shared/domain/completion';
import type { MeasurementPoint, SafetyCheck } from '../../../../shared/domain/procedure';
import { checkLimits, describeCheck, describePoint, measuredOutcome, pointLimits, readingVerdict, withinLimits } from '../../../../shared/tolerance';
import { Field } from '../../components/Field';
import { formatDate } from '../../lib/dates';
import type { DateFormatSetting } from '../../../../shared/domain/settings';
import { parseDecimal } from '../../lib/inputs';
import { OutcomeBadge } from '../../components/OutcomeBadge';

export interface ReadingDraft {
  asFound: string;
  adjusted: boolean;
  asLeft: string;
}

function InOut({ value }: { value: boolean | null }) {
  if (value === null) return <span className="muted">—</span>;
  return <span className={`tol ${value ? 'in' : 'out'}`}>{value ? 'In tolerance' : 'OUT of tolerance'}</span>;
}

const fmtLimit = (n: number | null) => (n === null ? '—' : String(Number(n.toPrecision(10))));

/** The reference standard picker: current ones first; choosing one out of calibration shows red. */
export function ReferencePicker({
  standards,
  value,
  onChange,
  required,
  error,
  dateFormat,
}: {
  standards: ReferenceStandard[];
  value: string;
  onChange: (id: string) => void;
  required: boolean;
  error?: string | undefined;
  dateFormat: DateFormatSetting;
}) {
  const chosen = standards.find((s) => s.id === value);
  const sorted = [...standards].sort((a, b) => Number(b.current) - Number(a.current) || a.assetTag.localeCompare(b.assetTag));
  return (
    <div className="stack">
      <Field label="Reference standard used" required={required} error={error} help="Test equipment from the inventory, marked as a reference standard.">
        {(p) => (
          <select {...p} value={value} onChange={(e) => onChange(e.target.value)}>
            <option value="">{required ? 'Choose the reference standard…' : '(none)'}</option>
            {sorted.map((s) => (
              <option key={s.id} value={s.id}>
                {s.assetTag} {s.name}
                {s.current ? '' : ' (NOT in calibration)'}
              </option>
            ))}
          </select>
        )}
      </Field>
      {chosen && !chosen.current ? (
        <p className="banner error" role="alert">
          {chosen.assetTag} {chosen.name} is not in calibration
          {chosen.calibrationNextDue ? ` (its calibration was due ${formatDate(chosen.calibrationNextDue, dateFormat)})` : ' (it has no calibration plan)'}. The
          record will be flagged.
        </p>
      ) : null}
      {standards.length === 0 ? <p className="muted">No equipment is marked as a reference standard yet.</p> : null}
    </div>
  );
}

/** Calibration points: as-found, and as-left when adjusted; in or out of tolerance shown live, never typed. */
export function MeasurementFields({
  points,
  readings,
  onChange,
  error,
}: {
  points: MeasurementPoint[];
  readings: ReadingDraft[];
  onChange: (readings: ReadingDraft[]) => void;
  error?: string | undefined;
}) {
  const verdicts = points.map((pt, i) => {
    const r = readings[i] ?? { asFound: '', adjusted: false, asLeft: '' };
    return readingVerdict(pointLimits(pt), { asFound: parseDecimal(r.asFound), asLeft: r.adjusted ? parseDecimal(r.asLeft) : null });
  });
  const outcome = measuredOutcome(verdicts);
  const set = (i: number, patch: Partial<ReadingDraft>) => onChange(readings.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="readings">
      <legend>Measurements</legend>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <table className="data readings-table">
        <thead>
          <tr>
            <th scope="col">Point</th>
            <th scope="col">Limits</th>
            <th scope="col">As found</th>
            <th scope="col">Result</th>
            <th scope="col">Adjusted?</th>
            <th scope="col">As left</th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {points.map((pt, i) => {
            const r = readings[i]!;
            const limits = pointLimits(pt);
            const v = verdicts[i]!;
            return (
              <tr key={i} className={v.foundIn === false && v.leftIn !== true ? 'reading-out' : undefined}>
                <th scope="row">
                  {pt.label}
                  <div className="muted small">{describePoint(pt)}</div>
                </th>
                <td className="nowrap">
                  {fmtLimit(limits.low)} to {fmtLimit(limits.high)} {pt.unit}
                </td>
                <td>
                  <label className="sr-only" htmlFor={`found-${i}`}>
                    As found, {pt.label} ({pt.unit})
                  </label>
                  <input id={`found-${i}`} className="reading-input" inputMode="decimal" autoComplete="off" value={r.asFound} onChange={(e) => set(i, { asFound: e.target.value })} />{' '}
                  {pt.unit}
                </td>
                <td>
                  <InOut value={v.foundIn} />
                </td>
                <td>
                  <label className="check">
                    <input type="checkbox" checked={r.adjusted} onChange={(e) => set(i, { adjusted: e.target.checked })} />
                    <span className="sr-only">{pt.label}: </span>adjusted
                  </label>
                </td>
                <td>
                  {r.adjusted ? (
                    <>
                      <label className="sr-only" htmlFor={`left-${i}`}>
                        As left, {pt.label} ({pt.unit})
                      </label>
                      <input id={`left-${i}`} className="reading-input" inputMode="decimal" autoComplete="off" value={r.asLeft} onChange={(e) => set(i, { asLeft: e.target.value })} />{' '}
                      {pt.unit}
                    </>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>{r.adjusted ? <InOut value={v.leftIn} /> : <span className="muted">—</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="live-outcome" aria-live="polite">
        Outcome: {outcome ? <OutcomeBadge outcome={outcome} /> : <span className="muted">enter every as-found reading</span>}
      </p>
    </fieldset>
  );
}

/** Electrical safety checks: the measured value against its limit, judged live. */
export function SafetyFields({ checks, values, onChange, error }: { checks: SafetyCheck[]; values: string[]; onChange: (v: string[]) => void; error?: string | undefined }) {
  const verdicts = checks.map((c, i) => {
    const n = parseDecimal(values[i] ?? '');
    return n === null ? null : withinLimits(n, checkLimits(c));
  });
  const outcome = verdicts.some((v) => v === null) ? null : verdicts.every(Boolean) ? 'pass' : 'fail';
  return (
    <fieldset className="readings">
      <legend>Measurements</legend>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <table className="data readings-table">
        <thead>
          <tr>
            <th scope="col">Check</th>
            <th scope="col">Limit</th>
            <th scope="col">Measured</th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {checks.map((c, i) => (
            <tr key={i} className={verdicts[i] === false ? 'reading-out' : undefined}>
              <th scope="row">{c.label}</th>
              <td className="nowrap">{describeCheck(c)}</td>
              <td>
                <label className="sr-only" htmlFor={`measured-${i}`}>
                  Measured, {c.label} ({c.unit})
                </label>
                <input
                  id={`measured-${i}`}
                  className="reading-input"
                  inputMode="decimal"
                  autoComplete="off"
                  value={values[i] ?? ''}
                  onChange={(e) => onChange(values.map((v, j) => (j === i ? e.target.value : v)))}
                />{' '}
                {c.unit}
              </td>
              <td>
                <InOut value={verdicts[i] ?? null} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="live-outcome" aria-live="polite">
        Outcome: {outcome ? <OutcomeBadge outcome={outcome} /> : <span className="muted">enter every measured value</span>}
      </p>
    </fieldset>
  );
}
