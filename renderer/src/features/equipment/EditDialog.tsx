import type { Equipment } from '../../../../shared/domain/equipment';
import { FormDialog } from '../../components/FormDialog';
import { useKitForm } from '../../lib/form';
import { useChannelMutation } from '../../lib/query';
import { useDates } from '../../lib/settings';
import type { EquipmentValues } from './EquipmentForm';
import { EquipmentFields, equipmentValues, useEquipmentSchema } from './EquipmentForm';

/** Changing a device's details: the one way to edit, a dialog with the device form. */
export function EditDialog({ device, onClose, onSaved }: { device: Equipment; onClose: () => void; onSaved: (e: Equipment) => void }) {
  const dates = useDates();
  const schema = useEquipmentSchema(device);
  const form = useKitForm<EquipmentValues, ReturnType<typeof schema.parse>>({ defaultValues: equipmentValues(device, dates.setting), schema });
  const update = useChannelMutation('equipment.update');
  return (
    <FormDialog
      title={`Edit ${device.assetTag}`}
      form={form}
      wide
      submitLabel="Save changes"
      onClose={onClose}
      onSubmit={async (v) => {
        const res = await update.run({ id: device.id, ...v });
        if (res.ok) onSaved(res.value);
        return res;
      }}
    >
      <EquipmentFields before={device} autoFocus={false} />
    </FormDialog>
  );
}
