import type { FormEvent } from 'react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LogForm } from '../../../../shared/contract/logging';
import type { CompletionView, NotDoneReason, WorkResult } from '../../../../shared/domain/completion';
import { SIGNATURE_MEANING_LABELS } from '../../../../shared/domain/completion';
import { ROLE_LABELS } from '../../../../shared/domain/user';
import type { Role } from '../../../../shared/domain/common';
import type { StockCheckLine, SupplyUse } from '../../../../shared/domain/stock';
import type { AppErrorValue } from '../../../../shared/result';
import { Banner, ErrorBanner } from '../../components/Banner';
import { StockCheckForm } from '../../components/StockCheckForm';
import { SuppliesUsedField } from '../../components/SuppliesUsedField';
import { DueFlag } from '../../components/DueFlag';
import { Field } from '../../components/Field';
import { call, useQuery } from '../../lib/api';
import { formatDate } from '../../lib/dates';
import { fieldErrors } from '../../lib/form-errors';
import { Link, navigate, queryParams, usePath } from '../../lib/router';
import { useDateFormat } from '../../lib/use-date-format';
import type { OverrideDraft, StepDraft } from './ChecklistFields';
import { ChecklistFields } from './ChecklistFields';
import { fromLocalInput, parseDecimal, toLocalInput } from '../../lib/inputs';
import type { ReadingDraft } from './MeasurementFields';
import { MeasurementFields, ReferencePicker, SafetyFields } from './MeasurementFields';

const CLEANING_METHODS = ['Wipe with disinfectant', 'Wipe with detergent, then disinfectant', 'Spray and wipe', 'Immersion', 'Steam', 'UV-C cabinet'];
const CLEANING_AGENTS = ['70% isopropyl alcohol', 'Chlorine 1,000 ppm', 'Quaternary ammonium wipes', 'Hydrogen peroxide wipes', 'Neutral detergent'];

interface Draft {
  done: 'done' | 'not_done';
  notDoneReason: NotDoneReason;
  notDoneExplanation: string;
  method: string;
  agent: string;
  passFail: 'pass' | 'fail';
  steps: StepDraft[];
  override: OverrideDraft;
  readings: ReadingDraft[];
  safety: string[];
  referenceId: string;
  performedAt: string;
  minutes: string;
  notes: string;
  reason: string;
}

function initialDraft(form: LogForm, original: CompletionView | null): Draft {
  const def = form.procedure?.definition;
  const stepCount = def?.kind === 'checklist' ? def.steps.length : 0;
  const pointCount = def?.kind === 'measurements' ? def.points.length : 0;
  const checkCount = def?.kind === 'safety' ? def.checks.length : 0;
  const draft: Draft = {
    done: 'done',
    notDoneReason: 'in_use',
    notDoneExplanation: '',
    method: form.lastCleaning?.method ?? '',
    agent: form.lastCleaning?.agent ?? '',
    passFail: 'pass',
    steps: Array.from({ length: stepCount }, () => ({ result: null, note: '' })),
    override: { on: false, outcome: 'pass', reason: '' },
    readings: Array.from({ length: pointCount }, () => ({ asFound: '', adjusted: false, asLeft: '' })),
    safety: Array.from({ length: checkCount }, () => ''),
    referenceId: '',
    performedAt: toLocalInput(new Date(form.now)),
    minutes: '',
    notes: '',
    reason: '',
  };
  if (!original) return draft;
  // A correction starts from the record it corrects.
  const d = original.details;
  draft.performedAt = toLocalInput(new Date(original.performedAt));
  draft.minutes = original.minutesSpent === null ? '' : String(original.minutesSpent);
  draft.notes = original.notes ?? '';
  if (original.outcome.startsWith('not_done')) {
    draft.done = 'not_done';
    draft.notDoneReason = d.notDoneReason ?? 'other';
    draft.notDoneExplanation = d.notDoneExplanation ?? '';
  }
  if (d.method) draft.method = d.method;
  if (d.agent) draft.agent = d.agent;
  if (original.outcome === 'fail') draft.passFail = 'fail';
  if (original.reference) draft.referenceId = original.reference.equipmentId;
  if (def?.kind === 'checklist' && original.steps.length === stepCount) {
    draft.steps = original.steps.map((s) => ({ result: s.result, note: s.note ?? '' }));
    if (original.outcomeOverrideReason) draft.override = { on: true, outcome: original.outcome === 'fail' ? 'fail' : 'pass', reason: original.outcomeOverrideReason };
  }
  if (def?.kind === 'measurements' && original.readings.length === pointCount) {
    draft.readings = original.readings.map((r) => ({ asFound: r.asFound === null ? '' : String(r.asFound), adjusted: r.asLeft !== null, asLeft: r.asLeft === null ? '' : String(r.asLeft) }));
  }
  if (def?.kind === 'safety' && original.readings.length === checkCount) draft.safety = original.readings.map((r) => (r.asFound === null ? '' : String(r.asFound)));
  return draft;
}

