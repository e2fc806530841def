import { endOfQuarter, format, startOfQuarter, startOfYear, subQuarters } from 'date-fns';
import { useMemo, useState } from 'react';
import type { Risk } from '../../../../shared/domain/equipment';
import type { ComplianceParamsInput } from '../../../../shared/domain/report-compliance';
import { exceptionMark, exceptionNote, marksSentence, openLabel, rateWithOpen, RISK_CLASS_LABELS, VERDICT_LABELS } from '../../../../shared/domain/report-compliance';
import type { AppErrorValue } from '../../../../shared/result';
import { Banner, ErrorBanner } from '../../components/Banner';
import { FirstReportWait, LastAnswer, lastReportNote } from '../../components/LastAnswer';
import { FilterDate, readFilterDate } from '../../components/FilterDate';
import { formatDate } from '../../../../shared/date-format';
import { useDates } from '../../lib/settings';
import { call } from '../../lib/api';
import { useChannelQuery } from '../../lib/query';
import { Link } from '../../lib/router';
import { noHighRiskExceptions, nothingDecided, openAtEnd, rateSentence } from '../../lib/report-words';
import { ExportButton } from '../../components/ExportButton';
import { PrintControls } from '../../components/PrintControls';
import { ChoiceChecklist, LocationChecklist } from './filters';

const day = (d: Date) => format(d, 'yyyy-MM-dd');

/** The last full quarter before today: what an auditor asks for most. */
export function lastQuarter(today: Date): { from: string; to: string } {
  const q = subQuarters(today, 1);
  return { from: day(startOfQuarter(q)), to: day(endOfQuarter(q)) };
}

/** The period as typed: dates in the user's format. */
interface PeriodText {
  from: string;
  to: string;
}

const RISK_OPTIONS: { value: Risk; label: string }[] = [
  { value: 'high', label: 'High' },
  { value: 'medium', label: 'Medium' },
  { value: 'low', label: 'Low' },
];

/**
 * The compliance report for auditors (docs/scheduling.md, "Compliance"): a period and locations, the counts
 * per task type and risk class, and the high-risk occurrences not done on time. Printable and CSV.
 */
