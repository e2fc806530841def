import { FormActions, FormField, KitForm, SubmitButton } from '../../components/Form';
import { useKitForm } from '../../lib/form';
import { useChannelMutation } from '../../lib/query';
import { emptyPinChange, pinChangeSchema } from './pin-form';

const schema = pinChangeSchema('Temporary PIN or password');

/** After an admin set or reset the PIN, the user chooses their own before going on. */
export function SetPin({ name, onDone, onCancel }: { name: string; onDone: () => void; onCancel: () => void }) {
  const form = useKitForm({ defaultValues: emptyPinChange, schema });
  const save = useChannelMutation('auth.setOwnPin');
  const { register } = form;
  return (
    <div className="gate">
      <main className="gate-card" aria-labelledby="set-pin-title">
        <h1 id="set-pin-title">Choose your PIN, {name}</h1>
        <p>Your PIN was set by an administrator. Choose your own: 4 to 8 digits that only you know. You will use it to sign in and to sign records.</p>
        <KitForm
          form={form}
          onSubmit={async (v) => {
            const res = await save.run({ currentSecret: v.currentSecret, newPin: v.newPin });
            if (res.ok) onDone();
            return res;
          }}
        >
          <FormField name="currentSecret" label="Temporary PIN or password" required>
            {(p) => <input {...p} {...register('currentSecret')} type="password" autoComplete="current-password" autoFocus />}
          </FormField>
          <div className="grid-2">
            <FormField name="newPin" label="New PIN" required help="4 to 8 digits.">
              {(p) => <input {...p} {...register('newPin')} type="password" inputMode="numeric" autoComplete="off" />}
            </FormField>
            <FormField name="again" label="New PIN again" required>
              {(p) => <input {...p} {...register('again')} type="password" inputMode="numeric" autoComplete="off" />}
            </FormField>
          </div>
          <FormActions>
            <SubmitButton busyLabel="Saving…">Save PIN</SubmitButton>
            <button type="button" onClick={onCancel}>
              Sign out
            </button>
          </FormActions>
        </KitForm>
      </main>
    </div>
  );
}
