import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppErrorValue } from '../../../shared/result';
import { call } from '../lib/api';
import { navigate } from '../lib/router';
import type { FocusedElement } from '../lib/scanner';
import { EMPTY_SCAN, isTextEntry, scanStep } from '../lib/scanner';
import { can, useSession } from '../lib/session';
import { ErrorBanner } from './Banner';
import { Dialog } from './Dialog';

function describe(target: EventTarget | null): FocusedElement | null {
  if (!(target instanceof HTMLElement)) return null;
  return {
    tagName: target.tagName,
    type: target.getAttribute('type'),
    isContentEditable: target.isContentEditable,
    readOnly: target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement ? target.readOnly : false,
    disabled: target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement ? target.disabled : false,
  };
}

/**
 * The USB barcode scanner, anywhere in the signed-in app: a burst of keys ended by Enter while
 * no field is being edited opens the device with that tag, or says no device has it.
 */
export function ScanListener({ enabled }: { enabled: boolean }) {
  const { user } = useSession();
  const [unknown, setUnknown] = useState<{ tag: string; error: AppErrorValue | null } | null>(null);
  const state = useRef(EMPTY_SCAN);

  const open = useCallback(async (tag: string) => {
    const res = await call('equipment.findByTag', { tag });
    if (res.ok) {
      setUnknown(null);
      navigate(`/equipment/${res.value.id}`);
    } else {
      setUnknown({ tag, error: res.error.code === 'not_found' ? null : res.error });
    }
  }, []);

  useEffect(() => {
    if (!enabled) return undefined;
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.isComposing) return;
      const step = scanStep(state.current, {
        key: e.key,
        time: e.timeStamp,
        ctrlKey: e.ctrlKey,
        altKey: e.altKey,
        metaKey: e.metaKey,
        inTextField: isTextEntry(describe(e.target)),
      });
      state.current = step.state;
      if (step.scan !== null) {
        // The Enter belongs to the scanner: it must not also press the focused button or link.
        e.preventDefault();
        e.stopPropagation();
        void open(step.scan);
      }
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => {
      window.removeEventListener('keydown', onKeyDown, true);
      state.current = EMPTY_SCAN;
    };
  }, [enabled, open]);

  if (!unknown || !enabled) return null;
  const close = () => setUnknown(null);
  const mayAdd = can(user, 'supervisor');
  return (
    <Dialog title={`No device has the tag ${unknown.tag}`} onClose={close} describedBy="scan-unknown-text">
      {unknown.error ? (
        <ErrorBanner error={unknown.error} />
      ) : (
        <p id="scan-unknown-text">
          The scanned tag <strong className="mono">{unknown.tag}</strong> is not in the inventory.{' '}
          {mayAdd ? 'Add the device now, with this tag filled in?' : 'Ask a supervisor to add the device.'}
        </p>
      )}
      <div className="form-actions dialog-actions">
        {mayAdd && !unknown.error ? (
          <button
            type="button"
            className="primary"
            data-autofocus
            onClick={() => {
              close();
              navigate(`/equipment/new?tag=${encodeURIComponent(unknown.tag)}`);
            }}
          >
            Add it
          </button>
        ) : null}
        <button type="button" onClick={close} {...(mayAdd && !unknown.error ? {} : { 'data-autofocus': true })}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
