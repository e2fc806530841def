import { FormActions, KitForm, SubmitButton } from '../../components/Form';
import { useKitForm } from '../../lib/form';
import { useChannelMutation } from '../../lib/query';
import { navigate, queryParams, usePath } from '../../lib/router';
import { useDates } from '../../lib/settings';
import type { EquipmentValues } from './EquipmentForm';
import { EquipmentFields, equipmentValues, useEquipmentSchema } from './EquipmentForm';
import { LastDoneFields, readLastDone } from './LastDoneFields';

function NewDeviceForm({ tag }: { tag: string }) {
  const dates = useDates();
  const schema = useEquipmentSchema(null);
  const form = useKitForm<EquipmentValues & { lastDone: Record<string, string> }, ReturnType<typeof schema.parse>>({
    defaultValues: { ...equipmentValues(null, dates.setting, tag), lastDone: {} },
    schema,
  });
  const create = useChannelMutation('equipment.create');
  return (
    <KitForm
      form={form}
      className="stack panel"
      label="Device details"
      onSubmit={async (v) => {
        // Read apart from the device's own schema: which dates are asked depends on its category.
        const lastDone = readLastDone(form.getValues('lastDone'), dates.setting);
        if (!lastDone.ok) return lastDone.error;
        const res = await create.run({ ...v, ...(Object.keys(lastDone.value).length > 0 ? { lastDone: lastDone.value } : {}) });
        if (res.ok) navigate(`/equipment/${res.value.id}`);
        return res;
      }}
    >
      <EquipmentFields before={null} />
      <LastDoneFields />
      <FormActions>
        <SubmitButton busyLabel="Adding…">Add device</SubmitButton>
        <button type="button" onClick={() => navigate('/equipment')}>
          Cancel
        </button>
      </FormActions>
    </KitForm>
  );
}

/** Adding a device is a page of its own: a scan of an unknown tag opens it with the tag filled in. */
export function EquipmentNew() {
  // ?tag= comes from a scan of an unknown tag; a second scan gives a fresh form.
  const tag = queryParams(usePath()).get('tag') ?? '';
  return (
    <>
      <div className="page-head">
        <h1>Add a device</h1>
      </div>
      <NewDeviceForm key={tag} tag={tag} />
    </>
  );
}
