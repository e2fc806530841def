import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import type { IsoDate } from '../../../shared/domain/common';
import type { StockCheckLine } from '../../../shared/domain/stock';
import type { StockProblem } from '../../../shared/domain/stock-check';
import { planStockCheck } from '../../../shared/domain/stock-check';
import { itemText, lotText } from '../../../shared/domain/stock-rules';
import type { StockCheckItemResult, StockCheckFormData, StockFlags, StockLevelView } from '../../../shared/domain/stock-views';
import { dateFormatProblem, formatDate, parseDate } from '../../../shared/date-format';
import type { DateFormatSetting } from '../../../shared/domain/settings';
import type { AppErrorValue } from '../../../shared/result';
import { readCount } from '../lib/numbers';
import { useChannelQuery } from '../lib/query';
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

const shown = (n: number | null | undefined): string => (n === null || n === undefined || Number.isNaN(n) ? '' : String(n));
const sameNumber = (a: number | null, b: number | null): boolean => a === b || (a !== null && b !== null && Number.isNaN(a) && Number.isNaN(b));

/** A number typed that the app's reader refuses in words ("1,000"), for the record form to refuse before sending. */
export type TypedProblem = StockProblem;

/**
 * A count typed in the form, read as every number field reads it (readCount): the text stays as
 * typed, so a problem with it stays in view beside it; the line gets the value read (NaN while it
 * is not a number, for the rules to name). A value set from elsewhere (the "Whole lot" button, a
 * line cleared) replaces the text. Its refusal in words is reported at `field` while it lasts.
 */
function useTypedCount(
  value: number | null,
  onValue: (n: number | null) => void,
  field: string | null,
  sentence: (problem: string) => string,
  report: (field: string, message: string | undefined) => void,
) {
  const [text, setText] = useState(() => shown(value));
  const reading = readCount(text);
  const kept = sameNumber(reading.value, value);
  const problem = kept && reading.problem ? sentence(reading.problem) : undefined;
  useEffect(() => {
    if (field === null) return undefined;
    report(field, problem);
    return () => report(field, undefined);
  }, [field, problem, report]);
  return {
    text: kept ? text : shown(value),
    problem,
    onText: (t: string) => {
      setText(t);
      onValue(readCount(t).value);
    },
  };
}

/** The error beside a field of the form, tied to its input by id. */
function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <span className="error" id={id}>
      <span className="sr-only">Error: </span>
      {message}
    </span>
  );
}

interface FieldsContext {
  /** The problem at a field of this line (its path within the line: `counted`), typed, main's or the rules'. */
  error: (path: string) => string | undefined;
  /** The full name of a field of this line, null while the line is empty. */
  fieldName: (path: string) => string | null;
  report: (field: string, message: string | undefined) => void;
}

