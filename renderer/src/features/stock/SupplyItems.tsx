import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { supplyItemExpected } from '../../../../shared/contract/stock';
import type { SupplyItem } from '../../../../shared/domain/stock-catalog';
import { SupplyItemFields } from '../../../../shared/domain/stock-catalog';
import { Banner, ErrorBanner } from '../../components/Banner';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { takeValuesSavedMeanwhile, useKitForm } from '../../lib/form';
import { channelQuery, useChannelMutation, useChannelQuery } from '../../lib/query';
import { can, useSession } from '../../lib/session';
import { StockNav } from './StockNav';

interface Draft {
  name: string;
  code: string;
  unit: string;
  defaultSupplier: string;
}

const BLANK: Draft = { name: '', code: '', unit: '', defaultSupplier: '' };

const draftOf = (i: SupplyItem): Draft => ({ name: i.name, code: i.code, unit: i.unit, defaultSupplier: i.defaultSupplier ?? '' });

/** Reads the catalogue again, now: after a save refused because someone else changed the item meanwhile. */
function useReadAgain() {
  const queryClient = useQueryClient();
  return () => queryClient.fetchQuery({ ...channelQuery('stock.items.list', {}), staleTime: 0 }).catch(() => undefined);
}

/**
 * Adding or changing a supply item. A change carries the item as the dialog opened with it: a change
 * another supervisor made since is refused, saying what, never undone unseen; the fields this person
 * left alone then take the values now, and the next save keeps both.
 */
function ItemDialog({ editing, onClose, onDone }: { editing: SupplyItem | null; onClose: () => void; onDone: (m: string) => void }) {
  const form = useKitForm({ defaultValues: editing ? draftOf(editing) : BLANK, schema: SupplyItemFields });
  const create = useChannelMutation('stock.items.create');
  const update = useChannelMutation('stock.items.update');
  const readAgain = useReadAgain();
  const [opened, setOpened] = useState(editing);
  const { register } = form;
  return (
    <FormDialog
      title={editing ? `Change ${editing.name}` : 'Add a supply item'}
      form={form}
      wide
      submitLabel={editing ? 'Save item' : 'Add item'}
      onClose={onClose}
      fieldOf={(f) => f.replace(/^expected\./, '')}
      onSubmit={async (v) => {
        const res = opened ? await update.run({ id: opened.id, ...v, expected: supplyItemExpected(opened) }) : await create.run(v);
        if (res.ok)
          onDone(
            opened
              ? `Saved ${res.value.name}.`
              : `Added ${res.value.name} (${res.value.code}). Keep it at a stock location from that location's page.`,
          );
        else if (opened && res.error.field?.startsWith('expected.')) {
          const now = (await readAgain())?.find((i) => i.id === opened.id);
          if (now) {
            takeValuesSavedMeanwhile(form, draftOf(opened), draftOf(now));
            setOpened(now);
          }
        }
        return res;
      }}
    >
      <div className="grid-2">
        <FormField name="name" label="Name" required>
          {(p) => <input {...p} {...register('name')} type="text" data-autofocus />}
        </FormField>
        <FormField name="code" label="Code" required help="Unique, whatever the case: the catalogue or shelf code.">
          {(p) => <input {...p} {...register('code')} type="text" autoComplete="off" />}
        </FormField>
        <FormField name="unit" label="Unit" required help="How it is counted: each, pair, box of 10.">
          {(p) => <input {...p} {...register('unit')} type="text" />}
        </FormField>
        <FormField name="defaultSupplier" label="Default supplier">
          {(p) => <input {...p} {...register('defaultSupplier')} type="text" />}
        </FormField>
      </div>
    </FormDialog>
  );
}

/** The supply catalogue: name, code, unit, supplier, and how many stock locations keep each. */
export function SupplyItems() {
  const { user } = useSession();
  const q = useChannelQuery('stock.items.list', {});
  const [editing, setEditing] = useState<SupplyItem | 'new' | null>(null);
  const [toggling, setToggling] = useState<SupplyItem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const update = useChannelMutation('stock.items.update');
  const readAgain = useReadAgain();
  const mayEdit = can(user, 'supervisor');
  const items = q.data ?? [];
  // The item to stop (or start) using as the list has it now, so a rename arriving while the dialog is open is neither shown stale nor undone.
  const toggled = toggling ? (items.find((i) => i.id === toggling.id) ?? toggling) : null;
  const done = (m: string) => {
    setEditing(null);
    setNotice(m);
  };
  return (
    <>
      <div className="page-head">
        <h1>Stock</h1>
        {mayEdit ? (
          <div className="actions">
            <button type="button" onClick={() => setEditing('new')}>
              Add supply item…
            </button>
          </div>
        ) : null}
      </div>
      <StockNav />
      {notice ? <Banner kind="ok">{notice}</Banner> : null}
      <ErrorBanner error={q.error} />
      {editing !== null ? <ItemDialog key={editing === 'new' ? 'new' : editing.id} editing={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onDone={done} /> : null}
      {toggled && toggling ? (
        <ConfirmDialog
          title={`${toggling.active ? 'Stop using' : 'Use again'} ${toggled.name}?`}
          confirmLabel={toggling.active ? 'Stop using it' : 'Use it again'}
          danger={toggling.active}
          onClose={() => setToggling(null)}
          // Sent with the item as the list shows it: changed meanwhile and not yet on this list, main
          // refuses in words rather than putting the old values back; the list is read again, so the
          // next press acts on the item as it now is.
          onConfirm={async () => {
            const res = await update.run({
              id: toggled.id,
              name: toggled.name,
              code: toggled.code,
              unit: toggled.unit,
              defaultSupplier: toggled.defaultSupplier,
              active: !toggling.active,
              expected: { ...supplyItemExpected(toggled), active: toggling.active },
            });
            if (!res.ok && res.error.field?.startsWith('expected.')) await readAgain();
            return res;
          }}
          onDone={(item) => {
            setToggling(null);
            setNotice(`${item.name} is ${item.active ? 'in use again' : 'no longer used'}.`);
          }}
        >
          <p>
            {toggling.active
              ? 'It is no longer offered for stock locations; only an item no stock location keeps can be put out of use. Its history stays.'
              : 'It is offered for stock locations again.'}
          </p>
        </ConfirmDialog>
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
                    <button type="button" className="link-button" onClick={() => setEditing(i)}>
                      Change…<span className="sr-only"> {i.name}</span>
                    </button>
                    <button type="button" className="link-button" onClick={() => setToggling(i)}>
                      {i.active ? 'Stop using…' : 'Use again…'}
                      <span className="sr-only"> {i.name}</span>
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
