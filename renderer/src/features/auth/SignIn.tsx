import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { ROLE_LABELS } from '../../../../shared/domain/user';
import type { AppErrorValue } from '../../../../shared/result';
import { ErrorBanner } from '../../components/Banner';
import { Field } from '../../components/Field';
import { call, useQuery } from '../../lib/api';
import { fieldErrors } from '../../lib/form-errors';

/**
 * The sign-in and lock screen of a shared ward PC: pick your name (or type it), type your PIN or
 * password, press Enter. When the screen locked on someone, their name is preselected.
 */
export function SignIn({ lockedUser, onSignedIn }: { lockedUser: { id: string; name: string } | null; onSignedIn: () => void }) {
  const candidates = useQuery('auth.candidates', {});
  const [picked, setPicked] = useState<string>(lockedUser?.id ?? '');
  const [typedName, setTypedName] = useState('');
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<AppErrorValue | null>(null);
  const [busy, setBusy] = useState(false);
  const secretRef = useRef<HTMLInputElement>(null);
  const { byField, general } = fieldErrors(error);

  useEffect(() => {
    if (lockedUser) secretRef.current?.focus();
  }, [lockedUser]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const who = typedName.trim() ? { name: typedName.trim() } : picked ? { userId: picked } : null;
    if (!who) {
      setError({ code: 'invalid_input', field: 'name', message: 'Pick your name from the list or type it.' });
      return;
    }
    setBusy(true);
    const res = await call('auth.signIn', { ...who, secret });
    setBusy(false);
    setSecret('');
    if (res.ok) onSignedIn();
    else {
      setError(res.error);
      secretRef.current?.focus();
    }
  }

  const list = candidates.data ?? [];
  return (
    <div className="gate">
      <main className="gate-card" aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">
          <img src="./icon.svg" alt="" /> {lockedUser ? 'Screen locked' : 'Sign in to Wardkeep'}
        </h1>
        {lockedUser ? (
          <p className="locked-note">
            Locked while <strong>{lockedUser.name}</strong> was away. {lockedUser.name} can sign in to carry on where they left off; if someone else
            signs in, {lockedUser.name}&apos;s unsaved work is discarded.
          </p>
        ) : null}
        <ErrorBanner error={general} />
        <form onSubmit={submit} noValidate>
          <div className="gate-grid">
            <fieldset className="names" aria-describedby={byField.name || byField.userId ? 'who-error' : undefined}>
              <legend>Who are you?</legend>
              {list.length === 0 && !candidates.loading ? <p className="empty">No names to pick: type yours instead.</p> : null}
              {list.map((u) => (
                <label key={u.id} className="name-option">
                  <input
                    type="radio"
                    name="who"
                    value={u.id}
                    checked={picked === u.id && !typedName}
                    onChange={() => {
                      setPicked(u.id);
                      setTypedName('');
                      secretRef.current?.focus();
                    }}
                  />
                  <span className="who-text">
                    <span>{u.name}</span>
                    <span className="role">{ROLE_LABELS[u.role]}</span>
                  </span>
                </label>
              ))}
            </fieldset>
            <div className="stack">
              <Field label="Or type your name" error={byField.name ?? byField.userId}>
                {(p) => <input {...p} type="text" autoComplete="username" value={typedName} onChange={(e) => setTypedName(e.target.value)} />}
              </Field>
              <Field label="PIN or password" required error={byField.secret}>
                {(p) => (
                  <input
                    {...p}
                    ref={secretRef}
                    className="pin-input"
                    type="password"
                    autoComplete="current-password"
                    value={secret}
                    onChange={(e) => setSecret(e.target.value)}
                  />
                )}
              </Field>
              <div className="form-actions">
                <button type="submit" className="primary" disabled={busy}>
                  Sign in
                </button>
              </div>
            </div>
          </div>
          <span id="who-error" className="sr-only">
            {byField.name ?? byField.userId ?? ''}
          </span>
        </form>
      </main>
    </div>
  );
}
