import { useState } from 'react';
import type { FormEvent } from 'react';
import type { Category } from '../../../../shared/domain/category';
import type { Risk } from '../../../../shared/domain/equipment';
import { RISKS } from '../../../../shared/domain/equipment';
import type { AppErrorValue } from '../../../../shared/result';
import { Banner, ErrorBanner } from '../../components/Banner';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { call, useQuery } from '../../lib/api';
import { Link } from '../../lib/router';
import { fieldErrors } from '../../lib/form-errors';
import { can, useSession } from '../../lib/session';
import { RISK_CHOICE_LABELS, RISK_LABELS } from '../../lib/labels';

interface Draft {
  name: string;
  defaultRisk: '' | Risk;
  notes: string;
}

const EMPTY: Draft = { name: '', defaultRisk: '', notes: '' };

/** Name, default risk and notes: the add form and the edit dialog alike. */
function CategoryFields({ draft, setDraft, byField, autoFocus }: { draft: Draft; setDraft: (d: Draft) => void; byField: Record<string, string>; autoFocus?: boolean }) {
  return (
    <>
      <div className="grid-2">
        <Field label="Category name" required error={byField.name} help="A device type, e.g. Infusion pump, Defibrillator.">
          {(p) => <input {...p} type="text" value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} {...(autoFocus ? { 'data-autofocus': true } : {})} />}
        </Field>
        <Field label="Default risk" error={byField.defaultRisk} help="Filled in for new devices of this category.">
          {(p) => (
            <select {...p} value={draft.defaultRisk} onChange={(e) => setDraft({ ...draft, defaultRisk: e.target.value as Draft['defaultRisk'] })}>
              <option value="">Not set</option>
              {RISKS.map((r) => (
                <option key={r} value={r}>
                  {RISK_CHOICE_LABELS[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field label="Category notes" error={byField.notes}>
        {(p) => <textarea {...p} value={draft.notes} onChange={(e) => setDraft({ ...draft, notes: e.target.value })} />}
      </Field>
    </>
  );
}

const toInput = (d: Draft) => ({ name: d.name, defaultRisk: d.defaultRisk || null, notes: d.notes });

function AddCategory({ onAdded }: { onAdded: (name: string) => void }) {
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [error, setError] = useState<AppErrorValue | null>(null);
  const { byField, general } = fieldErrors(error);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const res = await call('categories.create', toInput(draft));
    if (res.ok) {
      setError(null);
      setDraft(EMPTY);
      onAdded(res.value.name);
    } else setError(res.error);
  }
  return (
    <form className="panel stack" onSubmit={submit} noValidate aria-label="Add a category">
      <h2>Add a category</h2>
      <ErrorBanner error={general} />
      <CategoryFields draft={draft} setDraft={setDraft} byField={byField} />
      <div className="form-actions">
        <button type="submit" className="primary">
          Add category
        </button>
      </div>
    </form>
  );
}

function EditDialog({ category, onClose, onDone }: { category: Category; onClose: () => void; onDone: (message: string) => void }) {
  const [draft, setDraft] = useState<Draft>({ name: category.name, defaultRisk: category.defaultRisk ?? '', notes: category.notes ?? '' });
  const [error, setError] = useState<AppErrorValue | null>(null);
  const { byField, general } = fieldErrors(error);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const res = await call('categories.update', { id: category.id, ...toInput(draft) });
    if (res.ok) onDone(`Saved ${res.value.name}.`);
    else setError(res.error);
  }
  return (
    <Dialog title={`Edit ${category.name}`} onClose={onClose} className="wide">
      <form className="stack" onSubmit={submit} noValidate>
        <ErrorBanner error={general} />
        <CategoryFields draft={draft} setDraft={setDraft} byField={byField} autoFocus />
        <div className="form-actions dialog-actions">
          <button type="submit" className="primary">
            Save changes
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function DeleteDialog({ category, onClose, onDone }: { category: Category; onClose: () => void; onDone: (message: string) => void }) {
  const [error, setError] = useState<AppErrorValue | null>(null);
  async function confirm() {
    const res = await call('categories.delete', { id: category.id });
    if (res.ok) onDone(`Deleted ${category.name}.`);
    else setError(res.error);
  }
  return (
    <Dialog title={`Delete ${category.name}?`} onClose={onClose} describedBy="delete-category-text">
      <div className="stack">
        <p id="delete-category-text">Only a category no device, default plan or procedure uses can be deleted.</p>
        <ErrorBanner error={error} />
        <div className="form-actions dialog-actions">
          <button type="button" className="danger" onClick={() => void confirm()}>
            Delete category
          </button>
          <button type="button" onClick={onClose} data-autofocus>
            Cancel
          </button>
        </div>
      </div>
    </Dialog>
  );
}

/** Device types, with their default risk; later issues hang default plans on them. */
export function Categories() {
  const { user } = useSession();
  const mayEdit = can(user, 'supervisor');
  const categories = useQuery('categories.list', {});
  const [message, setMessage] = useState<string | null>(null);
  const [open, setOpen] = useState<{ kind: 'edit' | 'delete'; category: Category } | null>(null);
  const list = categories.data ?? [];
  const done = (text: string) => {
    setOpen(null);
    setMessage(text);
  };
  return (
    <>
      <div className="page-head">
        <h1>Categories</h1>
      </div>
      {message ? <Banner kind="ok">{message}</Banner> : null}
      {mayEdit ? <AddCategory onAdded={(name) => setMessage(`Added ${name}.`)} /> : null}
      <ErrorBanner error={categories.error} />
      <table className="data" aria-label="Categories">
        <thead>
          <tr>
            <th scope="col">Category</th>
            <th scope="col">Default risk</th>
            <th scope="col" className="num">
              Devices
            </th>
            <th scope="col">Notes</th>
            {mayEdit ? (
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {list.map((c) => (
            <tr key={c.id}>
              <th scope="row" className="row-head">
                <Link to={`/categories/${c.id}`}>{c.name}</Link>
              </th>
              <td>{c.defaultRisk ? RISK_LABELS[c.defaultRisk] : <span className="muted">—</span>}</td>
              <td className="num">{c.equipmentCount}</td>
              <td className="notes-cell">{c.notes ?? <span className="muted">—</span>}</td>
              {mayEdit ? (
                <td>
                  <div className="form-actions">
                    <button type="button" onClick={() => setOpen({ kind: 'edit', category: c })} aria-label={`Edit ${c.name}`}>
                      Edit
                    </button>
                    <button type="button" onClick={() => setOpen({ kind: 'delete', category: c })} aria-label={`Delete ${c.name}`}>
                      Delete
                    </button>
                  </div>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {list.length === 0 && !categories.loading ? <p className="empty">No categories yet.</p> : null}
      {open?.kind === 'edit' ? <EditDialog category={open.category} onClose={() => setOpen(null)} onDone={done} /> : null}
      {open?.kind === 'delete' ? <DeleteDialog category={open.category} onClose={() => setOpen(null)} onDone={done} /> : null}
    </>
  );
}
