import type { ReactNode } from 'react';
import { useEffect, useRef } from 'react';
import type { AppErrorValue } from '../../../shared/result';

export function Banner({ kind, children }: { kind: 'error' | 'warn' | 'ok' | 'info'; children: ReactNode }) {
  return (
    <div className={`banner ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** An error from the back end, with every detail (e.g. every bad row) listed. */
export function ErrorBanner({ error }: { error: AppErrorValue | undefined | null }) {
  if (!error) return null;
  return (
    <Banner kind="error">
      <strong>{error.message}</strong>
      {error.details && error.details.length > 1 ? (
        <ul>
          {error.details.map((d, i) => (
            <li key={i}>{d.message}</li>
          ))}
        </ul>
      ) : null}
    </Banner>
  );
}

/**
 * A refusal outside a kit form (a wizard's step): shown as a banner that takes the focus when it
 * appears, so a keyboard or screen-reader user meets it at once.
 */
export function FocusedError({ error }: { error: AppErrorValue | undefined | null }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) ref.current?.focus();
  }, [error]);
  if (!error) return null;
  return (
    <div ref={ref} tabIndex={-1} className="focused-error">
      <ErrorBanner error={error} />
    </div>
  );
}
