import { useState } from 'react';
import type { FormEvent } from 'react';
import type { AppErrorValue } from '../../../../shared/result';
import { ErrorBanner } from '../../components/Banner';
import { Field } from '../../components/Field';
import { call } from '../../lib/api';
import { fieldErrors } from '../../lib/form-errors';

/** After an admin set or reset the PIN, the user chooses their own before going on. */
export function SetPin({ name, onDone, onCancel }: { name: string; onDone: () => void; onCancel: () => void }) {
  const [currentSecret, setCurrent] = useState('');
  const [newPin, setNewPin] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<AppErrorValue | null>(null);
  const { byField, general } = fieldErrors(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (newPin !== again) {
      setError({ code: 'invalid_input', field: 'again', message: 'The two PINs are not the same.' });
      return;
    }
    const res = await call('auth.setOwnPin', { currentSecret, newPin });
    if (res.ok) onDone();
    else setError(res.error);
  }

  return (
    <div className="gate">
      <main className="gate-card" aria-labelledby="set-pin-title">
        <h1 id="set-pin-title">Choose your PIN, {name}</h1>
        <p>Your PIN was set by an administrator. Choose your own: 4 to 8 digits that only you know. You will use it to sign in and to sign records.</p>
        <ErrorBanner error={general} />
        <form className="stack" onSubmit={submit} noValidate>
          <Field label="Temporary PIN or password" required error={byField.currentSecret}>
            {(p) => <input {...p} type="password" autoComplete="current-password" value={currentSecret} onChange={(e) => setCurrent(e.target.value)} autoFocus />}
          </Field>
          <div className="grid-2">
            <Field label="New PIN" required help="4 to 8 digits." error={byField.newPin}>
              {(p) => <input {...p} type="password" inputMode="numeric" autoComplete="off" value={newPin} onChange={(e) => setNewPin(e.target.value)} />}
            </Field>
            <Field label="New PIN again" required error={byField.again}>
              {(p) => <input {...p} type="password" inputMode="numeric" autoComplete="off" value={again} onChange={(e) => setAgain(e.target.value)} />}
            </Field>
          </div>
          <div className="form-actions">
            <button type="submit" className="primary">
              Save PIN
            </button>
            <button type="button" onClick={onCancel}>
              Sign out
            </button>
          </div>
        </form>
      </main>
    </div>
  );
}
