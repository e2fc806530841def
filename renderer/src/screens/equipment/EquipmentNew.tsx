import { call } from '../../lib/api';
import { navigate } from '../../lib/router';
import { draftToInput, EMPTY_DRAFT, EquipmentForm } from './EquipmentForm';

export function EquipmentNew() {
  const tag = new URLSearchParams(window.location.hash.split('?')[1] ?? '').get('tag') ?? '';
  return (
    <>
      <div className="page-head">
        <h1>Add a device</h1>
      </div>
      <EquipmentForm
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
