import { useState } from 'react';
import { z } from 'zod';
import type { Category } from '../../../../shared/domain/category';
import { CategoryFields } from '../../../../shared/domain/category';
import { RISKS } from '../../../../shared/domain/equipment';
import { Banner, ErrorBanner } from '../../components/Banner';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormActions, FormField, KitForm, SubmitButton, useFormValues } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { then, useKitForm } from '../../lib/form';
import { RISK_CHOICE_LABELS, RISK_LABELS } from '../../lib/labels';
import { useChannelMutation, useChannelQuery } from '../../lib/query';
import { Link } from '../../lib/router';
import { can, useSession } from '../../lib/session';

interface Values {
  name: string;
  defaultRisk: string;
  notes: string;
}

const EMPTY: Values = { name: '', defaultRisk: '', notes: '' };
const schema = CategoryFields.extend({ defaultRisk: then(z.string().transform((s) => (s === '' ? null : s)), CategoryFields.shape.defaultRisk) });

/** Name, default risk and notes: the add form and the edit dialog alike. */
function CategoryFieldset({ autoFocus }: { autoFocus?: boolean }) {
  const { register } = useFormValues<Values>();
  return (
    <>
      <div className="grid-2">
        <FormField name="name" label="Category name" required help="A device type, e.g. Infusion pump, Defibrillator.">
          {(p) => <input {...p} {...register('name')} type="text" {...(autoFocus ? { 'data-autofocus': true } : {})} />}
        </FormField>
        <FormField name="defaultRisk" label="Default risk" help="Filled in for new devices of this category.">
          {(p) => (
            <select {...p} {...register('defaultRisk')}>
              <option value="">Not set</option>
              {RISKS.map((r) => (
                <option key={r} value={r}>
                  {RISK_CHOICE_LABELS[r]}
                </option>
              ))}
            </select>
          )}
        </FormField>
      </div>
      <FormField name="notes" label="Category notes">
        {(p) => <textarea {...p} {...register('notes')} />}
      </FormField>
    </>
  );
}

function AddCategory({ onAdded, onAttempt }: { onAdded: (name: string) => void; onAttempt: () => void }) {
  const form = useKitForm({ defaultValues: EMPTY, schema });
  const create = useChannelMutation('categories.create');
  return (
    <KitForm
      form={form}
      className="panel stack"
      label="Add a category"
      onAttempt={onAttempt}
      onSubmit={async (v) => {
        const res = await create.run(v);
        if (res.ok) {
          form.reset(EMPTY);
          onAdded(res.value.name);
        }
        return res;
      }}
    >
      <h2>Add a category</h2>
      <CategoryFieldset />
      <FormActions>
        <SubmitButton busyLabel="Adding…">Add category</SubmitButton>
      </FormActions>
    </KitForm>
  );
}

function EditDialog({ category, onClose, onDone }: { category: Category; onClose: () => void; onDone: (message: string) => void }) {
  const form = useKitForm({ defaultValues: { name: category.name, defaultRisk: category.defaultRisk ?? '', notes: category.notes ?? '' }, schema });
  const update = useChannelMutation('categories.update');
  return (
    <FormDialog
      title={`Edit ${category.name}`}
      form={form}
      wide
      submitLabel="Save changes"
      onClose={onClose}
      onSubmit={async (v) => {
        const res = await update.run({ id: category.id, ...v });
        if (res.ok) onDone(`Saved ${res.value.name}.`);
        return res;
      }}
    >
      <CategoryFieldset autoFocus />
    </FormDialog>
  );
}

/** Device types, with their default risk; their setup page holds default plans and procedures. */
export function Categories() {
  const { user } = useSession();
  const mayEdit = can(user, 'supervisor');
  const categories = useChannelQuery('categories.list', {});
  const remove = useChannelMutation('categories.delete');
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
      {mayEdit ? <AddCategory onAttempt={() => setMessage(null)} onAdded={(name) => setMessage(`Added ${name}.`)} /> : null}
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
                <td className="row-actions nowrap">
                  <button type="button" onClick={() => setOpen({ kind: 'edit', category: c })} aria-label={`Edit… ${c.name}`}>
                    Edit…
                  </button>
                  <button type="button" onClick={() => setOpen({ kind: 'delete', category: c })} aria-label={`Delete… ${c.name}`}>
                    Delete…
                  </button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {list.length === 0 && !categories.loading ? <p className="empty">No categories yet.</p> : null}
      {open?.kind === 'edit' ? <EditDialog category={open.category} onClose={() => setOpen(null)} onDone={done} /> : null}
      {open?.kind === 'delete' ? (
        <ConfirmDialog
          title={`Delete ${open.category.name}?`}
          confirmLabel="Delete category"
          danger
          onClose={() => setOpen(null)}
          onConfirm={() => remove.run({ id: open.category.id })}
          onDone={() => done(`Deleted ${open.category.name}.`)}
        >
          <p>Only a category no device, default plan or procedure uses can be deleted.</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
