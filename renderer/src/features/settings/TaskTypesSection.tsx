import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { TaskType, TaskTypeFieldsValue } from '../../../../shared/domain/plan';
import { CUSTOM_FORM_KINDS, TASK_FORM_LABELS, TaskTypeFields, TaskTypeUpdate, taskTypeExpected } from '../../../../shared/domain/plan';
import { Banner, ErrorBanner } from '../../components/Banner';
import { FormField, useFieldError } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { takeValuesSavedMeanwhile, useKitForm } from '../../lib/form';
import { channelQuery, useChannelMutation, useChannelQuery } from '../../lib/query';

interface Draft {
  label: string;
  formKind: TaskType['formKind'];
  failTakesOutOfService: boolean;
  overdueMeansDoNotUse: boolean;
  failOpensWorkOrder: boolean;
  active: boolean;
}

const BLANK: Draft = { label: '', formKind: 'checklist', failTakesOutOfService: false, overdueMeansDoNotUse: false, failOpensWorkOrder: false, active: true };

// A change sends the type's own form back (a built-in one must keep it); its code is added when sent.
const editSchema = TaskTypeUpdate.omit({ code: true });

/** A task type as the change form holds it: the same names and values as the save's `expected`. */
const draftOf = (t: TaskType): Draft => taskTypeExpected(t);

/** A box of the form with its help, and a refusal from main beside it (e.g. a task that stays in use). */
function Check({ name, label, help, register }: { name: keyof Draft; label: string; help?: string; register: ReturnType<typeof useKitForm<Draft>>['register'] }) {
  const id = useId();
  const error = useFieldError(name);
  const describedBy = [error ? `${id}-error` : null, help ? `${id}-help` : null].filter(Boolean).join(' ');
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      {error ? (
        <span className="error" id={`${id}-error`}>
          <span className="sr-only">Error: </span>
          {error}
        </span>
      ) : null}
      <label className="check">
        <input type="checkbox" {...register(name)} aria-invalid={Boolean(error)} {...(describedBy ? { 'aria-describedby': describedBy } : {})} />
        {label}
      </label>
      {help ? (
        <span id={`${id}-help`} className="help">
          {help}
        </span>
      ) : null}
    </div>
  );
}

/**
 * Adding a task type, or changing one. A change carries what the dialog opened with, so a change
 * another administrator made meanwhile (a task stopped, a flag changed) is refused, not undone: the
 * fields they changed (and this person did not) then show their new values, and the next save keeps both.
 */
function TaskTypeDialog({ editing, onClose, onDone }: { editing: TaskType | null; onClose: () => void; onDone: (m: string) => void }) {
  const form = useKitForm<Draft, TaskTypeFieldsValue & { active?: boolean; formKind: TaskType['formKind'] }>({
    defaultValues: editing ? draftOf(editing) : BLANK,
    schema: editing ? editSchema : TaskTypeFields,
  });
  const create = useChannelMutation('taskTypes.create');
  const update = useChannelMutation('taskTypes.update');
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState<TaskType | null>(editing);
  const { register } = form;
  const onStock = editing?.target === 'stock_location';

  const takeChangesMeanwhile = async (code: string) => {
    const now = (await queryClient.fetchQuery({ ...channelQuery('taskTypes.list', {}), staleTime: 0 })).find((t) => t.code === code);
    if (!now || !opened) return;
    takeValuesSavedMeanwhile(form, draftOf(opened), draftOf(now));
    setOpened(now);
  };

  return (
    <FormDialog
      title={editing ? `Change ${editing.label}` : 'Add a task type'}
      form={form}
      wide
      submitLabel={editing ? 'Save task type' : 'Add task type'}
      onClose={onClose}
      fieldOf={(f) => f.replace(/^expected\./, '')}
      onSubmit={async (v) => {
        if (editing && opened) {
          const res = await update.run({ ...v, code: editing.code, active: v.active ?? opened.active, expected: taskTypeExpected(opened) });
          if (res.ok) onDone(`Saved ${res.value.label}.`);
          else if (res.error.field?.startsWith('expected.')) await takeChangesMeanwhile(editing.code);
          return res;
        }
        const res = await create.run({
          label: v.label,
          formKind: v.formKind as (typeof CUSTOM_FORM_KINDS)[number],
          failTakesOutOfService: v.failTakesOutOfService,
          overdueMeansDoNotUse: v.overdueMeansDoNotUse,
          failOpensWorkOrder: v.failOpensWorkOrder,
        });
        if (res.ok) onDone(`Added ${res.value.label}. It can now be planned on devices and categories, and logged without a plan from a device's page.`);
        return res;
      }}
    >
      <div className="grid-2">
        <FormField name="label" label="Name" required help="As lists, forms and printouts show it; unique.">
          {(p) => <input {...p} {...register('label')} type="text" data-autofocus />}
        </FormField>
        {editing?.builtin ? (
          <p>
            <strong>Form:</strong> {TASK_FORM_LABELS[editing.formKind]}
            <br />
            <span className="muted small">One of Wardkeep&apos;s own tasks: its form stays as it is.</span>
          </p>
        ) : (
          <FormField name="formKind" label="Form" required help="How its work is entered when it is logged.">
            {(p) => (
              <select {...p} {...register('formKind')}>
                {CUSTOM_FORM_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {TASK_FORM_LABELS[k]}
                  </option>
                ))}
              </select>
            )}
          </FormField>
        )}
      </div>
      <fieldset className="choices">
        <legend>What a fail or an overdue plan means</legend>
        {onStock ? (
          <p className="muted small">Done on stock locations, which are never taken out of service.</p>
        ) : (
          <>
            <Check name="failTakesOutOfService" label="A fail takes the device out of service" help="Tagged out (DO NOT USE) until a later pass of the same plan." register={register} />
            <Check name="failOpensWorkOrder" label="A fail opens a work order" register={register} />
          </>
        )}
        <Check name="overdueMeansDoNotUse" label="Overdue means do not use" help="The device page, Today and due lists say DO NOT USE while it is overdue." register={register} />
        {editing ? (
          <Check name="active" label="In use" help="Untick to stop offering it for new plans and work; its plans and records stay." register={register} />
        ) : null}
      </fieldset>
    </FormDialog>
  );
}

