import { useId, useState } from 'react';
import { createPortal } from 'react-dom';
import { Dialog } from '../../components/Dialog';
import { FormDialog } from '../../components/FormDialog';
import { useKitForm } from '../../lib/form';
import { useChannelMutation } from '../../lib/query';
import { emptyPinChange, pinChangeSchema } from './pin-form';
import { PinChangeFields } from './PinChangeFields';

const CURRENT = 'Current PIN or password';
const schema = pinChangeSchema(CURRENT);

/**
 * The signed-in user changes their own PIN (a colleague saw it, or it is time), with no
 * administrator: the current PIN or password proves it is them, counted like a sign-in (five wrong
 * in a row lock the account).
 */
function ChangePinDialog({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const form = useKitForm({ defaultValues: emptyPinChange, schema });
  const save = useChannelMutation('auth.setOwnPin');
  return (
    <FormDialog
      title="Change your PIN"
      form={form}
      submitLabel="Change PIN"
      onClose={onClose}
      // A locked account is refused as a sign-in is, about the secret typed.
      fieldOf={(f) => (f === 'secret' ? 'currentSecret' : f)}
      onSubmit={async (v) => {
        const res = await save.run({ currentSecret: v.currentSecret, newPin: v.newPin });
        if (res.ok) onDone();
        return res;
      }}
    >
      <p>Your PIN signs you in and signs your records: choose 4 to 8 digits that only you know.</p>
      <PinChangeFields currentLabel={CURRENT} help="4 to 8 digits, not one digit repeated nor a run such as 1234." inDialog />
    </FormDialog>
  );
}

/** "Change PIN…" in the top bar, its dialog, and the sentence that says it is done. */
export function ChangePin() {
  const [step, setStep] = useState<'closed' | 'form' | 'done'>('closed');
  const close = () => setStep('closed');
  const doneText = useId();
  return (
    <>
      <button type="button" onClick={() => setStep('form')} title="Choose a new PIN for signing in and signing records">
        Change PIN…
      </button>
      {/* In the page's body, not the top bar: the bar's light-on-blue button style would hide Cancel. */}
      {step === 'form' ? createPortal(<ChangePinDialog onClose={close} onDone={() => setStep('done')} />, document.body) : null}
      {step === 'done' ? createPortal(
        <Dialog title="Your PIN is changed" onClose={close} describedBy={doneText}>
          <div className="stack">
            <p id={doneText} role="status">
              Your new PIN is saved: use it from now on to sign in and to sign records. The old one no longer works.
            </p>
            <div className="form-actions dialog-actions">
              <button type="button" className="primary" onClick={close} data-autofocus>
                Close
              </button>
            </div>
          </div>
        </Dialog>,
        document.body,
      ) : null}
    </>
  );
}
