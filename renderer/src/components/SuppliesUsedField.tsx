import { useId } from 'react';
import type { SupplyUse } from '../../../shared/domain/stock';
import type { SupplyChoice } from '../../../shared/domain/stock-views';
import { ErrorBanner } from './Banner';
import { useChannelQuery } from '../lib/query';

/** A typed quantity: blank or not a number is NaN, for the back end to name. */
const quantityOf = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

function UseRow({
  use,
  index,
  name,
  choices,
  errors,
  onChange,
  onRemove,
}: {
  use: SupplyUse;
  index: number;
  /** The row's fields as the back end names them (`suppliesUsed.0`), so an error summary's link finds them. */
  name: string;
  choices: SupplyChoice[];
  errors: (path: string) => string | undefined;
  onChange: (use: SupplyUse) => void;
  onRemove: () => void;
}) {
  const id = useId();
  const place = choices.find((c) => c.id === use.stockLocationId);
  const chosen = place?.items.find((i) => i.itemId === use.itemId);
  const err = {
    stockLocationId: errors('stockLocationId'),
    itemId: errors('itemId'),
    quantity: errors('quantity') ?? errors('lotId'),
  };
  return (
    <fieldset className="supply-use" data-testid="supply-use">
      <legend>Supply {index + 1}</legend>
      <div className={`field${err.stockLocationId ? ' has-error' : ''}`}>
        <label htmlFor={`${id}-place`}>Taken from</label>
        <select
          id={`${id}-place`}
          name={`${name}.stockLocationId`}
          value={use.stockLocationId}
          aria-invalid={Boolean(err.stockLocationId)}
          onChange={(e) => onChange({ ...use, stockLocationId: e.target.value, itemId: '', lotId: null })}
        >
          <option value="">Choose a stock location…</option>
          {choices.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}, {c.locationPath}
            </option>
          ))}
        </select>
        {err.stockLocationId ? (
          <span className="error">
            {err.stockLocationId}
          </span>
        ) : null}
      </div>
      <div className={`field${err.itemId ? ' has-error' : ''}`}>
        <label htmlFor={`${id}-item`}>Item</label>
        <select
          id={`${id}-item`}
          name={`${name}.itemId`}
          value={use.itemId}
          disabled={!place}
          aria-invalid={Boolean(err.itemId)}
          onChange={(e) => onChange({ ...use, itemId: e.target.value, lotId: null })}
        >
          <option value="">{place ? 'Choose an item…' : 'Choose the stock location first'}</option>
          {(place?.items ?? []).map((i) => (
            <option key={i.itemId} value={i.itemId} disabled={i.onHand === 0}>
              {i.name} ({i.code}): {i.onHand} {i.unit} on hand
            </option>
          ))}
        </select>
        {err.itemId ? (
          <span className="error">
            {err.itemId}
          </span>
        ) : null}
      </div>
      <div className={`field qty-field${err.quantity ? ' has-error' : ''}`}>
        <label htmlFor={`${id}-qty`}>Quantity{chosen ? ` (${chosen.unit})` : ''}</label>
        <input
          id={`${id}-qty`}
          name={`${name}.quantity`}
          className="qty-input"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          {...(chosen ? { max: chosen.onHand } : {})}
          value={Number.isNaN(use.quantity) ? '' : String(use.quantity)}
          aria-invalid={Boolean(err.quantity)}
          onChange={(e) => onChange({ ...use, quantity: quantityOf(e.target.value) })}
        />
        {err.quantity ? (
          <span className="error">
            {err.quantity}
          </span>
        ) : null}
      </div>
      <button type="button" className="link-button supply-remove" onClick={onRemove} aria-label={`Remove supply ${index + 1}`}>
        Remove
      </button>
    </fieldset>
  );
}

/**
 * The supplies a piece of work used, each taken from a chosen stock location: pick the stock
 * location, the item (with what is on hand there) and the quantity. A new row starts on the
 * device's own consumables when `equipmentId` has a stock location. `errors` maps fields as the
 * back end names them (`suppliesUsed.0.quantity`) to sentences.
 */
export function SuppliesUsedField({
  value,
  onChange,
  equipmentId = null,
  errors = {},
  fieldPrefix = 'suppliesUsed',
}: {
  value: SupplyUse[];
  onChange: (uses: SupplyUse[]) => void;
  equipmentId?: string | null;
  errors?: Record<string, string | undefined>;
  fieldPrefix?: string;
}) {
  const choices = useChannelQuery('stock.supplyChoices', {});
  const list = choices.data ?? [];
  const own = equipmentId ? list.find((c) => c.equipmentId === equipmentId) : undefined;
  const add = () => onChange([...value, { stockLocationId: own?.id ?? (list.length === 1 ? list[0]!.id : ''), itemId: '', quantity: 1, lotId: null }]);
  return (
    // A group, not a landmark: the record form has one heading for it, this legend.
    <fieldset className="supplies-used">
      <legend>Supplies used</legend>
      <ErrorBanner error={choices.error} />
      {value.length === 0 ? <p className="muted">None recorded.</p> : null}
      {value.map((use, i) => (
        <UseRow
          key={i}
          use={use}
          index={i}
          name={`${fieldPrefix}.${i}`}
          choices={list}
          errors={(path) => errors[`${fieldPrefix}.${i}.${path}`]}
          onChange={(next) => onChange(value.map((u, k) => (k === i ? next : u)))}
          onRemove={() => onChange(value.filter((_, k) => k !== i))}
        />
      ))}
      <button type="button" onClick={add} disabled={choices.data !== undefined && list.length === 0}>
        Add a supply used
      </button>
      {choices.data !== undefined && list.length === 0 ? <p className="muted small">No stock locations are set up yet.</p> : null}
    </fieldset>
  );
}