const yes = (b: boolean) => (b ? 'Yes' : <span className="muted">No</span>);

/**
 * Settings → Task types: the hospital's list of tasks, with the form each is logged with and what
 * a fail or an overdue plan of it means. Administrators add and change them; everyone else who
 * opens the screen reads them.
 */
export function TaskTypesSection({ mayEdit }: { mayEdit: boolean }) {
  const q = useChannelQuery('taskTypes.list', {});
  const [editing, setEditing] = useState<TaskType | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const titleId = useId();
  const types = q.data ?? [];
  return (
    <section className="panel" aria-labelledby={titleId}>
      <div className="section-head">
        <h2 id={titleId}>Task types</h2>
        {mayEdit ? (
          <button
            type="button"
            onClick={() => {
              setNotice(null);
              setEditing('new');
            }}
          >
            Add task type…
          </button>
        ) : null}
      </div>
      {mayEdit ? null : <p className="muted small">Only an administrator adds or changes task types.</p>}
      {notice ? <Banner kind="ok">{notice}</Banner> : null}
      <ErrorBanner error={q.error} />
      {editing !== null ? (
        <TaskTypeDialog
          key={editing === 'new' ? 'new' : editing.code}
          editing={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onDone={(m) => {
            setEditing(null);
            setNotice(m);
          }}
        />
      ) : null}
      {types.length > 0 ? (
        <table className="data">
          <caption className="sr-only">Task types</caption>
          <thead>
            <tr>
              <th scope="col">Task</th>
              <th scope="col">Form</th>
              <th scope="col">A fail takes it out of service</th>
              <th scope="col">A fail opens a work order</th>
              <th scope="col">Overdue means do not use</th>
              <th scope="col">Built in</th>
              <th scope="col">In use</th>
              {mayEdit ? (
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {types.map((t) => (
              <tr key={t.code} className={t.active ? undefined : 'inactive-row'}>
                <th scope="row" className="row-head">
                  {t.label}
                  {t.target === 'stock_location' ? <span className="muted small"> (stock locations)</span> : null}
                </th>
                <td>{TASK_FORM_LABELS[t.formKind]}</td>
                <td>{yes(t.failTagsOut)}</td>
                <td>{yes(t.failOpensWorkOrder)}</td>
                <td>{yes(t.overdueBlocksUse)}</td>
                <td>{yes(t.builtin)}</td>
                <td>{t.active ? 'Yes' : <span className="muted">No: offered for no new work</span>}</td>
                {mayEdit ? (
                  <td className="nowrap row-actions">
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => {
                        setNotice(null);
                        setEditing(t);
                      }}
                    >
                      Change…<span className="sr-only"> {t.label}</span>
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
