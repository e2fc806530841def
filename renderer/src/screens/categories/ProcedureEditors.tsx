import type { FormEvent } from 'react';
import { useEffect, useState } from 'react';
import type { Procedure, ProcedureDefinition, ToleranceKind } from '../../../../shared/domain/procedure';
import type { AppErrorValue } from '../../../../shared/result';
import { Banner, ErrorBanner } from '../../components/Banner';
import { Field } from '../../components/Field';
import { call, useQuery } from '../../lib/api';
import { fieldErrors } from '../../lib/form-errors';
import { parseDecimal } from '../log/inputs';

interface PointRow {
  label: string;
  unit: string;
  nominal: string;
  toleranceKind: ToleranceKind;
  tolerance: string;
}
interface CheckRow {
  label: string;
  unit: string;
  min: string;
  max: string;
}

const text = (n: number | null) => (n === null ? '' : String(n));

function Saved({ procedure }: { procedure: Procedure | null | undefined }) {
  if (!procedure) return <p className="muted">Not defined yet: work on this task is logged as a plain pass or fail.</p>;
  return (
    <p className="muted">
      Version {procedure.version}, saved by {procedure.createdBy}. Saving makes version {procedure.version + 1}; records keep the version they were done against.
    </p>
  );
}

/** Saves a new version; shows the back end's sentence beside the field it names. */
function useSave(categoryId: string, task: string) {
  const [error, setError] = useState<AppErrorValue | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const save = async (definition: ProcedureDefinition) => {
    const res = await call('procedures.save', { owner: { kind: 'category', categoryId }, task, definition });
    setError(res.ok ? null : res.error);
    setSaved(res.ok ? res.value.version : null);
  };
  return { error, saved, save, setError };
}

export function ChecklistEditor({ categoryId, editable }: { categoryId: string; editable: boolean }) {
  const current = useQuery('procedures.forCategory', { categoryId, task: 'inspection' });
  const [steps, setSteps] = useState<string | null>(null);
  const { error, saved, save } = useSave(categoryId, 'inspection');
  const { byField, general } = fieldErrors(error);
  useEffect(() => {
    if (steps === null && current.data !== undefined) setSteps(current.data?.definition.kind === 'checklist' ? current.data.definition.steps.map((s) => s.text).join('\n') : '');
  }, [current.data, steps]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const list = (steps ?? '')
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
    void save({ kind: 'checklist', steps: list.map((t) => ({ text: t })) });
  };
  return (
    <form className="panel stack" onSubmit={submit} noValidate aria-labelledby="checklist-title">
      <h2 id="checklist-title">Inspection checklist</h2>
      <Saved procedure={current.data} />
      {saved ? <Banner kind="ok">Saved as version {saved}.</Banner> : null}
      <ErrorBanner error={general} />
      <Field label="Steps, one per line" error={byField['definition.steps'] ?? byField.definition} help="Each step is marked pass, fail or n.a. when the inspection is logged.">
        {(p) => <textarea {...p} rows={6} readOnly={!editable} value={steps ?? ''} onChange={(e) => setSteps(e.target.value)} />}
      </Field>
      {editable ? (
        <div className="form-actions">
          <button type="submit" className="primary">
            Save checklist
          </button>
        </div>
      ) : null}
    </form>
  );
}

