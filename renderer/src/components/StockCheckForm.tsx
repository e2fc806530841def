import { useId, useMemo } from 'react';
import type { StockCheckLine } from '../../../shared/domain/stock';
import { planStockCheck } from '../../../shared/domain/stock-check';
import type { StockCheckItemResult, StockCheckFormData, StockFlags, StockLevelView } from '../../../shared/domain/stock-views';
import { dateFormatProblem, formatDate, parseDate } from '../../../shared/date-format';
import type { DateFormatSetting } from '../../../shared/domain/settings';
import { useDateFormat } from '../lib/settings';
import { DateInput } from './DateInput';

/**
 * The flags of an item, in words first and colour second, the same everywhere (stock-check form,
 * stock location page, the check afterwards).
 */
export function StockFlagChips({ flags, unit }: { flags: StockFlags; unit: string }) {
  const chips: { kind: string; text: string }[] = [];
  if (flags.expired > 0) chips.push({ kind: 'expired', text: `Expired: ${flags.expired} ${unit}` });
  if (flags.belowMinimum) chips.push({ kind: 'below', text: `Below minimum: order ${flags.reorderQuantity}` });
  if (flags.expiringSoon > 0) chips.push({ kind: 'expiring', text: `Expiring soon: ${flags.expiringSoon} ${unit}` });
  if (flags.abovePar) chips.push({ kind: 'above', text: 'Above par' });
  if (chips.length === 0) return <span className="stock-flag ok">OK</span>;
  return (
    <span className="stock-flags">
      {chips.map((c) => (
        <span key={c.kind} className={`stock-flag ${c.kind}`}>
          {c.kind === 'expired' || c.kind === 'below' ? (
            <span className="flag-mark" aria-hidden="true">
              ⚑
            </span>
          ) : null}
          {c.text}
        </span>
      ))}
    </span>
  );
}

/**
 * A restock's expiry in the one date input. The line holds `YYYY-MM-DD`; while what is typed is not
 * yet a date, the line holds the text as typed and the field says how to write it.
 */
function ExpiryField({
  id,
  value,
  dateFormat,
  error,
  onChange,
}: {
  id: string;
  value: string | null;
  dateFormat: DateFormatSetting;
  error: string | undefined;
  onChange: (expiresOn: string | null) => void;
}) {
  const isIso = value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value);
  const text = value === null ? '' : isIso ? formatDate(value, dateFormat) : value;
  const parsed = text.trim() === '' ? null : parseDate(text, dateFormat);
  const problem = parsed && !parsed.ok ? `Expires on ${dateFormatProblem(parsed.reason, text, dateFormat)}.` : undefined;
  const shown = problem ?? error;
  return (
    <div className={`field${shown ? ' has-error' : ''}`}>
      <label htmlFor={id}>Expires on</label>
      {shown ? (
        <span className="error" id={`${id}-error`}>
          <span className="sr-only">Error: </span>
          {shown}
        </span>
      ) : null}
      <DateInput
        id={id}
        value={text}
        setting={dateFormat}
        label="Expires on"
        invalid={Boolean(shown)}
        describedBy={shown ? `${id}-error` : undefined}
        onChange={(t) => {
          const p = parseDate(t, dateFormat);
          onChange(t.trim() === '' ? null : p.ok ? p.value : t);
        }}
      />
    </div>
  );
}

const emptyLine = (itemId: string): StockCheckLine => ({ itemId, counted: null, restock: [], discards: [], note: null });
const isEmpty = (l: StockCheckLine) => l.counted === null && l.restock.length === 0 && l.discards.length === 0 && l.note === null;

/** A typed whole number: blank is null; anything else is sent as typed (NaN when not a number) for the rules to judge. */
const numberOrNull = (text: string): number | null => (text.trim() === '' ? null : Number(text));
const shown = (n: number | null | undefined): string => (n === null || n === undefined || Number.isNaN(n) ? '' : String(n));

