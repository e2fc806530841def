import type { ReactNode } from 'react';
import { useEffect, useId, useRef } from 'react';

/**
 * A modal dialog on the native <dialog>: the rest of the page is inert while it is open, Escape
 * closes it, focus starts on its first control (or the one marked `data-autofocus`) and returns to
 * where it was when it closes. Render it to open it; unmount it to close it.
 */
export function Dialog({
  title,
  onClose,
  children,
  className,
  describedBy,
}: {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  className?: string;
  /** The id of the sentence that says what the dialog is about, for screen readers. */
  describedBy?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  }, [onClose]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return undefined;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      if (dialog.open) dialog.close();
      if (before && before.isConnected) before.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={`dialog${className ? ` ${className}` : ''}`}
      aria-labelledby={titleId}
      {...(describedBy ? { 'aria-describedby': describedBy } : {})}
      onCancel={(e) => {
        // Escape: the owner decides (it unmounts the dialog).
        e.preventDefault();
        onCloseRef.current();
      }}
    >
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}
