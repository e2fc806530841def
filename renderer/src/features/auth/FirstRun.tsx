import { useState } from 'react';
import type { FormEvent } from 'react';
import { ErrorBanner } from '../../components/Banner';
import { Field } from '../../components/Field';
import { call } from '../../lib/api';
import { fieldErrors } from '../../lib/form-errors';
import type { AppErrorValue } from '../../../../shared/result';

/** First run: create the first administrator. There is no default account or password anywhere. */
export function FirstRun({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<AppErrorValue | null>(null);
  const [busy, setBusy] = useState(false);
  const { byField, general } = fieldErrors(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (password !== confirm) {
      setError({ code: 'invalid_input', field: 'confirm', message: 'The two passwords are not the same.' });
      return;
    }
    setBusy(true);
    const res = await call('auth.setupFirstAdmin', { name, password, ...(pin ? { pin } : {}) });
    setBusy(false);
    if (res.ok) onDone();
    else setError(res.error);
  }

  return (
    <div className="gate">
      <main className="gate-card" aria-labelledby="first-run-title">
        <h1 id="first-run-title">
          <img src="./icon.svg" alt="" /> Welcome to Wardkeep
        </h1>
        <p>Create the administrator account for this database. The administrator adds the other users, their roles and this PC&apos;s settings.</p>
        <ErrorBanner error={general} />
        <form className="stack" onSubmit={submit} noValidate>
          <Field label="Your name" required error={byField.name}>
            {(p) => <input {...p} type="text" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} autoFocus />}
          </Field>
          <div className="grid-2">
            <Field label="Password" required help="At least 8 characters." error={byField.password}>
              {(p) => <input {...p} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
            </Field>
            <Field label="Password again" required error={byField.confirm}>
              {(p) => <input {...p} type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />}
            </Field>
          </div>
          <Field label="PIN (optional)" help="4 to 8 digits, for signing in quickly at the ward PC." error={byField.pin}>
            {(p) => <input {...p} type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} />}
          </Field>
          <div className="form-actions">
            <button type="submit" className="primary" disabled={busy}>
              Create administrator
            </button>
          </div>
        </form>
      </main>
    </div>
  );
}