function CountField({ item, line, ctx, onChange }: { item: StockLevelView; line: StockCheckLine; ctx: FieldsContext; onChange: (line: StockCheckLine) => void }) {
  const id = useId();
  const typed = useTypedCount(line.counted, (counted) => onChange({ ...line, counted }), ctx.fieldName('counted'), (p) => `${itemText(item)}: the count ${p}.`, ctx.report);
  const error = typed.problem ?? ctx.error('counted');
  return (
    <div className={`field count-field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>Counted ({item.unit})</label>
      <input
        id={id}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        value={typed.text}
        aria-invalid={Boolean(error)}
        {...(error ? { 'aria-describedby': `${id}-error` } : {})}
        onChange={(e) => typed.onText(e.target.value)}
      />
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

function LotRow({
  item,
  lot,
  line,
  ctx,
  dateFormat,
  onDiscard,
}: {
  item: StockLevelView;
  lot: StockLevelView['lots'][number];
  line: StockCheckLine;
  ctx: FieldsContext;
  dateFormat: DateFormatSetting;
  onDiscard: (quantity: number | null) => void;
}) {
  const id = useId();
  const j = line.discards.findIndex((d) => d.lotId === lot.id);
  const quantity = j >= 0 ? line.discards[j]!.quantity : null;
  const lotName = lot.lot ? `lot ${lot.lot}` : 'the unrecorded lot';
  const typed = useTypedCount(
    quantity,
    onDiscard,
    j >= 0 ? ctx.fieldName(`discards.${j}.quantity`) : null,
    (p) => `${itemText(item)}: the quantity to discard from ${lotText(lot, dateFormat)} ${p}.`,
    ctx.report,
  );
  const error = typed.problem ?? (j >= 0 ? (ctx.error(`discards.${j}.quantity`) ?? ctx.error(`discards.${j}.lotId`)) : undefined);
  return (
    <tr className={`lot-row ${lot.expiry}`}>
      <td className="mono nowrap">{lot.lot ?? <span className="muted">(not recorded)</span>}</td>
      <td className="nowrap">
        {lot.expiresOn ? formatDate(lot.expiresOn, dateFormat) : <span className="muted">—</span>}
        {lot.expiry === 'expired' ? <span className="stock-flag expired">Expired</span> : null}
        {lot.expiry === 'expiring' ? <span className="stock-flag expiring">Expiring</span> : null}
      </td>
      <td className="num">{lot.onHand}</td>
      {lot.onHand < 0 ? (
        // Used on two PCs at once (docs/sync.md): nothing of it is on the shelf to take off, and counting the item sets it back to 0.
        <td className="muted small">Below zero: nothing to take off; counting {item.name} sets it to 0.</td>
      ) : (
        <td className={error ? 'has-error' : undefined}>
          <div className="discard-cell">
            <label htmlFor={id} className="inline-label">
              Discard
            </label>
            <input
              id={id}
              className="qty-input"
              type="text"
              inputMode="numeric"
              autoComplete="off"
              aria-label={`Discard from ${lotName}`}
              aria-invalid={Boolean(error)}
              {...(error ? { 'aria-describedby': `${id}-error` } : {})}
              value={typed.text}
              onChange={(e) => typed.onText(e.target.value)}
            />
            <button type="button" className="small-button" onClick={() => onDiscard(lot.onHand)} aria-label={`Discard the whole ${lotName} (${lot.onHand})`}>
              Whole lot
            </button>
          </div>
          <FieldError id={`${id}-error`} message={error} />
        </td>
      )}
    </tr>
  );
}

function RestockRow({
  item,
  line,
  j,
  ctx,
  dateFormat,
  onChange,
}: {
  item: StockLevelView;
  line: StockCheckLine;
  j: number;
  ctx: FieldsContext;
  dateFormat: DateFormatSetting;
  onChange: (line: StockCheckLine) => void;
}) {
  const id = useId();
  const r = line.restock[j]!;
  const setRestock = (patch: Partial<StockCheckLine['restock'][number]>) => onChange({ ...line, restock: line.restock.map((x, k) => (k === j ? { ...x, ...patch } : x)) });
  const typed = useTypedCount(
    r.quantity,
    (quantity) => setRestock({ quantity: quantity ?? Number.NaN }),
    ctx.fieldName(`restock.${j}.quantity`),
    (p) => `${itemText(item)}: the quantity restocked ${p}.`,
    ctx.report,
  );
  const qtyError = typed.problem ?? ctx.error(`restock.${j}.quantity`);
  return (
    <div className="restock-row" role="group" aria-label={`Restock ${j + 1} of ${item.name}`}>
      <div className={`field${qtyError ? ' has-error' : ''}`}>
        <label htmlFor={`${id}-rq`}>Restock quantity</label>
        <input
          id={`${id}-rq`}
          className="qty-input"
          type="text"
          inputMode="numeric"
          autoComplete="off"
          value={typed.text}
          aria-invalid={Boolean(qtyError)}
          {...(qtyError ? { 'aria-describedby': `${id}-rq-error` } : {})}
          onChange={(e) => typed.onText(e.target.value)}
        />
        <FieldError id={`${id}-rq-error`} message={qtyError} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-rl`}>Lot number</label>
        <input id={`${id}-rl`} type="text" maxLength={60} value={r.lot ?? ''} onChange={(e) => setRestock({ lot: e.target.value === '' ? null : e.target.value })} />
      </div>
      <ExpiryField id={`${id}-re`} value={r.expiresOn} dateFormat={dateFormat} error={ctx.error(`restock.${j}.expiresOn`)} onChange={(expiresOn) => setRestock({ expiresOn })} />
      <button type="button" className="link-button" onClick={() => onChange({ ...line, restock: line.restock.filter((_, k) => k !== j) })}>
        Remove this restock
      </button>
    </div>
  );
}