export function ComplianceScreen() {
  const dates = useDates();
  const typed = (p: { from: string; to: string }): PeriodText => ({ from: formatDate(p.from, dates.setting), to: formatDate(p.to, dates.setting) });
  const [period, setPeriodText] = useState<PeriodText>(() => typed(lastQuarter(new Date())));
  const setPeriod = (p: { from: string; to: string }) => setPeriodText(typed(p));
  const from = readFilterDate(period.from, dates.setting, 'From');
  const to = readFilterDate(period.to, dates.setting, 'To');
  const fromProblem = from.problem ?? (period.from.trim() === '' ? 'Enter the first day of the period.' : null);
  const toProblem =
    to.problem ??
    (period.to.trim() === ''
      ? 'Enter the last day of the period.'
      : from.value && to.value && from.value > to.value
        ? `To (${formatDate(to.value, dates.setting)}) is before From (${formatDate(from.value, dates.setting)}): the period ends before it starts.`
        : null);
  const [locationIds, setLocationIds] = useState<string[]>([]);
  const [tasks, setTasks] = useState<string[]>([]);
  const [risks, setRisks] = useState<Risk[]>([]);
  const [exportError, setExportError] = useState<AppErrorValue | null>(null);
  const tree = useChannelQuery('locations.tree', {});
  const taskTypes = useChannelQuery('taskTypes.list', {});
  const params = useMemo(() => {
    const p: ComplianceParamsInput = { from: from.value ?? '', to: to.value ?? '' };
    if (locationIds.length > 0) p.locationIds = locationIds;
    if (tasks.length > 0) p.tasks = tasks;
    if (risks.length > 0) p.risks = risks;
    return p;
  }, [from.value, to.value, locationIds, tasks, risks]);
  const valid = !fromProblem && !toProblem;
  const q = useChannelQuery('reports.compliance', params, { enabled: valid, keepPrevious: true });
  const doc = valid ? q.data : undefined;
  const report = doc?.report;
  // The last filter's report stays on screen while the new one is worked out (seconds for a year at
  // a hospital's size): said so, set apart, and not printed or exported as if it were the new one.
  const updating = valid && q.updating;
  const today = new Date();
  const nothing = report ? nothingDecided(report, dates.date) : null;
  const noExceptions = report ? noHighRiskExceptions(report, dates.date) : null;

  return (
    <div className="report-screen">
      <div className="page-head">
        <h1>Compliance report</h1>
        <div className="actions">
          <PrintControls view="compliance" params={params} what="the compliance report" disabled={!doc || updating} />
        </div>
      </div>
      <div className="report-layout">
        <form className="panel report-filters" aria-label="Report filter" onSubmit={(e) => e.preventDefault()}>
          <fieldset className="choices report-choices">
            <legend>Period</legend>
            <FilterDate label="From" value={period.from} onChange={(t) => setPeriodText((p) => ({ ...p, from: t }))} problem={fromProblem} />
            <FilterDate label="To" value={period.to} onChange={(t) => setPeriodText((p) => ({ ...p, to: t }))} problem={toProblem} />
            <span className="quick-periods">
              <button type="button" onClick={() => setPeriod(lastQuarter(today))}>
                Last quarter
              </button>
              <button type="button" onClick={() => setPeriod({ from: day(startOfQuarter(today)), to: day(today) })}>
                This quarter
              </button>
              <button type="button" onClick={() => setPeriod({ from: day(startOfYear(today)), to: day(today) })}>
                This year
              </button>
            </span>
          </fieldset>
          <LocationChecklist nodes={tree.data ?? []} selected={locationIds} onChange={setLocationIds} />
          <ChoiceChecklist
            legend="Tasks"
            options={(taskTypes.data ?? []).map((t) => ({ value: t.code, label: t.label }))}
            selected={tasks}
            onChange={setTasks}
            help="None ticked: all tasks."
          />
          <ChoiceChecklist legend="Risk" options={RISK_OPTIONS} selected={risks} onChange={setRisks} help="None ticked: any risk." />
        </form>
        <section className="panel report-preview" aria-labelledby="compliance-title" aria-busy={updating || (valid && q.loading)}>
          <div className="section-head">
            <h2 id="compliance-title">By task and risk class</h2>
            <ExportButton
              request={() => call('reports.complianceCsv', { params, part: 'summary' })}
              label="Export CSV"
              disabled={!doc || updating}
              onError={setExportError}
            />
            <ExportButton
              request={() => call('reports.complianceCsv', { params, part: 'high_risk' })}
              label="Export high-risk exceptions CSV"
              disabled={!doc || updating}
              onError={setExportError}
            />
          </div>
          {!valid ? (
            <Banner kind="error">
              <strong>The report is not shown until the period is fixed:</strong> {[fromProblem, toProblem].filter(Boolean).join(' ')}
            </Banner>
          ) : null}
          <ErrorBanner error={valid ? (q.error ?? exportError) : null} />
          {report ? (
            <LastAnswer
              updating={updating}
              note={lastReportNote(dates.date(report.from), dates.date(report.to))}
            >
              {nothing?.kind === 'nothing-due' ? (
                <p className="empty" data-testid="compliance-empty">
                  {nothing.text} The report counts the plans&apos; occurrences due in the period: add plans to the equipment first, or
                  choose a period in which work was due.
                </p>
              ) : nothing ? (
                <p className="empty" data-testid="compliance-none-decided">
                  {nothing.text}
                </p>
              ) : null}
              <p className="report-count" data-testid="high-risk-headline">
                High-risk equipment: {rateSentence(report.highRisk.summary, report, dates.date)}.
                {openAtEnd(report.highRisk.summary, report.periodOver)}
              </p>
              <p className="muted">
                All: {rateSentence(report.total, report, dates.date)}.{openAtEnd(report.total, report.periodOver)}
              </p>
              {marksSentence(report.total) ? <p data-testid="record-marks">{marksSentence(report.total)}</p> : null}
              {locationIds.length > 0 ? (
                <p className="muted" data-testid="counted-where-now">
                  Equipment and stock count under the place they are in today: one moved since the period counts, with all its occurrences in
                  it, under its new place.
                </p>
              ) : null}
              {report.rows.length === 0 ? (
                nothing?.kind === 'nothing-due' ? null : (
                  <p className="empty">No plan had an occurrence due in this period.</p>
                )
              ) : (
                <div className="table-scroll">
                  <table className="data compact compliance-table">
                    <thead>
                      <tr>
                        <th scope="col">Task</th>
                        <th scope="col">Risk</th>
                        <th scope="col" className="num">
                          Due
                        </th>
                        <th scope="col" className="num">
                          On time
                        </th>
                        <th scope="col" className="num">
                          Late
                        </th>
                        <th scope="col" className="num">
                          Missed
                        </th>
                        <th scope="col" className="num">
                          Exempt
                        </th>
                        <th scope="col" className="num">
                          {openLabel(report)}
                        </th>
                        <th scope="col" className="num">
                          Rate
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {report.rows.map((r) => (
                        <tr key={`${r.task}-${r.risk}`} data-testid="compliance-row">
                          <td>{r.taskLabel}</td>
                          <td>{RISK_CLASS_LABELS[r.risk]}</td>
                          <td className="num">{r.due}</td>
                          <td className="num">{r.onTime}</td>
                          <td className="num">{r.late}</td>
                          <td className="num">{r.missed}</td>
                          <td className="num">{r.exempt}</td>
                          <td className="num">{r.open}</td>
                          <td className="num">{rateWithOpen(r, report)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              <h2>High-risk occurrences not done on time, or done by a record entered late</h2>
              {noExceptions ? (
                <p className={noExceptions.kind === 'all-clear' ? 'all-clear' : 'empty'} data-testid="high-risk-none">
                  {noExceptions.text}
                </p>
              ) : (
                <div className="table-scroll">
                  <table className="data compact">
                    <thead>
                      <tr>
                        <th scope="col">Device</th>
                        <th scope="col">Location</th>
                        <th scope="col">Task</th>
                        <th scope="col">Due on</th>
                        <th scope="col">Verdict</th>
                        <th scope="col">Done on</th>
                        <th scope="col">Entries</th>
                      </tr>
                    </thead>
                    <tbody>
                      {report.highRisk.exceptions.map((x) => (
                        <tr key={`${x.equipmentId}-${x.task}-${x.dueOn}`} data-testid="exception-row">
                          <td>
                            <Link to={`/equipment/${x.equipmentId}`}>
                              <span className="mono">{x.assetTag}</span> {x.name}
                            </Link>
                          </td>
                          <td>{x.location}</td>
                          <td>{x.taskLabel}</td>
                          <td className="nowrap">{dates.date(x.dueOn)}</td>
                          <td>
                            <strong>{VERDICT_LABELS[x.verdict]}</strong>
                          </td>
                          <td className="nowrap">
                            {dates.date(x.doneOn)}
                            {exceptionMark(x, (d) => dates.date(d)) ? <div className="muted">{exceptionMark(x, (d) => dates.date(d))}</div> : null}
                          </td>
                          <td>{exceptionNote(x, (d) => dates.date(d)) ?? ''}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </LastAnswer>
          ) : q.loading ? (
            <FirstReportWait from={dates.date(params.from)} to={dates.date(params.to)} />
          ) : null}
        </section>
      </div>
    </div>
  );
}
