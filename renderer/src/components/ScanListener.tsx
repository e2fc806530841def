import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppErrorValue } from '../../../shared/result';
import { call } from '../lib/api';
import { navigate } from '../lib/router';
import type { FocusedElement, ScanKey, ScanOptions, ScanState, ScanStep } from '../lib/scanner';
import { EMPTY_SCAN, isTextEntry, scanStep } from '../lib/scanner';
import { can, useSession } from '../lib/session';
import { takeScan, unsavedInput } from '../lib/unsaved-input';
import { ErrorBanner } from './Banner';
import { Dialog } from './Dialog';
import { LeaveDialog } from './LeaveDialog';

/**
 * What is a barcode scan, everywhere in the app (docs/users.md, "Barcode scans"): at least three
 * characters, every key, Enter included, within 30 ms of the one before, and ended by Enter. A USB
 * scanner sends a key every few milliseconds; a person, even a fast typist rolling over a PIN,
 * does not keep every key and the Enter within 30 ms (40 ms a key is fast typing, never a scan).
 * A key held down (its auto-repeat) is typing too: a scanner never holds a key. Keys typed into a
 * field being edited, a PIN or password box included, are never a scan in the signed-in app.
 */
export const SCANNER: ScanOptions = { minLength: 3, maxGapMs: 30 };

/** A keydown as the scanner rule takes it. */
export interface ScannerKey extends Omit<ScanKey, 'inTextField'> {
  /** `KeyboardEvent.repeat`: the key is held down. */
  repeat?: boolean;
}

/** Feeds one keydown to the scanner rule (SCANNER); `inTextField` keys are typing. */
export function scannerStep(state: ScanState, key: ScannerKey, inTextField: boolean): ScanStep {
  if (key.repeat) return { state: EMPTY_SCAN, scan: null };
  const { repeat: _repeat, ...rest } = key;
  return scanStep(state, { ...rest, inTextField }, SCANNER);
}

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
 * no field is being edited (the rule: SCANNER) opens the device with that tag, or says no device has it. A tag the
 * screen shown takes (a reference standard scanned into the record form) opens nothing; while a
 * screen holds unsaved input, the scan asks before leaving it, Stay first.
 */
export function ScanListener({ enabled }: { enabled: boolean }) {
  const { user } = useSession();
  const [unknown, setUnknown] = useState<{ tag: string; error: AppErrorValue | null; unsaved: string | null } | null>(null);
  const [leaving, setLeaving] = useState<{ tag: string; id: string; unsaved: string } | null>(null);
  const state = useRef(EMPTY_SCAN);

  const open = useCallback(async (tag: string) => {
    if (takeScan(tag)) {
      setUnknown(null);
      setLeaving(null);
      return;
    }
    const res = await call('equipment.findByTag', { tag });
    // Asked when the answer comes: typing may have gone on meanwhile.
    const unsaved = unsavedInput();
    if (res.ok) {
      setUnknown(null);
      if (unsaved) setLeaving({ tag, id: res.value.id, unsaved });
      else navigate(`/equipment/${res.value.id}`);
    } else {
      setLeaving(null);
      setUnknown({ tag, error: res.error.code === 'not_found' ? null : res.error, unsaved });
    }
  }, []);

  useEffect(() => {
    if (!enabled) return undefined;
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.isComposing) return;
      const step = scannerStep(
        state.current,
        { key: e.key, time: e.timeStamp, ctrlKey: e.ctrlKey, altKey: e.altKey, metaKey: e.metaKey, repeat: e.repeat },
        isTextEntry(describe(e.target)),
      );
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

  if (!enabled) return null;
  if (leaving) {
    return (
      <LeaveDialog unsaved={leaving.unsaved} where={leaving.tag} onStay={() => setLeaving(null)} onLeave={() => navigate(`/equipment/${leaving.id}`)}>
        You scanned <strong className="mono">{leaving.tag}</strong>. Opening it now throws away what you typed and have not saved.
      </LeaveDialog>
    );
  }
  if (!unknown) return null;
  const close = () => setUnknown(null);
  // Adding the device would leave the unsaved input: that waits until it is saved.
  const supervisor = can(user, 'supervisor');
  const mayAdd = supervisor && !unknown.unsaved;
  return (
    <Dialog title={`No device has the tag ${unknown.tag}`} onClose={close} describedBy="scan-unknown-text">
      {unknown.error ? (
        <ErrorBanner error={unknown.error} />
      ) : (
        <p id="scan-unknown-text">
          The scanned tag <strong className="mono">{unknown.tag}</strong> is not in the inventory.{' '}
          {!supervisor
            ? 'Ask a supervisor to add the device.'
            : unknown.unsaved
              ? `To add the device, save or leave ${unknown.unsaved} first, then scan the tag again.`
              : 'Add the device now, with this tag filled in?'}
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
