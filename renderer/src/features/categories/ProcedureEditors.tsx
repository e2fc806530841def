import type { FormEvent, ReactNode } from 'react';
import { useEffect, useState } from 'react';
import type { Procedure, ProcedureDefinition, ToleranceKind } from '../../../../shared/domain/procedure';
import type { AppErrorValue } from '../../../../shared/result';
import { Banner, ErrorBanner } from '../../components/Banner';
import { Field } from '../../components/Field';
import { call, useQuery } from '../../lib/api';
import { fieldErrors } from '../../lib/form-errors';
import { parseDecimal } from '../../lib/inputs';

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

/** The frame of every procedure editor: its title, the saved version, the outcome of saving, the actions. */
function ProcedureForm({
  id,
  title,
  procedure,
  saved,
  general,
  editable,
  onSubmit,
  note,
  add,
  saveLabel,
  children,
}: {
  id: string;
  title: string;
  procedure: Procedure | null | undefined;
  saved: number | null;
  general: AppErrorValue | null;
  editable: boolean;
  onSubmit: (e: FormEvent) => void;
  note?: ReactNode;
  add?: { label: string; onClick: () => void };
  saveLabel: string;
  children: ReactNode;
}) {
  return (
    <form className="panel stack" onSubmit={onSubmit} noValidate aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <Saved procedure={procedure} />
      {note}
      {saved ? <Banner kind="ok">Saved as version {saved}.</Banner> : null}
      <ErrorBanner error={general} />
      {children}
      {editable ? (
        <div className="form-actions">
          {add ? (
            <button type="button" onClick={add.onClick}>
              {add.label}
            </button>
          ) : null}
          <button type="submit" className="primary">
            {saveLabel}
          </button>
        </div>
      ) : null}
    </form>
  );
}

/** Editable rows, filled once from the saved procedure when it has loaded. */
function useRows<R>(procedure: Procedure | null | undefined, initial: (p: Procedure | null) => R[]) {
  const [rows, setRows] = useState<R[] | null>(null);
  useEffect(() => {
    if (rows === null && procedure !== undefined) setRows(initial(procedure));
  }, [procedure, rows, initial]);
  const list = rows ?? [];
  return {
    list,
    set: (i: number, patch: Partial<R>) => setRows(list.map((r, j) => (j === i ? { ...r, ...patch } : r))),
    remove: (i: number) => setRows(list.filter((_, j) => j !== i)),
    append: (row: R) => setRows([...list, row]),
  };
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
    <ProcedureForm id="checklist-title" title="Inspection checklist" procedure={current.data} saved={saved} general={general} editable={editable} onSubmit={submit} saveLabel="Save checklist">
      <Field label="Steps, one per line" error={byField['definition.steps'] ?? byField.definition} help="Each step is marked pass, fail or n.a. when the inspection is logged.">
        {(p) => <textarea {...p} rows={6} readOnly={!editable} value={steps ?? ''} onChange={(e) => setSteps(e.target.value)} />}
      </Field>
    </ProcedureForm>
  );
}

const initialPoints = (procedure: Procedure | null): PointRow[] => {
  const def = procedure?.definition;
  return def?.kind === 'measurements'
    ? def.points.map((p) => ({ label: p.label, unit: p.unit, nominal: text(p.nominal), toleranceKind: p.toleranceKind, tolerance: text(p.tolerance) }))
    : [{ label: '', unit: '', nominal: '', toleranceKind: 'percent', tolerance: '' }];
};

export function PointsEditor({ categoryId, editable }: { categoryId: string; editable: boolean }) {
  const current = useQuery('procedures.forCategory', { categoryId, task: 'calibration' });
  const { list, set, remove, append } = useRows(current.data, initialPoints);
  const { error, saved, save, setError } = useSave(categoryId, 'calibration');
  const { general } = fieldErrors(error);
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
  const last = list.at(-1);
  return (
    <ProcedureForm
      id="points-title"
      title="Calibration points"
      procedure={current.data}
      saved={saved}
      general={general}
      editable={editable}
      onSubmit={submit}
      add={{ label: 'Add a point', onClick: () => append({ label: '', unit: last?.unit ?? '', nominal: '', toleranceKind: last?.toleranceKind ?? 'percent', tolerance: '' }) }}
      saveLabel="Save points"
    >
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
              {editable ? <RemoveCell label={`Remove point ${i + 1}`} onClick={() => remove(i)} disabled={list.length === 1} /> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </ProcedureForm>
  );
}

const initialChecks = (procedure: Procedure | null): CheckRow[] => {
  const def = procedure?.definition;
  return def?.kind === 'safety'
    ? def.checks.map((c) => ({ label: c.label, unit: c.unit, min: text(c.min), max: text(c.max) }))
    : [
        { label: 'Protective earth resistance', unit: 'Ω', min: '', max: '0.2' },
        { label: 'Earth leakage current', unit: 'µA', min: '', max: '500' },
        { label: 'Insulation resistance', unit: 'MΩ', min: '2', max: '' },
      ];
};

export function SafetyChecksEditor({ categoryId, editable }: { categoryId: string; editable: boolean }) {
  const current = useQuery('procedures.forCategory', { categoryId, task: 'electrical_safety' });
  const { list, set, remove, append } = useRows(current.data, initialChecks);
  const { error, saved, save, setError } = useSave(categoryId, 'electrical_safety');
  const { general } = fieldErrors(error);
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
    <ProcedureForm
      id="safety-title"
      title="Electrical safety checks"
      procedure={current.data}
      saved={saved}
      general={general}
      editable={editable}
      onSubmit={submit}
      note={!current.data ? <p className="muted">The suggested checks below are typical limits for a class I device (IEC 62353); adjust them before saving.</p> : null}
      add={{ label: 'Add a check', onClick: () => append({ label: '', unit: '', min: '', max: '' }) }}
      saveLabel="Save checks"
    >
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
              {editable ? <RemoveCell label={`Remove check ${i + 1}`} onClick={() => remove(i)} disabled={list.length === 1} /> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </ProcedureForm>
  );
}

function RemoveCell({ label, onClick, disabled }: { label: string; onClick: () => void; disabled: boolean }) {
  return (
    <td>
      <button type="button" onClick={onClick} aria-label={label} disabled={disabled}>
        Remove
      </button>
    </td>
  );
}
