import type { ReactNode } from 'react';
import { useEffect, useId, useLayoutEffect, useRef } from 'react';
import { useScreenShown } from '../lib/screen-shown';

/** The order dialogs were first shown in, so that those reopened after a lock stack as before. */
let shownCount = 0;
/** Dialogs to reopen once the locked screen is shown again; opened together, in their first order. */
let reopening: { order: number; open: () => void }[] = [];

function reopenInOrder(order: number, open: () => void): void {
  reopening.push({ order, open });
  if (reopening.length > 1) return;
  // Effects run child first: a dialog opened from within another would be reopened under it.
  queueMicrotask(() => {
    const all = reopening.sort((a, b) => a.order - b.order);
    reopening = [];
    for (const d of all) d.open();
  });
}

/**
 * A modal dialog on the native <dialog>: the rest of the page is inert while it is open, Escape
 * closes it, focus starts on its first control (or the one marked `data-autofocus`) and returns to
 * where it was when it closes (to the screen's region when that control is gone; a screen whose
 * dialog removes its opener moves the focus on to what it says happened). Render it to open it;
 * unmount it to close it.
 *
 * While the screen is locked (the screens hidden behind the sign-in screen) the native dialog is
 * closed, so it does not make the lock screen inert, and opened again, with what was typed in it
 * and the focus where it was, when the same person signs in. Closing it so fires no `cancel`: the
 * owner still holds it open.
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
  const shown = useScreenShown();
  useEffect(() => {
    onCloseRef.current = onClose;
  }, [onClose]);

  // Where the focus was before the dialog opened: it goes back there when the dialog closes.
  const before = useRef<HTMLElement | null>(null);
  const order = useRef(0);
  // Where the focus last was in the dialog: it goes back there when the locked screen is shown again.
  const lastFocus = useRef<HTMLElement | null>(null);
  useEffect(() => {
    before.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const dialog = ref.current;
    // Where the focus goes when the control that opened it is gone (its row deleted, its panel
    // closed): the screen's region (the <main> that holds the dialog), never the document's body.
    const region = dialog?.closest<HTMLElement>('main[tabindex]') ?? null;
    return () => {
      if (dialog?.open) dialog.close();
      const back = before.current;
      if (back && back.isConnected) back.focus();
      else if (region?.isConnected && (document.activeElement === null || document.activeElement === document.body)) region.focus({ preventScroll: true });
    };
  }, []);

  // Open while the screen is shown (first, or again after a lock, where the focus was in it).
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || !shown) return;
    const open = () => {
      if (dialog.open || !dialog.isConnected) return;
      // Read first: showModal() itself moves the focus into the dialog.
      const again = lastFocus.current;
      dialog.showModal();
      const target = again?.isConnected && dialog.contains(again) ? again : dialog.querySelector<HTMLElement>('[data-autofocus]');
      target?.focus();
    };
    if (order.current === 0) {
      order.current = ++shownCount;
      open();
    } else {
      reopenInOrder(order.current, open);
    }
  }, [shown]);
  // Locked: let go of the window at once, in the same commit that hides the screen, so the lock
  // screen is never inert nor drawn under it. close() fires no `cancel`: the owner keeps it open.
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!shown && dialog?.open) dialog.close();
  }, [shown]);

  return (
    <dialog
      ref={ref}
      className={`dialog${className ? ` ${className}` : ''}`}
      aria-labelledby={titleId}
      {...(describedBy ? { 'aria-describedby': describedBy } : {})}
      onFocus={(e) => {
        if (e.target instanceof HTMLElement) lastFocus.current = e.target;
      }}
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
