import { useWatch } from 'react-hook-form';
import { z } from 'zod';
import { formatDate, localDay, parseDate } from '../../../../shared/date-format';
import type { Equipment } from '../../../../shared/domain/equipment';
import { EquipmentFields as EquipmentSchema, OWNERSHIPS, RISKS } from '../../../../shared/domain/equipment';
import type { DateFormatSetting } from '../../../../shared/domain/settings';
import { CONFIRM_DATES_LABEL, equipmentDateQuestions } from '../../../../shared/plausible-dates';
import { DateField } from '../../components/DateField';
import { FormField, useFormValues } from '../../components/Form';
import { dateText, then } from '../../lib/form';
import { OWNERSHIP_LABELS, RISK_CHOICE_LABELS } from '../../lib/labels';
import { useChannelQuery } from '../../lib/query';
import { useDates } from '../../lib/settings';

/** A device as the form holds it: text for everything, dates in the user's format. */
export interface EquipmentValues {
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
  confirmDates: boolean;
}

export function equipmentValues(e: Equipment | null, setting: DateFormatSetting, tag = ''): EquipmentValues {
  const date = (d: string | null) => (d ? formatDate(d, setting) : '');
  return {
    assetTag: e?.assetTag ?? tag,
    name: e?.name ?? '',
    locationId: e?.locationId ?? '',
    categoryId: e?.categoryId ?? '',
    manufacturer: e?.manufacturer ?? '',
    model: e?.model ?? '',
    serial: e?.serial ?? '',
    risk: e?.risk ?? '',
    ownership: e?.ownership ?? '',
    acquiredOn: date(e?.acquiredOn ?? null),
    inServiceOn: date(e?.inServiceOn ?? null),
    warrantyUntil: date(e?.warrantyUntil ?? null),
    referenceStandard: e?.referenceStandard ?? false,
    notes: e?.notes ?? '',
    confirmDates: false,
  };
}

const blankToNull = z.string().transform((s) => (s === '' ? null : s));

/**
 * The device's own rules (shared/domain/equipment.ts), with each date read from the user's format
 * first, and the question main asks about an implausible date (shared/plausible-dates.ts), asked
 * here first. `before` holds the dates already saved: only a changed date is asked about.
 */
export function equipmentSchema(setting: DateFormatSetting, today: string, before: Equipment | null) {
  const shape = EquipmentSchema.shape;
  return EquipmentSchema.extend({
    categoryId: then(blankToNull, shape.categoryId),
    risk: then(blankToNull, shape.risk),
    ownership: then(blankToNull, shape.ownership),
    acquiredOn: then(dateText(setting), shape.acquiredOn),
    inServiceOn: then(dateText(setting), shape.inServiceOn),
    warrantyUntil: then(dateText(setting), shape.warrantyUntil),
    confirmDates: z.boolean(),
  }).superRefine((v, ctx) => {
    if (v.confirmDates) return;
    const changed = (value: string | null, was: string | null | undefined) => (before && was === value ? null : value);
    const questions = equipmentDateQuestions(
      { acquiredOn: changed(v.acquiredOn, before?.acquiredOn), inServiceOn: changed(v.inServiceOn, before?.inServiceOn), warrantyUntil: changed(v.warrantyUntil, before?.warrantyUntil) },
      today,
      setting,
    );
    for (const q of questions) ctx.addIssue({ code: 'custom', path: [q.field], message: q.message, params: { sentence: true } });
  });
}

export function useEquipmentSchema(before: Equipment | null) {
  const dates = useDates();
  return equipmentSchema(dates.setting, localDay(new Date()), before);
}

