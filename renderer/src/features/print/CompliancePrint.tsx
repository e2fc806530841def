import type { Paper } from '../../../../shared/domain/report';
import type { ComplianceDocument, ComplianceReport } from '../../../../shared/domain/report-compliance';
import { exceptionMark, exceptionNote, marksSentence, openLabel, rateWithOpen, RISK_CLASS_LABELS, VERDICT_LABELS } from '../../../../shared/domain/report-compliance';
import type { ComplianceSummary } from '../../../../shared/scheduling/compliance';
import { formatDate } from '../../../../shared/date-format';
import { useDateColumnWidth } from './date-columns';
import { noHighRiskExceptions, nothingDecided, openAtEnd, rateSentence } from '../../lib/report-words';
import type { PrintColumn } from './layout';
import { PrintFrame, PrintTable, runningTitle, SignOff } from './layout';

/** The summary's columns; the open count is headed for what it is once the period is over. */
const summaryColumns = (report: Pick<ComplianceReport, 'periodOver'>): PrintColumn[] => [
  { key: 'task', label: 'Task', className: 'col-ctask' },
  { key: 'risk', label: 'Risk', className: 'col-risk' },
  { key: 'plans', label: 'Plans', className: 'col-n num' },
  { key: 'due', label: 'Due', className: 'col-n num' },
  { key: 'ontime', label: 'On time', className: 'col-n num' },
  { key: 'late', label: 'Late', className: 'col-n num' },
  { key: 'missed', label: 'Missed', className: 'col-n num' },
  { key: 'exempt', label: 'Exempt', className: 'col-n num' },
  // Short on paper (a narrow column); the note under the table says what it holds.
  { key: 'open', label: report.periodOver ? 'Open at end' : openLabel(report), className: 'col-n num' },
  { key: 'rate', label: 'Rate', className: 'col-rate num' },
];

const EXCEPTION_COLUMNS: PrintColumn[] = [
  { key: 'tag', label: 'Tag', className: 'col-tag' },
  { key: 'device', label: 'Device', className: 'col-xdevice' },
  { key: 'task', label: 'Task', className: 'col-task' },
  { key: 'due', label: 'Due on', className: 'col-date' },
  { key: 'verdict', label: 'Verdict', className: 'col-verdict' },
  { key: 'done', label: 'Done on', className: 'col-date' },
  { key: 'note', label: 'Entries', className: 'col-note' },
];

function Counts({ s, report }: { s: ComplianceSummary; report: Pick<ComplianceReport, 'periodOver'> }) {
  return (
    <>
      <td className="num">{s.due}</td>
      <td className="num">{s.onTime}</td>
      <td className="num">{s.late}</td>
      <td className="num">{s.missed}</td>
      <td className="num">{s.exempt}</td>
      <td className="num">{s.open}</td>
      <td className="num rate">{rateWithOpen(s, report)}</td>
    </>
  );
}

function Headline({ report, date }: { report: ComplianceReport; date: (d: string) => string }) {
  return (
    <section className="print-headline" aria-label="In short">
      <p>
        <strong>High-risk equipment:</strong> {rateSentence(report.highRisk.summary, report, date)}, over {report.highRisk.devices} device
        {report.highRisk.devices === 1 ? '' : 's'}.{openAtEnd(report.highRisk.summary, report.periodOver)}
      </p>
      <p>
        <strong>All equipment and stock:</strong> {rateSentence(report.total, report, date)}.{openAtEnd(report.total, report.periodOver)}
      </p>
      {marksSentence(report.total) ? <p data-testid="record-marks">{marksSentence(report.total)}</p> : null}
    </section>
  );
}

/**
 * The auditor's report: per task type and risk class the occurrences due in the period and how
 * they went (docs/scheduling.md, "Compliance"), then every high-risk occurrence not done on time.
 */
