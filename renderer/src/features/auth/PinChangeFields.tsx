import { FormField, useFormValues } from '../../components/Form';
import type { emptyPinChange } from './pin-form';

/**
 * The fields of choosing one's own PIN (pin-form.ts), in the first sign-in's screen and in the top
 * bar's "Change PIN…" dialog: the current secret as `currentLabel` names it, and the new PIN twice.
 * `inDialog`: the dialog puts the focus on its marked field; the screen focuses it itself.
 */
export function PinChangeFields({ currentLabel, help, inDialog }: { currentLabel: string; help: string; inDialog: boolean }) {
  const { register } = useFormValues<typeof emptyPinChange>();
  return (
    <>
      <FormField name="currentSecret" label={currentLabel} required>
        {(p) => (
          <input
            {...p}
            {...register('currentSecret')}
            type="password"
            autoComplete="current-password"
            {...(inDialog ? { 'data-autofocus': true } : { autoFocus: true })}
          />
        )}
      </FormField>
      <div className="grid-2">
        <FormField name="newPin" label="New PIN" required help={help}>
          {(p) => <input {...p} {...register('newPin')} type="password" inputMode="numeric" autoComplete="off" />}
        </FormField>
        <FormField name="again" label="New PIN again" required>
          {(p) => <input {...p} {...register('again')} type="password" inputMode="numeric" autoComplete="off" />}
        </FormField>
      </div>
    </>
  );
}
