import { useState } from 'react';
import type { FormEvent } from 'react';
import type { Equipment, EquipmentFieldsInput } from '../../../../shared/domain/equipment';
import { OWNERSHIPS, RISKS } from '../../../../shared/domain/equipment';
import type { AppErrorValue } from '../../../../shared/result';
import { ErrorBanner } from '../../components/Banner';
import { Field } from '../../components/Field';
import { useQuery } from '../../lib/api';
import { fieldErrors } from '../../lib/form-errors';
import { OWNERSHIP_LABELS, RISK_CHOICE_LABELS } from '../../lib/labels';

export type EquipmentDraft = {
  assetTag: string;
  name: string;
  locationId: string;
  categoryId: string;
  manufacturer: string;
  model: string;
  serial: string;
  risk: string;
  ownership: string;
  acquiredOn: string;
  inServiceOn: string;
  warrantyUntil: string;
  referenceStandard: boolean;
  notes: string;
};

export const EMPTY_DRAFT: EquipmentDraft = {
  assetTag: '',
  name: '',
  locationId: '',
  categoryId: '',
  manufacturer: '',
  model: '',
  serial: '',
  risk: '',
  ownership: '',
  acquiredOn: '',
  inServiceOn: '',
  warrantyUntil: '',
  referenceStandard: false,
  notes: '',
};

export function draftToInput(d: EquipmentDraft): EquipmentFieldsInput {
  return {
    assetTag: d.assetTag,
    name: d.name,
    locationId: d.locationId,
    categoryId: d.categoryId || null,
    manufacturer: d.manufacturer,
    model: d.model,
    serial: d.serial,
    risk: (d.risk || null) as EquipmentFieldsInput['risk'],
    ownership: (d.ownership || null) as EquipmentFieldsInput['ownership'],
    acquiredOn: d.acquiredOn,
    inServiceOn: d.inServiceOn,
    warrantyUntil: d.warrantyUntil,
    referenceStandard: d.referenceStandard,
    notes: d.notes,
  };
}

/** A stored device as the form's draft (blank strings for empty fields). */
export function equipmentToDraft(e: Equipment): EquipmentDraft {
  return {
    assetTag: e.assetTag,
    name: e.name,
    locationId: e.locationId,
    categoryId: e.categoryId ?? '',
    manufacturer: e.manufacturer ?? '',
    model: e.model ?? '',
    serial: e.serial ?? '',
    risk: e.risk ?? '',
    ownership: e.ownership ?? '',
    acquiredOn: e.acquiredOn ?? '',
    inServiceOn: e.inServiceOn ?? '',
    warrantyUntil: e.warrantyUntil ?? '',
    referenceStandard: e.referenceStandard,
    notes: e.notes ?? '',
  };
}

/** Every field of a device (DOMAIN.md, "Equipment"); errors from main appear beside their field. */
export function EquipmentForm({
  initial,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial: EquipmentDraft;
  submitLabel: string;
  onSubmit: (draft: EquipmentDraft) => Promise<AppErrorValue | null>;
  onCancel: () => void;
}) {
  const [d, setD] = useState(initial);
  const [error, setError] = useState<AppErrorValue | null>(null);
  const [busy, setBusy] = useState(false);
  const locations = useQuery('locations.list', {});
  const categories = useQuery('categories.list', {});
  const { byField, general } = fieldErrors(error);
  const set = (k: keyof EquipmentDraft) => (e: { target: { value: string } }) => setD((x) => ({ ...x, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const err = await onSubmit(d);
    setBusy(false);
    setError(err);
  }

  return (
    <form className="stack panel" onSubmit={submit} noValidate aria-label="Device details">
      <ErrorBanner error={general} />
      <div className="grid-2">
        <Field label="Asset tag" required error={byField.assetTag} help="What the barcode on the device holds.">
          {(p) => <input {...p} type="text" value={d.assetTag} onChange={set('assetTag')} autoFocus />}
        </Field>
        <Field label="Name" required error={byField.name} help="e.g. Infusion pump">
          {(p) => <input {...p} type="text" value={d.name} onChange={set('name')} />}
        </Field>
        <Field label="Location" required error={byField.locationId}>
          {(p) => (
            <select {...p} value={d.locationId} onChange={set('locationId')}>
              <option value="">Choose a location…</option>
              {(locations.data ?? []).map((l) => (
                <option key={l.id} value={l.id}>
                  {l.path}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Category" error={byField.categoryId} help="The device type; its default risk fills Risk when that is not set.">
          {(p) => (
            <select
              {...p}
              value={d.categoryId}
              onChange={(e) => {
                const categoryId = e.target.value;
                const risk = (categories.data ?? []).find((c) => c.id === categoryId)?.defaultRisk ?? null;
                setD((x) => ({ ...x, categoryId, risk: x.risk === '' && risk ? risk : x.risk }));
              }}
            >
              <option value="">No category</option>
              {(categories.data ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="grid-3">
        <Field label="Manufacturer" error={byField.manufacturer}>
          {(p) => <input {...p} type="text" value={d.manufacturer} onChange={set('manufacturer')} />}
        </Field>
        <Field label="Model" error={byField.model}>
          {(p) => <input {...p} type="text" value={d.model} onChange={set('model')} />}
        </Field>
        <Field label="Serial number" error={byField.serial}>
          {(p) => <input {...p} type="text" value={d.serial} onChange={set('serial')} />}
        </Field>
      </div>
      <div className="grid-2">
        <Field label="Risk" error={byField.risk}>
          {(p) => (
            <select {...p} value={d.risk} onChange={set('risk')}>
              <option value="">Not set</option>
              {RISKS.map((r) => (
                <option key={r} value={r}>
                  {RISK_CHOICE_LABELS[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Ownership" error={byField.ownership}>
          {(p) => (
            <select {...p} value={d.ownership} onChange={set('ownership')}>
              <option value="">Not set</option>
              {OWNERSHIPS.map((o) => (
                <option key={o} value={o}>
                  {OWNERSHIP_LABELS[o]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="grid-3">
        <Field label="Acquired on" error={byField.acquiredOn}>
          {(p) => <input {...p} type="date" value={d.acquiredOn} onChange={set('acquiredOn')} />}
        </Field>
        <Field label="In service since" error={byField.inServiceOn}>
          {(p) => <input {...p} type="date" value={d.inServiceOn} onChange={set('inServiceOn')} />}
        </Field>
        <Field label="Warranty until" error={byField.warrantyUntil}>
          {(p) => <input {...p} type="date" value={d.warrantyUntil} onChange={set('warrantyUntil')} />}
        </Field>
      </div>
      <label className="check">
        <input type="checkbox" checked={d.referenceStandard} onChange={(e) => setD((x) => ({ ...x, referenceStandard: e.target.checked }))} />
        Reference standard (test equipment used to calibrate other devices)
      </label>
      <Field label="Notes" error={byField.notes}>
        {(p) => <textarea {...p} value={d.notes} onChange={set('notes')} />}
      </Field>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {submitLabel}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
