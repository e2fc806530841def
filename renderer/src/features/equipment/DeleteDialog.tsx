import type { Equipment } from '../../../../shared/domain/equipment';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useChannelMutation } from '../../lib/query';

/**
 * Deleting is for a device entered by mistake. The back end refuses once the device has plans or
 * history and says to retire it instead; the dialog then offers exactly that.
 */
export function DeleteDialog({ device, onClose, onDeleted, onRetire }: { device: Equipment; onClose: () => void; onDeleted: () => void; onRetire: () => void }) {
  const remove = useChannelMutation('equipment.delete');
  return (
    <ConfirmDialog
      title={`Delete ${device.assetTag}?`}
      confirmLabel="Delete device"
      danger
      onClose={onClose}
      onConfirm={() => remove.run({ id: device.id })}
      onDone={onDeleted}
      extraActions={(error) =>
        error?.code === 'conflict' ? (
          <button type="button" className="primary" onClick={onRetire}>
            Retire it instead…
          </button>
        ) : null
      }
    >
      <p>
        Delete <strong>{device.name}</strong> ({device.assetTag}) for good? Only for a device entered by mistake: once a device has plans or history it
        cannot be deleted, and is retired instead. The audit trail keeps a record either way.
      </p>
    </ConfirmDialog>
  );
}
