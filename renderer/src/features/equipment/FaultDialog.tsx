import type { Equipment } from '../../../../shared/domain/equipment';
import type { FaultReported, FaultReportValue } from '../../../../shared/domain/work-order';
import { FaultReport } from '../../../../shared/domain/work-order';
import { FormField, useFormValues } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { useKitForm } from '../../lib/form';
import { useChannelMutation } from '../../lib/query';

interface FaultValues {
  problem: string;
  takeOutOfUse: boolean;
  secret: string;
}

function FaultFields({ device }: { device: Equipment }) {
  const { register } = useFormValues<FaultValues>();
  return (
    <>
      <FormField name="problem" label="What is wrong?" required help="What you saw: the alarm, the damage, what it did or did not do.">
        {(p) => <input {...p} {...register('problem')} type="text" maxLength={2000} data-autofocus autoComplete="off" />}
      </FormField>
      {device.status === 'in_service' ? (
        <label className="check">
          <input type="checkbox" {...register('takeOutOfUse')} />
          Take it out of use now (it is marked DO NOT USE until it is repaired and checked)
        </label>
      ) : device.status === 'out_of_service' ? (
        // Out already (a failed test tagged it out, say): keeping it out for this fault is still
        // the person's decision, and what is sent is what the tick shows.
        <>
          <p className="muted">{device.assetTag} is already out of use.</p>
          <label className="check">
            <input type="checkbox" {...register('takeOutOfUse')} />
            Keep it out of use until its work order returns it to service
          </label>
        </>
      ) : null}
      <FormField name="secret" label="Your PIN or password" required help="Your report is signed with your name.">
        {(p) => <input {...p} {...register('secret')} className="pin-input" type="password" autoComplete="current-password" />}
      </FormField>
    </>
  );
}

/**
 * Report a fault from the ward, by keyboard: type what is wrong, Tab past "take out of use"
 * (ticked), the PIN, Enter. The device goes out of service at once and a work order opens; a
 * device that already has one gets the report added to it, and the answer says so. A device
 * already out of service offers "keep it out of use" instead, ticked too. A missing or retired
 * device is not offered the dialog (EquipmentPage).
 */
export function FaultDialog({ device, onClose, onReported }: { device: Equipment; onClose: () => void; onReported: (r: FaultReported) => void }) {
  const form = useKitForm<FaultValues, Omit<FaultReportValue, 'equipmentId'>>({
    defaultValues: { problem: '', takeOutOfUse: true, secret: '' },
    schema: FaultReport.omit({ equipmentId: true }),
  });
  const report = useChannelMutation('workOrders.report');
  return (
    <FormDialog
      title={`Report a fault on ${device.assetTag} ${device.name}`}
      form={form}
      submitLabel="Report the fault"
      onClose={onClose}
      onSubmit={async (v) => {
        const res = await report.run({ ...v, equipmentId: device.id });
        form.setValue('secret', '');
        if (res.ok) onReported(res.value);
        return res;
      }}
    >
      <FaultFields device={device} />
    </FormDialog>
  );
}
