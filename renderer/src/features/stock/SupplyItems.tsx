import type { FormEvent } from 'react';
import { useId, useState } from 'react';
import type { SupplyItem } from '../../../../shared/domain/stock-catalog';
import type { AppErrorValue } from '../../../../shared/result';
import { Banner, ErrorBanner } from '../../components/Banner';
import { Field } from '../../components/Field';
import { call, useQuery } from '../../lib/api';
import { fieldErrors } from '../../lib/form-errors';
import { can, useSession } from '../../lib/session';
import { StockNav } from './StockNav';

interface Draft {
  name: string;
  code: string;
  unit: string;
  defaultSupplier: string;
}

const BLANK: Draft = { name: '', code: '', unit: '', defaultSupplier: '' };

function ItemForm({ initial, editing, onCancel, onDone }: { initial: Draft; editing: SupplyItem | null; onCancel: () => void; onDone: (m: string) => void }) {
  const [draft, setDraft] = useState(initial);
  const [error, setError] = useState<AppErrorValue | null>(null);
  const { byField, general } = fieldErrors(error);
  const titleId = useId();
  const set = (key: keyof Draft, value: string) => setDraft((d) => ({ ...d, [key]: value }));
  async function submit(e: FormEvent) {
    e.preventDefault();
    const res = editing ? await call('stock.items.update', { id: editing.id, ...draft }) : await call('stock.items.create', draft);
    if (!res.ok) {
      setError(res.error);
      return;
    }
    onDone(editing ? `Saved ${res.value.name}.` : `Added ${res.value.name} (${res.value.code}). Keep it at a stock location from that location's page.`);
  }
  return (
    <form className="panel stack" onSubmit={(e) => void submit(e)} aria-labelledby={titleId} noValidate>
      <h2 id={titleId}>{editing ? `Change ${editing.name}` : 'Add a supply item'}</h2>
      <ErrorBanner error={general} />
      <div className="grid-2">
        <Field label="Name" required error={byField.name}>
          {(p) => <input {...p} type="text" value={draft.name} onChange={(e) => set('name', e.target.value)} autoFocus />}
        </Field>
        <Field label="Code" required error={byField.code} help="Unique, whatever the case: the catalogue or shelf code.">
          {(p) => <input {...p} type="text" value={draft.code} onChange={(e) => set('code', e.target.value)} autoComplete="off" />}
        </Field>
        <Field label="Unit" required error={byField.unit} help="How it is counted: each, pair, box of 10.">
          {(p) => <input {...p} type="text" value={draft.unit} onChange={(e) => set('unit', e.target.value)} />}
        </Field>
        <Field label="Default supplier" error={byField.defaultSupplier}>
          {(p) => <input {...p} type="text" value={draft.defaultSupplier} onChange={(e) => set('defaultSupplier', e.target.value)} />}
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="primary">
          {editing ? 'Save item' : 'Add item'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The supply catalogue: name, code, unit, supplier, and how many stock locations keep each. */
export function SupplyItems() {
  const { user } = useSession();
  const q = useQuery('stock.items.list', {});
  const [editing, setEditing] = useState<SupplyItem | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<AppErrorValue | null>(null);
  const mayEdit = can(user, 'supervisor');
  const items = q.data ?? [];
  const done = (m: string) => {
    setEditing(null);
    setNotice(m);
  };
  return (
    <>
      <div className="page-head">
        <h1>Stock</h1>
        {mayEdit && editing === null ? (
          <div className="actions">
            <button type="button" onClick={() => setEditing('new')}>
              Add supply item
            </button>
          </div>
        ) : null}
      </div>
      <StockNav />
      {notice ? <Banner kind="ok">{notice}</Banner> : null}
      <ErrorBanner error={q.error ?? error} />
      {editing !== null ? (
        <ItemForm
          key={editing === 'new' ? 'new' : editing.id}
          editing={editing === 'new' ? null : editing}
          initial={editing === 'new' ? BLANK : { name: editing.name, code: editing.code, unit: editing.unit, defaultSupplier: editing.defaultSupplier ?? '' }}
          onCancel={() => setEditing(null)}
          onDone={done}
        />
      ) : null}
      {q.data && items.length === 0 ? <Banner kind="info">No supply items yet.</Banner> : null}
      {items.length > 0 ? (
        <table className="data">
          <caption className="sr-only">Supply items</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Code</th>
              <th scope="col">Unit</th>
              <th scope="col">Default supplier</th>
              <th scope="col" className="num">
                Kept at
              </th>
              {mayEdit ? (
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id} className={i.active ? undefined : 'inactive-row'}>
                <th scope="row" className="row-head">
                  {i.name}
                  {i.active ? null : <span className="muted small"> (no longer used)</span>}
                </th>
                <td className="mono">{i.code}</td>
                <td>{i.unit}</td>
                <td>{i.defaultSupplier ?? <span className="muted">—</span>}</td>
                <td className="num">
                  {i.stockLocations} location{i.stockLocations === 1 ? '' : 's'}
                </td>
                {mayEdit ? (
                  <td className="nowrap row-actions">
                    <button type="button" className="link-button" onClick={() => setEditing(i)} aria-label={`Change ${i.name}`}>
                      Change
                    </button>
                    <button
                      type="button"
                      className="link-button"
                      aria-label={`${i.active ? 'Stop using' : 'Use again'} ${i.name}`}
                      onClick={() => {
                        void call('stock.items.update', { id: i.id, name: i.name, code: i.code, unit: i.unit, defaultSupplier: i.defaultSupplier, active: !i.active }).then((res) => {
                          setError(res.ok ? null : res.error);
                          setNotice(res.ok ? `${res.value.name} is ${res.value.active ? 'in use again' : 'no longer used'}.` : null);
                        });
                      }}
                    >
                      {i.active ? 'Stop using' : 'Use again'}
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
