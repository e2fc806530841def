import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { equipmentExpected } from '../../../../shared/contract/equipment';
import type { Equipment } from '../../../../shared/domain/equipment';
import { FormDialog } from '../../components/FormDialog';
import { takeValuesSavedMeanwhile, useKitForm } from '../../lib/form';
import { channelQuery, useChannelMutation } from '../../lib/query';
import { useDates } from '../../lib/settings';
import type { EquipmentValues } from './EquipmentForm';
import { EquipmentFields, equipmentValues, useEquipmentSchema } from './EquipmentForm';

/**
 * Changing a device's details: the one way to edit, a dialog with the device form. The save carries
 * what the dialog opened with, so a change another supervisor made meanwhile (another window, or
 * another PC through the hub) is refused, not undone: the fields they changed (and this person did
 * not) then show their new values, and the next save keeps both.
 */
export function EditDialog({ device, onClose, onSaved }: { device: Equipment; onClose: () => void; onSaved: (e: Equipment) => void }) {
  const dates = useDates();
  const schema = useEquipmentSchema(device);
  const form = useKitForm<EquipmentValues, ReturnType<typeof schema.parse>>({ defaultValues: equipmentValues(device, dates.setting), schema });
  const update = useChannelMutation('equipment.update');
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState<Equipment>(device);

  const takeChangesMeanwhile = async () => {
    const now = await queryClient.fetchQuery({ ...channelQuery('equipment.get', { id: device.id }), staleTime: 0 });
    takeValuesSavedMeanwhile(form, equipmentValues(opened, dates.setting), equipmentValues(now, dates.setting));
    setOpened(now);
  };

  return (
    <FormDialog
      title={`Edit ${device.assetTag}`}
      form={form}
      wide
      submitLabel="Save changes"
      onClose={onClose}
      fieldOf={(f) => f.replace(/^expected\./, '')}
      onSubmit={async (v) => {
        const res = await update.run({ id: device.id, ...v, expected: equipmentExpected(opened) });
        if (res.ok) onSaved(res.value);
        else if (res.error.field?.startsWith('expected.')) await takeChangesMeanwhile();
        return res;
      }}
    >
      <EquipmentFields before={device} autoFocus={false} />
    </FormDialog>
  );
}
