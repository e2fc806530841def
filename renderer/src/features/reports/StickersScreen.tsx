import type { FormEvent } from 'react';
import { useId, useMemo, useRef, useState } from 'react';
import { formatDate, localDay } from '../../../../shared/date-format';
import type { LabelStockId, StickerParamsInput, Symbology } from '../../../../shared/domain/report-stickers';
import { LABEL_STOCK_IDS, LABEL_STOCKS, skipProblem, SYMBOLOGIES, SYMBOLOGY_LABELS } from '../../../../shared/domain/report-stickers';
import { sharedTagRefusal } from '../../../../shared/domain/equipment';
import type { AppErrorValue } from '../../../../shared/result';
import { ErrorBanner } from '../../components/Banner';
import { call } from '../../lib/api';
import { readCount } from '../../lib/numbers';
import { useChannelQuery } from '../../lib/query';
import { FilterDate, readFilterDate } from '../../components/FilterDate';
import { useDates } from '../../lib/settings';
import { rememberChoice, rememberedChoice } from '../../lib/paper';
import { PrintControls } from '../../components/PrintControls';

interface Chosen {
  id: string;
  assetTag: string;
  name: string;
}

/**
 * Calibration stickers: every device calibrated on a day (today by default), or devices picked by
 * tag (typed or scanned into the field). Label stock and code are remembered on this PC.
 */
