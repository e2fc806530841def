import type { KeyboardEvent } from 'react';
import { useEffect, useRef, useState } from 'react';
import { z } from 'zod';
import { ROLE_LABELS, secret } from '../../../../shared/domain/user';
import { FormActions, FormField, KitForm, SubmitButton, useFieldError } from '../../components/Form';
import { useKitForm } from '../../lib/form';
import { useChannelMutation, useChannelQuery } from '../../lib/query';
import { EMPTY_SCAN } from '../../lib/scanner';
import { Banner } from '../../components/Banner';
import { signInScanStep } from './scan-at-sign-in';

const schema = z
  .object({ who: z.string(), typedName: z.string(), secret })
  .refine((v) => v.who !== '' || v.typedName.trim() !== '', { message: 'Pick your name from the list or type it', path: ['who'] });

function NameError() {
  const error = useFieldError('who');
  return error ? (
    <span className="error" id="who-error">
      <span className="sr-only">Error: </span>
      {error}
    </span>
  ) : null;
}

/**
 * The sign-in and lock screen of a shared ward PC: pick your name (or type it), type your PIN or
 * password, press Enter. The names are one radio group: arrow keys move through them without
 * leaving the list; Enter (or a click) goes on to the PIN box. When the screen locked on someone,
 * their name is preselected and the PIN box has the focus; otherwise the box to type a name has it.
 */
export function SignIn({ lockedUser, onSignedIn }: { lockedUser: { id: string; name: string } | null; onSignedIn: () => void }) {
  const candidates = useChannelQuery('auth.candidates', {});
  const signIn = useChannelMutation('auth.signIn');
  const form = useKitForm({ defaultValues: { who: lockedUser?.id ?? '', typedName: '', secret: '' }, schema });
  const { register, setFocus, setValue, watch } = form;
  const typed = watch('typedName').trim() !== '';
  const nameError = useFieldErrorOutside(form.formState.errors);

  // The focus starts in the form, so a name or a PIN can be typed at once: in the PIN box when the
  // screen locked on someone (their name is the one checked), else in the box for typing one's
  // name, as no name is checked (Shift+Tab reaches the list).
  useEffect(() => {
    setFocus(lockedUser ? 'secret' : 'typedName');
  }, [lockedUser, setFocus]);

  useEffect(() => {
    document.title = `${lockedUser ? 'Screen locked' : 'Sign in'} – Wardkeep`;
    return () => {
      document.title = 'Wardkeep';
    };
  }, [lockedUser]);

  // A barcode scanned into a box here is not a PIN or a name: it is cleared, not sent (a wrong
  // PIN would count towards the lockout of the person the screen locked on).
  const scan = useRef(EMPTY_SCAN);
  const [scanned, setScanned] = useState(false);
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>, field: 'secret' | 'typedName') => {
    if (e.nativeEvent.isComposing) return;
    const step = signInScanStep(
      scan.current,
      { key: e.key, time: e.timeStamp, ctrlKey: e.ctrlKey, altKey: e.altKey, metaKey: e.metaKey, repeat: e.repeat },
      e.currentTarget.value,
    );
    scan.current = step.state;
    if (!step.scanned) return;
    e.preventDefault();
    setValue(field, '');
    setScanned(true);
  };

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
        <KitForm
          form={form}
          // A typed name no one has is refused beside the box it was typed in; a name picked from the list, beside the list.
          fieldOf={(f) => (f === 'name' ? 'typedName' : f === 'userId' ? 'who' : f)}
          onAttempt={() => setScanned(false)}
          onSubmit={async (v) => {
            const name = v.typedName.trim();
            const res = await signIn.run(name ? { name, secret: v.secret } : { userId: v.who, secret: v.secret });
            setValue('secret', '');
            if (res.ok) onSignedIn();
            return res;
          }}
        >
          <div className="gate-grid">
            <fieldset className={`names${nameError ? ' has-error' : ''}`} aria-describedby={nameError ? 'who-error' : undefined}>
              <legend>Who are you?</legend>
              <NameError />
              {list.length === 0 && !candidates.loading ? <p className="empty">No names to pick: type yours instead.</p> : null}
              {list.some((u) => u.alike) ? (
                <p className="small warn-text" data-testid="names-alike">
                  Some names here print alike: pick yours by its role and ward, and ask an administrator to rename one.
                </p>
              ) : null}
              {list.map((u) => (
                <label key={u.id} className="name-option">
                  <input
                    type="radio"
                    value={u.id}
                    {...register('who', {
                      onChange: () => setValue('typedName', ''),
                    })}
                    checked={!typed && watch('who') === u.id}
                    onClick={(e) => {
                      // A click (not an arrow key, which also "clicks" a radio) goes on to the PIN.
                      if (e.detail > 0) setFocus('secret');
                    }}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter') {
                        e.preventDefault();
                        setFocus('secret');
                      }
                    }}
                  />
                  <span className="who-text">
                    <span>{u.name}</span>
                    <span className="role">
                      {ROLE_LABELS[u.role]}
                      {u.alike ? `, ${u.alike}` : ''}
                    </span>
                  </span>
                </label>
              ))}
            </fieldset>
            <div className="stack">
              <FormField name="typedName" label="Or type your name">
                {(p) => (
                  <input
                    {...p}
                    {...register('typedName')}
                    type="text"
                    autoComplete="username"
                    onKeyDown={(e) => onKeyDown(e, 'typedName')}
                  />
                )}
              </FormField>
              <FormField name="secret" label="PIN or password" required>
                {(p) => (
                  <input
                    {...p}
                    {...register('secret')}
                    className="pin-input"
                    type="password"
                    autoComplete="current-password"
                    onKeyDown={(e) => onKeyDown(e, 'secret')}
                  />
                )}
              </FormField>
              {scanned ? <Banner kind="info">That was a barcode scan: sign in first, then scan.</Banner> : null}
              <FormActions>
                <SubmitButton busyLabel="Signing in…">Sign in</SubmitButton>
              </FormActions>
            </div>
          </div>
        </KitForm>
      </main>
    </div>
  );
}

function useFieldErrorOutside(errors: { who?: { message?: string } }): string | undefined {
  return errors.who?.message;
}
