import { useEffect, useId, useRef, useState } from 'react';
import type { RepairCode, RepairCodeKind, RepairCodeListing } from '../../../../shared/domain/work-order';
import { RepairCodeFields } from '../../../../shared/domain/work-order';
import { Banner, ErrorBanner } from '../../components/Banner';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { useKitForm } from '../../lib/form';
import { useChannelMutation, useChannelQuery } from '../../lib/query';
import { Link } from '../../lib/router';

const KINDS: { kind: RepairCodeKind; title: string; word: string }[] = [
  { kind: 'failure', title: 'Failure codes (what failed)', word: 'failure code' },
  { kind: 'cause', title: 'Cause codes (why)', word: 'cause code' },
];

function AddCodeDialog({ kind, word, onClose, onDone }: { kind: RepairCodeKind; word: string; onClose: () => void; onDone: (m: string) => void }) {
  const form = useKitForm({ defaultValues: { kind, label: '' }, schema: RepairCodeFields });
  const add = useChannelMutation('workOrders.codes.add');
  return (
    <FormDialog
      title={`Add a ${word}`}
      form={form}
      submitLabel={`Add ${word}`}
      onClose={onClose}
      onSubmit={async (v) => {
        const res = await add.run(v);
        if (res.ok) onDone(`Added the ${word} "${res.value.label}": the repair form offers it.`);
        return res;
      }}
    >
      <FormField name="label" label="Code" required help={`A deleted ${word} of the same name comes back.`}>
        {(p) => <input {...p} {...form.register('label')} type="text" data-autofocus />}
      </FormField>
    </FormDialog>
  );
}

function CodeList({ title, codes, mayEdit, onAdd, onDelete }: { title: string; codes: RepairCodeListing[]; mayEdit: boolean; onAdd: () => void; onDelete: (c: RepairCode) => void }) {
  const titleId = useId();
  return (
    <div>
      <div className="section-head">
        <h3 id={titleId}>{title}</h3>
        {mayEdit ? (
          <button type="button" onClick={onAdd}>
            Add…<span className="sr-only"> {title.toLowerCase().replace(/ codes.*$/, ' code')}</span>
          </button>
        ) : null}
      </div>
      {codes.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <table className="data" aria-labelledby={titleId}>
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">On the list</th>
              {mayEdit ? (
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {codes.map((c) => (
              <tr key={c.id} className={c.active ? undefined : 'inactive-row'}>
                <th scope="row" className="row-head">
                  {c.label}
                  {c.printsLike ? (
                    <p className="small warn-text prints-like" data-testid="prints-like">
                      {c.printsLike}
                    </p>
                  ) : null}
                </th>
                <td>{c.active ? 'Yes' : <span className="muted">Deleted: kept on the work orders that use it</span>}</td>
                {mayEdit ? (
                  <td className="nowrap row-actions">
                    {c.active ? (
                      <button type="button" className="link-button" onClick={() => onDelete(c)}>
                        Delete…<span className="sr-only"> {c.label}</span>
                      </button>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/**
 * Settings → Failure and cause codes: the lists a repair's codes are chosen from. Supervisors add
 * and delete; a deleted code leaves the repair form but stays on the work orders that used it.
 */
export function RepairCodesSection({ mayEdit }: { mayEdit: boolean }) {
  const q = useChannelQuery('workOrders.codes', {});
  const remove = useChannelMutation('workOrders.codes.remove');
  const [adding, setAdding] = useState<(typeof KINDS)[number] | null>(null);
  const [deleting, setDeleting] = useState<RepairCode | null>(null);
  const [notice, setNotice] = useState<{ text: string; focus: boolean } | null>(null);
  const titleId = useId();
  // After a delete the code's Delete… button is gone: the focus goes to the notice, not to the document's body.
  const noticeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (notice?.focus) noticeRef.current?.focus();
  }, [notice]);
  const codes = q.data;
  const word = (kind: RepairCodeKind) => KINDS.find((k) => k.kind === kind)!.word;
  return (
    <section className="panel" aria-labelledby={titleId}>
      <h2 id={titleId}>Failure and cause codes</h2>
      <p className="muted small">
        Chosen when a repair is logged on a work order (<Link to="/work-orders">Repairs</Link>).
        {mayEdit ? null : ' Only a supervisor adds or deletes codes.'}
      </p>
      {notice ? (
        <div ref={noticeRef} tabIndex={-1} data-testid="codes-notice">
          <Banner kind="ok">{notice.text}</Banner>
        </div>
      ) : null}
      <ErrorBanner error={q.error} />
      {adding ? (
        <AddCodeDialog
          kind={adding.kind}
          word={adding.word}
          onClose={() => setAdding(null)}
          onDone={(m) => {
            setAdding(null);
            setNotice({ text: m, focus: false });
          }}
        />
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title={`Delete the ${word(deleting.kind)} "${deleting.label}"?`}
          confirmLabel={`Delete ${word(deleting.kind)}`}
          danger
          onClose={() => setDeleting(null)}
          onConfirm={() => remove.run({ id: deleting.id })}
          onDone={(c) => {
            setDeleting(null);
            setNotice({ text: `Deleted the ${word(c.kind)} "${c.label}". The work orders that use it keep it.`, focus: true });
          }}
        >
          <p>The repair form no longer offers it. It stays on the work orders that already use it, as it was.</p>
        </ConfirmDialog>
      ) : null}
      {codes ? (
        <div className="grid-2">
          {KINDS.map((k) => (
            <CodeList
              key={k.kind}
              title={k.title}
              codes={codes.filter((c) => c.kind === k.kind)}
              mayEdit={mayEdit}
              onAdd={() => {
                setNotice(null);
                setAdding(k);
              }}
              onDelete={(c) => {
                setNotice(null);
                setDeleting(c);
              }}
            />
          ))}
        </div>
      ) : null}
    </section>
  );
}