/** The question about dates that look mistyped, beside them, with the box that confirms them. */
function DatesQuestion({ before }: { before: Equipment | null }) {
  const { register } = useFormValues<EquipmentValues>();
  const dates = useDates();
  const [acquiredOn, inServiceOn, warrantyUntil] = useWatch<EquipmentValues, ['acquiredOn', 'inServiceOn', 'warrantyUntil']>({
    name: ['acquiredOn', 'inServiceOn', 'warrantyUntil'],
  });
  const iso = (text: string, was: string | null | undefined) => {
    const p = parseDate(text, dates.setting);
    return p.ok && !(before && was === p.value) ? p.value : null;
  };
  const questions = equipmentDateQuestions(
    { acquiredOn: iso(acquiredOn, before?.acquiredOn), inServiceOn: iso(inServiceOn, before?.inServiceOn), warrantyUntil: iso(warrantyUntil, before?.warrantyUntil) },
    localDay(new Date()),
    dates.setting,
  );
  if (questions.length === 0) return null;
  return (
    <div className="date-question" role="group" aria-label="Check the dates">
      <ul className="tight-list">
        {questions.map((q) => (
          <li key={q.field} className="warn-text">
            {q.message.replace(/ Check it;.*$/, ' Check the year.')}
          </li>
        ))}
      </ul>
      <label className="check">
        <input type="checkbox" {...register('confirmDates')} />
        {CONFIRM_DATES_LABEL}
      </label>
    </div>
  );
}

/** Every field of a device (docs: "Equipment"); each problem beside its field. For a kit form. */
export function EquipmentFields({ before, autoFocus = true }: { before: Equipment | null; autoFocus?: boolean }) {
  const { register, getValues, setValue } = useFormValues<EquipmentValues>();
  const locations = useChannelQuery('locations.list', {});
  const categories = useChannelQuery('categories.list', {});
  return (
    <>
      <div className="grid-2">
        <FormField name="assetTag" label="Asset tag" required help="What the barcode on the device holds.">
          {(p) => <input {...p} {...register('assetTag')} type="text" autoFocus={autoFocus} data-autofocus />}
        </FormField>
        <FormField name="name" label="Name" required help="e.g. Infusion pump">
          {(p) => <input {...p} {...register('name')} type="text" />}
        </FormField>
        <FormField name="locationId" label="Location" required>
          {(p) => (
            <select {...p} {...register('locationId')}>
              <option value="">Choose a location…</option>
              {(locations.data ?? []).map((l) => (
                <option key={l.id} value={l.id}>
                  {l.path}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField name="categoryId" label="Category" help="The device type; its default risk fills Risk when that is not set.">
          {(p) => (
            <select
              {...p}
              {...register('categoryId', {
                onChange: (e: { target: { value: string } }) => {
                  const risk = (categories.data ?? []).find((c) => c.id === e.target.value)?.defaultRisk ?? null;
                  if (getValues('risk') === '' && risk) setValue('risk', risk);
                },
              })}
            >
              <option value="">No category</option>
              {/* A category taken out of use is offered only to the device that has it. */}
              {(categories.data ?? [])
                .filter((c) => c.active || c.id === before?.categoryId)
                .map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.active ? c.name : `${c.name} (out of use)`}
                  </option>
                ))}
            </select>
          )}
        </FormField>
      </div>
      <div className="grid-3">
        <FormField name="manufacturer" label="Manufacturer">
          {(p) => <input {...p} {...register('manufacturer')} type="text" />}
        </FormField>
        <FormField name="model" label="Model">
          {(p) => <input {...p} {...register('model')} type="text" />}
        </FormField>
        <FormField name="serial" label="Serial number">
          {(p) => <input {...p} {...register('serial')} type="text" />}
        </FormField>
      </div>
      <div className="grid-2">
        <FormField name="risk" label="Risk">
          {(p) => (
            <select {...p} {...register('risk')}>
              <option value="">Not set</option>
              {RISKS.map((r) => (
                <option key={r} value={r}>
                  {RISK_CHOICE_LABELS[r]}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField name="ownership" label="Ownership">
          {(p) => (
            <select {...p} {...register('ownership')}>
              <option value="">Not set</option>
              {OWNERSHIPS.map((o) => (
                <option key={o} value={o}>
                  {OWNERSHIP_LABELS[o]}
                </option>
              ))}
            </select>
          )}
        </FormField>
      </div>
      <div className="grid-3">
        <DateField name="acquiredOn" label="Acquired on" />
        <DateField name="inServiceOn" label="In service since" />
        <DateField name="warrantyUntil" label="Warranty until" />
      </div>
      <DatesQuestion before={before} />
      <label className="check">
        <input type="checkbox" {...register('referenceStandard')} />
        Reference standard (test equipment used to calibrate other devices)
      </label>
      <FormField name="notes" label="Notes">
        {(p) => <textarea {...p} {...register('notes')} />}
      </FormField>
    </>
  );
}
