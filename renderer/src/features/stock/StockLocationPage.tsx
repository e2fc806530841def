import type { FormEvent } from 'react';
import { useId, useState } from 'react';
import type { StockLocationKind } from '../../../../shared/domain/stock-catalog';
import { STOCK_LOCATION_KIND_LABELS, STOCK_LOCATION_KINDS } from '../../../../shared/domain/stock-catalog';
import type { StockLevelView, StockLocationDetail } from '../../../../shared/domain/stock-views';
import { STOCK_TRANSACTION_LABELS } from '../../../../shared/domain/stock-views';
import type { AppErrorValue } from '../../../../shared/result';
import { Banner, ErrorBanner } from '../../components/Banner';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { StockFlagChips } from '../../components/StockCheckForm';
import { call, useQuery } from '../../lib/api';
import { formatDate } from '../../lib/dates';
import { fieldErrors } from '../../lib/form-errors';
import { Link } from '../../lib/router';
import { can, useSession } from '../../lib/session';
import { formatInstant, useDateFormat } from '../../lib/use-date-format';
import { StockActionDialog } from './StockActionDialog';
import { StockChecksSection } from './StockChecksSection';
import { LocationFlags } from '../../components/LocationFlags';

type Open = { kind: 'stock'; item: StockLevelView } | { kind: 'levels'; item: StockLevelView } | { kind: 'edit' } | null;

