import type { ReactNode } from 'react';
import { useEffect, useId, useRef, useState } from 'react';
import type { AppErrorValue, Result } from '../../../shared/result';
import { ErrorBanner } from './Banner';
import { Dialog } from './Dialog';

/**
 * The one way to confirm: a modal dialog saying what will happen, the action named on its button
 * and Cancel, with the focus on Cancel (nothing happens by pressing Enter at once). A refusal
 * stays in the dialog, focused; a second press while the first is on its way is ignored.
 */
export function ConfirmDialog<T>({
  title,
  children,
  confirmLabel,
  danger = false,
  onConfirm,
  onDone,
  onClose,
  extraActions,
  wide,
}: {
  title: ReactNode;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<Result<T>>;
  onDone: (value: T) => void;
  onClose: () => void;
  /** Replaces the confirm button when the refusal offers another way (e.g. "Retire it instead…"). */
  extraActions?: (error: AppErrorValue | null) => ReactNode;
  wide?: boolean;
}) {
  const [error, setError] = useState<AppErrorValue | null>(null);
  const [busy, setBusy] = useState(false);
  const textId = useId();
  const errorRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  async function confirm() {
    if (busy) return;
    setBusy(true);
    const res = await onConfirm();
    setBusy(false);
    if (res.ok) onDone(res.value);
    else setError(res.error);
  }

  const alternative = extraActions?.(error);
  return (
    <Dialog title={title} onClose={onClose} describedBy={textId} {...(wide ? { className: 'wide' } : {})}>
      <div className="stack">
        <div id={textId} className="confirm-text">
          {children}
        </div>
        {error ? (
          <div ref={errorRef} tabIndex={-1}>
            <ErrorBanner error={error} />
          </div>
        ) : null}
        <div className="form-actions dialog-actions">
          {alternative ?? (
            <button type="button" className={danger ? 'danger' : 'primary'} onClick={() => void confirm()} aria-disabled={busy || undefined}>
              {confirmLabel}
            </button>
          )}
          <button type="button" onClick={onClose} data-autofocus>
            Cancel
          </button>
        </div>
      </div>
    </Dialog>
  );
}
