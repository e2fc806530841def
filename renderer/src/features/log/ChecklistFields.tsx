import { useFormContext, useWatch } from 'react-hook-form';
import { checklistOutcome } from '../../../../shared/tolerance';
import { FormField, useFieldError } from '../../components/Form';
import { OutcomeBadge } from '../../components/OutcomeBadge';
import type { LogValues } from './log-form';

const CHOICES = [
  ['pass', 'Pass'],
  ['fail', 'Fail'],
  ['na', 'N.a.'],
] as const;

function Step({ index, text }: { index: number; text: string }) {
  const { register } = useFormContext<LogValues>();
  const result = useWatch<LogValues, `steps.${number}.result`>({ name: `steps.${index}.result` });
  const error = useFieldError(`steps.${index}.result`);
  const errorId = `step-${index}-error`;
  // The note's own problem (too long) is said beside the note, not beside the step's result.
  const noteError = useFieldError(`steps.${index}.note`);
  const noteErrorId = `step-${index}-note-error`;
  return (
    <li className={`step ${result}${error || noteError ? ' has-error' : ''}`}>
      <fieldset className="step-choice" {...(error ? { 'aria-describedby': errorId } : {})}>
        <legend className="step-text">{text}</legend>
        {error ? (
          <span className="error" id={errorId}>
            <span className="sr-only">Error: </span>
            {error}
          </span>
        ) : null}
        {CHOICES.map(([r, label]) => (
          <label key={r} className="choice">
            <input type="radio" value={r} {...register(`steps.${index}.result`)} />
            {label}
          </label>
        ))}
        <label className="step-note">
          <span className="sr-only">Note on step {index + 1}</span>
          <input
            type="text"
            placeholder="Note (optional)"
            aria-invalid={Boolean(noteError)}
            {...(noteError ? { 'aria-describedby': noteErrorId } : {})}
            {...register(`steps.${index}.note`)}
          />
        </label>
        {noteError ? (
          <span className="error" id={noteErrorId}>
            <span className="sr-only">Error: </span>
            {noteError}
          </span>
        ) : null}
      </fieldset>
    </li>
  );
}

/** The plan's checklist: each step pass, fail or not applicable; the outcome follows unless overridden with a reason. */
export function ChecklistFields({ steps }: { steps: { text: string }[] }) {
  const { register } = useFormContext<LogValues>();
  const values = useWatch<LogValues, 'steps'>({ name: 'steps' });
  const override = useWatch<LogValues, 'override'>({ name: 'override' });
  const derived = checklistOutcome(values.map((s) => (s.result === '' ? null : s.result)));
  return (
    <fieldset className="checklist">
      <legend>Checklist</legend>
      <ol className="steps">
        {steps.map((step, i) => (
          <Step key={i} index={i} text={step.text} />
        ))}
      </ol>
      <p className="live-outcome" aria-live="polite">
        Outcome from the steps: {derived ? <OutcomeBadge outcome={derived} /> : <span className="muted">give every step a result</span>}
      </p>
      <label className="check">
        <input type="checkbox" {...register('override.on')} />
        Override the outcome (a reason is required)
      </label>
      {override.on ? (
        <div className="grid-2">
          <FormField name="override.outcome" label="Outcome" required>
            {(p) => (
              <select {...p} {...register('override.outcome')}>
                <option value="pass">Pass</option>
                <option value="fail">Fail</option>
              </select>
            )}
          </FormField>
          <FormField name="override.reason" label="Reason for the override" required>
            {(p) => <input {...p} {...register('override.reason')} type="text" />}
          </FormField>
        </div>
      ) : null}
    </fieldset>
  );
}
