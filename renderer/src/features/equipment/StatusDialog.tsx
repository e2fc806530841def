import type { FormEvent } from 'react';
import { useState } from 'react';
import type { Equipment, EquipmentStatus } from '../../../../shared/domain/equipment';
import { EQUIPMENT_STATUSES, STATUS_LABELS } from '../../../../shared/domain/equipment';
import type { AppErrorValue } from '../../../../shared/result';
import { ErrorBanner } from '../../components/Banner';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { call } from '../../lib/api';
import { fieldErrors } from '../../lib/form-errors';

const STATUS_HELP: Record<EquipmentStatus, string> = {
  in_service: 'Safe to use on patients.',
  out_of_service: 'Must not be used until someone has looked at it.',
  retired: 'No longer part of the working inventory; its history stays.',
  missing: 'Cannot be found; it keeps its plans and history.',
};

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
  const [status, setStatus] = useState<EquipmentStatus>(initialStatus ?? (device.status === 'in_service' ? 'out_of_service' : 'in_service'));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<AppErrorValue | null>(null);
  const [busy, setBusy] = useState(false);
  const { byField, general } = fieldErrors(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const res = await call('equipment.setStatus', { id: device.id, status, reason });
    setBusy(false);
    if (res.ok) onChanged(res.value.status);
    else setError(res.error);
  }

  return (
    <Dialog title={`Change the status of ${device.assetTag}`} onClose={onClose}>
      <form className="stack" onSubmit={submit} noValidate>
        <p>
          {device.name} is now <strong>{STATUS_LABELS[device.status].toLowerCase()}</strong>.
        </p>
        <ErrorBanner error={general} />
        <Field label="New status" required error={byField.status} help={STATUS_HELP[status]}>
          {(p) => (
            <select {...p} value={status} onChange={(e) => setStatus(e.target.value as EquipmentStatus)}>
              {EQUIPMENT_STATUSES.map((s) => (
                <option key={s} value={s} disabled={s === device.status}>
                  {STATUS_LABELS[s]}
                  {s === device.status ? ' (now)' : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Reason" required error={byField.reason} help="Shown on the device's page and kept in the audit trail with your name.">
          {(p) => <input {...p} type="text" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} data-autofocus />}
        </Field>
        <div className="form-actions dialog-actions">
          <button type="submit" className="primary" disabled={busy}>
            Change status
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
