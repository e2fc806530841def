import type { ReactNode } from 'react';
import { useLayoutEffect, useRef, useState } from 'react';
import type { CompletionView, ReadingView } from '../../../../shared/domain/completion';
import { SIGNATURE_MEANING_LABELS } from '../../../../shared/domain/completion';
import { STATUS_LABELS } from '../../../../shared/domain/equipment';
import { OUTCOME_LABELS } from '../../../../shared/domain/plan';
import type { Paper } from '../../../../shared/domain/report';
import type { HistoryDocument } from '../../../../shared/domain/report-history';
import type { DateFormatSetting } from '../../../../shared/domain/settings';
import { ROLE_LABELS } from '../../../../shared/domain/user';
import { describeLimits } from '../../../../shared/tolerance';
import { formatDaysIn } from '../../../../shared/date-format';
import { formatPrintedAt, PrintFrame, PrintTable, runningTitle, SignOff } from './layout';

const RISK_WORDS = { high: 'High (incl. life support)', medium: 'Medium', low: 'Low' } as const;
const NOT_DONE_WORDS = { in_use: 'the device was in use', not_located: 'the device could not be found', other: 'another reason' } as const;
const STEP_WORDS = { pass: 'Pass', fail: 'FAIL', na: 'N/A' } as const;

function roleLabel(role: string): string {
  return role in ROLE_LABELS ? ROLE_LABELS[role as keyof typeof ROLE_LABELS] : role;
}

function num(v: number | null, unit = ''): string {
  return v === null ? '—' : `${v}${unit ? ` ${unit}` : ''}`;
}

function tolerance(r: ReadingView): string {
  if (r.tolerance !== null && r.toleranceKind) return r.toleranceKind === 'percent' ? `± ${r.tolerance} %` : `± ${r.tolerance} ${r.unit}`;
  return describeLimits(r.low, r.high, r.unit);
}

const within = (v: boolean | null) => (v === null ? '' : v ? 'in' : 'OUT');

/**
 * The height a page holds under the running title, in CSS pixels: the paper less its @page margins
 * (print.css) and about a line for the title repeated on every page.
 */
const PAGE_BODY_PX: Record<Paper, number> = {
  a4: ((297 - 12 - 15 - 12) * 96) / 25.4,
  letter: (11 - 0.5 - 0.6 - 12 / 25.4) * 96,
};

/**
 * Whether a record is taller than a page. A record is kept whole on one page; one that cannot fit
 * on any page is let break, or Chromium moves it to a new page first and splits it there anyway,
 * leaving the page before it blank. On screen the sheet has the paper's width, so the height
 * measured there is the printed one.
 */