export function StickersScreen() {
  const dates = useDates();
  const [mode, setMode] = useState<'day' | 'devices'>('day');
  const [dayText, setDayText] = useState(() => formatDate(localDay(new Date()), dates.setting));
  const day = readFilterDate(dayText, dates.setting, 'Day');
  const dayProblem = day.problem ?? (dayText.trim() === '' ? 'Enter the day of the calibrations.' : null);
  const [chosen, setChosen] = useState<Chosen[]>([]);
  const [tag, setTag] = useState('');
  const [tagError, setTagError] = useState<AppErrorValue | null>(null);
  const [stock, setStock] = useState<LabelStockId>(() => rememberedChoice('stock', LABEL_STOCK_IDS, 'a4-3x8'));
  const [symbology, setSymbology] = useState<Symbology>(() => rememberedChoice('symbology', SYMBOLOGIES, 'code128'));
  const [skip, setSkip] = useState('0');
  const ids = { tag: useId(), stock: useId(), code: useId(), skip: useId() };
  const tagRef = useRef<HTMLInputElement>(null);
  const removeButtons = useRef(new Map<string, HTMLButtonElement>());
  const sheet = LABEL_STOCKS[stock].kind === 'sheet';
  const perSheet = LABEL_STOCKS[stock].columns * LABEL_STOCKS[stock].rows;
  // "Labels already used": read as every count field reads it ("1e1" and "1,000" are refused in
  // words, "0x8" is no number), then the same rule main applies, said beside the box as it is typed.
  const skipReading = readCount(skip);
  const skipNumber = skipReading.value ?? 0;
  const skipError = !sheet
    ? null
    : skipReading.problem
      ? `Labels already used ${skipReading.problem}.`
      : !Number.isInteger(skipNumber) || skipNumber < 0
        ? `Labels already used must be a whole number from 0 to ${perSheet - 1}.`
        : skipProblem(stock, skipNumber)
          ? `Labels already used ${skipProblem(stock, skipNumber)}.`
          : null;

  const params = useMemo(() => {
    const p: StickerParamsInput =
      mode === 'day' ? { calibratedOn: day.value ?? '', stock, symbology } : { equipmentIds: chosen.map((c) => c.id), stock, symbology };
    if (sheet && skipNumber > 0) p.skip = skipNumber;
    return p;
  }, [mode, day.value, chosen, stock, symbology, skipNumber, sheet]);
  const ready = (mode === 'day' ? !dayProblem : chosen.length > 0) && !skipError;
  const preview = useChannelQuery('reports.stickers', params, { enabled: ready });
  const doc = ready ? preview.data : undefined;

  const addTag = async (e: FormEvent) => {
    e.preventDefault();
    const text = tag.trim();
    if (!text) return;
    const res = await call('equipment.findByTag', { tag: text });
    if (!res.ok) {
      setTagError(res.error.code === 'not_found' ? { code: 'not_found', message: `No device has the tag "${text}".` } : res.error);
      return;
    }
    // Two PCs of the hub gave the tag to two devices in use: its sticker would fit either.
    if (res.value.sameTag.length > 1) {
      setTagError({
        code: 'conflict',
        message: sharedTagRefusal('tag', res.value.assetTag, res.value.sameTag, ', so its sticker would fit either'),
      });
      return;
    }
    setTagError(null);
    setTag('');
    const found = res.value;
    setChosen((list) =>
      list.some((c) => c.id === found.id) ? list : [...list, { id: found.id, assetTag: found.assetTag, name: found.name }],
    );
  };

  // The focus stays with the list when a device leaves it: on the next Remove, else the one before,
  // else the tag field (never on the page's body, where a keyboard user would start again).
  const remove = (id: string) => {
    const i = chosen.findIndex((c) => c.id === id);
    const next = chosen[i + 1] ?? chosen[i - 1];
    setChosen((list) => list.filter((x) => x.id !== id));
    (next ? removeButtons.current.get(next.id) : tagRef.current)?.focus();
  };

  return (
    <div className="report-screen">
      <div className="page-head">
        <h1>Calibration stickers</h1>
        <div className="actions">
          <PrintControls
            view="stickers"
            params={params}
            what="the stickers"
            disabled={!doc}
            paperChoice={false}
            labels={{ print: 'Print stickers…', pdf: 'Save as PDF…' }}
          />
        </div>
      </div>
      <div className="report-layout">
        <div className="panel report-filters">
          <fieldset className="choices report-choices">
            <legend>Which devices</legend>
            <label className="check">
              <input type="radio" name="sticker-mode" checked={mode === 'day'} onChange={() => setMode('day')} />
              All calibrated on a day
            </label>
            {mode === 'day' ? (
              <FilterDate
                label="Day"
                value={dayText}
                onChange={setDayText}
                problem={dayProblem}
                help="Each device whose calibration that day passed gets a calibration sticker, one that failed DO NOT USE; a calibration logged as not done gets none."
              />
            ) : null}
            <label className="check">
              <input type="radio" name="sticker-mode" checked={mode === 'devices'} onChange={() => setMode('devices')} />
              Devices I choose
            </label>
          </fieldset>
          {mode === 'devices' ? (
            <form className="stack" onSubmit={(e) => void addTag(e)} aria-label="Add a device">
              <div className={`field${tagError ? ' has-error' : ''}`}>
                <label htmlFor={ids.tag}>Asset tag (type or scan)</label>
                {tagError ? (
                  // Said at once (the focus stays in the field for the next tag), and tied to the field.
                  <span className="error" id={`${ids.tag}-error`} role="alert">
                    <span className="sr-only">Error: </span>
                    {tagError.message}
                  </span>
                ) : null}
                <input
                  ref={tagRef}
                  id={ids.tag}
                  type="text"
                  value={tag}
                  autoComplete="off"
                  aria-invalid={Boolean(tagError)}
                  {...(tagError ? { 'aria-describedby': `${ids.tag}-error` } : {})}
                  onChange={(e) => setTag(e.target.value)}
                />
              </div>
              <button type="submit">Add device</button>
              {chosen.length > 0 ? (
                <ul className="chosen-devices" aria-label="Chosen devices">
                  {chosen.map((c) => (
                    <li key={c.id}>
                      <span className="mono">{c.assetTag}</span> {c.name}{' '}
                      <button
                        type="button"
                        className="link-button"
                        ref={(el) => {
                          if (el) removeButtons.current.set(c.id, el);
                          else removeButtons.current.delete(c.id);
                        }}
                        onClick={() => remove(c.id)}
                      >
                        Remove {c.assetTag}
                      </button>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted">No device chosen yet.</p>
              )}
            </form>
          ) : null}
          <div className="field">
            <label htmlFor={ids.stock}>Labels</label>
            <select
              id={ids.stock}
              value={stock}
              onChange={(e) => {
                const next = e.target.value as LabelStockId;
                setStock(next);
                rememberChoice('stock', next);
              }}
            >
              {LABEL_STOCK_IDS.map((s) => (
                <option key={s} value={s}>
                  {LABEL_STOCKS[s].label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.code}>Code</label>
            <select
              id={ids.code}
              value={symbology}
              onChange={(e) => {
                const next = e.target.value as Symbology;
                setSymbology(next);
                rememberChoice('symbology', next);
              }}
            >
              {SYMBOLOGIES.map((s) => (
                <option key={s} value={s}>
                  {SYMBOLOGY_LABELS[s]}
                </option>
              ))}
            </select>
          </div>
          {sheet ? (
            <div className={`field${skipError ? ' has-error' : ''}`}>
              <label htmlFor={ids.skip}>Labels already used on the first sheet</label>
              {skipError ? (
                <span className="error" id={`${ids.skip}-error`}>
                  <span className="sr-only">Error: </span>
                  {skipError}
                </span>
              ) : null}
              <input
                id={ids.skip}
                type="text"
                inputMode="numeric"
                className="narrow"
                value={skip}
                aria-invalid={Boolean(skipError)}
                aria-describedby={`${skipError ? `${ids.skip}-error ` : ''}${ids.skip}-help`}
                onChange={(e) => setSkip(e.target.value)}
              />
              <span className="help" id={`${ids.skip}-help`}>
                0 to {perSheet - 1}. Printing starts after them, row by row from the top left.
              </span>
            </div>
          ) : null}
        </div>
        <section className="panel report-preview" aria-labelledby="stickers-title">
          <h2 id="stickers-title">Stickers</h2>
          {ready ? (
            <ErrorBanner error={preview.error} />
          ) : skipError || (mode === 'day' && dayProblem) ? (
            <p className="muted">The stickers show once the choices beside them are fixed.</p>
          ) : (
            <p className="muted">Choose a day or add devices.</p>
          )}
          {doc ? (
            <table className="data compact">
              <thead>
                <tr>
                  <th scope="col">Tag</th>
                  <th scope="col">Device</th>
                  <th scope="col">Sticker</th>
                  <th scope="col">Calibrated</th>
                  <th scope="col">By</th>
                  <th scope="col">Next due</th>
                </tr>
              </thead>
              <tbody>
                {doc.stickers.map((s) => (
                  <tr key={s.equipmentId} data-testid="sticker-preview-row">
                    <td className="mono">{s.assetTag}</td>
                    <td>{s.name}</td>
                    <td>{s.kind === 'do_not_use' ? <span className="do-not-use-chip">DO NOT USE</span> : 'Calibration'}</td>
                    <td className="nowrap">{dates.date(s.calibratedOn)}</td>
                    <td>{s.initials ?? '—'}</td>
                    <td className="nowrap">{dates.date(s.nextDue)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </section>
      </div>
    </div>
  );
}
