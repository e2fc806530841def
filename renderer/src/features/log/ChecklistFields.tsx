import type { StepResult } from '../../../../shared/tolerance';
import { checklistOutcome } from '../../../../shared/tolerance';
import { Field } from '../../components/Field';
import { OutcomeBadge } from '../../components/OutcomeBadge';

export interface StepDraft {
  result: StepResult | null;
  note: string;
}

export interface OverrideDraft {
  on: boolean;
  outcome: 'pass' | 'fail';
  reason: string;
}

const CHOICES: [StepResult, string][] = [
  ['pass', 'Pass'],
  ['fail', 'Fail'],
  ['na', 'N.a.'],
];

/** The plan's checklist: each step pass, fail or not applicable; the outcome follows unless overridden with a reason. */
export function ChecklistFields({
  steps,
  value,
  onChange,
  override,
  onOverride,
  errors,
}: {
  steps: { text: string }[];
  value: StepDraft[];
  onChange: (v: StepDraft[]) => void;
  override: OverrideDraft;
  onOverride: (o: OverrideDraft) => void;
  errors: Record<string, string>;
}) {
  const derived = checklistOutcome(value.map((s) => s.result));
  const set = (i: number, patch: Partial<StepDraft>) => onChange(value.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  return (
    <fieldset className="checklist">
      <legend>Checklist</legend>
      {errors['result.steps'] ? (
        <p className="error" role="alert">
          {errors['result.steps']}
        </p>
      ) : null}
      <ol className="steps">
        {steps.map((step, i) => (
          <li key={i} className={`step ${value[i]?.result ?? ''}`}>
            <fieldset className="step-choice">
              <legend className="step-text">{step.text}</legend>
              {CHOICES.map(([r, label]) => (
                <label key={r} className="choice">
                  <input type="radio" name={`step-${i}`} value={r} checked={value[i]?.result === r} onChange={() => set(i, { result: r })} />
                  {label}
                </label>
              ))}
              <label className="step-note">
                <span className="sr-only">Note on step {i + 1}</span>
                <input type="text" placeholder="Note (optional)" value={value[i]?.note ?? ''} onChange={(e) => set(i, { note: e.target.value })} />
              </label>
            </fieldset>
          </li>
        ))}
      </ol>
      <p className="live-outcome" aria-live="polite">
        Outcome from the steps: {derived ? <OutcomeBadge outcome={derived} /> : <span className="muted">give every step a result</span>}
      </p>
      <label className="check">
        <input type="checkbox" checked={override.on} onChange={(e) => onOverride({ ...override, on: e.target.checked })} />
        Override the outcome (a reason is required)
      </label>
      {override.on ? (
        <div className="grid-2">
          <Field label="Outcome" required>
            {(p) => (
              <select {...p} value={override.outcome} onChange={(e) => onOverride({ ...override, outcome: e.target.value as 'pass' | 'fail' })}>
                <option value="pass">Pass</option>
                <option value="fail">Fail</option>
              </select>
            )}
          </Field>
          <Field label="Reason for the override" required error={errors['result.override.reason']}>
            {(p) => <input {...p} type="text" value={override.reason} onChange={(e) => onOverride({ ...override, reason: e.target.value })} />}
          </Field>
        </div>
      ) : null}
    </fieldset>
  );
}
