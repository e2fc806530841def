import { useFormContext, useWatch } from 'react-hook-form';
import type { LogForm } from '../../../../shared/contract/log';
import type { ReferenceStandard } from '../../../../shared/domain/completion';
import { localDay, parseDate } from '../../../../shared/date-format';
import type { MeasurementPoint, SafetyCheck } from '../../../../shared/domain/procedure';
import { checkLimits, describeCheck, describeLimits, describePoint, measuredOutcome, pointLimits, readingVerdict, withinLimits } from '../../../../shared/tolerance';
import { FormField, useFieldError } from '../../components/Form';
import { OutcomeBadge } from '../../components/OutcomeBadge';
import { useChannelQuery } from '../../lib/query';
import { useDates } from '../../lib/settings';
import type { LogValues } from './log-form';
import { readReading } from './log-form';

function InOut({ value }: { value: boolean | null }) {
  if (value === null) return <span className="muted">—</span>;
  return <span className={`tol ${value ? 'in' : 'out'}`}>{value ? 'In tolerance' : 'OUT of tolerance'}</span>;
}

/** A reading's box in the table, its problem under it, named for the point it reads. */
function ReadingInput({ name, label, unit, autoFocus }: { name: `readings.${number}.asFound` | `readings.${number}.asLeft` | `safety.${number}.value`; label: string; unit: string; autoFocus?: boolean }) {
  const { register } = useFormContext<LogValues>();
  const error = useFieldError(name);
  const id = name.replace(/\./g, '-');
  return (
    <div className={`reading-cell${error ? ' has-error' : ''}`}>
      <label className="sr-only" htmlFor={id}>
        {label} ({unit})
      </label>
      <input
        id={id}
        className="reading-input"
        inputMode="decimal"
        autoComplete="off"
        aria-invalid={Boolean(error)}
        {...(error ? { 'aria-describedby': `${id}-error` } : {})}
        {...register(name)}
        {...(autoFocus ? { 'data-first-field': true } : {})}
      />{' '}
      {unit}
      {error ? (
        <span className="error" id={`${id}-error`}>
          <span className="sr-only">Error: </span>
          {error}
        </span>
      ) : null}
    </div>
  );
}

/**
 * The reference standards judged on the day typed in "Performed on", as main flags the record when
 * it is signed: the form's own list for the day it opened on, else asked again for the day typed.
 * `settled` is false while the answer for a new day is on its way (no verdict is shown meanwhile).
 */
function useStandardsOnDay(form: LogForm): { standards: ReferenceStandard[]; asOf: string; settled: boolean } {
  const dates = useDates();
  const performedOn = useWatch<LogValues, 'performedOn'>({ name: 'performedOn' });
  const typed = parseDate(performedOn, dates.setting);
  const asOf = typed.ok ? typed.value : form.referenceStandardsOn;
  const onDay = useChannelQuery('log.referenceStandards', form.amendsId ? { asOf, amendsId: form.amendsId } : { asOf }, { enabled: asOf !== form.referenceStandardsOn });
  if (asOf === form.referenceStandardsOn) return { standards: form.referenceStandards, asOf, settled: true };
  // A device is never its own reference standard (main refuses it): the form's list leaves it out too.
  const own = form.target.id;
  return onDay.data ? { standards: onDay.data.filter((s) => s.id !== own), asOf, settled: true } : { standards: form.referenceStandards, asOf, settled: false };
}

/** Why a standard was not in calibration, in words, on `asOf` (`past`: a day before today). */
function notCurrentWords(s: ReferenceStandard, past: boolean, date: (day: string) => string): string {
  switch (s.notCurrentBecause) {
    case 'no_plan':
      return 'it has no calibration plan';
    case 'never_calibrated':
      return past ? 'no calibration of it was on record by then' : 'no calibration of it is on record';
    case 'not_in_service':
      return past ? 'it was not in service that day' : 'it is not in service';
    default:
      return s.calibrationNextDue ? `its calibration was due ${date(s.calibrationNextDue)}` : 'its calibration is not current';
  }
}

/**
 * The reference standard picker: current ones first; choosing one out of calibration shows red.
 * Each is judged on the day the work was done, so the warning before signing and the record's flag agree.
 */
