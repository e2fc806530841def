import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { z } from 'zod';
import type { Category } from '../../../../shared/domain/category';
import { CategoryFields, categoryExpected } from '../../../../shared/domain/category';
import { RISKS } from '../../../../shared/domain/equipment';
import { Banner, ErrorBanner } from '../../components/Banner';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormActions, FormField, KitForm, SubmitButton, useFormValues } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { takeValuesSavedMeanwhile, then, useKitForm } from '../../lib/form';
import { RISK_CHOICE_LABELS, RISK_LABELS } from '../../lib/labels';
import { channelQuery, useChannelMutation, useChannelQuery } from '../../lib/query';
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

/** A category's name, default risk and notes as the edit form holds them. */
const asValues = (c: Category): Values => ({ name: c.name, defaultRisk: c.defaultRisk ?? '', notes: c.notes ?? '' });

/**
 * The edit dialog. The save carries what the dialog opened with, so a change another supervisor made
 * meanwhile (another window, or another PC through the hub) is refused, not undone: the fields they
 * changed (and this person did not) then show their new values, and the next save keeps both.
 */
function EditDialog({ category, onClose, onDone }: { category: Category; onClose: () => void; onDone: (message: string) => void }) {
  const form = useKitForm({ defaultValues: asValues(category), schema });
  const update = useChannelMutation('categories.update');
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState<Category>(category);

  const takeChangesMeanwhile = async () => {
    const now = (await queryClient.fetchQuery({ ...channelQuery('categories.list', {}), staleTime: 0 })).find((c) => c.id === category.id);
    if (!now) return;
    takeValuesSavedMeanwhile(form, asValues(opened), asValues(now));
    setOpened(now);
  };

  return (
    <FormDialog
      title={`Edit ${category.name}`}
      form={form}
      wide
      submitLabel="Save changes"
      onClose={onClose}
      fieldOf={(f) => f.replace(/^expected\./, '')}
      onSubmit={async (v) => {
        const res = await update.run({ id: category.id, ...v, expected: categoryExpected(opened) });
        if (res.ok) onDone(`Saved ${res.value.name}.`);
        else if (res.error.field?.startsWith('expected.')) await takeChangesMeanwhile();
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
  const update = useChannelMutation('categories.update');
  const [message, setMessage] = useState<{ text: string; focus: boolean } | null>(null);
  const [open, setOpen] = useState<{ kind: 'edit' | 'delete' | 'use'; category: Category } | null>(null);
  /**
   * Out of use (not offered for devices, kept by those that have it), or back in use: only that is
   * sent, so a page read before someone else renamed the category never writes the old name back.
   */
  const setInUse = (c: Category, active: boolean) => update.run({ id: c.id, active });
  const inUseChanged = (c: Category) =>
    done(c.active ? `${c.name} is in use again: it is offered for devices.` : `${c.name} is out of use: it is no longer offered for devices. Devices that have it keep it.`);
  const list = categories.data ?? [];
  /** `focus`: the button that opened the dialog is gone with its row, so the focus goes to the notice, not to the document's body. */
  const done = (text: string, focus = false) => {
    setOpen(null);
    setMessage({ text, focus });
  };
  const noticeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (message?.focus) noticeRef.current?.focus();
  }, [message]);
  return (
    <>
      <div className="page-head">
        <h1>Categories</h1>
      </div>
      {message ? (
        <div ref={noticeRef} tabIndex={-1} data-testid="categories-notice">
          <Banner kind="ok">{message.text}</Banner>
        </div>
      ) : null}
      {mayEdit ? <AddCategory onAttempt={() => setMessage(null)} onAdded={(name) => setMessage({ text: `Added ${name}.`, focus: false })} /> : null}
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
                {c.active ? null : (
                  <>
                    {' '}
                    <span className="chip">out of use</span>
                  </>
                )}
                {c.printsLike ? (
                  <p className="small warn-text prints-like" data-testid="prints-like">
                    {c.printsLike}
                  </p>
                ) : null}
              </th>
              <td>{c.defaultRisk ? RISK_LABELS[c.defaultRisk] : <span className="muted">—</span>}</td>
              <td className="num">{c.equipmentCount}</td>
              <td className="notes-cell">{c.notes ?? <span className="muted">—</span>}</td>
              {mayEdit ? (
                <td className="row-actions nowrap">
                  <button type="button" onClick={() => setOpen({ kind: 'edit', category: c })} aria-label={`Edit… ${c.name}`}>
                    Edit…
                  </button>
                  <button type="button" onClick={() => setOpen({ kind: 'use', category: c })} aria-label={`${c.active ? 'Take out of use…' : 'Bring back…'} ${c.name}`}>
                    {c.active ? 'Take out of use…' : 'Bring back…'}
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
          onDone={(r) =>
            r.outOfUse
              ? done(`${open.category.name} is out of use: this PC syncs with a hospital hub, where categories are kept, not deleted. It is no longer offered for devices.`)
              : done(`Deleted ${open.category.name}.`, true)
          }
          // Refused (it has been used): taking it out of use is what is left.
          extraActions={(error) =>
            error && error.code === 'conflict' && open.category.active ? (
              <button type="button" className="primary" onClick={() => void setInUse(open.category, false).then((r) => r.ok && inUseChanged(r.value))}>
                Take out of use instead
              </button>
            ) : null
          }
        >
          <p>Only a category no device, default plan or procedure uses can be deleted. One that has been used can be taken out of use instead.</p>
        </ConfirmDialog>
      ) : null}
      {open?.kind === 'use' ? (
        <ConfirmDialog
          title={open.category.active ? `Take ${open.category.name} out of use?` : `Bring ${open.category.name} back?`}
          confirmLabel={open.category.active ? 'Take out of use' : 'Bring back'}
          danger={open.category.active}
          onClose={() => setOpen(null)}
          onConfirm={() => setInUse(open.category, !open.category.active)}
          onDone={inUseChanged}
        >
          <p>
            {open.category.active
              ? `${open.category.name} is no longer offered for new devices or in imports. The ${open.category.equipmentCount} device${open.category.equipmentCount === 1 ? '' : 's'} that have it keep it, with its default plans and procedures.`
              : `${open.category.name} is offered for devices again.`}
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