export function CompliancePrint({ document, paper }: { document: ComplianceDocument; paper: Paper }) {
  const { header, report } = document;
  const date = (d: string | null) => (d ? formatDate(d, header.dateFormat) : '—');
  const day = (d: string) => formatDate(d, header.dateFormat);
  const period = `${date(report.from)} to ${date(report.to)}`;
  const nothing = nothingDecided(report, day);
  const noExceptions = noHighRiskExceptions(report, day);
  const dates = useDateColumnWidth<HTMLHeadingElement>(document);
  return (
    <PrintFrame paper={paper} header={header} className="compliance-print" style={dates.style}>
      <Headline report={report} date={day} />
      <h2 ref={dates.ref} className="print-section-title">
        By task and risk class
      </h2>
      {nothing ? (
        <p className="print-empty" data-testid={nothing.kind === 'nothing-due' ? 'compliance-empty' : 'compliance-none-decided'}>
          {nothing.text}
        </p>
      ) : null}
      {report.rows.length === 0 ? (
        nothing?.kind === 'nothing-due' ? null : (
          <p className="print-empty">No plan had an occurrence due in this period.</p>
        )
      ) : (
        <PrintTable columns={summaryColumns(report)} running={runningTitle(header, period)} caption="Compliance by task and risk class">
          <tbody>
            {report.rows.map((r) => (
              <tr key={`${r.task}-${r.risk}`} className={`print-row${r.risk === 'high' ? ' high-risk' : ''}`} data-testid="compliance-row">
                <td>{r.taskLabel}</td>
                <td>{RISK_CLASS_LABELS[r.risk]}</td>
                <td className="num">{r.plans}</td>
                <Counts s={r} report={report} />
              </tr>
            ))}
          </tbody>
          <tbody className="print-totals">
            <tr className="print-row">
              <th scope="row" colSpan={3}>
                High-risk equipment
              </th>
              <Counts s={report.highRisk.summary} report={report} />
            </tr>
            <tr className="print-row">
              <th scope="row" colSpan={3}>
                All
              </th>
              <Counts s={report.total} report={report} />
            </tr>
          </tbody>
        </PrintTable>
      )}
      <p className="print-note">
        Due: occurrences decided in the period (on time, late, missed or exempt). On time: done from the start of the plan&apos;s window to
        the end of its grace. Missed: passed over, or still not done and overdue at the end of the period. Exempt: not done because the
        device was in use or could not be found, or due on a day the device was out of service (or missing, or retired) from its start to
        its end, or on which its test failed and it was out of service when the day ended; listed, counted neither for nor against. Rate:
        on time ÷ (due − exempt).{' '}
        {report.periodOver ? 'Open at end: open at the end of the period (within grace), ' : `${openLabel(report)}: `}occurrences whose grace had not ended
        by {date(report.judgedOn)}{report.periodOver ? ', counted in no rate' : ''}. Each device and stock location counts, and is listed, under the
        place it is in when the report is made: one moved since the period counts under its new place.
      </p>
      <h2 className="print-section-title print-break-before">High-risk equipment: every occurrence not done on time, or done by a record entered late</h2>
      {noExceptions ? (
        <p className="print-empty" data-testid="high-risk-none">
          {noExceptions.text}
        </p>
      ) : (
        <PrintTable
          columns={EXCEPTION_COLUMNS}
          running={runningTitle(header, `high-risk exceptions, ${period}`)}
          caption="High-risk exceptions"
        >
          <tbody>
            {report.highRisk.exceptions.map((x) => (
              <tr key={`${x.equipmentId}-${x.task}-${x.dueOn}`} className={`print-row verdict-${x.verdict}`} data-testid="exception-row">
                <td className="mono">{x.assetTag}</td>
                <td>
                  {x.name}
                  <span className="print-sub">{x.location}</span>
                </td>
                <td>{x.taskLabel}</td>
                <td className="col-date nowrap">{date(x.dueOn)}</td>
                <td className="verdict">{VERDICT_LABELS[x.verdict].toUpperCase()}</td>
                <td className="col-date nowrap">
                  {date(x.doneOn)}
                  {exceptionMark(x, date) ? <span className="print-sub">{exceptionMark(x, date)}</span> : null}
                </td>
                <td>{exceptionNote(x, date) ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </PrintTable>
      )}
      <SignOff lines={['Reviewed by', 'Date']} />
    </PrintFrame>
  );
}