export function ReferencePicker({ form, required, scanned = null }: {
  form: LogForm;
  required: boolean;
  /** The standard last chosen by scanning its tag: said to screen readers, as the focus stays where it was. */
  scanned?: string | null;
}) {
  const { register } = useFormContext<LogValues>();
  const value = useWatch<LogValues, 'referenceId'>({ name: 'referenceId' });
  const dates = useDates();
  const { standards, asOf, settled } = useStandardsOnDay(form);
  const past = asOf < localDay(new Date(form.now));
  const chosen = standards.find((s) => s.id === value);
  const sorted = [...standards].sort((a, b) => Number(b.current) - Number(a.current) || a.assetTag.localeCompare(b.assetTag));
  return (
    <div className="stack">
      <FormField name="referenceId" label="Reference standard used" required={required} help="Test equipment from the inventory, marked as a reference standard.">
        {(p) => (
          <select {...p} {...register('referenceId')} data-first-field>
            <option value="">{required ? 'Choose the reference standard…' : '(none)'}</option>
            {sorted.map((s) => (
              <option key={s.id} value={s.id}>
                {s.assetTag} {s.name}
                {s.current ? '' : ' (NOT in calibration)'}
              </option>
            ))}
          </select>
        )}
      </FormField>
      {settled && chosen && !chosen.current ? (
        <p className="banner error" role="alert">
          {chosen.assetTag} {chosen.name} {past ? `was not in calibration on ${dates.date(asOf)}, the day the work was done` : 'is not in calibration'} (
          {notCurrentWords(chosen, past, dates.date)}). The record will be flagged.
        </p>
      ) : null}
      {standards.length === 0 ? <p className="muted">No equipment is marked as a reference standard yet.</p> : null}
      <p role="status" className="sr-only">
        {scanned ? `Scanned ${scanned}: it is now the reference standard used.` : ''}
      </p>
    </div>
  );
}

/** Calibration points: as-found, and as-left when adjusted; in or out of tolerance shown live, never typed. */
export function MeasurementFields({ points }: { points: MeasurementPoint[] }) {
  const { register } = useFormContext<LogValues>();
  const readings = useWatch<LogValues, 'readings'>({ name: 'readings' });
  const verdicts = points.map((pt, i) => {
    const r = readings[i] ?? { asFound: '', adjusted: false, asLeft: '' };
    return readingVerdict(pointLimits(pt), { asFound: readReading(r.asFound).value, asLeft: r.adjusted ? readReading(r.asLeft).value : null });
  });
  const outcome = measuredOutcome(verdicts);
  return (
    <fieldset className="readings">
      <legend>Measurements</legend>
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
                <td className="nowrap">{describeLimits(limits.low, limits.high, pt.unit)}</td>
                <td>
                  <ReadingInput name={`readings.${i}.asFound`} label={`As found, ${pt.label}`} unit={pt.unit} />
                </td>
                <td>
                  <InOut value={v.foundIn} />
                </td>
                <td>
                  <label className="check">
                    <input type="checkbox" {...register(`readings.${i}.adjusted`)} />
                    <span className="sr-only">{pt.label}: </span>adjusted
                  </label>
                </td>
                <td>{r?.adjusted ? <ReadingInput name={`readings.${i}.asLeft`} label={`As left, ${pt.label}`} unit={pt.unit} /> : <span className="muted">—</span>}</td>
                <td>{r?.adjusted ? <InOut value={v.leftIn} /> : <span className="muted">—</span>}</td>
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
export function SafetyFields({ checks }: { checks: SafetyCheck[] }) {
  const values = useWatch<LogValues, 'safety'>({ name: 'safety' });
  const verdicts = checks.map((c, i) => {
    const n = readReading(values[i]?.value ?? '').value;
    return n === null ? null : withinLimits(n, checkLimits(c));
  });
  const outcome = verdicts.some((v) => v === null) ? null : verdicts.every(Boolean) ? 'pass' : 'fail';
  return (
    <fieldset className="readings">
      <legend>Measurements</legend>
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
                <ReadingInput name={`safety.${i}.value`} label={`Measured, ${c.label}`} unit={c.unit} />
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
