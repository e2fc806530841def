import type { FormEvent } from 'react';
import { useState } from 'react';
import type { StockLevelView } from '../../../../shared/domain/stock-views';
import type { AppErrorValue } from '../../../../shared/result';
import { ErrorBanner } from '../../components/Banner';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { call } from '../../lib/api';
import { formatDate } from '../../lib/dates';
import { fieldErrors } from '../../lib/form-errors';
import { can, useSession } from '../../lib/session';
import { useDateFormat } from '../../lib/use-date-format';

type Action = 'restock' | 'use' | 'discard' | 'count' | 'adjust';

const ACTION_LABELS: Record<Action, string> = {
  restock: 'Restock',
  use: 'Use',
  discard: 'Discard',
  count: 'Count',
  adjust: 'Adjust (with a reason)',
};

const numberOf = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

/**
 * A change to one item's stock outside a stock check, each a stock transaction: restock by lot,
 * use, discard from a lot (or the whole lot), count, and, for supervisors, an adjustment with a reason.
 */
export function StockActionDialog({
  stockLocationId,
  item,
  initial = 'restock',
  onClose,
  onDone,
}: {
  stockLocationId: string;
  item: StockLevelView;
  initial?: Action;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const { user } = useSession();
  const dateFormat = useDateFormat();
  const actions: Action[] = can(user, 'supervisor') ? ['restock', 'use', 'discard', 'count', 'adjust'] : ['restock', 'use', 'discard', 'count'];
  const [action, setAction] = useState<Action>(initial);
  const [quantity, setQuantity] = useState('');
  const [lot, setLot] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [lotId, setLotId] = useState(item.lots[0]?.id ?? '');
  const [wholeLot, setWholeLot] = useState(true);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<AppErrorValue | null>(null);
  const [busy, setBusy] = useState(false);
  const { byField, general } = fieldErrors(error);
  const key = { stockLocationId, itemId: item.itemId };
  const lotName = (id: string) => {
    const l = item.lots.find((x) => x.id === id);
    return l ? `${l.lot ?? '(lot not recorded)'}${l.expiresOn ? `, expires ${formatDate(l.expiresOn, dateFormat)}` : ''}: ${l.onHand} ${item.unit}` : '';
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const n = numberOf(quantity);
    const res =
      action === 'restock'
        ? await call('stock.restock', { ...key, quantity: n, lot, expiresOn })
        : action === 'use'
          ? await call('stock.use', { ...key, quantity: n, lotId: lotId || null })
          : action === 'discard'
            ? await call('stock.discard', { lotId, quantity: wholeLot ? null : n, reason })
            : action === 'count'
              ? await call('stock.count', { ...key, counted: n, note: reason })
              : await call('stock.adjust', { ...key, lotId: lotId || null, delta: n, reason });
    setBusy(false);
    if (!res.ok) {
      setError(res.error);
      return;
    }
    onDone(`${item.name}: ${res.value.onHand} ${item.unit} on hand now.`);
  }

  return (
    <Dialog title={`${item.name} (${item.code})`} onClose={onClose} className="wide">
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <p className="muted">
          On record: {item.onHand} {item.unit}. Par {item.par}, minimum {item.minimum}.
        </p>
        <fieldset className="choices inline-choices">
          <legend>What happened</legend>
          {actions.map((a) => (
            <label key={a} className="check">
              <input
                type="radio"
                name="stock-action"
                value={a}
                checked={action === a}
                onChange={() => {
                  setAction(a);
                  setError(null);
                }}
                {...(a === initial ? { 'data-autofocus': true } : {})}
              />
              {ACTION_LABELS[a]}
            </label>
          ))}
        </fieldset>
        <ErrorBanner error={general} />
        {action === 'restock' ? (
          <div className="grid-3">
            <Field label="Quantity" required error={byField.quantity}>
              {(p) => <input {...p} type="number" min={1} step={1} inputMode="numeric" value={quantity} onChange={(e) => setQuantity(e.target.value)} />}
            </Field>
            <Field label="Lot number" error={byField.lot}>
              {(p) => <input {...p} type="text" maxLength={60} value={lot} onChange={(e) => setLot(e.target.value)} />}
            </Field>
            <Field label="Expires on" error={byField.expiresOn} help="Blank when it does not expire.">
              {(p) => <input {...p} type="date" value={expiresOn} onChange={(e) => setExpiresOn(e.target.value)} />}
            </Field>
          </div>
        ) : null}
        {action === 'use' || action === 'discard' || action === 'adjust' ? (
          <Field
            label={action === 'discard' ? 'Lot' : 'From lot'}
            required={action === 'discard'}
            error={byField.lotId}
            help={action === 'use' ? 'Blank: stock soonest to expire first (never expired stock while other stock is on record).' : action === 'adjust' ? 'Blank: stock of unrecorded lot.' : undefined}
          >
            {(p) => (
              <select {...p} value={lotId} onChange={(e) => setLotId(e.target.value)}>
                {action !== 'discard' ? <option value="">{action === 'use' ? '(soonest to expire first)' : '(lot not recorded)'}</option> : null}
                {item.lots.map((l) => (
                  <option key={l.id} value={l.id}>
                    {lotName(l.id)}
                    {l.expiry === 'expired' ? ' (EXPIRED)' : ''}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
        {action === 'discard' ? (
          <fieldset className="choices">
            <legend>How much</legend>
            <label className="check">
              <input type="radio" name="discard-amount" checked={wholeLot} onChange={() => setWholeLot(true)} />
              The whole lot
            </label>
            <label className="check">
              <input type="radio" name="discard-amount" checked={!wholeLot} onChange={() => setWholeLot(false)} />
              Part of it
            </label>
          </fieldset>
        ) : null}
        {action === 'use' || (action === 'discard' && !wholeLot) ? (
          <Field label="Quantity" required error={byField.quantity}>
            {(p) => <input {...p} type="number" min={1} step={1} inputMode="numeric" value={quantity} onChange={(e) => setQuantity(e.target.value)} />}
          </Field>
        ) : null}
        {action === 'count' ? (
          <Field label={`Counted (${item.unit})`} required error={byField.counted} help="What is on the shelf now; the record is set to it.">
            {(p) => <input {...p} type="number" min={0} step={1} inputMode="numeric" value={quantity} onChange={(e) => setQuantity(e.target.value)} />}
          </Field>
        ) : null}
        {action === 'adjust' ? (
          <Field label="Change" required error={byField.delta} help="Add with a plain number, take off with a minus: -2.">
            {(p) => <input {...p} type="number" step={1} value={quantity} onChange={(e) => setQuantity(e.target.value)} />}
          </Field>
        ) : null}
        {action === 'discard' || action === 'adjust' || action === 'count' ? (
          <Field label={action === 'adjust' ? 'Reason' : 'Reason or note (optional)'} required={action === 'adjust'} error={byField.reason ?? byField.note}>
            {(p) => <input {...p} type="text" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
        ) : null}
        <div className="form-actions dialog-actions">
          <button type="submit" className="primary" disabled={busy || (action === 'discard' && item.lots.length === 0)}>
            Save
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
