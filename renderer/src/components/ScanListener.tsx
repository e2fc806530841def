import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppErrorValue } from '../../../shared/result';
import { call } from '../lib/api';
import { navigate } from '../lib/router';
import type { FocusedElement } from '../lib/scanner';
import { EMPTY_SCAN, isTextEntry, scanStep } from '../lib/scanner';
import { can, useSession } from '../lib/session';
import { takeScan, unsavedInput } from '../lib/unsaved-input';
import { ErrorBanner } from './Banner';
import { Dialog } from './Dialog';
import { LeaveDialog } from './LeaveDialog';
import { SameTagChooser } from './SameTagChooser';
import type { FoundByTag } from '../../../shared/contract/equipment';

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
 * The USB barcode scanner, anywhere in the signed-in app: a burst of keys ended by Enter while no
 * field is being edited (the app's one scan rule, SCANNER in lib/scanner.ts: a PIN typed quickly
 * with the focus on no box is typing) opens the device with that tag, or says no device has it. A
 * tag the screen shown takes (a reference standard scanned into the record form) opens nothing;
 * while a screen holds unsaved input, the scan asks before leaving it, Stay first.
 */
export function ScanListener({ enabled }: { enabled: boolean }) {
  const { user } = useSession();
  const [unknown, setUnknown] = useState<{ tag: string; error: AppErrorValue | null; unsaved: string | null } | null>(null);
  const [leaving, setLeaving] = useState<{ tag: string; id: string; unsaved: string } | null>(null);
  // A tag two PCs gave to two devices in use: the person chooses which one is in front of them.
  const [choosing, setChoosing] = useState<FoundByTag | null>(null);
  const state = useRef(EMPTY_SCAN);

  const open = useCallback(async (tag: string) => {
    if (takeScan(tag)) {
      setUnknown(null);
      setLeaving(null);
      setChoosing(null);
      return;
    }
    const res = await call('equipment.findByTag', { tag });
    // Asked when the answer comes: typing may have gone on meanwhile.
    const unsaved = unsavedInput();
    if (res.ok) {
      setUnknown(null);
      if (res.value.sameTag.length > 1) {
        setLeaving(null);
        setChoosing(res.value);
        return;
      }
      setChoosing(null);
      if (unsaved) setLeaving({ tag, id: res.value.id, unsaved });
      else navigate(`/equipment/${res.value.id}`);
    } else {
      setLeaving(null);
      setChoosing(null);
      setUnknown({ tag, error: res.error.code === 'not_found' ? null : res.error, unsaved });
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
        repeat: e.repeat,
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

  if (!enabled) return null;
  if (choosing) {
    return (
      <SameTagChooser
        found={choosing}
        onClose={() => setChoosing(null)}
        onChoose={(d) => {
          setChoosing(null);
          // Asked again: the chooser may have stood open a while.
          const unsaved = unsavedInput();
          if (unsaved) setLeaving({ tag: `${d.assetTag} (${d.name})`, id: d.id, unsaved });
          else navigate(`/equipment/${d.id}`);
        }}
      />
    );
  }
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
