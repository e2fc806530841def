import { useState } from 'react';
import { useWatch } from 'react-hook-form';
import { dateFormatProblem, parseDate } from '../../../../shared/date-format';
import type { StockLevelView } from '../../../../shared/domain/stock-views';
import { DateField } from '../../components/DateField';
import { FormField, useFormValues } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { useKitForm } from '../../lib/form';
import { readCount } from '../../lib/numbers';
import { useChannelMutation } from '../../lib/query';
import { can, useSession } from '../../lib/session';
import { useDates } from '../../lib/settings';

type Action = 'restock' | 'use' | 'discard' | 'count' | 'adjust';

const ACTION_LABELS: Record<Action, string> = {
  restock: 'Restock',
  use: 'Use',
  discard: 'Discard',
  count: 'Count',
  adjust: 'Adjust (with a reason)',
};

interface Values {
  action: Action;
  quantity: string;
  lot: string;
  expiresOn: string;
  lotId: string;
  wholeLot: 'whole' | 'part';
  reason: string;
}

/**
 * The lot each action starts on: for a use or an adjustment none ("soonest to expire first", the
 * unrecorded lot), so a quantity typed and saved never takes an expired lot by default; a discard
 * must name one, and starts on the first.
 */
const startLot = (action: Action, item: StockLevelView): string => (action === 'discard' ? (lotsToChoose(action, item)[0]?.id ?? '') : '');

/**
 * The lots offered: a use or a discard takes from a lot holding stock, so a lot below zero (stock
 * used on two PCs at once, docs/sync.md) is listed on the page but not offered; an adjustment may
 * correct any lot on record.
 */
const lotsToChoose = (action: Action, item: StockLevelView) => (action === 'adjust' ? item.lots : item.lots.filter((l) => l.onHand > 0));

/** The quantity field's label for each action, as its sentences name it. */
const quantityLabel = (action: Action, unit: string): string => (action === 'count' ? `Counted (${unit})` : action === 'adjust' ? 'Change' : 'Quantity');

function ActionFields({ item, actions, initial }: { item: StockLevelView; actions: Action[]; initial: Action }) {
  const { register, setValue } = useFormValues<Values>();
  const dates = useDates();
  const [action, wholeLot] = useWatch<Values, ['action', 'wholeLot']>({ name: ['action', 'wholeLot'] });
  const lotName = (id: string) => {
    const l = item.lots.find((x) => x.id === id);
    return l ? `${l.lot ?? '(lot not recorded)'}${l.expiresOn ? `, expires ${dates.date(l.expiresOn)}` : ''}: ${l.onHand} ${item.unit}` : '';
  };
  return (
    <>
      <p className="muted">
        On record: {item.onHand} {item.unit}. Par {item.par}, minimum {item.minimum}.
      </p>
      <fieldset className="choices inline-choices">
        <legend>What happened</legend>
        {actions.map((a) => (
          <label key={a} className="check">
            <input
              type="radio"
              value={a}
              {...register('action', { onChange: (e: { target: { value: Action } }) => setValue('lotId', startLot(e.target.value, item)) })}
              {...(a === initial ? { 'data-autofocus': true } : {})}
            />
            {ACTION_LABELS[a]}
          </label>
        ))}
      </fieldset>
      {action === 'restock' ? (
        <div className="grid-3">
          <FormField name="quantity" label="Quantity" required>
            {(p) => <input {...p} {...register('quantity')} type="text" inputMode="numeric" className="narrow" />}
          </FormField>
          <FormField name="lot" label="Lot number">
            {(p) => <input {...p} {...register('lot')} type="text" maxLength={60} />}
          </FormField>
          <DateField name="expiresOn" label="Expires on" help="Blank when it does not expire." />
        </div>
      ) : null}
      {action === 'use' || action === 'discard' || action === 'adjust' ? (
        <FormField
          name="lotId"
          label={action === 'discard' ? 'Lot' : 'From lot'}
          required={action === 'discard'}
          help={action === 'use' ? 'Blank: stock soonest to expire first (never expired stock while other stock is on record).' : action === 'adjust' ? 'Blank: stock of unrecorded lot.' : undefined}
        >
          {(p) => (
            <select {...p} {...register('lotId')}>
              {action !== 'discard' ? <option value="">{action === 'use' ? '(soonest to expire first)' : '(lot not recorded)'}</option> : null}
              {lotsToChoose(action, item).map((l) => (
                <option key={l.id} value={l.id}>
                  {lotName(l.id)}
                  {l.expiry === 'expired' ? ' (EXPIRED)' : ''}
                </option>
              ))}
            </select>
          )}
        </FormField>
      ) : null}
      {action === 'discard' ? (
        <fieldset className="choices">
          <legend>How much</legend>
          <label className="check">
            <input type="radio" value="whole" {...register('wholeLot')} />
            The whole lot
          </label>
          <label className="check">
            <input type="radio" value="part" {...register('wholeLot')} />
            Part of it
          </label>
        </fieldset>
      ) : null}
      {action === 'use' || (action === 'discard' && wholeLot === 'part') ? (
        <FormField name="quantity" label="Quantity" required>
          {(p) => <input {...p} {...register('quantity')} type="text" inputMode="numeric" className="narrow" />}
        </FormField>
      ) : null}
      {action === 'count' ? (
        <FormField name="quantity" label={quantityLabel('count', item.unit)} required help="What is on the shelf now; the record is set to it.">
          {(p) => <input {...p} {...register('quantity')} type="text" inputMode="numeric" className="narrow" />}
        </FormField>
      ) : null}
      {action === 'adjust' ? (
        <FormField name="quantity" label={quantityLabel('adjust', item.unit)} required help="Add with a plain number, take off with a minus: -2.">
          {(p) => <input {...p} {...register('quantity')} type="text" inputMode="numeric" className="narrow" />}
        </FormField>
      ) : null}
      {action === 'discard' || action === 'adjust' || action === 'count' ? (
        <FormField name="reason" label={action === 'adjust' ? 'Reason' : 'Reason or note (optional)'} required={action === 'adjust'}>
          {(p) => <input {...p} {...register('reason')} type="text" maxLength={500} />}
        </FormField>
      ) : null}
    </>
  );
}

