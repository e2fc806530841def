import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { z } from 'zod';
import { stockLocationExpected } from '../../../../shared/contract/stock';
import type { StockLocationKind } from '../../../../shared/domain/stock-catalog';
import { StockLevelFields, STOCK_LOCATION_KIND_LABELS, STOCK_LOCATION_KINDS } from '../../../../shared/domain/stock-catalog';
import type { StockLevelView, StockLocationDetail } from '../../../../shared/domain/stock-views';
import type { StockLocationHead } from '../../../../shared/domain/stock-catalog';
import { STOCK_TRANSACTION_LABELS } from '../../../../shared/domain/stock-views';
import { Banner, ErrorBanner } from '../../components/Banner';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Dialog } from '../../components/Dialog';
import { FormActions, FormField, KitForm, SubmitButton } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { LocationFlags } from '../../components/LocationFlags';
import { StockFlagChips } from '../../components/StockCheckForm';
import { takeValuesSavedMeanwhile, then, useKitForm } from '../../lib/form';
import { countText } from '../../lib/numbers';
import { channelQuery, useChannelMutation, useChannelQuery } from '../../lib/query';
import { Link } from '../../lib/router';
import { can, useSession } from '../../lib/session';
import { useDates } from '../../lib/settings';
import { StockActionDialog } from './StockActionDialog';
import { StockChecksSection } from './StockChecksSection';

const count = (rule: z.ZodType<number, number>) => then(countText().transform((n) => n ?? Number.NaN), rule);
const levelsSchema = z.object({ par: count(StockLevelFields.shape.par), minimum: count(StockLevelFields.shape.minimum) });

// The stock dialog holds the item's id, not the item: it is given the item as the page's query has
// it now, so its "On record" and lot figures follow a change made meanwhile at another PC.
type Open = { kind: 'stock'; itemId: string } | { kind: 'levels'; item: StockLevelView } | { kind: 'edit' } | { kind: 'unkeep'; item: StockLevelView } | { kind: 'retire' } | null;

/** The form values of an item's levels. */
const levelValues = (l: { par: number; minimum: number }) => ({ par: String(l.par), minimum: String(l.minimum) });

/** Reads a stock location's page again, now: after a save refused because someone else changed something meanwhile. */
function useReadAgain(stockLocationId: string) {
  const queryClient = useQueryClient();
  return () =>
    queryClient.fetchQuery({ ...channelQuery('stock.locations.get', { id: stockLocationId }), staleTime: 0 }).catch(() => undefined);
}

/**
 * An item's par level and minimum. The save carries the levels the dialog opened with: levels
 * another supervisor changed since are refused, naming them, never put back unseen; the fields
 * this person left alone then take the levels now, and the next save is made over those.
 */
function LevelsDialog({
  stockLocationId,
  item,
  onClose,
  onDone,
  onStopKeeping,
}: {
  stockLocationId: string;
  item: StockLevelView;
  onClose: () => void;
  onDone: (m: string) => void;
  onStopKeeping: () => void;
}) {
  const form = useKitForm({ defaultValues: levelValues(item), schema: levelsSchema });
  const set = useChannelMutation('stock.levels.set');
  const readAgain = useReadAgain(stockLocationId);
  const [opened, setOpened] = useState({ par: item.par, minimum: item.minimum });
  // The item was taken off the list (or is no longer used) since this opened: said once, and the
  // dialog only closes; there are no levels left to save, nor an item to stop keeping.
  const [gone, setGone] = useState<string | null>(null);
  const goneId = useId();
  if (gone !== null) {
    return (
      <Dialog title={`Levels of ${item.name}`} onClose={onClose} describedBy={goneId}>
        <div className="stack">
          <p id={goneId} role="alert">
            {gone}
          </p>
          <div className="form-actions dialog-actions">
            <button type="button" className="primary" onClick={onClose} data-autofocus>
              Close
            </button>
          </div>
        </div>
      </Dialog>
    );
  }
  return (
    <FormDialog
      title={`Levels of ${item.name}`}
      form={form}
      submitLabel="Save levels"
      onClose={onClose}
      fieldOf={(f) => f.replace(/^expected\./, '')}
      onSubmit={async (v) => {
        const res = await set.run({ stockLocationId, itemId: item.itemId, par: v.par, minimum: v.minimum, expected: opened });
        if (res.ok) onDone(`${item.name}: par ${res.value.par}, minimum ${res.value.minimum}.`);
        else if (res.error.field === 'expected') {
          await readAgain();
          setGone(res.error.message);
        } else if (res.error.field?.startsWith('expected.')) {
          const now = (await readAgain())?.items.find((i) => i.itemId === item.itemId);
          if (now) {
            takeValuesSavedMeanwhile(form, levelValues(opened), levelValues(now));
            setOpened({ par: now.par, minimum: now.minimum });
          }
        }
        return res;
      }}
      extraActions={
        <button type="button" className="link-button" onClick={onStopKeeping}>
          Stop keeping it here…
        </button>
      }
    >
      <div className="grid-2">
        <FormField name="par" label="Par level" required help="What a restock fills it up to.">
          {(p) => <input {...p} {...form.register('par')} type="text" inputMode="numeric" className="narrow" data-autofocus />}
        </FormField>
        <FormField name="minimum" label="Minimum" required help="Below this it goes on the reorder list.">
          {(p) => <input {...p} {...form.register('minimum')} type="text" inputMode="numeric" className="narrow" />}
        </FormField>
      </div>
    </FormDialog>
  );
}

