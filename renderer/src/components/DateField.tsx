import type { ReactNode } from 'react';
import { Controller, useFormContext } from 'react-hook-form';
import { useDates } from '../lib/settings';
import { DateInput } from './DateInput';
import { useFieldError } from './Form';
import { Field } from './Field';

/** A date field of a kit form: the one date input, in the user's format, its problem beside it. */
export function DateField({
  name,
  label,
  help,
  required,
  disabled,
}: {
  name: string;
  label: string;
  help?: ReactNode;
  required?: boolean;
  disabled?: boolean;
}) {
  const { control } = useFormContext();
  const error = useFieldError(name);
  const dates = useDates();
  return (
    <Field
      label={label}
      error={error}
      required={required}
      help={
        <>
          {help ? <>{help} </> : null}
          <span className="date-hint">
            {dates.hint}
            <span className="kbd-hint"> · Alt+↓ calendar</span>
          </span>
        </>
      }
    >
      {(p) => (
        <Controller
          control={control}
          name={name}
          render={({ field }) => (
            <DateInput
              id={p.id}
              name={field.name}
              value={typeof field.value === 'string' ? field.value : ''}
              onChange={field.onChange}
              onBlur={field.onBlur}
              inputRef={field.ref}
              setting={dates.setting}
              label={label}
              invalid={p['aria-invalid']}
              describedBy={p['aria-describedby']}
              {...(required ? { required } : {})}
              {...(disabled ? { disabled } : {})}
            />
          )}
        />
      )}
    </Field>
  );
}