/** The result to send, or a sentence saying what is missing (the back end judges the rest). */
function buildResult(form: LogForm, d: Draft): { result: WorkResult } | { problem: AppErrorValue } {
  const problem = (field: string, message: string) => ({ problem: { code: 'invalid_input' as const, field, message } });
  if (d.done === 'not_done') return { result: { kind: 'not_done', reason: d.notDoneReason, explanation: d.notDoneExplanation || null } };
  const def = form.procedure?.definition;
  switch (form.resultKind) {
    case 'cleaning':
      return { result: { kind: 'cleaning', method: d.method, agent: d.agent, outcome: d.passFail } };
    case 'outcome':
      return { result: { kind: 'outcome', outcome: d.passFail } };
    case 'checklist': {
      if (d.steps.some((s) => s.result === null)) return problem('result.steps', 'Give every step a result: pass, fail or n.a.');
      return {
        result: {
          kind: 'checklist',
          procedureId: form.procedure!.id,
          steps: d.steps.map((s) => ({ result: s.result!, note: s.note || null })),
          override: d.override.on ? { outcome: d.override.outcome, reason: d.override.reason } : null,
        },
      };
    }
    case 'measurements': {
      const readings = d.readings.map((r) => ({ asFound: parseDecimal(r.asFound), asLeft: r.adjusted ? parseDecimal(r.asLeft) : null, adjusted: r.adjusted }));
      const points = def?.kind === 'measurements' ? def.points : [];
      const missing = readings.findIndex((r) => r.asFound === null || (r.adjusted && r.asLeft === null));
      if (missing >= 0) return problem('result.readings', `Enter the ${readings[missing]!.asFound === null ? 'as-found' : 'as-left'} reading of "${points[missing]?.label}" as a number.`);
      if (!d.referenceId) return problem('result.referenceEquipmentId', 'Choose the reference standard you used.');
      return {
        result: {
          kind: 'measurements',
          procedureId: form.procedure!.id,
          referenceEquipmentId: d.referenceId,
          readings: readings.map((r) => ({ asFound: r.asFound!, asLeft: r.asLeft })),
        },
      };
    }
    case 'safety': {
      const values = d.safety.map(parseDecimal);
      const checks = def?.kind === 'safety' ? def.checks : [];
      const missing = values.findIndex((v) => v === null);
      if (missing >= 0) return problem('result.readings', `Enter the measured value of "${checks[missing]?.label}" as a number.`);
      return { result: { kind: 'safety', procedureId: form.procedure!.id, referenceEquipmentId: d.referenceId || null, readings: values.map((value) => ({ value: value! })) } };
    }
    case 'stock_check':
      return problem('result', 'Record stock checks from the stock location.');
  }
}

const NOT_DONE_LABELS: Record<NotDoneReason, string> = { in_use: 'In use (on a patient)', not_located: 'Not located', other: 'Other reason' };