export function PointsEditor({ categoryId, editable }: { categoryId: string; editable: boolean }) {
  const current = useQuery('procedures.forCategory', { categoryId, task: 'calibration' });
  const [rows, setRows] = useState<PointRow[] | null>(null);
  const { error, saved, save, setError } = useSave(categoryId, 'calibration');
  const { general } = fieldErrors(error);
  useEffect(() => {
    if (rows === null && current.data !== undefined) {
      const def = current.data?.definition;
      setRows(
        def?.kind === 'measurements'
          ? def.points.map((p) => ({ label: p.label, unit: p.unit, nominal: text(p.nominal), toleranceKind: p.toleranceKind, tolerance: text(p.tolerance) }))
          : [{ label: '', unit: '', nominal: '', toleranceKind: 'percent', tolerance: '' }],
      );
    }
  }, [current.data, rows]);
  const list = rows ?? [];
  const set = (i: number, patch: Partial<PointRow>) => setRows(list.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const bad = list.findIndex((r) => parseDecimal(r.nominal) === null || parseDecimal(r.tolerance) === null);
    if (bad >= 0) {
      setError({ code: 'invalid_input', message: `Point ${bad + 1}: the nominal value and the tolerance must be numbers.` });
      return;
    }
    void save({
      kind: 'measurements',
      points: list.map((r) => ({ label: r.label, unit: r.unit, nominal: parseDecimal(r.nominal)!, toleranceKind: r.toleranceKind, tolerance: parseDecimal(r.tolerance)! })),
    });
  };
  return (
    <form className="panel stack" onSubmit={submit} noValidate aria-labelledby="points-title">
      <h2 id="points-title">Calibration points</h2>
      <Saved procedure={current.data} />
      {saved ? <Banner kind="ok">Saved as version {saved}.</Banner> : null}
      <ErrorBanner error={general} />
      <table className="data compact editor-table">
        <thead>
          <tr>
            <th scope="col">Point</th>
            <th scope="col">Unit</th>
            <th scope="col">Nominal</th>
            <th scope="col">Tolerance</th>
            <th scope="col">±</th>
            {editable ? <th scope="col"><span className="sr-only">Remove</span></th> : null}
          </tr>
        </thead>
        <tbody>
          {list.map((r, i) => (
            <tr key={i}>
              <td>
                <input aria-label={`Point ${i + 1} name`} value={r.label} readOnly={!editable} onChange={(e) => set(i, { label: e.target.value })} />
              </td>
              <td>
                <input aria-label={`Point ${i + 1} unit`} className="narrow" value={r.unit} readOnly={!editable} onChange={(e) => set(i, { unit: e.target.value })} />
              </td>
              <td>
                <input aria-label={`Point ${i + 1} nominal value`} className="narrow" inputMode="decimal" value={r.nominal} readOnly={!editable} onChange={(e) => set(i, { nominal: e.target.value })} />
              </td>
              <td>
                <input aria-label={`Point ${i + 1} tolerance`} className="narrow" inputMode="decimal" value={r.tolerance} readOnly={!editable} onChange={(e) => set(i, { tolerance: e.target.value })} />
              </td>
              <td>
                <select aria-label={`Point ${i + 1} tolerance kind`} value={r.toleranceKind} disabled={!editable} onChange={(e) => set(i, { toleranceKind: e.target.value as ToleranceKind })}>
                  <option value="percent">% of nominal</option>
                  <option value="absolute">in the unit</option>
                </select>
              </td>
              {editable ? (
                <td>
                  <button type="button" onClick={() => setRows(list.filter((_, j) => j !== i))} aria-label={`Remove point ${i + 1}`} disabled={list.length === 1}>
                    Remove
                  </button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {editable ? (
        <div className="form-actions">
          <button type="button" onClick={() => setRows([...list, { label: '', unit: list.at(-1)?.unit ?? '', nominal: '', toleranceKind: list.at(-1)?.toleranceKind ?? 'percent', tolerance: '' }])}>
            Add a point
          </button>
          <button type="submit" className="primary">
            Save points
          </button>
        </div>
      ) : null}
    </form>
  );
}

export function SafetyChecksEditor({ categoryId, editable }: { categoryId: string; editable: boolean }) {
  const current = useQuery('procedures.forCategory', { categoryId, task: 'electrical_safety' });
  const [rows, setRows] = useState<CheckRow[] | null>(null);
  const { error, saved, save, setError } = useSave(categoryId, 'electrical_safety');
  const { general } = fieldErrors(error);
  useEffect(() => {
    if (rows === null && current.data !== undefined) {
      const def = current.data?.definition;
      setRows(
        def?.kind === 'safety'
          ? def.checks.map((c) => ({ label: c.label, unit: c.unit, min: text(c.min), max: text(c.max) }))
          : [
              { label: 'Protective earth resistance', unit: 'Ω', min: '', max: '0.2' },
              { label: 'Earth leakage current', unit: 'µA', min: '', max: '500' },
              { label: 'Insulation resistance', unit: 'MΩ', min: '2', max: '' },
            ],
      );
    }
  }, [current.data, rows]);
  const list = rows ?? [];
  const set = (i: number, patch: Partial<CheckRow>) => setRows(list.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const limit = (t: string) => (t.trim() === '' ? null : parseDecimal(t));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const bad = list.findIndex((r) => (r.min.trim() !== '' && limit(r.min) === null) || (r.max.trim() !== '' && limit(r.max) === null));
    if (bad >= 0) {
      setError({ code: 'invalid_input', message: `Check ${bad + 1}: the limits must be numbers (leave one blank for a one-sided limit).` });
      return;
    }
    void save({ kind: 'safety', checks: list.map((r) => ({ label: r.label, unit: r.unit, min: limit(r.min), max: limit(r.max) })) });
  };
  return (
    <form className="panel stack" onSubmit={submit} noValidate aria-labelledby="safety-title">
      <h2 id="safety-title">Electrical safety checks</h2>
      <Saved procedure={current.data} />
      {!current.data ? <p className="muted">The suggested checks below are typical limits for a class I device (IEC 62353); adjust them before saving.</p> : null}
      {saved ? <Banner kind="ok">Saved as version {saved}.</Banner> : null}
      <ErrorBanner error={general} />
      <table className="data compact editor-table">
        <thead>
          <tr>
            <th scope="col">Check</th>
            <th scope="col">Unit</th>
            <th scope="col">At least</th>
            <th scope="col">At most</th>
            {editable ? <th scope="col"><span className="sr-only">Remove</span></th> : null}
          </tr>
        </thead>
        <tbody>
          {list.map((r, i) => (
            <tr key={i}>
              <td>
                <input aria-label={`Check ${i + 1} name`} value={r.label} readOnly={!editable} onChange={(e) => set(i, { label: e.target.value })} />
              </td>
              <td>
                <input aria-label={`Check ${i + 1} unit`} className="narrow" value={r.unit} readOnly={!editable} onChange={(e) => set(i, { unit: e.target.value })} />
              </td>
              <td>
                <input aria-label={`Check ${i + 1} lower limit`} className="narrow" inputMode="decimal" value={r.min} readOnly={!editable} onChange={(e) => set(i, { min: e.target.value })} />
              </td>
              <td>
                <input aria-label={`Check ${i + 1} upper limit`} className="narrow" inputMode="decimal" value={r.max} readOnly={!editable} onChange={(e) => set(i, { max: e.target.value })} />
              </td>
              {editable ? (
                <td>
                  <button type="button" onClick={() => setRows(list.filter((_, j) => j !== i))} aria-label={`Remove check ${i + 1}`} disabled={list.length === 1}>
                    Remove
                  </button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {editable ? (
        <div className="form-actions">
          <button type="button" onClick={() => setRows([...list, { label: '', unit: '', min: '', max: '' }])}>
            Add a check
          </button>
          <button type="submit" className="primary">
            Save checks
          </button>
        </div>
      ) : null}
    </form>
  );
}