/** The form values of a stock location. */
const placeValues = (l: StockLocationHead) => ({ name: l.name, kind: l.kind as StockLocationKind, locationId: l.locationId });

/**
 * Changing a stock location. The save carries the stock location as the dialog opened with it: a
 * change another supervisor made since (a rename, a move) is refused, saying what, never undone
 * unseen; the fields this person left alone then take the values now, and the next save keeps both.
 */
function EditDialog({ detail, onClose, onDone, onRetire }: { detail: StockLocationDetail; onClose: () => void; onDone: (m: string) => void; onRetire: () => void }) {
  const loc = detail.location;
  const locations = useChannelQuery('locations.list', {});
  const form = useKitForm({ defaultValues: placeValues(loc) });
  const update = useChannelMutation('stock.locations.update');
  const readAgain = useReadAgain(loc.id);
  const [opened, setOpened] = useState(loc);
  const placeGone = locations.data !== undefined && !locations.data.some((l) => l.id === loc.locationId);
  return (
    <FormDialog
      title={`Change ${loc.name}`}
      form={form}
      submitLabel={loc.active ? 'Save' : 'Save and put back in use'}
      onClose={onClose}
      fieldOf={(f) => f.replace(/^expected\./, '')}
      onSubmit={async (v) => {
        const res = await update.run({
          id: loc.id,
          ...v,
          equipmentId: opened.equipment?.id ?? null,
          active: true,
          expected: stockLocationExpected(opened),
        });
        if (res.ok) onDone(`Saved ${res.value.name}.`);
        else if (res.error.field?.startsWith('expected.')) {
          const now = (await readAgain())?.location;
          if (now) {
            takeValuesSavedMeanwhile(form, placeValues(opened), placeValues(now));
            setOpened(now);
          }
        }
        return res;
      }}
      extraActions={
        loc.active ? (
          <button type="button" className="link-button" onClick={onRetire}>
            No longer in use…
          </button>
        ) : undefined
      }
    >
      <FormField name="name" label="Name" required>
        {(p) => <input {...p} {...form.register('name')} type="text" data-autofocus />}
      </FormField>
      <FormField name="kind" label="Kind">
        {(p) => (
          <select {...p} {...form.register('kind')}>
            {STOCK_LOCATION_KINDS.map((k) => (
              <option key={k} value={k}>
                {STOCK_LOCATION_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField
        name="locationId"
        label="Where it is"
        {...(placeGone ? { help: `${loc.locationPath} is no longer in use: choose where it is now.` } : {})}
      >
        {(p) => (
          <select {...p} {...form.register('locationId')}>
            {placeGone ? (
              // Its ward has gone since it was retired: shown as it is, never silently swapped for the first ward listed.
              <option value={loc.locationId} disabled>
                {loc.locationPath} (no longer in use)
              </option>
            ) : null}
            {(locations.data ?? []).map((l) => (
              <option key={l.id} value={l.id}>
                {l.path}
              </option>
            ))}
          </select>
        )}
      </FormField>
    </FormDialog>
  );
}

function AddItem({ detail, onDone }: { detail: StockLocationDetail; onDone: (m: string, focus: boolean) => void }) {
  const items = useChannelQuery('stock.items.list', {});
  const readAgain = useReadAgain(detail.location.id);
  const kept = new Set(detail.items.map((i) => i.itemId));
  const free = (items.data ?? []).filter((i) => i.active && !kept.has(i.id));
  const form = useKitForm({ defaultValues: { itemId: '', par: '', minimum: '' }, schema: levelsSchema.extend({ itemId: z.string() }) });
  const set = useChannelMutation('stock.levels.set');
  const titleId = useId();
  // An item someone else put on the list meanwhile: the page is read again (it is on the list now, and
  // no longer offered here), so the refusal is kept above the form, which may have gone with it.
  // The focus goes to it: the Add item button pressed may have gone with the form.
  const [refused, setRefused] = useState<string | null>(null);
  const refusedRef = useRef<HTMLDivElement>(null);
  // Focused again when the form goes (the page read again after the refusal may come after it):
  // the banner is then a new element, above "Every supply item is kept here."
  const allKept = Boolean(items.data) && free.length === 0;
  useEffect(() => {
    if (refused) refusedRef.current?.focus();
  }, [refused, allKept]);
  const refusedBanner = refused ? (
    <div ref={refusedRef} tabIndex={-1}>
      <Banner kind="error">{refused}</Banner>
    </div>
  ) : null;
  if (allKept) {
    return (
      <>
        {refusedBanner}
        <p className="muted">
          Every supply item is kept here. <Link to="/stock/items">Add supply items</Link> to keep more.
        </p>
      </>
    );
  }
  return (
    <KitForm
      form={form}
      className="stack add-item-form"
      labelledBy={titleId}
      onAttempt={() => setRefused(null)}
      onSubmit={async (v) => {
        // `expected: null`: the item was not kept here when the page was read; one someone else put on
        // the list since (another window, another PC) is refused naming its levels, never set over.
        const res = await set.run({ stockLocationId: detail.location.id, itemId: v.itemId, par: v.par, minimum: v.minimum, expected: null });
        if (res.ok) {
          form.reset({ itemId: '', par: '', minimum: '' });
          // The last item offered: the form (and the button pressed) goes, so the focus goes to the notice.
          onDone(`Added ${res.value.name}: par ${res.value.par}, minimum ${res.value.minimum}. Restock it to put it on the shelf.`, free.length === 1);
        } else if (res.error.code === 'conflict' && res.error.field === 'itemId') {
          form.reset({ itemId: '', par: String(v.par), minimum: String(v.minimum) });
          await readAgain();
          setRefused(res.error.message);
          return null;
        }
        return res;
      }}
    >
      <h3 id={titleId}>Keep another item here</h3>
      {refusedBanner}
      <div className="grid-3">
        <FormField name="itemId" label="Item" required>
          {(p) => (
            <select {...p} {...form.register('itemId')}>
              <option value="">Choose an item…</option>
              {free.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.name} ({i.code}, {i.unit})
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField name="par" label="Par level" required>
          {(p) => <input {...p} {...form.register('par')} type="text" inputMode="numeric" className="narrow" />}
        </FormField>
        <FormField name="minimum" label="Minimum" required>
          {(p) => <input {...p} {...form.register('minimum')} type="text" inputMode="numeric" className="narrow" />}
        </FormField>
      </div>
      <FormActions>
        <SubmitButton busyLabel="Adding…">Add item</SubmitButton>
      </FormActions>
    </KitForm>
  );
}

function Changes({ stockLocationId }: { stockLocationId: string }) {
  const q = useChannelQuery('stock.transactions', { stockLocationId, limit: 50 });
  const dates = useDates();
  const rows = q.data ?? [];
  return (
    <details className="panel stock-changes">
      <summary>Recent changes ({rows.length === 50 ? 'latest 50' : rows.length})</summary>
      {rows.length === 0 ? (
        <p className="empty">Nothing yet.</p>
      ) : (
        <table className="data compact">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">What</th>
              <th scope="col">Item</th>
              <th scope="col">Lot</th>
              <th scope="col" className="num">
                Change
              </th>
              <th scope="col">Reason</th>
              <th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((t) => (
              <tr key={t.id}>
                <td className="nowrap">{dates.dateTime(t.at)}</td>
                <td>
                  {STOCK_TRANSACTION_LABELS[t.kind]}
                  {t.counted !== null ? ` (found ${t.counted})` : ''}
                  {t.completionId ? (
                    <>
                      {' '}
                      <Link to={`/stock/checks/${t.completionId}`} className="small">
                        record
                      </Link>
                    </>
                  ) : null}
                </td>
                <td>{t.itemName}</td>
                <td className="mono">{t.lot ?? (t.delta === 0 ? '' : '—')}</td>
                <td className="num">{t.delta > 0 ? `+${t.delta}` : t.delta}</td>
                <td>{t.reason ?? ''}</td>
                <td>{t.userName}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}

/** A stock location: its items with par, minimum, on hand, lots, nearest expiry and flags; its checks; changes. */
export function StockLocationPage({ id }: { id: string }) {
  const { user } = useSession();
  const q = useChannelQuery('stock.locations.get', { id });
  const dates = useDates();
  const removeLevel = useChannelMutation('stock.levels.remove');
  const update = useChannelMutation('stock.locations.update');
  const readAgain = useReadAgain(id);
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  const [focusNotice, setFocusNotice] = useState(false);
  useEffect(() => {
    if (focusNotice && notice) noticeRef.current?.focus();
  }, [focusNotice, notice]);
  const mayEdit = can(user, 'supervisor');
  const d = q.data;
  if (!d) return q.error ? <ErrorBanner error={q.error} /> : <p className="muted">Loading…</p>;
  const loc = d.location;
  const stockItem = open?.kind === 'stock' ? d.items.find((i) => i.itemId === open.itemId) : undefined;
  const done = (m: string) => {
    setOpen(null);
    setNotice(m);
    setFocusNotice(false);
  };
  return (
    <>
      <p className="back-link">
        <Link to="/stock">‹ All stock locations</Link>
      </p>
      <div className="page-head device-head">
        <h1>
          {loc.name} <span className="tag-chip">{loc.kindLabel}</span>
        </h1>
        <div className="actions">
          <Link to={`/stock/reorder?stockLocationId=${loc.id}`} className="button">
            Reorder list
          </Link>
          <Link to={`/stock/expiry?stockLocationId=${loc.id}`} className="button">
            Expiry list
          </Link>
          {mayEdit ? (
            <button type="button" onClick={() => setOpen({ kind: 'edit' })}>
              Change…
            </button>
          ) : null}
        </div>
      </div>
      <p className="status-line">
        <span>{loc.locationPath}</span>
        {loc.equipment ? (
          <span>
            Consumables of{' '}
            <Link to={`/equipment/${loc.equipment.id}`}>
              <span className="mono">{loc.equipment.assetTag}</span> {loc.equipment.name}
            </Link>
          </span>
        ) : null}
        <LocationFlags row={loc} />
      </p>
      {!loc.active ? <Banner kind="warn">This stock location is no longer in use: its checks are suspended and it is on no list.</Banner> : null}
      {notice ? (
        <div ref={noticeRef} tabIndex={-1}>
          <Banner kind="ok">{notice}</Banner>
        </div>
      ) : null}
      <StockChecksSection detail={d} />
      <section className="panel" aria-labelledby="stock-items-title">
        <div className="section-head">
          <h2 id="stock-items-title">Items</h2>
          <span className="muted small">Expiring soon: within {d.expiringWithinDays} days.</span>
        </div>
        {d.items.length === 0 ? <p className="empty">No items are kept here yet.</p> : null}
        {d.items.length > 0 ? (
          <div className="table-scroll">
            <table className="data stock-items-table">
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col" className="num">
                    Par
                  </th>
                  <th scope="col" className="num">
                    Min
                  </th>
                  <th scope="col" className="num">
                    On hand
                  </th>
                  <th scope="col">Nearest expiry</th>
                  <th scope="col">Lots</th>
                  <th scope="col">Flags</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {d.items.map((i) => (
                  <tr key={i.itemId} data-testid="stock-item-row" className={i.flags.expired > 0 || i.flags.belowMinimum ? 'flagged' : undefined}>
                    <th scope="row" className="row-head">
                      {i.name} <span className="muted mono small">{i.code}</span>
                    </th>
                    <td className="num">{i.par}</td>
                    <td className="num">{i.minimum}</td>
                    <td className="num">
                      {i.onHand} <span className="muted small">{i.unit}</span>
                    </td>
                    <td className="nowrap">{i.flags.nearestExpiry ? dates.date(i.flags.nearestExpiry) : <span className="muted">—</span>}</td>
                    <td>
                      {i.lots.length === 0 ? (
                        <span className="muted">—</span>
                      ) : (
                        <ul className="lot-list">
                          {i.lots.map((l) => (
                            <li key={l.id} className={`lot-${l.expiry}`}>
                              <span className="mono">{l.lot ?? '(not recorded)'}</span> × {l.onHand}
                              {/* Stock used on two PCs at once (docs/sync.md): listed so the lots add up to the figure. */}
                              {l.onHand < 0 ? <strong> (below zero)</strong> : null}
                              {l.expiresOn ? <span className="muted small"> exp. {dates.date(l.expiresOn)}</span> : null}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                    <td>
                      <StockFlagChips flags={i.flags} unit={i.unit} />
                    </td>
                    <td className="nowrap row-actions">
                      {loc.active ? (
                        <button type="button" className="small-button" onClick={() => setOpen({ kind: 'stock', itemId: i.itemId })}>
                          Stock…<span className="sr-only"> {i.name}: restock, use, discard or count</span>
                        </button>
                      ) : null}
                      {mayEdit ? (
                        <button type="button" className="link-button" onClick={() => setOpen({ kind: 'levels', item: i })}>
                          Levels…<span className="sr-only"> of {i.name}</span>
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {mayEdit && loc.active ? (
          <AddItem
            detail={d}
            onDone={(m, focus) => {
              setNotice(m);
              setFocusNotice(focus);
            }}
          />
        ) : null}
      </section>
      <Changes stockLocationId={loc.id} />
      {stockItem ? <StockActionDialog stockLocationId={loc.id} item={stockItem} onClose={() => setOpen(null)} onDone={done} /> : null}
      {open?.kind === 'levels' ? (
        <LevelsDialog
          stockLocationId={loc.id}
          item={open.item}
          onClose={() => setOpen(null)}
          onDone={done}
          onStopKeeping={() => setOpen({ kind: 'unkeep', item: open.item })}
        />
      ) : null}
      {open?.kind === 'unkeep' ? (
        <ConfirmDialog
          title={`Stop keeping ${open.item.name} here?`}
          confirmLabel="Stop keeping it here"
          danger
          onClose={() => setOpen(null)}
          onConfirm={() => removeLevel.run({ stockLocationId: loc.id, itemId: open.item.itemId })}
          onDone={() => done(`${open.item.name} is no longer kept here.`)}
        >
          <p>It leaves this stock location&apos;s list and its checks. Only an item with none of it on record here can be taken off.</p>
        </ConfirmDialog>
      ) : null}
      {open?.kind === 'edit' ? <EditDialog detail={d} onClose={() => setOpen(null)} onDone={done} onRetire={() => setOpen({ kind: 'retire' })} /> : null}
      {open?.kind === 'retire' ? (
        <ConfirmDialog
          title={`${loc.name} no longer in use?`}
          confirmLabel="No longer in use"
          danger
          onClose={() => setOpen(null)}
          // Sent with the name and place the page shows: changed meanwhile (a rename by sync, or in another
          // window, not yet on this page), main refuses in words rather than putting them back; the page
          // is then read again, so the next press retires it as it now is.
          onConfirm={async () => {
            const res = await update.run({
              id: loc.id,
              name: loc.name,
              kind: loc.kind,
              locationId: loc.locationId,
              equipmentId: loc.equipment?.id ?? null,
              active: false,
              expected: stockLocationExpected(loc),
            });
            if (!res.ok && res.error.field?.startsWith('expected.')) await readAgain();
            return res;
          }}
          onDone={(head) => done(`${head.name} is no longer in use; its checks are suspended.`)}
        >
          <p>It leaves every list and its checks are suspended. Its history stays; it can be put back in use from this page.</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
