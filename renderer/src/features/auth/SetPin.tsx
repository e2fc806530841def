import { FormActions, KitForm, SubmitButton } from '../../components/Form';
import { useKitForm } from '../../lib/form';
import { useChannelMutation } from '../../lib/query';
import { emptyPinChange, pinChangeSchema } from './pin-form';
import { PinChangeFields } from './PinChangeFields';

const CURRENT = 'Temporary PIN or password';
const schema = pinChangeSchema(CURRENT);

/** After an admin set or reset the PIN, the user chooses their own before going on. */
export function SetPin({ name, onDone, onCancel }: { name: string; onDone: () => void; onCancel: () => void }) {
  const form = useKitForm({ defaultValues: emptyPinChange, schema });
  const save = useChannelMutation('auth.setOwnPin');
  return (
    <div className="gate">
      <main className="gate-card" aria-labelledby="set-pin-title">
        <h1 id="set-pin-title">Choose your PIN, {name}</h1>
        <p>Your PIN was set by an administrator. Choose your own: 4 to 8 digits that only you know, not the one you were given. You will use it to sign in and to sign records.</p>
        <KitForm
          form={form}
          // A locked account is refused as a sign-in is, about the secret typed: beside the temporary PIN.
          fieldOf={(f) => (f === 'secret' ? 'currentSecret' : f)}
          onSubmit={async (v) => {
            const res = await save.run({ currentSecret: v.currentSecret, newPin: v.newPin });
            if (res.ok) onDone();
            return res;
          }}
        >
          <PinChangeFields currentLabel={CURRENT} help="4 to 8 digits." inDialog={false} />
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
