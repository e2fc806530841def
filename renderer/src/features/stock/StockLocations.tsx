import { useState } from 'react';
import { z } from 'zod';
import type { StockLocationKind } from '../../../../shared/domain/stock-catalog';
import { STOCK_LOCATION_KIND_LABELS, STOCK_LOCATION_KINDS } from '../../../../shared/domain/stock-catalog';
import { sharedTagRefusal } from '../../../../shared/domain/equipment';
import { daysBetween } from '../../../../shared/scheduling/dates';
import { Banner, ErrorBanner } from '../../components/Banner';
import { DueFlag } from '../../components/DueFlag';
import { FormActions, FormField, KitForm, SubmitButton } from '../../components/Form';
import { LocationFlags } from '../../components/LocationFlags';
import { call } from '../../lib/api';
import { useKitForm } from '../../lib/form';
import { useChannelMutation, useChannelQuery } from '../../lib/query';
import { Link, navigate } from '../../lib/router';
import { can, useSession } from '../../lib/session';
import { useDates } from '../../lib/settings';
import { StockNav } from './StockNav';

function AddStockLocation({ onAdded, onCancel }: { onAdded: (id: string) => void; onCancel: () => void }) {
  const locations = useChannelQuery('locations.list', {});
  const create = useChannelMutation('stock.locations.create');
  const form = useKitForm({
    defaultValues: { name: '', kind: 'crash_cart' as StockLocationKind, locationId: '', assetTag: '' },
    schema: z.object({ name: z.string(), kind: z.enum(STOCK_LOCATION_KINDS), locationId: z.string(), assetTag: z.string() }),
  });
  const { register } = form;
  return (
    <KitForm
      form={form}
      className="panel stack"
      label="Add a stock location"
      fieldOf={(f) => (f === 'equipmentId' ? 'assetTag' : f)}
      onSubmit={async (v) => {
        let equipmentId: string | null = null;
        if (v.assetTag.trim() !== '') {
          const found = await call('equipment.findByTag', { tag: v.assetTag });
          if (!found.ok) return { code: 'not_found', message: `No device has the asset tag ${v.assetTag.trim()}.`, field: 'assetTag' };
          // Two PCs of the hub gave the tag to two devices: a cart is not put on one of them on a guess.
          if (found.value.sameTag.length > 1) {
            return { code: 'conflict', message: sharedTagRefusal('asset tag', found.value.assetTag, found.value.sameTag), field: 'assetTag' };
          }
          equipmentId = found.value.id;
        }
        const res = await create.run({ name: v.name, kind: v.kind, locationId: v.locationId, equipmentId });
        if (res.ok) onAdded(res.value.id);
        return res;
      }}
    >
      <h2>Add a stock location</h2>
      <div className="grid-2">
        <FormField name="name" label="Name" required help="As it is labelled on the ward: Crash cart, Bay 2 supply cupboard.">
          {(p) => <input {...p} {...register('name')} type="text" autoFocus />}
        </FormField>
        <FormField name="kind" label="Kind" required>
          {(p) => (
            <select {...p} {...register('kind')}>
              {STOCK_LOCATION_KINDS.map((k) => (
                <option key={k} value={k}>
                  {STOCK_LOCATION_KIND_LABELS[k]}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField name="locationId" label="Where it is" required>
          {(p) => (
            <select {...p} {...register('locationId')}>
              <option value="">Choose a location…</option>
              {(locations.data ?? []).map((l) => (
                <option key={l.id} value={l.id}>
                  {l.path}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField name="assetTag" label="Device it belongs to (asset tag, optional)" help="For a device's own consumables, e.g. a defibrillator's pads.">
          {(p) => <input {...p} {...register('assetTag')} type="text" autoComplete="off" />}
        </FormField>
      </div>
      <FormActions>
        <SubmitButton busyLabel="Adding…">Add stock location</SubmitButton>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </FormActions>
    </KitForm>
  );
}

/** Stock locations with their flags and their next check; supervisors add them. */
export function StockLocations() {
  const { user } = useSession();
  const q = useChannelQuery('stock.locations.list', {});
  const dates = useDates();
  const info = useChannelQuery('app.info', {});
  const today = info.data?.today;
  const [adding, setAdding] = useState(false);
  const rows = q.data ?? [];
  const active = rows.filter((r) => r.active);
  const inactive = rows.filter((r) => !r.active);
  const mayEdit = can(user, 'supervisor');

  return (
    <>
      <div className="page-head">
        <h1>Stock</h1>
        {mayEdit && !adding ? (
          <div className="actions">
            <button type="button" onClick={() => setAdding(true)}>
              Add stock location
            </button>
          </div>
        ) : null}
      </div>
      <StockNav />
      <ErrorBanner error={q.error} />
      {adding ? <AddStockLocation onAdded={(id) => navigate(`/stock/locations/${id}`)} onCancel={() => setAdding(false)} /> : null}
      {q.data && active.length === 0 ? (
        <Banner kind="info">No stock locations yet.{mayEdit ? ' Add a crash cart or a ward store to start.' : ''}</Banner>
      ) : null}
      {active.length > 0 ? (
        <table className="data stock-locations-table">
          <caption className="sr-only">Stock locations</caption>
          <thead>
            <tr>
              <th scope="col">Stock location</th>
              <th scope="col">Kind</th>
              <th scope="col">Where</th>
              <th scope="col" className="num">
                Items
              </th>
              <th scope="col">Flags</th>
              <th scope="col">Next check</th>
            </tr>
          </thead>
          <tbody>
            {active.map((r) => (
              <tr key={r.id} data-testid="stock-location-row" className={r.expired > 0 || r.belowMinimum > 0 ? 'flagged' : undefined}>
                <th scope="row" className="row-head">
                  <Link to={`/stock/locations/${r.id}`}>{r.name}</Link>
                  {r.equipment ? (
                    <span className="muted small">
                      {' '}
                      of <span className="mono">{r.equipment.assetTag}</span>
                    </span>
                  ) : null}
                </th>
                <td>{r.kindLabel}</td>
                <td>{r.locationPath}</td>
                <td className="num">{r.items}</td>
                <td>
                  <LocationFlags row={r} />
                </td>
                <td>
                  {r.nextCheck ? (
                    <span className="next-check">
                      <DueFlag
                        status={r.nextCheck.status}
                        daysOverdue={r.nextCheck.daysOverdue}
                        {...(today ? { dueInDays: daysBetween(today, r.nextCheck.dueDate) } : {})}
                      />{' '}
                      <span className="muted small">{dates.date(r.nextCheck.dueDate)}</span>
                    </span>
                  ) : (
                    <span className="muted">No check planned</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {inactive.length > 0 ? (
        <details className="inactive-plans">
          <summary>Stock locations no longer in use ({inactive.length})</summary>
          <ul className="tight-list">
            {inactive.map((r) => (
              <li key={r.id}>
                <Link to={`/stock/locations/${r.id}`}>{r.name}</Link> <span className="muted">({r.locationPath})</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}
