import { useEffect, useRef, useState } from 'react';
import type { Equipment } from '../../../../shared/domain/equipment';
import type { AppErrorValue } from '../../../../shared/result';
import { ErrorBanner } from '../../components/Banner';
import { Dialog } from '../../components/Dialog';
import { call } from '../../lib/api';

/**
 * Deleting is for a device entered by mistake. The back end refuses once the device has plans or
 * history and says to retire it instead; the dialog then offers exactly that.
 */
export function DeleteDialog({
  device,
  onClose,
  onDeleted,
  onRetire,
}: {
  device: Equipment;
  onClose: () => void;
  onDeleted: () => void;
  onRetire: () => void;
}) {
  const [error, setError] = useState<AppErrorValue | null>(null);
  const [busy, setBusy] = useState(false);
  const refused = error?.code === 'conflict';
  const retireRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (refused) retireRef.current?.focus();
  }, [refused]);

  async function remove() {
    setBusy(true);
    const res = await call('equipment.delete', { id: device.id });
    setBusy(false);
    if (res.ok) onDeleted();
    else setError(res.error);
  }

  return (
    <Dialog title={`Delete ${device.assetTag}?`} onClose={onClose} describedBy="delete-text">
      <div className="stack">
        <p id="delete-text">
          Delete <strong>{device.name}</strong> ({device.assetTag}) for good? Only for a device entered by mistake: once a device has plans or
          history it cannot be deleted, and is retired instead. The audit trail keeps a record either way.
        </p>
        <ErrorBanner error={error} />
        <div className="form-actions dialog-actions">
          {refused ? (
            <button type="button" className="primary" onClick={onRetire} ref={retireRef}>
              Retire it instead…
            </button>
          ) : (
            <button type="button" className="danger" onClick={() => void remove()} disabled={busy}>
              Delete device
            </button>
          )}
          <button type="button" onClick={onClose} {...(refused ? {} : { 'data-autofocus': true })}>
            Cancel
          </button>
        </div>
      </div>
    </Dialog>
  );
}