function LevelsDialog({ stockLocationId, item, onClose, onDone }: { stockLocationId: string; item: StockLevelView; onClose: () => void; onDone: (m: string) => void }) {
  const [par, setPar] = useState(String(item.par));
  const [minimum, setMinimum] = useState(String(item.minimum));
  const [error, setError] = useState<AppErrorValue | null>(null);
  const { byField, general } = fieldErrors(error);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const res = await call('stock.levels.set', { stockLocationId, itemId: item.itemId, par: Number(par), minimum: Number(minimum) });
    if (res.ok) onDone(`${item.name}: par ${res.value.par}, minimum ${res.value.minimum}.`);
    else setError(res.error);
  }
  async function remove() {
    const res = await call('stock.levels.remove', { stockLocationId, itemId: item.itemId });
    if (res.ok) onDone(`${item.name} is no longer kept here.`);
    else setError(res.error);
  }
  return (
    <Dialog title={`Levels of ${item.name}`} onClose={onClose}>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <ErrorBanner error={general} />
        <div className="grid-2">
          <Field label="Par level" required error={byField.par} help="What a restock fills it up to.">
            {(p) => <input {...p} type="number" min={0} step={1} value={par} onChange={(e) => setPar(e.target.value)} data-autofocus />}
          </Field>
          <Field label="Minimum" required error={byField.minimum} help="Below this it goes on the reorder list.">
            {(p) => <input {...p} type="number" min={0} step={1} value={minimum} onChange={(e) => setMinimum(e.target.value)} />}
          </Field>
        </div>
        <div className="form-actions dialog-actions">
          <button type="submit" className="primary">
            Save levels
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <span className="spacer" />
          <button type="button" className="link-button" onClick={() => void remove()} title="Only when none of it is on record here">
            Stop keeping it here
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function EditDialog({ detail, onClose, onDone }: { detail: StockLocationDetail; onClose: () => void; onDone: (m: string) => void }) {
  const loc = detail.location;
  const locations = useQuery('locations.list', {});
  const [name, setName] = useState(loc.name);
  const [kind, setKind] = useState<StockLocationKind>(loc.kind);
  const [locationId, setLocationId] = useState(loc.locationId);
  const [error, setError] = useState<AppErrorValue | null>(null);
  const { byField, general } = fieldErrors(error);
  const save = async (active: boolean) => {
    const res = await call('stock.locations.update', { id: loc.id, name, kind, locationId, equipmentId: loc.equipment?.id ?? null, active });
    if (res.ok) onDone(active ? `Saved ${res.value.name}.` : `${res.value.name} is no longer in use; its checks are suspended.`);
    else setError(res.error);
  };
  return (
    <Dialog title={`Change ${loc.name}`} onClose={onClose}>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void save(true);
        }}
        noValidate
      >
        <ErrorBanner error={general} />
        <Field label="Name" required error={byField.name}>
          {(p) => <input {...p} type="text" value={name} onChange={(e) => setName(e.target.value)} data-autofocus />}
        </Field>
        <Field label="Kind" error={byField.kind}>
          {(p) => (
            <select {...p} value={kind} onChange={(e) => setKind(e.target.value as StockLocationKind)}>
              {STOCK_LOCATION_KINDS.map((k) => (
                <option key={k} value={k}>
                  {STOCK_LOCATION_KIND_LABELS[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Where it is" error={byField.locationId}>
          {(p) => (
            <select {...p} value={locationId} onChange={(e) => setLocationId(e.target.value)}>
              {(locations.data ?? []).map((l) => (
                <option key={l.id} value={l.id}>
                  {l.path}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="form-actions dialog-actions">
          <button type="submit" className="primary">
            {loc.active ? 'Save' : 'Save and put back in use'}
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <span className="spacer" />
          {loc.active ? (
            <button type="button" className="link-button" onClick={() => void save(false)}>
              No longer in use…
            </button>
          ) : null}
        </div>
      </form>
    </Dialog>
  );
}

function AddItem({ detail, onDone }: { detail: StockLocationDetail; onDone: (m: string) => void }) {
  const items = useQuery('stock.items.list', {});
  const kept = new Set(detail.items.map((i) => i.itemId));
  const free = (items.data ?? []).filter((i) => i.active && !kept.has(i.id));
  const [itemId, setItemId] = useState('');
  const [par, setPar] = useState('');
  const [minimum, setMinimum] = useState('');
  const [error, setError] = useState<AppErrorValue | null>(null);
  const { byField, general } = fieldErrors(error);
  const titleId = useId();
  async function submit(e: FormEvent) {
    e.preventDefault();
    const res = await call('stock.levels.set', {
      stockLocationId: detail.location.id,
      itemId,
      par: par.trim() === '' ? Number.NaN : Number(par),
      minimum: minimum.trim() === '' ? Number.NaN : Number(minimum),
    });
    if (!res.ok) {
      setError(res.error);
      return;
    }
    setError(null);
    setItemId('');
    setPar('');
    setMinimum('');
    onDone(`Added ${res.value.name}: par ${res.value.par}, minimum ${res.value.minimum}. Restock it to put it on the shelf.`);
  }
  if (items.data && free.length === 0) {
    return (
      <p className="muted">
        Every supply item is kept here. <Link to="/stock/items">Add supply items</Link> to keep more.
      </p>
    );
  }
  return (
    <form className="stack add-item-form" onSubmit={(e) => void submit(e)} aria-labelledby={titleId} noValidate>
      <h3 id={titleId}>Keep another item here</h3>
      <ErrorBanner error={general} />
      <div className="grid-3">
        <Field label="Item" required error={byField.itemId}>
          {(p) => (
            <select {...p} value={itemId} onChange={(e) => setItemId(e.target.value)}>
              <option value="">Choose an item…</option>
              {free.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.name} ({i.code}, {i.unit})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Par level" required error={byField.par}>
          {(p) => <input {...p} type="number" min={0} step={1} value={par} onChange={(e) => setPar(e.target.value)} />}
        </Field>
        <Field label="Minimum" required error={byField.minimum}>
          {(p) => <input {...p} type="number" min={0} step={1} value={minimum} onChange={(e) => setMinimum(e.target.value)} />}
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit">Add item</button>
      </div>
    </form>
  );
}

function Changes({ stockLocationId }: { stockLocationId: string }) {
  const q = useQuery('stock.transactions', { stockLocationId, limit: 50 });
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
                <td className="nowrap">{formatInstant(t.at)}</td>
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
  const q = useQuery('stock.locations.get', { id });
  const dateFormat = useDateFormat();
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const mayEdit = can(user, 'supervisor');
  const d = q.data;
  if (!d) return q.error ? <ErrorBanner error={q.error} /> : <p className="muted">Loading…</p>;
  const loc = d.location;
  const done = (m: string) => {
    setOpen(null);
    setNotice(m);
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
      {notice ? <Banner kind="ok">{notice}</Banner> : null}
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
                    <td className="nowrap">{i.flags.nearestExpiry ? formatDate(i.flags.nearestExpiry, dateFormat) : <span className="muted">—</span>}</td>
                    <td>
                      {i.lots.length === 0 ? (
                        <span className="muted">—</span>
                      ) : (
                        <ul className="lot-list">
                          {i.lots.map((l) => (
                            <li key={l.id} className={`lot-${l.expiry}`}>
                              <span className="mono">{l.lot ?? '(not recorded)'}</span> × {l.onHand}
                              {l.expiresOn ? <span className="muted small"> exp. {formatDate(l.expiresOn, dateFormat)}</span> : null}
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
                        <button type="button" className="small-button" onClick={() => setOpen({ kind: 'stock', item: i })} aria-label={`Restock, use, discard or count ${i.name}`}>
                          Stock…
                        </button>
                      ) : null}
                      {mayEdit ? (
                        <button type="button" className="link-button" onClick={() => setOpen({ kind: 'levels', item: i })} aria-label={`Levels of ${i.name}`}>
                          Levels
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {mayEdit && loc.active ? <AddItem detail={d} onDone={setNotice} /> : null}
      </section>
      <Changes stockLocationId={loc.id} />
      {open?.kind === 'stock' ? <StockActionDialog stockLocationId={loc.id} item={open.item} onClose={() => setOpen(null)} onDone={done} /> : null}
      {open?.kind === 'levels' ? <LevelsDialog stockLocationId={loc.id} item={open.item} onClose={() => setOpen(null)} onDone={done} /> : null}
      {open?.kind === 'edit' ? <EditDialog detail={d} onClose={() => setOpen(null)} onDone={done} /> : null}
    </>
  );
}
