import { useId, useState } from 'react';
import type { CodeCount, FailureGroup } from '../../../../shared/domain/report-failures';
import { codeLabel, FAILURE_KIND_LABELS, failureRate } from '../../../../shared/domain/report-failures';
import { WORK_ORDER_STATE_LABELS } from '../../../../shared/domain/work-order';
import { plural } from '../../../../shared/labels';
import type { AppErrorValue } from '../../../../shared/result';
import { ErrorBanner } from '../../components/Banner';
import { ExportButton } from '../../components/ExportButton';
import { FirstReportWait, LastAnswer, lastReportNote } from '../../components/LastAnswer';
import { PrintControls } from '../../components/PrintControls';
import { call } from '../../lib/api';
import { useChannelQuery, useNoEquipment } from '../../lib/query';
import { Link } from '../../lib/router';
import { useDates } from '../../lib/settings';
import { usePeriodAndPlaces } from './filters';

const yearStart = (today: string) => `${today.slice(0, 4)}-01-01`;

function GroupTable({
  caption,
  what,
  none,
  groups,
  testId,
}: {
  caption: string;
  what: string;
  none: string;
  groups: FailureGroup[];
  testId: string;
}) {
  return (
    <div className="table-scroll">
      <table className="data compact" data-testid={testId}>
        <caption className="ward-caption">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{what}</th>
            <th scope="col" className="num">
              Devices
            </th>
            <th scope="col" className="num">
              Work orders
            </th>
            <th scope="col" className="num">
              Failures
            </th>
            <th scope="col" className="num">
              No fault found
            </th>
            <th scope="col" className="num">
              Not yet diagnosed
            </th>
            <th scope="col" className="num">
              Failures per device
            </th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.name ?? ''}>
              <th scope="row" className="row-head">
                {g.name ?? none}
              </th>
              <td className="num">{g.devices}</td>
              <td className="num">{g.workOrders}</td>
              <td className="num">{g.failures}</td>
              <td className="num">{g.noFaultFound}</td>
              <td className="num">{g.notDiagnosed}</td>
              <td className="num">{failureRate(g) || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CodeTable({ caption, what, codes, testId }: { caption: string; what: string; codes: CodeCount[]; testId: string }) {
  return (
    <table className="data compact" data-testid={testId}>
      <caption className="ward-caption">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{what}</th>
          <th scope="col" className="num">
            Work orders
          </th>
        </tr>
      </thead>
      <tbody>
        {codes.map((c) => (
          <tr key={c.codeId ?? ''}>
            <th scope="row" className="row-head">
              {c.codeId === null ? FAILURE_KIND_LABELS.not_diagnosed : codeLabel(c)}
            </th>
            <td className="num">{c.workOrders}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Failures over a period (issue 16): the work orders reported in it by category, by model and by
 * failure and cause code, beside the devices of each, so a rate shows. Printable and CSV.
 */
export function Failures() {
  const dates = useDates();
  const { today, params, filter } = usePeriodAndPlaces(yearStart);
  const [exportError, setExportError] = useState<AppErrorValue | null>(null);
  const q = useChannelQuery('reports.failures', params ?? { from: today, to: today }, { enabled: params !== null, keepPrevious: true });
  const report = params ? q.data?.report : undefined;
  const noEquipment = useNoEquipment(report !== undefined && report.workOrders.length === 0);
  // A new filter's report is read while the last one stays on screen: said so, and not printed or exported as the new one.
  const updating = params !== null && q.updating;
  const titleId = useId();
  const t = report?.total;
  return (
    <div className="report-screen">
      <div className="page-head">
        <h1>Failures</h1>
        <div className="actions">
          <PrintControls view="failures" params={params ?? {}} what="the failures report" disabled={!report || updating} />
        </div>
      </div>
      <ErrorBanner error={exportError ?? q.error} />
      <div className="report-layout">
        {filter}
        <section className="panel report-preview" aria-labelledby={titleId} aria-busy={updating || (params !== null && q.loading)}>
          <div className="section-head">
            <h2 id={titleId}>
              {report ? `Work orders reported from ${dates.date(report.from)} to ${dates.date(report.to)}` : 'Work orders reported'}
            </h2>
            <ExportButton
              label="Export CSV"
              disabled={!report || updating}
              request={() => call('reports.failuresCsv', { params: params!, part: 'summary' })}
              onError={setExportError}
            />
            <ExportButton
              label="Export work orders CSV"
              disabled={!report || updating}
              request={() => call('reports.failuresCsv', { params: params!, part: 'work_orders' })}
              onError={setExportError}
            />
          </div>
          {report && t ? (
            <LastAnswer updating={updating} note={lastReportNote(dates.date(report.from), dates.date(report.to))}>
              <p className="report-count" data-testid="failures-headline">
                {plural(t.workOrders, 'work order')} on {plural(t.devices, 'device')}: {plural(t.failures, 'failure')}
                {t.devices > 0 ? ` (${failureRate(t)} per device)` : ''}, {t.noFaultFound} no fault found, {t.notDiagnosed} not yet
                diagnosed.
              </p>
              <p className="muted">
                Failures: a repair named a failure code other than &ldquo;No fault found&rdquo;. No fault found (either code) is totalled
                apart and left out of the rate, as are work orders not yet diagnosed. Devices: in the inventory at some time in the period,
                where they are now.
              </p>
              {t.devices === 0 && t.workOrders === 0 ? (
                <p className="empty">There is no device in these locations in the period, so there is nothing to count.</p>
              ) : (
                <>
                  <GroupTable
                    caption="By category"
                    what="Category"
                    none="No category"
                    groups={report.byCategory}
                    testId="failures-by-category"
                  />
                  <GroupTable
                    caption="By manufacturer and model"
                    what="Model"
                    none="No model recorded"
                    groups={report.byModel}
                    testId="failures-by-model"
                  />
                  {report.workOrders.length === 0 ? (
                    noEquipment === null ? null : noEquipment ? (
                      <p className="empty">No equipment yet: nothing to report.</p>
                    ) : (
                      <p className="all-clear">No work order was reported in the period.</p>
                    )
                  ) : (
                    <>
                      <div className="report-codes">
                        <CodeTable caption="By failure code" what="Failure code" codes={report.byFailureCode} testId="failures-by-code" />
                        {report.byCauseCode.length > 0 ? (
                          <CodeTable caption="By cause code" what="Cause code" codes={report.byCauseCode} testId="failures-by-cause" />
                        ) : null}
                      </div>
                      <div className="table-scroll">
                        <table className="data compact" data-testid="failures-work-orders">
                          <caption className="ward-caption">The work orders counted</caption>
                          <thead>
                            <tr>
                              <th scope="col">Work order</th>
                              <th scope="col">Reported</th>
                              <th scope="col">Device</th>
                              <th scope="col">Failure code</th>
                              <th scope="col">Cause code</th>
                              <th scope="col">State</th>
                            </tr>
                          </thead>
                          <tbody>
                            {report.workOrders.map((w) => (
                              <tr key={w.id}>
                                <td>
                                  <Link to={`/work-orders/${w.id}`}>{w.ref}</Link>
                                </td>
                                <td className="nowrap">{dates.dateTime(w.reportedAt)}</td>
                                <td>
                                  <Link to={`/equipment/${w.equipmentId}`}>
                                    <span className="mono">{w.assetTag}</span> {w.name}
                                  </Link>
                                  <div className="muted">{[w.category, w.model].filter(Boolean).join(' · ') || '—'}</div>
                                </td>
                                <td>{codeLabel(w.failureCode)}</td>
                                <td>{w.causeCode ? codeLabel(w.causeCode) : <span className="muted">—</span>}</td>
                                <td>{WORK_ORDER_STATE_LABELS[w.state]}</td>
                              </tr>
                            ))}
                          </tbody>
                        </table>
                      </div>
                    </>
                  )}
                </>
              )}
            </LastAnswer>
          ) : params && q.loading ? (
            <FirstReportWait from={dates.date(params.from)} to={dates.date(params.to)} />
          ) : null}
        </section>
      </div>
    </div>
  );
}
