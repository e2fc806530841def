import type { ReactNode } from 'react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FieldValues, SubmitErrorHandler } from 'react-hook-form';
import { FormProvider, get, useFormContext, useFormState } from 'react-hook-form';
import type { AppErrorValue, Result } from '../../../shared/result';
import type { KitForm as KitFormApi } from '../lib/form';
import { applyServerError } from '../lib/form';
import { ErrorSummary } from './ErrorSummary';
import { Field } from './Field';

/**
 * What a form's submit returns: nothing (done), or the back end's refusal to place beside the
 * fields. A Result is accepted as it comes from a channel.
 */
export type SubmitOutcome = void | null | AppErrorValue | Result<unknown>;

function refusal(outcome: SubmitOutcome): AppErrorValue | null {
  if (!outcome) return null;
  if ('ok' in outcome) return outcome.ok ? null : outcome.error;
  return outcome;
}

/**
 * A form of the kit: the error summary at the top, the fields, the actions. On a refused submit
 * (by the form's own checks or by the back end) every problem is listed in the summary and beside
 * its field, and the focus moves to the summary. A second submit while one is on its way is ignored.
 */
export function KitForm<TIn extends FieldValues, TOut>({
  form,
  onSubmit,
  fieldOf,
  children,
  className,
  label,
  labelledBy,
  onAttempt,
}: {
  form: KitFormApi<TIn, TOut>;
  onSubmit: (values: TOut) => Promise<SubmitOutcome> | SubmitOutcome;
  /** Each press of submit, before the form is checked: a screen clears its message of the last action here. */
  onAttempt?: () => void;
  /** Maps a back-end field path to the form's field name (default: the same); null when the form has no such field. */
  fieldOf?: (serverField: string) => string | null;
  children: ReactNode;
  className?: string;
  label?: string;
  labelledBy?: string;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  const busy = useRef(false);
  // Counts refused submits: the summary takes the focus once it shows this refusal's problems.
  const [refusals, setRefusals] = useState(0);
  const focusSummary = useCallback(() => setRefusals((n) => n + 1), []);

  const onInvalid: SubmitErrorHandler<TIn> = () => focusSummary();
  const submit = form.handleSubmit(async (values) => {
    const outcome = await onSubmit(values);
    const error = refusal(outcome);
    if (error) {
      applyServerError(form, error, fieldOf);
      focusSummary();
    }
  }, onInvalid);

  return (
    <FormProvider {...form}>
      <form
        ref={formRef}
        className={className ?? 'stack'}
        noValidate
        {...(label ? { 'aria-label': label } : {})}
        {...(labelledBy ? { 'aria-labelledby': labelledBy } : {})}
        onSubmit={(e) => {
          e.preventDefault();
          if (busy.current) return;
          busy.current = true;
          // Root (server) problems belong to the last attempt only.
          form.clearErrors('root');
          onAttempt?.();
          void submit(e).finally(() => {
            busy.current = false;
          });
        }}
      >
        <ErrorSummary formRef={formRef} focusToken={refusals} />
        {children}
      </form>
    </FormProvider>
  );
}

/** The primary action of a form: says it is working and refuses a second press while the first is saved. */
export function SubmitButton({ children, busyLabel, className = 'primary' }: { children: ReactNode; busyLabel?: string; className?: string }) {
  const { isSubmitting } = useFormState();
  return (
    <button type="submit" className={className} aria-disabled={isSubmitting || undefined} data-busy={isSubmitting || undefined}>
      {isSubmitting && busyLabel ? busyLabel : children}
    </button>
  );
}

/** The actions at the foot of every form and dialog: the primary action first, then the others. */
export function FormActions({ children, className }: { children: ReactNode; className?: string }) {
  return <div className={`form-actions${className ? ` ${className}` : ''}`}>{children}</div>;
}

/** The problem the form holds for `name`, if any. */
export function useFieldError(name: string): string | undefined {
  const { errors } = useFormState();
  const e = get(errors, name) as { message?: string } | undefined;
  return e?.message;
}

/**
 * A labelled control of a kit form with its help, and its problem beside it. `children` receives
 * the control's id and ARIA attributes; register the control with the form (`form.register(name)`).
 */
export function FormField({
  name,
  label,
  help,
  required,
  children,
  className,
}: {
  name: string;
  label: string;
  help?: ReactNode;
  required?: boolean;
  children: Parameters<typeof Field>[0]['children'];
  className?: string;
}) {
  const error = useFieldError(name);
  return (
    <Field label={label} error={error} help={help} required={required} className={className}>
      {children}
    </Field>
  );
}

/** The form's values, for fields that follow others (a help text, a question about a date). */
export function useFormValues<T extends FieldValues>() {
  return useFormContext<T>();
}

/** Moves the focus to the first field once the form is on screen (dialogs do this themselves). */
export function useFocusFirst(ref: React.RefObject<HTMLElement | null>, when = true): void {
  useEffect(() => {
    if (when) ref.current?.focus();
  }, [ref, when]);
}