function ItemFields({
  item,
  line,
  result,
  index,
  errors,
  dateFormat,
  onChange,
}: {
  item: StockLevelView;
  line: StockCheckLine;
  result: StockCheckItemResult | undefined;
  /** The line's position in the value, for the fields errors name; -1 while it has none. */
  index: number;
  errors: (path: string) => string | undefined;
  dateFormat: DateFormatSetting;
  onChange: (line: StockCheckLine) => void;
}) {
  const titleId = useId();
  const countId = useId();
  const field = (path: string) => (index < 0 ? undefined : errors(path));
  const countError = field('counted');
  const discardOf = (lotId: string) => line.discards.find((d) => d.lotId === lotId)?.quantity ?? null;
  const setDiscard = (lotId: string, quantity: number | null) => {
    const others = line.discards.filter((d) => d.lotId !== lotId);
    onChange({ ...line, discards: quantity === null ? others : [...others, { lotId, quantity }] });
  };
  const setRestock = (j: number, patch: Partial<StockCheckLine['restock'][number]>) =>
    onChange({ ...line, restock: line.restock.map((r, k) => (k === j ? { ...r, ...patch } : r)) });
  const flagged = item.flags.expired > 0 || item.flags.belowMinimum || item.flags.expiringSoon > 0;
  return (
    <fieldset className={`stock-item${flagged ? ' flagged' : ''}`} aria-labelledby={titleId} data-testid="stock-check-item">
      <legend id={titleId}>
        {item.name} <span className="muted mono">{item.code}</span>
      </legend>
      <div className="stock-item-head">
        <dl className="stock-figures">
          <div>
            <dt>Par</dt>
            <dd>{item.par}</dd>
          </div>
          <div>
            <dt>Minimum</dt>
            <dd>{item.minimum}</dd>
          </div>
          <div>
            <dt>Expected</dt>
            <dd>
              {item.onHand} <span className="muted">{item.unit}</span>
            </dd>
          </div>
          <div>
            <dt>Nearest expiry</dt>
            <dd>{item.flags.nearestExpiry ? formatDate(item.flags.nearestExpiry, dateFormat) : <span className="muted">—</span>}</dd>
          </div>
        </dl>
        <div className="stock-item-flags">
          <span className="muted small">Now:</span> <StockFlagChips flags={item.flags} unit={item.unit} />
        </div>
      </div>
      <div className="stock-item-count">
        <div className={`field count-field${countError ? ' has-error' : ''}`}>
          <label htmlFor={countId}>Counted ({item.unit})</label>
          <input
            id={countId}
            type="number"
            inputMode="numeric"
            min={0}
            step={1}
            value={shown(line.counted)}
            aria-invalid={Boolean(countError)}
            {...(countError ? { 'aria-describedby': `${countId}-error` } : {})}
            onChange={(e) => onChange({ ...line, counted: numberOrNull(e.target.value) })}
          />
          {countError ? (
            <span className="error" id={`${countId}-error`} >
              {countError}
            </span>
          ) : null}
        </div>
        {result ? (
          <p className="stock-after" aria-live="polite">
            After the check: <strong>{result.onHand}</strong> {item.unit}
            {result.difference !== null && result.difference !== 0 ? (
              <span className={result.difference < 0 ? 'short' : 'surplus'}>
                {' '}
                ({result.difference > 0 ? '+' : ''}
                {result.difference} against the record)
              </span>
            ) : null}{' '}
            <StockFlagChips flags={result.flags} unit={item.unit} />
          </p>
        ) : null}
      </div>
      {item.lots.length > 0 ? (
        <table className="data compact stock-lots">
          <caption className="sr-only">Lots of {item.name} on record</caption>
          <thead>
            <tr>
              <th scope="col">Lot</th>
              <th scope="col">Expires</th>
              <th scope="col" className="num">
                On record
              </th>
              <th scope="col">Take off the shelf</th>
            </tr>
          </thead>
          <tbody>
            {item.lots.map((lot) => {
              const j = line.discards.findIndex((d) => d.lotId === lot.id);
              const error = j >= 0 ? (field(`discards.${j}.quantity`) ?? field(`discards.${j}.lotId`)) : undefined;
              const lotName = lot.lot ? `lot ${lot.lot}` : 'the unrecorded lot';
              const inputId = `${titleId}-${lot.id}`;
              return (
                <tr key={lot.id} className={`lot-row ${lot.expiry}`}>
                  <td className="mono">{lot.lot ?? <span className="muted">(not recorded)</span>}</td>
                  <td className="nowrap">
                    {lot.expiresOn ? formatDate(lot.expiresOn, dateFormat) : <span className="muted">—</span>}
                    {lot.expiry === 'expired' ? <span className="stock-flag expired">Expired</span> : null}
                    {lot.expiry === 'expiring' ? <span className="stock-flag expiring">Expiring</span> : null}
                  </td>
                  <td className="num">{lot.onHand}</td>
                  <td>
                    <div className="discard-cell">
                      <label htmlFor={inputId} className="inline-label">
                        Discard
                      </label>
                      <input
                        id={inputId}
                        className="qty-input"
                        type="number"
                        inputMode="numeric"
                        min={1}
                        max={lot.onHand}
                        step={1}
                        aria-label={`Discard from ${lotName}`}
                        aria-invalid={Boolean(error)}
                        value={shown(discardOf(lot.id))}
                        onChange={(e) => setDiscard(lot.id, numberOrNull(e.target.value))}
                      />
                      <button type="button" className="small-button" onClick={() => setDiscard(lot.id, lot.onHand)} aria-label={`Discard the whole ${lotName} (${lot.onHand})`}>
                        Whole lot
                      </button>
                    </div>
                    {error ? (
                      <span className="error">
                        {error}
                      </span>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <p className="muted small">Nothing on record.</p>
      )}
      {line.restock.map((r, j) => {
        const qtyError = field(`restock.${j}.quantity`);
        const expiryError = field(`restock.${j}.expiresOn`);
        return (
          <div className="restock-row" key={j} role="group" aria-label={`Restock ${j + 1} of ${item.name}`}>
            <div className={`field${qtyError ? ' has-error' : ''}`}>
              <label htmlFor={`${titleId}-rq${j}`}>Restock quantity</label>
              <input
                id={`${titleId}-rq${j}`}
                className="qty-input"
                type="number"
                inputMode="numeric"
                min={1}
                step={1}
                value={shown(r.quantity)}
                aria-invalid={Boolean(qtyError)}
                onChange={(e) => setRestock(j, { quantity: numberOrNull(e.target.value) ?? Number.NaN })}
              />
              {qtyError ? (
                <span className="error" >
                  {qtyError}
                </span>
              ) : null}
            </div>
            <div className="field">
              <label htmlFor={`${titleId}-rl${j}`}>Lot number</label>
              <input id={`${titleId}-rl${j}`} type="text" maxLength={60} value={r.lot ?? ''} onChange={(e) => setRestock(j, { lot: e.target.value === '' ? null : e.target.value })} />
            </div>
            <ExpiryField
              id={`${titleId}-re${j}`}
              value={r.expiresOn}
              dateFormat={dateFormat}
              error={expiryError}
              onChange={(expiresOn) => setRestock(j, { expiresOn })}
            />
            <button type="button" className="link-button" onClick={() => onChange({ ...line, restock: line.restock.filter((_, k) => k !== j) })}>
              Remove this restock
            </button>
          </div>
        );
      })}
      <div className="stock-item-actions">
        <button type="button" className="small-button" onClick={() => onChange({ ...line, restock: [...line.restock, { quantity: Number.NaN, lot: null, expiresOn: null }] })}>
          Add a restock of {item.name}
        </button>
      </div>
    </fieldset>
  );
}

/**
 * The stock-check form: every item kept at the stock location with its par, minimum, expected
 * figure, lots and nearest expiry, flagged when below minimum, expired or expiring soon; inputs
 * for the count, discards by lot and restocks by lot and expiry. The figures and flags after the
 * check, and the outcome it suggests, follow what is typed (the same rules main applies).
 *
 * `value` holds a line only for the items something was entered for. `errors` maps fields as the
 * back end names them (`result.lines.3.counted`) to sentences; `fieldPrefix` is that prefix.
 */
export function StockCheckForm({
  form,
  value,
  onChange,
  errors = {},
  fieldPrefix = 'result.lines',
}: {
  form: StockCheckFormData;
  value: StockCheckLine[];
  onChange: (lines: StockCheckLine[]) => void;
  errors?: Record<string, string | undefined>;
  fieldPrefix?: string;
}) {
  const dateFormat = useDateFormat();
  const byItem = new Map(value.map((l) => [l.itemId, l]));
  const plan = useMemo(() => planStockCheck({ form, lines: value, on: form.asOf, field: (i, path) => `${fieldPrefix}.${i}.${path}` }), [form, value, fieldPrefix]);
  // The figures after the check leave out restock rows with no quantity yet, so they follow the rest of what is typed.
  const preview = useMemo(
    () => planStockCheck({ form, lines: value.map((l) => ({ ...l, restock: l.restock.filter((r) => Number.isInteger(r.quantity)) })), on: form.asOf }).summary,
    [form, value],
  );
  // A restock row just added has no quantity yet: say so only when the back end does, on saving.
  const local = new Map(plan.problems.filter((p) => !/\.restock\.\d+\.quantity$/.test(p.field)).map((p) => [p.field, p.message]));
  const errorAt = (index: number) => (path: string) => errors[`${fieldPrefix}.${index}.${path}`] ?? local.get(`${fieldPrefix}.${index}.${path}`);
  const update = (itemId: string, line: StockCheckLine) => {
    const next = form.items.map((i) => (i.itemId === itemId ? line : (byItem.get(i.itemId) ?? emptyLine(i.itemId)))).filter((l) => !isEmpty(l));
    onChange(next);
  };
  const flagged = form.items.filter((i) => i.flags.belowMinimum || i.flags.expired > 0 || i.flags.expiringSoon > 0).length;
  const { totals, outcome, reasons } = preview;
  if (form.items.length === 0) {
    return <p className="empty">No items are kept at {form.stockLocation.name} yet: a supervisor adds them on its stock page.</p>;
  }
  return (
    <div className="stock-check-form">
      <p className="stock-check-intro">
        {form.items.length} item{form.items.length === 1 ? '' : 's'} at {form.stockLocation.name}
        {flagged > 0 ? `, ${flagged} flagged` : ''}. Count what is on the shelf first, then take off expired stock and restock. Expiring soon means within{' '}
        {form.expiringWithinDays} days.
      </p>
      {form.items.map((item) => {
        const index = value.findIndex((l) => l.itemId === item.itemId);
        return (
          <ItemFields
            key={item.itemId}
            item={item}
            line={byItem.get(item.itemId) ?? emptyLine(item.itemId)}
            result={preview.items.find((r) => r.itemId === item.itemId)}
            index={index}
            errors={errorAt(index)}
            dateFormat={dateFormat}
            onChange={(line) => update(item.itemId, line)}
          />
        );
      })}
      <section className={`stock-check-summary ${outcome}`} aria-live="polite" aria-label="After this check">
        <h3>After this check</h3>
        <p>
          {totals.counted} of {totals.items} counted · {totals.belowMinimum} below minimum · {totals.expired} with expired stock · {totals.expiringSoon} expiring soon.
        </p>
        <p data-testid="stock-check-outcome">
          Outcome: <strong>{outcome === 'pass' ? 'Pass' : 'Fail'}</strong>
          {reasons.length > 0 ? ` — ${reasons.join(' ')}` : ''}
        </p>
      </section>
    </div>
  );
}