function LogFormBody({ form, original }: { form: LogForm; original: CompletionView | null }) {
  const dateFormat = useDateFormat();
  const [d, setD] = useState(() => initialDraft(form, original));
  const [secret, setSecret] = useState('');
  const [lines, setLines] = useState<StockCheckLine[]>([]);
  const [uses, setUses] = useState<SupplyUse[]>([]);
  const [error, setError] = useState<AppErrorValue | null>(null);
  const [busy, setBusy] = useState(false);
  const secretRef = useRef<HTMLInputElement>(null);
  const firstRef = useRef<HTMLElement | null>(null);
  const { byField, general } = fieldErrors(error);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }));
  const def = form.procedure?.definition;
  const meaning = original ? 'amended_by' : 'performed_by';

  useEffect(() => {
    // A cleaning with its method and agent remembered needs only the PIN: start there.
    if (form.resultKind === 'cleaning' && d.method && d.agent && !original) secretRef.current?.focus();
    else (firstRef.current ?? secretRef.current)?.focus();
    // Only when the form opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- focus once, on open
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const built = form.resultKind === 'stock_check' && d.done === 'done' ? { result: { kind: 'stock_check' as const, lines } } : buildResult(form, d);
    if ('problem' in built) {
      setError(built.problem);
      return;
    }
    const performedAt = fromLocalInput(d.performedAt);
    if (!performedAt) {
      setError({ code: 'invalid_input', field: 'performedAt', message: 'Performed at must be a date and time.' });
      return;
    }
    const minutes = d.minutes.trim() === '' ? null : Number(d.minutes);
    const common = { performedAt, minutesSpent: minutes, notes: d.notes, result: built.result, secret, ...(original ? {} : { suppliesUsed: uses }) };
    setBusy(true);
    const res = original
      ? await call('completions.amend', { ...common, amendsId: original.id, reason: d.reason })
      : await call('completions.log', { ...common, planId: form.plan.id });
    setBusy(false);
    setSecret('');
    if (!res.ok) {
      setError(res.error);
      if (res.error.field === 'secret') secretRef.current?.focus();
      return;
    }
    navigate(form.target.kind === 'equipment' ? `/equipment/${form.target.id}?logged=${res.value.id}` : `/stock/checks/${res.value.id}`);
  }

  const statusLine = useMemo(
    () => <DueFlag status={form.plan.status} daysOverdue={form.plan.daysOverdue} doNotUse={form.plan.doNotUse} />,
    [form.plan.status, form.plan.daysOverdue, form.plan.doNotUse],
  );

  return (
    <form className="stack log-form" onSubmit={submit} noValidate aria-label={original ? 'Correct the record' : 'Log work'}>
      <ErrorBanner error={general} />
      {original ? (
        <section className="panel">
          <h2>Correcting the record of {formatDate(original.performedOn, dateFormat)}</h2>
          <p>The original stays in the history, struck through but readable; this correction points at it.</p>
          <Field label="Why is it being corrected?" required error={byField.reason}>
            {(p) => <input {...p} ref={(el) => void (firstRef.current = el)} type="text" value={d.reason} onChange={(e) => set('reason', e.target.value)} />}
          </Field>
        </section>
      ) : null}

      <section className="panel">
        <div className="log-head">
          <h2>{form.plan.taskLabel}</h2>
          {statusLine}
          <span className="muted">due {formatDate(form.plan.nextDue, dateFormat)}</span>
        </div>
        <fieldset className="choice-row">
          <legend>Was the work done?</legend>
          <label className="choice">
            <input type="radio" name="done" checked={d.done === 'done'} onChange={() => set('done', 'done')} /> Done
          </label>
          <label className="choice">
            <input type="radio" name="done" checked={d.done === 'not_done'} onChange={() => set('done', 'not_done')} /> Not done
          </label>
        </fieldset>

        {d.done === 'not_done' ? (
          <div className="grid-2">
            <Field label="Why not?" required>
              {(p) => (
                <select {...p} value={d.notDoneReason} onChange={(e) => set('notDoneReason', e.target.value as NotDoneReason)}>
                  {(Object.keys(NOT_DONE_LABELS) as NotDoneReason[]).map((r) => (
                    <option key={r} value={r}>
                      {NOT_DONE_LABELS[r]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Explanation" required={d.notDoneReason === 'other'} error={byField['result.explanation']} help="The plan stays due: not-done work is recorded and reported, it does not count as done.">
              {(p) => <input {...p} type="text" value={d.notDoneExplanation} onChange={(e) => set('notDoneExplanation', e.target.value)} />}
            </Field>
          </div>
        ) : form.resultKind === 'cleaning' ? (
          <div className="grid-3">
            <Field label="Method" required error={byField['result.method']}>
              {(p) => (
                <>
                  <input {...p} ref={(el) => void (firstRef.current = el)} type="text" list="cleaning-methods" value={d.method} onChange={(e) => set('method', e.target.value)} />
                  <datalist id="cleaning-methods">
                    {CLEANING_METHODS.map((m) => (
                      <option key={m} value={m} />
                    ))}
                  </datalist>
                </>
              )}
            </Field>
            <Field label="Agent" required error={byField['result.agent']}>
              {(p) => (
                <>
                  <input {...p} type="text" list="cleaning-agents" value={d.agent} onChange={(e) => set('agent', e.target.value)} />
                  <datalist id="cleaning-agents">
                    {CLEANING_AGENTS.map((m) => (
                      <option key={m} value={m} />
                    ))}
                  </datalist>
                </>
              )}
            </Field>
            <PassFail value={d.passFail} onChange={(v) => set('passFail', v)} />
          </div>
        ) : form.resultKind === 'outcome' ? (
          <>
            <PassFail value={d.passFail} onChange={(v) => set('passFail', v)} />
            {form.plan.task === 'calibration' || form.plan.task === 'inspection' || form.plan.task === 'electrical_safety' ? (
              <p className="muted">No checklist or measurement points are defined for this task yet; a supervisor can add them to the device&apos;s category.</p>
            ) : null}
          </>
        ) : form.resultKind === 'checklist' && def?.kind === 'checklist' ? (
          <ChecklistFields steps={def.steps} value={d.steps} onChange={(v) => set('steps', v)} override={d.override} onOverride={(v) => set('override', v)} errors={byField} />
        ) : form.resultKind === 'measurements' && def?.kind === 'measurements' ? (
          <>
            <ReferencePicker
              standards={form.referenceStandards}
              value={d.referenceId}
              onChange={(v) => set('referenceId', v)}
              required
              error={byField['result.referenceEquipmentId']}
              dateFormat={dateFormat}
            />
            <MeasurementFields points={def.points} readings={d.readings} onChange={(v) => set('readings', v)} error={byField['result.readings']} />
          </>
        ) : form.resultKind === 'safety' && def?.kind === 'safety' ? (
          <>
            <ReferencePicker
              standards={form.referenceStandards}
              value={d.referenceId}
              onChange={(v) => set('referenceId', v)}
              required={false}
              error={byField['result.referenceEquipmentId']}
              dateFormat={dateFormat}
            />
            <SafetyFields checks={def.checks} values={d.safety} onChange={(v) => set('safety', v)} error={byField['result.readings']} />
          </>
        ) : form.resultKind === 'stock_check' && form.stockCheck ? (
          original ? (
            <Banner kind="info">A stock check is not corrected here: record a count or an adjustment on the stock location.</Banner>
          ) : (
            <StockCheckForm form={form.stockCheck} value={lines} onChange={setLines} errors={byField} />
          )
        ) : (
          <Banner kind="error">This plan&apos;s work cannot be recorded here.</Banner>
        )}
      </section>

      {!original && form.target.kind === 'equipment' && d.done === 'done' ? (
        <section className="panel" aria-labelledby="supplies-title">
          <h2 id="supplies-title">Supplies used</h2>
          <SuppliesUsedField value={uses} onChange={setUses} equipmentId={form.target.id} errors={byField} />
        </section>
      ) : null}

      <section className="panel">
        <div className="grid-3">
          <Field label="Performed at" required error={byField.performedAt} help="Now, or earlier; never in the future.">
            {(p) => <input {...p} type="datetime-local" value={d.performedAt} max={toLocalInput(new Date())} onChange={(e) => set('performedAt', e.target.value)} />}
          </Field>
          <Field label="Time spent (minutes)" error={byField.minutesSpent}>
            {(p) => <input {...p} type="number" min={0} max={1440} inputMode="numeric" value={d.minutes} onChange={(e) => set('minutes', e.target.value)} />}
          </Field>
        </div>
        <Field label="Notes" error={byField.notes}>
          {(p) => <textarea {...p} value={d.notes} onChange={(e) => set('notes', e.target.value)} />}
        </Field>
      </section>

      <section className="panel sign-block" aria-labelledby="sign-title">
        <h2 id="sign-title">Sign</h2>
        <p>
          <strong>{SIGNATURE_MEANING_LABELS[meaning]}</strong>: {form.signer.name} ({ROLE_LABELS[form.signer.role as Role] ?? form.signer.role}). Your PIN or
          password signs this record; it cannot be changed afterwards, only corrected.
        </p>
        <div className="form-actions">
          <Field label="Your PIN or password" required error={byField.secret}>
            {(p) => <input {...p} ref={secretRef} className="pin-input" type="password" autoComplete="current-password" value={secret} onChange={(e) => setSecret(e.target.value)} />}
          </Field>
          <button type="submit" className="primary sign-button" disabled={busy}>
            {original ? 'Sign and save the correction' : 'Sign and save'}
          </button>
        </div>
      </section>
    </form>
  );
}

function PassFail({ value, onChange }: { value: 'pass' | 'fail'; onChange: (v: 'pass' | 'fail') => void }) {
  return (
    <fieldset className="choice-row">
      <legend>Outcome</legend>
      <label className="choice">
        <input type="radio" name="pass-fail" checked={value === 'pass'} onChange={() => onChange('pass')} /> Pass
      </label>
      <label className="choice">
        <input type="radio" name="pass-fail" checked={value === 'fail'} onChange={() => onChange('fail')} /> Fail
      </label>
    </fieldset>
  );
}

/** Log work on a plan (#/log/:planId), or correct a record (#/log/:planId?amend=:completionId). */
export function LogScreen({ planId }: { planId: string }) {
  const path = usePath();
  const amendId = queryParams(path).get('amend');
  const form = useQuery('log.form', { planId });
  const original = useQuery('completions.get', { id: amendId ?? '' }, { enabled: Boolean(amendId) });
  const plans = useQuery('plans.list', { equipmentId: form.data?.target.kind === 'equipment' ? form.data.target.id : '' }, { enabled: form.data?.target.kind === 'equipment' });
  // Read once: a later write (e.g. this record) must not reset the form under the technician's hands.
  const [snapshot, setSnapshot] = useState<{ form: LogForm; original: CompletionView | null } | null>(null);
  useEffect(() => {
    if (form.data && (!amendId || original.data) && (!snapshot || snapshot.form.plan.id !== form.data.plan.id)) {
      setSnapshot({ form: form.data, original: amendId ? (original.data ?? null) : null });
    }
  }, [form.data, original.data, amendId, snapshot]);

  if (form.error) return <ErrorBanner error={form.error} />;
  if (original.error) return <ErrorBanner error={original.error} />;
  if (!snapshot) return <p className="muted">Loading…</p>;
  const { target } = snapshot.form;
  const otherPlans = (plans.data?.plans ?? []).filter((p) => p.active);
  return (
    <>
      <p className="back-link">{target.kind === 'equipment' ? <Link to={`/equipment/${target.id}`}>‹ {target.name}</Link> : <Link to={`/stock/locations/${target.id}`}>‹ {target.name}</Link>}</p>
      <div className="page-head">
        <h1>
          {amendId ? 'Correct a record' : 'Log work'}: {target.name} {target.kind === 'equipment' ? <span className="tag-chip mono">{target.assetTag}</span> : null}
        </h1>
        <span className="muted">{target.locationPath}</span>
      </div>
      {!amendId && otherPlans.length > 1 ? (
        <div className="task-switch">
          <Field label="Task">
            {(p) => (
              <select {...p} value={snapshot.form.plan.id} onChange={(e) => navigate(`/log/${e.target.value}`)}>
                {otherPlans.map((pl) => (
                  <option key={pl.id} value={pl.id}>
                    {pl.taskLabel} ({pl.status === 'overdue' ? `overdue ${pl.daysOverdue} days` : pl.status})
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      ) : null}
      <LogFormBody key={`${snapshot.form.plan.id}:${amendId ?? ''}`} form={snapshot.form} original={snapshot.original} />
    </>
  );
}