function useLongerThanPage<T extends HTMLElement>(paper: Paper) {
  const ref = useRef<T>(null);
  const [long, setLong] = useState(false);
  useLayoutEffect(() => {
    if (ref.current) setLong(ref.current.getBoundingClientRect().height > PAGE_BODY_PX[paper]);
  }, [paper]);
  return { ref, long };
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function Readings({ readings }: { readings: ReadingView[] }) {
  return (
    <table className="print-table hrec-readings">
      <thead>
        <tr className="print-column-heads">
          <th scope="col">Point</th>
          <th scope="col">Nominal</th>
          <th scope="col">Tolerance</th>
          <th scope="col">As found</th>
          <th scope="col">As left</th>
        </tr>
      </thead>
      <tbody>
        {readings.map((r) => (
          <tr key={r.position} className="print-row">
            <td>{r.label}</td>
            <td>{num(r.nominal, r.unit)}</td>
            <td>{tolerance(r)}</td>
            <td className={r.foundIn === false ? 'out' : undefined}>
              {num(r.asFound, r.unit)} {within(r.foundIn)}
            </td>
            <td className={r.leftIn === false ? 'out' : undefined}>
              {r.asLeft === null ? '—' : `${num(r.asLeft, r.unit)} ${within(r.leftIn)}`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Record({ record, all, dateFormat, paper }: { record: CompletionView; all: Map<string, CompletionView>; dateFormat: DateFormatSetting; paper: Paper }) {
  const { ref, long } = useLongerThanPage<HTMLElement>(paper);
  const at = (iso: string) => formatPrintedAt(iso, dateFormat);
  const amendedBy = record.amendedById ? all.get(record.amendedById) : undefined;
  const amends = record.amendsId ? all.get(record.amendsId) : undefined;
  const d = record.details;
  return (
    <article ref={ref} className={`print-record${record.amendedById ? ' amended' : ''}${long ? ' longer-than-page' : ''}`} data-testid="print-record">
      <header className="hrec-head">
        <span className="hrec-when">{at(record.performedAt)}</span>
        <strong className="hrec-task">{record.taskLabel}</strong>
        <span className={`hrec-outcome hrec-outcome-${record.outcome}`}>{OUTCOME_LABELS[record.outcome]}</span>
        {record.source === 'import' ? <span className="hrec-mark">IMPORTED, UNSIGNED</span> : null}
        {record.enteredLateOn ? <span className="hrec-mark">ENTERED LATE</span> : null}
      </header>
      {record.amendedById ? (
        <p className="hrec-flag">
          CORRECTED: replaced by the amending record of {amendedBy ? at(amendedBy.performedAt) : 'a later date'}. The original is struck
          through below.
        </p>
      ) : null}
      {record.amendsId ? (
        <p className="hrec-amends">
          Corrects the record of {amends ? at(amends.performedAt) : 'an earlier date'}. Reason: {record.amendReason ?? '—'}
        </p>
      ) : null}
      <div className="hrec-body">
        <dl className="hrec-facts">
          <Fact label="Performed by">{record.performedByName}</Fact>
          {record.minutesSpent !== null ? <Fact label="Time spent">{record.minutesSpent} min</Fact> : null}
          {record.procedure ? <Fact label="Procedure">version {record.procedure.version}</Fact> : null}
          {record.reference ? (
            <Fact label="Reference standard">
              {record.reference.assetTag} {record.reference.name}
              {record.reference.notCurrent ? <strong> (NOT IN CALIBRATION on that day)</strong> : null}
            </Fact>
          ) : null}
          {d.method ? <Fact label="Method">{d.method}</Fact> : null}
          {d.agent ? <Fact label="Agent">{d.agent}</Fact> : null}
          {d.notDoneReason ? (
            <Fact label="Not done because">
              {NOT_DONE_WORDS[d.notDoneReason]}
              {d.notDoneExplanation ? `: ${d.notDoneExplanation}` : ''}
            </Fact>
          ) : null}
          {record.outcomeOverrideReason ? <Fact label="Outcome set by hand">{record.outcomeOverrideReason}</Fact> : null}
          <Fact label="Entered">
            {at(record.enteredAt)} (
            {record.source === 'app' ? 'in the app' : record.source === 'cli' ? 'from the command line' : 'imported history, unsigned'})
            {record.enteredLateOn ? <strong> later than the work</strong> : null}
            {record.lateReason ? `. Why: ${record.lateReason}` : ''}
          </Fact>
          <Fact label="Record id">
            <span className="mono">{record.id}</span>
          </Fact>
        </dl>
        {record.readings.length > 0 ? <Readings readings={record.readings} /> : null}
        {record.steps.length > 0 ? (
          <ol className="hrec-steps">
            {record.steps.map((s) => (
              <li key={s.position}>
                {s.text}: <strong>{STEP_WORDS[s.result]}</strong>
                {s.note ? ` (${s.note})` : ''}
              </li>
            ))}
          </ol>
        ) : null}
        {record.notes ? <p className="hrec-notes">Notes: {record.notes}</p> : null}
      </div>
      <ul className="hrec-signatures" aria-label="Signatures">
        {record.signatures.length === 0 ? (
          <li>No electronic signature (entered {record.source === 'import' ? 'by import' : 'without one'}).</li>
        ) : null}
        {record.signatures.map((s) => (
          <li key={`${s.meaning}-${s.userId}`}>
            <strong>{SIGNATURE_MEANING_LABELS[s.meaning]}:</strong> {s.name} ({roleLabel(s.role)}), signed {at(s.signedAt)}
          </li>
        ))}
      </ul>
    </article>
  );
}

/** A device's complete record for an auditor: details, then every completion with its signatures. */
export function HistoryPrint({ document, paper }: { document: HistoryDocument; paper: Paper }) {
  const { header, equipment: e, records } = document;
  const all = new Map(records.map((r) => [r.id, r]));
  return (
    <PrintFrame paper={paper} header={header} className="history-print">
      <section className="print-device" aria-label="Device">
        <dl className="print-facts">
          <Fact label="Asset tag">
            <span className="mono">{e.assetTag}</span>
          </Fact>
          <Fact label="Name">{e.name}</Fact>
          <Fact label="Location">{e.locationPath}</Fact>
          <Fact label="Category">{e.categoryName ?? '—'}</Fact>
          <Fact label="Manufacturer, model">{[e.manufacturer, e.model].filter(Boolean).join(', ') || '—'}</Fact>
          <Fact label="Serial number">{e.serial ?? '—'}</Fact>
          <Fact label="Risk">{e.risk ? RISK_WORDS[e.risk] : 'Not classified'}</Fact>
          <Fact label="Status">
            {STATUS_LABELS[e.status]}
            {e.statusReason ? `: ${formatDaysIn(e.statusReason, header.dateFormat)}` : ''}
          </Fact>
        </dl>
      </section>
      <h2 className="print-section-title">
        {records.length === 0
          ? 'No work has been logged for this device.'
          : `${records.length} record${records.length === 1 ? '' : 's'}, newest first`}
      </h2>
      {records.length > 0 ? (
        // A table of one column for its head: whose history it is (the title names the device),
        // repeated on every page.
        <PrintTable
          columns={[{ key: 'record', label: 'Record', className: 'col-record' }]}
          columnHeads={false}
          running={runningTitle(header)}
          caption={`Records of ${e.assetTag}`}
          className="history-records"
        >
          <tbody>
            {records.map((r) => (
              <tr key={r.id}>
                <td>
                  <Record record={r} all={all} dateFormat={header.dateFormat} paper={paper} />
                </td>
              </tr>
            ))}
          </tbody>
        </PrintTable>
      ) : null}
      <SignOff lines={['Reviewed by', 'Date']} />
    </PrintFrame>
  );
}
