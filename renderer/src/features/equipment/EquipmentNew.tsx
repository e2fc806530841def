import { call } from '../../lib/api';
import { navigate, queryParams, usePath } from '../../lib/router';
import { draftToInput, EMPTY_DRAFT, EquipmentForm } from './EquipmentForm';

export function EquipmentNew() {
  // ?tag= comes from a scan of an unknown tag; a second scan gives a fresh form.
  const tag = queryParams(usePath()).get('tag') ?? '';
  return (
    <>
      <div className="page-head">
        <h1>Add a device</h1>
      </div>
      <EquipmentForm
        key={tag}
        initial={{ ...EMPTY_DRAFT, assetTag: tag }}
        submitLabel="Add device"
        onCancel={() => navigate('/equipment')}
        onSubmit={async (draft) => {
          const res = await call('equipment.create', draftToInput(draft));
          if (!res.ok) return res.error;
          navigate(`/equipment/${res.value.id}`);
          return null;
        }}
      />
    </>
  );
}
