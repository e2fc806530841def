import { useState } from 'react';
import type { EquipmentFilterValue } from '../../../../shared/contract/equipment';
import { FormDialog } from '../../components/FormDialog';
import { useFormValues } from '../../components/Form';
import { call } from '../../lib/api';
import { mimeTypeFor, saveTextFile } from '../../lib/download';
import { useKitForm } from '../../lib/form';

interface ExportValues {
  format: 'csv' | 'json';
  scope: 'all' | 'filter';
}

function ExportFields({ filtered, shown }: { filtered: boolean; shown: number }) {
  const { register } = useFormValues<ExportValues>();
  return (
    <>
      <fieldset className="choices">
        <legend>Format</legend>
        <label className="check">
          <input type="radio" value="csv" {...register('format')} data-autofocus />
          CSV (opens in a spreadsheet; imports back into Wardkeep)
        </label>
        <label className="check">
          <input type="radio" value="json" {...register('format')} />
          JSON (for other programs)
        </label>
      </fieldset>
      <fieldset className="choices">
        <legend>Devices</legend>
        <label className="check">
          <input type="radio" value="all" {...register('scope')} />
          The whole inventory
        </label>
        <label className="check">
          <input type="radio" value="filter" {...register('scope')} disabled={!filtered} />
          {filtered ? `The ${shown.toLocaleString()} the list shows now, in its order` : 'What the list shows (no filter is set)'}
        </label>
      </fieldset>
    </>
  );
}

/** Export the inventory as CSV or JSON: all of it, or what the list's filter shows, in its order. */
export function ExportDialog({ filter, filtered, shown, onClose }: { filter: EquipmentFilterValue; filtered: boolean; shown: number; onClose: () => void }) {
  const form = useKitForm<ExportValues>({ defaultValues: { format: 'csv', scope: filtered ? 'filter' : 'all' } });
  const [saved, setSaved] = useState<string | null>(null);
  return (
    <FormDialog
      title="Export equipment"
      form={form}
      submitLabel="Export"
      onClose={onClose}
      onSubmit={async (v) => {
        setSaved(null);
        const res = await call('equipment.export', { format: v.format, ...(v.scope === 'filter' ? { filter } : {}) });
        if (!res.ok) return res;
        saveTextFile(res.value.fileName, res.value.content, mimeTypeFor(res.value.fileName));
        setSaved(`${res.value.fileName}: ${res.value.count} device${res.value.count === 1 ? '' : 's'}.`);
        return null;
      }}
    >
      <ExportFields filtered={filtered} shown={shown} />
      {saved ? (
        <p className="banner ok" role="status">
          Saved {saved}
        </p>
      ) : null}
    </FormDialog>
  );
}
