import type { FormEvent } from 'react';
import { useState } from 'react';
import type { EquipmentFilterValue } from '../../../../shared/contract/equipment';
import type { AppErrorValue } from '../../../../shared/result';
import { ErrorBanner } from '../../components/Banner';
import { Dialog } from '../../components/Dialog';
import { call } from '../../lib/api';
import { mimeTypeFor, saveTextFile } from '../../lib/download';

/** Export the inventory as CSV or JSON: all of it, or what the list's filter shows, in its order. */
export function ExportDialog({
  filter,
  filtered,
  shown,
  onClose,
}: {
  filter: EquipmentFilterValue;
  filtered: boolean;
  shown: number;
  onClose: () => void;
}) {
  const [format, setFormat] = useState<'csv' | 'json'>('csv');
  const [scope, setScope] = useState<'all' | 'filter'>(filtered ? 'filter' : 'all');
  const [error, setError] = useState<AppErrorValue | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const res = await call('equipment.export', { format, ...(scope === 'filter' ? { filter } : {}) });
    setBusy(false);
    if (!res.ok) {
      setError(res.error);
      return;
    }
    setError(null);
    saveTextFile(res.value.fileName, res.value.content, mimeTypeFor(res.value.fileName));
    setSaved(`${res.value.fileName}: ${res.value.count} device${res.value.count === 1 ? '' : 's'}.`);
  }

  return (
    <Dialog title="Export equipment" onClose={onClose}>
      <form className="stack" onSubmit={submit} noValidate>
        <ErrorBanner error={error} />
        <fieldset className="choices">
          <legend>Format</legend>
          <label className="check">
            <input type="radio" name="export-format" value="csv" checked={format === 'csv'} onChange={() => setFormat('csv')} data-autofocus />
            CSV (opens in a spreadsheet; imports back into Wardkeep)
          </label>
          <label className="check">
            <input type="radio" name="export-format" value="json" checked={format === 'json'} onChange={() => setFormat('json')} />
            JSON (for other programs)
          </label>
        </fieldset>
        <fieldset className="choices">
          <legend>Devices</legend>
          <label className="check">
            <input type="radio" name="export-scope" value="all" checked={scope === 'all'} onChange={() => setScope('all')} />
            The whole inventory
          </label>
          <label className="check">
            <input type="radio" name="export-scope" value="filter" checked={scope === 'filter'} onChange={() => setScope('filter')} disabled={!filtered} />
            {filtered ? `The ${shown.toLocaleString()} the list shows now, in its order` : 'What the list shows (no filter is set)'}
          </label>
        </fieldset>
        {saved ? (
          <p className="banner ok" role="status">
            Saved {saved}
          </p>
        ) : null}
        <div className="form-actions dialog-actions">
          <button type="submit" className="primary" disabled={busy}>
            Export
          </button>
          <button type="button" onClick={onClose}>
            {saved ? 'Close' : 'Cancel'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
