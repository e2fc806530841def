import { useState } from 'react';
import { useWatch } from 'react-hook-form';
import type { Equipment, EquipmentStatus } from '../../../../shared/domain/equipment';
import { EQUIPMENT_STATUSES, StatusChange, STATUS_LABELS } from '../../../../shared/domain/equipment';
import { FormField, useFormValues } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { call } from '../../lib/api';
import { useKitForm } from '../../lib/form';
import { useChannelMutation } from '../../lib/query';

const STATUS_HELP: Record<EquipmentStatus, string> = {
  in_service: 'Safe to use on patients.',
  out_of_service: 'Must not be used until someone has looked at it.',
  retired: 'No longer part of the working inventory; its history stays.',
  missing: 'Cannot be found; it keeps its plans and history.',
};

function StatusFields({ device }: { device: Equipment }) {
  const { register } = useFormValues<{ status: EquipmentStatus; reason: string }>();
  const status = useWatch<{ status: EquipmentStatus }, 'status'>({ name: 'status' });
  return (
    <>
      <p>
        {device.name} is now <strong>{STATUS_LABELS[device.status].toLowerCase()}</strong>.
      </p>
      <FormField name="status" label="New status" required help={STATUS_HELP[status]}>
        {(p) => (
          <select {...p} {...register('status')}>
            {EQUIPMENT_STATUSES.map((s) => (
              <option key={s} value={s} disabled={s === device.status}>
                {STATUS_LABELS[s]}
                {s === device.status ? ' (now)' : ''}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField name="reason" label="Reason" required help="Shown on the device's page and kept in the audit trail with your name.">
        {(p) => <input {...p} {...register('reason')} type="text" maxLength={500} data-autofocus />}
      </FormField>
    </>
  );
}

/** In service, out of service, retired or missing: always with a reason, which the audit trail keeps. */
export function StatusDialog({
  device,
  initialStatus,
  onClose,
  onChanged,
}: {
  device: Equipment;
  initialStatus?: EquipmentStatus;
  onClose: () => void;
  onChanged: (status: EquipmentStatus) => void;
}) {
  const schema = StatusChange.omit({ id: true, expected: true });
  const form = useKitForm({
    defaultValues: { status: initialStatus ?? (device.status === 'in_service' ? 'out_of_service' : 'in_service'), reason: '' },
    schema,
  });
  const setStatus = useChannelMutation('equipment.setStatus');
  const [opened, setOpened] = useState<EquipmentStatus>(device.status);
  return (
    <FormDialog
      title={`Change the status of ${device.assetTag}`}
      form={form}
      submitLabel="Change status"
      onClose={onClose}
      onSubmit={async (v) => {
        // Sent with the status this opened with: one someone else gave the device since (another
        // window, or another PC through the hub) is refused by main in words, not overwritten unseen.
        const res = await setStatus.run({ id: device.id, ...v, expected: { status: opened } });
        if (res.ok) onChanged(res.value.status);
        else if (res.error.code === 'conflict') {
          // The next press is made on the status as it now is.
          const now = await call('equipment.get', { id: device.id });
          if (now.ok) setOpened(now.value.status);
        }
        return res;
      }}
    >
      <StatusFields device={device} />
    </FormDialog>
  );
}