/**
 * A change to one item's stock outside a stock check, each a stock transaction: restock by lot,
 * use, discard from a lot (or the whole lot), count, and, for supervisors, an adjustment with a reason.
 * `item` is the item as it stands now (the page's live query), so "On record" follows changes made
 * meanwhile; a whole-lot discard sends what the lot held when the dialog showed it, and is refused
 * if it holds something else now.
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
  const dates = useDates();
  const actions: Action[] = can(user, 'supervisor') ? ['restock', 'use', 'discard', 'count', 'adjust'] : ['restock', 'use', 'discard', 'count'];
  const form = useKitForm<Values>({
    defaultValues: { action: initial, quantity: '', lot: '', expiresOn: '', lotId: startLot(initial, item), wholeLot: 'whole', reason: '' },
  });
  // What each lot held as the dialog showed it; brought up to date once a discard is refused for a
  // change made meanwhile (the refusal names the figure now, and a second Save discards that).
  const [seen, setSeen] = useState(() => new Map(item.lots.map((l) => [l.id, l.onHand])));
  const restock = useChannelMutation('stock.restock');
  const use = useChannelMutation('stock.use');
  const discard = useChannelMutation('stock.discard');
  const count = useChannelMutation('stock.count');
  const adjust = useChannelMutation('stock.adjust');
  const key = { stockLocationId, itemId: item.itemId };

  return (
    <FormDialog
      title={`${item.name} (${item.code})`}
      form={form}
      wide
      submitLabel="Save"
      onClose={onClose}
      fieldOf={(f) => (f === 'counted' || f === 'delta' ? 'quantity' : f === 'note' ? 'reason' : f)}
      onSubmit={async (v) => {
        // Read as every number field reads it: "1,000" and "1e3" are refused in words, beside the
        // field and in the summary; anything else not a number goes as NaN for main's rule to name.
        const typed = readCount(v.quantity);
        const needsQuantity = v.action !== 'discard' || v.wholeLot === 'part';
        if (needsQuantity && typed.problem) return { code: 'invalid_input', field: 'quantity', message: `${quantityLabel(v.action, item.unit)} ${typed.problem}.` };
        if (needsQuantity && typed.value === null) return { code: 'invalid_input', field: 'quantity', message: `${quantityLabel(v.action, item.unit)} is required.` };
        const n = typed.value ?? Number.NaN;
        let expiresOn: string | null = null;
        if (v.action === 'restock' && v.expiresOn.trim() !== '') {
          const p = parseDate(v.expiresOn, dates.setting);
          if (!p.ok) return { code: 'invalid_input', field: 'expiresOn', message: `Expires on ${dateFormatProblem(p.reason, v.expiresOn, dates.setting)}.` };
          expiresOn = p.value;
        }
        if (v.action === 'discard' && !v.lotId) return { code: 'invalid_input', field: 'lotId', message: 'Choose the lot to discard from: nothing of this item is on record.' };
        const whole = v.action === 'discard' && v.wholeLot === 'whole';
        const shown = seen.get(v.lotId) ?? item.lots.find((l) => l.id === v.lotId)?.onHand;
        const res =
          v.action === 'restock'
            ? await restock.run({ ...key, quantity: n, lot: v.lot, expiresOn })
            : v.action === 'use'
              ? await use.run({ ...key, quantity: n, lotId: v.lotId || null })
              : v.action === 'discard'
                ? await discard.run({ lotId: v.lotId, quantity: whole ? null : n, reason: v.reason, ...(whole && shown !== undefined ? { expectedOnHand: shown } : {}) })
                : v.action === 'count'
                  ? await count.run({ ...key, counted: n, note: v.reason })
                  : await adjust.run({ ...key, lotId: v.lotId || null, delta: n, reason: v.reason });
        if (res.ok) onDone(`${item.name}: ${res.value.onHand} ${item.unit} on hand now.`);
        else if (whole && res.error.code === 'conflict') setSeen(new Map(item.lots.map((l) => [l.id, l.onHand])));
        return res;
      }}
    >
      <ActionFields item={item} actions={actions} initial={initial} />
    </FormDialog>
  );
}
