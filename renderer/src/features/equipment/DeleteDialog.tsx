import type { Equipment } from '../../../../shared/domain/equipment';
import { deleteOnHubRefusal } from '../../../../shared/domain/equipment';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useChannelMutation } from '../../lib/query';
import { useSyncStatus } from '../../lib/sync-status';

/**
 * Deleting is for a device entered by mistake. The back end refuses once the device has plans or
 * history, or on a PC of a hospital's hub (the other PCs have the device), and says to retire it
 * instead; the dialog then offers exactly that. On a hub's PC it says so at once and offers no Delete.
 */
export function DeleteDialog({ device, onClose, onDeleted, onRetire }: { device: Equipment; onClose: () => void; onDeleted: () => void; onRetire: () => void }) {
  const remove = useChannelMutation('equipment.delete');
  const onHub = Boolean(useSyncStatus().data?.hub);
  const retire = (
    <button type="button" className="primary" onClick={onRetire}>
      Retire it instead…
    </button>
  );
  return (
    <ConfirmDialog
      title={`Delete ${device.assetTag}?`}
      confirmLabel="Delete device"
      danger
      onClose={onClose}
      onConfirm={() => remove.run({ id: device.id })}
      onDone={onDeleted}
      extraActions={(error) => (onHub || error?.code === 'conflict' ? retire : null)}
    >
      {onHub ? (
        <p>{deleteOnHubRefusal(device)}</p>
      ) : (
        <p>
          Delete <strong>{device.name}</strong> ({device.assetTag}) for good? Only for a device entered by mistake: once a device has plans or history it
          cannot be deleted, and is retired instead. The audit trail keeps a record either way.
        </p>
      )}
    </ConfirmDialog>
  );
}