function ItemFields({
  item,
  line,
  result,
  ctx,
  dateFormat,
  onChange,
}: {
  item: StockLevelView;
  line: StockCheckLine;
  result: StockCheckItemResult | undefined;
  ctx: FieldsContext;
  dateFormat: DateFormatSetting;
  onChange: (line: StockCheckLine) => void;
}) {
  const titleId = useId();
  const setDiscard = (lotId: string, quantity: number | null) => {
    const others = line.discards.filter((d) => d.lotId !== lotId);
    onChange({ ...line, discards: quantity === null ? others : [...others, { lotId, quantity }] });
  };
  const flagged = item.flags.expired > 0 || item.flags.belowMinimum || item.flags.expiringSoon > 0;
  // A line the rules refuse as a whole (listed twice).
  const lineError = ctx.error('itemId');
  return (
    <fieldset className={`stock-item${flagged ? ' flagged' : ''}`} aria-labelledby={titleId} data-testid="stock-check-item">
      <legend id={titleId}>
        {item.name} <span className="muted mono">{item.code}</span>
      </legend>
      <FieldError id={`${titleId}-error`} message={lineError} />
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
        <CountField item={item} line={line} ctx={ctx} onChange={onChange} />
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
            {item.lots.map((lot) => (
              <LotRow key={lot.id} item={item} lot={lot} line={line} ctx={ctx} dateFormat={dateFormat} onDiscard={(q) => setDiscard(lot.id, q)} />
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted small">Nothing on record.</p>
      )}
      {line.restock.map((_, j) => (
        <RestockRow key={j} item={item} line={line} j={j} ctx={ctx} dateFormat={dateFormat} onChange={onChange} />
      ))}
      <div className="stock-item-actions">
        <button type="button" className="small-button" onClick={() => onChange({ ...line, restock: [...line.restock, { quantity: Number.NaN, lot: null, expiresOn: null }] })}>
          Add a restock of {item.name}
        </button>
      </div>
    </fieldset>
  );
}

/**
 * An item the technician entered something for that the stock location no longer keeps (a
 * supervisor took it off the list while the check was open): it keeps its box, with the refusal
 * beside it and a button that clears its line, so the check can be signed without it.
 */
function GoneItemFields({ item, line, ctx, onClear }: { item: { name: string; code: string }; line: StockCheckLine; ctx: FieldsContext; onClear: () => void }) {
  const titleId = useId();
  const entered = [
    line.counted !== null ? `counted ${shown(line.counted) || '(not a number)'}` : null,
    line.discards.length > 0 ? `${line.discards.length} discard${line.discards.length === 1 ? '' : 's'}` : null,
    line.restock.length > 0 ? `${line.restock.length} restock${line.restock.length === 1 ? '' : 's'}` : null,
  ].filter((x): x is string => x !== null);
  return (
    <fieldset className="stock-item flagged" aria-labelledby={titleId} aria-describedby={`${titleId}-error`} data-testid="stock-check-item">
      <legend id={titleId}>
        {item.name} <span className="muted mono">{item.code}</span>
      </legend>
      <FieldError id={`${titleId}-error`} message={ctx.error('itemId')} />
      {entered.length > 0 ? <p className="muted small">Entered: {entered.join(', ')}.</p> : null}
      <div className="stock-item-actions">
        <button type="button" className="small-button" onClick={onClear}>
          Clear the line of {item.name}
        </button>
      </div>
    </fieldset>
  );
}

/** Items sorted as the stock location lists them: by name whatever its case, then code. */
const byName = (a: { name: string; code: string }, b: { name: string; code: string }) =>
  a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : a.code < b.code ? -1 : a.code > b.code ? 1 : 0;

/**
 * A refusal of the record form with the stock-check lines it names said of their item: main names
 * the fields of a line by its place (`result.lines.2.restock.0.quantity`: "Restock 1 quantity must
 * be at least 1."), which the summary at the top lists away from the item's box.
 */
export function withItemNames<E extends AppErrorValue>(error: E, lines: readonly StockCheckLine[], items: readonly { itemId: string; name: string; code: string }[], prefix = 'result.lines'): E {
  const named = (field: string | undefined, message: string): string => {
    const m = field ? new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(\\d+)\\.`).exec(field) : null;
    const item = m ? items.find((i) => i.itemId === lines[Number(m[1])]?.itemId) : undefined;
    if (!m || !item) return message;
    const name = itemText(item);
    if (message.startsWith(item.name)) return message;
    // "Line 3 counted must be a number." names the line by its place: the item's name says it better.
    const rest = message.replace(new RegExp(`^Line ${Number(m[1]) + 1} `), '');
    return `${name}: ${rest}`;
  };
  return {
    ...error,
    message: named(error.field, error.message),
    ...(error.details ? { details: error.details.map((d) => ({ ...d, message: named(d.field, d.message) })) } : {}),
  };
}

/**
 * The stock-check form: every item kept at the stock location with its par, minimum, expected
 * figure, lots and nearest expiry, flagged when below minimum, expired or expiring soon; inputs
 * for the count, discards by lot and restocks by lot and expiry. The figures and flags after the
 * check, and the outcome it suggests, follow what is typed (the same rules main applies).
 *
 * `form` is the stock location as the record form was opened; the items, figures and flags follow
 * every change of stock after that (read again when main says stock changed, as every screen is),
 * so what it shows is what main will judge on signing. An item taken off the list meanwhile keeps
 * its box while something is entered for it, saying so.
 *
 * `on` is the day the check was done (the record form's "Performed on", once it is a date): its
 * problems, figures after it and outcome are judged on that day, as main judges them on signing
 * (a lot that expired today was in date yesterday); today's by default.
 *
 * `value` holds a line only for the items something was entered for. `errors` maps fields as the
 * back end names them (`result.lines.3.counted`) to sentences; `fieldPrefix` is that prefix.
 * `onTypedProblems` hears the numbers typed that cannot be read ("1,000"): the record form refuses
 * to send those, in these words, rather than send them as not-a-number.
 */
export function StockCheckForm({
  form: opened,
  on: performedOn,
  value,
  onChange,
  errors = {},
  fieldPrefix = 'result.lines',
  onTypedProblems,
}: {
  form: StockCheckFormData;
  on?: IsoDate | undefined;
  value: StockCheckLine[];
  onChange: (lines: StockCheckLine[]) => void;
  errors?: Record<string, string | undefined>;
  fieldPrefix?: string;
  onTypedProblems?: (problems: TypedProblem[]) => void;
}) {
  const dateFormat = useDateFormat();
  const live = useChannelQuery('stock.locations.get', { id: opened.stockLocation.id }).data;
  const form: StockCheckFormData = useMemo(
    () => (live ? { ...opened, asOf: live.asOf, expiringWithinDays: live.expiringWithinDays, items: live.items } : opened),
    [opened, live],
  );
  const on = performedOn ?? form.asOf;
  // Names of every item seen here, for the lines of items no longer kept.
  const known = useMemo(() => new Map([...opened.items, ...form.items].map((i) => [i.itemId, { itemId: i.itemId, name: i.name, code: i.code }])), [opened, form]);
  const listed = new Set(form.items.map((i) => i.itemId));
  const gone = value.filter((l) => !listed.has(l.itemId)).map((l) => known.get(l.itemId) ?? { itemId: l.itemId, name: 'An item no longer kept here', code: '' });
  const boxes = [...form.items.map((item) => ({ item, gone: false as const })), ...gone.map((item) => ({ item, gone: true as const }))].sort((a, b) => byName(a.item, b.item));
  const byItem = new Map(value.map((l) => [l.itemId, l]));
  const plan = useMemo(
    () =>
      planStockCheck({ form, lines: value, on, dateFormat, field: (i, path) => `${fieldPrefix}.${i}.${path}`, itemNamed: (id) => known.get(id) }),
    [form, value, on, fieldPrefix, dateFormat, known],
  );
  // The figures after the check leave out restock rows with no quantity yet, so they follow the rest of what is typed.
  const preview = useMemo(
    () => planStockCheck({ form, lines: value.map((l) => ({ ...l, restock: l.restock.filter((r) => Number.isInteger(r.quantity)) })), on, dateFormat }).summary,
    [form, value, on, dateFormat],
  );
  // A restock row just added has no quantity yet: say so only when the back end does, on saving.
  const local = new Map(plan.problems.filter((p) => !/\.restock\.\d+\.quantity$/.test(p.field)).map((p) => [p.field, p.message]));
  // Numbers typed that cannot be read, by field: said beside the field, and handed to the record form.
  const [typed, setTyped] = useState<Record<string, string>>({});
  const report = useCallback((field: string, message: string | undefined) => {
    setTyped((now) => {
      if (now[field] === message) return now;
      const next = { ...now };
      if (message === undefined) delete next[field];
      else next[field] = message;
      return next;
    });
  }, []);
  useEffect(() => onTypedProblems?.(Object.entries(typed).map(([field, message]) => ({ field, message }))), [typed, onTypedProblems]);
  const ctxAt = (index: number): FieldsContext => ({
    error: (path) => (index < 0 ? undefined : (errors[`${fieldPrefix}.${index}.${path}`] ?? local.get(`${fieldPrefix}.${index}.${path}`))),
    fieldName: (path) => (index < 0 ? null : `${fieldPrefix}.${index}.${path}`),
    report,
  });
  const update = (itemId: string, line: StockCheckLine) => {
    const next = boxes.map(({ item }) => (item.itemId === itemId ? line : (byItem.get(item.itemId) ?? emptyLine(item.itemId)))).filter((l) => !isEmpty(l));
    onChange(next);
  };
  const flagged = form.items.filter((i) => i.flags.belowMinimum || i.flags.expired > 0 || i.flags.expiringSoon > 0).length;
  const { totals, outcome, reasons } = preview;
  if (boxes.length === 0) {
    return <p className="empty">No items are kept at {form.stockLocation.name} yet: a supervisor adds them on its stock page.</p>;
  }
  return (
    <div className="stock-check-form">
      <p className="stock-check-intro">
        {form.items.length} item{form.items.length === 1 ? '' : 's'} at {form.stockLocation.name}
        {flagged > 0 ? `, ${flagged} flagged` : ''}. Count what is on the shelf first, then take off expired stock and restock. Expiring soon means within{' '}
        {form.expiringWithinDays} days.
      </p>
      {boxes.map(({ item, gone: isGone }) => {
        const index = value.findIndex((l) => l.itemId === item.itemId);
        const line = byItem.get(item.itemId) ?? emptyLine(item.itemId);
        return isGone ? (
          <GoneItemFields key={item.itemId} item={item} line={line} ctx={ctxAt(index)} onClear={() => update(item.itemId, emptyLine(item.itemId))} />
        ) : (
          <ItemFields
            key={item.itemId}
            item={item}
            line={line}
            result={preview.items.find((r) => r.itemId === item.itemId)}
            ctx={ctxAt(index)}
            dateFormat={dateFormat}
            onChange={(l) => update(item.itemId, l)}
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
